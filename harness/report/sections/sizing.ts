// The MCU sizing section: each board (and MCU profile) x library against the
// budget, with the binding constraint (harness/report/sizing.ts).
import { METRIC_LABEL } from '../../record/metrics.js';
import { BUDGET_KEYS, type Budget } from '../../scenario/budget.js';
import { section, type Cell, type Section, type Tone } from '../document.js';
import { fmtQuantity, type SizingRow } from '../sizing.js';

export function sizingSection(rows: SizingRow[], budget: Budget): Section {
  const keys = BUDGET_KEYS.filter((k) => budget[k] !== undefined);
  const withProfile = rows.some((r) => r.profile);
  const tone: Record<SizingRow['verdict'], Tone> = { pass: 'good', fail: 'bad', incomplete: 'warn', unsupported: 'muted' };
  return section('sizing', 'MCU sizing', {
    text: [
      `Budget: ${keys.map((k) => `${METRIC_LABEL[k] ?? k} ≤ ${fmtQuantity(k, budget[k]!)}`).join(', ')}.`,
      'Per board and library: flash and RAM of the image, and the worst op of the run for the per-op limits. The binding constraint is the one that fails by most or, when all fit, the one with the least headroom.',
      'RAM B is the image\'s static RAM (.data + .bss), which includes certcost\'s own link buffers (sized per board); stack and heap are the peaks of the worst op.',
    ],
    tables: [{
      columns: [{ label: 'board' }, { label: 'core' }, ...(withProfile ? [{ label: 'MCU profile' }] : []), { label: 'library' }, { label: 'verdict' }, { label: 'binding constraint' },
        ...keys.map((k) => ({ label: `${METRIC_LABEL[k] ?? k} ≤ ${fmtQuantity(k, budget[k]!)}`, numeric: true }))],
      rows: rows.map((r) => [
        r.board, r.core, ...(withProfile ? [r.profile ?? '—'] : []), r.library, { text: r.verdict, tone: tone[r.verdict] }, r.binding,
        ...keys.map((k): Cell => {
          const c = r.checks.find((x) => x.key === k);
          if (!c || c.value === null) return null;
          return { text: fmtQuantity(k, c.value), tone: c.ok ? undefined : 'bad' };
        }),
      ]),
    }],
  });
}
