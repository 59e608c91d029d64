// The figures of an op measured as repeated protocol runs (DTLS handshakes,
// EDHOC exchanges): the median run's instructions with the min and max, the
// peak stack and heap over all runs, and one vector per run, agreeing when
// the run raised no problem.
import type { ResultRecord } from '../record/schema.js';

export interface MeasuredRun {
  instructions: number;
  stack: number;
  heap: number;
  /** What disagreed in this run (byte model, verdicts); empty when it agrees. */
  problems: string[];
}

/** Fills rec's instruction, stack/heap and vector fields; runs are named `<label>-1`, `<label>-2`, ... */
export function fillRunFigures(rec: ResultRecord, runs: MeasuredRun[], median: { instructions: number }, label: string): void {
  const counts = runs.map((r) => r.instructions);
  rec.instructions = median.instructions;
  rec.instructionsMin = Math.min(...counts);
  rec.instructionsMax = Math.max(...counts);
  rec.stackBytes = Math.max(...runs.map((r) => r.stack));
  rec.heapBytes = Math.max(...runs.map((r) => r.heap));
  rec.vectors = { total: runs.length, agree: 0, disagree: [] };
  runs.forEach((r, i) => {
    const agree = r.problems.length === 0;
    if (agree) rec.vectors.agree++;
    else rec.vectors.disagree.push({ id: `${label}-${i + 1}`, detail: r.problems.join('; ') });
    rec.perVector.push({ id: `${label}-${i + 1}`, instructions: r.instructions, status: 0, agree });
  });
}
