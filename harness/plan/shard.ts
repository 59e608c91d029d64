// `certcost run --shard i/n`: a deterministic slice of a plan, so n CI jobs
// together run every (board, library) image exactly once. Images are sorted by
// board/library and dealt out round-robin: the same scenario gives the same
// slices on every machine, and unsupported pairs go with their pair's shard.
import { UserError } from '../core/errors.js';
import type { Plan } from './plan.js';

export interface Shard {
  index: number; // 1-based
  count: number;
}

export function parseShard(s: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(s.trim());
  const index = m ? Number(m[1]) : NaN, count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index < 1 || index > count) throw new UserError(`--shard: expected i/n with 1 <= i <= n, got '${s}'`);
  return { index, count };
}

const pairKey = (board: string, library: string) => `${board}/${library}`;

export function shardPlan(p: Plan, shard: Shard): Plan {
  const pairs = [...new Set([...p.images.map((i) => pairKey(i.board.id, i.library)), ...p.unsupported.map((u) => pairKey(u.board.id, u.library))])].sort();
  const mine = new Set(pairs.filter((_, i) => i % shard.count === shard.index - 1));
  return {
    ...p,
    images: p.images.filter((i) => mine.has(pairKey(i.board.id, i.library))),
    unsupported: p.unsupported.filter((u) => mine.has(pairKey(u.board.id, u.library))),
  };
}
