/* The fixed input/output shapes of the primitive ops (docs/ops.md), checked
 * by the core before an adapter's op runs: certcost/shapes.h. */
#include <string.h>
#include "certcost/shapes.h"

const struct cc_shape cc_shapes[] = {
    /* pub, hash, sig -> status */
    {"ecdsa-verify", 3, 0, {P256_POINT_LEN, P256_LEN, 2 * P256_LEN}, {0}},
    /* -> pub, priv */
    {"ecdsa-keygen", 0, 2, {0}, {P256_POINT_LEN, P256_LEN}},
    /* priv, hash -> sig */
    {"ecdsa-sign", 2, 1, {P256_LEN, P256_LEN}, {2 * P256_LEN}},
    /* priv, peer pub -> shared X */
    {"ecdh", 2, 1, {P256_LEN, P256_POINT_LEN}, {P256_LEN}},
    /* msg -> digest */
    {"sha256-64", 1, 1, {64}, {SHA256_LEN}},
    {"sha256-1k", 1, 1, {1024}, {SHA256_LEN}},
    /* n, hash, sig -> status */
    {"rsa2048-verify", 3, 0, {RSA2048_LEN, SHA256_LEN, RSA2048_LEN}, {0}},
    /* n, p, q, d, hash -> sig */
    {"rsa2048-sign", 5, 1, {RSA2048_LEN, RSA2048_LEN / 2, RSA2048_LEN / 2, RSA2048_LEN, SHA256_LEN}, {RSA2048_LEN}},
    {0, 0, 0, {0}, {0}},
};

const struct cc_shape *cc_shape_find(const char *name, size_t n) {
  for (const struct cc_shape *s = cc_shapes; s->op; s++)
    if (strlen(s->op) == n && memcmp(s->op, name, n) == 0) return s;
  return 0;
}

int cc_shape_check(const struct cc_shape *s, const cc_in_t *in, size_t nin, const cc_out_t *out) {
  if (nin != s->nin) return CC_ERR_ARGS;
  for (size_t i = 0; i < nin; i++)
    if (s->in[i] != CC_LEN_ANY && in[i].n != s->in[i]) return CC_ERR_ARGS;
  for (size_t i = 0; i < s->nout; i++)
    if (out[i].cap < s->out[i]) return CC_ERR_OUTPUT;
  return CC_OK;
}
