// build -> run -> measure -> check for every image of a plan. Each image
// boots once and runs all its ops; if the device faults, dies or hangs,
// that op is an `error` naming the fault and the image is rebooted for the
// ops that remain. Every finished record goes to `onRecord` at once.
import { Elf } from '../elf/elf.js';
import { buildImage, type Image } from '../build/firmware.js';
import { OPS } from '../ops/index.js';
import { CC_ERR_NOMEM, CC_ERR_UNSUPPORTED, statusName } from '../ops/types.js';
import type { Plan, ImageJob } from '../plan/plan.js';
import type { Scenario } from '../scenario/schema.js';
import type { ResultRecord } from '../results/schema.js';
import { seedBytes } from '../ops/seed.js';
import { boot } from './qemu.js';
import { Device, DeviceFailure } from './device.js';
// Crypto matrix extras: Wycheproof cases on the device, host reference timing.
import { loadWycheproof, runWycheproof, wycheproofReason, WYCHEPROOF_FILES, type WycheSet } from '../check/wycheproof.js';
import { timeOp, type HostTiming } from '../host/timing.js';
// Cycle model (scenario `cycles:`): addr-mode counts -> cycles, ms, function profile.
import { checkCyclesOption, cycleFields, profileFor } from '../cycles/scenario.js';
import type { CountEvent } from '../measure/counts.js';

interface Extras {
  host: Map<string, HostTiming | undefined>;
  wycheproof: Map<string, WycheSet>;
}

export interface SuiteHooks {
  onRecord(r: ResultRecord): void;
  onProgress?(msg: string): void;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[(s.length - 1) >> 1]! : null;
};

function baseRecord(job: ImageJob, op: string): Omit<ResultRecord, 'status' | 'wallMs'> {
  return {
    board: job.board.id, core: job.board.core, qemuMachine: job.board.qemuMachine, library: job.library, op,
    instructions: null, instructionsMin: null, instructionsMax: null, flashBytes: null, ramBytes: null, stackBytes: null, heapBytes: null,
    vectors: { total: 0, agree: 0, disagree: [] }, perVector: [],
  };
}

export async function runPlan(s: Scenario, p: Plan, hooks: SuiteHooks): Promise<void> {
  checkCyclesOption(s.cycles, s.boards);
  for (const u of p.unsupported)
    hooks.onRecord({ ...baseRecord({ board: u.board, library: u.library, ops: [] }, u.op), status: 'unsupported', reason: u.reason, wallMs: 0 });
  // Host timing runs before any QEMU is up, so the two do not share the CPU.
  const extras: Extras = { host: new Map(), wycheproof: new Map() };
  if (s.hostTiming) for (const op of s.ops) extras.host.set(op, await timeOp(op, s.vectors.seed, s.vectors.count));
  for (const job of p.images) await runImage(s, job, hooks, extras);
}

