/* Platform hooks user_settings.h points wolfSSL at: its RNG source and
 * its clock. */
#include <stdint.h>
#include <time.h>
#include "certcost/ops.h"

/* CUSTOM_RAND_GENERATE_BLOCK: every random byte wolfSSL uses (ECDSA
 * nonces, key generation) comes from the harness-seeded cc_rng_fill.
 * Deterministic so that counts repeat; not entropy, no security claim. */
int cc_wolfssl_rng_block(unsigned char *out, unsigned int sz) {
  cc_rng_fill(out, sz);
  return 0;
}

/* XTIME: seconds since the epoch, as the harness says it is. 0 = unset.
 * Nothing sets it yet; certificate date checks (later) will need an op
 * that does. */
volatile uint32_t cc_wolfssl_now;

time_t cc_wolfssl_time(time_t *t) {
  time_t now = (time_t)cc_wolfssl_now;
  if (t) *t = now;
  return now;
}
