/* Link framing: SYNC0 SYNC1 | type | seq | len (u16 LE) | payload | crc32 (LE)
 * The CRC (CRC-32/ISO-HDLC, as zlib) covers type..payload. */
#include "certcost/link.h"
#include "certcost/hal.h"

#define SYNC0 0xC3
#define SYNC1 0x3C

uint32_t link_crc32(uint32_t crc, const uint8_t *p, size_t n) {
  crc = ~crc;
  while (n--) {
    crc ^= *p++;
    for (int k = 0; k < 8; k++) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
  }
  return ~crc;
}

static void put_bytes(const uint8_t *p, size_t n) { while (n--) hal_uart_putc(*p++); }

void link_send_v(uint8_t type, uint8_t seq, const uint8_t *const *parts, const size_t *lens, size_t nparts) {
  size_t total = 0;
  for (size_t i = 0; i < nparts; i++) total += lens[i];
  uint8_t hdr[6] = {SYNC0, SYNC1, type, seq, (uint8_t)total, (uint8_t)(total >> 8)};
  put_bytes(hdr, sizeof hdr);
  uint32_t crc = link_crc32(0, hdr + 2, 4);
  for (size_t i = 0; i < nparts; i++) {
    put_bytes(parts[i], lens[i]);
    crc = link_crc32(crc, parts[i], lens[i]);
  }
  uint8_t tail[4] = {(uint8_t)crc, (uint8_t)(crc >> 8), (uint8_t)(crc >> 16), (uint8_t)(crc >> 24)};
  put_bytes(tail, 4);
}

void link_send(uint8_t type, uint8_t seq, const uint8_t *p, size_t n) {
  link_send_v(type, seq, &p, &n, 1);
}

static void send_error(uint8_t seq, uint8_t code) {
  link_send(LINK_ERROR, seq, &code, 1);
}

size_t link_recv(uint8_t *type, uint8_t *seq, uint8_t *buf, size_t cap) {
  for (;;) {
    if (hal_uart_getc() != SYNC0) continue;
    uint8_t c = hal_uart_getc();
    while (c == SYNC0) c = hal_uart_getc();
    if (c != SYNC1) continue;
    uint8_t hdr[4];
    for (int i = 0; i < 4; i++) hdr[i] = hal_uart_getc();
    size_t len = (size_t)hdr[2] | ((size_t)hdr[3] << 8);
    uint32_t crc = link_crc32(0, hdr, 4);
    int fits = len <= cap;
    for (size_t i = 0; i < len; i++) {
      uint8_t b = hal_uart_getc();
      if (fits) buf[i] = b;
      crc = link_crc32(crc, &b, 1);
    }
    uint32_t got = 0;
    for (int i = 0; i < 4; i++) got |= (uint32_t)hal_uart_getc() << (8 * i);
    if (!fits) { send_error(hdr[1], LINK_E_TOOBIG); continue; }
    if (got != crc) { send_error(hdr[1], LINK_E_CRC); continue; }
    *type = hdr[0];
    *seq = hdr[1];
    return len;
  }
}
