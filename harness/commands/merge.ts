// `certcost merge <dir|results.json>... --out DIR`: one results directory
// from several (shards of one scenario, or runs to report together); the
// merge itself is harness/results/merge.ts, results.md the report layer's.
import { resolve, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { UserError } from '../core/errors.js';
import { lockOutputDir, outputDir } from '../core/out-dir.js';
import { resultsMarkdown } from '../report/write.js';
import { mergeResults } from '../results/merge.js';
import { readResults } from '../results/read.js';
import { writeAtomic, writeResults } from '../results/write.js';

export const MERGE_USAGE = '  certcost merge <results dir|results.json>... --out DIR';

export function cmdMerge(argv: string[]): number {
  const { values, positionals } = parseArgs({ args: argv, options: { out: { type: 'string' } }, allowPositionals: true, strict: true });
  if (positionals.length < 1 || !values.out) throw new UserError(`merge: give results directories and --out DIR\nusage:\n${MERGE_USAGE}`);
  const { results } = mergeResults(positionals.map((p) => readResults(p)));
  const out = outputDir(values.out);
  const release = lockOutputDir(out, `certcost merge ${positionals.join(' ')}`);
  try {
    writeResults(out, results);
    writeAtomic(resolve(out, 'results.md'), resultsMarkdown(results));
  } finally {
    release();
  }
  console.log(`merged ${positionals.length} result sets, ${results.records.length} records: ${relative(process.cwd(), resolve(out, 'results.json'))}`);
  return 0;
}
