/* The one C interface every library adapter fills: a table of named
 * operations. The core (firmware/core) owns the link, the measurement
 * markers and the footprint probes; an adapter only turns inputs into
 * outputs with its library and brackets the part worth counting. */
#ifndef CERTCOST_OPS_H
#define CERTCOST_OPS_H
#include <stddef.h>
#include <stdint.h>

typedef struct { const uint8_t *p; size_t n; } cc_in_t;
typedef struct { uint8_t *p; size_t cap; size_t n; } cc_out_t;

/* Status codes an op returns. Anything else is a library error code,
 * reported as-is. CC_VERDICT_* are for ops whose result is a yes/no
 * (verify): they are answers, not errors. */
enum {
  CC_OK = 0,
  CC_VERDICT_REJECT = 1,
  CC_ERR_ARGS = -1000,   /* wrong number or size of inputs */
  CC_ERR_OUTPUT = -1001, /* output does not fit */
  CC_ERR_NOMEM = -1002,  /* allocation failed: the library does not fit */
  CC_ERR_UNSUPPORTED = -1003,
};

/* Byte sizes of the primitive ops' inputs and outputs (docs/ops.md):
 * P-256 scalars, hashes and coordinates are 32 bytes, points SEC1
 * uncompressed (04 || X || Y), signatures r || s (2 * P256_LEN). The core
 * checks the ops' shapes with these (certcost/shapes.h); adapters use them
 * to unpack and pack. */
#define P256_LEN 32
#define P256_POINT_LEN (1 + 2 * P256_LEN)
#define SHA256_LEN 32
#define RSA2048_LEN 256

/* in[0..nin) are the inputs sent by the harness; out[0..*nout) receives the
 * outputs (each out[i].p/.cap preset by the core, the op sets .n). */
typedef int (*cc_op_fn)(const cc_in_t *in, size_t nin, cc_out_t *out, size_t *nout);

struct cc_op {
  const char *name; /* op id as used by the harness, e.g. "ecdsa-verify" */
  cc_op_fn run;
};

/* Filled by each adapter (firmware/adapters/<lib>/). Terminated by {0}. */
extern const struct cc_op cc_lib_ops[];
extern const char cc_lib_name[];
/* Called once at boot, before the first op; may be empty. */
int cc_lib_init(void);

/* Measurement brackets: call exactly once each per op, around the work
 * that should be counted (not around argument unpacking). Around waits for
 * the link inside an op (DTLS), use cc_measure_pause/resume. */
void cc_measure_begin(void);
void cc_measure_end(void);
void cc_measure_pause(void);
void cc_measure_resume(void);

/* Refuse an op before its work starts (bad inputs and the like), still
 * with one empty bracket, so every path of an op is balanced. */
static inline int cc_refuse(int status) {
  cc_measure_begin();
  cc_measure_end();
  return status;
}

/* Deterministic byte stream seeded by the harness (op "seed-rng").
 * Not entropy: benchmarks must repeat. */
void cc_rng_fill(uint8_t *buf, size_t n);
int cc_rng_cb(void *ctx, unsigned char *buf, size_t n); /* mbedTLS-style f_rng */

#define CC_NOUT_MAX 4
#endif
