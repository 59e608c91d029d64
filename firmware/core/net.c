/* Datagram transport over the link (see certcost/net.h). */
#include <string.h>
#include "certcost/link.h"
#include "certcost/net.h"
#include "certcost/ops.h"

#ifndef LINK_MAX
#define LINK_MAX 2048
#endif

static uint32_t virtual_ms;
static int64_t unix_time;
static uint8_t conn_no;

void cc_net_set_conn(uint8_t conn) { conn_no = conn; }

uint32_t cc_net_time_ms(void) { return virtual_ms; }
int64_t cc_time_unix(void) { return unix_time; }
void net_set_time(int64_t t) { unix_time = t; }

int cc_net_send(const uint8_t *buf, size_t n) {
  if (n > LINK_MAX) return CC_ERR_ARGS;
  cc_measure_pause();
  link_send(LINK_DGRAM, conn_no, buf, n);
  cc_measure_resume();
  return (int)n;
}

int cc_net_recv(uint8_t *buf, size_t cap, uint32_t timeout_ms) {
  /* Separate from the command buffer: the running op's inputs live there. */
  static uint8_t rx[LINK_MAX];
  uint8_t req[4] = {(uint8_t)timeout_ms, (uint8_t)(timeout_ms >> 8), (uint8_t)(timeout_ms >> 16), (uint8_t)(timeout_ms >> 24)};
  int ret;
  cc_measure_pause();
  link_send(LINK_RECV, conn_no, req, sizeof req);
  for (;;) {
    uint8_t type, seq;
    size_t n = link_recv(&type, &seq, rx, sizeof rx);
    if (type == LINK_DGRAM) {
      size_t k = n < cap ? n : cap;
      memcpy(buf, rx, k);
      ret = (int)k;
      break;
    }
    if (type == LINK_TIMEOUT) {
      virtual_ms += timeout_ms;
      ret = 0;
      break;
    }
    uint8_t e = LINK_E_TYPE; /* nothing else is expected mid-op */
    link_send(LINK_ERROR, seq, &e, 1);
  }
  cc_measure_resume();
  return ret;
}
