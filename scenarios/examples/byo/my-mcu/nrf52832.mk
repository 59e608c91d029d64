# Example: a board of the user's, outside firmware/boards/ (scenario
# `boards: [my-mcu/nrf52832.mk]`). Nordic nRF52832: Cortex-M4F, 512 KiB
# flash, 64 KiB RAM, emulated on QEMU's mps2-an386 (same core, memory
# origins and UART as firmware/boards/mps2-an386.mk, less memory).
BOARD_CORE       := cortex-m4
BOARD_CPU_FLAGS  := -mcpu=cortex-m4 -mthumb -mfpu=fpv4-sp-d16 -mfloat-abi=hard
QEMU_MACHINE     := mps2-an386
FLASH_ORIGIN     := 0x00000000
FLASH_SIZE       := 512K
RAM_ORIGIN       := 0x20000000
RAM_SIZE         := 64K
STACK_SIZE       := 8K
HEAP_SIZE        := 32K
LINK_MAX         := 4096
UART_DRIVER      := cmsdk
UART_BASE        := 0x40004000
