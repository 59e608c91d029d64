// P-256 private keys from a seed: the first candidate scalar in [1, n) of
// a labelled seed stream, so every run and machine derives the same key.
import { p256 } from '@noble/curves/nist.js';
import { seedBytes } from './seed.js';

export function p256Key(seed: string, ...label: (string | number)[]): Uint8Array {
  for (let k = 0; ; k++) {
    const sk = seedBytes(seed, 'p256-key', ...label, k);
    if (p256.utils.isValidSecretKey(sk)) return sk;
  }
}
