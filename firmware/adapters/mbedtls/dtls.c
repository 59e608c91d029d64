/* mbedTLS DTLS 1.2 client (2.28.3 and 3.6.6): the op dtls-client
 * (docs/ops.md). 3.x hides the context fields the op reads (handshake
 * state, resumption) behind MBEDTLS_PRIVATE: MBEDTLS_ALLOW_PRIVATE_ACCESS
 * keeps their plain names; its handshake struct is in library/ssl_misc.h.
 *
 * Uncounted: parsing the inputs, the trust anchors and the device's own
 * certificate and key, allocating the SSL context and its record buffers;
 * after the handshake, the application data, close_notify and waiting for
 * the peer's close_notify. Counted, in one bracket: the handshake, with
 * the count paused whenever the device waits for the link (cc_net_*).
 * With the RESUME flag a full handshake runs first, uncounted, as
 * connection 0; connection 1 resumes its session and only that
 * abbreviated handshake is counted.
 * Randomness (client random, ECDHE key, ECDSA nonce) is the harness-seeded
 * deterministic cc_rng_cb: repeatable, not entropy. */
#if defined(CERTCOST_DTLS) && !defined(CC_OMIT_DTLS_CLIENT) /* see certcost_mbedtls_config.h; CC_OMIT_*: ops.c */
#define MBEDTLS_ALLOW_PRIVATE_ACCESS /* 3.x; no effect on 2.28 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "certcost/net.h"
#include "certcost/ops.h"
#include "certcost/tls-ops.h"
#include "mbedtls/asn1.h"
#include "mbedtls/ecp.h"
#include "mbedtls/pk.h"
#include "mbedtls/platform.h"
#include "mbedtls/ssl.h"
#include "mbedtls/ssl_ciphersuites.h"
#include "mbedtls/version.h"
#if MBEDTLS_VERSION_NUMBER >= 0x03000000
#define MBEDTLS3 1
#include "ssl_misc.h" /* handshake->resume (library/) */
#else
#define MBEDTLS3 0
#include "mbedtls/ssl_internal.h" /* handshake->resume */
#endif
#include "mbedtls/x509_crt.h"
#include "der-chain.h"

enum { F_KNOWN = 0x007F | F_DTLS13 }; /* the flags this adapter knows (DTLS13: refused) */


struct client {
  mbedtls_ssl_config conf;
  mbedtls_ssl_context ssl;
  mbedtls_x509_crt trust, own;
  mbedtls_pk_context key;
  mbedtls_ssl_session saved;
  int suites[MAX_SUITES + 1];
  uint32_t wait_ms;                   /* receive timeout when mbedTLS asks for "forever" */
  uint32_t t_start, t_int, t_fin;     /* retransmission timer, virtual ms */
  struct stats st;
};

static uint32_t be16(const uint8_t *p) { return (uint32_t)p[0] << 8 | p[1]; }
static uint32_t be32(const uint8_t *p) { return be16(p) << 16 | be16(p + 2); }

/* ---- transport and timer: the link, with the count paused while waiting ---- */
static int bio_send(void *ctx, const unsigned char *buf, size_t len) {
  struct client *c = ctx;
  int r = cc_net_send(buf, len);
  if (r >= 0) {
    c->st.dgrams_out++;
    c->st.bytes_out += (uint32_t)len;
  }
  return r;
}

static int bio_recv(void *ctx, unsigned char *buf, size_t len, uint32_t timeout) {
  struct client *c = ctx;
  int r = cc_net_recv(buf, len, timeout ? timeout : c->wait_ms);
  if (r == 0) { /* no datagram in time: mbedTLS then retransmits its flight */
    c->st.timeouts++;
    return MBEDTLS_ERR_SSL_TIMEOUT;
  }
  if (r > 0) {
    c->st.dgrams_in++;
    c->st.bytes_in += (uint32_t)r;
  }
  return r;
}

