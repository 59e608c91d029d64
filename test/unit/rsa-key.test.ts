import { describe, expect, it, vi } from 'vitest';
import { sign, verify } from 'node:crypto';
import { isProbablePrime, rsaKey, rsaKeyObjects } from '../../harness/vectors/rsa-key.js';
import { modPow } from '../../harness/vectors/bigint.js';
import { seedBytes } from '../../harness/vectors/seed.js';

describe('deterministic RSA-2048 keys', () => {
  const k = rsaKey('unit-seed', 0);

  it('is a consistent 2048-bit key with e = 65537', () => {
    expect(k.n.toString(2).length).toBe(2048);
    expect(k.p.toString(2).length).toBe(1024);
    expect(k.q.toString(2).length).toBe(1024);
    expect(k.p * k.q).toBe(k.n);
    expect(k.p).not.toBe(k.q);
    const m = 0x1234567890abcdefn;
    expect(modPow(modPow(m, k.e, k.n), k.d, k.n)).toBe(m);
    expect((k.qi * k.q) % k.p).toBe(1n);
    expect(isProbablePrime(k.p, 8, (i) => seedBytes('other-bases', i))).toBe(true);
  });

  it('derives the same key from the same seed and index, a different one otherwise', async () => {
    // Recompute in a fresh module instance so the in-process memo cannot answer.
    vi.resetModules();
    const fresh = (await import('../../harness/vectors/rsa-key.js')).rsaKey('unit-seed', 0);
    expect(fresh).not.toBe(k);
    expect(fresh).toEqual(k);
    const other = rsaKey('unit-seed', 1);
    expect(other.n).not.toBe(k.n);
    expect(rsaKey('unit-seed-2', 0).n).not.toBe(k.n);
  });

  it('imports into node:crypto and signs/verifies', () => {
    const { priv, pub } = rsaKeyObjects(k);
    const sig = sign('sha256', Buffer.from('m'), priv);
    expect(verify('sha256', Buffer.from('m'), pub, sig)).toBe(true);
    expect(verify('sha256', Buffer.from('n'), pub, sig)).toBe(false);
  });

  it('Miller-Rabin rejects composites, including a Carmichael number', () => {
    const bases = (i: number) => seedBytes('mr', i);
    expect(isProbablePrime(561n, 10, bases)).toBe(false);
    expect(isProbablePrime(k.p * 3n, 10, bases)).toBe(false);
    expect(isProbablePrime(2n ** 127n - 1n, 10, bases)).toBe(true);
  });
});
