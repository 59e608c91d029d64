// What the libraries got wrong and what was not measured: Wycheproof cases
// on the device, and every record without a trustworthy figure, with why.
import type { RawRecord } from '../../record/schema.js';
import { section, STATUS_TONE, type Section } from '../document.js';
import { NOT_MEASURED } from '../../record/status.js';
import { libraryLabel } from '../../record/key.js';

const short = (s: string | undefined, n = 300) => (s ?? '').replace(/\s+/g, ' ').slice(0, n);

export function wycheproofSection(records: RawRecord[]): Section[] {
  const wy = records.filter((r) => r.wycheproof);
  if (!wy.length) return [];
  return [section('wycheproof', 'Wycheproof cases on the device', {
    text: ['Run in addition to the generated vectors; never part of the instruction figures.'],
    tables: [{
      columns: [{ label: 'board' }, { label: 'library' }, { label: 'op' }, { label: 'file' }, { label: 'pass', numeric: true }, { label: 'fail', numeric: true }, { label: 'acceptable', numeric: true }, { label: 'skipped', numeric: true }],
      rows: wy.map((r) => [r.board, libraryLabel(r), r.op, r.wycheproof!.file, r.wycheproof!.pass, r.wycheproof!.fail ? { text: String(r.wycheproof!.fail), tone: 'bad' } : 0, r.wycheproof!.acceptable, r.wycheproof!.skipped]),
    }],
  })];
}

export function findingsSection(records: RawRecord[]): Section[] {
  const rows = records.filter((r) => r.findings?.length);
  if (!rows.length) return [];
  return [section('findings', 'Findings: inputs the libraries mis-handle', {
    text: ['Invalid or edge-case inputs (Wycheproof cases, tampered signatures, off-curve points, forged chains) a library did not answer as the reference does. These are results about the library, not failures of certcost.'],
    tables: [{
      columns: [{ label: 'board' }, { label: 'library' }, { label: 'op' }, { label: 'case' }, { label: 'expected' }, { label: 'got' }, { label: 'note' }],
      rows: rows.flatMap((r) => r.findings!.map((f) => [r.board, libraryLabel(r), r.op, f.case, f.expected, { text: f.got, tone: 'warn' as const }, f.comment ?? null])),
    }],
  })];
}

export function notMeasuredSection(records: RawRecord[]): Section[] {
  const bad = records.filter((r) => NOT_MEASURED.has(r.status));
  if (!bad.length) return [];
  return [section('problems', 'Not measured', {
    text: ['Records without a trustworthy figure, and why.'],
    tables: [{
      columns: [{ label: 'board' }, { label: 'library' }, { label: 'op' }, { label: 'status' }, { label: 'reason' }],
      rows: bad.map((r) => [r.board, libraryLabel(r), r.op, { text: r.status, tone: STATUS_TONE[r.status] }, short(r.reason) + (r.fault ? ` [${r.fault.name} at ${r.fault.pcSymbol}]` : '')]),
    }],
  })];
}
