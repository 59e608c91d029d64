// A strict DER reader for the two structures the Wycheproof cases need:
// an ECDSA-Sig-Value (SEQUENCE of two INTEGERs) and a P-256 SubjectPublicKeyInfo.
// Strict means canonical: definite minimal lengths, minimal non-negative
// INTEGERs, low tag numbers, nothing trailing. Anything else has no single
// raw meaning, so it cannot be sent through the device's raw interfaces.
import { toBig, toBytes } from '../vectors/bigint.js';

export class DerError extends Error {}

export interface Tlv {
  tag: number;
  value: Uint8Array;
  /** Offset just past this element. */
  end: number;
}

export const TAG = { INTEGER: 0x02, BIT_STRING: 0x03, OID: 0x06, SEQUENCE: 0x30 } as const;

export function readTlv(buf: Uint8Array, off: number): Tlv {
  if (off + 2 > buf.length) throw new DerError('truncated header');
  const tag = buf[off]!;
  if ((tag & 0x1f) === 0x1f) throw new DerError('high tag number form');
  let len = buf[off + 1]!;
  let p = off + 2;
  if (len === 0x80) throw new DerError('indefinite length');
  if (len > 0x80) {
    const n = len & 0x7f;
    if (n > 4) throw new DerError('length of length too large');
    if (p + n > buf.length) throw new DerError('truncated length');
    if (buf[p] === 0) throw new DerError('non-minimal length (leading zero)');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[p + i]!;
    if (len < 0x80) throw new DerError('non-minimal length (long form for a short length)');
    p += n;
  }
  if (p + len > buf.length) throw new DerError('value runs past the end');
  return { tag, value: buf.subarray(p, p + len), end: p + len };
}

function expect(t: Tlv, tag: number, what: string): Tlv {
  if (t.tag !== tag) throw new DerError(`${what}: tag 0x${t.tag.toString(16)}, want 0x${tag.toString(16)}`);
  return t;
}

/** A non-negative INTEGER in its minimal two's-complement encoding. */
export function derUint(t: Tlv): bigint {
  expect(t, TAG.INTEGER, 'INTEGER');
  const v = t.value;
  if (v.length === 0) throw new DerError('empty INTEGER');
  if (v[0]! & 0x80) throw new DerError('negative INTEGER');
  if (v.length > 1 && v[0] === 0 && !(v[1]! & 0x80)) throw new DerError('non-minimal INTEGER (superfluous leading zero)');
  return toBig(v);
}

/** The elements of a constructed value, which must be exactly consumed. */
function children(value: Uint8Array): Tlv[] {
  const out: Tlv[] = [];
  for (let off = 0; off < value.length; ) {
    const t = readTlv(value, off);
    out.push(t);
    off = t.end;
  }
  return out;
}

/** The one top-level element of `der`; trailing bytes are an error. */
function single(der: Uint8Array, tag: number, what: string): Tlv {
  const t = expect(readTlv(der, 0), tag, what);
  if (t.end !== der.length) throw new DerError(`${der.length - t.end} trailing byte(s) after ${what}`);
  return t;
}

/** ECDSA-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER } */
export function parseEcdsaSig(der: Uint8Array): { r: bigint; s: bigint } {
  const items = children(single(der, TAG.SEQUENCE, 'signature SEQUENCE').value);
  if (items.length !== 2) throw new DerError(`signature SEQUENCE holds ${items.length} elements, want 2`);
  return { r: derUint(items[0]!), s: derUint(items[1]!) };
}

/** DER signature -> raw r||s (32+32). Throws DerError if either half is wider than 32 bytes. */
export function ecdsaDerToRaw(der: Uint8Array): Uint8Array {
  const { r, s } = parseEcdsaSig(der);
  if (r >> 256n || s >> 256n) throw new DerError('r or s wider than 32 bytes');
  const out = new Uint8Array(64);
  out.set(toBytes(r, 32), 0);
  out.set(toBytes(s, 32), 32);
  return out;
}

// AlgorithmIdentifier { id-ecPublicKey, namedCurve prime256v1 }, in DER.
const P256_ALG = Uint8Array.from(Buffer.from('301306072a8648ce3d020106082a8648ce3d030107', 'hex'));

/** SubjectPublicKeyInfo naming P-256 -> its uncompressed point (65 B). */
export function p256SpkiPoint(der: Uint8Array): Uint8Array {
  const items = children(single(der, TAG.SEQUENCE, 'SubjectPublicKeyInfo').value);
  if (items.length !== 2) throw new DerError(`SubjectPublicKeyInfo holds ${items.length} elements, want 2`);
  const alg = items[0]!;
  const algBytes = reencode(alg);
  if (Buffer.compare(algBytes, P256_ALG) !== 0) throw new DerError('algorithm is not id-ecPublicKey with namedCurve prime256v1');
  const bits = expect(items[1]!, TAG.BIT_STRING, 'subjectPublicKey').value;
  if (bits.length < 1 || bits[0] !== 0) throw new DerError('BIT STRING with unused bits');
  const point = bits.subarray(1);
  if (point.length !== 65 || point[0] !== 0x04) throw new DerError(`public key is not an uncompressed point (${point.length} B, first byte 0x${(point[0] ?? 0).toString(16)})`);
  return point;
}

/** Canonical DER of a parsed element (it was read strictly, so this is its original encoding). */
function reencode(t: Tlv): Uint8Array {
  const n = t.value.length;
  const len = n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : n < 0x10000 ? [0x82, n >> 8, n & 0xff] : [0x83, n >> 16, (n >> 8) & 0xff, n & 0xff];
  return Uint8Array.from([t.tag, ...len, ...t.value]);
}
