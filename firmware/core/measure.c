/* Measurement probes: the marker sled the counting plugin watches, stack
 * painting for the high-water mark, an allocator wrapper for heap peak,
 * and the harness-seeded deterministic RNG. */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/types.h>
#include "certcost/ops.h"
#include "certcost/measure.h"

/* Markers: each is a lone `bx lr` the plugin sees executing. noinline and
 * naked so the call really happens and the address is the symbol's. The
 * plugin (plugin/insn-count.c) gets their addresses from the ELF. */
#define MARK(name) \
  __attribute__((naked, noinline, used, section(".text.cc_marks"))) void name(void) { __asm__ volatile("bx lr"); }
MARK(cc_mark_start)
MARK(cc_mark_stop)
MARK(cc_mark_pause)
MARK(cc_mark_resume)

static int begun, ended, paused;

void measure_op_reset(void) { begun = ended = paused = 0; }
int measure_op_balanced(void) { return begun == 1 && ended == 1 && paused == 0; }

void cc_measure_begin(void) { begun++; cc_mark_start(); }
void cc_measure_end(void) { cc_mark_stop(); ended++; }
void cc_measure_pause(void) { cc_mark_pause(); paused++; }
void cc_measure_resume(void) { paused--; cc_mark_resume(); }

/* ---- stack high-water ---- */
#define PAINT 0xA5A5A5A5u
/* Paint above the 32-byte guard: on ARMv7-M the MPU forbids touching it. */
extern uint32_t __stack_guard_end[];
static uintptr_t painted_top;

/* Paint from the bottom of the stack up to just under this function's
 * own frame; the op runs from the caller's SP, which is recorded. */
static uintptr_t op_sp;
__attribute__((noinline)) void measure_stack_paint(uintptr_t caller_sp) {
  uint32_t here;
  op_sp = caller_sp;
  painted_top = ((uintptr_t)&here - 32) & ~(uintptr_t)3;
  for (uint32_t *p = __stack_guard_end; (uintptr_t)p < painted_top; p++) *p = PAINT;
}

uint32_t measure_stack_used(void) {
  uint32_t *p = __stack_guard_end;
  while ((uintptr_t)p < painted_top && *p == PAINT) p++;
  return (uint32_t)(op_sp - (uintptr_t)p);
}

/* ---- heap: newlib's allocator behind a size-tracking wrapper ---- */
extern char __heap_start[], __heap_end[];
static char *brk = __heap_start;

void *_sbrk(ptrdiff_t incr) {
  if (incr < 0 || brk + incr > __heap_end) {
    errno = ENOMEM;
    return (void *)-1;
  }
  char *old = brk;
  brk += incr;
  return old;
}

static size_t heap_now, heap_peak;
void *__real_malloc(size_t);
void __real_free(void *);

/* 8-byte header keeps the caller's alignment and remembers the size. */
/* Fuzzing builds (-DCERTCOST_HEAP_CANARY) put a canary after every block
 * and check it on free: a library writing past its allocation is then a
 * finding, not silent corruption. Off for benchmarks, where the check
 * would add instructions to every counted allocation. */
#ifdef CERTCOST_HEAP_CANARY
#define CANARY_LEN 4u
static const uint8_t canary[CANARY_LEN] = {0xDE, 0xAD, 0xBE, 0xEF};
static int heap_corrupt;
int measure_heap_corrupt(void) { int c = heap_corrupt; heap_corrupt = 0; return c; }
#else
#define CANARY_LEN 0u
int measure_heap_corrupt(void) { return 0; }
#endif

void *__wrap_malloc(size_t n) {
  size_t *h = __real_malloc(n + 8 + CANARY_LEN);
  if (!h) return 0;
  h[0] = n;
#ifdef CERTCOST_HEAP_CANARY
  memcpy((char *)h + 8 + n, canary, CANARY_LEN);
#endif
  heap_now += n;
  if (heap_now > heap_peak) heap_peak = heap_now;
  return (char *)h + 8;
}

void __wrap_free(void *p) {
  if (!p) return;
  size_t *h = (size_t *)((char *)p - 8);
#ifdef CERTCOST_HEAP_CANARY
  if (memcmp((char *)p + h[0], canary, CANARY_LEN) != 0) heap_corrupt = 1;
#endif
  heap_now -= h[0];
  __real_free(h);
}

void *__wrap_calloc(size_t a, size_t b) {
  if (b && a > SIZE_MAX / b) return 0;
  void *p = __wrap_malloc(a * b);
  if (p) memset(p, 0, a * b);
  return p;
}

void *__wrap_realloc(void *old, size_t n) {
  if (!old) return __wrap_malloc(n);
  size_t was = ((size_t *)((char *)old - 8))[0];
  void *p = __wrap_malloc(n);
  if (!p) return 0;
  memcpy(p, old, was < n ? was : n);
  __wrap_free(old);
  return p;
}

/* Grow newlib's heap to its full size once at boot, then free it: otherwise
 * the first op after boot pays for growing the arena (sbrk) and its count
 * depends on which ops ran before it. */
void measure_heap_warm(void) {
  for (size_t n = (size_t)(__heap_end - __heap_start); n > 64; n -= 64) {
    void *p = __real_malloc(n);
    if (p) {
      __real_free(p);
      return;
    }
  }
}

void measure_heap_reset(void) { heap_peak = heap_now; }
uint32_t measure_heap_peak(void) { return (uint32_t)heap_peak; }
uint32_t measure_heap_now(void) { return (uint32_t)heap_now; }

/* ---- deterministic RNG (xoshiro128**), seeded by the harness ---- */
#include "rng-xoshiro128.h"
