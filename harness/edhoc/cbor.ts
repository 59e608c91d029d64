// The CBOR (RFC 8949) EDHOC needs, written for this harness: unsigned and
// negative integers, byte and text strings, arrays, maps, simple values;
// definite lengths only, preferred (shortest) encodings. EDHOC messages are
// CBOR sequences (RFC 8742): items one after another, no outer container.

export type Cbor = number | Uint8Array | string | boolean | null | Cbor[] | CborMap;
export class CborMap extends Map<number | string, Cbor> {}

function head(major: number, n: number): Uint8Array {
  const m = major << 5;
  if (n < 24) return Uint8Array.of(m | n);
  if (n < 0x100) return Uint8Array.of(m | 24, n);
  if (n < 0x10000) return Uint8Array.of(m | 25, n >> 8, n & 0xff);
  if (n < 0x100000000) return Uint8Array.of(m | 26, n >>> 24, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff);
  throw new Error(`CBOR: length or value ${n} too large for this encoder`);
}

export function concatBytes(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export function encode(v: Cbor): Uint8Array {
  if (typeof v === 'number') {
    if (!Number.isSafeInteger(v)) throw new Error(`CBOR: not an integer: ${v}`);
    return v >= 0 ? head(0, v) : head(1, -1 - v);
  }
  if (v instanceof Uint8Array) return concatBytes([head(2, v.length), v]);
  if (typeof v === 'string') {
    const b = new TextEncoder().encode(v);
    return concatBytes([head(3, b.length), b]);
  }
  if (Array.isArray(v)) return concatBytes([head(4, v.length), ...v.map(encode)]);
  if (v instanceof Map) return concatBytes([head(5, v.size), ...[...v].flatMap(([k, x]) => [encode(k), encode(x)])]);
  if (v === false) return Uint8Array.of(0xf4);
  if (v === true) return Uint8Array.of(0xf5);
  return Uint8Array.of(0xf6);
}

/** A CBOR sequence: the items' encodings one after another. */
export const sequence = (items: Cbor[]): Uint8Array => concatBytes(items.map(encode));

export interface Decoded {
  value: Cbor;
  /** Offsets of the item's encoding in the input. */
  start: number;
  end: number;
}

export function decodeItem(b: Uint8Array, start = 0): Decoded {
  let o = start;
  const byte = () => {
    if (o >= b.length) throw new Error(`CBOR: truncated at offset ${o}`);
    return b[o++]!;
  };
  const ib = byte();
  const major = ib >> 5, info = ib & 0x1f;
  let n: number;
  if (info < 24) n = info;
  else if (info <= 27) {
    const k = 1 << (info - 24);
    if (k === 8) throw new Error('CBOR: 64-bit lengths are not supported here');
    n = 0;
    for (let i = 0; i < k; i++) n = n * 256 + byte();
  } else throw new Error(`CBOR: indefinite or reserved length (initial byte 0x${ib.toString(16)}) at offset ${start}`);
  let value: Cbor;
  switch (major) {
    case 0: value = n; break;
    case 1: value = -1 - n; break;
    case 2:
    case 3: {
      if (o + n > b.length) throw new Error(`CBOR: string of ${n} B runs past the end at offset ${start}`);
      const s = b.slice(o, o + n);
      o += n;
      value = major === 2 ? s : new TextDecoder('utf-8', { fatal: true }).decode(s);
      break;
    }
    case 4: {
      const arr: Cbor[] = [];
      for (let i = 0; i < n; i++) {
        const d = decodeItem(b, o);
        arr.push(d.value);
        o = d.end;
      }
      value = arr;
      break;
    }
    case 5: {
      const m = new CborMap();
      for (let i = 0; i < n; i++) {
        const k = decodeItem(b, o);
        const x = decodeItem(b, k.end);
        if (typeof k.value !== 'number' && typeof k.value !== 'string') throw new Error(`CBOR: map key of an unsupported type at offset ${o}`);
        m.set(k.value, x.value);
        o = x.end;
      }
      value = m;
      break;
    }
    case 7:
      if (info === 20 || info === 21) value = info === 21;
      else if (info === 22) value = null;
      else throw new Error(`CBOR: simple value ${info} not supported`);
      break;
    default:
      throw new Error(`CBOR: tags (major type 6) are not supported (offset ${start})`);
  }
  return { value, start, end: o };
}

/** Every item of a CBOR sequence, with its offsets. */
export function decodeSequence(b: Uint8Array): Decoded[] {
  const out: Decoded[] = [];
  for (let o = 0; o < b.length; ) {
    const d = decodeItem(b, o);
    out.push(d);
    o = d.end;
  }
  return out;
}

export const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
export const unhex = (s: string) => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
export const equalBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);
