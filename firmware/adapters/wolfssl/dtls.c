/* wolfSSL DTLS client (5.5.4, 5.7.2, 5.9.4): the op dtls-client
 * (docs/ops.md), same inputs, outputs and counted part as the mbedTLS
 * adapter's. Built only with -DCERTCOST_DTLS (user_settings.h, "DTLS
 * client").
 *
 * Counted, in one bracket: wolfSSL_connect, with the count paused while the
 * device waits for the link (cc_net_*). Not counted: loading trust anchors,
 * the device's chain and key, creating the context and session; after the
 * handshake the application data, close_notify and the wait for the
 * peer's. With RESUME a full handshake runs first on connection 0,
 * uncounted; connection 1 offers its session and is counted.
 *
 * OCSP stapling (flag OCSP): the ClientHello carries status_request
 * (RFC 6066) without a nonce (OpenSSL's s_server answers a nonce-less
 * request from its -status_file); the stapled response is verified inside
 * the handshake: its signature, CertID against the server's certificate
 * and its times. wolfSSL-only flags: 0x80 OCSP_V2 offers status_request_v2
 * (RFC 6961) instead; 0x100 MUST_STAPLE fails the handshake when no status
 * is stapled (without it a missing staple is accepted: soft-fail).
 * Certificate dates are checked against the core's calendar clock
 * (set-time): wolfSSL refuses a CA certificate whose dates do not hold.
 *
 * DTLS 1.3 (flag 0x200 DTLS13, images built with -DCERTCOST_DTLS13): the
 * same op runs wolfSSL's DTLS 1.3 client (RFC 9147) with the TLS 1.3
 * suites. With PSK it offers only psk_ke (no (EC)DHE: the like of a
 * DTLS 1.2 PSK handshake) and an empty key_share, unless 0x400 PSK_DHE
 * asks for psk_dhe_ke (an ECDHE P-256 key share with the PSK: forward
 * secrecy, at the price of an ECDH on the device). */
#if defined(CERTCOST_DTLS) && !defined(CC_OMIT_DTLS_CLIENT) /* CC_OMIT_*: ops.c */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <wolfssl/wolfcrypt/settings.h>
#include <wolfssl/ssl.h>
#include <wolfssl/internal.h>
#include <wolfssl/error-ssl.h>
#include <wolfssl/wolfcrypt/error-crypt.h>
#include "certcost/net.h"
#include "certcost/ops.h"
#include "certcost/tls-ops.h"

enum { F_KNOWN = 0x07FF };
struct client {
  WOLFSSL_CTX *ctx;
  WOLFSSL *ssl;
  const cc_in_t *psk_id, *psk;
  uint32_t tmin_ms;
  struct stats st;
#if LIBWOLFSSL_VERSION_HEX > 0x05005004
  int draining; /* after the handshake: the first silence ends the wait (finish) */
#endif
};

static uint32_t be16(const uint8_t *p) { return (uint32_t)p[0] << 8 | p[1]; }
static uint32_t be32(const uint8_t *p) { return be16(p) << 16 | be16(p + 2); }

static int fail_early(int status) {
  cc_measure_begin();
  cc_measure_end();
  return status;
}

/* ---- transport: datagrams over the link ---- */
static int io_send(WOLFSSL *ssl, char *buf, int sz, void *ctx) {
  (void)ssl;
  struct client *c = ctx;
  int r = cc_net_send((const uint8_t *)buf, (size_t)sz);
  if (r < 0) return WOLFSSL_CBIO_ERR_GENERAL;
  c->st.dgrams_out++;
  c->st.bytes_out += (uint32_t)sz;
  return sz;
}

/* wolfSSL's DTLS timer is in seconds (doubling from the initial value);
 * the wait is that long in virtual time. On a timeout wolfSSL
 * retransmits its last flight itself (during the handshake). */
static int io_recv(WOLFSSL *ssl, char *buf, int sz, void *ctx) {
  struct client *c = ctx;
  int secs = wolfSSL_dtls_get_current_timeout(ssl);
  uint32_t ms = secs > 0 ? (uint32_t)secs * 1000u : c->tmin_ms;
  int r = cc_net_recv((uint8_t *)buf, (size_t)sz, ms);
  if (r < 0) return WOLFSSL_CBIO_ERR_GENERAL;
  if (r == 0) {
#if LIBWOLFSSL_VERSION_HEX > 0x05005004
    if (c->draining) return WOLFSSL_CBIO_ERR_CONN_CLOSE;
#endif
    c->st.timeouts++;
    return WOLFSSL_CBIO_ERR_TIMEOUT;
  }
  c->st.dgrams_in++;
  c->st.bytes_in += (uint32_t)r;
  return r;
}

