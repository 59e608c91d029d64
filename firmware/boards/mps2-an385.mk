# ARM MPS2 AN385: Cortex-M3. Modelled as a mid-range M3 MCU
# (512 KiB flash, 64 KiB RAM, STM32F2/LPC17xx class).
BOARD_CORE       := cortex-m3
BOARD_CPU_FLAGS  := -mcpu=cortex-m3 -mthumb -mfloat-abi=soft
QEMU_MACHINE     := mps2-an385
FLASH_ORIGIN     := 0x00000000
FLASH_SIZE       := 512K
RAM_ORIGIN       := 0x20000000
RAM_SIZE         := 64K
STACK_SIZE       := 8K
HEAP_SIZE        := 32K
LINK_MAX         := 4096
UART_DRIVER      := cmsdk
UART_BASE        := 0x40004000
