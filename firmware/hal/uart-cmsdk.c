/* ARM CMSDK APB UART (MPS2 boards). One-byte buffers each way; polled. */
#include "certcost/hal.h"

#define UART ((volatile uint32_t *)(UART_BASE))
#define DATA 0
#define STATE 1  /* bit0 TX full, bit1 RX full */
#define CTRL 2   /* bit0 TX enable, bit1 RX enable */
#define BAUDDIV 4

void hal_uart_init(void) {
  UART[BAUDDIV] = 16;
  UART[CTRL] = 3;
  /* A read of DATA makes QEMU look at the link again now that RX is on;
   * without it the first host byte waits for QEMU's idle poll (~1 s). */
  (void)UART[DATA];
}

void hal_uart_putc(uint8_t c) {
  while (UART[STATE] & 1u) {}
  UART[DATA] = c;
}

uint8_t hal_uart_getc(void) {
  while (!(UART[STATE] & 2u)) {}
  return (uint8_t)UART[DATA];
}
