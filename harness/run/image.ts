// run -> measure -> check for one firmware image: boot once, run every op
// of the image job in the plan's order, reboot after a fault, hang or link
// failure so the ops that remain still run. Each finished record goes to
// `onRecord` at once; what an op produces is kept for the ops that need it.
import { Elf } from '../elf/elf.js';
import type { Image } from '../build/firmware.js';
import type { OpContext } from '../ops/spec.js';
import { refOf, type ImageJob, type Plan } from '../plan/plan.js';
import type { ResultRecord } from '../record/schema.js';
import { baseRecord, recordKey } from '../record/key.js';
import { seedBytes } from '../vectors/seed.js';
import { boot } from '../device/qemu.js';
import { Device, DeviceFailure, type VerdictOnly } from '../device/device.js';
import { Deadlines } from '../device/deadline.js';
import { loadWycheproof, runWycheproof, wycheproofReason, WYCHEPROOF_FILES, type WycheSet } from '../wycheproof/wycheproof.js';
import type { HostTiming } from '../host/timing.js';
import { unsupported, type Answer, type Fit } from '../record/status.js';
import type { Board } from '../catalog/boards.js';
import { cycleFields } from '../cycles/fields.js';
import { runVectors } from './vectors.js';
import { timed, timedSync } from '../core/timing.js';

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
  /** The run's scope object (OpContext.scope). */
  scope: object;
}

export function faultFields(e: unknown): Pick<ResultRecord, 'fault'> {
  if (!(e instanceof DeviceFailure) || !e.fault) return {};
  const f = e.fault;
  return { fault: { name: f.name, causes: f.causes, pc: f.pc, pcSymbol: f.pcSymbol, lr: f.lr, lrSymbol: f.lrSymbol, cfsr: f.cfsr, hfsr: f.hfsr } };
}

/** A device failure that is an answer about the board: the stack ran out (MPU guard, STKOF, lockup at the limit) or the inputs outgrow its link frame. */
export function fitOfFailure(e: unknown, board: Board): Fit | undefined {
  if (!(e instanceof DeviceFailure)) return undefined;
  if (e.fault?.causes.some((c) => /stack overflow|STKOF|MSTKERR/.test(c))) return { resource: 'stack', available: board.stackBytes };
  const link = /\((\d+) B\) exceed the board's link buffer \((\d+) B\)/.exec(e.message);
  if (link) return { resource: 'link', needed: Number(link[1]), available: Number(link[2]) };
  return undefined;
}

/** The record field naming the user's library configuration an image was built with. */
export const configField = (job: ImageJob): Pick<ResultRecord, 'libraryConfig'> =>
  job.config ? { libraryConfig: { file: job.config.file, mode: job.config.mode, sha256: job.config.sha256 } } : {};

/** A need as the Makefile writes it: MACRO (must be defined) or !MACRO (must not be). */
const optionText = (m: string) => (m.startsWith('!') ? `${m.slice(1)} undefined` : m);

type Product = { ok: true; value: unknown } | { ok: false; error: Answer };

