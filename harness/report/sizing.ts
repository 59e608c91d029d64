// MCU sizing, per use case: for each op (a handshake variant, a primitive)
// every board (and MCU profile) x library that measured it, against a budget
// (scenario `budget:` or `--budget`). Time is the cycle model's ms (with its
// error band where the model states one), RAM is what the op needs at its
// peak (static .data + .bss, heap peak and stack peak), flash the image.
// Never the worst op of the run: one row per op. The verdict names the
// binding constraint: the one that fails by most or, when all fit, the one
// with the least headroom.
import { BUDGET_KEYS, BUDGET_KIND, type Budget, type BudgetKey } from '../scenario/budget.js';
import type { RawRecord } from '../record/schema.js';
import { METRIC_LABEL, profileName } from '../record/metrics.js';
import { libraryLabel } from '../record/key.js';
import { hasFigures } from '../record/status.js';

export interface SizingCheck {
  key: BudgetKey;
  limit: number;
  value: number | null; // null: the record does not report it
  ok: boolean | null;
}
export interface SizingRow {
  op: string;
  board: string;
  core: string;
  profile?: string;
  library: string;
  /** The figures sized (null when the record has none). */
  ms: number | null;
  /** The model's stated error for this core/profile, in % (± this much), when there is one. */
  msErrorPct?: number;
  ramBytes: number | null;
  flashBytes: number | null;
  instructions: number | null;
  handshakeBytes: number | null;
  status: string;
  verdict: 'pass' | 'fail' | 'incomplete' | 'does-not-fit' | 'unsupported' | 'measured';
  binding: string;
  checks: SizingCheck[];
}

export function fmtQuantity(key: BudgetKey, v: number): string {
  const k = BUDGET_KIND[key];
  if (k === 'time') return v >= 1000 ? `${(v / 1000).toLocaleString('en-US', { maximumFractionDigits: 2 })} s` : `${v.toLocaleString('en-US', { maximumFractionDigits: 1 })} ms`;
  if (k === 'count') return v >= 1e6 ? `${(v / 1e6).toLocaleString('en-US', { maximumFractionDigits: 2 })} M` : v.toLocaleString('en-US');
  return v >= 10 * 1024 ? `${(v / 1024).toLocaleString('en-US', { maximumFractionDigits: 1 })} KiB` : `${v.toLocaleString('en-US')} B`;
}

/** How a budget key reads in a verdict. */
export const budgetLabel = (k: BudgetKey) => (k === 'ramBytes' ? 'peak RAM' : k === 'flashBytes' ? 'flash' : k === 'bytesOnAir' ? 'handshake bytes' : METRIC_LABEL[k] ?? k);

const describe = (c: SizingCheck) =>
  `${budgetLabel(c.key)} ${fmtQuantity(c.key, c.value!)} of ${fmtQuantity(c.key, c.limit)} (${Math.round((100 * c.value!) / c.limit)} %)`;

/** RAM an op needs at its peak: static RAM + heap peak + stack peak. */
export const peakRamOf = (r: RawRecord) => (r.ramBytes === null || r.heapBytes === null || r.stackBytes === null ? null : r.ramBytes + r.heapBytes + r.stackBytes);

/** The value a budget key checks on one record. */
function valueOf(r: RawRecord, key: BudgetKey): number | null {
  switch (key) {
    case 'ramBytes': return peakRamOf(r);
    case 'bytesOnAir': return r.handshake ? r.handshake.bytesC2S + r.handshake.bytesS2C : null;
    case 'ms': return typeof r.ms === 'number' ? r.ms : null;
    default: return typeof r[key] === 'number' ? (r[key] as number) : null;
  }
}

/** Ops worth sizing: what a device does for a use case (not the self-tests, not modeled what-ifs). */
const sized = (r: RawRecord) => !r.op.startsWith('selftest-') && !r.modeled;

export function sizing(records: RawRecord[], budget: Budget): SizingRow[] {
  const keys = BUDGET_KEYS.filter((k) => budget[k] !== undefined);
  const rows: SizingRow[] = [];
  for (const r of records.filter(sized)) {
    const base = {
      op: r.op, board: r.board, core: r.core, profile: profileName(r), library: libraryLabel(r),
      ms: valueOf(r, 'ms'), ...(typeof r.msErrorPct === 'number' ? { msErrorPct: r.msErrorPct } : {}),
      ramBytes: peakRamOf(r), flashBytes: r.flashBytes, instructions: r.instructions, handshakeBytes: valueOf(r, 'bytesOnAir'), status: r.status,
    };
    if (r.status === 'unsupported') {
      rows.push({ ...base, verdict: 'unsupported', binding: r.reason ?? 'unsupported', checks: [] });
      continue;
    }
    if (r.status === 'does-not-fit') {
      rows.push({ ...base, verdict: 'does-not-fit', binding: r.reason?.split('\n')[0] ?? 'does not fit', checks: [] });
      continue;
    }
    // Only a right answer's figures size anything: a mismatch or an error has none to trust.
    const trusted = hasFigures(r);
    const checks: SizingCheck[] = keys.map((key) => {
      const value = trusted || key === 'flashBytes' ? valueOf(r, key) : null;
      return { key, limit: budget[key]!, value, ok: value === null ? null : value <= budget[key]! };
    });
    const ratio = (c: SizingCheck) => c.value! / (c.limit || Number.MIN_VALUE);
    const measured = checks.filter((c) => c.ok !== null).sort((a, b) => ratio(b) - ratio(a));
    const failed = measured.filter((c) => !c.ok);
    const missing = checks.filter((c) => c.ok === null);
    let verdict: SizingRow['verdict'], binding: string;
    if (!keys.length) [verdict, binding] = [trusted ? 'measured' : 'incomplete', trusted ? '' : `${r.status}: ${r.reason?.split('\n')[0] ?? ''}`];
    else if (failed.length) [verdict, binding] = ['fail', describe(failed[0]!)];
    else if (!trusted || missing.length) [verdict, binding] = ['incomplete', [...(!trusted ? [`${r.status}`] : []), ...missing.map((c) => `no ${budgetLabel(c.key)} figure${c.key === 'ms' ? ' (the scenario has no cycles:)' : ''}`)].join('; ')];
    else [verdict, binding] = ['pass', describe(measured[0]!)];
    rows.push({ ...base, verdict, binding, checks });
  }
  return rows;
}
