/* mbedTLS certificate ops (2.28.3 and 3.6.6) (docs/ops.md, "Certificates"): parse one
 * certificate; verify a chain against trust anchors at the device's clock,
 * optionally with a CRL. Built only with -DCERTCOST_X509, which also turns
 * on date checking (MBEDTLS_HAVE_TIME_DATE, certcost_mbedtls_config.h) with
 * the library's clock being the core's calendar clock (set-time).
 *
 * Counted: parsing the received certificates (copied to the heap, as the
 * TLS layer does with a peer's chain), parsing the CRL, and
 * mbedtls_x509_crt_verify_with_profile (signatures, dates, key usage, CRL
 * signature, dates and lookup). Not counted: parsing the trust anchors (a
 * device does that once, from flash: parsed in place, no copy). */
#if defined(CERTCOST_X509) && !defined(CC_OMIT_X509_PARSE) /* CC_OMIT_*: ops.c */
#include <errno.h>
#include <string.h>
#include "certcost/blob.h"
#include "certcost/net.h"
#include "certcost/ops.h"
#include "certcost/tls-ops.h"
#include "mbedtls/asn1.h"
#include "mbedtls/platform.h"
#include "mbedtls/platform_time.h"
#include "mbedtls/x509_crl.h"
#include "mbedtls/x509_crt.h"
#include "der-chain.h"

/* The x509-verify-chain flags this adapter honours (tls-ops.h). */
enum { F_KNOWN = X509_F_CRL | X509_F_CRL_BLOB };

#if defined(MBEDTLS_HAVE_TIME_DATE) /* off with -DCERTCOST_X509_NO_DATES: dates are then not checked */
static mbedtls_time_t device_time(mbedtls_time_t *t) {
  mbedtls_time_t now = (mbedtls_time_t)cc_time_unix();
  if (t) *t = now;
  return now;
}
#endif

#if defined(MBEDTLS_PLATFORM_MS_TIME_ALT)
/* 3.x: with MBEDTLS_HAVE_TIME the library also wants a millisecond clock
 * (the TLS layer's, when DTLS is built too): the virtual link clock, which
 * moves only when a receive times out, so it never depends on the host. */
mbedtls_ms_time_t mbedtls_ms_time(void) { return (mbedtls_ms_time_t)cc_net_time_ms(); }
#endif

static void put32(uint8_t *p, uint32_t v) {
  p[0] = (uint8_t)(v >> 24); p[1] = (uint8_t)(v >> 16); p[2] = (uint8_t)(v >> 8); p[3] = (uint8_t)v;
}

static int fail_early(int status) {
  cc_measure_begin();
  cc_measure_end();
  return status;
}

static int is_nomem(int ret) {
  int e = -ret, low = e & 0x7F, high = e & 0xFF80;
  return ret < 0 && (low == -MBEDTLS_ERR_MPI_ALLOC_FAILED || low == -MBEDTLS_ERR_ASN1_ALLOC_FAILED ||
                     high == -MBEDTLS_ERR_ECP_ALLOC_FAILED || high == -MBEDTLS_ERR_X509_ALLOC_FAILED ||
                     high == -MBEDTLS_ERR_PK_ALLOC_FAILED);
}

static uint32_t neutral(uint32_t raw) {
  uint32_t v = 0, known = 0;
#define MAP(bits, flag) \
  known |= (bits);      \
  if (raw & (bits)) v |= (flag);
  MAP(MBEDTLS_X509_BADCERT_NOT_TRUSTED | MBEDTLS_X509_BADCERT_MISSING, V_NOT_TRUSTED)
  MAP(MBEDTLS_X509_BADCERT_EXPIRED, V_EXPIRED)
  MAP(MBEDTLS_X509_BADCERT_FUTURE, V_NOT_YET_VALID)
  MAP(MBEDTLS_X509_BADCERT_REVOKED, V_REVOKED)
  MAP(MBEDTLS_X509_BADCERT_CN_MISMATCH, V_NAME_MISMATCH)
  MAP(MBEDTLS_X509_BADCERT_KEY_USAGE | MBEDTLS_X509_BADCERT_EXT_KEY_USAGE | MBEDTLS_X509_BADCERT_NS_CERT_TYPE, V_BAD_USAGE)
  MAP(MBEDTLS_X509_BADCERT_BAD_MD | MBEDTLS_X509_BADCERT_BAD_PK | MBEDTLS_X509_BADCERT_BAD_KEY, V_WEAK_ALGORITHM)
  MAP(MBEDTLS_X509_BADCRL_NOT_TRUSTED | MBEDTLS_X509_BADCRL_BAD_MD | MBEDTLS_X509_BADCRL_BAD_PK | MBEDTLS_X509_BADCRL_BAD_KEY,
      V_CRL_NOT_TRUSTED)
  MAP(MBEDTLS_X509_BADCRL_EXPIRED, V_CRL_EXPIRED)
  MAP(MBEDTLS_X509_BADCRL_FUTURE, V_CRL_NOT_YET_VALID)
#undef MAP
  if (raw & ~known) v |= V_OTHER;
  return v;
}

