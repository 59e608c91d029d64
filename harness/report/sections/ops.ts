// Per-op sections (a board x library table per metric, with charts) and the
// flash/RAM of each firmware image.
import type { RawRecord } from '../../record/schema.js';
import { METRIC_LABEL, libraries, num, uniq } from '../../record/metrics.js';
import { flashChart, opMemoryChart, opMetricChart, type ChartSpec } from '../charts.js';
import { section, STATUS_TONE, type Cell, type Section, type Table } from '../document.js';
import { libraryLabel } from '../../record/key.js';
import { hasFigures } from '../../record/status.js';

/** A board x library table of one metric of one op; a cell without a figure says why. */
function pivot(records: RawRecord[], op: string, metrics: string[]): Table {
  const rs = records.filter((r) => r.op === op);
  const libs = libraries(records);
  const rows = uniq(rs.map((r) => r.board)).map((b) => [
    `${b} (${rs.find((r) => r.board === b)!.core})`,
    ...libs.map((lib): Cell => {
      const r = rs.find((x) => x.board === b && libraryLabel(x) === lib);
      if (!r) return null;
      const v = metrics.map((m) => num(r, m));
      if (hasFigures(r) && v.some((x) => x !== null)) return v.length === 1 ? v[0]! : v.map((x) => (x === null ? '—' : x.toLocaleString('en-US'))).join(' / ');
      return { text: hasFigures(r) ? '—' : r.status, tone: STATUS_TONE[r.status] };
    }),
  ]);
  return { caption: `${op}: ${metrics.map((m) => METRIC_LABEL[m] ?? m).join(' / ')}`, columns: [{ label: 'board' }, ...libs.map((l) => ({ label: l, numeric: true }))], rows };
}

export function opSections(records: RawRecord[], addChart: (c: ChartSpec | null) => string[]): Section[] {
  return uniq(records.map((r) => r.op)).map((op) => {
    const metrics = ['instructions', 'cycles', 'ms'].filter((m) => records.some((r) => r.op === op && num(r, m) !== null));
    if (!metrics.length) metrics.push('instructions');
    return section(`op-${op}`, `Op ${op}`, {
      text: [`Exact executed instructions of the op's measured region, median over the representative vectors; a cell without a figure names the record's status.`],
      tables: [...metrics.map((m) => pivot(records, op, [m])), pivot(records, op, ['stackBytes', 'heapBytes'])],
      charts: [...metrics.filter((m) => m !== 'ms').flatMap((m) => addChart(opMetricChart(records, op, m))), ...addChart(opMemoryChart(records, op))],
    });
  });
}

export function imagesSection(records: RawRecord[], addChart: (c: ChartSpec | null) => string[]): Section[] {
  // Usually one image per board and library; ops that need flags of their own (DTLS 1.3) add one.
  const imageKey = (r: RawRecord) => `${r.board}\u0000${libraryLabel(r)}\u0000${r.image?.sha256 ?? ''}`;
  const images = uniq(records.filter((r) => r.flashBytes !== null).map(imageKey));
  if (!images.length) return [];
  return [section('images', 'Flash and RAM per image', {
    text: ['One firmware image per board and library holds the ops of the run (a second one where ops need other build flags, e.g. DTLS 1.3); RAM is static (.data + .bss).'],
    tables: [{
      columns: [{ label: 'board' }, { label: 'library' }, { label: 'flash B', numeric: true }, { label: 'RAM B', numeric: true }, { label: 'opt' }, { label: 'image sha256' }],
      rows: images.map((k) => {
        const r = records.find((x) => imageKey(x) === k)!;
        return [r.board, libraryLabel(r), r.flashBytes, r.ramBytes, r.image?.opt ?? null, r.image?.sha256.slice(0, 16) ?? null];
      }),
    }],
    charts: addChart(flashChart(records)),
  })];
}
