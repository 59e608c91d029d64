// `certcost fuzz`: a bounded campaign against the device's parsers. Valid
// inputs made by the harness are mutated (mutate.ts) and sent to the
// firmware op that parses them, on an image built with heap canaries.
// A finding is a fault, a lockup, a hang past the op's budget, a write past
// an allocation, or a leak. Each is saved with a command that replays it.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { boards, type Board } from '../catalog/boards.js';
import { buildImage } from '../build/firmware.js';
import { resolveLibrary } from '../catalog/libraries.js';
import { UserError } from '../core/errors.js';
import { boot } from '../device/qemu.js';
import { Device, DeviceFailure } from '../device/device.js';
import { Deadlines, type OpLimit } from '../device/deadline.js';
import { mutant } from './mutate.js';
import { decodeDatagrams, encodeDatagrams, ReplayPeer, rngSeedOf, type FuzzTarget } from './targets.js';

export interface FuzzOptions {
  board: Board;
  library: string;
  target: FuzzTarget;
  count: number;
  seconds: number;
  seed: number;
  out: string;
  log?: (msg: string) => void;
  /** Write every input tried (in the host fuzzer's format) here, to measure their coverage (libfuzzer.ts coverageOf). */
  saveInputs?: string;
}

export interface Finding {
  index: number;
  kind: 'fault' | 'lockup' | 'hang' | 'heap-overrun' | 'leak' | 'link' | 'exit';
  detail: string;
  file: string;
  replay: string;
}

export interface FuzzSummary {
  library: string;
  board: string;
  target: string;
  firmwareOp: string;
  tried: number;
  accepted: number; // mutants the parser accepted as valid
  rejected: number;
  findings: Finding[];
  seconds: number;
  unsupported?: string;
}

export const FUZZ_CFLAGS = ['-DCERTCOST_HEAP_CANARY'];

/** A fuzzed library as the commands name it, `name` or `name@version` (its newest pinned version by default): what make needs. */
export function fuzzedLibrary(ref: string): { library: string; libraryVersion?: string } {
  const r = resolveLibrary(ref);
  if ('error' in r) throw new UserError(`fuzz: ${r.error}`);
  return { library: r.id, ...(r.version ? { libraryVersion: r.version } : {}) };
}

export async function fuzz(o: FuzzOptions): Promise<FuzzSummary> {
  const t0 = Date.now();
  const sum: FuzzSummary = { library: o.library, board: o.board.id, target: o.target.id, firmwareOp: o.target.firmwareOp, tried: 0, accepted: 0, rejected: 0, findings: [], seconds: 0 };
  const image = buildImage({ board: o.board.id, ...fuzzedLibrary(o.library), opt: 'Os', cflags: [...FUZZ_CFLAGS, ...(o.target.cflags ?? [])] });
  let seeds = o.target.seeds(`fuzz-${o.seed}`);
  const deadlines = new Deadlines(30_000);
  let dev: Device | undefined;
  const ensure = async () => {
    if (!dev) {
      dev = await boot({ board: o.board, elfPath: image.elfPath });
      await o.target.prepare?.(dev);
    }
    return dev;
  };
  const drop = () => { dev?.kill(); dev = undefined; };

  const probe = await ensure();
  if (!probe.ops.has(o.target.firmwareOp)) {
    await probe.exit();
    return { ...sum, unsupported: `the ${o.library} image has no ${o.target.firmwareOp} op` };
  }
  // Network targets: record a real peer's answers once; they are the seeds.
  const rngSeed = rngSeedOf(`fuzz-${o.seed}`);
  let netInputs: Uint8Array[] | undefined;
  if (o.target.network) {
    const rec = await o.target.network.record(probe, `fuzz-${o.seed}`);
    seeds = rec.datagrams;
    netInputs = rec.inputs;
  }
  /** One run of the target op with `bytes` as the untrusted input (or, for a
   *  network target, as datagram `at` of the peer's answers). */
  const send = async (bytes: Uint8Array, at: number, limit: OpLimit) => {
    const d = await ensure();
    if (!o.target.network) return d.op(o.target.firmwareOp, o.target.inputs(bytes), limit);
    await d.op('seed-rng', [rngSeed], limit.wallMs);
    const answers = seeds.map((s, i) => (i === at ? bytes : s));
    return d.op(o.target.firmwareOp, netInputs!, limit, new ReplayPeer(answers));
  };
  // The unmutated seeds first: they must be accepted, and they set the budget.
  for (let i = 0; i < seeds.length; i++) {
    const d = await ensure();
    const cpu0 = d.cpuMs();
    const out = await send(seeds[i]!, i, { wallMs: 30_000 });
    const cpu1 = d.cpuMs();
    // A valid seed that the library errors on means the campaign is set up wrong.
    if (out.result.status < 0) throw new Error(`${o.library} ${o.target.id}: the unmutated seed ${i} fails with status ${out.result.status}; fix the target before fuzzing`);
    if (out.count) deadlines.observe(o.target.firmwareOp, Math.max(out.count.instructions, 1_000_000), cpu0 !== null && cpu1 !== null ? cpu1 - cpu0 : null);
  }

  const dir = join(o.out, 'findings');
  if (o.saveInputs) mkdirSync(o.saveInputs, { recursive: true });
  for (let i = 0; i < o.count && Date.now() - t0 < o.seconds * 1000; i++) {
    const m = mutant(seeds, o.seed, i);
    sum.tried++;
    if (o.saveInputs) writeFileSync(join(o.saveInputs, `in-${i}`), o.target.network ? encodeDatagrams(seeds.map((s, k) => (k === m.from ? m.bytes : s))) : m.bytes);
    let kind: Finding['kind'] | undefined, detail = '';
    try {
      const out = await send(m.bytes, m.from, deadlines.forOp(o.target.firmwareOp));
      const r = out.result;
      if (r.heapCorrupt) (kind = 'heap-overrun'), (detail = 'a heap canary was overwritten');
      else if (r.leaked) (kind = 'leak'), (detail = 'heap in use after the op differs from before it');
      else if (r.status === 0) sum.accepted++;
      else sum.rejected++;
    } catch (e) {
      if (!(e instanceof DeviceFailure)) throw e;
      kind = e.kind === 'timeout' ? 'hang' : e.kind === 'fault' ? (e.fault?.name === 'Lockup' ? 'lockup' : 'fault') : e.kind;
      detail = e.message;
      drop();
    }
    if (kind) {
      mkdirSync(dir, { recursive: true });
      const file = join(dir, `${o.library}-${o.board.id}-${o.target.id}-${i}.der`);
      writeFileSync(file, m.bytes);
      const replay = `npx certcost fuzz --replay ${file} --library ${o.library} --board ${o.board.id} --target ${o.target.id}` + (o.target.network ? ` --seed ${o.seed} --at ${m.from}` : '');
      const f: Finding = { index: i, kind, detail, file, replay };
      writeFileSync(file.replace(/\.der$/, '.json'), JSON.stringify({ ...f, mutations: m.steps, seedInput: m.from, campaignSeed: o.seed }, null, 2) + '\n');
      sum.findings.push(f);
      o.log?.(`finding ${kind} at input ${i}: ${detail}`);
    }
  }
  if (dev) await dev.exit();
  sum.seconds = (Date.now() - t0) / 1000;
  return sum;
}

