// plan -> build -> run for a whole plan: the empty image per board first
// (baseline for marginal flash/RAM), then every image, up to `jobs` at a time
// (each boot has its own socket and count file, so concurrent images never
// clash). Records already measured (`skip`, from --resume) are not run again.
// Everything comes from the plan; the scenario is not read here.
import { Elf } from '../elf/elf.js';
import { buildImageAsync, ConfigBuildFailure } from '../build/firmware.js';
import { refOf, type Plan, type ImageJob } from '../plan/plan.js';
import type { Board } from '../catalog/boards.js';
import { timeOp } from '../host/timing.js';
import { baseRecord, libraryLabel, recordKey } from '../record/key.js';
import { configField, runImage, type RunExtras, type RunHooks } from './image.js';
import type { Fit } from '../record/status.js';
import { TimingAccount, timed, withAccount } from '../core/timing.js';

export type SuiteHooks = RunHooks;
/** Where the run's time went (core/timing.ts): the run's own account and one per image. */
export interface SuiteTiming {
  run: TimingAccount;
  images: { board: string; library: string; libraryVersion?: string; cflags: string[]; account: TimingAccount }[];
}
export interface SuiteOptions {
  jobs?: number;
  /** recordKey()s already measured. */
  skip?: Set<string>;
  /** Filled as the run goes. */
  timing?: SuiteTiming;
  /** The order to start images in (schedule.ts: longest first); the plan's by default. */
  order?: (jobs: ImageJob[]) => ImageJob[];
}

/** What the linker's overflow message says did not fit: `region 'FLASH' overflowed by N bytes`, or the RAM check of firmware/ld/cortex-m.ld.in. */
export function fitOfBuild(log: string, board: Board): Fit | undefined {
  const region = /region [`'"]?(FLASH|RAM)[`'"]? overflowed by (\d+) bytes/.exec(log);
  if (region) {
    const flash = region[1] === 'FLASH';
    const available = flash ? board.flashBytes : board.ramBytes;
    return { resource: flash ? 'flash' : 'ram', needed: available + Number(region[2]), available };
  }
  if (/RAM overflow/.test(log)) return { resource: 'ram', available: board.ramBytes };
  return undefined;
}

export async function runPlan(p: Plan, hooks: SuiteHooks, opts: SuiteOptions = {}): Promise<void> {
  const skip = opts.skip ?? new Set<string>();
  const done = (x: { board: Board; library: string; libraryVersion?: string }, op: string) => skip.has(recordKey({ board: x.board.id, library: x.library, libraryVersion: x.libraryVersion, op }));
  for (const u of p.unsupported)
    if (!done(u, u.op)) hooks.onRecord({ ...baseRecord(u.board, refOf(u), u.op), status: 'unsupported', reason: u.reason, wallMs: 0 });
  const todo = p.images.filter((j) => j.ops.some((o) => !o.dependencyOnly && !done(j, o.spec.id)));
  if (!todo.length) return;

  const extras: RunExtras = { host: new Map(), wycheproof: new Map(), emptyFootprint: new Map(), scope: {} };
  const timing = opts.timing ?? { run: new TimingAccount('run'), images: [] };
  timing.run.start();
  await withAccount(timing.run, async () => {
    // Host timing runs before any QEMU is up, so the two do not share the CPU.
    for (const op of p.hostTiming) extras.host.set(op, await timed('host', () => timeOp(op, p.vectors.seed, p.vectors.count)));
    for (const board of new Set(todo.map((j) => j.board))) {
      try {
        extras.emptyFootprint.set(board.id, await timed('build', async () => Elf.read((await buildImageAsync({ board: board.id, boardFile: board.file, library: 'none', opt: p.opt, cflags: [] })).elfPath).footprint()));
      } catch (e) {
        hooks.onProgress?.(`warning: no empty image for ${board.id}, so no marginal footprint: ${(e as Error).message}`);
      }
    }
  });
  timing.run.stop();

  const one = (job: ImageJob) => {
    const account = new TimingAccount(`${job.board.id}/${libraryLabel(job)}`);
    timing.images.push({ board: job.board.id, library: job.library, ...(job.libraryVersion ? { libraryVersion: job.libraryVersion } : {}), cflags: job.cflags, account });
    return withAccount(account, () => oneImage(job)).finally(() => account.stop());
  };
  const oneImage = async (job: ImageJob) => {
    const t0 = Date.now();
    hooks.onProgress?.(`build ${job.board.id}/${libraryLabel(job)}${job.cflags.length ? ` (${job.cflags.join(' ')})` : ''}`);
    let image;
    try {
      image = await timed('build', () => buildImageAsync({ board: job.board.id, boardFile: job.board.file, library: job.library, libraryVersion: job.libraryVersion, opt: job.opt, cflags: job.cflags, config: job.config }));
    } catch (e) {
      // A link that overflows the board's flash or RAM is an answer about the board, one that fails with the
      // user's library configuration an answer about that configuration; any other build failure is certcost's.
      const fit = fitOfBuild((e as Error).message, job.board);
      const status = fit ? 'does-not-fit' : e instanceof ConfigBuildFailure ? 'unsupported' : 'error';
      for (const o of job.ops)
        if (!o.dependencyOnly && !done(job, o.spec.id))
          hooks.onRecord({ ...baseRecord(job.board, refOf(job), o.spec.id), ...configField(job), status, reason: (e as Error).message, ...(fit ? { fit } : {}), wallMs: Date.now() - t0 });
      return;
    }
    await runImage(p, job, image, hooks, extras, skip);
  };

  const queue = opts.order ? opts.order(todo) : [...todo];
  const workers = Array.from({ length: Math.max(1, Math.min(opts.jobs ?? 1, queue.length)) }, async () => {
    for (let job = queue.shift(); job; job = queue.shift()) await one(job);
  });
  await Promise.all(workers);
}