/* ---- PSK: one client at a time (the firmware runs one op at a time) ---- */
static struct client *psk_client;
static unsigned int psk_cb(WOLFSSL *ssl, const char *hint, char *id, unsigned int id_max, unsigned char *key, unsigned int key_max) {
  (void)ssl; (void)hint;
  struct client *c = psk_client;
  if (!c || c->psk_id->n + 1 > id_max || c->psk->n > key_max) return 0;
  memcpy(id, c->psk_id->p, c->psk_id->n);
  id[c->psk_id->n] = 0;
  memcpy(key, c->psk->p, c->psk->n);
  return (unsigned int)c->psk->n;
}

/* IANA id -> wolfSSL's suite name (the suites this image builds). */
static const char *suite_name(uint32_t id) {
  switch (id) {
    case 0xC0A8: return "PSK-AES128-CCM-8";
    case 0x00A8: return "PSK-AES128-GCM-SHA256";
    case 0xC0AE: return "ECDHE-ECDSA-AES128-CCM-8";
    case 0xC02B: return "ECDHE-ECDSA-AES128-GCM-SHA256";
    default: return 0;
  }
}

static int is_psk_suite(uint32_t id) { return id == 0xC0A8 || id == 0x00A8; }

#if defined(CERTCOST_DTLS13)
/* TLS 1.3 suites (RFC 8446 B.4) by IANA id; PSK or certificates is a
 * matter of extensions there, not of the suite. */
static const char *suite13_name(uint32_t id) {
  switch (id) {
    case 0x1305: return "TLS13-AES128-CCM-8-SHA256";
    case 0x1301: return "TLS13-AES128-GCM-SHA256";
    default: return 0;
  }
}

/* TLS 1.3 external PSK: identity and key as for 1.2, and the suite it is
 * for (the first one offered). */
static const char *psk13_suite;
static unsigned int psk13_cb(WOLFSSL *ssl, const char *hint, char *id, unsigned int id_max, unsigned char *key, unsigned int key_max, const char **suite) {
  *suite = psk13_suite;
  return psk_cb(ssl, hint, id, id_max, key, key_max);
}
#endif

#define der_len cc_der_seq_len

/* Each DER certificate in `in` through `load`. */
static int each_cert(WOLFSSL_CTX *ctx, const cc_in_t *in, int (*load)(WOLFSSL_CTX *, const unsigned char *, long, int)) {
  for (size_t off = 0; off < in->n;) {
    size_t l = der_len(in->p + off, in->n - off);
    if (!l) return CC_ERR_ARGS;
    int r = load(ctx, in->p + off, (long)l, WOLFSSL_FILETYPE_ASN1);
    if (r != WOLFSSL_SUCCESS) return r;
    off += l;
  }
  return WOLFSSL_SUCCESS;
}

static int trust_peer(WOLFSSL_CTX *ctx, const unsigned char *p, long n, int fmt) { return wolfSSL_CTX_trust_peer_buffer(ctx, p, n, fmt); }

/* The device's P-256 key as SEC1 ECPrivateKey DER (RFC 5915) from its raw
 * scalar: wolfSSL derives the public key itself. */
static int load_key(WOLFSSL_CTX *ctx, const cc_in_t *d) {
  static const uint8_t head[] = {0x30, 0x31, 0x02, 0x01, 0x01, 0x04, 0x20};
  static const uint8_t tail[] = {0xA0, 0x0A, 0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07};
  uint8_t der[sizeof head + P256_LEN + sizeof tail];
  memcpy(der, head, sizeof head);
  memcpy(der + sizeof head, d->p, P256_LEN);
  memcpy(der + sizeof head + P256_LEN, tail, sizeof tail);
  int r = wolfSSL_CTX_use_PrivateKey_buffer(ctx, der, sizeof der, WOLFSSL_FILETYPE_ASN1);
  memset(der, 0, sizeof der);
  return r;
}

