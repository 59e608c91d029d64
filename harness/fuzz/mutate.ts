// Deterministic mutations of valid inputs: the same seed and index give the
// same bytes, so every finding can be reproduced from its file or from
// (seed, index). Biased toward what breaks DER parsers: lengths, tags,
// truncation, and the bytes around them.
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0 || 0x9e3779b9;
  }
  next(): number {
    // xorshift32
    let x = this.s;
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    this.s = x;
    return x;
  }
  below(n: number): number {
    return n <= 1 ? 0 : this.next() % n;
  }
}

const INTERESTING = [0x00, 0x01, 0x7f, 0x80, 0x81, 0x82, 0x83, 0x84, 0xff];

/** Offsets where a DER length byte plausibly sits (right after a tag). */
function lengthOffsets(b: Uint8Array): number[] {
  const out: number[] = [];
  for (let i = 0; i + 1 < b.length; i++) {
    const tag = b[i]!;
    if (tag === 0x30 || tag === 0x31 || tag === 0x02 || tag === 0x03 || tag === 0x04 || tag === 0x05 || tag === 0x06 || tag === 0x17 || tag === 0x18 || (tag & 0xe0) === 0xa0) out.push(i + 1);
  }
  return out;
}

export type Mutator = (b: Uint8Array, r: Rng, other: Uint8Array) => Uint8Array;

export const MUTATORS: Record<string, Mutator> = {
  bitflip(b, r) {
    const o = Uint8Array.from(b);
    for (let k = 1 + r.below(4); k > 0 && o.length; k--) o[r.below(o.length)]! ^= 1 << r.below(8);
    return o;
  },
  interesting(b, r) {
    const o = Uint8Array.from(b);
    if (o.length) o[r.below(o.length)] = INTERESTING[r.below(INTERESTING.length)]!;
    return o;
  },
  length(b, r) {
    const offs = lengthOffsets(b);
    if (!offs.length) return MUTATORS.interesting!(b, r, b);
    const o = Uint8Array.from(b);
    const i = offs[r.below(offs.length)]!;
    const choice = r.below(5);
    if (choice === 0) o[i] = (o[i]! + 1) & 0xff;
    else if (choice === 1) o[i] = (o[i]! - 1) & 0xff;
    else if (choice === 2) o[i] = 0x80; // indefinite length: forbidden in DER
    else if (choice === 3) o[i] = 0x84; // long form claiming 4 length bytes
    else o[i] = 0xff;
    return o;
  },
  truncate(b, r) {
    return b.slice(0, r.below(b.length));
  },
  duplicate(b, r) {
    if (b.length < 2) return b;
    const at = r.below(b.length), len = 1 + r.below(Math.min(64, b.length - at));
    return Uint8Array.from([...b.subarray(0, at + len), ...b.subarray(at, at + len), ...b.subarray(at + len)]);
  },
  delete(b, r) {
    if (b.length < 2) return b;
    const at = r.below(b.length), len = 1 + r.below(Math.min(32, b.length - at));
    return Uint8Array.from([...b.subarray(0, at), ...b.subarray(at + len)]);
  },
  splice(b, r, other) {
    if (!other.length) return b;
    const at = r.below(b.length + 1), from = r.below(other.length), len = 1 + r.below(Math.min(64, other.length - from));
    return Uint8Array.from([...b.subarray(0, at), ...other.subarray(from, from + len), ...b.subarray(at)]);
  },
};
const NAMES = Object.keys(MUTATORS);

/** Input `index` of a campaign: 1–3 stacked mutations of one seed input. */
export function mutant(seeds: Uint8Array[], seed: number, index: number): { bytes: Uint8Array; from: number; steps: string[] } {
  const r = new Rng((seed * 0x01000193) ^ (index * 0x9e3779b1));
  const from = r.below(seeds.length);
  let b = seeds[from]!;
  const steps: string[] = [];
  for (let k = 1 + r.below(3); k > 0; k--) {
    const name = NAMES[r.below(NAMES.length)]!;
    steps.push(name);
    b = MUTATORS[name]!(b, r, seeds[r.below(seeds.length)]!);
  }
  return { bytes: b, from, steps };
}
