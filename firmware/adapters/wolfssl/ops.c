/* wolfSSL adapter (5.5.4, 5.7.2, 5.9.4): the ops of docs/ops.md on
 * wolfCrypt's ecc, rsa and sha256 APIs (SP math; see user_settings.h). The
 * same code builds against each version.
 *
 * Conventions for every op:
 *  - the core has already checked the inputs' count and sizes and the
 *    outputs' room against the op's shape (certcost/shapes.h);
 *  - setup that is not the measured work (initialising key structures,
 *    loading a private scalar, importing an RSA key and deriving its CRT
 *    values) runs before cc_measure_begin(); packing outputs runs after
 *    cc_measure_end();
 *  - begin/end are called exactly once on every path, failures included
 *    (an empty bracket when the op fails before its counted part);
 *  - memory: an mp_int is sized for RSA-2048 products here (524 B), so an
 *    ecc_key is 2.1 KiB and an RsaKey 4.1 KiB. The RsaKey and the peer
 *    point are on the heap (a board without room gets CC_ERR_NOMEM, not
 *    a stack overflow); the ecc_key is on the stack (see struct ecc_work);
 *  - library errors are returned as-is (negative wolfSSL codes), except
 *    MEMORY_E, which becomes CC_ERR_NOMEM, and "signature invalid", which
 *    is the verdict CC_VERDICT_REJECT for the verify ops.
 * Randomness (ECDSA nonce, key generation) is the harness-seeded
 * deterministic cc_rng_fill behind wolfSSL's RNG: repeatable, not entropy. */
#include <stdlib.h>
#include <string.h>
#include <wolfssl/wolfcrypt/settings.h>
#include <wolfssl/wolfcrypt/asn.h>
#include <wolfssl/wolfcrypt/ecc.h>
#include <wolfssl/wolfcrypt/error-crypt.h>
#include <wolfssl/wolfcrypt/random.h>
#include <wolfssl/wolfcrypt/rsa.h>
#include <wolfssl/wolfcrypt/sha256.h>
#include <wolfssl/wolfcrypt/wolfmath.h>
#include "certcost/ops.h"

const char cc_lib_name[] = "wolfssl";

/* The core warms the heap at boot (measure_heap_warm). */
int cc_lib_init(void) { return 0; }

/* MEMORY_E (wolfCrypt) and MP_MEM (its bignum layer) both mean "does not fit". */
static int map_err(int ret) { return ret == MEMORY_E || ret == MP_MEM ? CC_ERR_NOMEM : ret; }

/* One heap block for an op's big structures, zeroed. */
__attribute__((unused)) /* RSA ops only, which settings may leave out */
static void *alloc_zero(size_t n) {
  void *p = malloc(n);
  if (p) memset(p, 0, n);
  return p;
}

/* mp_ints here are sized for RSA-2048 (SP_INT_DIGITS digits, 524 B):
 * too big to spend on P-256 values when the micro:bit has ~6 KiB of heap.
 * An sp_int keeps its digits last so a shorter one is allowed
 * (mp_init_size); r and s get room for 256 bits plus a carry digit. */
#define P256_DIGITS (256 / SP_WORD_SIZE + 1)
#define MP_BYTES(digits) (sizeof(mp_int) - (SP_INT_DIGITS - (digits)) * sizeof(sp_int_digit))

static mp_int *p256_mp_new(void) {
  mp_int *a = malloc(MP_BYTES(P256_DIGITS));
  if (a && mp_init_size(a, P256_DIGITS) != MP_OKAY) {
    free(a);
    a = NULL;
  }
  return a;
}

static void p256_mp_free(mp_int *a) {
  if (!a) return;
  mp_forcezero(a);
  free(a);
}

