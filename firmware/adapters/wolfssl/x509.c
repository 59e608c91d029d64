/* wolfSSL certificate ops (docs/ops.md, "Certificates"; 5.5.4, 5.7.2,
 * 5.9.4), on the CertManager API a device uses without a TLS session: parse one
 * certificate; verify a chain at the device's clock, optionally with a CRL;
 * check a certificate's status with OCSP over the link. Built only with
 * -DCERTCOST_X509 (user_settings.h, "certificates").
 *
 * Chains are verified as wolfSSL's TLS client does with a peer's chain:
 * from the trust anchor down, each intermediate is verified
 * (wolfSSL_CertManagerVerifyBuffer) and then added as a CA
 * (wolfSSL_CertManagerLoadCABuffer, which parses it again), then the leaf
 * is verified. The trust anchors are loaded outside the count (once, at
 * boot, on a device). */
#if defined(CERTCOST_X509) && !defined(CC_OMIT_X509_PARSE) /* CC_OMIT_*: ops.c */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <wolfssl/wolfcrypt/settings.h>
#include <wolfssl/ssl.h>
#include <wolfssl/internal.h>
#include <wolfssl/error-ssl.h>
#include <wolfssl/wolfcrypt/asn.h>
#include <wolfssl/wolfcrypt/error-crypt.h>
#include "certcost/blob.h"
#include "certcost/net.h"
#include "certcost/ops.h"
#include "certcost/tls-ops.h"

/* The flags this adapter honours (tls-ops.h). */
enum { F_KNOWN = X509_F_CRL | X509_F_CRL_BLOB };    /* x509-verify-chain */
enum { O_KNOWN = OCSP_F_HARD_FAIL | OCSP_F_NONCE }; /* ocsp-check */

#define OCSP_RX_CAP 2048 /* the device's receive buffer for a response */

static void put16(uint8_t *p, uint32_t v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }
static void put32(uint8_t *p, uint32_t v) { put16(p, v >> 16); put16(p + 2, v); }
static uint32_t be32(const uint8_t *p) { return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]; }

static int fail_early(int status) {
  cc_measure_begin();
  cc_measure_end();
  return status;
}

static void lib_init(void) {
  static int done;
  if (!done) done = wolfSSL_Init() == WOLFSSL_SUCCESS;
}

#define der_len cc_der_seq_len

#define MAX_CHAIN 8
/* Split concatenated DER into up to MAX_CHAIN certificates. */
static int split(const cc_in_t *in, const uint8_t **cert, size_t *len) {
  int k = 0;
  for (size_t off = 0; off < in->n; k++) {
    size_t l = der_len(in->p + off, in->n - off);
    if (!l || k == MAX_CHAIN) return -1;
    cert[k] = in->p + off;
    len[k] = l;
    off += l;
  }
  return k;
}

/* A verification error as verdict bits; 0 if it is not a verdict (a
 * malformed input or another library error). `crl` says the error came
 * from the CRL step (a date error there is the CRL's, not the cert's). */
static uint32_t verdict_bits(int err, int crl) {
  switch (err) {
    case ASN_BEFORE_DATE_E: return crl ? V_CRL_NOT_YET_VALID : V_NOT_YET_VALID;
    case ASN_AFTER_DATE_E: return crl ? V_CRL_EXPIRED : V_EXPIRED;
    case CRL_CERT_DATE_ERR: return V_CRL_EXPIRED;
    case ASN_SIG_CONFIRM_E: case ASN_NO_SIGNER_E: case ASN_SELF_SIGNED_E:
    case ASN_PATHLEN_INV_E: case ASN_PATHLEN_SIZE_E: return V_NOT_TRUSTED;
    case ASN_SIG_HASH_E: case ASN_SIG_KEY_E: case ASN_SIG_OID_E: return V_WEAK_ALGORITHM;
    case CRL_CERT_REVOKED: case OCSP_CERT_REVOKED: return V_REVOKED;
    case ASN_CRL_CONFIRM_E: case ASN_CRL_NO_SIGNER_E: return V_CRL_NOT_TRUSTED;
    case CRL_MISSING: case OCSP_LOOKUP_FAIL: case OCSP_CERT_UNKNOWN:
    case OCSP_INVALID_STATUS: case BAD_OCSP_RESPONDER: return V_STATUS_UNKNOWN;
    case KEYUSE_SIGNATURE_E: case KEYUSE_ENCIPHER_E: case EXTKEYUSE_AUTH_E: return V_BAD_USAGE;
    /* 5.5.4's CRL parser reports a CRL past its nextUpdate as ASN_PARSE_E
     * (the same CRL loads at a clock before nextUpdate): a rejection whose
     * reason the library does not tell. */
    case ASN_PARSE_E: return crl ? V_OTHER : 0;
    default: return 0;
  }
}

