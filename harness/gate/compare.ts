// Baseline vs new results, record by record (board/library/op) and metric
// by metric. Pure: the command prints, writes JUnit and annotates.
import { basename, dirname } from 'node:path';
import { type LoadedResults } from '../results/read.js';
import { recordKey } from '../record/key.js';
import { type RawRecord } from '../record/schema.js';
import { CORE_METRICS, flatExtras, num, scanExtras } from '../record/metrics.js';
import type { Thresholds } from './thresholds.js';
import type { Tolerance } from '../scenario/thresholds.js';

export type Verdict = 'same' | 'within' | 'regression' | 'improved' | 'new' | 'missing';
export type Group = 'record' | 'status' | 'instructions' | 'memory' | 'bytes';

export interface MetricDiff {
  key: string; // board/library/op
  board: string;
  library: string;
  op: string;
  group: Group;
  metric: string;
  base: number | string | null;
  now: number | string | null;
  delta: number | null;
  pct: number | null;
  tolerance: Tolerance | null;
  verdict: Verdict;
  /** "mbedtls-Os 1a2b3c4d5e → mbedtls-Os-9f8e7d6c 5f6e7d8c9b" when the record's firmware image changed. */
  image?: string;
}

export interface Comparison {
  diffs: MetricDiff[];
  records: number;
  regressions: MetricDiff[];
  improvements: MetricDiff[];
  added: MetricDiff[];
  notes: string[];
}

const GROUP: Record<string, Group> = { instructions: 'instructions', cycles: 'instructions', ms: 'instructions', flashBytes: 'memory', ramBytes: 'memory', stackBytes: 'memory', heapBytes: 'memory' };
const RANK: Record<string, number> = { ok: 0, unsupported: 1, mismatch: 2, error: 2 };

/** The image directory names the library, opt level and a hash of the extra cflags; the sha256 the exact bytes. */
export const imageLabel = (r: RawRecord) => (r.image ? `${basename(dirname(r.image.elf))} ${r.image.sha256.slice(0, 10)}` : 'no image');

function judge(base: number, now: number, tol: Tolerance): Pick<MetricDiff, 'delta' | 'pct' | 'verdict'> {
  const delta = now - base;
  const pct = base !== 0 ? (100 * delta) / base : delta === 0 ? 0 : Infinity;
  if (delta === 0) return { delta, pct, verdict: 'same' };
  if (tol === 'off' || Math.abs(pct) <= tol) return { delta, pct, verdict: 'within' };
  return { delta, pct, verdict: delta > 0 ? 'regression' : 'improved' };
}

export function compare(baseline: LoadedResults, now: LoadedResults, th: Thresholds): Comparison {
  const notes: string[] = [];
  const b = baseline.results, n = now.results;
  if (b.tool.version !== n.tool.version) notes.push(`certcost ${b.tool.version} made the baseline, ${n.tool.version} the new results`);
  if (b.environment.gcc !== n.environment.gcc) notes.push(`compiler changed: ${b.environment.gcc} → ${n.environment.gcc}`);
  if (b.environment.qemu !== n.environment.qemu) notes.push(`QEMU changed: ${b.environment.qemu} → ${n.environment.qemu}`);
  if (b.scenario.sha256 !== n.scenario.sha256) notes.push(`scenario file differs from the baseline's (${b.scenario.sha256.slice(0, 12)} → ${n.scenario.sha256.slice(0, 12)})`);

  const scan = scanExtras([...baseline.records, ...now.records]);
  const nowByKey = new Map(now.records.map((r) => [recordKey(r), r]));
  const baseKeys = new Set(baseline.records.map(recordKey));
  const diffs: MetricDiff[] = [];

  for (const br of baseline.records) {
    const key = recordKey(br);
    const id = { key, board: br.board, library: br.library, op: br.op };
    const nr = nowByKey.get(key);
    if (!nr) {
      diffs.push({ ...id, group: 'record', metric: 'record', base: br.status, now: null, delta: null, pct: null, tolerance: null, verdict: 'missing' });
      continue;
    }
    const image = br.image?.sha256 !== nr.image?.sha256 ? `${imageLabel(br)} → ${imageLabel(nr)}` : undefined;
    const push = (d: Omit<MetricDiff, keyof typeof id | 'image'>) => diffs.push({ ...id, ...d, image });
    const statusVerdict: Verdict = br.status === nr.status ? 'same' : RANK[nr.status]! < RANK[br.status]! ? 'improved' : 'regression';
    push({ group: 'status', metric: 'status', base: br.status, now: nr.status, delta: null, pct: null, tolerance: 0, verdict: statusVerdict });
    if (br.status !== 'ok' || nr.status !== 'ok') continue;

    const metrics: [string, Group, number | null, number | null][] = CORE_METRICS.map((m) => [m, GROUP[m]!, num(br, m), num(nr, m)]);
    const be = flatExtras(br, scan), ne = flatExtras(nr, scan);
    for (const path of new Set([...be.keys(), ...ne.keys()])) if (th.gatesExtra(path)) metrics.push([path, 'bytes', be.get(path) ?? null, ne.get(path) ?? null]);
    for (const [metric, group, bv, nv] of metrics) {
      if (bv === null && nv === null) continue;
      const tolerance = th.of(metric);
      if (bv === null) push({ group, metric, base: null, now: nv, delta: null, pct: null, tolerance, verdict: 'new' });
      else if (nv === null) push({ group, metric, base: bv, now: null, delta: null, pct: null, tolerance, verdict: tolerance === 'off' ? 'within' : 'regression' });
      else push({ group, metric, base: bv, now: nv, tolerance, ...judge(bv, nv, tolerance) });
    }
  }
  for (const nr of now.records) {
    if (baseKeys.has(recordKey(nr))) continue;
    diffs.push({ key: recordKey(nr), board: nr.board, library: nr.library, op: nr.op, group: 'record', metric: 'record', base: null, now: nr.status, delta: null, pct: null, tolerance: null, verdict: 'new' });
  }
  return {
    diffs,
    records: baseline.records.length,
    regressions: diffs.filter((d) => d.verdict === 'regression' || d.verdict === 'missing'),
    improvements: diffs.filter((d) => d.verdict === 'improved'),
    added: diffs.filter((d) => d.verdict === 'new'),
    notes,
  };
}
