/* Core-internal measurement helpers (see core/measure.c). */
#ifndef CERTCOST_MEASURE_H
#define CERTCOST_MEASURE_H
#include <stddef.h>
#include <stdint.h>
void measure_op_reset(void);
int measure_op_balanced(void);
void measure_stack_paint(uintptr_t caller_sp);
uint32_t measure_stack_used(void);
void measure_heap_warm(void);
int measure_heap_corrupt(void); /* 1 if a heap canary was overwritten since the last call */
void measure_heap_reset(void);
uint32_t measure_heap_peak(void);
uint32_t measure_heap_now(void);
void measure_rng_seed(const uint8_t *seed, size_t n);
#endif
