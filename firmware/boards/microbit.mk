# BBC micro:bit v1: nRF51822, Cortex-M0 @16 MHz, 256 KiB flash, 16 KiB RAM.
# QEMU's model has exactly that RAM, so this is the real device's budget.
BOARD_CORE       := cortex-m0
BOARD_CPU_FLAGS  := -mcpu=cortex-m0 -mthumb -mfloat-abi=soft
QEMU_MACHINE     := microbit
FLASH_ORIGIN     := 0x00000000
FLASH_SIZE       := 256K
RAM_ORIGIN       := 0x20000000
RAM_SIZE         := 16K
STACK_SIZE       := 4K
HEAP_SIZE        := 6K
LINK_MAX         := 1152
UART_DRIVER      := nrf51
UART_BASE        := 0x40002000
