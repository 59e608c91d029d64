// ecdsa-keygen: the device draws a P-256 key pair from its seeded RNG and
// returns pub(65) and priv(32). Keys differ with the RNG stream, so the
// check is structural: pub is a point on the curve and is exactly noble's
// public key for the returned private scalar.
import { p256 } from '@noble/curves/nist.js';
import { type OpSpec } from './spec.js';
import { type Vector } from '../vectors/vector.js';
import { CC_OK, statusName } from '../contract/status.js';

export const ecdsaKeygen: OpSpec = {
  id: 'ecdsa-keygen',
  summary: 'ECDSA P-256 key pair generation (device RNG)',
  vectors(_seed, count) {
    const out: Vector[] = [];
    for (let i = 0; i < count; i++) out.push({ id: `k${i}`, inputs: [], representative: true });
    return out;
  },
  check(_v, r) {
    if (r.status !== CC_OK) return { agree: false, detail: `device error: ${statusName(r.status)}` };
    const [pub, priv] = r.outputs;
    if (!pub || pub.length !== 65 || !priv || priv.length !== 32) return { agree: false, detail: `outputs are ${r.outputs.map((o) => o.length).join('+')} B, want 65+32` };
    try {
      p256.Point.fromBytes(pub).assertValidity();
    } catch (e) {
      return { agree: false, detail: `pub is not a valid P-256 point: ${(e as Error).message}` };
    }
    if (!p256.utils.isValidSecretKey(priv)) return { agree: false, detail: 'priv is not in [1, n-1]' };
    const want = p256.getPublicKey(priv, false);
    return Buffer.compare(want, pub) === 0 ? { agree: true } : { agree: false, detail: 'pub is not priv·G' };
  },
};
