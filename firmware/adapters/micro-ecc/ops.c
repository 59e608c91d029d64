/* micro-ecc adapter: the ECDSA and ECDH ops of docs/ops.md on uECC's
 * P-256 API. micro-ecc has no hash or RSA, so those ops are not listed
 * and the harness reports them unsupported.
 *
 * micro-ecc speaks big-endian bytes like docs/ops.md; its public keys are
 * X || Y without the SEC1 0x04 prefix, which is checked and stripped
 * outside the measured bracket. The core has already checked the inputs'
 * count and sizes and the outputs' room (certcost/shapes.h). Every op
 * calls cc_measure_begin/end exactly once (an empty bracket when it fails
 * before its counted part).
 * Randomness (key generation, the ECDSA nonce, the blinding inside
 * uECC_shared_secret) comes from the harness-seeded deterministic
 * cc_rng_fill: repeatable, not entropy. */
#include <string.h>
#include "certcost/ops.h"
#include "uECC.h"

const char cc_lib_name[] = "micro-ecc";

/* uECC calls report failure as 0 with no reason; these are the adapter's
 * own codes for those failures. */
enum {
  UECC_ERR_FAILED = -1,     /* a uECC call returned 0 */
  UECC_ERR_BAD_POINT = -2,  /* not 04||X||Y, or not a point on P-256 */
};

static int rng(uint8_t *dest, unsigned size) {
  cc_rng_fill(dest, size);
  return 1;
}

int cc_lib_init(void) {
  uECC_set_rng(rng);
  return 0;
}

/* ecdsa-verify: pub(65), hash(32), sig(64) -> status. Counted: the point
 * check (uECC_verify itself does not check the key is on the curve) and
 * the verification. An invalid key is an error, not a verdict. */
static int op_ecdsa_verify(const cc_in_t *in, size_t nin, cc_out_t *out, size_t *nout) {
  (void)out;
  *nout = 0;
  if (in[0].p[0] != 0x04) return cc_refuse(UECC_ERR_BAD_POINT);
  const uint8_t *pub = in[0].p + 1;
  uECC_Curve curve = uECC_secp256r1();

  cc_measure_begin();
  int ret = UECC_ERR_BAD_POINT;
  if (uECC_valid_public_key(pub, curve))
    ret = uECC_verify(pub, in[1].p, P256_LEN, in[2].p, curve) ? CC_OK : CC_VERDICT_REJECT;
  cc_measure_end();
  return ret;
}

/* ecdsa-keygen: -> pub(65), priv(32). Counted: uECC_make_key. */
static int op_ecdsa_keygen(const cc_in_t *in, size_t nin, cc_out_t *out, size_t *nout) {
  *nout = 0;
  uECC_Curve curve = uECC_secp256r1();

  cc_measure_begin();
  int ok = uECC_make_key(out[0].p + 1, out[1].p, curve);
  cc_measure_end();

  if (!ok) return UECC_ERR_FAILED;
  out[0].p[0] = 0x04;
  out[0].n = P256_POINT_LEN;
  out[1].n = P256_LEN;
  *nout = 2;
  return CC_OK;
}

/* ecdsa-sign: priv(32), hash(32) -> sig(64) = r || s. Counted: uECC_sign
 * (random nonce from cc_rng_fill; the deterministic RFC 6979 variant
 * needs a hash micro-ecc does not have). */
static int op_ecdsa_sign(const cc_in_t *in, size_t nin, cc_out_t *out, size_t *nout) {
  *nout = 0;
  uECC_Curve curve = uECC_secp256r1();

  cc_measure_begin();
  int ok = uECC_sign(in[0].p, in[1].p, P256_LEN, out[0].p, curve);
  cc_measure_end();

  if (!ok) return UECC_ERR_FAILED;
  out[0].n = 2 * P256_LEN;
  *nout = 1;
  return CC_OK;
}

/* ecdh: priv(32), peer pub(65) -> shared X(32). Counted: the peer point
 * check (uECC_shared_secret does not do it) and the scalar multiplication. */
static int op_ecdh(const cc_in_t *in, size_t nin, cc_out_t *out, size_t *nout) {
  *nout = 0;
  if (in[1].p[0] != 0x04) return cc_refuse(UECC_ERR_BAD_POINT);
  const uint8_t *peer = in[1].p + 1;
  uECC_Curve curve = uECC_secp256r1();

  cc_measure_begin();
  int ret = UECC_ERR_BAD_POINT;
  if (uECC_valid_public_key(peer, curve))
    ret = uECC_shared_secret(peer, in[0].p, out[0].p, curve) ? CC_OK : UECC_ERR_FAILED;
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
