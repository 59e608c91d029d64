/* p256-m adapter: docs/ops.md's ECDSA and ECDH ops on p256-m's own API
 * (p256-m.h), as the copy shipped in mbedTLS 3.6 (adapter.mk). Keys,
 * points and signatures are big-endian bytes there too, public keys X || Y
 * without the SEC1 04 prefix. The core has checked the inputs' count and
 * sizes and the outputs' room (certcost/shapes.h); every op brackets its
 * work with cc_measure_begin/end exactly once. Randomness (private keys, the ECDSA
 * nonce) comes from the harness-seeded deterministic cc_rng_fill:
 * repeatable, not entropy. */
#include <string.h>
#include "certcost/ops.h"
#include "p256-m.h"
#include "psa/crypto.h"

const char cc_lib_name[] = "p256-m";
int cc_lib_init(void) { return 0; }

/* p256_generate_random() in mbedTLS's copy of p256-m calls PSA's RNG; with
 * no PSA core in this image, the seeded stream stands in for it. */
psa_status_t psa_generate_random(uint8_t *output, size_t output_size) {
  cc_rng_fill(output, output_size);
  return PSA_SUCCESS;
}

/* A SEC1 uncompressed point is 04 || X || Y; p256-m takes X || Y. Anything
 * else is P256_INVALID_PUBKEY, as p256-m says for a point off the curve. */
static const uint8_t *xy(const cc_in_t *point) { return point->p[0] == 0x04 ? point->p + 1 : NULL; }

/* ecdsa-verify: pub(65), hash(32), sig(64) -> status. Counted: p256_ecdsa_verify,
 * which decodes and checks the point, checks r and s in [1, n-1] and
 * verifies. A bad point is the library's error (not a verdict); a signature
 * that does not verify is REJECT. */
static int op_ecdsa_verify(const cc_in_t *in, size_t nin, cc_out_t *out, size_t *nout) {
  (void)out;
  *nout = 0;
  cc_measure_begin();
  const uint8_t *pub = xy(&in[0]);
  int ret = pub ? p256_ecdsa_verify(in[2].p, pub, in[1].p, P256_LEN) : P256_INVALID_PUBKEY;
  cc_measure_end();
  return ret == P256_INVALID_SIGNATURE ? CC_VERDICT_REJECT : ret;
}

/* ecdsa-keygen: -> pub(65), priv(32). Counted: p256_gen_keypair (draws
 * scalars until one is in range, computes the public point). */
static int op_ecdsa_keygen(const cc_in_t *in, size_t nin, cc_out_t *out, size_t *nout) {
  *nout = 0;
  cc_measure_begin();
  int ret = p256_gen_keypair(out[1].p, out[0].p + 1);
  cc_measure_end();
  if (ret != P256_SUCCESS) return ret;
  out[0].p[0] = 0x04;
  out[0].n = P256_POINT_LEN;
  out[1].n = P256_LEN;
  *nout = 2;
  return CC_OK;
}

/* ecdsa-sign: priv(32), hash(32) -> sig(64) = r || s. Counted:
 * p256_ecdsa_sign (nonce draws from the RNG, retried internally). */
static int op_ecdsa_sign(const cc_in_t *in, size_t nin, cc_out_t *out, size_t *nout) {
  *nout = 0;
  cc_measure_begin();
  int ret = p256_ecdsa_sign(out[0].p, in[0].p, in[1].p, P256_LEN);
  cc_measure_end();
  if (ret != P256_SUCCESS) return ret;
  out[0].n = 2 * P256_LEN;
  *nout = 1;
  return CC_OK;
}

/* ecdh: priv(32), peer pub(65) -> shared X(32). Counted:
 * p256_ecdh_shared_secret, which checks the peer point and multiplies. An
 * invalid point is the library's error, never a secret. */
static int op_ecdh(const cc_in_t *in, size_t nin, cc_out_t *out, size_t *nout) {
  *nout = 0;
  cc_measure_begin();
  const uint8_t *peer = xy(&in[1]);
  int ret = peer ? p256_ecdh_shared_secret(out[0].p, in[0].p, peer) : P256_INVALID_PUBKEY;
  cc_measure_end();
  if (ret != P256_SUCCESS) return ret;
  out[0].n = P256_LEN;
  *nout = 1;
  return CC_OK;
}

const struct cc_op cc_lib_ops[] = {
    {"ecdsa-verify", op_ecdsa_verify},
    {"ecdsa-keygen", op_ecdsa_keygen},
    {"ecdsa-sign", op_ecdsa_sign},
    {"ecdh", op_ecdh},
    {0, 0},
};