export interface ReplayOutcome {
  /** One line: the status and what the device's probes saw, or the failure (fault, lockup, hang). */
  summary: string;
  /** A fault, lockup, hang, heap overrun or leak on the device. */
  affected: boolean;
}

/** Send one saved input again and say what the device does with it. For a
 *  network target, the peer's answers are recorded again with the same
 *  campaign seed and the input replaces answer `at`; with `datagrams` the
 *  input is the whole sequence of answers (the host fuzzer's format,
 *  encodeDatagrams), sent as it is. */
export async function replayOutcome(board: Board, library: string, target: FuzzTarget, bytes: Uint8Array, opts: { seed?: number; at?: number; datagrams?: boolean } = {}): Promise<ReplayOutcome> {
  const image = buildImage({ board: board.id, ...fuzzedLibrary(library), opt: 'Os', cflags: [...FUZZ_CFLAGS, ...(target.cflags ?? [])] });
  const dev = await boot({ board, elfPath: image.elfPath });
  try {
    await target.prepare?.(dev);
    let out;
    if (target.network) {
      const seed = `fuzz-${opts.seed ?? 1}`;
      let inputs: Uint8Array[], answers: Uint8Array[];
      if (opts.datagrams) {
        inputs = target.network.inputs();
        answers = decodeDatagrams(bytes);
      } else {
        const rec = await target.network.record(dev, seed);
        inputs = rec.inputs;
        answers = rec.datagrams.map((d, i) => (i === (opts.at ?? 0) ? bytes : d));
      }
      await dev.op('seed-rng', [rngSeedOf(seed)], 30_000);
      out = await dev.op(target.firmwareOp, inputs, 30_000, new ReplayPeer(answers));
    } else out = await dev.op(target.firmwareOp, target.inputs(bytes), 30_000);
    await dev.exit();
    const r = out.result;
    return { summary: `status ${r.status}${r.heapCorrupt ? ', heap canary overwritten' : ''}${r.leaked ? ', leaked' : ''}, ${out.count?.instructions ?? '?'} instructions`, affected: r.heapCorrupt || r.leaked };
  } catch (e) {
    dev.kill();
    return { summary: (e as Error).message.replace(/\s*\n\s*/g, '; '), affected: e instanceof DeviceFailure };
  }
}

/** replayOutcome's one line. */
export async function replay(board: Board, library: string, target: FuzzTarget, bytes: Uint8Array, opts: { seed?: number; at?: number; datagrams?: boolean } = {}): Promise<string> {
  return (await replayOutcome(board, library, target, bytes, opts)).summary;
}

export const boardById = (id: string) => boards().get(id);
