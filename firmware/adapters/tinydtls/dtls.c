/* tinydtls DTLS 1.2 client: the op dtls-client (docs/ops.md), for
 * TLS_PSK_WITH_AES_128_CCM(_8) and TLS_ECDHE_ECDSA_WITH_AES_128_CCM(_8)
 * with raw public keys (RFC 7250), tinydtls' only certificate type.
 *
 * Uncounted: checking the inputs, dtls_init and the context; after the
 * handshake, the application data, close_notify and the wait for the
 * peer's. Counted, in one bracket: dtls_connect (the ClientHello) until
 * tinydtls reports DTLS_EVENT_CONNECTED, with the count paused whenever
 * the device waits for the link (cc_net_*).
 * Contract differences: no X.509 (VERIFY_CA, or a DER certificate to pin),
 * resumption, tickets or OCSP: CC_ERR_UNSUPPORTED. Raw public keys take
 * the place of certificates: PINNED's trust input is the server's key and
 * CLIENT_CERT's "chain" the device's own, both 04 || X || Y (65 bytes);
 * the client key is the 32-byte scalar as usual. tinydtls has no MTU setting
 * (its record buffer is DTLS_MAX_BUF) and puts every record in a datagram
 * of its own; the MTU field is ignored.
 * This file also gives tinydtls its platform: the clock is the virtual
 * link clock (moves only when a receive times out, so retransmission
 * decisions never depend on host speed) and the PRNG is the
 * harness-seeded deterministic cc_rng_fill: repeatable, not entropy. */
#if defined(CERTCOST_DTLS)
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "certcost/net.h"
#include "certcost/ops.h"
#include "certcost/tls-ops.h"
#include "tinydtls.h"
#include "dtls.h"
#include "dtls_prng.h"
#include "dtls_time.h"

enum { F_KNOWN = 0x007F | F_DTLS13, F_NOT_HERE = F_VERIFY_CA | F_RESUME | F_OCSP | F_TICKET | F_DTLS13 }; /* the flags this adapter honours / refuses */
/* Adapter-level failures (tinydtls' own errors are fatal-alert codes, -0x2xx). */
enum { TINYDTLS_ERR_TIMEOUT = -3, TINYDTLS_ERR_LINK = -4 };

struct client {
  dtls_context_t *ctx;
  session_t session;
  dtls_handler_t h;
  dtls_cipher_t suites[DTLS_MAX_CIPHER_SUITES + 1];
  dtls_ecdsa_key_t own; /* the device's key pair (CLIENT_CERT) */
  const cc_in_t *in;
  uint32_t wait_ms, max_ms;
  int connected, alert;
  uint16_t suite;
  uint32_t verify;
  struct stats st;
  uint8_t buf[DTLS_MAX_BUF];
};

static uint32_t be16(const uint8_t *p) { return (uint32_t)p[0] << 8 | p[1]; }
static uint32_t be32(const uint8_t *p) { return be16(p) << 16 | be16(p + 2); }

/* ---- tinydtls' platform ---- */
int dtls_prng(unsigned char *buf, size_t len) {
  cc_rng_fill(buf, len);
  return (int)len;
}
void dtls_prng_init(unsigned seed) { (void)seed; }
void dtls_clock_init(void) {}
void dtls_ticks(dtls_tick_t *t) { *t = cc_net_time_ms(); } /* DTLS_TICKS_PER_SECOND is 1000 */

/* ---- callbacks ---- */
static int on_write(dtls_context_t *ctx, session_t *s, uint8 *buf, size_t len) {
  (void)s;
  struct client *c = dtls_get_app_data(ctx);
  int r = cc_net_send(buf, len);
  if (r < 0) return -1;
  c->st.dgrams_out++;
  c->st.bytes_out += (uint32_t)len;
  return (int)len;
}

static int on_read(dtls_context_t *ctx, session_t *s, uint8 *buf, size_t len) {
  (void)ctx, (void)s, (void)buf, (void)len; /* the peer's echo of the application data */
  return 0;
}

static int on_event(dtls_context_t *ctx, session_t *s, dtls_alert_level_t level, unsigned short code) {
  (void)s;
  struct client *c = dtls_get_app_data(ctx);
  if (level == 0 && code == DTLS_EVENT_CONNECTED) c->connected = 1;
  else if (level == DTLS_ALERT_LEVEL_FATAL && !c->alert) c->alert = dtls_alert_fatal_create((dtls_alert_t)code);
  return 0;
}

static void on_parameters(dtls_context_t *ctx, session_t *s, dtls_user_parameters_t *p) {
  (void)s;
  struct client *c = dtls_get_app_data(ctx);
  memcpy(p->cipher_suites, c->suites, sizeof c->suites);
}