/* The virtual clock only moves when a receive times out, so retransmission
 * decisions (and the count) never depend on how fast the host is. */
static void timer_set(void *ctx, uint32_t int_ms, uint32_t fin_ms) {
  struct client *c = ctx;
  c->t_start = cc_net_time_ms();
  c->t_int = int_ms;
  c->t_fin = fin_ms;
}

static int timer_get(void *ctx) {
  struct client *c = ctx;
  if (c->t_fin == 0) return -1;
  uint32_t elapsed = cc_net_time_ms() - c->t_start;
  if (elapsed >= c->t_fin) return 2;
  if (elapsed >= c->t_int) return 1;
  return 0;
}

#if defined(MBEDTLS_HAVE_TIME_DATE)
/* Hook for certificate validity (not built by default): with
 * MBEDTLS_HAVE_TIME, MBEDTLS_HAVE_TIME_DATE and MBEDTLS_PLATFORM_TIME_ALT
 * the library's clock is the calendar clock the harness sets with the core
 * op set-time. newlib's gmtime is plain arithmetic, so mbedTLS's
 * mbedtls_platform_gmtime_r works unchanged. */
#if !defined(MBEDTLS_PLATFORM_TIME_ALT)
#error "MBEDTLS_HAVE_TIME_DATE needs MBEDTLS_PLATFORM_TIME_ALT: newlib's time() has no clock here"
#endif
static mbedtls_time_t device_time(mbedtls_time_t *t) {
  mbedtls_time_t now = (mbedtls_time_t)cc_time_unix();
  if (t) *t = now;
  return now;
}
#endif

/* ---- helpers ---- */
static int map_err(int ret) {
  if (ret >= 0) return ret;
  int e = -ret, low = e & 0x7F, high = e & 0xFF80;
  if (low == -MBEDTLS_ERR_MPI_ALLOC_FAILED || low == -MBEDTLS_ERR_ASN1_ALLOC_FAILED ||
      high == -MBEDTLS_ERR_ECP_ALLOC_FAILED || high == -MBEDTLS_ERR_MD_ALLOC_FAILED ||
      high == -MBEDTLS_ERR_SSL_ALLOC_FAILED || high == -MBEDTLS_ERR_X509_ALLOC_FAILED ||
      high == -MBEDTLS_ERR_PK_ALLOC_FAILED || high == -MBEDTLS_ERR_CIPHER_ALLOC_FAILED)
    return CC_ERR_NOMEM;
  return ret;
}

/* Concatenated DER certificates, parsed in place (der-chain.h). */
static int parse_chain(mbedtls_x509_crt *crt, const cc_in_t *in) { return cc_mbedtls_parse_chain(crt, in->p, in->n, 0); }

#if MBEDTLS3
/* The device's P-256 key from its raw scalar, as SEC1 ECPrivateKey DER
 * (RFC 5915): the pk layer derives the public key (with the built-in ECP,
 * or through PSA when ECC is p256-m's), and the pair is checked against
 * the certificate before the handshake. */
static int load_key(mbedtls_pk_context *pk, const mbedtls_x509_crt *leaf, const cc_in_t *d) {
  static const uint8_t head[] = {0x30, 0x31, 0x02, 0x01, 0x01, 0x04, 0x20};
  static const uint8_t tail[] = {0xA0, 0x0A, 0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07};
  uint8_t der[sizeof head + 32 + sizeof tail];
  memcpy(der, head, sizeof head);
  memcpy(der + sizeof head, d->p, 32);
  memcpy(der + sizeof head + 32, tail, sizeof tail);
  int ret = mbedtls_pk_parse_key(pk, der, sizeof der, NULL, 0, cc_rng_cb, NULL);
  memset(der, 0, sizeof der);
  if (ret == 0) ret = mbedtls_pk_check_pair(&leaf->pk, pk, cc_rng_cb, NULL);
  return ret;
}
#else
/* The device's P-256 key from its raw scalar; Q is derived so the pair can
 * be checked against the certificate before the handshake. */
