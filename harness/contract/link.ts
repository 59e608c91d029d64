// Frame types and link error codes of the UART protocol
// (firmware/include/certcost/link.h, docs/link-protocol.md): the one
// TypeScript copy, checked against the header by test/unit/contract.test.ts.
export const FRAME = {
  HELLO: 0x01,
  OP: 0x10,
  RESULT: 0x11,
  ERROR: 0x12,
  EXIT: 0x20,
  LOG: 0x30,
  DGRAM: 0x40,
  RECV: 0x41,
  TIMEOUT: 0x42,
  FAULT: 0x7f,
} as const;

/** LINK_E_* codes a device's ERROR frame carries, as words. */
export const LINK_E = { CRC: 1, TOOBIG: 2, BADOP: 3, TYPE: 4 } as const;
export const LINK_ERRORS: Record<number, string> = {
  [LINK_E.CRC]: 'bad CRC', [LINK_E.TOOBIG]: 'frame too big for the device', [LINK_E.BADOP]: 'malformed op request', [LINK_E.TYPE]: 'unknown frame type',
};
