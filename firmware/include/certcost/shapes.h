/* Input shapes of the ops whose layout is fixed by the contract
 * (docs/ops.md): how many inputs, each one's length, and the least room
 * each output needs. The core (main.c) checks a request against this
 * table before it calls the adapter's op; on a mismatch the op is not
 * called and the answer is what the adapter would have said: CC_ERR_ARGS
 * (wrong number or length of inputs) or CC_ERR_OUTPUT (an output slot too
 * small), with one empty measurement bracket (cc_refuse). An adapter's op
 * listed here can therefore rely on its inputs' count and lengths and its
 * outputs' capacity; what only the library can judge (a point not on the
 * curve, a 0x04 prefix a library needs) stays in the adapter. Ops not
 * listed here (dtls-client, x509-*, ocsp-check, the core's own ops) check
 * their inputs themselves. */
#ifndef CERTCOST_SHAPES_H
#define CERTCOST_SHAPES_H
#include <stddef.h>
#include <stdint.h>
#include "certcost/ops.h"

#define CC_SHAPE_MAX_IN 5
#define CC_SHAPE_MAX_OUT 2
#define CC_LEN_ANY 0xFFFFu /* an input of any length */

struct cc_shape {
  const char *op;                   /* op id, as in struct cc_op */
  uint8_t nin;                      /* exactly this many inputs */
  uint8_t nout;                     /* outputs with a minimum capacity */
  uint16_t in[CC_SHAPE_MAX_IN];     /* each input's length, or CC_LEN_ANY */
  uint16_t out[CC_SHAPE_MAX_OUT];   /* each output's least capacity */
};

/* The table (core/shapes.c), terminated by {0}. */
extern const struct cc_shape cc_shapes[];

/* The shape of the op named name[0..n), or NULL if its shape is not fixed. */
const struct cc_shape *cc_shape_find(const char *name, size_t n);

/* CC_OK, CC_ERR_ARGS or CC_ERR_OUTPUT, checked in that order. */
int cc_shape_check(const struct cc_shape *s, const cc_in_t *in, size_t nin, const cc_out_t *out);
#endif