static int load_key(mbedtls_pk_context *pk, const mbedtls_x509_crt *leaf, const cc_in_t *d) {
  int ret = mbedtls_pk_setup(pk, mbedtls_pk_info_from_type(MBEDTLS_PK_ECKEY));
  if (ret != 0) return ret;
  mbedtls_ecp_keypair *kp = mbedtls_pk_ec(*pk);
  ret = mbedtls_ecp_group_load(&kp->grp, MBEDTLS_ECP_DP_SECP256R1);
  if (ret == 0) ret = mbedtls_mpi_read_binary(&kp->d, d->p, d->n);
  if (ret == 0) ret = mbedtls_ecp_check_privkey(&kp->grp, &kp->d);
  if (ret == 0) ret = mbedtls_ecp_mul(&kp->grp, &kp->Q, &kp->d, &kp->grp.G, cc_rng_cb, NULL);
  if (ret == 0) ret = mbedtls_pk_check_pair(&leaf->pk, pk);
  return ret;
}
#endif

#define NOT_VERIFIED 0xFFFFFFFFu /* also what mbedTLS returns with no session at all */

#if MBEDTLS3
/* A suite whose server authenticates with a PSK (no certificate). */
static int is_psk_suite(int id) {
  const mbedtls_ssl_ciphersuite_t *cs = mbedtls_ssl_ciphersuite_from_id(id);
  return cs && cs->key_exchange == MBEDTLS_KEY_EXCHANGE_PSK;
}
#endif

static uint32_t neutral_flags(uint32_t raw) {
  if (raw == NOT_VERIFIED || (raw & MBEDTLS_X509_BADCERT_SKIP_VERIFY)) return V_NOT_CHECKED;
  uint32_t v = 0, known = 0;
#define MAP(bits, flag) \
  known |= (bits);      \
  if (raw & (bits)) v |= (flag);
  MAP(MBEDTLS_X509_BADCERT_NOT_TRUSTED, V_NOT_TRUSTED)
  MAP(MBEDTLS_X509_BADCERT_EXPIRED, V_EXPIRED)
  MAP(MBEDTLS_X509_BADCERT_FUTURE, V_NOT_YET_VALID)
  MAP(MBEDTLS_X509_BADCERT_REVOKED, V_REVOKED)
  MAP(MBEDTLS_X509_BADCERT_CN_MISMATCH, V_NAME_MISMATCH)
  MAP(MBEDTLS_X509_BADCERT_KEY_USAGE | MBEDTLS_X509_BADCERT_EXT_KEY_USAGE | MBEDTLS_X509_BADCERT_NS_CERT_TYPE,
      V_BAD_USAGE)
  MAP(MBEDTLS_X509_BADCERT_BAD_MD | MBEDTLS_X509_BADCERT_BAD_PK | MBEDTLS_X509_BADCERT_BAD_KEY,
      V_WEAK_ALGORITHM)
#undef MAP
  if (raw & ~known) v |= V_OTHER;
  return v;
}

/* mbedtls_ssl_handshake(), step by step as it does itself, so the op can
 * see whether the server accepted the offered session (the handshake
 * state that says so is freed when the handshake ends). */
static int handshake(struct client *c, int *resumed) {
  int ret = 0;
  while (c->ssl.state != MBEDTLS_SSL_HANDSHAKE_OVER) {
    ret = mbedtls_ssl_handshake_step(&c->ssl);
    if (c->ssl.handshake && c->ssl.state > MBEDTLS_SSL_SERVER_HELLO) *resumed = c->ssl.handshake->resume;
    if (ret == MBEDTLS_ERR_SSL_WANT_READ || ret == MBEDTLS_ERR_SSL_WANT_WRITE) continue; /* after a retransmission */
    if (ret != 0) break;
  }
  return ret;
}