/* A handshake error as library-neutral verify bits (0: not about the certificate). */
static uint32_t verify_bits(int err) {
  switch (err) {
    case ASN_NO_SIGNER_E: case ASN_SIG_CONFIRM_E: case ASN_SELF_SIGNED_E:
    case ASN_PATHLEN_INV_E: case ASN_PATHLEN_SIZE_E: return V_NOT_TRUSTED;
    case ASN_AFTER_DATE_E: return V_EXPIRED;
    case ASN_BEFORE_DATE_E: return V_NOT_YET_VALID;
    case OCSP_CERT_REVOKED: case CRL_CERT_REVOKED: return V_REVOKED;
    case DOMAIN_NAME_MISMATCH: return V_NAME_MISMATCH;
    case KEYUSE_SIGNATURE_E: case KEYUSE_ENCIPHER_E: case EXTKEYUSE_AUTH_E: return V_BAD_USAGE;
    case ASN_SIG_HASH_E: case ASN_SIG_KEY_E: case ASN_SIG_OID_E: return V_WEAK_ALGORITHM;
    case OCSP_CERT_UNKNOWN: case OCSP_LOOKUP_FAIL: case OCSP_INVALID_STATUS:
    case BAD_CERTIFICATE_STATUS_ERROR: return V_STATUS_UNKNOWN;
    default: return 0;
  }
}

static int setup_ctx(struct client *c, const cc_in_t *in, uint32_t flags, const uint8_t *suites_in, size_t nsuites) {
  static char list[MAX_SUITES * 32];
  size_t n = 0;
  int v13 = (flags & F_DTLS13) != 0;
  for (size_t i = 0; i < nsuites; i++) {
#if defined(CERTCOST_DTLS13)
    const char *name = v13 ? suite13_name(be16(suites_in + 2 * i)) : suite_name(be16(suites_in + 2 * i));
    if (v13 && i == 0) psk13_suite = name;
#else
    const char *name = suite_name(be16(suites_in + 2 * i));
#endif
    if (!name) return CC_ERR_UNSUPPORTED;
    size_t l = strlen(name);
    if (n) list[n++] = ':';
    memcpy(list + n, name, l);
    n += l;
  }
  list[n] = 0;
#if defined(CERTCOST_DTLS13)
  c->ctx = wolfSSL_CTX_new(v13 ? wolfDTLSv1_3_client_method() : wolfDTLSv1_2_client_method());
#else
  c->ctx = wolfSSL_CTX_new(wolfDTLSv1_2_client_method());
#endif
  if (!c->ctx) return CC_ERR_NOMEM;
  if (wolfSSL_CTX_set_cipher_list(c->ctx, list) != WOLFSSL_SUCCESS) return CC_ERR_UNSUPPORTED;
  wolfSSL_CTX_SetIORecv(c->ctx, io_recv);
  wolfSSL_CTX_SetIOSend(c->ctx, io_send);
  if (flags & F_PSK) wolfSSL_CTX_set_psk_client_callback(c->ctx, psk_cb);
#if defined(CERTCOST_DTLS13)
  if (v13 && (flags & F_PSK)) {
    wolfSSL_CTX_set_psk_client_tls13_callback(c->ctx, psk13_cb);
    if (!(flags & F_PSK_DHE) && wolfSSL_CTX_no_dhe_psk(c->ctx) != 0) return CC_ERR_UNSUPPORTED;
  }
#endif
  int r = WOLFSSL_SUCCESS;
  if (flags & F_VERIFY_CA) r = each_cert(c->ctx, &in[4], wolfSSL_CTX_load_verify_buffer);
  else if (flags & F_PINNED) r = each_cert(c->ctx, &in[4], trust_peer);
  if (r != WOLFSSL_SUCCESS) return r;
  wolfSSL_CTX_set_verify(c->ctx, (flags & (F_VERIFY_CA | F_PINNED)) ? WOLFSSL_VERIFY_PEER : WOLFSSL_VERIFY_NONE, NULL);
  if (flags & F_CLIENT_CERT) {
    r = wolfSSL_CTX_use_certificate_chain_buffer_format(c->ctx, in[5].p, (long)in[5].n, WOLFSSL_FILETYPE_ASN1);
    if (r == WOLFSSL_SUCCESS) r = load_key(c->ctx, &in[6]);
    if (r != WOLFSSL_SUCCESS) return r;
  }
  if (flags & F_OCSP) {
    r = wolfSSL_CTX_EnableOCSPStapling(c->ctx);
    if (r == WOLFSSL_SUCCESS && (flags & F_MUST_STAPLE)) r = wolfSSL_CTX_EnableOCSPMustStaple(c->ctx);
    if (r != WOLFSSL_SUCCESS) return r;
  }
  return 0;
}

