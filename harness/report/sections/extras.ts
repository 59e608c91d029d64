// "More measurements": record fields beyond the core metrics that no section
// of their own shows, discovered by shape (harness/record/metrics.ts), so
// the report grows with the records instead of needing an edit per field.
import type { RawRecord } from '../../record/schema.js';
import { num, sumParts, type ExtraScan } from '../../record/metrics.js';
import { section, type Cell, type Section, type Table } from '../document.js';
import { libraryLabel } from '../../record/key.js';

export function extrasSection(records: RawRecord[], scan: ExtraScan, chartIds: string[]): Section[] {
  if (!scan.extras.length && !scan.skipped.length) return [];
  const tables: Table[] = [];
  const scalars = scan.extras.filter((e) => e.kind === 'scalar').map((e) => e.key);
  if (scalars.length) {
    const rs = records.filter((r) => scalars.some((k) => num(r, k) !== null));
    tables.push({ caption: 'Per-record figures', columns: [{ label: 'board' }, { label: 'library' }, { label: 'op' }, ...scalars.map((k) => ({ label: k, numeric: true }))],
      rows: rs.map((r) => [r.board, libraryLabel(r), r.op, ...scalars.map((k) => num(r, k))]) });
  }
  for (const e of scan.extras) {
    if (e.kind === 'parts') {
      const rs = records.filter((r) => sumParts(r, e) !== null);
      tables.push({ caption: e.key, columns: [{ label: 'board' }, { label: 'library' }, { label: 'op' }, ...e.parts.map((p) => ({ label: p, numeric: true })), { label: 'total', numeric: true }],
        rows: rs.map((r) => [r.board, libraryLabel(r), r.op, ...e.parts.map((p) => {
          const v = (r as Record<string, unknown>)[e.key];
          const x = Array.isArray(v) ? v[Number(p) - 1] : (v as Record<string, unknown>)[p];
          return typeof x === 'number' ? x : null;
        }), sumParts(r, e)]) });
    } else if (e.kind === 'rows') {
      for (const r of records) {
        const list = (r as Record<string, unknown>)[e.key];
        if (!Array.isArray(list) || !list.length) continue;
        tables.push({ caption: `${e.key}: ${r.board} · ${libraryLabel(r)} · ${r.op}${list.length > 30 ? ' (first 30 rows)' : ''}`, collapsed: true,
          columns: e.columns.map((c) => ({ label: c, numeric: typeof (list[0] as Record<string, unknown>)[c] === 'number' })),
          rows: list.slice(0, 30).map((row) => e.columns.map((c): Cell => {
            const v = (row as Record<string, unknown>)[c];
            return v === undefined || v === null ? null : typeof v === 'number' ? v : String(v);
          })) });
      }
    }
  }
  return [section('more', 'More measurements', {
    text: [
      'Fields found in the records beyond the core metrics, shown by shape.',
      ...(scan.skipped.length ? [`Not shown (shape not understood): ${scan.skipped.map((s) => `${s.key} — ${s.why}`).join('; ')}.`] : []),
    ],
    tables,
    charts: chartIds,
  })];
}
