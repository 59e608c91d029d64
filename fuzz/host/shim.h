/* fuzz/host: the parts of the core shim the runner drives. */
#ifndef CERTCOST_FUZZ_SHIM_H
#define CERTCOST_FUZZ_SHIM_H
#include <stddef.h>
#include <stdint.h>
#ifndef LINK_MAX
#error "LINK_MAX comes from the board file (fuzz/host/Makefile)"
#endif
#define SHIM_LINK_MAX LINK_MAX
/* The RNG is the device's: measure_rng_seed (firmware/core/rng-xoshiro128.h). */
void measure_rng_seed(const uint8_t *seed, size_t n);
void shim_set_time(int64_t t);
void shim_net_reset(const uint8_t *const *d, const size_t *lens, size_t n);
#endif