/* After the handshake, uncounted: the application data, close_notify, then
 * wait for the peer's close_notify so that it cannot arrive during the
 * next connection (and be processed inside its count). */
static int finish(struct client *c, const cc_in_t *app) {
  int ret = 0;
  if (app->n) {
    do ret = mbedtls_ssl_write(&c->ssl, app->p, app->n);
    while (ret == MBEDTLS_ERR_SSL_WANT_READ || ret == MBEDTLS_ERR_SSL_WANT_WRITE);
    if (ret < 0) return ret;
  }
  do ret = mbedtls_ssl_close_notify(&c->ssl);
  while (ret == MBEDTLS_ERR_SSL_WANT_WRITE);
  if (ret != 0) return ret;
  mbedtls_ssl_conf_read_timeout(&c->conf, c->wait_ms);
  unsigned char sink[64];
  for (int i = 0; i < 16; i++) {
    ret = mbedtls_ssl_read(&c->ssl, sink, sizeof sink);
    if (ret == MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY || ret == MBEDTLS_ERR_SSL_TIMEOUT) return 0;
    if (ret < 0 && ret != MBEDTLS_ERR_SSL_WANT_READ && ret != MBEDTLS_ERR_SSL_WANT_WRITE) return ret;
  }
  return 0;
}

static int setup(struct client *c, const cc_in_t *in, uint32_t flags) {
  const uint8_t *cfg = in[0].p;
  uint32_t mtu = be16(cfg + 2), tmin = be32(cfg + 4), tmax = be32(cfg + 8);
  c->wait_ms = tmin;
  int ret = mbedtls_ssl_config_defaults(&c->conf, MBEDTLS_SSL_IS_CLIENT, MBEDTLS_SSL_TRANSPORT_DATAGRAM,
                                        MBEDTLS_SSL_PRESET_DEFAULT);
  if (ret != 0) return ret;
#if MBEDTLS3
  mbedtls_ssl_conf_min_tls_version(&c->conf, MBEDTLS_SSL_VERSION_TLS1_2);
  mbedtls_ssl_conf_max_tls_version(&c->conf, MBEDTLS_SSL_VERSION_TLS1_2);
#else
  mbedtls_ssl_conf_min_version(&c->conf, MBEDTLS_SSL_MAJOR_VERSION_3, MBEDTLS_SSL_MINOR_VERSION_3);
  mbedtls_ssl_conf_max_version(&c->conf, MBEDTLS_SSL_MAJOR_VERSION_3, MBEDTLS_SSL_MINOR_VERSION_3);
#endif
  mbedtls_ssl_conf_rng(&c->conf, cc_rng_cb, NULL);
  mbedtls_ssl_conf_ciphersuites(&c->conf, c->suites);
  mbedtls_ssl_conf_handshake_timeout(&c->conf, tmin, tmax);
  mbedtls_ssl_conf_session_tickets(&c->conf, (flags & F_TICKET) ? MBEDTLS_SSL_SESSION_TICKETS_ENABLED
                                                                 : MBEDTLS_SSL_SESSION_TICKETS_DISABLED);
  if (flags & F_PSK) {
    ret = mbedtls_ssl_conf_psk(&c->conf, in[3].p, in[3].n, in[2].p, in[2].n);
    if (ret != 0) return ret;
  }
  if (flags & (F_VERIFY_CA | F_PINNED)) {
    /* Pinning a self-signed certificate is mbedTLS's "locally trusted end
     * entity": a self-signed leaf byte-identical to a trusted certificate
     * is accepted without checking its own signature. */
    ret = parse_chain(&c->trust, &in[4]);
    if (ret != 0) return ret;
    mbedtls_ssl_conf_ca_chain(&c->conf, &c->trust, NULL);
    mbedtls_ssl_conf_authmode(&c->conf, MBEDTLS_SSL_VERIFY_REQUIRED);
  } else {
    mbedtls_ssl_conf_authmode(&c->conf, MBEDTLS_SSL_VERIFY_NONE);
  }
  if (flags & F_CLIENT_CERT) {
    ret = parse_chain(&c->own, &in[5]);
    if (ret == 0) ret = load_key(&c->key, &c->own, &in[6]);
    if (ret == 0) ret = mbedtls_ssl_conf_own_cert(&c->conf, &c->own, &c->key);
    if (ret != 0) return ret;
  }
  ret = mbedtls_ssl_setup(&c->ssl, &c->conf);
  if (ret != 0) return ret;
#if MBEDTLS3
  /* 3.6 (since 3.6.3) fails a client handshake that verifies the server's
   * certificate unless a host name was set: NULL says "no name check", what
   * 2.28 does when none is set. The op has no host name input. */
  if (flags & (F_VERIFY_CA | F_PINNED)) {
    ret = mbedtls_ssl_set_hostname(&c->ssl, NULL);
    if (ret != 0) return ret;
  }
#endif
  mbedtls_ssl_set_bio(&c->ssl, c, bio_send, NULL, bio_recv);
  mbedtls_ssl_set_timer_cb(&c->ssl, c, timer_set, timer_get);
  if (mtu) mbedtls_ssl_set_mtu(&c->ssl, (uint16_t)mtu);
  return 0;
}

