/* Reset and vector table shared by every board: copy .data, zero .bss,
 * turn the FPU on where the build uses it, then run the command server.
 * Linker symbols come from ld/cortex-m.ld.in. */
#include <stdint.h>
#include <string.h>

extern uint32_t __data_load[], __data_start[], __data_end[], __bss_start[], __bss_end[];
extern uint32_t __stack_top[];
int main(void);
void cc_fault_entry(void);

void reset_handler(void) {
  memcpy(__data_start, __data_load, (size_t)((char *)__data_end - (char *)__data_start));
  memset(__bss_start, 0, (size_t)((char *)__bss_end - (char *)__bss_start));
#if defined(__ARM_FP)
  /* CPACR: full access to CP10/CP11, or the first FP instruction faults. */
  *(volatile uint32_t *)0xE000ED88 |= (0xFu << 20);
  __asm__ volatile("dsb\n isb");
#endif
#if __ARM_ARCH >= 7
  /* SHCSR: enable MemManage, BusFault, UsageFault so they are reported as
   * themselves rather than escalated to HardFault. */
  *(volatile uint32_t *)0xE000ED24 |= (7u << 16);
  /* CCR.DIV_0_TRP: a division by zero is a fault, as on a careful device. */
  *(volatile uint32_t *)0xE000ED14 |= (1u << 4);
#endif
  main();
  for (;;) {}
}

static void default_handler(void) { cc_fault_entry(); }

__attribute__((section(".vectors"), used)) void (*const vector_table[16 + 32])(void) = {
    (void (*)(void))__stack_top,
    reset_handler,
    cc_fault_entry,  /* NMI */
    cc_fault_entry,  /* HardFault */
    cc_fault_entry,  /* MemManage */
    cc_fault_entry,  /* BusFault */
    cc_fault_entry,  /* UsageFault */
    cc_fault_entry,  /* SecureFault (v8-M) */
    0, 0, 0,
    default_handler, /* SVC */
    default_handler, /* DebugMon */
    0,
    default_handler, /* PendSV */
    default_handler, /* SysTick */
    [16 ... 47] = default_handler,
};
