// Every op spec's check() must accept a right device answer and refuse a
// wrong one. Right answers are computed here, independently where possible
// (node:crypto for SHA-256, bigint PKCS#1 for RSA signing).
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { p256 } from '@noble/curves/nist.js';
import { OPS } from '../../harness/ops/index.js';
import { type OpSpec } from '../../harness/ops/spec.js';
import { type Vector } from '../../harness/vectors/vector.js';
import { CC_OK, CC_VERDICT_REJECT } from '../../harness/contract/status.js';
import type { OpResult } from '../../harness/device/link.js';
import { modPow, toBig, toBytes } from '../../harness/vectors/bigint.js';

const SEED = 'unit-ops';
const res = (status: number, outputs: Uint8Array[] = []): OpResult => ({ status, stackBytes: 0, heapBytes: 0, balanced: true, leaked: false, heapCorrupt: false, outputs });
const flip = (b: Uint8Array, i = 0) => { const c = new Uint8Array(b); c[i]! ^= 0x01; return c; };
const spec = (id: string): OpSpec => OPS.get(id)!;

function expectRightAndWrong(op: OpSpec, v: Vector, right: OpResult, wrongs: OpResult[]) {
  expect(op.check(v, right), `${op.id}/${v.id} right answer`).toEqual({ agree: true });
  for (const w of wrongs) expect(op.check(v, w).agree, `${op.id}/${v.id} wrong answer`).toBe(false);
}