static int on_psk(dtls_context_t *ctx, const session_t *s, dtls_credentials_type_t type, const unsigned char *desc,
                  size_t desc_len, unsigned char *result, size_t cap) {
  (void)s;
  struct client *c = dtls_get_app_data(ctx);
  const cc_in_t *id = &c->in[2], *key = &c->in[3];
  switch (type) {
  case DTLS_PSK_IDENTITY: /* desc: the server's hint, if any; one identity either way */
    if (id->n > cap) return dtls_alert_fatal_create(DTLS_ALERT_INTERNAL_ERROR);
    memcpy(result, id->p, id->n);
    return (int)id->n;
  case DTLS_PSK_KEY:
    if (desc_len != id->n || memcmp(desc, id->p, id->n) != 0 || key->n > cap)
      return dtls_alert_fatal_create(DTLS_ALERT_INTERNAL_ERROR);
    memcpy(result, key->p, key->n);
    return (int)key->n;
  case DTLS_PSK_HINT:
  default:
    return 0;
  }
}

/* The server's raw public key: pinned (PINNED) or accepted as it is; its
 * signature on ServerKeyExchange is checked by tinydtls either way. */
static int on_verify_key(dtls_context_t *ctx, const session_t *s, const unsigned char *x, const unsigned char *y,
                         size_t size) {
  (void)s;
  struct client *c = dtls_get_app_data(ctx);
  const cc_in_t *trust = &c->in[4];
  if (trust->n == 0) return 0;
  if (size != P256_LEN || memcmp(trust->p + 1, x, P256_LEN) != 0 || memcmp(trust->p + 1 + P256_LEN, y, P256_LEN) != 0) {
    c->verify = V_NOT_TRUSTED;
    return dtls_alert_fatal_create(DTLS_ALERT_BAD_CERTIFICATE);
  }
  c->verify = 0;
  return 0;
}

/* The device's own key, when the server asks for it (CLIENT_CERT). */
static int on_own_key(dtls_context_t *ctx, const session_t *s, const dtls_ecdsa_key_t **result) {
  (void)s;
  struct client *c = dtls_get_app_data(ctx);
  *result = &c->own;
  return 0;
}

/* ---- transport ---- */
/* The negotiated suite, read from the plaintext ServerHello (record 13 B,
 * handshake header 12 B, version 2, random 32, session id) with the count
 * paused: tinydtls keeps it only as an index private to dtls.c. */
static void peek_server_hello(struct client *c, const uint8_t *d, int n) {
  cc_measure_pause();
  if (!c->suite && n > 13 + 12 + 35 && d[0] == DTLS_CT_HANDSHAKE && d[3] == 0 && d[4] == 0 &&
      d[13] == DTLS_HT_SERVER_HELLO) {
    int o = 13 + 12 + 34;
    o += 1 + d[o];
    if (o + 2 <= n) c->suite = (uint16_t)be16(d + o);
  }
  cc_measure_resume();
}

/* One receive: hands a datagram to tinydtls, or on a timeout lets it
 * retransmit. Returns <0 on failure, 0 otherwise. */
static int pump(struct client *c, int in_handshake) {
  int n = cc_net_recv(c->buf, sizeof c->buf, c->wait_ms);
  if (n < 0) return TINYDTLS_ERR_LINK;
  if (n == 0) {
    c->st.timeouts++;
    if (cc_net_time_ms() > c->max_ms) return TINYDTLS_ERR_TIMEOUT;
    dtls_check_retransmit(c->ctx, NULL);
    return 0;
  }
  c->st.dgrams_in++;
  c->st.bytes_in += (uint32_t)n;
  if (in_handshake) peek_server_hello(c, c->buf, n);
  int r = dtls_handle_message(c->ctx, &c->session, c->buf, n);
  return c->alert ? c->alert : (r < 0 && in_handshake ? r : 0);
}

/* After the handshake, uncounted: the application data, close_notify, and
 * the peer's close_notify (or a timeout), so nothing of this connection
 * lands in the next op's count. */
static void finish(struct client *c, const cc_in_t *app) {
  if (app->n) dtls_write(c->ctx, &c->session, (uint8 *)app->p, app->n);
  dtls_close(c->ctx, &c->session);
  for (int i = 0; i < 16 && dtls_get_peer(c->ctx, &c->session); i++) {
    uint8_t timeouts = c->st.timeouts;
    if (pump(c, 0) < 0 || c->st.timeouts != timeouts) break;
  }
}

static int fail_early(int status) {
  cc_measure_begin();
  cc_measure_end();
  return status;
}

static int suite_known(uint32_t s) {
  return s == TLS_PSK_WITH_AES_128_CCM_8 || s == TLS_PSK_WITH_AES_128_CCM || s == TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8 ||
         s == TLS_ECDHE_ECDSA_WITH_AES_128_CCM;
}
static int suite_psk(uint32_t s) { return s == TLS_PSK_WITH_AES_128_CCM_8 || s == TLS_PSK_WITH_AES_128_CCM; }