static int fail_early(int status) {
  cc_measure_begin();
  cc_measure_end();
  return status;
}

/* Inputs: config(12), suites(2n), psk identity, psk, trust DER, client
 * chain DER, client key(32), application data. Outputs: suite(2),
 * verify flags(4), library verify flags(4), info(14). See docs/ops.md. */
int cc_mbedtls_dtls_client(const cc_in_t *in, size_t nin, cc_out_t *out, size_t *nout) {
  *nout = 0;
  if (nin != 8 || in[0].n != 12 || in[1].n == 0 || in[1].n % 2 || in[1].n / 2 > MAX_SUITES)
    return fail_early(CC_ERR_ARGS);
  if (out[0].cap < 2 || out[1].cap < 4 || out[2].cap < 4 || out[3].cap < INFO_LEN) return fail_early(CC_ERR_OUTPUT);
  uint32_t flags = be16(in[0].p), tmin = be32(in[0].p + 4), tmax = be32(in[0].p + 8);
  if ((flags & ~F_KNOWN) || tmin == 0 || tmax < tmin) return fail_early(CC_ERR_ARGS);
  if (flags & F_DTLS13) return fail_early(CC_ERR_UNSUPPORTED); /* no DTLS 1.3 in 2.28 or 3.6 (3.6 has TLS 1.3 only) */
  if ((flags & F_VERIFY_CA) && (flags & F_PINNED)) return fail_early(CC_ERR_ARGS);
  if ((flags & (F_VERIFY_CA | F_PINNED)) && in[4].n == 0) return fail_early(CC_ERR_ARGS);
  if ((flags & F_PSK) && (in[2].n == 0 || in[3].n == 0 || in[3].n > MBEDTLS_PSK_MAX_LEN))
    return fail_early(CC_ERR_ARGS);
  if ((flags & F_CLIENT_CERT) && (in[5].n == 0 || in[6].n != P256_LEN)) return fail_early(CC_ERR_ARGS);
  /* Neither 2.28 nor 3.6 has a certificate status request (OCSP stapling). */
  if (flags & F_OCSP) return fail_early(CC_ERR_UNSUPPORTED);

  struct client *c = calloc(1, sizeof *c);
  if (!c) return fail_early(CC_ERR_NOMEM);
  for (size_t i = 0; i < in[1].n / 2; i++) {
    int id = (int)be16(in[1].p + 2 * i);
    if (!mbedtls_ssl_ciphersuite_from_id(id)) { /* not in this build */
      free(c);
      return fail_early(CC_ERR_UNSUPPORTED);
    }
    c->suites[i] = id;
  }
  mbedtls_ssl_config_init(&c->conf);
  mbedtls_ssl_init(&c->ssl);
  mbedtls_x509_crt_init(&c->trust);
  mbedtls_x509_crt_init(&c->own);
  mbedtls_pk_init(&c->key);
  mbedtls_ssl_session_init(&c->saved);
#if defined(MBEDTLS_HAVE_TIME_DATE)
  mbedtls_platform_set_time(device_time);
#endif

  /* newlib's malloc sets errno on failure: lets the op report "does not
   * fit" even where mbedTLS folds a failed allocation into another error
   * (an X.509 signature check that cannot allocate reads NOT_TRUSTED). */
  errno = 0;
  int resumed = 0;
  cc_net_set_conn(0);
  int ret = setup(c, in, flags);
  /* mbedTLS writes verify_result only when it verifies a chain (it stays
   * as it is for PSK suites and VERIFY_NONE): a sentinel tells "nothing
   * checked" from "checked, no findings". A resumed session carries its
   * original result. */
  if (ret == 0) c->ssl.session_negotiate->verify_result = NOT_VERIFIED;
  if (ret == 0 && (flags & F_RESUME)) {
    ret = handshake(c, &resumed);
    if (ret == 0) ret = mbedtls_ssl_get_session(&c->ssl, &c->saved);
    static const cc_in_t no_data = {0, 0}; /* application data only on the counted connection */
    if (ret == 0) ret = finish(c, &no_data);
    if (ret == 0) ret = mbedtls_ssl_session_reset(&c->ssl);
    if (ret == 0) ret = mbedtls_ssl_set_session(&c->ssl, &c->saved);
    cc_net_set_conn(1);
    resumed = 0;
  }
  memset(&c->st, 0, sizeof c->st);

  cc_measure_begin();
  if (ret == 0) ret = handshake(c, &resumed);
  cc_measure_end();

  struct stats st = c->st;
  int hs_ok = ret == 0;
  uint32_t raw = mbedtls_ssl_get_verify_result(&c->ssl);
  uint32_t suite = hs_ok && c->ssl.session ? (uint32_t)c->ssl.session->ciphersuite : 0;
#if MBEDTLS3
  uint32_t neutral = neutral_flags(raw);
  /* 3.x writes 0 for "nothing to verify" too (a PSK suite, VERIFY_NONE),
   * where 2.28 left the sentinel or said SKIP_VERIFY: decide from what was
   * asked and negotiated (or, after a failure, offered), as the wolfSSL
   * adapter does. */
  int cert_offered = 0;
  for (size_t i = 0; i < in[1].n / 2; i++) cert_offered |= !is_psk_suite(c->suites[i]);
  if (!(flags & (F_VERIFY_CA | F_PINNED)) || (hs_ok ? is_psk_suite((int)suite) : !cert_offered)) neutral = V_NOT_CHECKED;
  if (hs_ok) ret = finish(c, &in[7]);
  cc_dtls_outputs(out, nout, suite, neutral, raw, resumed, &st);
#else
  if (hs_ok) ret = finish(c, &in[7]);

  cc_dtls_outputs(out, nout, suite, neutral_flags(raw), raw, resumed, &st);
#endif

  mbedtls_ssl_session_free(&c->saved);
  mbedtls_pk_free(&c->key);
  mbedtls_x509_crt_free(&c->own);
  mbedtls_x509_crt_free(&c->trust);
  mbedtls_ssl_free(&c->ssl);
  mbedtls_ssl_config_free(&c->conf);
  free(c);
  cc_net_set_conn(0);
  if (ret != 0 && errno == ENOMEM) return CC_ERR_NOMEM;
  if (ret == MBEDTLS_ERR_X509_CERT_VERIFY_FAILED) return CC_VERDICT_REJECT;
  return map_err(ret);
}
#endif /* CERTCOST_DTLS */
