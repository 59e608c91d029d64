// The human diff table of `certcost check`: only what moved, with the
// firmware image (library, opt, cflags hash, sha256) when it changed.
import type { Comparison, MetricDiff } from './compare.js';
import { fmtTolerance } from './thresholds.js';

const fmt = (v: number | string | null) => (v === null ? '—' : typeof v === 'number' ? v.toLocaleString('en-US') : v);
const signed = (v: number | null) => (v === null ? '' : `${v > 0 ? '+' : ''}${v.toLocaleString('en-US')}`);
const pctText = (p: number | null) => (p === null ? '' : Number.isFinite(p) ? `${p > 0 ? '+' : ''}${p.toFixed(2)} %` : 'new');

export const MARK: Record<MetricDiff['verdict'], string> = {
  same: 'same', within: 'within tolerance', regression: 'REGRESSION', improved: 'improved', new: 'new', missing: 'MISSING',
};

function align(rows: string[][], right: Set<number>): string {
  const w = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((c, i) => (right.has(i) ? c.padStart(w[i]!) : c.padEnd(w[i]!))).join('  ').trimEnd()).join('\n');
}

export function diffTable(c: Comparison): string {
  const moved = c.diffs.filter((d) => d.verdict !== 'same');
  const out: string[] = [];
  if (moved.length) {
    const rows = [['record', 'metric', 'baseline', 'now', 'delta', '%', 'allowed', 'verdict']];
    for (const d of moved) rows.push([d.key, d.metric, fmt(d.base), fmt(d.now), signed(d.delta), pctText(d.pct), d.tolerance === null ? '' : fmtTolerance(d.tolerance), MARK[d.verdict]]);
    out.push(align(rows, new Set([2, 3, 4, 5])));
  }
  const images = new Map<string, string>();
  for (const d of c.diffs) if (d.image) images.set(d.key, `${d.image}${d.version ? ` (${d.version})` : ''}`);
  if (images.size) out.push('', 'firmware images that changed:', ...[...images].map(([k, v]) => `  ${k}: ${v}`));
  if (c.notes.length) out.push('', ...c.notes.map((n) => `note: ${n}`));
  return out.join('\n');
}

export function summaryLine(c: Comparison): string {
  const metrics = c.diffs.filter((d) => d.group !== 'record' && d.group !== 'status').length;
  return `${c.records} baseline records, ${metrics} metric values compared: ${c.regressions.length} regression(s), ${c.improvements.length} improvement(s), ${c.added.length} new`;
}

/** The same table as Markdown, for a GitHub job summary. */
export function diffMarkdown(c: Comparison): string {
  const moved = c.diffs.filter((d) => d.verdict !== 'same');
  const lines = [`### certcost check`, '', summaryLine(c), ''];
  if (moved.length) {
    lines.push('| record | metric | baseline | now | delta | % | allowed | verdict |', '|---|---|---:|---:|---:|---:|---|---|');
    for (const d of moved) lines.push(`| ${d.key} | ${d.metric} | ${fmt(d.base)} | ${fmt(d.now)} | ${signed(d.delta)} | ${pctText(d.pct)} | ${d.tolerance === null ? '' : fmtTolerance(d.tolerance)} | ${MARK[d.verdict]} |`);
  }
  return lines.join('\n') + '\n';
}