static int ok(int r) { return r == WOLFSSL_SUCCESS; }

static void answer(cc_out_t *out, size_t *nout, uint32_t bits, int r) {
  put32(out[0].p, bits);
  put32(out[1].p, ok(r) ? 0 : (uint32_t)r);
  out[0].n = out[1].n = 4;
  *nout = 2;
}

/* wolfSSL checks a CA certificate's dates when it is loaded: with no clock
 * (1970) or a clock far off, the trust anchor itself is refused and
 * nothing can be verified. That is a verdict, not an error. */
static int anchor_refused(int st, cc_out_t *out, size_t *nout) {
  uint32_t bits = verdict_bits(st, 0); /* 0 for CC_ERR_* codes */
  if (!bits) return fail_early(st);
  answer(out, nout, bits | V_ANCHOR_REFUSED, st);
  return fail_early(CC_VERDICT_REJECT);
}

/* New CertManager with the trust anchors (uncounted setup). */
static int new_cm(WOLFSSL_CERT_MANAGER **out, const cc_in_t *trust) {
  const uint8_t *c[MAX_CHAIN];
  size_t l[MAX_CHAIN];
  int n = split(trust, c, l);
  if (n <= 0) return CC_ERR_ARGS;
  lib_init();
  WOLFSSL_CERT_MANAGER *cm = wolfSSL_CertManagerNew();
  if (!cm) return CC_ERR_NOMEM;
  for (int i = 0; i < n; i++) {
    errno = 0;
    int r = wolfSSL_CertManagerLoadCABuffer(cm, c[i], (long)l[i], WOLFSSL_FILETYPE_ASN1);
    if (!ok(r)) {
      wolfSSL_CertManagerFree(cm);
      return r == MEMORY_E || errno == ENOMEM ? CC_ERR_NOMEM : r;
    }
  }
  *out = cm;
  return 0;
}

/* The intermediates of a received chain (leaf first), from the top down:
 * verify each, then trust it. Returns WOLFSSL_SUCCESS or the error. */
static int walk_intermediates(WOLFSSL_CERT_MANAGER *cm, const uint8_t **c, const size_t *l, int n) {
  for (int i = n - 1; i >= 1; i--) {
    int r = wolfSSL_CertManagerVerifyBuffer(cm, c[i], (long)l[i], WOLFSSL_FILETYPE_ASN1);
    if (!ok(r)) return r;
    r = wolfSSL_CertManagerLoadCABuffer(cm, c[i], (long)l[i], WOLFSSL_FILETYPE_ASN1);
    if (!ok(r)) return r;
  }
  return WOLFSSL_SUCCESS;
}

/* x509-parse: in[0] one DER certificate. Counted: wc_ParseCert without
 * verification (decoding, including the public key's position and the
 * hashes wolfSSL keeps: subject/issuer name hashes, key id). */
int cc_wolfssl_x509_parse(const cc_in_t *in, size_t nin, cc_out_t *out, size_t *nout) {
  (void)out;
  *nout = 0;
  if (nin != 1 || in[0].n == 0) return fail_early(CC_ERR_ARGS);
  DecodedCert *cert = malloc(sizeof *cert);
  if (!cert) return fail_early(CC_ERR_NOMEM);
  wc_InitDecodedCert(cert, in[0].p, (word32)in[0].n, NULL);
  cc_measure_begin();
  int r = wc_ParseCert(cert, CERT_TYPE, NO_VERIFY, NULL);
  cc_measure_end();
  wc_FreeDecodedCert(cert);
  free(cert);
  return r == MEMORY_E ? CC_ERR_NOMEM : r;
}

/* x509-verify-chain: in[0] flags u32 BE, in[1] trust anchors, in[2] chain
 * (leaf first), in[3] CRL (flag CRL; CRL_BLOB: the uploaded blob).
 * Outputs: verdict bits u32 BE, wolfSSL's error code (i32 as u32 BE). */
