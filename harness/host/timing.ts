// Host timing: the same op on the same vectors in the host reference
// library, timed with tinybench, for a "device vs. laptop-class CPU" column.
// It is wall-clock time on a shared, noisy machine: a rough scale, never
// a substitute for the device's exact instruction counts.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { constants, createPublicKey, privateEncrypt, publicDecrypt, type KeyObject } from 'node:crypto';
import { Bench } from 'tinybench';
import { p256 } from '@noble/curves/nist.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { ROOT } from '../core/paths.js';
import { OPS } from '../ops/index.js';
import { modInv, toBig } from '../vectors/bigint.js';
import { rsaKeyObjects, RSA_E, type RsaKey } from '../vectors/rsa-key.js';

export interface HostTiming {
  /** Median wall-clock nanoseconds per op. */
  ns: number;
  /** What ran, e.g. "@noble/curves 2.4.0". */
  lib: string;
}

// The packages' exports hide package.json, so read it from node_modules.
const version = (pkg: string) => (JSON.parse(readFileSync(join(ROOT, 'node_modules', pkg, 'package.json'), 'utf8')) as { version: string }).version;
const LIB = {
  curves: () => `@noble/curves ${version('@noble/curves')}`,
  hashes: () => `@noble/hashes ${version('@noble/hashes')}`,
  node: () => `node:crypto (OpenSSL ${process.versions.openssl})`,
};

// DigestInfo prefix for SHA-256 (RFC 8017 §9.2 note 1): with it, PKCS#1
// v1.5 type-1 padding of a digest is exactly what the device computes on
// its 32-byte input, without hashing a message first.
const SHA256_DIGEST_INFO = Buffer.from('3031300d060960864801650304020105000420', 'hex');

interface Workload {
  lib: string;
  /** One call per element: the op on one vector. */
  calls: (() => unknown)[];
}

function rsaFromInputs(n: Uint8Array): KeyObject {
  return createPublicKey({ key: { kty: 'RSA', n: Buffer.from(n).toString('base64url'), e: Buffer.from([1, 0, 1]).toString('base64url') }, format: 'jwk' });
}

/** The host equivalent of an op, on that op's representative vectors. */
export function workload(opId: string, seed: string, count: number): Workload | undefined {
  const spec = OPS.get(opId);
  if (!spec) return undefined;
  const all = spec.vectors(seed, count);
  const reps = all.filter((v) => v.representative);
  const vs = reps.length ? reps : all;
  switch (opId) {
    case 'ecdsa-verify':
      return { lib: LIB.curves(), calls: vs.map((v) => () => p256.verify(v.inputs[2]!, v.inputs[1]!, v.inputs[0]!, { prehash: false, lowS: false })) };
    case 'ecdsa-keygen':
      return { lib: LIB.curves(), calls: vs.map(() => () => p256.keygen()) };
    case 'ecdsa-sign':
      return { lib: LIB.curves(), calls: vs.map((v) => () => p256.sign(v.inputs[1]!, v.inputs[0]!, { prehash: false })) };
    case 'ecdh':
      return { lib: LIB.curves(), calls: vs.map((v) => () => p256.getSharedSecret(v.inputs[0]!, v.inputs[1]!)) };
    case 'sha256-64':
    case 'sha256-1k':
      return { lib: LIB.hashes(), calls: vs.map((v) => () => sha256(v.inputs[0]!)) };
    case 'rsa2048-verify':
      return {
        lib: LIB.node(),
        calls: vs.map((v) => {
          const key = rsaFromInputs(v.inputs[0]!);
          const want = Buffer.concat([SHA256_DIGEST_INFO, v.inputs[1]!]);
          return () => {
            if (!publicDecrypt({ key, padding: constants.RSA_PKCS1_PADDING }, v.inputs[2]!).equals(want)) throw new Error('host RSA verify failed on a valid vector');
          };
        }),
      };
    case 'rsa2048-sign':
      return {
        lib: LIB.node(),
        calls: vs.map((v) => {
          const [n, p, q, d, hash] = v.inputs as [Uint8Array, Uint8Array, Uint8Array, Uint8Array, Uint8Array];
          const [P, Q, D] = [toBig(p), toBig(q), toBig(d)];
          const k: RsaKey = { n: toBig(n), e: RSA_E, d: D, p: P, q: Q, dp: D % (P - 1n), dq: D % (Q - 1n), qi: modInv(Q, P) };
          const { priv } = rsaKeyObjects(k);
          const msg = Buffer.concat([SHA256_DIGEST_INFO, hash]);
          return () => privateEncrypt({ key: priv, padding: constants.RSA_PKCS1_PADDING }, msg);
        }),
      };
    default:
      return undefined;
  }
}

/** Median ns per op, or undefined for ops with no host equivalent. */
export async function timeOp(opId: string, seed: string, count: number, timeMs = 200): Promise<HostTiming | undefined> {
  const w = workload(opId, seed, count);
  if (!w || !w.calls.length) return undefined;
  // Fast ops (a SHA-256 of 64 B is ~1 µs) are batched so that one sample
  // is well above the timer's resolution; each sample runs every vector.
  const one = () => { for (const f of w.calls) f(); };
  const t0 = performance.now();
  one();
  const est = Math.max((performance.now() - t0) / w.calls.length, 1e-6);
  const batch = Math.max(1, Math.ceil(0.05 / (est * w.calls.length)));
  const bench = new Bench({ time: timeMs, iterations: 5, warmupTime: Math.min(50, timeMs / 4), warmupIterations: 2, throws: true });
  bench.add(opId, () => { for (let i = 0; i < batch; i++) one(); });
  await bench.run();
  const res = bench.tasks[0]!.result;
  if (!('latency' in res)) throw new Error(`host timing of ${opId} did not complete (${res.state})`);
  return { ns: Math.round((res.latency.p50 * 1e6) / (batch * w.calls.length)), lib: w.lib };
}
