// Big-endian byte strings <-> bigint, and the modular arithmetic the RSA
// key derivation needs.
export const toBig = (b: Uint8Array): bigint => (b.length ? BigInt('0x' + Buffer.from(b).toString('hex')) : 0n);

/** Big-endian, left-padded to `len` bytes; throws if the value does not fit. */
export function toBytes(x: bigint, len: number): Uint8Array {
  if (x < 0n) throw new Error('negative integer');
  const hex = x.toString(16);
  if (hex.length > 2 * len) throw new Error(`integer does not fit in ${len} bytes`);
  return Uint8Array.from(Buffer.from(hex.padStart(2 * len, '0'), 'hex'));
}

export function modPow(base: bigint, exp: bigint, m: bigint): bigint {
  let r = 1n;
  let b = base % m;
  for (let e = exp; e > 0n; e >>= 1n) {
    if (e & 1n) r = (r * b) % m;
    b = (b * b) % m;
  }
  return r;
}

export function modInv(a: bigint, m: bigint): bigint {
  let [r0, r1] = [((a % m) + m) % m, m];
  let [s0, s1] = [1n, 0n];
  while (r1 !== 0n) {
    const q = r0 / r1;
    [r0, r1] = [r1, r0 - q * r1];
    [s0, s1] = [s1, s0 - q * s1];
  }
  if (r0 !== 1n) throw new Error('not invertible');
  return ((s0 % m) + m) % m;
}
