// plan -> build -> run for a whole scenario: the empty image per board
// first (baseline for marginal flash/RAM), then every image, up to `jobs`
// at a time (each boot has its own socket and count file, so concurrent
// images never clash). Records already measured (`skip`, from --resume)
// are not run again.
import { Elf } from '../elf/elf.js';
import { buildImage } from '../build/firmware.js';
import type { Plan, ImageJob } from '../plan/plan.js';
import type { Scenario } from '../scenario/schema.js';
import { timeOp } from '../host/timing.js';
import { checkCyclesOption } from '../cycles/scenario.js';
import { baseRecord, runImage, type RunExtras, type RunHooks } from './image.js';

export type SuiteHooks = RunHooks;
export interface SuiteOptions {
  jobs?: number;
  /** "board/library/op" keys already measured. */
  skip?: Set<string>;
}

const key = (board: string, library: string, op: string) => `${board}/${library}/${op}`;

export async function runPlan(s: Scenario, p: Plan, hooks: SuiteHooks, opts: SuiteOptions = {}): Promise<void> {
  checkCyclesOption(s.cycles, s.boards);
  const skip = opts.skip ?? new Set<string>();
  for (const u of p.unsupported)
    if (!skip.has(key(u.board.id, u.library, u.op))) hooks.onRecord({ ...baseRecord(u.board, u.library, u.op), status: 'unsupported', reason: u.reason, wallMs: 0 });
  const todo = p.images.filter((j) => j.ops.some((op) => !skip.has(key(j.board.id, j.library, op))));
  if (!todo.length) return;

  const extras: RunExtras = { host: new Map(), wycheproof: new Map(), emptyFootprint: new Map() };
  // Host timing runs before any QEMU is up, so the two do not share the CPU.
  if (s.hostTiming) for (const op of s.ops) extras.host.set(op, await timeOp(op, s.vectors.seed, s.vectors.count));
  for (const board of new Set(todo.map((j) => j.board.id))) {
    try {
      extras.emptyFootprint.set(board, Elf.read(buildImage({ board, library: 'none', opt: s.build.opt, cflags: [] }).elfPath).footprint());
    } catch (e) {
      hooks.onProgress?.(`warning: no empty image for ${board}, so no marginal footprint: ${(e as Error).message}`);
    }
  }

  const one = async (job: ImageJob) => {
    const t0 = Date.now();
    hooks.onProgress?.(`build ${job.board.id}/${job.library}${job.cflags.length ? ` (${job.cflags.join(' ')})` : ''}`);
    let image;
    try {
      image = buildImage({ board: job.board.id, library: job.library, opt: s.build.opt, cflags: [...new Set([...s.build.cflags, ...job.cflags])] });
    } catch (e) {
      for (const op of job.ops)
        if (!skip.has(key(job.board.id, job.library, op))) hooks.onRecord({ ...baseRecord(job.board, job.library, op), status: 'error', reason: (e as Error).message, wallMs: Date.now() - t0 });
      return;
    }
    await runImage(s, job, image, hooks, extras, skip);
  };

  const queue = [...todo];
  const workers = Array.from({ length: Math.max(1, Math.min(opts.jobs ?? 1, queue.length)) }, async () => {
    for (let job = queue.shift(); job; job = queue.shift()) await one(job);
  });
  await Promise.all(workers);
}
