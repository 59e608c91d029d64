// Turning device answers into certificate record rows, and rows into the
// record's headline figures (median instructions over the representative
// rows, max heap/stack, agreement with the reference).
import type { OpOutcome } from '../device/device.js';
import { encodeOp } from '../device/link.js';
import type { CertRow, ResultRecord } from '../record/schema.js';
import { CC_ERR_NOMEM, CC_ERR_UNSUPPORTED, CC_OK, CC_VERDICT_REJECT, statusName } from '../contract/status.js';
import { verdictNames } from '../contract/tls.js';

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[(s.length - 1) >> 1]! : null;
};

/** The op's own bracket must be balanced with one counted region; anything else is a harness or adapter bug. */
export function counted(op: string, out: OpOutcome): number {
  if (!out.result.balanced || !out.count || out.extraCounts) throw new Error(`${op}: measurement brackets unbalanced (status ${statusName(out.result.status)})`);
  return out.count.instructions;
}

export type Verdict = CertRow['verdict'];

/** Inputs too big for the board's link frame (the micro:bit's 1,152 B): a row saying so, or undefined if they fit. */
export function tooBigForLink(id: string, op: string, inputs: Uint8Array[], linkMax: number): CertRow | undefined {
  const n = encodeOp(op, inputs).length;
  if (n <= linkMax) return undefined;
  return { id, verdict: 'unsupported', reasons: [`inputs of ${n} B exceed the board's ${linkMax} B link frame (a harness limit, not the library's)`], instructions: null, heapBytes: null, stackBytes: null, agree: true, note: 'not measured' };
}

/** A verify-style answer: OK accepted, REJECT rejected, NOMEM does-not-fit, UNSUPPORTED, else an error. */
export function verdictOf(status: number): Verdict {
  if (status === CC_OK) return 'accepted';
  if (status === CC_VERDICT_REJECT) return 'rejected';
  if (status === CC_ERR_NOMEM) return 'does-not-fit';
  if (status === CC_ERR_UNSUPPORTED) return 'unsupported';
  return 'error';
}

export function baseRow(id: string, op: string, out: OpOutcome, bits: number): Omit<CertRow, 'agree'> {
  const st = out.result.status;
  const verdict = verdictOf(st);
  return {
    id,
    verdict,
    reasons: verdict === 'error' ? [statusName(st)] : verdictNames(bits),
    instructions: counted(op, out),
    heapBytes: out.result.heapBytes,
    stackBytes: out.result.stackBytes,
  };
}

/**
 * Headline figures from the rows: instructions = median over the rows
 * flagged representative (else all measured rows); heap/stack = max over
 * the completed rows;
 * vectors = agreement. A disagreeing row is a finding when its input is
 * invalid by design (`invalid`: a forged chain accepted), else a mismatch;
 * when no representative row fits the heap, the record does not fit.
 */
export function finish(rec: ResultRecord, rows: CertRow[], representative: (r: CertRow) => boolean, invalid: (r: CertRow) => boolean = () => false): void {
  rec.certRows = rows;
  // Figures of the answers that completed: a "does not fit" row's count and heap are only how far it got.
  const measured = rows.filter((r) => r.instructions !== null && r.verdict !== 'does-not-fit' && r.verdict !== 'error');
  // No completed representative row (all "does not fit"): no headline figure, rather than a negative case's.
  const basis = (rows.some(representative) ? measured.filter(representative) : measured).map((r) => r.instructions!);
  rec.instructions = median(basis);
  rec.instructionsMin = basis.length ? Math.min(...basis) : null;
  rec.instructionsMax = basis.length ? Math.max(...basis) : null;
  rec.heapBytes = basis.length ? Math.max(...measured.map((r) => r.heapBytes ?? 0)) : null;
  rec.stackBytes = basis.length ? Math.max(...measured.map((r) => r.stackBytes ?? 0)) : null;
  const got = (r: CertRow) => `${r.verdict}${r.reasons.length ? ` (${r.reasons.join(', ')})` : ''}`;
  rec.vectors = { total: rows.length, agree: rows.filter((r) => r.agree).length, disagree: rows.filter((r) => !r.agree && !invalid(r)).map((r) => ({ id: r.id, detail: `device: ${got(r)}; reference: ${r.expected ?? '?'}` })) };
  const findings = rows.filter((r) => !r.agree && invalid(r)).map((r) => ({ case: r.id, expected: r.expected ?? '?', got: got(r) }));
  if (findings.length) {
    rec.findings = findings;
    rec.status = 'finding';
    rec.reason = `${findings.length} invalid input(s) not refused: ` + findings.slice(0, 3).map((f) => `${f.case}: ${f.got}, reference ${f.expected}`).join('; ');
  }
  const repRows = rows.filter(representative);
  if (!basis.length && repRows.length && repRows.every((r) => r.verdict === 'does-not-fit')) {
    const peak = Math.max(0, ...repRows.map((r) => r.heapBytes ?? 0));
    rec.status = 'does-not-fit';
    rec.fit = { resource: 'heap', ...(peak ? { needed: peak } : {}) };
    rec.reason = `no representative case fits: ${repRows[0]!.reasons.join('; ') || 'out of heap'}`;
  }
  rec.perVector = rows.map((r) => ({ id: r.id, instructions: r.instructions, status: r.verdict === 'accepted' || r.verdict === 'parsed' ? CC_OK : r.verdict === 'rejected' ? CC_VERDICT_REJECT : r.verdict === 'does-not-fit' ? CC_ERR_NOMEM : -1, agree: r.agree }));
  if (rec.vectors.disagree.length) {
    rec.status = 'mismatch';
    rec.reason = `${rec.vectors.disagree.length} of ${rec.vectors.total} variants disagree with the reference: ` + rec.vectors.disagree.slice(0, 3).map((d) => `${d.id}: ${d.detail}`).join('; ');
  }
}
