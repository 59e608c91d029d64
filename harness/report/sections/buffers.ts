// The smallest record buffers each DTLS handshake completes with (scenario
// `bufferSearch`, harness/run/buffers.ts), and the RAM they save.
import { libraryLabel } from '../../record/key.js';
import type { ResultRecord } from '../../record/schema.js';
import { section, type Section } from '../document.js';

export function buffersSections(records: ResultRecord[]): Section[] {
  const rs = records.filter((r) => r.bufferSearch);
  if (!rs.length) return [];
  const knobs = [...new Set(rs.flatMap((r) => r.bufferSearch!.knobs.map((k) => k.name)))];
  return [section('buffers', 'Smallest record buffers', {
    text: [rs[0]!.bufferSearch!.note + '. RAM saved: heap peak + static RAM of the handshake at the defaults, minus the same at the smallest sizes.'],
    tables: [{
      columns: [{ label: 'board' }, { label: 'library' }, { label: 'variant' }, ...knobs.map((k) => ({ label: `${k} default → smallest`, numeric: true })),
        { label: 'heap at default', numeric: true }, { label: 'heap at smallest', numeric: true }, { label: 'RAM saved B', numeric: true }],
      rows: rs.map((r) => {
        const b = r.bufferSearch!;
        return [r.board, libraryLabel(r), r.op, ...knobs.map((k) => {
          const x = b.knobs.find((y) => y.name === k);
          return x ? `${x.default} → ${x.smallest ?? 'none on the ladder'}` : null;
        }), b.heapAtDefault, b.heapAtSmallest, b.savedBytes];
      }),
    }],
  })];
}
