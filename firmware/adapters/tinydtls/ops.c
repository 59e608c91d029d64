/* tinydtls adapter: docs/ops.md's ECDSA, ECDH and SHA-256 ops on
 * tinydtls' own primitives (ecc/ecc.h, sha2/sha2.h), used the way
 * tinydtls' crypto.c uses them. No RSA in tinydtls.
 *
 * Byte order: the ECC functions take little-endian uint32_t words;
 * inputs are converted before cc_measure_begin() and outputs after
 * cc_measure_end(), so only the library's arithmetic is counted.
 * tinydtls has no public-key validation: ecc_ecdh and ecc_ecdsa_validate
 * take any (x, y), so nothing here checks the point beyond its 0x04
 * prefix, and the counts contain no point check (unlike other adapters).
 * The core has already checked the inputs' count and sizes and the
 * outputs' room (certcost/shapes.h). Every op calls cc_measure_begin/end
 * exactly once. Randomness (private keys, the ECDSA nonce) comes from the
 * harness-seeded deterministic cc_rng_fill: repeatable, not entropy. */
#include <string.h>
#include "certcost/ops.h"
#include "ecc.h"
#include "sha2.h"
#include "words.h"

const char cc_lib_name[] = "tinydtls";
int cc_lib_init(void) { return 0; }

enum { TINYDTLS_ERR_BAD_POINT = -2 }; /* public key not 04 || X || Y */

/* ecdsa-verify: pub(65), hash(32), sig(64) -> status. Counted:
 * ecc_ecdsa_validate (two affine scalar multiplications). It rejects
 * r = 0 or s = 0 but does not range-check r, s against n. */
static int op_ecdsa_verify(const cc_in_t *in, size_t nin, cc_out_t *out, size_t *nout) {
  (void)out;
  *nout = 0;
  if (in[0].p[0] != 0x04) return cc_refuse(TINYDTLS_ERR_BAD_POINT);
  uint32_t x[8], y[8], e[8], r[8], s[8];
  be_to_words(x, in[0].p + 1);
  be_to_words(y, in[0].p + 1 + P256_LEN);
  be_to_words(e, in[1].p);
  be_to_words(r, in[2].p);
  be_to_words(s, in[2].p + P256_LEN);

  cc_measure_begin();
  int ret = ecc_ecdsa_validate(x, y, e, r, s);
  cc_measure_end();
  return ret == 0 ? CC_OK : CC_VERDICT_REJECT;
}

/* Draws private keys until ecc_is_valid_key accepts one, as tinydtls'
 * dtls_ecdsa_generate_key does. */
static void random_key(uint32_t d[8]) {
  do cc_rng_fill((uint8_t *)d, P256_LEN);
  while (!ecc_is_valid_key(d));
}

/* ecdsa-keygen: -> pub(65), priv(32). Counted: drawing the key and
 * ecc_gen_pub_key. */
static int op_ecdsa_keygen(const cc_in_t *in, size_t nin, cc_out_t *out, size_t *nout) {
  *nout = 0;
  uint32_t d[8], x[8], y[8];

  cc_measure_begin();
  random_key(d);
  ecc_gen_pub_key(d, x, y);
  cc_measure_end();

  out[0].p[0] = 0x04;
  words_to_be(out[0].p + 1, x);
  words_to_be(out[0].p + 1 + P256_LEN, y);
  words_to_be(out[1].p, d);
  out[0].n = P256_POINT_LEN;
  out[1].n = P256_LEN;
  *nout = 2;
  return CC_OK;
}

/* ecdsa-sign: priv(32), hash(32) -> sig(64) = r || s. Counted: nonce
 * draws and ecc_ecdsa_sign, retried with a fresh nonce while it fails,
 * as tinydtls' dtls_ecdsa_create_sig_hash does. */
static int op_ecdsa_sign(const cc_in_t *in, size_t nin, cc_out_t *out, size_t *nout) {
  *nout = 0;
  uint32_t d[8], e[8], k[8], r[9], s[9]; /* ecc_ecdsa_sign writes 9 words */
  be_to_words(d, in[0].p);
  be_to_words(e, in[1].p);

  cc_measure_begin();
  do cc_rng_fill((uint8_t *)k, sizeof k);
  while (ecc_ecdsa_sign(d, e, k, r, s) != 0);
  cc_measure_end();

  words_to_be(out[0].p, r);
  words_to_be(out[0].p + P256_LEN, s);
  out[0].n = 2 * P256_LEN;
  *nout = 1;
  return CC_OK;
}

/* ecdh: priv(32), peer pub(65) -> shared X(32). Counted: ecc_ecdh (the
 * scalar multiplication; tinydtls has no peer point check). */
static int op_ecdh(const cc_in_t *in, size_t nin, cc_out_t *out, size_t *nout) {
  *nout = 0;
  if (in[1].p[0] != 0x04) return cc_refuse(TINYDTLS_ERR_BAD_POINT);
  uint32_t d[8], px[8], py[8], zx[8], zy[8];
  be_to_words(d, in[0].p);
  be_to_words(px, in[1].p + 1);
  be_to_words(py, in[1].p + 1 + P256_LEN);

  cc_measure_begin();
  ecc_ecdh(px, py, d, zx, zy);
  cc_measure_end();

  words_to_be(out[0].p, zx);
  out[0].n = P256_LEN;
  *nout = 1;
  return CC_OK;
}

/* sha256-64 / sha256-1k: msg -> digest(32). Counted: init, update, final. */
static int sha256_op(const cc_in_t *in, size_t nin, cc_out_t *out, size_t *nout, size_t len) {
  *nout = 0;
  dtls_sha256_ctx ctx;

  cc_measure_begin();
  dtls_sha256_init(&ctx);
  dtls_sha256_update(&ctx, in[0].p, len);
  dtls_sha256_final(out[0].p, &ctx);
  cc_measure_end();

  out[0].n = DTLS_SHA256_DIGEST_LENGTH;
  *nout = 1;
  return CC_OK;
}
static int op_sha256_64(const cc_in_t *in, size_t nin, cc_out_t *out, size_t *nout) {
  return sha256_op(in, nin, out, nout, 64);
}
static int op_sha256_1k(const cc_in_t *in, size_t nin, cc_out_t *out, size_t *nout) {
  return sha256_op(in, nin, out, nout, 1024);
}

#if defined(CERTCOST_DTLS)
/* dtls.c, built with -DCERTCOST_DTLS only */
int cc_tinydtls_dtls_client(const cc_in_t *in, size_t nin, cc_out_t *out, size_t *nout);
#endif

const struct cc_op cc_lib_ops[] = {
    {"ecdsa-verify", op_ecdsa_verify},
    {"ecdsa-keygen", op_ecdsa_keygen},
    {"ecdsa-sign", op_ecdsa_sign},
    {"ecdh", op_ecdh},
    {"sha256-64", op_sha256_64},
    {"sha256-1k", op_sha256_1k},
#if defined(CERTCOST_DTLS)
    {"dtls-client", cc_tinydtls_dtls_client},
#endif
    {0, 0},
};
