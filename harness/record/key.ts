// A record's identity and its empty shape. One key per (board, library, op):
// the journal, --resume, merge and the CI gate all match records by it.
import type { Board } from '../catalog/boards.js';
import type { ResultRecord } from './schema.js';

export const recordKey = (r: Pick<ResultRecord, 'board' | 'library' | 'op'>) => `${r.board}/${r.library}/${r.op}`;

/** A record with nothing measured yet: the caller sets status and fills in what it measured. */
export function baseRecord(board: Board, library: string, op: string): Omit<ResultRecord, 'status' | 'wallMs'> {
  return {
    board: board.id, core: board.core, qemuMachine: board.qemuMachine, library, op,
    instructions: null, instructionsMin: null, instructionsMax: null, flashBytes: null, ramBytes: null, stackBytes: null, heapBytes: null,
    vectors: { total: 0, agree: 0, disagree: [] }, perVector: [],
  };
}
