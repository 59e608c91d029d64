// The run's timing record (results.json `timing`) from the accounts the run
// filled (core/timing.ts): the run's own, one per image, and their sum.
import { cpus, loadavg } from 'node:os';
import { sumSplits } from '../core/timing.js';
import type { Timing } from '../record/schema.js';
import type { SuiteTiming } from './suite.js';

export const loadAverage = () => loadavg().map((x) => Math.round(x * 100) / 100);

export function timingRecord(t: SuiteTiming, o: { wallMs: number; jobs: number; loadStart: number[] }): Timing {
  const run = t.run.split();
  const images = t.images.map((i) => ({ board: i.board, library: i.library, ...(i.libraryVersion ? { libraryVersion: i.libraryVersion } : {}), cflags: i.cflags, ...i.account.split() }));
  const round = <T>(x: T): T => JSON.parse(JSON.stringify(x, (_, v) => (typeof v === 'number' && !Number.isInteger(v) ? Math.round(v) : v)));
  return round({
    wallMs: o.wallMs,
    jobs: o.jobs,
    cores: cpus().length,
    loadAverage: { start: o.loadStart, end: loadAverage() },
    total: sumSplits([run, ...images]),
    run,
    images,
  });
}
