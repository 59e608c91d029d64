// Deterministic RSA-2048 keys (e = 65537) derived from the scenario seed.
//
// node:crypto's generateKeyPairSync cannot be seeded, so the primes are
// searched here: a seeded 1024-bit odd start with its top two bits set (so
// n has exactly 2048 bits), stepped by 2 past multiples of small primes,
// then Miller-Rabin. Measured on this 2-core machine: 0.25-0.46 s per key
// (two primes), cheap enough to derive on demand and memoise per process,
// with no on-disk cache that could go stale or be shared between seeds.
// Miller-Rabin bases are seed-derived too, so the result never varies;
// 40 rounds make a composite vanishingly unlikely (< 2^-80).
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { seedBytes, seedStream } from './seed.js';
import { modInv, modPow, toBig, toBytes } from './bigint.js';

export const RSA_E = 65537n;

export interface RsaKey {
  n: bigint;
  e: bigint;
  d: bigint;
  p: bigint;
  q: bigint;
  dp: bigint;
  dq: bigint;
  qi: bigint;
}

const gcd = (a: bigint, b: bigint): bigint => (b === 0n ? a : gcd(b, a % b));

const SMALL_PRIMES: number[] = (() => {
  const out: number[] = [];
  for (let i = 3; out.length < 1500; i += 2) if (out.every((p) => p * p > i || i % p !== 0)) out.push(i);
  return out;
})();

export function isProbablePrime(n: bigint, rounds: number, basesFrom: (k: number) => Uint8Array): boolean {
  if (n < 4n) return n === 2n || n === 3n;
  if ((n & 1n) === 0n) return false;
  let d = n - 1n;
  let s = 0;
  while ((d & 1n) === 0n) {
    d >>= 1n;
    s++;
  }
  next: for (let k = 0; k < rounds; k++) {
    const a = 2n + (toBig(basesFrom(k)) % (n - 3n));
    let x = modPow(a, d, n);
    if (x === 1n || x === n - 1n) continue;
    for (let i = 1; i < s; i++) {
      x = (x * x) % n;
      if (x === n - 1n) continue next;
    }
    return false;
  }
  return true;
}

function prime1024(seed: string, ...label: (string | number)[]): bigint {
  let c = toBig(seedStream(seed, 128, 'rsa-prime', ...label)) | (3n << 1022n) | 1n;
  // Residues mod the small primes, stepped along with the candidate, keep
  // the sieve to number arithmetic instead of a bigint division per prime.
  const res = SMALL_PRIMES.map((p) => Number(c % BigInt(p)));
  for (;;) {
    if (res.every((r) => r !== 0) && (c - 1n) % RSA_E !== 0n && isProbablePrime(c, 40, (k) => seedBytes(seed, 'rsa-mr', ...label, c.toString(16).slice(-16), k))) return c;
    c += 2n;
    for (let i = 0; i < res.length; i++) res[i] = (res[i]! + 2) % SMALL_PRIMES[i]!;
    if (c >> 1024n) throw new Error('prime search ran past 1024 bits');
  }
}

const memo = new Map<string, RsaKey>();

/** Key number `index` of a seed. Same seed and index: same key, always. */
export function rsaKey(seed: string, index: number): RsaKey {
  const id = `${seed}\u0000${index}`;
  const hit = memo.get(id);
  if (hit) return hit;
  const p = prime1024(seed, index, 'p');
  let q = prime1024(seed, index, 'q');
  for (let k = 0; q === p; k++) q = prime1024(seed, index, 'q', k);
  const n = p * q;
  const lambda = ((p - 1n) * (q - 1n)) / gcd(p - 1n, q - 1n);
  const d = modInv(RSA_E, lambda);
  const key: RsaKey = { n, e: RSA_E, d, p, q, dp: d % (p - 1n), dq: d % (q - 1n), qi: modInv(q, p) };
  memo.set(id, key);
  return key;
}

const b64u = (x: bigint) => Buffer.from(toBytes(x, Math.ceil(x.toString(16).length / 2))).toString('base64url');

export function rsaKeyObjects(k: RsaKey): { priv: KeyObject; pub: KeyObject } {
  const jwk = { kty: 'RSA', n: b64u(k.n), e: b64u(k.e), d: b64u(k.d), p: b64u(k.p), q: b64u(k.q), dp: b64u(k.dp), dq: b64u(k.dq), qi: b64u(k.qi) };
  const priv = createPrivateKey({ key: jwk, format: 'jwk' });
  return { priv, pub: createPublicKey(priv) };
}
