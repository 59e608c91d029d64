// Certificate sections: chain verification cost per key type and depth
// (x509-verify-chain), parsing one certificate (x509-parse), and the
// validity verdict matrix (x509-validity). Built from the records only.
import type { CertRow, ResultRecord, ValidityCell } from '../../record/schema.js';
import { section, type Cell, type Section } from '../document.js';
import { libraryLabel } from '../../record/key.js';

const num = (n: number | null | undefined) => (n === null || n === undefined ? '—' : n.toLocaleString('en-US'));
const mega = (n: number | null | undefined) => (n === null || n === undefined ? '—' : `${(n / 1e6).toFixed(2)} M`);
const rowOf = (r: ResultRecord, id: string): CertRow | undefined => r.certRows?.find((x) => x.id === id);

function chainCost(records: ResultRecord[]): Section[] {
  // One record per key type and depth (x509-verify-chain-p256-d1, ...); a board and library's rows side by side.
  const chainRecs = records.filter((r) => r.op.startsWith('x509-verify-chain') && r.certRows?.length);
  const recs = [...new Map(chainRecs.map((r) => [`${r.board}\u0000${libraryLabel(r)}`, r])).values()]
    .map((r) => ({ ...r, certRows: chainRecs.filter((x) => x.board === r.board && libraryLabel(x) === libraryLabel(r)).flatMap((x) => x.certRows!) }));
  const parse = records.filter((r) => r.op === 'x509-parse' && r.certRows?.length);
  if (!recs.length && !parse.length) return [];
  const s = section('certificate-chains', 'Certificate chain verification (x509-verify-chain)', {
    text: ['Instructions to parse the received chain and verify it against the root (parsed outside the count), at a correct clock; heap = op peak. "per CA" = the increase per extra intermediate. Verdicts checked against node:crypto.'],
  });
  if (recs.length) {
    const rows: Cell[][] = [];
    for (const r of recs) {
      for (const issuer of ['p256', 'rsa2048']) {
        const d = [1, 2, 3].map((k) => rowOf(r, `${issuer}-depth${k}`));
        if (!d.some(Boolean)) continue;
        const per = d[0]?.instructions && d[2]?.instructions ? Math.round((d[2].instructions - d[0].instructions) / 2) : null;
        const neg = (r.certRows ?? []).filter((x) => x.issuer === issuer && !/^(p256|rsa2048)-depth\d$/.test(x.id))
          .map((x) => `${x.id.replace(/^\w+-depth\d-/, '')}: ${x.verdict}${x.reasons.length ? ` (${x.reasons.join(', ')})` : ''}${x.agree ? '' : ' ≠ reference'}`);
        rows.push([r.board, libraryLabel(r), issuer === 'p256' ? 'P-256' : 'RSA-2048', ...d.map((x) => (x?.verdict === 'accepted' ? mega(x.instructions) : (x?.verdict ?? null))), mega(per),
          d.map((x) => num(x?.heapBytes)).join(' / '), d.some((x) => x?.stackBytes != null) ? Math.max(...d.map((x) => x?.stackBytes ?? 0)) : null,
          neg.length ? { text: neg.join('; '), tone: neg.some((n) => n.includes('≠')) ? 'bad' : undefined } : null]);
      }
    }
    s.tables.push({
      columns: [{ label: 'board' }, { label: 'library' }, { label: 'CAs' }, { label: 'depth 1', numeric: true }, { label: 'depth 2', numeric: true }, { label: 'depth 3', numeric: true },
        { label: 'per CA', numeric: true }, { label: 'heap d1 / d2 / d3 B' }, { label: 'stack B', numeric: true }, { label: 'negative cases' }],
      rows,
    });
  }
  if (parse.length) {
    const ids = ['leaf-p256-ecdsa-signed', 'leaf-p256-rsa-signed', 'intermediate-p256', 'intermediate-rsa2048', 'root-p256', 'root-rsa2048'];
    s.tables.push({
      caption: 'Parsing one certificate (x509-parse, no signature check), instructions (DER bytes)',
      columns: [{ label: 'board' }, { label: 'library' }, ...ids.map((label) => ({ label, numeric: true }))],
      rows: parse.map((r) => [r.board, libraryLabel(r), ...ids.map((id): Cell => { const x = rowOf(r, id); return x ? `${num(x.instructions)} (${x.derBytes} B)` : null; })]),
    });
  }
  return [s];
}

const CELL_CERTS = ['valid', 'expired', 'not-yet-valid', 'shelf-renewed', 'shelf-expired'];

function validityCell(c: ValidityCell | undefined): Cell {
  if (!c) return null;
  const what = c.verdict === 'accepted' ? 'accept' : c.verdict === 'rejected' ? `reject (${c.reasons.join(', ') || '?'})` : c.verdict === 'does-not-fit' ? 'does not fit (heap)' : `error (${c.reasons.join(', ')})`;
  const risk = c.risk === 'accepts-invalid' ? ' ⚠ accepts invalid' : c.risk === 'rejects-valid' ? ' ⚠ rejects valid' : '';
  const text = `${what}${risk}${c.agree ? '' : ' ≠ node:crypto'}`;
  return c.risk || !c.agree ? { text, tone: 'bad' } : text;
}

function validityMatrix(records: ResultRecord[]): Section[] {
  const recs = records.filter((r) => r.op === 'x509-validity' && r.validity?.length);
  if (!recs.length) return [];
  // Boards with the same verdicts share one table.
  const groups = new Map<string, { lib: string; boards: string[]; cells: ValidityCell[] }>();
  for (const r of recs) {
    const key = `${libraryLabel(r)}\u0000${JSON.stringify(r.validity!.map((c) => [c.clock, c.cert, c.verdict, c.reasons]))}`;
    const g = groups.get(key) ?? { lib: libraryLabel(r), boards: [], cells: r.validity! };
    g.boards.push(r.board);
    groups.set(key, g);
  }
  const head = section('validity', 'Certificate validity vs the device clock (x509-validity)', {
    text: ['Each cell: the library\'s verdict on a depth-1 P-256 chain whose leaf has the column\'s validity (relative to the true time), with the device clock set to what the row\'s situation makes it believe (harness/x509/clock.ts). ⚠ marks the risks: an invalid certificate accepted, or a valid one rejected.'],
  });
  return [head, ...[...groups.values()].map((g, i) => {
    const clocks = [...new Set(g.cells.map((c) => c.clock))];
    const truth = (cert: string) => g.cells.find((c) => c.cert === cert)?.truth ?? '?';
    const acc = g.cells.filter((c) => c.risk === 'accepts-invalid').length, rej = g.cells.filter((c) => c.risk === 'rejects-valid').length;
    return section(`validity-${i + 1}`, `${g.lib} (${g.boards.join(', ')})`, {
      level: 3,
      text: [`Risks: ${acc} of ${g.cells.length} cells accept an invalid certificate, ${rej} reject a valid one.`],
      tables: [{
        columns: [{ label: 'device clock' }, { label: 'believed' }, ...CELL_CERTS.map((c) => ({ label: `${c} (${truth(c)})` }))],
        rows: clocks.map((clock) => {
          const row = g.cells.filter((c) => c.clock === clock);
          const believed = row[0]!.believed;
          return [clock, believed ? new Date(believed * 1000).toISOString().slice(0, 10) : '0 (none)', ...CELL_CERTS.map((cert) => validityCell(row.find((c) => c.cert === cert)))];
        }),
      }],
    });
  })];
}

export function certificateSections(records: ResultRecord[]): Section[] {
  return [...chainCost(records), ...validityMatrix(records)];
}
