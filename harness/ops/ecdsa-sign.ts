// ecdsa-sign: priv(32), hash(32) -> r||s(64). The nonce comes from the
// device's RNG, so signatures are never compared byte for byte: noble must
// accept the device's signature under the matching public key (high-S is
// valid ECDSA, hence lowS:false).
import { p256 } from '@noble/curves/nist.js';
import { type OpSpec } from './spec.js';
import { type Vector } from '../vectors/vector.js';
import { CC_OK, statusName } from '../contract/status.js';
import { seedBytes } from '../vectors/seed.js';
import { p256Key } from '../vectors/p256.js';

export const ecdsaSign: OpSpec = {
  id: 'ecdsa-sign',
  summary: 'ECDSA P-256 signing of a SHA-256 digest (device RNG nonce)',
  vectors(seed, count) {
    const out: Vector[] = [];
    for (let i = 0; i < count; i++) {
      const sk = p256Key(seed, 'ecdsa-sign', i);
      const digest = seedBytes(seed, 'ecdsa-sign-msg', i);
      out.push({ id: `s${i}`, inputs: [sk, digest], representative: true, ref: p256.getPublicKey(sk, false) });
    }
    return out;
  },
  check(v, r) {
    if (r.status !== CC_OK) return { agree: false, detail: `device error: ${statusName(r.status)}` };
    const sig = r.outputs[0];
    if (!sig || sig.length !== 64) return { agree: false, detail: `signature is ${sig?.length ?? 0} B, want 64` };
    const ok = p256.verify(sig, v.inputs[1]!, v.ref as Uint8Array, { prehash: false, lowS: false });
    return ok ? { agree: true } : { agree: false, detail: 'noble rejects the device signature' };
  },
};
