// The report's first answer: for each use case (op), which board / MCU
// profile x library meets the budget, and, per op, every candidate with its
// time, peak RAM and flash (harness/report/sizing.ts). Without a budget the
// same tables rank the candidates by time, as a sizing view to read.
import { BUDGET_KEYS, type Budget } from '../../scenario/budget.js';
import { section, type Cell, type Section, type Tone } from '../document.js';
import { budgetLabel, fmtQuantity, type SizingRow } from '../sizing.js';

const TONE: Record<SizingRow['verdict'], Tone | undefined> = { pass: 'good', fail: 'bad', incomplete: 'warn', 'does-not-fit': 'bad', unsupported: 'muted', measured: undefined };
const ORDER: SizingRow['verdict'][] = ['pass', 'measured', 'fail', 'incomplete', 'does-not-fit', 'unsupported'];

const msCell = (r: SizingRow): Cell => (r.ms === null ? null : `${fmtQuantity('ms', r.ms)}${r.msErrorPct !== undefined ? ` ±${Math.round(r.msErrorPct)} %` : ''}`);
const candidate = (r: SizingRow) => `${r.board}${r.profile ? ` (${r.profile})` : ''} · ${r.library}`;

export function sizingSections(rows: SizingRow[], budget: Budget): Section[] {
  if (!rows.length) return [];
  const keys = BUDGET_KEYS.filter((k) => budget[k] !== undefined);
  const ops = [...new Set(rows.map((r) => r.op))];
  const withProfile = rows.some((r) => r.profile);
  const budgetText = keys.length ? `Budget: ${keys.map((k) => `${budgetLabel(k)} ≤ ${fmtQuantity(k, budget[k]!)}`).join(', ')}.` : 'No budget given (scenario `budget:` or `certcost report --budget ms=200,ram=64KiB,flash=256KiB`): the candidates are ranked by time.';
  const head = section('sizing', keys.length ? 'Which MCU and library meet the budget' : 'Sizing: every candidate per use case', {
    text: [
      budgetText,
      'One row per use case (op): each board and MCU profile x library is judged on that op alone. Time: the cycle model\'s ms at the profile\'s clock (± the model\'s error for that core where calibration states one). Peak RAM: static RAM (.data + .bss, certcost\'s link buffers included) + the op\'s heap peak + its stack peak. Flash: the whole image.',
    ],
    tables: keys.length ? [{
      columns: [{ label: 'use case (op)' }, { label: 'meets the budget' }, { label: 'fastest that meets it' }, { label: 'does not' }],
      rows: ops.map((op) => {
        const rs = rows.filter((r) => r.op === op);
        const pass = rs.filter((r) => r.verdict === 'pass').sort((a, b) => (a.ms ?? Infinity) - (b.ms ?? Infinity));
        const no = rs.filter((r) => r.verdict === 'fail' || r.verdict === 'does-not-fit');
        const open = rs.filter((r) => r.verdict === 'incomplete');
        // "none" only when every candidate was judged; otherwise say what is missing.
        const answer: Cell = pass.length ? { text: pass.map(candidate).join('; '), tone: 'good' }
          : open.length ? { text: `not known: ${[...new Set(open.flatMap((r) => r.binding.split('; ')))].join('; ')}`, tone: 'warn' }
          : { text: 'none', tone: 'bad' };
        return [op, answer, pass[0] ? `${candidate(pass[0])}: ${msCell(pass[0]) ?? '—'}` : null, no.map(candidate).join('; ') || null];
      }),
    }] : [],
  });
  // Every candidate of each op, behind its own disclosure under the summary.
  head.tables.push(...ops.map((op) => {
    const rs = rows.filter((r) => r.op === op).sort((a, b) => ORDER.indexOf(a.verdict) - ORDER.indexOf(b.verdict) || (a.ms ?? Infinity) - (b.ms ?? Infinity));
    return {
      caption: `every candidate for ${op} (${rs.length})`,
      collapsed: true,
      columns: [{ label: 'board' }, { label: 'core' }, ...(withProfile ? [{ label: 'MCU profile' }] : []), { label: 'library' }, { label: 'ms', numeric: true }, { label: 'peak RAM', numeric: true },
        { label: 'flash', numeric: true }, { label: 'instructions', numeric: true }, ...(rs.some((r) => r.handshakeBytes !== null) ? [{ label: 'handshake B', numeric: true }] : []),
        ...(keys.length ? [{ label: 'verdict' }, { label: 'binding constraint' }] : [{ label: 'status' }])],
      rows: rs.map((r) => [
        r.board, r.core, ...(withProfile ? [r.profile ?? null] : []), r.library, msCell(r), r.ramBytes === null ? null : fmtQuantity('ramBytes', r.ramBytes),
        r.flashBytes === null ? null : fmtQuantity('flashBytes', r.flashBytes), r.instructions, ...(rs.some((x) => x.handshakeBytes !== null) ? [r.handshakeBytes] : []),
        ...(keys.length ? [{ text: r.verdict, tone: TONE[r.verdict] }, r.binding || null] : [{ text: r.status, tone: r.status === 'ok' ? undefined : TONE[r.verdict] ?? 'warn' }]),
      ]),
    };
  }));
  return [head];
}
