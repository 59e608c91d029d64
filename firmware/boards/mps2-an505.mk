# ARM MPS2 AN505: Cortex-M33 (ARMv8-M Mainline), booting in the secure
# state, so code, RAM and UART0 are used at their secure aliases. Modelled
# as an STM32L5/nRF5340-class MCU (512 KiB flash, 256 KiB RAM).
BOARD_CORE       := cortex-m33
BOARD_CPU_FLAGS  := -mcpu=cortex-m33 -mthumb -mfloat-abi=soft
QEMU_MACHINE     := mps2-an505
FLASH_ORIGIN     := 0x10000000
FLASH_SIZE       := 512K
RAM_ORIGIN       := 0x38000000
RAM_SIZE         := 256K
STACK_SIZE       := 16K
HEAP_SIZE        := 160K
LINK_MAX         := 8192
UART_DRIVER      := cmsdk
UART_BASE        := 0x50200000