static int new_session(struct client *c, const uint8_t *cfg, uint32_t flags, WOLFSSL_SESSION *resume) {
  c->ssl = wolfSSL_new(c->ctx);
  if (!c->ssl) return CC_ERR_NOMEM;
  wolfSSL_SetIOReadCtx(c->ssl, c);
  wolfSSL_SetIOWriteCtx(c->ssl, c);
  uint32_t tmin = be32(cfg + 4), tmax = be32(cfg + 8), mtu = be16(cfg + 2);
  wolfSSL_dtls_set_timeout_init(c->ssl, (int)((tmin + 999) / 1000));
  wolfSSL_dtls_set_timeout_max(c->ssl, (int)((tmax + 999) / 1000));
  if (mtu && wolfSSL_dtls_set_mtu(c->ssl, (unsigned short)mtu) != WOLFSSL_SUCCESS) return CC_ERR_ARGS;
  int r = WOLFSSL_SUCCESS;
  if (flags & F_OCSP) {
    r = (flags & F_OCSP_V2) ? wolfSSL_UseOCSPStaplingV2(c->ssl, WOLFSSL_CSR2_OCSP, 0)
                            : wolfSSL_UseOCSPStapling(c->ssl, WOLFSSL_CSR_OCSP, 0);
  }
  if (r == WOLFSSL_SUCCESS && (flags & F_TICKET)) r = wolfSSL_UseSessionTicket(c->ssl);
#if defined(CERTCOST_DTLS13)
  /* psk_ke only: an empty key_share. By default 5.5.4 still generates and
   * sends a P-256 share that no psk_ke server uses (measured on the M4:
   * 1,763,809 instructions per handshake with it, 664,785 without). */
  if (r == WOLFSSL_SUCCESS && (flags & F_DTLS13) && (flags & F_PSK) && !(flags & F_PSK_DHE)) r = wolfSSL_NoKeyShares(c->ssl);
#endif
  if (r == WOLFSSL_SUCCESS && resume) r = wolfSSL_set_session(c->ssl, resume);
  return r == WOLFSSL_SUCCESS ? 0 : r;
}

static int do_handshake(struct client *c) {
  int r = wolfSSL_connect(c->ssl);
  return r == WOLFSSL_SUCCESS ? 0 : wolfSSL_get_error(c->ssl, r);
}

/* After the handshake, uncounted: application data, close_notify, and the
 * peer's close_notify (or a timeout), so nothing late lands in the next
 * connection's count. */
static void finish(struct client *c, const cc_in_t *app) {
#if LIBWOLFSSL_VERSION_HEX > 0x05005004
  /* One receive timeout ends the wait: 5.9.4's DTLS 1.3 read handles a
   * timeout itself, retransmitting and doubling up to the maximum (4 + 8 +
   * 16 + 32 s of the link's wall clock here), where the op means to wait
   * once for the peer's close_notify. Uncounted either way. */
  c->draining = 1;
#endif
  if (app->n) wolfSSL_write(c->ssl, app->p, (int)app->n);
  wolfSSL_shutdown(c->ssl);
  char sink[64];
  for (int i = 0; i < 16; i++) {
    int r = wolfSSL_read(c->ssl, sink, sizeof sink);
    if (r > 0) continue;
    break; /* close_notify, timeout or error: done */
  }
#if LIBWOLFSSL_VERSION_HEX > 0x05005004
  c->draining = 0;
#endif
}

