// One results set from several (shards of one scenario, or runs to report together). Refuses
// duplicate records (same board/library/op) and results made by a different
// certcost, results schema, compiler or QEMU, since their figures would not
// be comparable.
import { createHash } from 'node:crypto';
import { boards } from '../catalog/boards.js';
import { UserError } from '../core/errors.js';
import { type LoadedResults } from './read.js';
import { recordKey } from '../record/key.js';
import type { Results } from '../record/schema.js';

export function mergeResults(inputs: LoadedResults[]): { results: Results; raw: Record<string, unknown>[] } {
  if (!inputs.length) throw new UserError('merge: nothing to merge');
  const first = inputs[0]!;
  const same = (what: string, get: (l: LoadedResults) => string) => {
    for (const l of inputs.slice(1))
      if (get(l) !== get(first)) throw new UserError(`merge: ${what} differs: ${first.file} has '${get(first)}', ${l.file} has '${get(l)}'`);
  };
  same('results schema version', (l) => String(l.results.schemaVersion));
  same('certcost version', (l) => l.results.tool.version);
  same('compiler', (l) => l.results.environment.gcc);
  same('QEMU', (l) => l.results.environment.qemu);

  const seen = new Map<string, string>();
  const raw: Record<string, unknown>[] = [];
  for (const l of inputs) {
    for (const r of l.records) {
      const k = recordKey(r);
      if (seen.has(k)) throw new UserError(`merge: duplicate record ${k} in ${seen.get(k)} and ${l.file}`);
      seen.set(k, l.file);
      raw.push(r);
    }
  }
  // Shards finish in any order: list records board by board (the boards' own order), keeping each board's run order.
  const order = [...boards().keys()];
  const rank = (r: Record<string, unknown>) => (order.includes(r.board as string) ? order.indexOf(r.board as string) : order.length);
  raw.sort((x, y) => rank(x) - rank(y));
  const scenarios = [...new Map(inputs.map((l) => [l.results.scenario.sha256, l.results.scenario])).values()];
  const scenario = scenarios.length === 1 ? scenarios[0]! : {
    name: scenarios.map((s) => s.name).join('+'),
    file: scenarios.map((s) => s.file).join(' + '),
    sha256: createHash('sha256').update(scenarios.map((s) => s.sha256).join('\n')).digest('hex'),
  };
  const results: Results = {
    ...first.results,
    scenario,
    environment: { ...first.results.environment },
    startedAt: inputs.map((l) => l.results.startedAt).sort()[0]!,
    finishedAt: inputs.map((l) => l.results.finishedAt).sort().at(-1)!,
    records: raw as Results['records'],
  };
  return { results, raw };
}
