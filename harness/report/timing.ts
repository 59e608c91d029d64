// The time split `certcost run` prints at the end (and `certcost perf`
// reuses): wall clock, each phase's share, guest instructions and speed.
import { PHASE_NAMES } from '../core/timing.js';
import type { Timing } from '../record/schema.js';

const sec = (ms: number) => (ms >= 100_000 ? `${Math.round(ms / 1000)} s` : `${(ms / 1000).toFixed(1)} s`);
const giga = (n: number) => (n >= 1e9 ? `${(n / 1e9).toFixed(1)} G` : `${(n / 1e6).toFixed(1)} M`);

export function timingText(t: Timing): string {
  const sum = PHASE_NAMES.reduce((n, p) => n + t.total.phases[p], 0);
  const lines = [`time: ${sec(t.wallMs)} wall, --jobs ${t.jobs} on ${t.cores} cores, load average ${t.loadAverage.start[0]} at start, ${t.loadAverage.end[0]} at end`];
  const parts = PHASE_NAMES.filter((p) => t.total.phases[p] >= 50).sort((a, b) => t.total.phases[b] - t.total.phases[a])
    .map((p) => `${p} ${sec(t.total.phases[p])} (${Math.round((100 * t.total.phases[p]) / sum)} %)`);
  lines.push(`  split${t.jobs > 1 ? ' (summed over images running side by side)' : ''}: ${parts.join(', ')}`);
  const g = t.total.guest;
  const work = g.counted + g.verdicts;
  lines.push(`  guest instructions: ${giga(g.counted)} counted, ${giga(g.verdicts)} in verdict-only brackets, ${giga(g.executed)} executed in all; ${giga(work / (t.wallMs / 1000))}/s of bracketed work over the run (${t.total.ops} device ops, ${t.total.boots} boots)`);
  return lines.join('\n');
}
