/* What each board provides (firmware/hal/uart-*.c, startup.c). */
#ifndef CERTCOST_HAL_H
#define CERTCOST_HAL_H
#include <stdint.h>
void hal_uart_init(void);
void hal_uart_putc(uint8_t c);
uint8_t hal_uart_getc(void);          /* blocks */
void hal_exit(int code) __attribute__((noreturn)); /* semihosting SYS_EXIT_EXTENDED */
#endif
