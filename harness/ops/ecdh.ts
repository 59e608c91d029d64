// ecdh: priv(32), peer pub(65) -> shared X(32). Every fourth vector sends
// an off-curve peer point (valid X, Y+1): the device must refuse it with
// an error, never answer with a "secret". Those are not representative.
import { p256 } from '@noble/curves/nist.js';
import { type OpSpec } from './spec.js';
import { type Vector } from '../vectors/vector.js';
import { CC_OK, CC_VERDICT_REJECT, statusName } from '../contract/status.js';
import { p256Key } from '../vectors/p256.js';
import { toBig, toBytes } from '../vectors/bigint.js';

/** Harness-level codes are not a rejection by the library. */
const harnessError = (s: number) => s <= -1000 && s >= -1003;

/** Reject = verdict 1 or a library error code. */
export const ecdhRejected = (status: number) => status === CC_VERDICT_REJECT || (status < 0 && !harnessError(status));

export function offCurve(pub: Uint8Array): Uint8Array {
  const y = (toBig(pub.subarray(33, 65)) + 1n) % p256.Point.CURVE().p;
  const out = new Uint8Array(pub);
  out.set(toBytes(y, 32), 33);
  return out;
}

export const ecdh: OpSpec = {
  id: 'ecdh',
  summary: 'ECDH P-256 shared secret (X coordinate), peer point checked',
  vectors(seed, count) {
    const out: Vector[] = [];
    for (let i = 0; i < count; i++) {
      const sk = p256Key(seed, 'ecdh', i);
      const peer = p256.getPublicKey(p256Key(seed, 'ecdh-peer', i), false);
      if (i % 4 === 3) {
        out.push({ id: `e${i}-off-curve`, inputs: [sk, offCurve(peer)], representative: false, invalid: true, note: 'off-curve peer', ref: null });
      } else {
        const shared = p256.getSharedSecret(sk, peer).slice(1, 33);
        out.push({ id: `e${i}`, inputs: [sk, peer], representative: true, ref: shared });
      }
    }
    return out;
  },
  check(v, r) {
    const want = v.ref as Uint8Array | null;
    if (want === null) {
      if (ecdhRejected(r.status)) return { agree: true };
      return { agree: false, detail: r.status === CC_OK ? 'device accepted an off-curve peer point' : `device error: ${statusName(r.status)}` };
    }
    if (r.status !== CC_OK) return { agree: false, detail: `device error: ${statusName(r.status)}` };
    const got = r.outputs[0];
    if (!got || got.length !== 32) return { agree: false, detail: `shared secret is ${got?.length ?? 0} B, want 32` };
    return Buffer.compare(got, want) === 0 ? { agree: true } : { agree: false, detail: 'shared X differs from noble' };
  },
};
