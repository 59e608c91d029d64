/* mbedTLS adapter (2.28.3 and 3.6.6): the ops of docs/ops.md on mbedTLS's
 * low-level APIs (ecp/ecdsa/ecdh/sha256/rsa), no pk/x509 layer. Where 3.x
 * changed an API the code tests MBEDTLS_VERSION_NUMBER. Built as
 * mbedtls-p256m (CERTCOST_MBEDTLS_P256M, 3.x only), the ECC ops go through
 * the PSA API instead, which dispatches P-256 to the p256-m driver: there
 * is no built-in ECC in that image (certcost_mbedtls3_config.h).
 *
 * Conventions for every op:
 *  - the core has already checked the inputs' count and sizes and the
 *    outputs' room against the op's shape (certcost/shapes.h);
 *  - setup that is not the measured work (loading the curve, importing an
 *    RSA key and deriving its CRT values, reading a private scalar) runs
 *    before cc_measure_begin(); packing outputs runs after cc_measure_end();
 *  - begin/end are called exactly once on every path, failures included
 *    (an empty bracket when the op fails before its counted part);
 *  - library errors are returned as-is, except allocation failures, which
 *    become CC_ERR_NOMEM, and "signature invalid", which is the verdict
 *    CC_VERDICT_REJECT for the verify ops.
 * Randomness (ECDSA nonce, key generation, ECDH and RSA blinding) is the
 * harness-seeded deterministic cc_rng_cb: repeatable, not entropy. */
#include <stdlib.h>
#include <string.h>
#include "certcost/ops.h"
#include "mbedtls/asn1.h"
#include "mbedtls/bignum.h"
#include "mbedtls/ecdh.h"
#include "mbedtls/ecdsa.h"
#include "mbedtls/ecp.h"
#include "mbedtls/md.h"
#include "mbedtls/rsa.h"
#include "mbedtls/sha256.h"
#include "mbedtls/version.h"
#if defined(CERTCOST_MBEDTLS_P256M)
#include "psa/crypto.h"
#endif

#if MBEDTLS_VERSION_NUMBER >= 0x03000000
#define MBEDTLS3 1
#else
#define MBEDTLS3 0
#endif

#if defined(CERTCOST_MBEDTLS_P256M)
const char cc_lib_name[] = "mbedtls-p256m";

/* PSA needs initialising once (key slots, its RNG); at boot, uncounted. */
int cc_lib_init(void) { return psa_crypto_init() == PSA_SUCCESS ? 0 : -1; }

/* MBEDTLS_PSA_CRYPTO_EXTERNAL_RNG: every random byte PSA and p256-m use
 * (ECDSA nonces, keys, ECDHE in the TLS layer) is the harness-seeded
 * deterministic cc_rng_fill. Repeatable, not entropy. */
psa_status_t mbedtls_psa_external_get_random(mbedtls_psa_external_random_context_t *ctx, uint8_t *output,
                                             size_t output_size, size_t *output_length) {
  (void)ctx;
  cc_rng_fill(output, output_size);
  *output_length = output_size;
  return PSA_SUCCESS;
}
#else
const char cc_lib_name[] = "mbedtls";

/* The core warms the heap at boot (measure_heap_warm), so nothing to do. */
int cc_lib_init(void) { return 0; }
#endif

/* mbedTLS error codes are -(high-level + low-level): a module code may
 * carry a wrapped bignum/ASN.1 code in its low 7 bits. */
static int map_err(int ret) {
  if (ret >= 0) return ret;
  int e = -ret, low = e & 0x7F, high = e & 0xFF80;
  if (low == -MBEDTLS_ERR_MPI_ALLOC_FAILED || low == -MBEDTLS_ERR_ASN1_ALLOC_FAILED ||
      high == -MBEDTLS_ERR_ECP_ALLOC_FAILED || high == -MBEDTLS_ERR_MD_ALLOC_FAILED)
    return CC_ERR_NOMEM;
  return ret;
}

