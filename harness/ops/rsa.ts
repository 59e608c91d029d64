// rsa2048-verify and rsa2048-sign: PKCS#1 v1.5 with SHA-256, e = 65537,
// keys derived from the seed (rsa-key.ts). The reference is node:crypto
// (OpenSSL) signing/verifying the seeded message whose SHA-256 digest the
// device gets. PKCS#1 v1.5 signing is deterministic, so a device signature
// must equal node's byte for byte.
import { sign, verify } from 'node:crypto';
import { sha256 } from '@noble/hashes/sha2.js';
import { type OpSpec } from './spec.js';
import { type Vector } from '../vectors/vector.js';
import { CC_OK, CC_VERDICT_REJECT, statusName } from '../contract/status.js';
import { seedBytes } from '../vectors/seed.js';
import { toBytes } from '../vectors/bigint.js';
import { rsaKey, rsaKeyObjects } from '../vectors/rsa-key.js';

/** A few keys are enough to show the spread; each costs ~0.3 s to derive. */
const KEY_POOL = 4;
const TAMPER = ['none', 'sig-bit', 'digest'] as const;

export const rsaVerify: OpSpec = {
  id: 'rsa2048-verify',
  summary: 'RSA-2048 PKCS#1 v1.5 SHA-256 signature verification',
  vectors(seed, count) {
    const out: Vector[] = [];
    for (let i = 0; i < count; i++) {
      // Even vectors are valid; odd ones alternate the tamperings.
      const tamper = i % 2 === 0 ? 'none' : TAMPER[1 + ((i >> 1) % 2)]!;
      const key = rsaKey(seed, (i >> 1) % KEY_POOL);
      const { priv, pub } = rsaKeyObjects(key);
      const msg = seedBytes(seed, 'rsa-verify-msg', i);
      const sig = new Uint8Array(sign('sha256', msg, priv));
      let m = msg;
      if (tamper === 'sig-bit') sig[100]! ^= 0x01;
      if (tamper === 'digest') m = seedBytes(seed, 'rsa-verify-other', i);
      const expect = verify('sha256', m, pub, sig);
      out.push({ id: `v${i}-${tamper}`, inputs: [toBytes(key.n, 256), sha256(m), sig], representative: expect, invalid: tamper !== 'none', note: tamper, ref: expect });
    }
    return out;
  },
  check(v, r) {
    const want = v.ref as boolean;
    if (r.status !== CC_OK && r.status !== CC_VERDICT_REJECT) return { agree: false, detail: `device error: ${statusName(r.status)}` };
    const got = r.status === CC_OK;
    return got === want ? { agree: true } : { agree: false, detail: `device says ${got ? 'valid' : 'invalid'}, node:crypto says ${want ? 'valid' : 'invalid'}` };
  },
};

export const rsaSign: OpSpec = {
  id: 'rsa2048-sign',
  summary: 'RSA-2048 PKCS#1 v1.5 SHA-256 signing (CRT)',
  vectors(seed, count) {
    const out: Vector[] = [];
    for (let i = 0; i < count; i++) {
      const key = rsaKey(seed, (i >> 1) % KEY_POOL);
      const msg = seedBytes(seed, 'rsa-sign-msg', i);
      const want = new Uint8Array(sign('sha256', msg, rsaKeyObjects(key).priv));
      const inputs = [toBytes(key.n, 256), toBytes(key.p, 128), toBytes(key.q, 128), toBytes(key.d, 256), sha256(msg)];
      out.push({ id: `s${i}`, inputs, representative: true, ref: want });
    }
    return out;
  },
  check(v, r) {
    if (r.status !== CC_OK) return { agree: false, detail: `device error: ${statusName(r.status)}` };
    const got = r.outputs[0];
    if (!got || got.length !== 256) return { agree: false, detail: `signature is ${got?.length ?? 0} B, want 256` };
    return Buffer.compare(got, v.ref as Uint8Array) === 0 ? { agree: true } : { agree: false, detail: 'signature differs from node:crypto' };
  },
};
