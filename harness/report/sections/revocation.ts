// The three revocation strategies side by side, from measured records:
// crl-check (a CRL held in device RAM), ocsp-check (the device asks a
// responder) and ocsp-stapling (the server staples the status into the
// DTLS handshake). Every number comes from a record row; the dependency
// column is what the strategy needs reachable from the device's network,
// and the outage column quotes the verdicts measured when it is not.
import type { CertRow, ResultRecord } from '../../record/schema.js';
import { section, type Cell, type Section } from '../document.js';
import { libraryLabel } from '../../record/key.js';

export interface StrategyRow {
  board: string;
  library: string;
  strategy: string;
  /** Bytes the device receives / sends for the revocation information. */
  bytesIn: number | null;
  bytesOut: number | null;
  /** Extra round trips per verification (per connection). */
  extraRoundTrips: string;
  /** Device instructions over the same verification without revocation checking. */
  extraInstructions: number | null;
  /** Heap peak of the op, plus RAM holding downloaded data (the CRL). */
  ramBytes: number | null;
  dependency: string;
  outage: string;
  status: string;
}

const find = (r: ResultRecord | undefined, id: string) => r?.certRows?.find((x) => x.id === id);
const delta = (x: CertRow | undefined) => (x?.instructions != null && x.baselineInstructions != null ? x.instructions - x.baselineInstructions : null);
const verdictText = (x: CertRow | undefined) => (x ? `${x.verdict}${x.reasons.length ? ` (${x.reasons.join(', ')})` : ''}` : 'not measured');

function notMeasured(board: string, library: string, strategy: string, r: ResultRecord): StrategyRow {
  const why = (r.reason ?? '').split('\n')[0]!.slice(0, 200); // a build failure's reason carries the whole log
  return { board, library, strategy, bytesIn: null, bytesOut: null, extraRoundTrips: '—', extraInstructions: null, ramBytes: null, dependency: '—', outage: '—', status: `${r.status}: ${why}` };
}

export function revocationSummary(records: ResultRecord[]): StrategyRow[] {
  const out: StrategyRow[] = [];
  const keys = [...new Set(records.filter((r) => ['crl-check', 'ocsp-check', 'ocsp-stapling'].includes(r.op)).map((r) => `${r.board}\u0000${libraryLabel(r)}`))];
  for (const key of keys) {
    const [board, library] = key.split('\u0000') as [string, string];
    const rec = (op: string) => records.find((r) => r.board === board && libraryLabel(r) === library && r.op === op);
    const crl = rec('crl-check');
    if (crl?.status === 'unsupported' || crl?.status === 'error') out.push(notMeasured(board, library, 'CRL', crl));
    else if (crl) {
      const stale = find(crl, '10-entries-stale');
      for (const id of ['10-entries', '100-entries', '1000-entries', '10000-entries']) {
        const x = find(crl, id);
        if (!x) continue;
        out.push({
          board, library,
          strategy: `CRL, ${x.crlEntries?.toLocaleString('en-US') ?? id.split('-')[0]} entries`,
          bytesIn: x.derBytes ?? null,
          bytesOut: null,
          extraRoundTrips: '0 per connection; 1 download per CRL period',
          extraInstructions: x.verdict === 'accepted' ? delta(x) : null,
          ramBytes: x.verdict === 'accepted' && x.heapBytes != null ? x.heapBytes + (x.blobBytes ?? 0) : null,
          dependency: 'CRL distribution point, reachable once per CRL period (or pushed)',
          outage: `stale CRL (past nextUpdate): ${verdictText(stale)}`,
          status: x.verdict === 'does-not-fit' ? `does not fit: ${x.reasons.join('; ')}` : x.verdict,
        });
      }
    }
    const ocsp = rec('ocsp-check');
    if (ocsp?.status === 'unsupported' || ocsp?.status === 'error') out.push(notMeasured(board, library, 'OCSP', ocsp));
    else if (ocsp) {
      for (const id of ['ca-signed-good', 'delegated-good']) {
        const x = find(ocsp, id);
        out.push({
          board, library,
          strategy: `OCSP, response ${id.startsWith('ca') ? 'signed by the CA' : 'with a delegated responder certificate'}`,
          bytesIn: x?.bytesIn ?? null,
          bytesOut: x?.bytesOut ?? null,
          extraRoundTrips: '+1 per verification (request/response to the responder)',
          extraInstructions: delta(x),
          ramBytes: x?.heapBytes ?? null,
          dependency: 'OCSP responder reachable from the device network at every verification',
          outage: `no response: soft-fail ${verdictText(find(ocsp, 'outage-soft-fail'))}, hard-fail ${verdictText(find(ocsp, 'outage-hard-fail'))}`,
          status: x ? x.verdict : 'not measured',
        });
      }
    }
    const st = rec('ocsp-stapling');
    if (st?.status === 'unsupported' || st?.status === 'error') out.push(notMeasured(board, library, 'OCSP stapling (DTLS)', st));
    else if (st) {
      const base = find(st, 'no-status-request');
      for (const id of ['stapled-good', 'stapled-good-delegated-responder']) {
        const x = find(st, id);
        out.push({
          board, library,
          strategy: `OCSP stapling (DTLS), ${id.endsWith('responder') ? 'delegated responder certificate' : 'signed by the CA'}`,
          bytesIn: x?.bytesIn != null && base?.bytesIn != null ? x.bytesIn - base.bytesIn : null,
          bytesOut: x?.bytesOut != null && base?.bytesOut != null ? x.bytesOut - base.bytesOut : null,
          extraRoundTrips: '0 (inside the handshake)',
          extraInstructions: delta(x),
          ramBytes: x?.heapBytes ?? null,
          dependency: 'none from the device: the server fetches and caches the response',
          outage: `server has no staple: ${verdictText(find(st, 'no-staple-soft-fail'))}; with must-staple ${verdictText(find(st, 'no-staple-must-staple'))}`,
          status: x ? x.verdict : 'not measured',
        });
      }
    }
  }
  return out;
}

