/* mbedTLS 2.28.3 adapter: the ops of docs/ops.md on mbedTLS's low-level
 * APIs (ecp/ecdsa/ecdh/sha256/rsa), no pk/x509 layer.
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

const char cc_lib_name[] = "mbedtls";

/* The core warms the heap at boot (measure_heap_warm), so nothing to do. */
int cc_lib_init(void) { return 0; }

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

/* sha256-64 / sha256-1k: msg -> digest(32). Counted: the one-shot hash. */
static int sha256_op(const cc_in_t *in, size_t nin, cc_out_t *out, size_t *nout, size_t len) {
  *nout = 0;
  cc_measure_begin();
  int ret = mbedtls_sha256_ret(in[0].p, len, out[0].p, 0);
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
  mbedtls_rsa_init(&rsa, MBEDTLS_RSA_PKCS_V15, 0);
  int ret = mbedtls_rsa_import_raw(&rsa, in[0].p, RSA2048_LEN, NULL, 0, NULL, 0, NULL, 0, rsa_e,
                                   sizeof rsa_e);
  if (ret == 0) ret = mbedtls_rsa_complete(&rsa);
  if (ret == 0 && mbedtls_rsa_get_len(&rsa) != RSA2048_LEN) ret = MBEDTLS_ERR_RSA_BAD_INPUT_DATA;

  cc_measure_begin();
  if (ret == 0)
    ret = mbedtls_rsa_pkcs1_verify(&rsa, NULL, NULL, MBEDTLS_RSA_PUBLIC, MBEDTLS_MD_SHA256, SHA256_LEN,
                                   in[1].p, in[2].p);
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
  mbedtls_rsa_init(&rsa, MBEDTLS_RSA_PKCS_V15, 0);
  int ret = mbedtls_rsa_import_raw(&rsa, in[0].p, RSA2048_LEN, in[1].p, RSA2048_LEN / 2, in[2].p,
                                   RSA2048_LEN / 2, in[3].p, RSA2048_LEN, rsa_e, sizeof rsa_e);
  if (ret == 0) ret = mbedtls_rsa_complete(&rsa);
  if (ret == 0 && mbedtls_rsa_get_len(&rsa) != RSA2048_LEN) ret = MBEDTLS_ERR_RSA_BAD_INPUT_DATA;

  cc_measure_begin();
  if (ret == 0)
    ret = mbedtls_rsa_pkcs1_sign(&rsa, cc_rng_cb, NULL, MBEDTLS_RSA_PRIVATE, MBEDTLS_MD_SHA256, SHA256_LEN,
                                 in[4].p, out[0].p);
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

const struct cc_op cc_lib_ops[] = {
    {"ecdsa-verify", op_ecdsa_verify},
    {"ecdsa-keygen", op_ecdsa_keygen},
    {"ecdsa-sign", op_ecdsa_sign},
    {"ecdh", op_ecdh},
    {"sha256-64", op_sha256_64},
    {"sha256-1k", op_sha256_1k},
    {"rsa2048-verify", op_rsa_verify},
    {"rsa2048-sign", op_rsa_sign},
#if defined(CERTCOST_DTLS)
    {"dtls-client", cc_mbedtls_dtls_client},
#endif
#if defined(CERTCOST_X509)
    {"x509-parse", cc_mbedtls_x509_parse},
    {"x509-verify-chain", cc_mbedtls_x509_verify_chain},
    {"ocsp-check", cc_mbedtls_ocsp_check},
#endif
    {0, 0},
};
