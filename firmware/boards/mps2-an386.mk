# ARM MPS2 AN386: Cortex-M4F, FPU on. Modelled as an nRF52840-class MCU
# (1 MiB flash, 256 KiB RAM).
BOARD_CORE       := cortex-m4
BOARD_CPU_FLAGS  := -mcpu=cortex-m4 -mthumb -mfpu=fpv4-sp-d16 -mfloat-abi=hard
QEMU_MACHINE     := mps2-an386
FLASH_ORIGIN     := 0x00000000
FLASH_SIZE       := 1024K
RAM_ORIGIN       := 0x20000000
RAM_SIZE         := 256K
STACK_SIZE       := 16K
HEAP_SIZE        := 160K
LINK_MAX         := 8192
UART_DRIVER      := cmsdk
UART_BASE        := 0x40004000