const num = (n: number | null | undefined): Cell => (n === null || n === undefined ? null : n);
const verdictCell = (x: CertRow): Cell => verdictText(x);
/** Extra instructions only where the check completed and accepted (a rejection stops early). */
const extra = (x: CertRow): Cell => (x.verdict === 'accepted' ? delta(x) : null);

function rowsSection(records: ResultRecord[], op: string, title: string, cols: [string, (x: CertRow) => Cell][]): Section[] {
  const recs = records.filter((r) => r.op === op && r.certRows?.length);
  if (!recs.length) return [];
  return [section(`revocation-${op}`, title, {
    level: 3,
    tables: [{
      columns: [{ label: 'board' }, { label: 'library' }, { label: 'variant' }, { label: 'verdict' }, { label: 'instructions', numeric: true }, { label: 'heap B', numeric: true },
        ...cols.map(([label]) => ({ label, numeric: true })), { label: 'agrees' }],
      rows: recs.flatMap((r) => r.certRows!.map((x): Cell[] => [r.board, libraryLabel(r), x.id, verdictCell(x), x.instructions, x.heapBytes, ...cols.map((c) => c[1](x)),
        x.agree ? 'yes' : { text: `no (reference: ${x.expected ?? '?'})`, tone: 'bad' }])),
    }],
  })];
}

export function revocationSections(records: ResultRecord[]): Section[] {
  const rows = revocationSummary(records);
  if (!rows.length) return [];
  const head = section('revocation', 'Revocation: CRL, OCSP and OCSP stapling', {
    text: ['Extra instructions are over the same chain verification without the revocation check (CRL, OCSP: x509-verify-chain; stapling: the same handshake without status_request). Bytes: the CRL\'s DER (downloaded), the OCSP request/response datagrams, the extra handshake bytes. RAM: op heap peak, plus the downloaded CRL held in RAM.'],
    tables: [{
      columns: [{ label: 'board' }, { label: 'library' }, { label: 'strategy' }, { label: 'bytes in', numeric: true }, { label: 'bytes out', numeric: true }, { label: 'extra round trips' },
        { label: 'extra instructions', numeric: true }, { label: 'RAM B', numeric: true }, { label: 'depends on' }, { label: 'responder outage' }, { label: 'status' }],
      rows: rows.map((r) => [r.board, libraryLabel(r), r.strategy, r.bytesIn, r.bytesOut, r.extraRoundTrips, r.extraInstructions, r.ramBytes, r.dependency, r.outage, r.status]),
    }],
  });
  return [
    head,
    ...rowsSection(records, 'crl-check', 'CRL sizes (crl-check)', [['DER B', (x) => num(x.derBytes)], ['entries', (x) => num(x.crlEntries)], ['extra instr.', extra]]),
    ...rowsSection(records, 'ocsp-check', 'OCSP on the device (ocsp-check)', [['request B', (x) => num(x.bytesOut)], ['response B', (x) => num(x.bytesIn)], ['round trips', (x) => num(x.roundTrips)], ['extra instr.', extra]]),
    ...rowsSection(records, 'ocsp-stapling', 'OCSP stapling in the DTLS handshake (ocsp-stapling)', [['bytes out', (x) => num(x.bytesOut)], ['bytes in', (x) => num(x.bytesIn)], ['extra instr.', extra]]),
  ];
}