#if !defined(CERTCOST_MBEDTLS_P256M)
/* ecdsa-verify: pub(65), hash(32), sig(64) -> status.
 * Counted: decoding r, s and the point, checking the point is on the curve
 * (as mbedTLS's own key parsing does, so a bad point fails at once rather
 * than half-way through the verification), and the verification. An
 * off-curve point is the library error MBEDTLS_ERR_ECP_INVALID_KEY
 * (negative), not a verdict. r or s outside [1, n-1] make
 * mbedtls_ecdsa_verify fail with MBEDTLS_ERR_ECP_VERIFY_FAILED: REJECT. */
static int op_ecdsa_verify(const cc_in_t *in, size_t nin, cc_out_t *out, size_t *nout) {
  (void)out;
  *nout = 0;
  mbedtls_ecp_group grp;
  mbedtls_ecp_point Q;
  mbedtls_mpi r, s;
  mbedtls_ecp_group_init(&grp);
  mbedtls_ecp_point_init(&Q);
  mbedtls_mpi_init(&r);
  mbedtls_mpi_init(&s);
  int ret = mbedtls_ecp_group_load(&grp, MBEDTLS_ECP_DP_SECP256R1);

  cc_measure_begin();
  if (ret == 0) ret = mbedtls_mpi_read_binary(&r, in[2].p, P256_LEN);
  if (ret == 0) ret = mbedtls_mpi_read_binary(&s, in[2].p + P256_LEN, P256_LEN);
  if (ret == 0) ret = mbedtls_ecp_point_read_binary(&grp, &Q, in[0].p, P256_POINT_LEN);
  if (ret == 0) ret = mbedtls_ecp_check_pubkey(&grp, &Q);
  if (ret == 0) ret = mbedtls_ecdsa_verify(&grp, in[1].p, P256_LEN, &Q, &r, &s);
  cc_measure_end();

  mbedtls_mpi_free(&s);
  mbedtls_mpi_free(&r);
  mbedtls_ecp_point_free(&Q);
  mbedtls_ecp_group_free(&grp);
  if (ret == MBEDTLS_ERR_ECP_VERIFY_FAILED) return CC_VERDICT_REJECT;
  return map_err(ret);
}

/* ecdsa-keygen: -> pub(65), priv(32). Counted: key generation. */
static int op_ecdsa_keygen(const cc_in_t *in, size_t nin, cc_out_t *out, size_t *nout) {
  *nout = 0;
  mbedtls_ecp_group grp;
  mbedtls_ecp_point Q;
  mbedtls_mpi d;
  mbedtls_ecp_group_init(&grp);
  mbedtls_ecp_point_init(&Q);
  mbedtls_mpi_init(&d);
  int ret = mbedtls_ecp_group_load(&grp, MBEDTLS_ECP_DP_SECP256R1);

  cc_measure_begin();
  if (ret == 0) ret = mbedtls_ecp_gen_keypair(&grp, &d, &Q, cc_rng_cb, NULL);
  cc_measure_end();

  size_t olen = 0;
  if (ret == 0)
    ret = mbedtls_ecp_point_write_binary(&grp, &Q, MBEDTLS_ECP_PF_UNCOMPRESSED, &olen, out[0].p,
                                         out[0].cap);
  if (ret == 0) ret = mbedtls_mpi_write_binary(&d, out[1].p, P256_LEN);
  if (ret == 0) {
    out[0].n = olen;
    out[1].n = P256_LEN;
    *nout = 2;
  }
  mbedtls_mpi_free(&d);
  mbedtls_ecp_point_free(&Q);
  mbedtls_ecp_group_free(&grp);
  return map_err(ret);
}

/* ecdsa-sign: priv(32), hash(32) -> sig(64) = r || s. Counted: signing
 * (nonce from cc_rng_cb; mbedTLS also blinds with it). */