/* An ECC key, and r and s for the ECDSA ops. The key (2.1 KiB: four
 * full-size mp_ints) is on the stack: SP's own P-256 temporaries need
 * ~5 KiB of heap at the peak of a scalar multiplication, and the
 * micro:bit's ~6.4 KiB of heap cannot hold both, while its 4 KiB stack
 * holds the key with room to spare (measured: see the report). */
struct ecc_work {
  ecc_key key;
  mp_int *r, *s;
};

static int ecc_work_new(struct ecc_work *w, int with_rs) {
  w->r = w->s = NULL;
  int ret = wc_ecc_init_ex(&w->key, NULL, INVALID_DEVID);
  if (ret == 0 && with_rs) {
    w->r = p256_mp_new();
    w->s = p256_mp_new();
    if (!w->r || !w->s) ret = CC_ERR_NOMEM;
  }
  return ret;
}

static void ecc_work_free(struct ecc_work *w) {
  p256_mp_free(w->r);
  p256_mp_free(w->s);
  wc_ecc_free(&w->key);
}

/* The P-256 private scalar, as a private-only key (no public point). */
static int ecc_load_private(ecc_key *key, const uint8_t *priv) {
  return wc_ecc_import_private_key_ex(priv, P256_LEN, NULL, 0, key, ECC_SECP256R1);
}

/* Public points (verify key, ECDH peer) are checked after decoding with
 * wc_ecc_point_is_on_curve: x, y in [0, p-1] and on the curve. P-256 has
 * cofactor 1, so that is the full validation (wc_ecc_check_key would also
 * multiply by the order). wolfSSL's SP verify and shared-secret code do
 * not check the point themselves. */

/* ecdsa-verify: pub(65), hash(32), sig(64) -> status.
 * Counted: reading r and s, decoding and checking the point, and the
 * verification. A point not on the curve (or with a coordinate >= p),
 * r or s outside [1, n-1], and a signature that does not verify are all
 * REJECT: no valid signature exists for them. */
static int op_ecdsa_verify(const cc_in_t *in, size_t nin, cc_out_t *out, size_t *nout) {
  (void)out;
  *nout = 0;
  struct ecc_work w;
  int ret = ecc_work_new(&w, 1);
  int valid = 0, point_ok = 0;

  cc_measure_begin();
  if (ret == 0) ret = mp_read_unsigned_bin(w.r, in[2].p, P256_LEN);
  if (ret == 0) ret = mp_read_unsigned_bin(w.s, in[2].p + P256_LEN, P256_LEN);
  if (ret == 0) ret = wc_ecc_import_x963_ex(in[0].p, P256_POINT_LEN, &w.key, ECC_SECP256R1);
  if (ret == 0) ret = wc_ecc_point_is_on_curve(&w.key.pubkey, w.key.idx);
  if (ret == 0) point_ok = 1;
  if (ret == 0) ret = wc_ecc_verify_hash_ex(w.r, w.s, in[1].p, P256_LEN, &valid, &w.key);
  cc_measure_end();

  ecc_work_free(&w);
  if (ret == 0) return valid == 1 ? CC_OK : CC_VERDICT_REJECT;
  if (!point_ok && (ret == MP_VAL || ret == ECC_OUT_OF_RANGE_E || ret == IS_POINT_E))
    return CC_VERDICT_REJECT; /* not a curve point */
  if (point_ok && (ret == MP_ZERO_E || ret == MP_VAL)) return CC_VERDICT_REJECT; /* r, s range */
  return map_err(ret);
}

