// certcost command line. Exit codes: 0 done, 1 a measurement failed or a
// gate tripped, 2 bad input (nothing ran).
import { parseArgs } from 'node:util';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { UserError } from './errors.js';
import { loadScenario } from './scenario/load.js';
import { plan } from './plan/plan.js';
import { runPlan } from './run/suite.js';
import { ResultsSink, writeResults, writeAtomic, recordKey, orderRecords } from './results/write.js';
import { RESULTS_SCHEMA_VERSION, resultsJsonSchema, type Results } from './results/schema.js';
import { resultsMarkdown, recordsTable } from './report/markdown.js';
import { ROOT, TOOL_VERSION, QEMU } from './paths.js';
// reports, CI gate, shards, progress (issue 7)
import { cmdReport, REPORT_USAGE } from './report/command.js';
import { cmdCheck, CHECK_USAGE } from './gate/command.js';
import { cmdMerge, MERGE_USAGE } from './results/merge.js';
import { parseShard, shardPlan } from './run/shard.js';
import { Progress } from './progress.js';
import { calibrateCommand } from './cycles/command.js';
import { cmdFuzz, FUZZ_USAGE } from './fuzz/command.js';

const USAGE = `usage:
  certcost run <scenario.yaml> [--out DIR] [--shard i/n] [--jobs N] [--resume] [--json]
                                             build, run, measure and check a scenario
  certcost schema                            print the results.json JSON Schema
${REPORT_USAGE}
${CHECK_USAGE}
${MERGE_USAGE}
  certcost calibrate [--out DIR]             cycle model vs published silicon figures
${FUZZ_USAGE}
`;

function version(cmd: string, args: string[]): string {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8' }).split('\n')[0]!.trim();
  } catch {
    return `${cmd}: not found`;
  }
}

async function cmdRun(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, options: { out: { type: 'string' }, shard: { type: 'string' }, json: { type: 'boolean' }, resume: { type: 'boolean' }, jobs: { type: 'string' } }, allowPositionals: true, strict: true });
  if (positionals.length !== 1) throw new UserError('run: give exactly one scenario file\n' + USAGE);
  const file = positionals[0]!;
  const loaded = loadScenario(file);
  const s = loaded.scenario;
  const outDir = resolve(values.out ?? join(ROOT, 'results', s.name));
  const p = values.shard ? shardPlan(plan(s), parseShard(values.shard)) : plan(s);
  const jobs = values.jobs === undefined ? 1 : Number(values.jobs);
  if (!Number.isInteger(jobs) || jobs < 1 || jobs > 64) throw new UserError(`run: --jobs must be a whole number from 1 to 64 (got '${values.jobs}')`);
  const sink = new ResultsSink(outDir, !!values.resume);
  const skip = new Set(sink.records.map(recordKey));
  if (values.resume && !values.json) console.error(`resume: ${skip.size} record(s) already measured in ${outDir}`);
  const startedAt = new Date().toISOString();
  const total = p.images.reduce((n, i) => n + i.ops.length, 0) + p.unsupported.length - skip.size;
  const progress = new Progress({ total, instant: p.unsupported.length, json: !!values.json, tty: !!process.stderr.isTTY });
  await runPlan(s, p, {
    onRecord(r) {
      sink.add(r);
      progress.finished(r);
    },
    onProgress(msg) {
      progress.working(msg);
    },
  }, { jobs, skip });
  progress.end();
  const results: Results = {
    schemaVersion: RESULTS_SCHEMA_VERSION,
    tool: { name: 'certcost', version: TOOL_VERSION },
    scenario: { name: s.name, file: relative(ROOT, resolve(file)) || file, sha256: createHash('sha256').update(loaded.text).digest('hex') },
    environment: { qemu: version(QEMU, ['--version']), gcc: version('arm-none-eabi-gcc', ['--version']), node: process.version },
    startedAt,
    finishedAt: new Date().toISOString(),
    records: orderRecords(sink.records, s),
  };
  writeResults(outDir, results);
  writeAtomic(join(outDir, 'results.md'), resultsMarkdown(results));
  if (!values.json) console.log('\n' + recordsTable(results.records) + '\n');
  (values.json ? console.error : console.log)(`results: ${relative(process.cwd(), join(outDir, 'results.json')) || join(outDir, 'results.json')} and results.md`);
  const bad = results.records.filter((r) => r.status === 'error' || r.status === 'mismatch').length;
  return bad ? 1 : 0;
}

export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  try {
    switch (cmd) {
      case 'run':
        return await cmdRun(rest);
      case 'fuzz':
        return await cmdFuzz(rest);
      case 'calibrate':
        return await calibrateCommand(rest);
      case 'report':
        return await cmdReport(rest);
      case 'check':
        return cmdCheck(rest);
      case 'merge':
        return cmdMerge(rest);
      case 'schema':
        process.stdout.write(JSON.stringify(resultsJsonSchema(), null, 2) + '\n');
        return 0;
      case undefined:
      case '-h':
      case '--help':
        process.stdout.write(USAGE);
        return cmd ? 0 : 2;
      default:
        throw new UserError(`unknown command '${cmd}'\n${USAGE}`);
    }
  } catch (e) {
    if (e instanceof UserError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      console.error(`certcost: ${(e as Error).message}`);
      return 2;
    }
    throw e;
  }
}
