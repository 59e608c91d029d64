// MCU sizing: a budget (scenario `budget:` or `--budget`) against the
// results, per board (and MCU profile, when cycles were modelled for one) and
// library. The verdict names the binding constraint: the one that fails by
// the most, or, when everything fits, the one with the least headroom.
import { BUDGET_KEYS, BUDGET_KIND, type Budget, type BudgetKey } from '../scenario/budget.js';
import type { RawRecord } from '../record/schema.js';
import { METRIC_LABEL, num, profileName, uniq } from '../record/metrics.js';
import { libraryLabel } from '../record/key.js';

export interface SizingCheck {
  key: BudgetKey;
  limit: number;
  value: number | null; // null: nothing measured it
  op?: string; // the op that set the value (per-op metrics)
  ok: boolean | null;
}
export interface SizingRow {
  board: string;
  core: string;
  profile?: string;
  library: string;
  verdict: 'pass' | 'fail' | 'incomplete' | 'unsupported';
  binding: string;
  checks: SizingCheck[];
}

const IMAGE_METRICS = new Set<BudgetKey>(['flashBytes', 'ramBytes']);

export function fmtQuantity(key: BudgetKey, v: number): string {
  const k = BUDGET_KIND[key];
  if (k === 'time') return v >= 1000 ? `${(v / 1000).toLocaleString('en-US', { maximumFractionDigits: 3 })} s` : `${v.toLocaleString('en-US', { maximumFractionDigits: 3 })} ms`;
  if (k === 'count') return v >= 1e6 ? `${(v / 1e6).toLocaleString('en-US', { maximumFractionDigits: 2 })} M` : v.toLocaleString('en-US');
  return v >= 10 * 1024 ? `${(v / 1024).toLocaleString('en-US', { maximumFractionDigits: 1 })} KiB` : `${v.toLocaleString('en-US')} B`;
}

const describe = (c: SizingCheck) =>
  `${METRIC_LABEL[c.key] ?? c.key}${c.op ? ` (${c.op})` : ''} ${fmtQuantity(c.key, c.value!)} of ${fmtQuantity(c.key, c.limit)} (${Math.round((100 * c.value!) / c.limit)} %)`;

export function sizing(records: RawRecord[], budget: Budget): SizingRow[] {
  const keys = BUDGET_KEYS.filter((k) => budget[k] !== undefined);
  // One group per board, library and MCU profile; records without a profile (e.g. an op the adapter lacks) belong to every profile of their board and library.
  const pairKey = (r: RawRecord) => `${r.board}\u0000${libraryLabel(r)}`;
  const groups: { profile?: string; recs: RawRecord[] }[] = [];
  for (const k of uniq(records.map(pairKey))) {
    const pair = records.filter((r) => pairKey(r) === k);
    const profiles = uniq(pair.map(profileName).filter((p): p is string => p !== undefined));
    if (!profiles.length) groups.push({ recs: pair });
    for (const p of profiles) groups.push({ profile: p, recs: pair.filter((r) => profileName(r) === p || profileName(r) === undefined) });
  }
  const rows: SizingRow[] = [];
  for (const { profile, recs } of groups) {
    const first = recs[0]!;
    const base = { board: first.board, core: first.core, profile, library: libraryLabel(first) };
    if (recs.every((r) => r.status === 'unsupported')) {
      rows.push({ ...base, verdict: 'unsupported', binding: first.reason ?? 'unsupported', checks: [] });
      continue;
    }
    const checks: SizingCheck[] = keys.map((key) => {
      // The image's footprint holds whatever its ops did; per-op figures only count when the answer was right.
      const pool = IMAGE_METRICS.has(key) ? recs : recs.filter((r) => r.status === 'ok');
      let value: number | null = null;
      let op: string | undefined;
      for (const r of pool) {
        const v = num(r, key);
        if (v !== null && (value === null || v > value)) [value, op] = [v, r.op];
      }
      const limit = budget[key]!;
      return { key, limit, value, op: IMAGE_METRICS.has(key) ? undefined : op, ok: value === null ? null : value <= limit };
    });
    const ratio = (c: SizingCheck) => c.value! / (c.limit || Number.MIN_VALUE);
    const measured = checks.filter((c) => c.ok !== null).sort((a, b) => ratio(b) - ratio(a));
    const failed = measured.filter((c) => !c.ok);
    const broken = recs.filter((r) => r.status === 'error' || r.status === 'mismatch');
    const unmeasured = checks.filter((c) => c.ok === null);
    let verdict: SizingRow['verdict'];
    let binding: string;
    if (failed.length) {
      verdict = 'fail';
      binding = describe(failed[0]!);
    } else if (broken.length || unmeasured.length) {
      verdict = 'incomplete';
      binding = [
        ...broken.map((r) => `${r.op} ${r.status}`),
        ...unmeasured.map((c) => `no record reports ${c.key}`),
      ].join('; ');
    } else if (measured.length) {
      verdict = 'pass';
      binding = describe(measured[0]!);
    } else {
      verdict = 'incomplete';
      binding = 'empty budget';
    }
    rows.push({ ...base, verdict, binding, checks });
  }
  return rows;
}