/* Inputs and outputs: docs/ops.md, dtls-client. */
int cc_wolfssl_dtls_client(const cc_in_t *in, size_t nin, cc_out_t *out, size_t *nout) {
  *nout = 0;
  if (nin != 8 || in[0].n != 12 || in[1].n == 0 || in[1].n % 2 || in[1].n / 2 > MAX_SUITES) return fail_early(CC_ERR_ARGS);
  if (out[0].cap < 2 || out[1].cap < 4 || out[2].cap < 4 || out[3].cap < INFO_LEN) return fail_early(CC_ERR_OUTPUT);
  uint32_t flags = be16(in[0].p), tmin = be32(in[0].p + 4), tmax = be32(in[0].p + 8);
  if ((flags & ~F_KNOWN) || tmin == 0 || tmax < tmin) return fail_early(CC_ERR_ARGS);
  if ((flags & F_VERIFY_CA) && (flags & F_PINNED)) return fail_early(CC_ERR_ARGS);
  if ((flags & (F_VERIFY_CA | F_PINNED)) && in[4].n == 0) return fail_early(CC_ERR_ARGS);
  if ((flags & F_PSK) && (in[2].n == 0 || in[3].n == 0 || in[3].n > 32)) return fail_early(CC_ERR_ARGS);
  if ((flags & F_CLIENT_CERT) && (in[5].n == 0 || in[6].n != P256_LEN)) return fail_early(CC_ERR_ARGS);
  if ((flags & (F_OCSP_V2 | F_MUST_STAPLE)) && !(flags & F_OCSP)) return fail_early(CC_ERR_ARGS);
  if ((flags & F_PSK_DHE) && !((flags & F_DTLS13) && (flags & F_PSK))) return fail_early(CC_ERR_ARGS);
#if !defined(CERTCOST_DTLS13)
  if (flags & F_DTLS13) return fail_early(CC_ERR_UNSUPPORTED); /* a DTLS 1.2-only image */
#endif

  static int inited;
  if (!inited) inited = wolfSSL_Init() == WOLFSSL_SUCCESS;
  struct client *c = calloc(1, sizeof *c);
  if (!c) return fail_early(CC_ERR_NOMEM);
  c->psk_id = &in[2];
  c->psk = &in[3];
  c->tmin_ms = tmin;
  psk_client = c;
  cc_net_set_conn(0);
  /* newlib's malloc sets errno when it fails: a failed allocation inside a
   * signature check surfaces as a verification error. */
  errno = 0;

  int ret = setup_ctx(c, in, flags, in[1].p, in[1].n / 2);
  WOLFSSL_SESSION *saved = NULL;
  if (ret == 0 && (flags & F_RESUME)) {
    ret = new_session(c, in[0].p, flags, NULL);
    if (ret == 0) ret = do_handshake(c);
    if (ret == 0) {
      saved = wolfSSL_get1_session(c->ssl);
      static const cc_in_t none = {0, 0};
      finish(c, &none);
    }
    wolfSSL_free(c->ssl);
    c->ssl = NULL;
    cc_net_set_conn(1);
  }
  if (ret == 0) ret = new_session(c, in[0].p, flags, saved);
  memset(&c->st, 0, sizeof c->st);
  int early = ret != 0; /* refused before any handshake of the counted connection */

  cc_measure_begin();
  if (ret == 0) ret = do_handshake(c);
  cc_measure_end();

  struct stats st = c->st;
  int hs_ok = ret == 0;
  uint32_t suite = hs_ok ? (uint32_t)wolfSSL_get_current_cipher_suite(c->ssl) & 0xFFFF : 0;
  int resumed = hs_ok && wolfSSL_session_reused(c->ssl);
  /* Nothing was checked without VERIFY_CA/PINNED, or with a PSK suite
   * (negotiated, or the only kind offered). */
  int cert_offered = 0;
  for (size_t i = 0; i < in[1].n / 2; i++) cert_offered |= !is_psk_suite(be16(in[1].p + 2 * i));
  uint32_t bits;
  if (!(flags & (F_VERIFY_CA | F_PINNED)) || (hs_ok ? is_psk_suite(suite) : !cert_offered))
    bits = V_NOT_CHECKED;
  else
    bits = hs_ok ? 0 : verify_bits(ret);
  if (hs_ok) finish(c, &in[7]);
  if (saved) wolfSSL_SESSION_free(saved);
  if (c->ssl) wolfSSL_free(c->ssl);
#if LIBWOLFSSL_VERSION_HEX > 0x05005004
  /* The client session cache is global and outlives the op. A session
   * ticket longer than SESSION_TICKET_LEN (155 B here; OpenSSL's are
   * ~190 B) is kept in a heap buffer of its cache entry, and 5.7/5.9 put
   * each ticket session in a new entry, so the heap would carry tickets
   * from one op to the next and free them in whichever later op reuses the
   * entry. Evicting every entry here, uncounted, leaves the heap as the op
   * found it and every handshake starts from the same empty cache. 5.5.4
   * is left as it was measured. */
  if (c->ctx) wolfSSL_CTX_flush_sessions(c->ctx, 0x7FFFFFFFL);
#endif
  if (c->ctx) wolfSSL_CTX_free(c->ctx);
  free(c);
  psk_client = NULL;
  cc_net_set_conn(0);

  if (early && errno == ENOMEM) return CC_ERR_NOMEM;
  if (early && (ret == CC_ERR_ARGS || ret == CC_ERR_UNSUPPORTED || ret == CC_ERR_NOMEM)) return ret;
  cc_dtls_outputs(out, nout, suite, bits, hs_ok ? 0 : (uint32_t)ret, resumed, &st);
  if (hs_ok) return CC_OK;
  if (ret == MEMORY_E || ret == MEMORY_ERROR || errno == ENOMEM) return CC_ERR_NOMEM;
  if (bits && bits != V_NOT_CHECKED) return CC_VERDICT_REJECT;
  return ret;
}
#endif /* CERTCOST_DTLS */