export async function runImage(p: Plan, job: ImageJob, image: Image, hooks: RunHooks, extras: RunExtras, skip: Set<string>): Promise<void> {
  const elf = Elf.read(image.elfPath);
  const fp = elf.footprint();
  const empty = extras.emptyFootprint.get(job.board.id);
  const imageInfo = { elf: image.elfPath, sha256: image.sha256, opt: image.opt };
  const mcu = job.mcu;
  const deadlines = new Deadlines(p.limits.opMs);
  const key = (op: string) => recordKey({ board: job.board.id, library: job.library, libraryVersion: job.libraryVersion, op });

  // With a cycle profile the device runs in addr mode (per-address counts);
  // Wycheproof cases need only the device's answers, so they get a device of
  // their own in time mode (nothing counted: near QEMU's raw speed) rather
  // than paying for per-address counting and a profile dump per case.
  // Without a cycle profile they share the one counting device, as its
  // history (the RNG's state, the heap) is part of what later ops count.
  let device: Device | undefined;
  let plain: Device | undefined;
  const kindOf = (profiled: boolean) => (profiled ? 'addr' : mcu ? 'time' : 'count');
  const ensureDevice = async (profiled = !!mcu) => {
    const have = profiled ? device : plain ?? (mcu ? undefined : device);
    if (have) return have;
    const d = await timed('boot', async () => {
      const d = await boot({ board: job.board, elfPath: image.elfPath, mode: kindOf(profiled), bootTimeoutMs: p.limits.bootMs });
      // Every boot is seeded the same way, so a reboot does not change counts.
      await d.op('seed-rng', [seedBytes(p.vectors.seed, 'device-rng').subarray(0, 16)], p.limits.opMs);
      return d;
    }, { absorb: true });
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
  const timedOp = async (opId: string, inputs: Uint8Array[], net?: Parameters<Device['op']>[3], profiled = !!mcu, verdict?: VerdictOnly) => {
    const dev = await ensureDevice(profiled);
    const kind = kindOf(profiled);
    const cpu0 = dev.cpuMs();
    const out = await dev.op(opId, inputs, deadlines.forOp(opId, kind), net, verdict);
    const cpu1 = dev.cpuMs();
    const n = out.count?.instructions ?? out.spanInstructions;
    if (n !== undefined) deadlines.observe(opId, n, cpu0 !== null && cpu1 !== null ? cpu1 - cpu0 : null, kind);
    return out;
  };

  // What each op produced (measure()'s return), for the ops that name it in `needs`.
  const products = new Map<string, Product>();
  const needed = new Set(job.ops.flatMap((o) => o.spec.needs ?? []));

  for (const { spec, dependencyOnly } of job.ops) {
    const opId = spec.id;
    // Already measured by a resumed run: run again only as a dependency, once.
    const asDependency = dependencyOnly || skip.has(key(opId));
    if (asDependency && !needed.has(opId)) continue;
    const tOp = Date.now();
    const rec: ResultRecord = {
      ...baseRecord(job.board, refOf(job), opId), status: 'ok', flashBytes: fp.flashBytes, ramBytes: fp.ramBytes,
      ...(empty ? { marginalFlashBytes: fp.flashBytes - empty.flashBytes, marginalRamBytes: fp.ramBytes - empty.ramBytes } : {}),
      ...configField(job), image: imageInfo, wallMs: 0,
    };
    const host = extras.host.get(opId);
    if (host) Object.assign(rec, { hostNs: host.ns, hostLib: host.lib });
    try {
      const dev = await ensureDevice();
      if (!dev.ops.has(spec.firmwareOp ?? opId)) {
        const lacks = image.omitted.get(spec.firmwareOp ?? opId);
        const reason = lacks && job.config
          ? `the configuration ${job.config.file} lacks ${lacks.map(optionText).join(', ')}, which ${spec.firmwareOp ?? opId} needs on ${job.library}`
          : `the ${job.library} image does not implement ${spec.firmwareOp ?? opId}`;
        products.set(opId, { ok: false, error: unsupported(reason) });
        if (!asDependency) hooks.onRecord({ ...rec, status: 'unsupported', reason, wallMs: Date.now() - tOp });
        continue;
      }
      if (spec.measure) {
        // Ops with their own protocol (handshakes): the spec drives the device.
        const ctx: OpContext = {
          board: job.board, library: job.library, seed: p.vectors.seed, count: asDependency ? 1 : p.vectors.count, scope: extras.scope, user: p.user,
          run: timedOp, progress: (m) => hooks.onProgress?.(m),
          cycles: (events) => (mcu ? timedSync('profile', () => cycleFields(events, mcu, elf)) : undefined),
          needed: async <T>(id: string) => {
            const got = products.get(id);
            if (!got) throw new Error(`${opId} needs ${id}, which the plan did not run before it`);
            if (!got.ok) throw got.error;
            return got.value as T;
          },
        };
        try {
          products.set(opId, { ok: true, value: await spec.measure(ctx, rec) });
        } catch (e) {
          // The ops that need this one answer as it did: a link or stack overflow is a fit answer for them too.
          const fit = (e as Answer).fit ?? fitOfFailure(e, job.board);
          products.set(opId, { ok: false, error: fit ? Object.assign(e as Error, { fit }) : (e as Error) });
          throw e;
        }
      } else {
        await runVectors(p, job, spec, rec, timedOp, (m) => hooks.onProgress?.(m), mcu ? elf : undefined);
        if (p.vectors.wycheproof && WYCHEPROOF_FILES[opId]) {
          let set = extras.wycheproof.get(opId);
          if (!set) extras.wycheproof.set(opId, (set = timedSync('reference', () => loadWycheproof(opId))));
          hooks.onProgress?.(`${job.board.id}/${job.library}/${opId}: Wycheproof ${set.file}`);
          rec.wycheproof = await runWycheproof(set, async (v, last) => {
            // Verdict-only: on the counting device the plugin stops counting for these cases (device.ts VerdictOnly).
            const once = async () => {
              try {
                return (await timedOp(opId, v.inputs, undefined, false, { last })).result;
              } catch (e) {
                if (e instanceof DeviceFailure) dropDevice(); // reboot for the next case
                throw e;
              }
            };
            try {
              return await once();
            } catch (e) {
              // A hang is cut off by the op's instruction limit, the same on any host. A host-clock deadline
              // (a busy host) says nothing about the library: the case runs again once, and if the host cuts
              // it off again the record is an error, never a finding.
              if (!(e instanceof DeviceFailure && e.hostTimed)) throw e;
              try {
                return await once();
              } catch (again) {
                if (again instanceof DeviceFailure && again.hostTimed)
                  throw Object.assign(new Error(`Wycheproof ${set!.file}: a case was cut off twice by the host's clock, not by its instruction limit (${again.message}): no verdict`), { harness: true });
                throw again;
              }
            }
          });
          // Wycheproof cases are invalid or edge-case inputs by design: a wrong answer is a finding.
          const why = wycheproofReason(rec.wycheproof);
          if (why) {
            rec.findings = [...(rec.findings ?? []), ...rec.wycheproof.failures.map((f) => ({ case: `tcId ${f.tcId}`, expected: f.expected, got: f.got, comment: f.comment }))];
            if (rec.status === 'ok') rec.status = 'finding';
            rec.reason = rec.reason ? `${rec.reason}; ${why}` : why;
          }
        }
      }
    } catch (e) {
      const err = e as Answer;
      const fit = err.fit ?? fitOfFailure(e, job.board);
      rec.status = err.unsupported ? 'unsupported' : fit ? 'does-not-fit' : 'error';
      rec.reason = err.message;
      // What the library refuses at run time (a suite, a flag) may be what the user's configuration left out.
      if (err.unsupported && job.config) {
        const left = [...image.lacks].map(([f, m]) => `${f} (${m.map(optionText).join(', ')})`);
        rec.reason += ` (the image is built with the configuration ${job.config.file}${left.length ? `, which leaves out ${left.join(', ')}` : ''})`;
      }
      if (fit) rec.fit = fit;
      Object.assign(rec, faultFields(e));
      if (e instanceof DeviceFailure) dropDevice(); // reboot for the next op
    }
    rec.wallMs = Date.now() - tOp;
    if (!asDependency) hooks.onRecord(rec);
  }
  for (const d of [device, plain]) {
    if (!d) continue;
    const code = await d.exit();
    if (code !== 0) hooks.onProgress?.(`warning: ${job.board.id}/${job.library} exited with status ${code}`);
  }
}