describe('op specs check device answers', () => {
  it('every registered crypto op makes vectors of the documented sizes', () => {
    const sizes: Record<string, number[]> = {
      'ecdsa-verify': [65, 32, 64], 'ecdsa-keygen': [], 'ecdsa-sign': [32, 32], ecdh: [32, 65],
      'sha256-64': [64], 'sha256-1k': [1024], 'rsa2048-verify': [256, 32, 256], 'rsa2048-sign': [256, 128, 128, 256, 32],
    };
    for (const [id, want] of Object.entries(sizes)) {
      const vs = spec(id).vectors(SEED, 4);
      expect(vs.length).toBe(4);
      for (const v of vs) expect(v.inputs.map((i) => i.length), `${id}/${v.id}`).toEqual(want);
      expect(vs.some((v) => v.representative), id).toBe(true);
      expect(spec(id).vectors(SEED, 4)).toEqual(vs); // deterministic
    }
  });

  it('ecdsa-verify: the noble verdict agrees, the opposite and errors do not', () => {
    const op = spec('ecdsa-verify');
    for (const v of op.vectors(SEED, 4)) {
      const [pub, h, sig] = v.inputs;
      const ok = p256.verify(sig!, h!, pub!, { prehash: false, lowS: false });
      expect(v.representative).toBe(ok);
      expectRightAndWrong(op, v, res(ok ? CC_OK : CC_VERDICT_REJECT), [res(ok ? CC_VERDICT_REJECT : CC_OK), res(-0x4e00)]);
    }
  });

  it('ecdsa-keygen: a real key pair agrees; a flipped byte, a mismatched pair or wrong sizes do not', () => {
    const op = spec('ecdsa-keygen');
    const [v] = op.vectors(SEED, 1);
    const { secretKey, publicKey } = p256.keygen();
    const pub = p256.getPublicKey(secretKey, false);
    expect(publicKey.length).toBe(33);
    const other = p256.getPublicKey(p256.utils.randomSecretKey(), false);
    expectRightAndWrong(op, v!, res(CC_OK, [pub, secretKey]), [
      res(CC_OK, [flip(pub, 40), secretKey]), res(CC_OK, [pub, flip(secretKey, 31)]), res(CC_OK, [other, secretKey]),
      res(CC_OK, [pub]), res(CC_OK, [pub.subarray(0, 64), secretKey]), res(-1),
    ]);
  });

  it('ecdsa-sign: any valid signature agrees (RNG-dependent), a flipped one does not', () => {
    const op = spec('ecdsa-sign');
    for (const v of op.vectors(SEED, 3)) {
      const [sk, h] = v.inputs;
      const sig = p256.sign(h!, sk!, { prehash: false, extraEntropy: true });
      // (r, n-s) is valid too, and one of the pair is high-S: both must pass.
      const parsed = p256.Signature.fromBytes(sig);
      const mirrored = new p256.Signature(parsed.r, p256.Point.CURVE().n - parsed.s).toBytes();
      expect(op.check(v, res(CC_OK, [mirrored]))).toEqual({ agree: true });
      const otherKey = p256.sign(h!, p256.utils.randomSecretKey(), { prehash: false });
      expectRightAndWrong(op, v, res(CC_OK, [sig]), [res(CC_OK, [flip(sig, 5)]), res(CC_OK, [flip(sig, 60)]), res(CC_OK, [otherKey]), res(CC_OK, [sig.subarray(1)]), res(-2)]);
    }
  });

  it('ecdh: the shared X agrees, a flipped one does not; off-curve peers must be refused', () => {
    const op = spec('ecdh');
    const vs = op.vectors(SEED, 4);
    expect(vs.filter((v) => !v.representative).length).toBe(1);
    for (const v of vs) {
      const [sk, peer] = v.inputs;
      let onCurve = true;
      try { p256.Point.fromBytes(peer!).assertValidity(); } catch { onCurve = false; }
      expect(onCurve).toBe(v.representative);
      if (onCurve) {
        // Independent X: the peer point times the scalar, affine X.
        const x = p256.Point.fromBytes(peer!).multiply(toBig(sk!)).toAffine().x;
        const shared = toBytes(x, 32);
        expectRightAndWrong(op, v, res(CC_OK, [shared]), [res(CC_OK, [flip(shared, 31)]), res(CC_OK, [shared.subarray(0, 31)]), res(-0x4f80)]);
      } else {
        expectRightAndWrong(op, v, res(-0x4c80), [res(CC_OK, [new Uint8Array(32)]), res(-1002)]);
        expect(op.check(v, res(CC_VERDICT_REJECT)).agree).toBe(true);
      }
    }
  });

  for (const id of ['sha256-64', 'sha256-1k']) {
    it(`${id}: node:crypto's digest agrees, a flipped one does not`, () => {
      const op = spec(id);
      for (const v of op.vectors(SEED, 2)) {
        const d = new Uint8Array(createHash('sha256').update(v.inputs[0]!).digest());
        expectRightAndWrong(op, v, res(CC_OK, [d]), [res(CC_OK, [flip(d, 17)]), res(CC_OK, []), res(-1)]);
      }
    });
  }

  it('rsa2048-verify: valid vectors verify under a bigint check; the opposite verdict disagrees', () => {
    const op = spec('rsa2048-verify');
    for (const v of op.vectors(SEED, 4)) {
      const [n, h, sig] = v.inputs;
      const em = toBytes(modPow(toBig(sig!), 65537n, toBig(n!)), 256);
      const ok = Buffer.compare(em, emsa(h!)) === 0;
      expect(v.representative).toBe(ok);
      expectRightAndWrong(op, v, res(ok ? CC_OK : CC_VERDICT_REJECT), [res(ok ? CC_VERDICT_REJECT : CC_OK), res(-0x4380)]);
    }
    expect(op.vectors(SEED, 4).filter((v) => v.representative).length).toBe(2);
  });

  it('rsa2048-sign: a bigint PKCS#1 v1.5 signature agrees byte for byte, a flipped one does not', () => {
    const op = spec('rsa2048-sign');
    for (const v of op.vectors(SEED, 2)) {
      const [n, , , d, h] = v.inputs;
      const sig = toBytes(modPow(toBig(emsa(h!)), toBig(d!), toBig(n!)), 256);
      expectRightAndWrong(op, v, res(CC_OK, [sig]), [res(CC_OK, [flip(sig, 255)]), res(CC_OK, [flip(sig, 0)]), res(CC_OK, [sig.subarray(1)]), res(-0x4300)]);
    }
  });
});

/** EMSA-PKCS1-v1_5 encoding of a SHA-256 digest for a 2048-bit modulus (RFC 8017 §9.2). */
function emsa(hash: Uint8Array): Uint8Array {
  const t = Buffer.concat([Buffer.from('3031300d060960864801650304020105000420', 'hex'), hash]);
  return Uint8Array.from([0x00, 0x01, ...new Array(256 - 3 - t.length).fill(0xff), 0x00, ...t]);
}
