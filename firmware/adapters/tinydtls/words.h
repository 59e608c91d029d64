/* tinydtls' ECC takes 256-bit numbers as eight little-endian uint32_t
 * words (word 0 least significant); docs/ops.md uses big-endian bytes. */
#ifndef CERTCOST_TINYDTLS_WORDS_H
#define CERTCOST_TINYDTLS_WORDS_H
#include <stdint.h>

static inline void be_to_words(uint32_t w[8], const uint8_t *b) {
  for (int i = 0; i < 8; i++) {
    const uint8_t *p = b + 28 - 4 * i;
    w[i] = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
  }
}

static inline void words_to_be(uint8_t *b, const uint32_t w[8]) {
  for (int i = 0; i < 8; i++) {
    uint8_t *p = b + 28 - 4 * i;
    p[0] = (uint8_t)(w[i] >> 24);
    p[1] = (uint8_t)(w[i] >> 16);
    p[2] = (uint8_t)(w[i] >> 8);
    p[3] = (uint8_t)w[i];
  }
}
#endif