static int op_ecdsa_sign(const cc_in_t *in, size_t nin, cc_out_t *out, size_t *nout) {
  *nout = 0;
  mbedtls_ecp_group grp;
  mbedtls_mpi d, r, s;
  mbedtls_ecp_group_init(&grp);
  mbedtls_mpi_init(&d);
  mbedtls_mpi_init(&r);
  mbedtls_mpi_init(&s);
  int ret = mbedtls_ecp_group_load(&grp, MBEDTLS_ECP_DP_SECP256R1);
  if (ret == 0) ret = mbedtls_mpi_read_binary(&d, in[0].p, P256_LEN);

  cc_measure_begin();
  if (ret == 0) ret = mbedtls_ecdsa_sign(&grp, &r, &s, &d, in[1].p, P256_LEN, cc_rng_cb, NULL);
  cc_measure_end();

  if (ret == 0) ret = mbedtls_mpi_write_binary(&r, out[0].p, P256_LEN);
  if (ret == 0) ret = mbedtls_mpi_write_binary(&s, out[0].p + P256_LEN, P256_LEN);
  if (ret == 0) {
    out[0].n = 2 * P256_LEN;
    *nout = 1;
  }
  mbedtls_mpi_free(&s);
  mbedtls_mpi_free(&r);
  mbedtls_mpi_free(&d);
  mbedtls_ecp_group_free(&grp);
  return map_err(ret);
}

/* ecdh: priv(32), peer pub(65) -> shared X(32). Counted: decoding the
 * peer point and the shared-secret computation, which checks the point on
 * the curve (and the scalar in range) before multiplying. */
static int op_ecdh(const cc_in_t *in, size_t nin, cc_out_t *out, size_t *nout) {
  *nout = 0;
  mbedtls_ecp_group grp;
  mbedtls_ecp_point Q;
  mbedtls_mpi d, z;
  mbedtls_ecp_group_init(&grp);
  mbedtls_ecp_point_init(&Q);
  mbedtls_mpi_init(&d);
  mbedtls_mpi_init(&z);
  int ret = mbedtls_ecp_group_load(&grp, MBEDTLS_ECP_DP_SECP256R1);
  if (ret == 0) ret = mbedtls_mpi_read_binary(&d, in[0].p, P256_LEN);

  cc_measure_begin();
  if (ret == 0) ret = mbedtls_ecp_point_read_binary(&grp, &Q, in[1].p, P256_POINT_LEN);
  if (ret == 0) ret = mbedtls_ecdh_compute_shared(&grp, &z, &Q, &d, cc_rng_cb, NULL);
  cc_measure_end();

  if (ret == 0) ret = mbedtls_mpi_write_binary(&z, out[0].p, P256_LEN);
  if (ret == 0) {
    out[0].n = P256_LEN;
    *nout = 1;
  }
  mbedtls_mpi_free(&z);
  mbedtls_mpi_free(&d);
  mbedtls_ecp_point_free(&Q);
  mbedtls_ecp_group_free(&grp);
  return map_err(ret);
}
#else /* CERTCOST_MBEDTLS_P256M: the ECC ops through PSA, P-256 by the p256-m driver */
/* The same counted parts as the built-in ops above, in PSA terms: a public
 * key is imported (decoded and checked on the curve) inside the count, a
 * private key outside it, as the built-in ops read their scalar outside.
 * PSA keys are volatile and destroyed after each op. */
#define ECDSA_ALG PSA_ALG_ECDSA(PSA_ALG_SHA_256)

static int map_psa(psa_status_t st) {
  if (st == PSA_SUCCESS) return 0;
  if (st == PSA_ERROR_INSUFFICIENT_MEMORY) return CC_ERR_NOMEM;
  return (int)st; /* negative PSA status, e.g. -135 invalid argument (a point off the curve) */
}

static void p256_attributes(psa_key_attributes_t *a, int pair, psa_key_usage_t usage, psa_algorithm_t alg) {
  *a = psa_key_attributes_init();
  psa_set_key_type(a, pair ? PSA_KEY_TYPE_ECC_KEY_PAIR(PSA_ECC_FAMILY_SECP_R1)
                           : PSA_KEY_TYPE_ECC_PUBLIC_KEY(PSA_ECC_FAMILY_SECP_R1));
  psa_set_key_bits(a, 256);
  psa_set_key_usage_flags(a, usage);
  psa_set_key_algorithm(a, alg);
}

/* ecdsa-verify: pub(65), hash(32), sig(64) -> status. Counted: importing
 * the public key (p256-m checks the point) and psa_verify_hash. A point
 * off the curve is the import's error (not a verdict); a signature that
 * does not verify, r or s out of range included, is REJECT. */
