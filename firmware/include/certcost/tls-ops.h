/* The contract of the dtls-client, x509-* and ocsp-check ops (docs/ops.md),
 * shared by every adapter that implements them and mirrored by the harness
 * (harness/ops/dtls.ts, harness/x509/device.ts, harness/ops/revocation.ts):
 * config flags, the library-neutral verify result bits, and the info block
 * layouts. */
#ifndef CERTCOST_TLS_OPS_H
#define CERTCOST_TLS_OPS_H
#include <stddef.h>
#include <stdint.h>
#include "certcost/ops.h"

/* dtls-client flags, config bytes 0-1. Each adapter also defines F_KNOWN,
 * the flags it can honour; any other flag is CC_ERR_UNSUPPORTED. */
enum {
  F_PSK = 0x0001,
  F_VERIFY_CA = 0x0002,
  F_PINNED = 0x0004,
  F_CLIENT_CERT = 0x0008,
  F_RESUME = 0x0010,
  F_OCSP = 0x0020,
  F_TICKET = 0x0040,
  F_OCSP_V2 = 0x0080,     /* wolfSSL: status_request_v2 instead of status_request */
  F_MUST_STAPLE = 0x0100, /* wolfSSL: no stapled status = handshake failure */
  F_DTLS13 = 0x0200,      /* wolfSSL built with -DCERTCOST_DTLS13: a DTLS 1.3 client (RFC 9147) */
  F_PSK_DHE = 0x0400,     /* with DTLS13 and PSK: psk_dhe_ke (ECDHE + PSK) instead of psk_ke */
};

/* x509-verify-chain flags, config u32 BE (input 0). Each adapter keeps its
 * own mask of the flags it honours; any other bit is CC_ERR_ARGS. */
enum {
  X509_F_CRL = 0x01,      /* check the leaf against the CRL (input 3) */
  X509_F_CRL_BLOB = 0x02, /* with X509_F_CRL: the CRL is the uploaded blob (cc_blob), input 3 empty */
};

/* ocsp-check flags, config bytes 0-3 (u32 BE; bytes 4-7 are the response
 * timeout in ms). */
enum {
  OCSP_F_HARD_FAIL = 0x01, /* no usable status = rejected (else soft-fail: accepted, V_STATUS_UNKNOWN) */
  OCSP_F_NONCE = 0x02,     /* the request carries a nonce */
};

/* ocsp-check's lookup outcome, byte 0 of its info output (output 2). */
enum {
  OCSP_L_VERIFIED = 0,     /* a response arrived and verified (good or revoked) */
  OCSP_L_NO_RESPONSE = 1,  /* nothing arrived within the timeout */
  OCSP_L_BAD_RESPONSE = 2, /* no usable status: unsuccessful, unverifiable or unknown */
  OCSP_L_NOT_ASKED = 3,    /* no request was sent */
};
#define OCSP_INFO_LEN 13 /* ocsp-check output 2: lookup u8, datagrams out/in u16, bytes out/in u32 */

/* Library-neutral verify result bits. */
enum {
  V_NOT_TRUSTED = 0x01,
  V_EXPIRED = 0x02,
  V_NOT_YET_VALID = 0x04,
  V_REVOKED = 0x08,
  V_NAME_MISMATCH = 0x10,
  V_BAD_USAGE = 0x20,
  V_WEAK_ALGORITHM = 0x40,
  V_OTHER = 0x80,
  V_CRL_NOT_TRUSTED = 0x100,
  V_CRL_EXPIRED = 0x200,
  V_CRL_NOT_YET_VALID = 0x400,
  V_STATUS_UNKNOWN = 0x800,
  V_ANCHOR_REFUSED = 0x1000, /* wolfSSL: the trust anchor itself was refused when loaded */
  V_NOT_CHECKED = 0x80000000u,
};

#define MAX_SUITES 16
#define INFO_LEN 14 /* dtls-client output 3: resumed, timeouts, datagrams and bytes each way */

struct stats {
  uint8_t timeouts;
  uint16_t dgrams_out, dgrams_in;
  uint32_t bytes_out, bytes_in;
};

/* Length of the DER SEQUENCE at p, header included (0 if malformed): how
 * adapters split a concatenation of certificates. */
static inline size_t cc_der_seq_len(const uint8_t *p, size_t n) {
  if (n < 2 || p[0] != 0x30) return 0;
  size_t len = p[1], hdr = 2;
  if (len & 0x80) {
    size_t k = len & 0x7F;
    if (k == 0 || k > 3 || n < 2 + k) return 0;
    len = 0;
    for (size_t i = 0; i < k; i++) len = len << 8 | p[2 + i];
    hdr += k;
  }
  return hdr + len <= n ? hdr + len : 0;
}

static inline void cc_put16be(uint8_t *p, uint32_t v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }
static inline void cc_put32be(uint8_t *p, uint32_t v) { cc_put16be(p, v >> 16); cc_put16be(p + 2, v); }

/* The four dtls-client outputs: negotiated suite, neutral verify bits, the
 * library's own verify result, and the info block. */
static inline void cc_dtls_outputs(cc_out_t *out, size_t *nout, uint16_t suite, uint32_t neutral, uint32_t raw, int resumed, const struct stats *st) {
  cc_put16be(out[0].p, suite);
  cc_put32be(out[1].p, neutral);
  cc_put32be(out[2].p, raw);
  uint8_t *info = out[3].p;
  info[0] = (uint8_t)resumed;
  info[1] = st->timeouts;
  cc_put16be(info + 2, st->dgrams_out);
  cc_put16be(info + 4, st->dgrams_in);
  cc_put32be(info + 6, st->bytes_out);
  cc_put32be(info + 10, st->bytes_in);
  out[0].n = 2;
  out[1].n = 4;
  out[2].n = 4;
  out[3].n = INFO_LEN;
  *nout = 4;
}
#endif
