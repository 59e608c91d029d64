// Tables of every record: the one `certcost run` prints and results.md opens
// with (one row per record, the core figures, extra columns only when some
// record has them), and the report's longer "All records" table.
import type { RawRecord, ResultRecord } from '../../record/schema.js';
import { num, profileName } from '../../record/metrics.js';
import { STATUS_TONE, type Cell, type Table } from '../document.js';
import { libraryLabel } from '../../record/key.js';
import { msCell } from './cycles.js';

const statusText = (r: ResultRecord) => (r.status === 'ok' ? 'ok' : `${r.status}: ${(r.reason ?? '').replace(/\n/g, ' ').slice(0, 160)}`);
const agreeText = (r: ResultRecord) => (r.vectors.total ? `${r.vectors.agree}/${r.vectors.total} agree` : null);

export function recordsTable(records: ResultRecord[]): Table {
  const cols: { label: string; numeric?: boolean; cell: (r: ResultRecord) => Cell }[] = [
    { label: 'board', cell: (r) => r.board },
    { label: 'core', cell: (r) => r.core },
    { label: 'library', cell: (r) => libraryLabel(r) },
    { label: 'op', cell: (r) => r.op },
    { label: 'instructions', numeric: true, cell: (r) => r.instructions },
    { label: 'flash B', numeric: true, cell: (r) => r.flashBytes },
    { label: 'RAM B', numeric: true, cell: (r) => r.ramBytes },
    { label: 'stack B', numeric: true, cell: (r) => r.stackBytes },
    { label: 'heap B', numeric: true, cell: (r) => r.heapBytes },
    { label: 'vectors', cell: agreeText },
    { label: 'status', cell: statusText },
  ];
  // Crypto matrix extras: host timing, Wycheproof and the cycle model, only when some record has them.
  if (records.some((r) => r.hostNs !== undefined))
    cols.push({ label: 'host µs', numeric: true, cell: (r) => (r.hostNs === undefined ? null : `${(r.hostNs / 1000).toLocaleString('en-US', { maximumSignificantDigits: 3 })} (${r.hostLib ?? '?'})`) });
  if (records.some((r) => r.wycheproof))
    cols.push({ label: 'wycheproof', cell: (r) => (r.wycheproof ? `${r.wycheproof.pass} pass, ${r.wycheproof.fail} fail, ${r.wycheproof.acceptable} acceptable, ${r.wycheproof.skipped} skipped` : null) });
  if (records.some((r) => r.cycles !== undefined)) {
    cols.push({ label: 'cycles (model)', numeric: true, cell: (r) => (r.cycles === undefined ? null : `${r.cycles.toLocaleString('en-US')} (${r.cycleProfile})`) });
    cols.push({ label: 'ms (silicon range)', numeric: true, cell: (r) => msCell(r) });
  }
  return { columns: cols.map(({ label, numeric }) => ({ label, numeric })), rows: records.map((r) => cols.map((c) => c.cell(r))) };
}

export function allRecordsTable(records: RawRecord[]): Table {
  const has = (k: string) => records.some((r) => num(r, k) !== null);
  const opt = ['cycles', 'ms', 'hostNs'].filter(has);
  const withProfile = records.some((r) => profileName(r));
  return {
    columns: [{ label: 'board' }, { label: 'core' }, { label: 'library' }, { label: 'op' }, { label: 'status' },
      { label: 'instructions', numeric: true }, { label: 'min', numeric: true }, { label: 'max', numeric: true },
      ...opt.map((k) => ({ label: k === 'hostNs' ? 'host ns' : k, numeric: true })), ...(withProfile ? [{ label: 'MCU profile' }] : []),
      { label: 'flash B', numeric: true }, { label: 'RAM B', numeric: true }, { label: 'stack B', numeric: true }, { label: 'heap B', numeric: true },
      { label: 'vectors' }, { label: 'image' }],
    rows: records.map((r) => [
      r.board, r.core, libraryLabel(r), r.op, { text: r.status, tone: STATUS_TONE[r.status] }, r.instructions, r.instructionsMin, r.instructionsMax,
      ...opt.map((k) => num(r, k)), ...(withProfile ? [profileName(r) ?? null] : []),
      r.flashBytes, r.ramBytes, r.stackBytes, r.heapBytes,
      agreeText(r),
      r.image ? `${r.image.opt} ${r.image.sha256.slice(0, 12)}` : null,
    ]),
  };
}
