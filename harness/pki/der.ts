// A small DER writer: just the universal types X.509 certificates, CRLs and
// OCSP messages use. Everything is built synchronously from bytes, so the
// test PKI is a pure function of the seed (see keys.ts).
const enc = new TextEncoder();

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

function lengthBytes(n: number): Uint8Array {
  if (n < 0x80) return Uint8Array.of(n);
  const b: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) b.unshift(v & 0xff);
  return Uint8Array.of(0x80 | b.length, ...b);
}

export function tlv(tag: number, ...content: Uint8Array[]): Uint8Array {
  const body = concat(...content);
  return concat(Uint8Array.of(tag), lengthBytes(body.length), body);
}

export const seq = (...c: Uint8Array[]) => tlv(0x30, ...c);
export const set = (...c: Uint8Array[]) => tlv(0x31, ...c);
export const nul = () => Uint8Array.of(0x05, 0x00);
export const bool = (v: boolean) => Uint8Array.of(0x01, 0x01, v ? 0xff : 0x00);
export const octets = (b: Uint8Array) => tlv(0x04, b);
export const utf8 = (s: string) => tlv(0x0c, enc.encode(s));
export const ia5 = (s: string) => tlv(0x16, enc.encode(s));
/** [n] EXPLICIT / constructed context tag. */
export const ctx = (n: number, ...c: Uint8Array[]) => tlv(0xa0 | n, ...c);
/** [n] IMPLICIT primitive context tag. */
export const ctxPrim = (n: number, b: Uint8Array) => tlv(0x80 | n, b);

/** Non-negative INTEGER, minimal two's complement. */
export function int(v: bigint | number | Uint8Array): Uint8Array {
  let b: Uint8Array;
  if (v instanceof Uint8Array) {
    let i = 0;
    while (i < v.length - 1 && v[i] === 0) i++;
    b = v.subarray(i);
    if (b.length === 0) b = Uint8Array.of(0);
  } else {
    const x = BigInt(v);
    if (x < 0n) throw new Error('negative INTEGER not supported');
    const hex = x.toString(16);
    b = Uint8Array.from(Buffer.from(hex.length % 2 ? '0' + hex : hex, 'hex'));
  }
  if (b[0]! & 0x80) b = concat(Uint8Array.of(0), b);
  return tlv(0x02, b);
}

export const enumerated = (n: number) => tlv(0x0a, int(n).subarray(2));

export function oid(dotted: string): Uint8Array {
  const arcs = dotted.split('.').map((a) => BigInt(a));
  const out: number[] = [];
  const push = (v: bigint) => {
    const groups: number[] = [Number(v & 0x7fn)];
    for (v >>= 7n; v > 0n; v >>= 7n) groups.unshift(Number(v & 0x7fn) | 0x80);
    out.push(...groups);
  };
  push(arcs[0]! * 40n + arcs[1]!);
  for (const a of arcs.slice(2)) push(a);
  return tlv(0x06, Uint8Array.from(out));
}

export const bitString = (b: Uint8Array, unused = 0) => tlv(0x03, Uint8Array.of(unused), b);

/** Named-bit BIT STRING (KeyUsage): bit i is the i-th from the most significant; trailing zero bits dropped (DER). */
export function namedBits(bits: number[]): Uint8Array {
  const max = Math.max(...bits);
  const bytes = new Uint8Array((max >> 3) + 1);
  for (const b of bits) bytes[b >> 3]! |= 0x80 >> (b & 7);
  return bitString(bytes, 7 - (max & 7));
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const utcParts = (d: Date) => `${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}Z`;

export function generalizedTime(d: Date): Uint8Array {
  return tlv(0x18, enc.encode(`${pad(d.getUTCFullYear(), 4)}${utcParts(d)}`));
}

/** RFC 5280 Time: UTCTime through 2049, GeneralizedTime from 2050. */
export function time(d: Date): Uint8Array {
  const y = d.getUTCFullYear();
  if (y >= 1950 && y < 2050) return tlv(0x17, enc.encode(`${pad(y % 100)}${utcParts(d)}`));
  return generalizedTime(d);
}

/** Split a DER SEQUENCE/SET body into its elements' full encodings (definite lengths only). */
export function children(der: Uint8Array): Uint8Array[] {
  const { body } = header(der);
  const out: Uint8Array[] = [];
  for (let off = 0; off < body.length; ) {
    const h = header(body.subarray(off));
    out.push(body.subarray(off, off + h.total));
    off += h.total;
  }
  return out;
}

/** Tag, contents and total length of the element at the start of `der`. */
export function header(der: Uint8Array): { tag: number; body: Uint8Array; total: number } {
  const tag = der[0]!;
  let len = der[1]!;
  let off = 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + der[2 + i]!;
    off += n;
  }
  if (off + len > der.length) throw new Error('DER element runs past the end');
  return { tag, body: der.subarray(off, off + len), total: off + len };
}