static int op_ecdsa_verify(const cc_in_t *in, size_t nin, cc_out_t *out, size_t *nout) {
  (void)out;
  *nout = 0;
  psa_key_attributes_t a;
  p256_attributes(&a, 0, PSA_KEY_USAGE_VERIFY_HASH, ECDSA_ALG);
  psa_key_id_t key = 0;

  cc_measure_begin();
  psa_status_t st = psa_import_key(&a, in[0].p, P256_POINT_LEN, &key);
  if (st == PSA_SUCCESS) st = psa_verify_hash(key, ECDSA_ALG, in[1].p, P256_LEN, in[2].p, 2 * P256_LEN);
  cc_measure_end();

  psa_destroy_key(key);
  if (st == PSA_ERROR_INVALID_SIGNATURE) return CC_VERDICT_REJECT;
  return map_psa(st);
}

/* ecdsa-keygen: -> pub(65), priv(32). Counted: psa_generate_key (p256-m
 * draws the scalar and computes the public point; PSA keeps the scalar
 * only, so exporting the public key computes it again, uncounted). */
static int op_ecdsa_keygen(const cc_in_t *in, size_t nin, cc_out_t *out, size_t *nout) {
  *nout = 0;
  psa_key_attributes_t a;
  p256_attributes(&a, 1, PSA_KEY_USAGE_EXPORT, ECDSA_ALG);
  psa_key_id_t key = 0;

  cc_measure_begin();
  psa_status_t st = psa_generate_key(&a, &key);
  cc_measure_end();

  size_t publen = 0, privlen = 0;
  if (st == PSA_SUCCESS) st = psa_export_public_key(key, out[0].p, out[0].cap, &publen);
  if (st == PSA_SUCCESS) st = psa_export_key(key, out[1].p, out[1].cap, &privlen);
  psa_destroy_key(key);
  if (st == PSA_SUCCESS && (publen != P256_POINT_LEN || privlen != P256_LEN)) st = PSA_ERROR_GENERIC_ERROR;
  if (st == PSA_SUCCESS) {
    out[0].n = publen;
    out[1].n = privlen;
    *nout = 2;
  }
  return map_psa(st);
}

/* ecdsa-sign: priv(32), hash(32) -> sig(64) = r || s (PSA's own signature
 * format). Counted: psa_sign_hash (randomized ECDSA, nonce from the RNG). */
static int op_ecdsa_sign(const cc_in_t *in, size_t nin, cc_out_t *out, size_t *nout) {
  *nout = 0;
  psa_key_attributes_t a;
  p256_attributes(&a, 1, PSA_KEY_USAGE_SIGN_HASH, ECDSA_ALG);
  psa_key_id_t key = 0;
  psa_status_t st = psa_import_key(&a, in[0].p, P256_LEN, &key);
  size_t len = 0;

  cc_measure_begin();
  if (st == PSA_SUCCESS) st = psa_sign_hash(key, ECDSA_ALG, in[1].p, P256_LEN, out[0].p, out[0].cap, &len);
  cc_measure_end();

  psa_destroy_key(key);
  if (st == PSA_SUCCESS && len != 2 * P256_LEN) st = PSA_ERROR_GENERIC_ERROR;
  if (st == PSA_SUCCESS) {
    out[0].n = len;
    *nout = 1;
  }
  return map_psa(st);
}

/* ecdh: priv(32), peer pub(65) -> shared X(32). Counted:
 * psa_raw_key_agreement, in which p256-m checks the peer point and
 * multiplies. An invalid peer point is its error, never a secret. */
static int op_ecdh(const cc_in_t *in, size_t nin, cc_out_t *out, size_t *nout) {
  *nout = 0;
  psa_key_attributes_t a;
  p256_attributes(&a, 1, PSA_KEY_USAGE_DERIVE, PSA_ALG_ECDH);
  psa_key_id_t key = 0;
  psa_status_t st = psa_import_key(&a, in[0].p, P256_LEN, &key);
  size_t len = 0;

  cc_measure_begin();
  if (st == PSA_SUCCESS)
    st = psa_raw_key_agreement(PSA_ALG_ECDH, key, in[1].p, P256_POINT_LEN, out[0].p, out[0].cap, &len);
  cc_measure_end();

  psa_destroy_key(key);
  if (st == PSA_SUCCESS && len != P256_LEN) st = PSA_ERROR_GENERIC_ERROR;
  if (st == PSA_SUCCESS) {
    out[0].n = len;
    *nout = 1;
  }
  return map_psa(st);
}
#endif

