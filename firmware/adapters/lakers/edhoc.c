/* The op edhoc-initiator (docs/ops.md, docs/edhoc.md): the device runs an
 * EDHOC exchange as initiator, method 3 (static-static DH), cipher suite 2,
 * with lakers (through lakers_shim.h), against the responder the harness
 * relays its datagrams to. Transport: raw UDP over the link (certcost/net.h),
 * one EDHOC message per datagram, no CoAP: the datagram is the message.
 *
 * Inputs: 0 config (certcost/edhoc-ops.h: flags, C_I, timeouts), 1 the
 * device's static private key I (32 B), 2 its credential CRED_I (a CCS),
 * 3 the responder credential CRED_R it trusts (a CCS).
 * Outputs: 0 PRK_out (32), 1 OSCORE Master Secret (16) || Salt (8), 2 info
 * (C_R, timeouts, datagrams and bytes each way), 3 the three messages'
 * lengths.
 *
 * Counted, in one bracket: drawing the ephemeral key and message_1, sending
 * it, processing message_2 (decrypt, check ID_CRED_R against CRED_R, MAC_2),
 * message_3 and PRK_out, sending it, and the exporter (OSCORE secret and
 * salt). Waits for the link are paused (cc_net_*). Uncounted: checking the
 * inputs. The session state lives on this function's stack. If message_2
 * does not come within the timeout, message_1 is sent again (the responder
 * answers a repeated message_1 with the same message_2); after message_3
 * nothing comes back (no message_4, no CoAP response), so the exchange is
 * complete for the device when message_3 is sent. */
#include <string.h>
#include "certcost/edhoc-ops.h"
#include "certcost/net.h"
#include "certcost/ops.h"
#include "certcost/tls-ops.h"
#include "lakers_shim.h"

/* lakers' EdhocMessageBuffer holds 192 B. */
#define MSG_MAX 192
/* The shim's session (lakers' typestates), measured: see cc_lakers_session_size. */
#define SESSION_MAX 1536

enum { LAKERS_ERR_TIMEOUT = -3, LAKERS_ERR_LINK = -4, LAKERS_ERR_SESSION = -5 };

static uint32_t be32(const uint8_t *p) { return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]; }

static int send_msg(const uint8_t *m, size_t n, struct stats *st) {
  int r = cc_net_send(m, n);
  if (r < 0) return LAKERS_ERR_LINK;
  st->dgrams_out++;
  st->bytes_out += (uint32_t)n;
  return 0;
}

int cc_lakers_edhoc_initiator(const cc_in_t *in, size_t nin, cc_out_t *out, size_t *nout) {
  *nout = 0;
  if (nin != 4 || in[0].n != EDHOC_CONFIG_LEN || in[1].n != P256_LEN || in[2].n == 0 || in[3].n == 0) return cc_refuse(CC_ERR_ARGS);
  if (out[0].cap < EDHOC_PRK_OUT_LEN || out[1].cap < EDHOC_OSCORE_LEN || out[2].cap < EDHOC_INFO_LEN || out[3].cap < EDHOC_LENS_LEN)
    return cc_refuse(CC_ERR_OUTPUT);
  uint8_t flags = in[0].p[0], c_i = in[0].p[1];
  uint32_t wait_ms = be32(in[0].p + 4), max_ms = be32(in[0].p + 8);
  if ((flags & ~EDHOC_F_BY_VALUE) || wait_ms == 0 || max_ms < wait_ms) return cc_refuse(CC_ERR_ARGS);
  if (cc_lakers_session_size() > SESSION_MAX) return cc_refuse(LAKERS_ERR_SESSION);

  uint64_t session[SESSION_MAX / 8];
  /* message_1, kept for a resend until message_2 comes, then message_3. */
  uint8_t out_msg[MSG_MAX], m2[MSG_MAX];
  uint8_t *m1 = out_msg, *m3 = out_msg;
  size_t n1 = 0, n3 = 0, c_r_len = 0;
  uint8_t c_r[8] = {0};
  int n2 = 0;
  struct stats st = {0};
  uint32_t deadline = cc_net_time_ms() + max_ms;
  cc_net_set_conn(0);

  cc_measure_begin();
  int ret = cc_lakers_i_prepare_message_1(session, sizeof session, c_i, m1, sizeof out_msg, &n1);
  if (ret == 0) ret = send_msg(m1, n1, &st);
  while (ret == 0) {
    n2 = cc_net_recv(m2, sizeof m2, wait_ms);
    if (n2 < 0) ret = LAKERS_ERR_LINK;
    else if (n2 > 0) break;
    else if (cc_net_time_ms() > deadline) ret = LAKERS_ERR_TIMEOUT;
    else {
      st.timeouts++;
      ret = send_msg(m1, n1, &st); /* message_2 is late: message_1 again */
    }
  }
  if (ret == 0) {
    st.dgrams_in++;
    st.bytes_in += (uint32_t)n2;
    ret = cc_lakers_i_process_message_2(session, m2, (size_t)n2, in[3].p, in[3].n, in[1].p, in[2].p, in[2].n, c_r, &c_r_len);
  }
  if (ret == 0) ret = cc_lakers_i_prepare_message_3(session, flags & EDHOC_F_BY_VALUE, m3, sizeof out_msg, &n3, out[0].p);
  if (ret == 0) ret = send_msg(m3, n3, &st);
  if (ret == 0) ret = cc_lakers_i_exporter(session, 0, out[1].p, 16);
  if (ret == 0) ret = cc_lakers_i_exporter(session, 1, out[1].p + 16, 8);
  cc_measure_end();
  cc_lakers_drop(session);
  cc_net_set_conn(0);

  uint8_t *info = out[2].p;
  info[0] = c_r_len == 1 ? c_r[0] : 0;
  info[1] = st.timeouts;
  cc_put16be(info + 2, st.dgrams_out);
  cc_put16be(info + 4, st.dgrams_in);
  cc_put32be(info + 6, st.bytes_out);
  cc_put32be(info + 10, st.bytes_in);
  cc_put16be(out[3].p, (uint32_t)n1);
  cc_put16be(out[3].p + 2, (uint32_t)(n2 > 0 ? n2 : 0));
  cc_put16be(out[3].p + 4, (uint32_t)n3);
  out[0].n = ret == 0 ? EDHOC_PRK_OUT_LEN : 0;
  out[1].n = ret == 0 ? EDHOC_OSCORE_LEN : 0;
  out[2].n = EDHOC_INFO_LEN;
  out[3].n = EDHOC_LENS_LEN;
  *nout = 4;
  return ret;
}
