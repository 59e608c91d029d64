// DTLS 1.3 (RFC 9147) on the wire: the hellos go in DTLSPlaintext records
// (the 13-byte DTLS 1.2 header, epoch 0), and everything after the
// ServerHello in DTLSCiphertext records with the unified header (first byte
// 001CSLEE: C = connection id present, S = 16-bit sequence number, L =
// length present, EE = low epoch bits). Their content is encrypted, so the
// decoder sees only the header and the length. The byte model is
// dtls13-model.ts; the analysis of a capture dtls13.ts.
import { decodeHandshakeFragments, RECORD_HEADER, type Datagram, type Direction, type HandshakeFragment } from './records.js';

export const CONTENT_ACK = 26;
/** ServerHello.random of a HelloRetryRequest (RFC 8446 4.1.3): SHA-256("HelloRetryRequest"). */
export const HRR_RANDOM = 'cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c';
export const EXT = { supported_groups: 10, signature_algorithms: 13, pre_shared_key: 41, supported_versions: 43, cookie: 44, psk_key_exchange_modes: 45, key_share: 51 } as const;
export const EXT_NAMES = new Map<number, string>(Object.entries(EXT).map(([k, v]) => [v, k]));

/** TLS 1.3 suites (RFC 8446 B.4) this harness offers. */
export const SUITES13: Record<number, { name: string; wolfsslName: string; tag: number; hash: number }> = {
  0x1301: { name: 'TLS_AES_128_GCM_SHA256', wolfsslName: 'TLS13-AES128-GCM-SHA256', tag: 16, hash: 32 },
  0x1305: { name: 'TLS_AES_128_CCM_8_SHA256', wolfsslName: 'TLS13-AES128-CCM-8-SHA256', tag: 8, hash: 32 },
};

export interface Record13 {
  /** 'plaintext': DTLSPlaintext (13-byte header); 'ciphertext': unified header. */
  kind: 'plaintext' | 'ciphertext';
  header: number;
  /** Bytes after the header: plaintext payload, or ciphertext incl. the inner type byte and tag. */
  length: number;
  contentType?: number;
  /** Plaintext records: the epoch; ciphertext records: its low two bits. */
  epoch: number;
  handshake?: HandshakeFragment[];
  error?: string;
}

export interface Decoded13 {
  index: number;
  dir: Direction;
  size: number;
  records: Record13[];
  trailing: number;
}

export function decodeDatagram13(d: Datagram, index = 0): Decoded13 {
  const b = d.bytes;
  const records: Record13[] = [];
  let o = 0;
  while (o < b.length) {
    const first = b[o]!;
    if ((first & 0xe0) === 0x20) {
      // Unified header: no connection ids are negotiated here.
      if (first & 0x10) return { index, dir: d.dir, size: b.length, records: [...records, { kind: 'ciphertext', header: 1, length: b.length - o - 1, epoch: first & 3, error: 'connection id present (not negotiated)' }], trailing: 0 };
      const header = 1 + (first & 0x08 ? 2 : 1) + (first & 0x04 ? 2 : 0);
      if (o + header > b.length) break;
      const length = first & 0x04 ? (b[o + header - 2]! << 8) | b[o + header - 1]! : b.length - o - header;
      records.push({ kind: 'ciphertext', header, length, epoch: first & 3 });
      o += header + length;
      continue;
    }
    if (b.length - o < RECORD_HEADER) break;
    const length = (b[o + 11]! << 8) | b[o + 12]!;
    const payload = b.subarray(o + RECORD_HEADER, Math.min(b.length, o + RECORD_HEADER + length));
    const r: Record13 = { kind: 'plaintext', header: RECORD_HEADER, length, contentType: first, epoch: (b[o + 3]! << 8) | b[o + 4]! };
    if (first === 22) {
      const { fragments, error } = decodeHandshakeFragments(payload);
      r.handshake = fragments;
      if (error) r.error = error;
    }
    records.push(r);
    o += RECORD_HEADER + length;
  }
  return { index, dir: d.dir, size: b.length, records, trailing: Math.max(0, b.length - o) };
}