int cc_wolfssl_x509_verify_chain(const cc_in_t *in, size_t nin, cc_out_t *out, size_t *nout) {
  *nout = 0;
  if (nin != 4 || in[0].n != 4 || in[1].n == 0 || in[2].n == 0) return fail_early(CC_ERR_ARGS);
  if (out[0].cap < 4 || out[1].cap < 4) return fail_early(CC_ERR_OUTPUT);
  uint32_t flags = be32(in[0].p);
  const uint8_t *crl = in[3].p;
  size_t crl_len = in[3].n;
  if (flags & ~F_KNOWN) return fail_early(CC_ERR_ARGS);
  if (flags & X509_F_CRL_BLOB) {
    if (!(flags & X509_F_CRL) || crl_len) return fail_early(CC_ERR_ARGS);
    crl = cc_blob(&crl_len);
  }
  if ((flags & X509_F_CRL) && crl_len == 0) return fail_early(CC_ERR_ARGS);
  const uint8_t *c[MAX_CHAIN];
  size_t l[MAX_CHAIN];
  int n = split(&in[2], c, l);
  if (n <= 0) return fail_early(CC_ERR_ARGS);

  WOLFSSL_CERT_MANAGER *cm;
  int st = new_cm(&cm, &in[1]);
  if (st != 0) return anchor_refused(st, out, nout);
  /* The CRL structure is set up now (uncounted) and switched on only for
   * the leaf: without CRL_CHECKALL wolfSSL's TLS client checks the leaf
   * only, and the intermediates would otherwise be asked for a CRL of
   * their own (CRL_MISSING). */
  if ((flags & X509_F_CRL) && !ok(wolfSSL_CertManagerEnableCRL(cm, 0))) {
    wolfSSL_CertManagerFree(cm);
    return fail_early(CC_ERR_NOMEM);
  }
  cm->crlEnabled = 0;

  /* The leaf is verified first, then checked against the CRL with
   * wolfSSL_CertManagerCheckCRL (which parses it again, VERIFY_CRL: dates,
   * no signature): a date error after a good leaf is then the CRL's. */
  int in_crl = 0;
  /* newlib's malloc sets errno when it fails: wolfSSL reports a signature
   * check that could not allocate as a bad signature (ASN_SIG_CONFIRM_E),
   * so errno is what tells "does not fit" from "not trusted". */
  errno = 0;
  cc_measure_begin();
  int r = walk_intermediates(cm, c, l, n);
  if (ok(r)) r = wolfSSL_CertManagerVerifyBuffer(cm, c[0], (long)l[0], WOLFSSL_FILETYPE_ASN1);
  if (ok(r) && (flags & X509_F_CRL)) {
    in_crl = 1;
    cm->crlEnabled = 1;
    r = wolfSSL_CertManagerLoadCRLBuffer(cm, crl, (long)crl_len, WOLFSSL_FILETYPE_ASN1);
    if (ok(r)) r = wolfSSL_CertManagerCheckCRL(cm, (unsigned char *)c[0], (int)l[0]);
  }
  cc_measure_end();
  wolfSSL_CertManagerFree(cm);

  if (r == MEMORY_E || (!ok(r) && errno == ENOMEM)) return CC_ERR_NOMEM;
  uint32_t bits = ok(r) ? 0 : verdict_bits(r, in_crl);
  if (!ok(r) && !bits) return r;
  answer(out, nout, bits, r);
  return ok(r) ? CC_OK : CC_VERDICT_REJECT;
}

/* ---- OCSP over the link: the CertManager's I/O callback ---- */
struct ocsp_io {
  uint32_t timeout_ms;
  uint8_t lookup;
  uint16_t dg_out, dg_in;
  uint32_t bytes_out, bytes_in;
};

/* One request datagram, one response datagram: what a CoAP or plain UDP
 * OCSP exchange carries (no HTTP framing). No response within the timeout
 * is the responder outage. */
static int ocsp_io_cb(void *ctx, const char *url, int url_len, unsigned char *req, int req_len, unsigned char **resp) {
  (void)url; (void)url_len;
  struct ocsp_io *io = ctx;
  *resp = NULL;
  if (cc_net_send(req, (size_t)req_len) < 0) return -1;
  io->dg_out++;
  io->bytes_out += (uint32_t)req_len;
  unsigned char *buf = malloc(OCSP_RX_CAP);
  if (!buf) return MEMORY_E;
  int n = cc_net_recv(buf, OCSP_RX_CAP, io->timeout_ms);
  if (n <= 0) {
    free(buf);
    io->lookup = OCSP_L_NO_RESPONSE;
    return -1;
  }
  io->dg_in++;
  io->bytes_in += (uint32_t)n;
  *resp = buf;
  return n;
}

static void ocsp_free_cb(void *ctx, unsigned char *resp) {
  (void)ctx;
  free(resp);
}

