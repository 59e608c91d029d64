// A plain op on the device: its seeded vectors one by one, each answer
// checked against the reference, and the record's figures from the counts:
// median instructions over the representative vectors, peak stack and heap,
// cycles for the MCU profile.
import type { Elf } from '../elf/elf.js';
import type { Device } from '../device/device.js';
import type { CountEvent } from '../device/counts.js';
import { CC_ERR_NOMEM, CC_ERR_UNSUPPORTED, statusName } from '../contract/status.js';
import { doesNotFit, unsupported, type Finding } from '../record/status.js';
import { cycleFields } from '../cycles/fields.js';
import type { OpSpec } from '../ops/spec.js';
import type { ImageJob, Plan } from '../plan/plan.js';
import type { ResultRecord } from '../record/schema.js';
import { median } from '../core/stats.js';
import { timedSync } from '../core/timing.js';

export async function runVectors(
  p: Plan, job: ImageJob, spec: OpSpec, rec: ResultRecord,
  timedOp: (op: string, inputs: Uint8Array[]) => ReturnType<Device['op']>,
  progress: (msg: string) => void, elf: Elf | undefined,
): Promise<void> {
  const opId = spec.id;
  const mcu = job.mcu;
  const counts: number[] = [];
  const events: CountEvent[] = [], repEvents: CountEvent[] = [];
  const findings: Finding[] = [];
  let stack = 0, heap = 0;
  const vectors = timedSync('reference', () => spec.vectors(p.vectors.seed, p.vectors.count));
  progress(`${job.board.id}/${job.library}/${opId}: ${vectors.length} vectors`);
  for (const v of vectors) {
    const out = await timedOp(opId, v.inputs);
    const r = out.result;
    if (r.status === CC_ERR_UNSUPPORTED) throw unsupported(`${job.library} reports ${opId} unsupported`);
    if (r.status === CC_ERR_NOMEM) throw doesNotFit(`out of memory: ${job.library} ${opId} does not fit in ${job.board.id}'s ${job.board.heapBytes} B heap (peak ${r.heapBytes} B when it failed)`, { resource: 'heap', needed: r.heapBytes, available: job.board.heapBytes });
    // An op that bails out early may skip its brackets: report its status, not the bracketing.
    if (r.status < 0 && !r.balanced) throw new Error(`${opId} failed on the device (vector ${v.id}): ${statusName(r.status)}`);
    if (!r.balanced || !out.count || out.extraCounts) throw new Error(`${opId}: measurement brackets unbalanced in the ${job.library} adapter`);
    const verdict = timedSync('reference', () => spec.check(v, r));
    rec.vectors.total++;
    if (verdict.agree) rec.vectors.agree++;
    else if (v.invalid) findings.push({ case: v.id, expected: 'refused', got: verdict.detail ?? statusName(r.status), ...(v.note ? { comment: v.note } : {}) });
    else rec.vectors.disagree.push({ id: v.id, detail: verdict.detail ?? statusName(r.status) });
    rec.perVector.push({ id: v.id, instructions: out.count.instructions, status: r.status, agree: verdict.agree });
    if (v.representative) counts.push(out.count.instructions);
    if (mcu) (v.representative ? repEvents : events).push(out.count);
    stack = Math.max(stack, r.stackBytes);
    heap = Math.max(heap, r.heapBytes);
  }
  const all = rec.perVector.map((x) => x.instructions!).filter((n) => n !== null);
  const basis = counts.length ? counts : all;
  rec.instructions = median(basis);
  rec.instructionsMin = basis.length ? Math.min(...basis) : null;
  rec.instructionsMax = basis.length ? Math.max(...basis) : null;
  rec.stackBytes = stack;
  rec.heapBytes = heap;
  if (mcu && elf) Object.assign(rec, timedSync('profile', () => cycleFields(repEvents.length ? repEvents : events, mcu, elf)));
  if (findings.length) {
    rec.findings = findings;
    rec.status = 'finding';
    rec.reason = `${findings.length} invalid input(s) not refused: ` + findings.slice(0, 3).map((f) => `${f.case}: ${f.got}`).join('; ');
  }
  // A valid input answered wrongly outweighs any finding.
  if (rec.vectors.disagree.length) {
    rec.status = 'mismatch';
    rec.reason = `${rec.vectors.disagree.length} of ${rec.vectors.total} vectors disagree with the reference: ` + rec.vectors.disagree.slice(0, 3).map((d) => `${d.id}: ${d.detail}`).join('; ');
  }
}
