// scenario -> plan: the list of firmware images to build and, per image,
// the ops to run on it. A (board, library) pair the library cannot serve
// becomes `unsupported` records here, with the reason, never a silent gap.
import { boards, type Board } from '../boards.js';
import { library } from '../libraries.js';
import type { Scenario } from '../scenario/schema.js';

export interface ImageJob {
  board: Board;
  library: string;
  ops: string[];
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
      else images.push({ board, library: libId, ops: [...s.ops] });
    }
  }
  return { images, unsupported };
}