/* Inputs and outputs as cc_mbedtls_dtls_client (docs/ops.md). */
int cc_tinydtls_dtls_client(const cc_in_t *in, size_t nin, cc_out_t *out, size_t *nout) {
  *nout = 0;
  if (nin != 8 || in[0].n != 12 || in[1].n == 0 || in[1].n % 2) return fail_early(CC_ERR_ARGS);
  if (out[0].cap < 2 || out[1].cap < 4 || out[2].cap < 4 || out[3].cap < INFO_LEN) return fail_early(CC_ERR_OUTPUT);
  uint32_t flags = be16(in[0].p), tmin = be32(in[0].p + 4), tmax = be32(in[0].p + 8);
  if ((flags & ~F_KNOWN) || tmin == 0 || tmax < tmin) return fail_early(CC_ERR_ARGS);
  if (flags & F_NOT_HERE) return fail_early(CC_ERR_UNSUPPORTED);
  /* A DER certificate (SEQUENCE) to pin: X.509, which tinydtls does not have. */
  if ((flags & F_PINNED) && in[4].n && in[4].p[0] == 0x30) return fail_early(CC_ERR_UNSUPPORTED);
  if ((flags & F_PINNED) && (in[4].n != P256_POINT_LEN || in[4].p[0] != 0x04)) return fail_early(CC_ERR_ARGS);
  if ((flags & F_CLIENT_CERT) && in[5].n && in[5].p[0] == 0x30) return fail_early(CC_ERR_UNSUPPORTED);
  if ((flags & F_CLIENT_CERT) && (in[5].n != P256_POINT_LEN || in[5].p[0] != 0x04 || in[6].n != P256_LEN))
    return fail_early(CC_ERR_ARGS);
  if ((flags & F_PSK) && (in[2].n == 0 || in[3].n == 0)) return fail_early(CC_ERR_ARGS);
  size_t nsuites = in[1].n / 2;
  if (nsuites > DTLS_MAX_CIPHER_SUITES) return fail_early(CC_ERR_UNSUPPORTED);
  for (size_t i = 0; i < nsuites; i++) {
    uint32_t s = be16(in[1].p + 2 * i);
    if (!suite_known(s)) return fail_early(CC_ERR_UNSUPPORTED);
    if (suite_psk(s) && !(flags & F_PSK)) return fail_early(CC_ERR_ARGS);
  }

  errno = 0;
  struct client *c = calloc(1, sizeof *c);
  if (!c) return fail_early(CC_ERR_NOMEM);
  for (size_t i = 0; i < nsuites; i++) c->suites[i] = (dtls_cipher_t)be16(in[1].p + 2 * i);
  c->suites[nsuites] = TLS_NULL_WITH_NULL_NULL;
  c->in = in;
  c->wait_ms = tmin;
  c->max_ms = cc_net_time_ms() + tmax;
  c->verify = V_NOT_CHECKED;
  c->h.write = on_write;
  c->h.read = on_read;
  c->h.event = on_event;
  c->h.get_user_parameters = on_parameters;
  if (flags & F_PSK) c->h.get_psk_info = on_psk;
  c->h.verify_ecdsa_key = on_verify_key; /* offers ECDHE-ECDSA (raw public keys) when a suite asks for it */
  if (flags & F_CLIENT_CERT) {
    c->own.curve = DTLS_ECDH_CURVE_SECP256R1;
    c->own.priv_key = in[6].p;
    c->own.pub_key_x = in[5].p + 1;
    c->own.pub_key_y = in[5].p + 33;
    c->h.get_ecdsa_key = on_own_key; /* also makes tinydtls offer client_certificate_type */
  }

  dtls_init();
  cc_net_set_conn(0);
  int ret = 0;
  c->ctx = dtls_new_context(c);
  if (!c->ctx) ret = CC_ERR_NOMEM;
  if (ret == 0) {
    dtls_set_handler(c->ctx, &c->h);
    dtls_session_init(&c->session); /* the one peer; its address is only a key here */
    c->session.addr.sin.sin_family = AF_INET;
    c->session.addr.sin.sin_port = 1;
  }

  cc_measure_begin();
  if (ret == 0 && dtls_connect(c->ctx, &c->session) < 0) ret = c->alert ? c->alert : CC_ERR_NOMEM;
  while (ret == 0 && !c->connected) ret = pump(c, 1);
  cc_measure_end();

  struct stats st = c->st;
  int hs_ok = ret == 0 && c->connected;
  if (hs_ok) finish(c, &in[7]);
  cc_dtls_outputs(out, nout, hs_ok ? c->suite : 0, c->verify, c->verify, 0 /* no resumption in tinydtls' client */, &st);

  if (c->ctx) dtls_free_context(c->ctx);
  uint32_t verify = c->verify;
  free(c);
  cc_net_set_conn(0);
  if (ret != 0 && errno == ENOMEM) return CC_ERR_NOMEM;
  if (ret != 0 && verify == V_NOT_TRUSTED) return CC_VERDICT_REJECT;
  return ret;
}
#endif /* CERTCOST_DTLS */
