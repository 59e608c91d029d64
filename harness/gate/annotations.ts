// GitHub Actions workflow commands: an ::error per regression, a ::notice per
// improvement or new figure, pinned to the scenario file when it is in the repo.
import type { Comparison, MetricDiff } from './compare.js';
import { MARK } from './table.js';

// Escaping rules of workflow commands: data escapes %, CR, LF; properties also ':' and ','.
const data = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const prop = (s: string) => data(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

const msg = (d: MetricDiff) =>
  `${d.key} ${d.metric}: baseline ${d.base ?? '—'}, now ${d.now ?? '—'}${d.delta !== null ? ` (${d.delta > 0 ? '+' : ''}${d.delta}${d.pct !== null && Number.isFinite(d.pct) ? `, ${d.pct.toFixed(2)} %` : ''})` : ''}${d.image ? `; image ${d.image}` : ''}`;

export function annotations(c: Comparison, scenarioFile: string): string[] {
  const file = scenarioFile && !scenarioFile.startsWith('..') && !scenarioFile.startsWith('/') ? `file=${prop(scenarioFile)},` : '';
  const cmd = (level: string, d: MetricDiff) => `::${level} ${file}title=${prop(`certcost ${MARK[d.verdict]}: ${d.key} ${d.metric}`)}::${data(msg(d))}`;
  return [...c.regressions.map((d) => cmd('error', d)), ...c.improvements.map((d) => cmd('notice', d)), ...c.added.map((d) => cmd('notice', d))];
}
