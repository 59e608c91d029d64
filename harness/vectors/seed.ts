// Deterministic byte strings from a scenario seed: the same seed gives the
// same keys, messages and signatures on every run and machine.
import { sha256 } from '@noble/hashes/sha2.js';

const enc = new TextEncoder();
export function seedBytes(seed: string, ...label: (string | number)[]): Uint8Array {
  return sha256(enc.encode([seed, ...label].join('/')));
}
export function seedStream(seed: string, n: number, ...label: (string | number)[]): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0, k = 0; i < n; i += 32, k++) out.set(seedBytes(seed, ...label, k).subarray(0, Math.min(32, n - i)), i);
  return out;
}
