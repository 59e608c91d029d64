// run -> measure -> check for one firmware image: boot once, run every op
// of the image, reboot after a fault, hang or link failure so the ops that
// remain still run. Each finished record goes to `onRecord` at once.
import { Elf } from '../elf/elf.js';
import type { Board } from '../boards.js';
import type { Image } from '../build/firmware.js';
import { OPS } from '../ops/index.js';
import { CC_ERR_NOMEM, CC_ERR_UNSUPPORTED, statusName, type OpContext } from '../ops/types.js';
import type { ImageJob } from '../plan/plan.js';
import type { Scenario } from '../scenario/schema.js';
import type { ResultRecord } from '../results/schema.js';
import { seedBytes } from '../ops/seed.js';
import { boot } from './qemu.js';
import { Device, DeviceFailure } from './device.js';
import { Deadlines } from './deadline.js';
import { loadWycheproof, runWycheproof, wycheproofReason, WYCHEPROOF_FILES, type WycheSet } from '../check/wycheproof.js';
import type { HostTiming } from '../host/timing.js';
import { cycleFields, profileFor } from '../cycles/scenario.js';
import type { CountEvent } from '../measure/counts.js';

export interface RunHooks {
  onRecord(r: ResultRecord): void;
  onProgress?(msg: string): void;
}

/** Shared across images: computed once per run. */
export interface RunExtras {
  host: Map<string, HostTiming | undefined>;
  wycheproof: Map<string, WycheSet>;
  /** Footprint of the empty image per board, for marginal flash/RAM. */
  emptyFootprint: Map<string, { flashBytes: number; ramBytes: number }>;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[(s.length - 1) >> 1]! : null;
};

export function baseRecord(board: Board, library: string, op: string): Omit<ResultRecord, 'status' | 'wallMs'> {
  return {
    board: board.id, core: board.core, qemuMachine: board.qemuMachine, library, op,
    instructions: null, instructionsMin: null, instructionsMax: null, flashBytes: null, ramBytes: null, stackBytes: null, heapBytes: null,
    vectors: { total: 0, agree: 0, disagree: [] }, perVector: [],
  };
}

export function faultFields(e: unknown): Pick<ResultRecord, 'fault'> {
  if (!(e instanceof DeviceFailure) || !e.fault) return {};
  const f = e.fault;
  return { fault: { name: f.name, causes: f.causes, pc: f.pc, pcSymbol: f.pcSymbol, lr: f.lr, lrSymbol: f.lrSymbol, cfsr: f.cfsr, hfsr: f.hfsr } };
}

