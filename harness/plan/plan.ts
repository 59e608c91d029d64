// scenario -> plan: the list of firmware images to build and, per image,
// the ops to run on it. A (board, library) pair the library cannot serve
// becomes `unsupported` records here, with the reason, never a silent gap.
import { boards, type Board } from '../boards.js';
import { library } from '../libraries.js';
import { OPS } from '../ops/index.js';
import type { Scenario } from '../scenario/schema.js';

export interface ImageJob {
  board: Board;
  library: string;
  ops: string[];
  /** Compile flags on top of the scenario's that these ops need (OpSpec.cflags), e.g. -DCERTCOST_DTLS13. */
  cflags: string[];
}
export interface Unsupported {
  board: Board;
  library: string;
  op: string;
  reason: string;
}
export interface Plan {
  images: ImageJob[];
  unsupported: Unsupported[];
}

export function plan(s: Scenario): Plan {
  const images: ImageJob[] = [];
  const unsupported: Unsupported[] = [];
  for (const libId of s.libraries) {
    const lib = library(libId);
    for (const boardId of s.boards) {
      const board = boards().get(boardId)!;
      let why: string | undefined;
      if (!lib.available) why = `no ${libId} adapter in this tree yet (firmware/adapters/${libId})`;
      else if (lib.cores && !lib.cores.includes(board.core)) why = `${libId} does not run on ${board.core}${lib.coresWhy ? `: ${lib.coresWhy}` : ''}`;
      if (why) for (const op of s.ops) unsupported.push({ board, library: libId, op, reason: why });
      else {
        const ops: string[] = [];
        for (const op of s.ops) {
          const only = OPS.get(op)?.libraries;
          if (only && !only.only.includes(libId)) unsupported.push({ board, library: libId, op, reason: only.why });
          else ops.push(op);
        }
        if (ops.length) images.push(...imagesFor(board, libId, ops));
      }
    }
  }
  return { images, unsupported };
}

/** One image per set of extra flags the ops ask for, in the scenario's op order. */
function imagesFor(board: Board, libId: string, ops: string[]): ImageJob[] {
  const byFlags = new Map<string, ImageJob>();
  for (const op of ops) {
    const cflags = OPS.get(op)?.cflags ?? [];
    const k = cflags.join(' ');
    let job = byFlags.get(k);
    if (!job) byFlags.set(k, (job = { board, library: libId, ops: [], cflags: [...cflags] }));
    job.ops.push(op);
  }
  return [...byFlags.values()];
}
