/* The firmware core, as far as the adapters see it, for a host (x86-64)
 * build under libFuzzer: the same adapters and library configuration as the
 * device image, with the core's link, markers, stack paint and heap wrapper
 * left out (fuzz/host/README.md and docs/fuzzing.md list every difference).
 *
 * Same as on the device: the deterministic RNG (xoshiro128**, seeded like
 * the core op seed-rng), the virtual millisecond clock that only moves when
 * a receive times out, and the calendar clock set like set-time. Different:
 * datagrams come from the fuzz input instead of the link (shim_net_*), and
 * the measurement brackets do nothing. */
#include <stdint.h>
#include <string.h>
#include "certcost/net.h"
#include "certcost/ops.h"
#include "shim.h"

/* ---- measurement brackets: nothing to count on the host ---- */
void cc_measure_begin(void) {}
void cc_measure_end(void) {}
void cc_measure_pause(void) {}
void cc_measure_resume(void) {}

/* ---- deterministic RNG: the device's own (measure_rng_seed, cc_rng_fill, cc_rng_cb) ---- */
#include "../../firmware/core/rng-xoshiro128.h"

/* ---- clocks ---- */
static uint32_t virtual_ms;
static int64_t unix_time;
static uint8_t conn_no;
uint32_t cc_net_time_ms(void) { return virtual_ms; }
int64_t cc_time_unix(void) { return unix_time; }
void shim_set_time(int64_t t) { unix_time = t; }
void cc_net_set_conn(uint8_t conn) { conn_no = conn; }

/* ---- datagrams: the server's answers, in order, from the fuzz input ---- */
static const uint8_t *const *dgrams;
static const size_t *dlens;
static size_t ndgrams, next_dgram;
void shim_net_reset(const uint8_t *const *d, const size_t *lens, size_t n) {
  dgrams = d;
  dlens = lens;
  ndgrams = n;
  next_dgram = 0;
  virtual_ms = 0;
  conn_no = 0;
}

/* What the client sends goes nowhere: the answers are already recorded (as
 * the device fuzzer's ReplayPeer does). The link's frame limit still holds. */
int cc_net_send(const uint8_t *buf, size_t n) {
  (void)buf;
  if (n > SHIM_LINK_MAX) return CC_ERR_ARGS;
  return (int)n;
}

int cc_net_recv(uint8_t *buf, size_t cap, uint32_t timeout_ms) {
  if (next_dgram >= ndgrams) { /* nothing more: a timeout, as the link reports it */
    virtual_ms += timeout_ms;
    return 0;
  }
  size_t n = dlens[next_dgram];
  size_t k = n < cap ? n : cap;
  memcpy(buf, dgrams[next_dgram], k);
  next_dgram++;
  return (int)k;
}

/* ---- the blob (CRL upload): not used by the fuzz targets ---- */
const uint8_t *cc_blob(size_t *n) {
  *n = 0;
  return 0;
}
