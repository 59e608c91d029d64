// JUnit XML for CI test panels: one testcase per record x metric group
// (status, instructions, memory, bytes); a regression is a <failure>.
import type { Comparison, MetricDiff } from './compare.js';
import { MARK } from './table.js';
import { fmtTolerance } from './thresholds.js';

const x = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');
const line = (d: MetricDiff) =>
  `${d.metric}: baseline ${d.base ?? '—'}, now ${d.now ?? '—'}${d.delta !== null ? ` (${d.delta > 0 ? '+' : ''}${d.delta}${d.pct !== null && Number.isFinite(d.pct) ? `, ${d.pct.toFixed(2)} %` : ''})` : ''}` +
  `${d.tolerance !== null ? `, allowed ${fmtTolerance(d.tolerance)}` : ''}: ${MARK[d.verdict]}${d.image ? `; image ${d.image}` : ''}`;

export function junitXml(c: Comparison, suiteName: string): string {
  const cases = new Map<string, MetricDiff[]>();
  for (const d of c.diffs) {
    const k = `${d.key}\u0000${d.group}`;
    cases.set(k, [...(cases.get(k) ?? []), d]);
  }
  const body: string[] = [];
  let failures = 0;
  for (const ds of cases.values()) {
    const d0 = ds[0]!;
    const bad = ds.filter((d) => d.verdict === 'regression' || d.verdict === 'missing');
    const name = `${d0.op} ${d0.group}`;
    const cls = `certcost.${d0.board}.${d0.library}`;
    const out = ds.filter((d) => d.verdict !== 'same' && !bad.includes(d)).map(line).join('\n');
    if (bad.length) {
      failures++;
      body.push(`    <testcase classname="${x(cls)}" name="${x(name)}"><failure message="${x(bad.map((d) => `${d.metric} ${MARK[d.verdict]}`).join(', '))}">${x(bad.map(line).join('\n'))}</failure>${out ? `<system-out>${x(out)}</system-out>` : ''}</testcase>`);
    } else {
      body.push(`    <testcase classname="${x(cls)}" name="${x(name)}">${out ? `<system-out>${x(out)}</system-out>` : ''}</testcase>`);
    }
  }
  return `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="certcost check" tests="${cases.size}" failures="${failures}">
  <testsuite name="${x(suiteName)}" tests="${cases.size}" failures="${failures}" errors="0" skipped="0">
${body.join('\n')}
  </testsuite>
</testsuites>
`;
}
