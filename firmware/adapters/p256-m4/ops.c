/* P256-Cortex-M4 adapter: docs/ops.md's ECDSA and ECDH ops on the
 * library's p256_* API. It has no hash or RSA.
 *
 * The library takes 256-bit numbers as little-endian uint32_t words;
 * p256_convert_endianness (its own helper) converts before
 * cc_measure_begin() and after cc_measure_end(). Points arriving as SEC1
 * bytes are decoded and validated inside the bracket by
 * p256_octet_string_to_point, the library's decoder. The core has already
 * checked the inputs' count and sizes and the outputs' room
 * (certcost/shapes.h). Every op calls
 * cc_measure_begin/end exactly once. Randomness (private keys, the ECDSA
 * nonce) comes from the harness-seeded deterministic cc_rng_fill:
 * repeatable, not entropy. */
#include <string.h>
#include "certcost/ops.h"
#include "p256-cortex-m4.h"

const char cc_lib_name[] = "p256-m4";
int cc_lib_init(void) { return 0; }

enum { P256M4_ERR_BAD_POINT = -2 }; /* not an uncompressed point on P-256 */

/* ecdsa-verify: pub(65), hash(32), sig(64) -> status. Counted: point
 * decoding with its on-curve check, then p256_verify (which checks the
 * point again and r, s in [1, n-1]). A bad point is an error, not a
 * verdict. */
static int op_ecdsa_verify(const cc_in_t *in, size_t nin, cc_out_t *out, size_t *nout) {
  (void)out;
  *nout = 0;
  if (in[0].p[0] != 0x04) return cc_refuse(P256M4_ERR_BAD_POINT);
  uint32_t x[8], y[8], r[8], s[8];
  p256_convert_endianness(r, in[2].p, P256_LEN);
  p256_convert_endianness(s, in[2].p + P256_LEN, P256_LEN);

  cc_measure_begin();
  int ret = P256M4_ERR_BAD_POINT;
  if (p256_octet_string_to_point(x, y, in[0].p, P256_POINT_LEN))
    ret = p256_verify(x, y, in[1].p, P256_LEN, r, s) ? CC_OK : CC_VERDICT_REJECT;
  cc_measure_end();
  return ret;
}

/* ecdsa-keygen: -> pub(65), priv(32). Counted: drawing private keys until
 * p256_keygen accepts one (the loop its README gives). */
static int op_ecdsa_keygen(const cc_in_t *in, size_t nin, cc_out_t *out, size_t *nout) {
  *nout = 0;
  uint32_t d[8], x[8], y[8];

  cc_measure_begin();
  do cc_rng_fill((uint8_t *)d, sizeof d);
  while (!p256_keygen(x, y, d));
  cc_measure_end();

  p256_point_to_octet_string_uncompressed(out[0].p, x, y);
  p256_convert_endianness(out[1].p, d, P256_LEN);
  out[0].n = P256_POINT_LEN;
  out[1].n = P256_LEN;
  *nout = 2;
  return CC_OK;
}

/* ecdsa-sign: priv(32), hash(32) -> sig(64) = r || s. Counted: nonce
 * draws and p256_sign, retried with a fresh nonce while it fails. */
static int op_ecdsa_sign(const cc_in_t *in, size_t nin, cc_out_t *out, size_t *nout) {
  *nout = 0;
  uint32_t d[8], k[8], r[8], s[8];
  p256_convert_endianness(d, in[0].p, P256_LEN);

  cc_measure_begin();
  do cc_rng_fill((uint8_t *)k, sizeof k);
  while (!p256_sign(r, s, in[1].p, P256_LEN, d, k));
  cc_measure_end();

  p256_convert_endianness(out[0].p, r, P256_LEN);
  p256_convert_endianness(out[0].p + P256_LEN, s, P256_LEN);
  out[0].n = 2 * P256_LEN;
  *nout = 1;
  return CC_OK;
}

/* ecdh: priv(32), peer pub(65) -> shared X(32). Counted: decoding the peer
 * point and p256_ecdh_calc_shared_secret, which validates it (so the
 * point is checked twice, as it would be by a caller starting from SEC1
 * bytes) and multiplies. */
static int op_ecdh(const cc_in_t *in, size_t nin, cc_out_t *out, size_t *nout) {
  *nout = 0;
  if (in[1].p[0] != 0x04) return cc_refuse(P256M4_ERR_BAD_POINT);
  uint32_t d[8], x[8], y[8];
  p256_convert_endianness(d, in[0].p, P256_LEN);

  cc_measure_begin();
  int ret = P256M4_ERR_BAD_POINT;
  if (p256_octet_string_to_point(x, y, in[1].p, P256_POINT_LEN) &&
      p256_ecdh_calc_shared_secret(out[0].p, d, x, y))
    ret = CC_OK;
  cc_measure_end();

  if (ret == CC_OK) {
    out[0].n = P256_LEN;
    *nout = 1;
  }
  return ret;
}

const struct cc_op cc_lib_ops[] = {
    {"ecdsa-verify", op_ecdsa_verify},
    {"ecdsa-keygen", op_ecdsa_keygen},
    {"ecdsa-sign", op_ecdsa_sign},
    {"ecdh", op_ecdh},
    {0, 0},
};
