// Self-test ops built into every image: they prove the link and the fault
// path, and are never part of a benchmark table.
import { type OpSpec } from './spec.js';
import { type Vector } from '../vectors/vector.js';
import { CC_OK } from '../contract/status.js';
import { seedStream } from '../vectors/seed.js';

export const selftestEcho: OpSpec = {
  id: 'selftest-echo',
  summary: 'returns its inputs (link self-test)',
  vectors(seed, count) {
    const out: Vector[] = [];
    for (let i = 0; i < count; i++) {
      const a = seedStream(seed, 1 + ((i * 97) % 700), 'echo', i);
      out.push({ id: `echo${i}`, inputs: [a, a.subarray(0, i % 5)], representative: true });
    }
    return out;
  },
  check(v, r) {
    const same = r.status === CC_OK && r.outputs.length === v.inputs.length && r.outputs.every((o, i) => Buffer.compare(o, v.inputs[i]!) === 0);
    return same ? { agree: true } : { agree: false, detail: 'echo differs from the input' };
  },
};

export const selftestFault: OpSpec = {
  id: 'selftest-fault',
  summary: 'executes an undefined instruction: the device must report a fault',
  vectors() {
    return [{ id: 'udf', inputs: [Uint8Array.of(0)], representative: true }];
  },
  check() {
    return { agree: false, detail: 'the op returned instead of faulting' };
  },
};
