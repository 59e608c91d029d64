/* The device's deterministic RNG (xoshiro128**), seeded by the harness
 * (core op seed-rng): measure_rng_seed, cc_rng_fill, cc_rng_cb. Included
 * where it is defined, by firmware/core/measure.c and by the host fuzzer's
 * shim (fuzz/host/shim.c), so the device and the host build draw the same
 * numbers from the same seed. Not a header to include anywhere else. */
#ifndef CERTCOST_CORE_RNG_XOSHIRO_H
#define CERTCOST_CORE_RNG_XOSHIRO_H
#include <stddef.h>
#include <stdint.h>
#include <string.h>

static uint32_t rs[4] = {0x9E3779B9u, 0x243F6A88u, 0xB7E15162u, 0x5A827999u};
static uint32_t rotl(uint32_t x, int k) { return (x << k) | (x >> (32 - k)); }
static uint32_t next32(void) {
  uint32_t r = rotl(rs[1] * 5, 7) * 9, t = rs[1] << 9;
  rs[2] ^= rs[0]; rs[3] ^= rs[1]; rs[1] ^= rs[2]; rs[0] ^= rs[3];
  rs[2] ^= t; rs[3] = rotl(rs[3], 11);
  return r;
}
void measure_rng_seed(const uint8_t *seed, size_t n) {
  memset(rs, 0, sizeof rs);
  for (size_t i = 0; i < n && i < 16; i++) ((uint8_t *)rs)[i] = seed[i];
  if (!(rs[0] | rs[1] | rs[2] | rs[3])) rs[0] = 1;
  for (int i = 0; i < 8; i++) next32();
}
void cc_rng_fill(uint8_t *buf, size_t n) {
  while (n) {
    uint32_t v = next32();
    for (int i = 0; i < 4 && n; i++, n--) { *buf++ = (uint8_t)v; v >>= 8; }
  }
}
int cc_rng_cb(void *ctx, unsigned char *buf, size_t n) {
  (void)ctx;
  cc_rng_fill(buf, n);
  return 0;
}

#endif
