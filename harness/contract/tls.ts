// The contract of the certificate and DTLS ops (firmware/include/certcost/tls-ops.h,
// docs/ops.md): dtls-client config flags, the library-neutral verdict bits
// every verify-style op answers with, and the dtls-client info block. The one
// TypeScript copy, checked against the header by test/unit/contract.test.ts.

/** dtls-client config flags (bytes 0-1 of input 0). */
export const DTLS_FLAG = {
  PSK: 0x0001,
  VERIFY_CA: 0x0002,
  PINNED: 0x0004,
  CLIENT_CERT: 0x0008,
  RESUME: 0x0010,
  OCSP: 0x0020,
  TICKET: 0x0040,
  OCSP_V2: 0x0080,
  MUST_STAPLE: 0x0100,
  DTLS13: 0x0200,
  PSK_DHE: 0x0400,
} as const;

/** Library-neutral verdict bits of x509-verify-chain, ocsp-check and dtls-client output 1. */
export const V = {
  NOT_TRUSTED: 0x01,
  EXPIRED: 0x02,
  NOT_YET_VALID: 0x04,
  REVOKED: 0x08,
  NAME_MISMATCH: 0x10,
  BAD_USAGE: 0x20,
  WEAK_ALGORITHM: 0x40,
  OTHER: 0x80,
  CRL_NOT_TRUSTED: 0x100,
  CRL_EXPIRED: 0x200,
  CRL_NOT_YET_VALID: 0x400,
  STATUS_UNKNOWN: 0x800,
  /** wolfSSL: the trust anchor itself was refused when loaded (its dates, at the device's clock). */
  ANCHOR_REFUSED: 0x1000,
  /** Nothing was verified (a PSK suite, or neither VERIFY_CA nor PINNED). */
  NOT_CHECKED: 0x80000000,
} as const;

/** Verdict bits as words, e.g. ['expired', 'not-trusted']. */
export function verdictNames(bits: number): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(V)) if (v !== V.NOT_CHECKED && bits & v) out.push(k.toLowerCase().replace(/_/g, '-'));
  if (bits & V.NOT_CHECKED) out.push('not-checked');
  return out;
}

/** dtls-client output 3: resumed, timeouts, datagrams and bytes each way. */
export const INFO_LEN = 14;

/** x509-verify-chain config flags (input 0): check the CRL of input 3, or the uploaded blob. */
export const X509_FLAG = { CRL: 0x01, CRL_BLOB: 0x02 } as const;

/** ocsp-check config flags (input 0). */
export const OCSP_FLAG = { HARD_FAIL: 0x01, NONCE: 0x02 } as const;

/** ocsp-check info byte 0: how the status lookup went. */
export const OCSP_LOOKUP = { VERIFIED: 0, NO_RESPONSE: 1, BAD_RESPONSE: 2, NOT_ASKED: 3 } as const;