/* sha256-64 / sha256-1k: msg -> digest(32). Counted: the one-shot hash. */
static int sha256_op(const cc_in_t *in, size_t nin, cc_out_t *out, size_t *nout, size_t len) {
  *nout = 0;
  cc_measure_begin();
#if MBEDTLS3
  int ret = mbedtls_sha256(in[0].p, len, out[0].p, 0);
#else
  int ret = mbedtls_sha256_ret(in[0].p, len, out[0].p, 0);
#endif
  cc_measure_end();
  if (ret == 0) {
    out[0].n = SHA256_LEN;
    *nout = 1;
  }
  return map_err(ret);
}
static int op_sha256_64(const cc_in_t *in, size_t nin, cc_out_t *out, size_t *nout) {
  return sha256_op(in, nin, out, nout, 64);
}
static int op_sha256_1k(const cc_in_t *in, size_t nin, cc_out_t *out, size_t *nout) {
  return sha256_op(in, nin, out, nout, 1024);
}

static const unsigned char rsa_e[3] = {0x01, 0x00, 0x01}; /* 65537 */

/* rsa2048-verify: n(256), hash(32), sig(256) -> status. Counted: the
 * PKCS#1 v1.5 verification (public exponentiation including its
 * Montgomery setup, encoding and comparison). A signature that does not
 * match, and a signature value >= n, are REJECT. */
static int op_rsa_verify(const cc_in_t *in, size_t nin, cc_out_t *out, size_t *nout) {
  (void)out;
  *nout = 0;
  mbedtls_rsa_context rsa;
#if MBEDTLS3
  mbedtls_rsa_init(&rsa); /* PKCS#1 v1.5 is 3.x's default padding */
#else
  mbedtls_rsa_init(&rsa, MBEDTLS_RSA_PKCS_V15, 0);
#endif
  int ret = mbedtls_rsa_import_raw(&rsa, in[0].p, RSA2048_LEN, NULL, 0, NULL, 0, NULL, 0, rsa_e,
                                   sizeof rsa_e);
  if (ret == 0) ret = mbedtls_rsa_complete(&rsa);
  if (ret == 0 && mbedtls_rsa_get_len(&rsa) != RSA2048_LEN) ret = MBEDTLS_ERR_RSA_BAD_INPUT_DATA;

  cc_measure_begin();
#if MBEDTLS3
  if (ret == 0) ret = mbedtls_rsa_pkcs1_verify(&rsa, MBEDTLS_MD_SHA256, SHA256_LEN, in[1].p, in[2].p);
#else
  if (ret == 0)
    ret = mbedtls_rsa_pkcs1_verify(&rsa, NULL, NULL, MBEDTLS_RSA_PUBLIC, MBEDTLS_MD_SHA256, SHA256_LEN,
                                   in[1].p, in[2].p);
#endif
  cc_measure_end();

  mbedtls_rsa_free(&rsa);
  if (ret == MBEDTLS_ERR_RSA_VERIFY_FAILED || ret == MBEDTLS_ERR_RSA_INVALID_PADDING ||
      ret == MBEDTLS_ERR_RSA_PUBLIC_FAILED + MBEDTLS_ERR_MPI_BAD_INPUT_DATA)
    return CC_VERDICT_REJECT;
  return map_err(ret);
}

/* rsa2048-sign: n(256), p(128), q(128), d(256), hash(32) -> sig(256).
 * Setup (not counted): import the key, derive DP, DQ, QP (mbedtls_rsa_complete).
 * Counted: PKCS#1 v1.5 signing with CRT, including mbedTLS's base blinding
 * (cc_rng_cb) and its check of the result with the public key. */
