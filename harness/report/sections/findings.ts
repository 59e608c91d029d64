// What the libraries got wrong and what was not measured: Wycheproof cases
// on the device, and every record without a trustworthy figure, with why.
import type { RawRecord } from '../../record/schema.js';
import { section, STATUS_TONE, type Section } from '../document.js';
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

export function notMeasuredSection(records: RawRecord[]): Section[] {
  const bad = records.filter((r) => r.status === 'error' || r.status === 'mismatch' || r.status === 'unsupported');
  if (!bad.length) return [];
  return [section('problems', 'Not measured', {
    text: ['Records without a trustworthy figure, and why.'],
    tables: [{
      columns: [{ label: 'board' }, { label: 'library' }, { label: 'op' }, { label: 'status' }, { label: 'reason' }],
      rows: bad.map((r) => [r.board, libraryLabel(r), r.op, { text: r.status, tone: STATUS_TONE[r.status] }, short(r.reason) + (r.fault ? ` [${r.fault.name} at ${r.fault.pcSymbol}]` : '')]),
    }],
  })];
}