/* ecdsa-keygen: -> pub(65), priv(32). Counted: key generation. */
static int op_ecdsa_keygen(const cc_in_t *in, size_t nin, cc_out_t *out, size_t *nout) {
  *nout = 0;
  struct ecc_work w;
  WC_RNG rng;
  int rng_ok = 0;
  int ret = ecc_work_new(&w, 0);
  if (ret == 0) ret = wc_InitRng(&rng);
  if (ret == 0) rng_ok = 1;

  cc_measure_begin();
  if (ret == 0) ret = wc_ecc_make_key_ex(&rng, P256_LEN, &w.key, ECC_SECP256R1);
  cc_measure_end();

  word32 publen = (word32)out[0].cap, privlen = (word32)out[1].cap;
  if (ret == 0) ret = wc_ecc_export_x963(&w.key, out[0].p, &publen);
  if (ret == 0) ret = wc_ecc_export_private_only(&w.key, out[1].p, &privlen);
  if (ret == 0 && (publen != P256_POINT_LEN || privlen != P256_LEN)) ret = BUFFER_E;
  if (ret == 0) {
    out[0].n = publen;
    out[1].n = privlen;
    *nout = 2;
  }
  if (rng_ok) wc_FreeRng(&rng);
  ecc_work_free(&w);
  return map_err(ret);
}

/* ecdsa-sign: priv(32), hash(32) -> sig(64) = r || s. Counted: signing
 * (the nonce comes from the deterministic RNG). */
static int op_ecdsa_sign(const cc_in_t *in, size_t nin, cc_out_t *out, size_t *nout) {
  *nout = 0;
  struct ecc_work w;
  WC_RNG rng;
  int rng_ok = 0;
  int ret = ecc_work_new(&w, 1);
  if (ret == 0) ret = wc_InitRng(&rng);
  if (ret == 0) rng_ok = 1;
  if (ret == 0) ret = ecc_load_private(&w.key, in[0].p);

  cc_measure_begin();
  if (ret == 0) ret = wc_ecc_sign_hash_ex(in[1].p, P256_LEN, &rng, &w.key, w.r, w.s);
  cc_measure_end();

  if (ret == 0) ret = mp_to_unsigned_bin_len(w.r, out[0].p, P256_LEN);
  if (ret == 0) ret = mp_to_unsigned_bin_len(w.s, out[0].p + P256_LEN, P256_LEN);
  if (ret == 0) {
    out[0].n = 2 * P256_LEN;
    *nout = 1;
  }
  if (rng_ok) wc_FreeRng(&rng);
  ecc_work_free(&w);
  return map_err(ret);
}

/* ecdh: priv(32), peer pub(65) -> shared X(32). Counted: decoding and
 * checking the peer point, and the scalar multiplication. The peer is a
 * bare ecc_point (smaller than a key). An invalid peer point is the
 * library error (ECC_OUT_OF_RANGE_E or MP_VAL), never a secret. */
static int op_ecdh(const cc_in_t *in, size_t nin, cc_out_t *out, size_t *nout) {
  *nout = 0;
  struct ecc_work w;
  ecc_point *peer = NULL;
  WC_RNG rng;
  int rng_ok = 0;
  int ret = ecc_work_new(&w, 0);
  if (ret == 0 && !(peer = wc_ecc_new_point())) ret = CC_ERR_NOMEM;
  if (ret == 0) ret = wc_InitRng(&rng);
  if (ret == 0) rng_ok = 1;
  if (ret == 0) ret = ecc_load_private(&w.key, in[0].p);
  /* ECC_TIMING_RESISTANT wants an RNG on the private key (the SP code
   * does not use it for P-256). */
  if (ret == 0) ret = wc_ecc_set_rng(&w.key, &rng);

  word32 zlen = P256_LEN;
  cc_measure_begin();
  if (ret == 0) ret = wc_ecc_import_point_der_ex(in[1].p, P256_POINT_LEN, w.key.idx, peer, 0);
  if (ret == 0) ret = wc_ecc_point_is_on_curve(peer, w.key.idx);
  if (ret == 0) ret = wc_ecc_shared_secret_ex(&w.key, peer, out[0].p, &zlen);
  cc_measure_end();

  if (ret == 0 && zlen != P256_LEN) ret = BUFFER_E;
  if (ret == 0) {
    out[0].n = P256_LEN;
    *nout = 1;
  }
  if (rng_ok) wc_FreeRng(&rng);
  wc_ecc_del_point(peer);
  ecc_work_free(&w);
  return map_err(ret);
}

