// One CSV row per record for spreadsheets (RFC 4180 quoting): the core
// fields, then every number of the extras flattened to key / key.part.
import type { RawRecord } from '../record/schema.js';
import { flatExtras, num, profileName, scanExtras } from '../record/metrics.js';

const quote = (v: unknown): string => {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

export function recordsCsv(records: RawRecord[]): string {
  const scan = scanExtras(records);
  const extraKeys = [...new Set(records.flatMap((r) => [...flatExtras(r, scan).keys()]))];
  const has = (k: string) => records.some((r) => num(r, k) !== null);
  const optional = ['cycles', 'ms', 'hostNs'].filter(has);
  const head = ['board', 'core', 'qemuMachine', 'library', 'op', 'status', 'instructions', 'instructionsMin', 'instructionsMax', ...optional,
    ...(records.some((r) => profileName(r)) ? ['cycleProfile'] : []),
    'flashBytes', 'ramBytes', 'stackBytes', 'heapBytes', 'vectorsTotal', 'vectorsAgree', 'imageOpt', 'imageSha256', ...extraKeys, 'reason'];
  const rows = records.map((r) => {
    const ex = flatExtras(r, scan);
    return [r.board, r.core, r.qemuMachine, r.library, r.op, r.status, r.instructions, r.instructionsMin, r.instructionsMax, ...optional.map((k) => num(r, k)),
      ...(head.includes('cycleProfile') ? [profileName(r)] : []),
      r.flashBytes, r.ramBytes, r.stackBytes, r.heapBytes, r.vectors.total, r.vectors.agree, r.image?.opt, r.image?.sha256, ...extraKeys.map((k) => ex.get(k)), r.reason];
  });
  return [head, ...rows].map((row) => row.map(quote).join(',')).join('\r\n') + '\r\n';
}
