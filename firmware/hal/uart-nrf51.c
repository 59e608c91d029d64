/* nRF51 UART (micro:bit). Event registers must be cleared before reading
 * RXD: QEMU raises RXDRDY again on that read when more bytes wait. */
#include "certcost/hal.h"

#define REG(off) (*(volatile uint32_t *)((UART_BASE) + (off)))
#define STARTRX REG(0x000)
#define STARTTX REG(0x008)
#define EV_RXDRDY REG(0x108)
#define EV_TXDRDY REG(0x11C)
#define ENABLE REG(0x500)
#define RXD REG(0x518)
#define TXD REG(0x51C)
#define BAUDRATE REG(0x524)

void hal_uart_init(void) {
  ENABLE = 4;
  BAUDRATE = 0x01D7E000; /* 115200 on silicon; QEMU ignores it */
  STARTTX = 1;
  STARTRX = 1;
  EV_TXDRDY = 0;
}

void hal_uart_putc(uint8_t c) {
  EV_TXDRDY = 0;
  TXD = c;
  while (!EV_TXDRDY) {}
}

uint8_t hal_uart_getc(void) {
  while (!EV_RXDRDY) {}
  EV_RXDRDY = 0;
  return (uint8_t)RXD;
}