/* sha256-64 / sha256-1k: msg -> digest(32). Counted: the one-shot hash. */
static int sha256_op(const cc_in_t *in, size_t nin, cc_out_t *out, size_t *nout, size_t len) {
  *nout = 0;
  cc_measure_begin();
  int ret = wc_Sha256Hash(in[0].p, (word32)len, out[0].p);
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

/* The RSA ops need RsaKey: settings without RSA (NO_RSA, a scenario's
 * build.config) leave them out (CC_OMIT_*: the table below). */
#if !defined(CC_OMIT_RSA2048_VERIFY) || !defined(CC_OMIT_RSA2048_SIGN)
static const byte rsa_e[3] = {0x01, 0x00, 0x01}; /* 65537 */

/* An RSA key, a copy of the signature (wolfSSL verifies in place) and the
 * expected DigestInfo, in one allocation. */
struct rsa_work {
  RsaKey key;
  byte sig[RSA2048_LEN];
  byte digest_info[MAX_ENCODED_SIG_SZ];
};

static int rsa_work_new(struct rsa_work **w, const uint8_t *n) {
  *w = alloc_zero(sizeof **w);
  if (!*w) return CC_ERR_NOMEM;
  int ret = wc_InitRsaKey_ex(&(*w)->key, NULL, INVALID_DEVID);
  if (ret == 0) ret = wc_RsaPublicKeyDecodeRaw(n, RSA2048_LEN, rsa_e, sizeof rsa_e, &(*w)->key);
  if (ret == 0 && wc_RsaEncryptSize(&(*w)->key) != RSA2048_LEN) ret = BAD_FUNC_ARG;
  return ret;
}

static void rsa_work_free(struct rsa_work *w) {
  if (!w) return;
  wc_FreeRsaKey(&w->key);
  free(w);
}

/* rsa2048-verify: n(256), hash(32), sig(256) -> status. Counted: the
 * public operation, PKCS#1 v1.5 unpadding, encoding the expected
 * DigestInfo (SHA-256) and comparing. Bad padding or a different digest
 * is REJECT. Note: wolfSSL 5.5.4 does not check sig < n, so sig + n
 * (when it fits in 256 bytes) verifies like sig; OpenSSL rejects it. The
 * adapter reports the library's answer. */
static int op_rsa_verify(const cc_in_t *in, size_t nin, cc_out_t *out, size_t *nout) {
  (void)out;
  *nout = 0;
  struct rsa_work *w;
  int ret = rsa_work_new(&w, in[0].p);
  if (ret == 0) memcpy(w->sig, in[2].p, RSA2048_LEN);
  int match = 0;

  cc_measure_begin();
  if (ret == 0) {
    byte *plain = NULL;
    int plen = wc_RsaSSL_VerifyInline(w->sig, RSA2048_LEN, &plain, &w->key);
    if (plen < 0) {
      ret = plen;
    } else {
      word32 elen = wc_EncodeSignature(w->digest_info, in[1].p, SHA256_LEN, SHA256h);
      if (elen == 0) ret = MEMORY_E;
      else match = (word32)plen == elen && memcmp(plain, w->digest_info, elen) == 0;
    }
  }
  cc_measure_end();

  rsa_work_free(w);
  if (ret == 0) return match ? CC_OK : CC_VERDICT_REJECT;
  if (ret == RSA_PAD_E || ret == BAD_PADDING_E || ret == RSA_BUFFER_E) return CC_VERDICT_REJECT;
  return map_err(ret);
}

/* The private half of the key and its CRT values, derived on the device:
 * dP = d mod (p-1), dQ = d mod (q-1), u = q^-1 mod p. */
static int rsa_load_private(RsaKey *key, const uint8_t *p, const uint8_t *q, const uint8_t *d) {
  mp_int t;
  int ret = mp_init(&t);
  if (ret == 0) ret = mp_read_unsigned_bin(&key->p, p, RSA2048_LEN / 2);
  if (ret == 0) ret = mp_read_unsigned_bin(&key->q, q, RSA2048_LEN / 2);
  if (ret == 0) ret = mp_read_unsigned_bin(&key->d, d, RSA2048_LEN);
  if (ret == 0) ret = mp_sub_d(&key->p, 1, &t);
  if (ret == 0) ret = mp_mod(&key->d, &t, &key->dP);
  if (ret == 0) ret = mp_sub_d(&key->q, 1, &t);
  if (ret == 0) ret = mp_mod(&key->d, &t, &key->dQ);
  if (ret == 0) ret = mp_invmod(&key->q, &key->p, &key->u);
  if (ret == 0) key->type = RSA_PRIVATE;
  mp_forcezero(&t);
  return ret;
}

/* rsa2048-sign: n(256), p(128), q(128), d(256), hash(32) -> sig(256).
 * Setup (not counted): import the key, derive dP, dQ, u.
 * Counted: encoding the DigestInfo, PKCS#1 v1.5 padding and the CRT
 * private operation (SP: two 1024-bit exponentiations). */
static int op_rsa_sign(const cc_in_t *in, size_t nin, cc_out_t *out, size_t *nout) {
  *nout = 0;
  struct rsa_work *w;
  WC_RNG rng;
  int rng_ok = 0;
  int ret = rsa_work_new(&w, in[0].p);
  if (ret == 0) ret = rsa_load_private(&w->key, in[1].p, in[2].p, in[3].p);
  if (ret == 0) ret = wc_InitRng(&rng);
  if (ret == 0) rng_ok = 1;

  cc_measure_begin();
  if (ret == 0) {
    word32 elen = wc_EncodeSignature(w->digest_info, in[4].p, SHA256_LEN, SHA256h);
    if (elen == 0) ret = MEMORY_E;
    else ret = wc_RsaSSL_Sign(w->digest_info, elen, out[0].p, (word32)out[0].cap, &w->key, &rng);
  }
  cc_measure_end();

  if (ret == RSA2048_LEN) {
    out[0].n = RSA2048_LEN;
    *nout = 1;
    ret = 0;
  } else if (ret >= 0) {
    ret = BUFFER_E;
  }
  if (rng_ok) wc_FreeRng(&rng);
  rsa_work_free(w);
  return map_err(ret);
}
#endif /* RSA ops */

#if defined(CERTCOST_X509)
/* x509.c, built with -DCERTCOST_X509 only */
int cc_wolfssl_x509_parse(const cc_in_t *in, size_t nin, cc_out_t *out, size_t *nout);
int cc_wolfssl_x509_verify_chain(const cc_in_t *in, size_t nin, cc_out_t *out, size_t *nout);
int cc_wolfssl_ocsp_check(const cc_in_t *in, size_t nin, cc_out_t *out, size_t *nout);
#endif

#if defined(CERTCOST_DTLS)
/* dtls.c, built with -DCERTCOST_DTLS only */
int cc_wolfssl_dtls_client(const cc_in_t *in, size_t nin, cc_out_t *out, size_t *nout);
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
    {"dtls-client", cc_wolfssl_dtls_client},
#endif
#endif
#if defined(CERTCOST_X509)
#if !defined(CC_OMIT_X509_PARSE)
    {"x509-parse", cc_wolfssl_x509_parse},
#endif
#if !defined(CC_OMIT_X509_VERIFY_CHAIN)
    {"x509-verify-chain", cc_wolfssl_x509_verify_chain},
#endif
#if !defined(CC_OMIT_OCSP_CHECK)
    {"ocsp-check", cc_wolfssl_ocsp_check},
#endif
#endif
    {0, 0},
};
