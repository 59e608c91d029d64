// Baseline vs new results, record by record (board, library at its version,
// op) and metric by metric. A record whose library version differs from the
// baseline's is still compared with it (what did the upgrade cost?), and the
// comparison says so. Pure: the command prints, writes JUnit and annotates.
import { basename, dirname } from 'node:path';
import { type LoadedResults } from '../results/read.js';
import { libraryLabel, recordKey } from '../record/key.js';
import { type RawRecord } from '../record/schema.js';
import { CORE_METRICS, flatExtras, num, scanExtras } from '../record/metrics.js';
import { STATUS_RANK } from '../record/status.js';
import type { Thresholds } from './thresholds.js';
import type { Tolerance } from '../scenario/thresholds.js';
import { hasFigures } from '../record/status.js';

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
  /** "mbedtls@2.28.3 → mbedtls@3.6.6" when the two records are of different library versions. */
  version?: string;
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

/** The image directory names the library, opt level and a hash of the extra cflags; the sha256 the exact bytes. */
export const imageLabel = (r: RawRecord) => (r.image ? `${basename(dirname(r.image.elf))} ${r.image.sha256.slice(0, 10)}` : 'no image');

/**
 * Each baseline record's counterpart in the new results: the record with the
 * same key, else the one record of the same board, library and op at another
 * version (an upgrade or a downgrade).
 */
export function pairRecords(baseline: RawRecord[], now: RawRecord[]): Map<RawRecord, RawRecord> {
  const byKey = new Map(now.map((r) => [recordKey(r), r]));
  const loose = (r: RawRecord) => `${r.board}/${r.library}/${r.op}`;
  const out = new Map<RawRecord, RawRecord>();
  const taken = new Set<RawRecord>();
  for (const br of baseline) {
    const nr = byKey.get(recordKey(br));
    if (nr) (out.set(br, nr), taken.add(nr));
  }
  for (const br of baseline) {
    if (out.has(br)) continue;
    const rest = now.filter((r) => !taken.has(r) && loose(r) === loose(br));
    const others = baseline.filter((b) => !out.has(b) && loose(b) === loose(br));
    // One old version against one new one; several of each would be a guess.
    if (rest.length === 1 && others.length === 1) (out.set(br, rest[0]!), taken.add(rest[0]!));
  }
  return out;
}

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
  const pairs = pairRecords(baseline.records, now.records);
  const diffs: MetricDiff[] = [];
  const versionChanges = new Map<string, number>();

  for (const br of baseline.records) {
    const key = recordKey(br);
    const id = { key, board: br.board, library: br.library, op: br.op };
    const nr = pairs.get(br);
    if (!nr) {
      diffs.push({ ...id, group: 'record', metric: 'record', base: br.status, now: null, delta: null, pct: null, tolerance: null, verdict: 'missing' });
      continue;
    }
    const image = br.image?.sha256 !== nr.image?.sha256 ? `${imageLabel(br)} → ${imageLabel(nr)}` : undefined;
    const version = libraryLabel(br) !== libraryLabel(nr) ? `${libraryLabel(br)} → ${libraryLabel(nr)}` : undefined;
    if (version) versionChanges.set(version, (versionChanges.get(version) ?? 0) + 1);
    const push = (d: Omit<MetricDiff, keyof typeof id | 'image' | 'version'>) => diffs.push({ ...id, ...d, image, ...(version ? { version } : {}) });
    const statusVerdict: Verdict = br.status === nr.status ? 'same' : STATUS_RANK[nr.status] < STATUS_RANK[br.status] ? 'improved' : 'regression';
    push({ group: 'status', metric: 'status', base: br.status, now: nr.status, delta: null, pct: null, tolerance: 0, verdict: statusVerdict });
    // A finding the baseline did not have is a regression, even under the same status.
    const known = new Set((br.findings ?? []).map((f) => f.case));
    const fresh = (nr.findings ?? []).filter((f) => !known.has(f.case));
    if (fresh.length) push({ group: 'status', metric: 'findings', base: br.findings?.length ?? 0, now: nr.findings!.length, delta: fresh.length, pct: null, tolerance: 0, verdict: 'regression' });
    if (!hasFigures(br) || !hasFigures(nr)) continue;

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
  for (const [change, n] of versionChanges) notes.push(`library version: ${change} on ${n} record(s): the figures below compare the two versions`);
  const paired = new Set(pairs.values());
  for (const nr of now.records) {
    if (paired.has(nr)) continue;
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
