/* Platform hooks user_settings.h points wolfSSL at: its RNG source and
 * its clock. */
#include <stdint.h>
#include <time.h>
#include "certcost/net.h"
#include "certcost/ops.h"

/* CUSTOM_RAND_GENERATE_BLOCK: every random byte wolfSSL uses (ECDSA
 * nonces, key generation) comes from the harness-seeded cc_rng_fill.
 * Deterministic so that counts repeat; not entropy, no security claim. */
int cc_wolfssl_rng_block(unsigned char *out, unsigned int sz) {
  cc_rng_fill(out, sz);
  return 0;
}

/* XTIME: the device's calendar clock, set by the harness with the core op
 * set-time (certcost/net.h); 0 = no clock, which wolfSSL reads as
 * 1970-01-01 (every certificate then looks not yet valid). */
time_t cc_wolfssl_time(time_t *t) {
  time_t now = (time_t)cc_time_unix();
  if (t) *t = now;
  return now;
}

/* USER_TICKS (images with wolfSSL's SSL layer): its low-resolution timer
 * in seconds, for DTLS timeouts and session lifetimes. The link's virtual
 * clock: it advances only when a receive times out, so counts never depend
 * on host speed. Dropped by --gc-sections where unused. */
unsigned int LowResTimer(void) { return cc_net_time_ms() / 1000; }

#if defined(CERTCOST_DTLS13)
/* USER_TICKS with TLS 1.3 (WOLFSSL_32BIT_MILLI_TIME): the millisecond clock
 * for ticket ages and DTLS 1.3 timers; the same virtual link clock. */
unsigned int TimeNowInMilliseconds(void) { return cc_net_time_ms(); }
#endif