/* ocsp-check: in[0] config (flags u32 BE: HARD_FAIL 0x01, NONCE 0x02;
 * response timeout ms u32 BE), in[1] trust anchors, in[2] chain (leaf
 * first). Counted: the intermediates, then wolfSSL_CertManagerCheckOCSP on
 * the leaf (parse + signature + dates, build the request, and verify the
 * response: its signature, the embedded responder certificate if any, the
 * CertID and the status times); the wait for the responder is paused.
 * Policy when no usable status arrives: soft-fail accepts (verdict bit
 * STATUS_UNKNOWN, status OK), hard-fail rejects.
 * Outputs: verdict bits, wolfSSL code, info(13): lookup outcome u8,
 * datagrams out u16, in u16, bytes out u32, in u32 (BE). */
int cc_wolfssl_ocsp_check(const cc_in_t *in, size_t nin, cc_out_t *out, size_t *nout) {
  *nout = 0;
  if (nin != 3 || in[0].n != 8 || in[1].n == 0 || in[2].n == 0) return fail_early(CC_ERR_ARGS);
  if (out[0].cap < 4 || out[1].cap < 4 || out[2].cap < OCSP_INFO_LEN) return fail_early(CC_ERR_OUTPUT);
  uint32_t flags = be32(in[0].p);
  struct ocsp_io io = {.timeout_ms = be32(in[0].p + 4), .lookup = OCSP_L_NOT_ASKED};
  if ((flags & ~O_KNOWN) || io.timeout_ms == 0) return fail_early(CC_ERR_ARGS);
  const uint8_t *c[MAX_CHAIN];
  size_t l[MAX_CHAIN];
  int n = split(&in[2], c, l);
  if (n <= 0) return fail_early(CC_ERR_ARGS);

  WOLFSSL_CERT_MANAGER *cm;
  int st = new_cm(&cm, &in[1]);
  if (st != 0) {
    memset(out[2].p, 0, OCSP_INFO_LEN);
    out[2].p[0] = OCSP_L_NOT_ASKED;
    out[2].n = OCSP_INFO_LEN;
    st = anchor_refused(st, out, nout);
    if (*nout) *nout = 3;
    return st;
  }
  if (!ok(wolfSSL_CertManagerEnableOCSP(cm, (flags & OCSP_F_NONCE) ? 0 : WOLFSSL_OCSP_NO_NONCE)) ||
      !ok(wolfSSL_CertManagerSetOCSP_Cb(cm, ocsp_io_cb, ocsp_free_cb, &io))) {
    wolfSSL_CertManagerFree(cm);
    return fail_early(CC_ERR_NOMEM);
  }
  /* Only the leaf asks the responder: the intermediates are verified with
   * OCSP off (as without OCSP_CHECKALL in a TLS handshake). */
  cm->ocspEnabled = 0;

  errno = 0; /* see x509-verify-chain */
  cc_measure_begin();
  int r = walk_intermediates(cm, c, l, n);
  cm->ocspEnabled = 1;
  if (ok(r)) r = wolfSSL_CertManagerCheckOCSP(cm, (unsigned char *)c[0], (int)l[0]);
  cc_measure_end();
  wolfSSL_CertManagerFree(cm);

  if (r == MEMORY_E || (!ok(r) && errno == ENOMEM)) return CC_ERR_NOMEM;
  if (io.lookup == OCSP_L_NOT_ASKED && io.dg_out) io.lookup = OCSP_L_BAD_RESPONSE;
  if (ok(r) || r == OCSP_CERT_REVOKED) io.lookup = OCSP_L_VERIFIED;
  else if (io.lookup == OCSP_L_NOT_ASKED && io.dg_in) io.lookup = OCSP_L_BAD_RESPONSE;
  uint32_t bits = ok(r) ? 0 : verdict_bits(r, 0);
  if (!ok(r) && !bits) return r;
  int accepted = ok(r) || (bits == V_STATUS_UNKNOWN && !(flags & OCSP_F_HARD_FAIL));
  put32(out[0].p, bits);
  put32(out[1].p, ok(r) ? 0 : (uint32_t)r);
  uint8_t *info = out[2].p;
  info[0] = io.lookup;
  put16(info + 1, io.dg_out);
  put16(info + 3, io.dg_in);
  put32(info + 5, io.bytes_out);
  put32(info + 9, io.bytes_in);
  out[0].n = out[1].n = 4;
  out[2].n = OCSP_INFO_LEN;
  *nout = 3;
  return accepted ? CC_OK : CC_VERDICT_REJECT;
}
#endif /* CERTCOST_X509 */
