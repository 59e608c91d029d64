/* Fault reporting: every exception we do not expect lands here. We read
 * the stacked frame and the fault status registers (ARMv7-M/v8-M only;
 * ARMv6-M has none), send one FAULT frame and exit with status 3 so the
 * harness records an error and moves on. */
#include <stdint.h>
#include "certcost/hal.h"
#include "certcost/link.h"

#define SCB_ICSR (*(volatile uint32_t *)0xE000ED04)
#define SCB_CFSR (*(volatile uint32_t *)0xE000ED28)
#define SCB_HFSR (*(volatile uint32_t *)0xE000ED2C)
#define SCB_MMFAR (*(volatile uint32_t *)0xE000ED34)
#define SCB_BFAR (*(volatile uint32_t *)0xE000ED38)
#define SCB_SFSR (*(volatile uint32_t *)0xE000EDE4)

static void put32(uint8_t *p, uint32_t v) {
  p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); p[2] = (uint8_t)(v >> 16); p[3] = (uint8_t)(v >> 24);
}

extern uint32_t __stack_guard_end[], __heap_end[];

__attribute__((used, noreturn)) void cc_fault_report(uint32_t *frame, uint32_t exc_return) {
  uint32_t vals[10] = {0};
  vals[0] = SCB_ICSR & 0x1FFu; /* exception number */
  /* After a stack overflow the frame may not be in RAM at all (stacking
   * failed); reading it would fault again and lock the core up. */
  if (frame >= __stack_guard_end && frame + 8 <= __heap_end) {
    vals[1] = frame[6]; /* PC */
    vals[2] = frame[5]; /* LR */
    vals[3] = frame[7]; /* xPSR */
  }
  vals[4] = (uint32_t)frame;   /* SP at fault */
  vals[5] = exc_return;
#if __ARM_ARCH >= 7
  vals[6] = SCB_CFSR;
  vals[7] = SCB_HFSR;
  vals[8] = SCB_MMFAR;
  vals[9] = SCB_BFAR;
#endif
  uint8_t buf[40];
  for (int i = 0; i < 10; i++) put32(buf + 4 * i, vals[i]);
  link_send(LINK_FAULT, 0, buf, sizeof buf);
  hal_exit(3);
}

/* Own stack for the report: the faulting stack may be exhausted, and the
 * frame we read must not be overwritten by the report's own calls. */
__attribute__((used, aligned(8))) uint32_t cc_fault_stack[128];

/* Pick the stack the frame was pushed on (EXC_RETURN bit 2), switch to the
 * fault stack, then report. */
__attribute__((naked)) void cc_fault_entry(void) {
  __asm__ volatile(
      "mov r1, lr\n"
      "movs r2, #4\n"
      "tst r1, r2\n"
      "beq 1f\n"
      "mrs r0, psp\n"
      "b 2f\n"
      "1: mrs r0, msp\n"
      "2: ldr r2, =cc_fault_stack + 512\n"
      "mov sp, r2\n"
      "ldr r2, =cc_fault_report\n"
      "bx r2\n");
}
