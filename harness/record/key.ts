// A record's identity and its empty shape. One key per (board, library at
// its version, op): the journal, --resume, merge and the CI gate all match
// records by it.
import type { Board } from '../catalog/boards.js';
import type { LibraryRef } from '../catalog/libraries.js';
import type { ResultRecord } from './schema.js';

/** How records and reports name a library at a version: `mbedtls@3.6.6`, or just `mbedtls` for an adapter that pins none. */
export const libraryLabel = (r: { library: string; libraryVersion?: string | null }) => (r.libraryVersion ? `${r.library}@${r.libraryVersion}` : r.library);

export const recordKey = (r: Pick<ResultRecord, 'board' | 'library' | 'op'> & { libraryVersion?: string | null }) => `${r.board}/${libraryLabel(r)}/${r.op}`;

/** A record with nothing measured yet: the caller sets status and fills in what it measured. */
export function baseRecord(board: Board, library: LibraryRef, op: string): Omit<ResultRecord, 'status' | 'wallMs'> {
  return {
    board: board.id, core: board.core, qemuMachine: board.qemuMachine, library: library.id, ...(library.version ? { libraryVersion: library.version } : {}), op,
    instructions: null, instructionsMin: null, instructionsMax: null, flashBytes: null, ramBytes: null, stackBytes: null, heapBytes: null,
    vectors: { total: 0, agree: 0, disagree: [] }, perVector: [],
  };
}