/* x509-parse: in[0] one DER certificate. Counted: the parse, including the
 * public key (an EC point is decoded and checked to be on the curve). */
int cc_mbedtls_x509_parse(const cc_in_t *in, size_t nin, cc_out_t *out, size_t *nout) {
  (void)out;
  *nout = 0;
  if (nin != 1 || in[0].n == 0) return fail_early(CC_ERR_ARGS);
  mbedtls_x509_crt crt;
  mbedtls_x509_crt_init(&crt);
  errno = 0;
  cc_measure_begin();
  int ret = mbedtls_x509_crt_parse_der(&crt, in[0].p, in[0].n);
  cc_measure_end();
  mbedtls_x509_crt_free(&crt);
  if (ret != 0 && (errno == ENOMEM || is_nomem(ret))) return CC_ERR_NOMEM;
  return ret;
}

/* x509-verify-chain: in[0] config (flags u32 BE), in[1] trust anchors,
 * in[2] the received chain (leaf first), in[3] a CRL (flag CRL; with
 * CRL_BLOB the CRL is the uploaded blob and in[3] must be empty).
 * Outputs: neutral verdict bits u32 BE, mbedTLS verify flags u32 BE. */
int cc_mbedtls_x509_verify_chain(const cc_in_t *in, size_t nin, cc_out_t *out, size_t *nout) {
  *nout = 0;
  if (nin != 4 || in[0].n != 4 || in[1].n == 0 || in[2].n == 0) return fail_early(CC_ERR_ARGS);
  if (out[0].cap < 4 || out[1].cap < 4) return fail_early(CC_ERR_OUTPUT);
  uint32_t flags = (uint32_t)in[0].p[0] << 24 | (uint32_t)in[0].p[1] << 16 | (uint32_t)in[0].p[2] << 8 | in[0].p[3];
  const uint8_t *crl_der = in[3].p;
  size_t crl_len = in[3].n;
  if (flags & ~F_KNOWN) return fail_early(CC_ERR_ARGS);
  if (flags & X509_F_CRL_BLOB) {
    if (!(flags & X509_F_CRL) || crl_len) return fail_early(CC_ERR_ARGS);
    crl_der = cc_blob(&crl_len);
  }
  if ((flags & X509_F_CRL) && crl_len == 0) return fail_early(CC_ERR_ARGS);

#if defined(MBEDTLS_HAVE_TIME_DATE)
  mbedtls_platform_set_time(device_time);
#endif
  mbedtls_x509_crt trust, chain;
  mbedtls_x509_crl crl;
  mbedtls_x509_crt_init(&trust);
  mbedtls_x509_crt_init(&chain);
  mbedtls_x509_crl_init(&crl);
  /* newlib's malloc sets errno on failure: an allocation that fails inside
   * the signature check is reported by mbedTLS as NOT_TRUSTED, not as an
   * allocation error, so errno is what tells "does not fit" apart. */
  errno = 0;
  uint32_t raw = 0;
  int ret = cc_mbedtls_parse_chain(&trust, in[1].p, in[1].n, 0);
  if (ret != 0) {
    mbedtls_x509_crt_free(&trust);
    return fail_early(errno == ENOMEM || is_nomem(ret) ? CC_ERR_NOMEM : ret);
  }

  cc_measure_begin();
  ret = cc_mbedtls_parse_chain(&chain, in[2].p, in[2].n, 1);
  if (ret == 0 && (flags & X509_F_CRL)) ret = mbedtls_x509_crl_parse_der(&crl, crl_der, crl_len);
  if (ret == 0)
    ret = mbedtls_x509_crt_verify_with_profile(&chain, &trust, (flags & X509_F_CRL) ? &crl : NULL,
                                               &mbedtls_x509_crt_profile_default, NULL, &raw, NULL, NULL);
  cc_measure_end();

  int nomem = errno == ENOMEM || is_nomem(ret);
  mbedtls_x509_crl_free(&crl);
  mbedtls_x509_crt_free(&chain);
  mbedtls_x509_crt_free(&trust);
  if (nomem) return CC_ERR_NOMEM;
  if (ret != 0 && ret != MBEDTLS_ERR_X509_CERT_VERIFY_FAILED) return ret;
  put32(out[0].p, neutral(raw));
  put32(out[1].p, raw);
  out[0].n = out[1].n = 4;
  *nout = 2;
  return ret == 0 ? CC_OK : CC_VERDICT_REJECT;
}

/* ocsp-check: mbedTLS has no OCSP (no request, response or stapling
 * code, in 2.28 as in 3.6), so the op exists only to say so. */
int cc_mbedtls_ocsp_check(const cc_in_t *in, size_t nin, cc_out_t *out, size_t *nout) {
  (void)in; (void)nin; (void)out;
  *nout = 0;
  return fail_early(CC_ERR_UNSUPPORTED);
}
#endif /* CERTCOST_X509 */
