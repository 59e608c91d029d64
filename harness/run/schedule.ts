// Which image to start first when images run side by side (--jobs > 1):
// the longest first (LPT), so that no long image starts last and runs alone
// while the other workers idle. How long an image takes is what it took last
// time (timing-history.json next to the image cache, so checkouts sharing the
// cache share it; build/ when the image cache is off), written after each
// run; an image never seen starts first, in plan order. Only the order changes:
// each image still runs its ops in the plan's order on its own devices, so
// results do not depend on it.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { BUILD } from '../core/paths.js';
import { imageCacheDir } from '../build/firmware.js';
import type { ImageJob, Plan } from '../plan/plan.js';
import type { Timing } from '../record/schema.js';

export function historyPath(): string {
  const cache = imageCacheDir();
  return join(cache ? dirname(cache) : BUILD, 'timing-history.json');
}

/** What decides how long an image runs: the image, its ops, the vectors, Wycheproof and per-address mode. */
export function workKey(p: Pick<Plan, 'vectors'>, j: Pick<ImageJob, 'board' | 'library' | 'libraryVersion' | 'cflags' | 'opt' | 'mcu'> & { ops: { spec: { id: string } }[] }): string {
  const board = typeof j.board === 'string' ? j.board : j.board.id;
  return [`${board}/${j.library}${j.libraryVersion ? '@' + j.libraryVersion : ''}`, j.opt, j.cflags.join(' '), j.ops.map((o) => o.spec.id).join(','), `n=${p.vectors.count}`, p.vectors.wycheproof ? 'wycheproof' : '', j.mcu ? `cycles=${j.mcu.id}` : ''].join('|');
}

export type History = Record<string, number>;

export function readHistory(path = historyPath()): History {
  try {
    return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as History) : {};
  } catch {
    return {};
  }
}

/** Jobs longest first by history; unknown ones first, in their order. Stable. */
export function longestFirst(p: Pick<Plan, 'vectors'>, jobs: ImageJob[], history: History): ImageJob[] {
  const est = (j: ImageJob) => history[workKey(p, j)] ?? Infinity;
  return jobs.map((j, i) => ({ j, i, t: est(j) })).sort((a, b) => b.t - a.t || a.i - b.i).map((x) => x.j);
}

/** Adds this run's images (their wall time less the build) to the history file. */
export function recordHistory(p: Plan, timing: Timing, path = historyPath()) {
  const h = readHistory(path);
  for (const i of timing.images) {
    const job = p.images.find((j) => j.board.id === i.board && j.library === i.library && (j.libraryVersion ?? undefined) === (i.libraryVersion ?? undefined) && j.cflags.join(' ') === i.cflags.join(' '));
    if (job) h[workKey(p, job)] = Math.round(i.wallMs - i.phases.build);
  }
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, JSON.stringify(h, null, 1) + '\n');
  renameSync(tmp, path);
}
