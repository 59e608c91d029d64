// sha256-64 / sha256-1k: one-shot SHA-256 of a seeded message, checked
// against @noble/hashes.
import { sha256 } from '@noble/hashes/sha2.js';
import { type OpSpec } from './spec.js';
import { type Vector } from '../vectors/vector.js';
import { CC_OK, statusName } from '../contract/status.js';
import { seedStream } from '../vectors/seed.js';

function sha256Op(id: string, len: number): OpSpec {
  return {
    id,
    summary: `SHA-256 of a ${len}-byte message`,
    vectors(seed, count) {
      const out: Vector[] = [];
      for (let i = 0; i < count; i++) {
        const msg = seedStream(seed, len, id, i);
        out.push({ id: `m${i}`, inputs: [msg], representative: true, ref: sha256(msg) });
      }
      return out;
    },
    check(v, r) {
      if (r.status !== CC_OK) return { agree: false, detail: `device error: ${statusName(r.status)}` };
      const got = r.outputs[0];
      if (!got || got.length !== 32) return { agree: false, detail: `digest is ${got?.length ?? 0} B, want 32` };
      return Buffer.compare(got, v.ref as Uint8Array) === 0 ? { agree: true } : { agree: false, detail: 'digest differs from @noble/hashes' };
    },
  };
}

export const sha256_64 = sha256Op('sha256-64', 64);
export const sha256_1k = sha256Op('sha256-1k', 1024);