static int op_rsa_sign(const cc_in_t *in, size_t nin, cc_out_t *out, size_t *nout) {
  *nout = 0;
  mbedtls_rsa_context rsa;
#if MBEDTLS3
  mbedtls_rsa_init(&rsa); /* PKCS#1 v1.5 is 3.x's default padding */
#else
  mbedtls_rsa_init(&rsa, MBEDTLS_RSA_PKCS_V15, 0);
#endif
  int ret = mbedtls_rsa_import_raw(&rsa, in[0].p, RSA2048_LEN, in[1].p, RSA2048_LEN / 2, in[2].p,
                                   RSA2048_LEN / 2, in[3].p, RSA2048_LEN, rsa_e, sizeof rsa_e);
  if (ret == 0) ret = mbedtls_rsa_complete(&rsa);
  if (ret == 0 && mbedtls_rsa_get_len(&rsa) != RSA2048_LEN) ret = MBEDTLS_ERR_RSA_BAD_INPUT_DATA;

  cc_measure_begin();
#if MBEDTLS3
  if (ret == 0) ret = mbedtls_rsa_pkcs1_sign(&rsa, cc_rng_cb, NULL, MBEDTLS_MD_SHA256, SHA256_LEN, in[4].p,
                                                out[0].p);
#else
  if (ret == 0)
    ret = mbedtls_rsa_pkcs1_sign(&rsa, cc_rng_cb, NULL, MBEDTLS_RSA_PRIVATE, MBEDTLS_MD_SHA256, SHA256_LEN,
                                 in[4].p, out[0].p);
#endif
  cc_measure_end();

  mbedtls_rsa_free(&rsa);
  if (ret == 0) {
    out[0].n = RSA2048_LEN;
    *nout = 1;
  }
  return map_err(ret);
}

#if defined(CERTCOST_DTLS)
/* dtls.c, built with -DCERTCOST_DTLS only */
int cc_mbedtls_dtls_client(const cc_in_t *in, size_t nin, cc_out_t *out, size_t *nout);
#endif

#if defined(CERTCOST_X509)
/* x509.c, built with -DCERTCOST_X509 only */
int cc_mbedtls_x509_parse(const cc_in_t *in, size_t nin, cc_out_t *out, size_t *nout);
int cc_mbedtls_x509_verify_chain(const cc_in_t *in, size_t nin, cc_out_t *out, size_t *nout);
int cc_mbedtls_ocsp_check(const cc_in_t *in, size_t nin, cc_out_t *out, size_t *nout);
#endif

/* An op the configuration leaves out (CC_OMIT_<OP>, set by the Makefile
 * from adapter.mk LIB_OP_NEEDS when a scenario brings its own library
 * configuration) is not in the table: the harness says which option it lacks. */
const struct cc_op cc_lib_ops[] = {
#if !defined(CC_OMIT_ECDSA_VERIFY)
    {"ecdsa-verify", op_ecdsa_verify},
#endif
#if !defined(CC_OMIT_ECDSA_KEYGEN)
    {"ecdsa-keygen", op_ecdsa_keygen},
#endif
#if !defined(CC_OMIT_ECDSA_SIGN)
    {"ecdsa-sign", op_ecdsa_sign},
#endif
#if !defined(CC_OMIT_ECDH)
    {"ecdh", op_ecdh},
#endif
#if !defined(CC_OMIT_SHA256_64)
    {"sha256-64", op_sha256_64},
#endif
#if !defined(CC_OMIT_SHA256_1K)
    {"sha256-1k", op_sha256_1k},
#endif
#if !defined(CC_OMIT_RSA2048_VERIFY)
    {"rsa2048-verify", op_rsa_verify},
#endif
#if !defined(CC_OMIT_RSA2048_SIGN)
    {"rsa2048-sign", op_rsa_sign},
#endif
#if defined(CERTCOST_DTLS)
#if !defined(CC_OMIT_DTLS_CLIENT)
    {"dtls-client", cc_mbedtls_dtls_client},
#endif
#endif
#if defined(CERTCOST_X509)
#if !defined(CC_OMIT_X509_PARSE)
    {"x509-parse", cc_mbedtls_x509_parse},
#endif
#if !defined(CC_OMIT_X509_VERIFY_CHAIN)
    {"x509-verify-chain", cc_mbedtls_x509_verify_chain},
#endif
#if !defined(CC_OMIT_OCSP_CHECK)
    {"ocsp-check", cc_mbedtls_ocsp_check},
#endif
#endif
    {0, 0},
};