export async function runImage(s: Scenario, job: ImageJob, image: Image, hooks: RunHooks, extras: RunExtras, skip: Set<string>): Promise<void> {
  const elf = Elf.read(image.elfPath);
  const fp = elf.footprint();
  const empty = extras.emptyFootprint.get(job.board.id);
  const imageInfo = { elf: image.elfPath, sha256: image.sha256, opt: image.opt };
  const mcu = s.cycles ? profileFor(s.cycles, job.board) : undefined;
  const limitMs = s.limits.opSeconds * 1000;
  const deadlines = new Deadlines(limitMs);

  // With a cycle profile the device runs in addr mode (per-address counts);
  // Wycheproof cases need only counts, so they get a plain device of their
  // own rather than paying for a profile dump per case.
  let device: Device | undefined;
  let plain: Device | undefined;
  const ensureDevice = async (profiled = !!mcu) => {
    const have = profiled ? device : plain ?? (mcu ? undefined : device);
    if (have) return have;
    const d = await boot({ board: job.board, elfPath: image.elfPath, mode: profiled ? 'addr' : 'count', bootTimeoutMs: s.limits.bootSeconds * 1000 });
    // Every boot is seeded the same way, so a reboot does not change counts.
    await d.op('seed-rng', [seedBytes(s.vectors.seed, 'device-rng').subarray(0, 16)], limitMs);
    if (profiled || !mcu) device = d;
    else plain = d;
    return d;
  };
  const dropDevice = () => {
    device?.kill();
    plain?.kill();
    device = plain = undefined;
  };
  /** Run one op on the device under its deadline; remember its cost. */
  const timedOp = async (opId: string, inputs: Uint8Array[], net?: Parameters<Device['op']>[3], profiled = !!mcu) => {
    const dev = await ensureDevice(profiled);
    const t = Date.now();
    const out = await dev.op(opId, inputs, deadlines.forOp(opId), net);
    if (out.count) deadlines.observe(opId, out.count.instructions, Date.now() - t);
    return out;
  };

  for (const opId of job.ops) {
    if (skip.has(`${job.board.id}/${job.library}/${opId}`)) continue;
    const tOp = Date.now();
    const spec = OPS.get(opId)!;
    const rec: ResultRecord = {
      ...baseRecord(job.board, job.library, opId), status: 'ok', flashBytes: fp.flashBytes, ramBytes: fp.ramBytes,
      ...(empty ? { marginalFlashBytes: fp.flashBytes - empty.flashBytes, marginalRamBytes: fp.ramBytes - empty.ramBytes } : {}),
      image: imageInfo, wallMs: 0,
    };
    const host = extras.host.get(opId);
    if (host) Object.assign(rec, { hostNs: host.ns, hostLib: host.lib });
    try {
      const dev = await ensureDevice();
      if (!dev.ops.has(spec.firmwareOp ?? opId)) {
        hooks.onRecord({ ...rec, status: 'unsupported', reason: `the ${job.library} image does not implement ${spec.firmwareOp ?? opId}`, wallMs: Date.now() - tOp });
        continue;
      }
      if (spec.measure) {
        // Ops with their own protocol (handshakes): the spec drives the device.
        const ctx: OpContext = {
          scenario: s, board: job.board, library: job.library, run: timedOp, progress: (m) => hooks.onProgress?.(m),
          cycles: (events) => (mcu ? cycleFields(events, mcu, elf) : undefined),
        };
        await spec.measure(ctx, rec);
      } else {
        await runVectors(s, job, spec.id, rec, timedOp, hooks, mcu ? elf : undefined, mcu);
        if (s.vectors.wycheproof && WYCHEPROOF_FILES[opId]) {
          let set = extras.wycheproof.get(opId);
          if (!set) extras.wycheproof.set(opId, (set = loadWycheproof(opId)));
          hooks.onProgress?.(`${job.board.id}/${job.library}/${opId}: Wycheproof ${set.file}`);
          rec.wycheproof = await runWycheproof(set, async (v) => {
            try {
              return (await timedOp(opId, v.inputs, undefined, false)).result;
            } catch (e) {
              if (e instanceof DeviceFailure) dropDevice(); // reboot for the next case
              throw e;
            }
          });
          const why = wycheproofReason(rec.wycheproof);
          if (why) {
            rec.status = 'mismatch';
            rec.reason = rec.reason ? `${rec.reason}; ${why}` : why;
          }
        }
      }
    } catch (e) {
      const err = e as Error & { unsupported?: boolean };
      rec.status = err.unsupported ? 'unsupported' : 'error';
      rec.reason = err.message;
      Object.assign(rec, faultFields(e));
      if (e instanceof DeviceFailure) dropDevice(); // reboot for the next op
    }
    rec.wallMs = Date.now() - tOp;
    hooks.onRecord(rec);
  }
  for (const d of [device, plain]) {
    if (!d) continue;
    const code = await d.exit();
    if (code !== 0) hooks.onProgress?.(`warning: ${job.board.id}/${job.library} exited with status ${code}`);
  }
}

/** The generated vectors of a plain op: count, check, aggregate. */
async function runVectors(
  s: Scenario, job: ImageJob, opId: string, rec: ResultRecord,
  timedOp: (op: string, inputs: Uint8Array[]) => ReturnType<Device['op']>,
  hooks: RunHooks, elf: Elf | undefined, mcu: ReturnType<typeof profileFor>,
): Promise<void> {
  const spec = OPS.get(opId)!;
  const counts: number[] = [];
  const events: CountEvent[] = [], repEvents: CountEvent[] = [];
  let stack = 0, heap = 0;
  const vectors = spec.vectors(s.vectors.seed, s.vectors.count);
  hooks.onProgress?.(`${job.board.id}/${job.library}/${opId}: ${vectors.length} vectors`);
  for (const v of vectors) {
    const out = await timedOp(opId, v.inputs);
    const r = out.result;
    if (r.status === CC_ERR_UNSUPPORTED) throw Object.assign(new Error(`${job.library} reports ${opId} unsupported`), { unsupported: true });
    if (r.status === CC_ERR_NOMEM) throw new Error(`out of memory: ${job.library} ${opId} does not fit in ${job.board.id}'s ${job.board.heapBytes} B heap (peak ${r.heapBytes} B when it failed)`);
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
  if (mcu && elf) Object.assign(rec, cycleFields(repEvents.length ? repEvents : events, mcu, elf));
  if (rec.vectors.disagree.length) {
    rec.status = 'mismatch';
    rec.reason = `${rec.vectors.disagree.length} of ${rec.vectors.total} vectors disagree with the reference: ` + rec.vectors.disagree.slice(0, 3).map((d) => `${d.id}: ${d.detail}`).join('; ');
  }
}
