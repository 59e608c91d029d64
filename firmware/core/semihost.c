/* Semihosting exit with the firmware's own status (SYS_EXIT_EXTENDED).
 * QEMU must run with -semihosting-config enable=on,target=native. */
#include "certcost/hal.h"

#define SYS_EXIT_EXTENDED 0x20
#define ADP_Stopped_ApplicationExit 0x20026

void hal_exit(int code) {
  volatile uint32_t block[2] = {ADP_Stopped_ApplicationExit, (uint32_t)code};
  for (;;) {
    register uint32_t r0 __asm__("r0") = SYS_EXIT_EXTENDED;
    register uint32_t r1 __asm__("r1") = (uint32_t)block;
    __asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
  }
}
