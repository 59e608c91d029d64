/* Framed, checksummed link to the harness. Wire format in docs/link-protocol.md. */
#ifndef CERTCOST_LINK_H
#define CERTCOST_LINK_H
#include <stddef.h>
#include <stdint.h>

enum {
  LINK_HELLO = 0x01,  /* dev->host: key=value lines */
  LINK_OP = 0x10,     /* host->dev: run an op */
  LINK_RESULT = 0x11, /* dev->host: op status, footprint, outputs */
  LINK_ERROR = 0x12,  /* dev->host: frame or request rejected */
  LINK_EXIT = 0x20,   /* host->dev: power off */
  LINK_LOG = 0x30,    /* dev->host: text */
  LINK_DGRAM = 0x40,  /* both ways: one datagram for/from the network peer */
  LINK_RECV = 0x41,   /* dev->host: u32 timeout ms; waiting for a datagram */
  LINK_TIMEOUT = 0x42,/* host->dev: no datagram came within the timeout */
  LINK_FAULT = 0x7F,  /* dev->host: CPU fault record, then exit */
};
enum { LINK_E_CRC = 1, LINK_E_TOOBIG = 2, LINK_E_BADOP = 3, LINK_E_TYPE = 4 };

void link_send(uint8_t type, uint8_t seq, const uint8_t *p, size_t n);
/* Send a frame whose payload is given in pieces (no copy). */
void link_send_v(uint8_t type, uint8_t seq, const uint8_t *const *parts, const size_t *lens, size_t nparts);
/* Receive one valid frame into buf (cap bytes). Bad frames are answered
 * with LINK_ERROR and skipped. Returns payload length. */
size_t link_recv(uint8_t *type, uint8_t *seq, uint8_t *buf, size_t cap);
uint32_t link_crc32(uint32_t crc, const uint8_t *p, size_t n);
#endif
