# ARM MPS2 AN500: Cortex-M7. Modelled as an STM32F7-class MCU
# (1 MiB flash, 320 KiB RAM).
BOARD_CORE       := cortex-m7
BOARD_CPU_FLAGS  := -mcpu=cortex-m7 -mthumb -mfloat-abi=soft
QEMU_MACHINE     := mps2-an500
FLASH_ORIGIN     := 0x00000000
FLASH_SIZE       := 1024K
RAM_ORIGIN       := 0x20000000
RAM_SIZE         := 320K
STACK_SIZE       := 16K
HEAP_SIZE        := 192K
LINK_MAX         := 8192
UART_DRIVER      := cmsdk
UART_BASE        := 0x40004000
