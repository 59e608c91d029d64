/* Datagram transport for the DTLS clients. A datagram travels as a link
 * frame; the harness relays it to a real peer over UDP and back. Waiting
 * is not work: both calls pause the instruction count while the link is
 * busy, so an op's count covers only the device's own computation. */
#ifndef CERTCOST_NET_H
#define CERTCOST_NET_H
#include <stddef.h>
#include <stdint.h>

/* Returns n, or a negative CC_ERR_* code. */
int cc_net_send(const uint8_t *buf, size_t n);
/* Returns the datagram's length, 0 if none came within timeout_ms (the
 * virtual clock then advances by timeout_ms), or a negative error. A
 * datagram longer than cap is truncated, as a UDP socket would. */
int cc_net_recv(uint8_t *buf, size_t cap, uint32_t timeout_ms);
/* Connection number sent in the seq byte of the DGRAM and RECV frames, so
 * the harness can tell an op's connections apart (a full handshake, then
 * the resumed one). An op numbers its connections 0, 1, ... and sets 0
 * again before it returns. */
void cc_net_set_conn(uint8_t conn);
/* Virtual milliseconds for retransmission timers: advances only when a
 * receive times out, so a handshake's count never depends on host speed. */
uint32_t cc_net_time_ms(void);

/* The device's notion of calendar time (Unix seconds), set by the harness
 * with the core op "set-time"; 0 means "no clock" (never set). */
int64_t cc_time_unix(void);
#endif