async function runImage(s: Scenario, job: ImageJob, hooks: SuiteHooks, extras: Extras): Promise<void> {
  const t0 = Date.now();
  hooks.onProgress?.(`build ${job.board.id}/${job.library}`);
  let image: Image;
  try {
    image = buildImage({ board: job.board.id, library: job.library, opt: s.build.opt, cflags: s.build.cflags });
  } catch (e) {
    for (const op of job.ops) hooks.onRecord({ ...baseRecord(job, op), status: 'error', reason: (e as Error).message, wallMs: Date.now() - t0 });
    return;
  }
  const fp = Elf.read(image.elfPath).footprint();
  const imageInfo = { elf: image.elfPath, sha256: image.sha256, opt: image.opt };
  const mcu = s.cycles ? profileFor(s.cycles, job.board) : undefined;
  const cycleElf = mcu ? Elf.read(image.elfPath) : undefined;

  let device: Device | undefined;
  const ensureDevice = async () => {
    if (device) return device;
    device = await boot({ board: job.board, elfPath: image.elfPath, mode: mcu ? 'addr' : 'count', bootTimeoutMs: s.limits.bootSeconds * 1000 });
    // Every boot is seeded the same way, so a reboot does not change counts.
    await device.op('seed-rng', [seedBytes(s.vectors.seed, 'device-rng').subarray(0, 16)], s.limits.opSeconds * 1000);
    return device;
  };

  for (const opId of job.ops) {
    const tOp = Date.now();
    const spec = OPS.get(opId)!;
    const rec: ResultRecord = { ...baseRecord(job, opId), status: 'ok', flashBytes: fp.flashBytes, ramBytes: fp.ramBytes, image: imageInfo, wallMs: 0 };
    const host = extras.host.get(opId);
    if (host) Object.assign(rec, { hostNs: host.ns, hostLib: host.lib });
    const counts: number[] = [];
    const events: CountEvent[] = [], repEvents: CountEvent[] = [];
    let stack = 0, heap = 0;
    try {
      const dev = await ensureDevice();
      if (!dev.ops.has(opId)) {
        hooks.onRecord({ ...rec, status: 'unsupported', reason: `the ${job.library} adapter does not implement ${opId}`, wallMs: Date.now() - tOp });
        continue;
      }
      const vectors = spec.vectors(s.vectors.seed, s.vectors.count);
      hooks.onProgress?.(`${job.board.id}/${job.library}/${opId}: ${vectors.length} vectors`);
      for (const v of vectors) {
        const out = await dev.op(opId, v.inputs, s.limits.opSeconds * 1000);
        const r = out.result;
        if (r.status === CC_ERR_UNSUPPORTED) throw Object.assign(new Error(`${job.library} reports ${opId} unsupported`), { unsupported: true });
        if (r.status === CC_ERR_NOMEM) throw new Error(`out of memory: ${job.library} ${opId} does not fit in ${job.board.id}'s ${job.board.ramBytes / 1024} KiB RAM (heap peak ${r.heapBytes} B)`);
        // An op that bails out early may skip its brackets: report its status, not the bracketing.
        if (r.status < 0 && !r.balanced) throw new Error(`${opId} failed on the device (vector ${v.id}): ${statusName(r.status)}`);
        if (!r.balanced || !out.count || out.extraCounts) throw new Error(`${opId}: measurement brackets unbalanced in the ${job.library} adapter`);
        const verdict = spec.check(v, r);
        rec.vectors.total++;
        if (verdict.agree) rec.vectors.agree++;
        else rec.vectors.disagree.push({ id: v.id, detail: verdict.detail ?? statusName(r.status) });
        rec.perVector.push({ id: v.id, instructions: out.count.instructions, status: r.status, agree: verdict.agree });
        if (v.representative) counts.push(out.count.instructions);
        if (mcu) (v.representative ? repEvents : events).push(out.count);
        stack = Math.max(stack, r.stackBytes);
        heap = Math.max(heap, r.heapBytes);
      }
      const all = rec.perVector.map((p) => p.instructions!).filter((n) => n !== null);
      const basis = counts.length ? counts : all;
      rec.instructions = median(basis);
      rec.instructionsMin = basis.length ? Math.min(...basis) : null;
      rec.instructionsMax = basis.length ? Math.max(...basis) : null;
      rec.stackBytes = stack;
      rec.heapBytes = heap;
      if (mcu && cycleElf) Object.assign(rec, cycleFields(repEvents.length ? repEvents : events, mcu, cycleElf));
      if (rec.vectors.disagree.length) {
        rec.status = 'mismatch';
        rec.reason = `${rec.vectors.disagree.length} of ${rec.vectors.total} vectors disagree with the reference: ` + rec.vectors.disagree.slice(0, 3).map((d) => `${d.id}: ${d.detail}`).join('; ');
      }
      if (s.vectors.wycheproof && WYCHEPROOF_FILES[opId]) {
        let set = extras.wycheproof.get(opId);
        if (!set) extras.wycheproof.set(opId, (set = loadWycheproof(opId)));
        hooks.onProgress?.(`${job.board.id}/${job.library}/${opId}: Wycheproof ${set.file}`);
        rec.wycheproof = await runWycheproof(set, async (v) => (await dev.op(opId, v.inputs, s.limits.opSeconds * 1000)).result);
        const why = wycheproofReason(rec.wycheproof);
        if (why) {
          rec.status = 'mismatch';
          rec.reason = rec.reason ? `${rec.reason}; ${why}` : why;
        }
      }
    } catch (e) {
      const err = e as Error & { unsupported?: boolean };
      rec.status = err.unsupported ? 'unsupported' : 'error';
      rec.reason = err.message;
      if (e instanceof DeviceFailure) {
        if (e.fault) rec.fault = { name: e.fault.name, causes: e.fault.causes, pc: e.fault.pc, pcSymbol: e.fault.pcSymbol, lr: e.fault.lr, lrSymbol: e.fault.lrSymbol, cfsr: e.fault.cfsr, hfsr: e.fault.hfsr };
        device?.kill();
        device = undefined; // reboot for the next op
      }
    }
    rec.wallMs = Date.now() - tOp;
    hooks.onRecord(rec);
  }
  if (device) {
    const code = await device.exit();
    if (code !== 0) hooks.onProgress?.(`warning: ${job.board.id}/${job.library} exited with status ${code}`);
  }
}
