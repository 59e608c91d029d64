/* Reset and vector table shared by every board: copy .data, zero .bss,
 * turn the FPU on where the build uses it, then run the command server.
 * Linker symbols come from ld/cortex-m.ld.in. */
#include <stdint.h>
#include <string.h>

extern uint32_t __data_load[], __data_start[], __data_end[], __bss_start[], __bss_end[];
extern uint32_t __stack_top[], __stack_limit[];
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
#if defined(__ARM_ARCH_8M_MAIN__) || defined(__ARM_ARCH_8M_BASE__)
  /* ARMv8-M checks the stack limit in hardware: an overflow is a precise
   * UsageFault (STKOF) instead of a write below RAM. */
  __asm__ volatile("msr msplim, %0" ::"r"(__stack_limit));
#endif
#if __ARM_ARCH == 7
  /* ARMv7-M has no stack limit register: an MPU region with no access at
   * the bottom of the stack turns an overflow into a MemManage fault
   * instead of a silent write past the stack. Region 0, 32 bytes,
   * privileged default map elsewhere. */
  *(volatile uint32_t *)0xE000ED98 = 0;                           /* MPU_RNR */
  *(volatile uint32_t *)0xE000ED9C = (uint32_t)__stack_limit;     /* MPU_RBAR */
  *(volatile uint32_t *)0xE000EDA0 = (1u << 28) | (4u << 1) | 1u; /* MPU_RASR: XN, AP=none, 32 B, on */
  *(volatile uint32_t *)0xE000ED94 = 5u;                          /* MPU_CTRL: ENABLE | PRIVDEFENA */
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
