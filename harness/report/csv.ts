// CSV for spreadsheets (RFC 4180 quoting): one row per record (the core
// fields, then every number of the extras flattened to key / key.part), and
// any table of the report as it stands.
import type { RawRecord } from '../record/schema.js';
import type { Cell, Table } from './document.js';
import { flatExtras, num, profileName, scanExtras } from '../record/metrics.js';

const quote = (v: unknown): string => {
  if (v === null || v === undefined) return '';
  // Fractions to 6 significant digits: 1, not 0.9999999999999999.
  const s = typeof v === 'number' && !Number.isInteger(v) ? String(Number(v.toPrecision(6))) : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** One table of the report as CSV: the header row, then the cells as text (numbers unformatted). */
export function tableCsv(t: Table): string {
  const raw = (c: Cell) => (c === null ? '' : typeof c === 'object' ? c.text : c);
  return [t.columns.map((c) => c.label), ...t.rows.map((r) => r.map(raw))].map((row) => row.map(quote).join(',')).join('\r\n') + '\r\n';
}

export function recordsCsv(records: RawRecord[]): string {
  const scan = scanExtras(records);
  const extraKeys = [...new Set(records.flatMap((r) => [...flatExtras(r, scan).keys()]))];
  const has = (k: string) => records.some((r) => num(r, k) !== null);
  const optional = ['cycles', 'ms', 'cpuEnergyUj', 'hostNs'].filter(has);
  const head = ['board', 'core', 'qemuMachine', 'library', 'libraryVersion', 'op', 'status', 'instructions', 'instructionsMin', 'instructionsMax', ...optional,
    ...(records.some((r) => profileName(r)) ? ['cycleProfile'] : []),
    'flashBytes', 'ramBytes', 'stackBytes', 'heapBytes', 'vectorsTotal', 'vectorsAgree', 'imageOpt', 'imageSha256', ...extraKeys, 'reason'];
  const rows = records.map((r) => {
    const ex = flatExtras(r, scan);
    return [r.board, r.core, r.qemuMachine, r.library, r.libraryVersion, r.op, r.status, r.instructions, r.instructionsMin, r.instructionsMax, ...optional.map((k) => num(r, k)),
      ...(head.includes('cycleProfile') ? [profileName(r)] : []),
      r.flashBytes, r.ramBytes, r.stackBytes, r.heapBytes, r.vectors.total, r.vectors.agree, r.image?.opt, r.image?.sha256, ...extraKeys.map((k) => ex.get(k)), r.reason];
  });
  return [head, ...rows].map((row) => row.map(quote).join(',')).join('\r\n') + '\r\n';
}
