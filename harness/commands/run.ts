// `certcost run <scenario.yaml>`: scenario -> plan -> build/run/measure/check
// -> results. Records go to results.jsonl as each finishes; results.json is
// written at the end, and results.md is rendered from it by the report layer.
import { parseArgs } from 'node:util';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { join, relative, resolve } from 'node:path';
import { UserError } from '../core/errors.js';
import { loadScenario } from '../scenario/load.js';
import { plan } from '../plan/plan.js';
import { runPlan } from '../run/suite.js';
import { ResultsSink, writeResults, writeAtomic, orderRecords } from '../results/write.js';
import { recordKey } from '../record/key.js';
import { RESULTS_SCHEMA_VERSION, type Results } from '../record/schema.js';
import { recordsTableText, resultsMarkdown } from '../report/write.js';
import { ROOT, TOOL_VERSION, QEMU } from '../core/paths.js';
import { parseShard, shardPlan } from '../plan/shard.js';
import { Progress } from './progress.js';
import { searchBuffers } from '../run/buffers.js';
import { lockOutputDir, outputDir } from '../core/out-dir.js';
import { MEASURED } from '../record/status.js';
import { TimingAccount } from '../core/timing.js';
import { loadAverage, timingRecord } from '../run/timing.js';
import { timingText } from '../report/timing.js';
import { longestFirst, readHistory, recordHistory } from '../run/schedule.js';
import { availableParallelism } from 'node:os';

export const RUN_USAGE = `  certcost run <scenario.yaml> [--out DIR] [--shard i/n] [--jobs N] [--resume] [--json]
                                             build, run, measure and check a scenario
                                             (--jobs: images at once, default one per core)`;

function version(cmd: string, args: string[]): string {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8' }).split('\n')[0]!.trim();
  } catch {
    return `${cmd}: not found`;
  }
}

/** --jobs when not given: the cores this process may use. */
export const defaultJobs = () => Math.max(1, Math.min(64, availableParallelism()));

export async function cmdRun(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, options: { out: { type: 'string' }, shard: { type: 'string' }, json: { type: 'boolean' }, resume: { type: 'boolean' }, jobs: { type: 'string' } }, allowPositionals: true, strict: true });
  if (positionals.length !== 1) throw new UserError(`run: give exactly one scenario file\nusage:\n${RUN_USAGE}`);
  const file = positionals[0]!;
  const loaded = loadScenario(file);
  const s = loaded.scenario;
  const outDir = outputDir(values.out ?? join(ROOT, 'results', s.name));
  const p = values.shard ? shardPlan(plan(s, loaded.user), parseShard(values.shard)) : plan(s, loaded.user);
  // Images run side by side, one per core by default: each has its own QEMU,
  // socket, count file and peers, and counts are per op, so results are the same.
  const jobs = values.jobs === undefined ? defaultJobs() : Number(values.jobs);
  if (!Number.isInteger(jobs) || jobs < 1 || jobs > 64) throw new UserError(`run: --jobs must be a whole number from 1 to 64 (got '${values.jobs}')`);
  // One run per directory: a second one would interleave its journal with ours.
  const release = lockOutputDir(outDir, `certcost run ${file}`);
  try {
    return await runInto(outDir, file, loaded, p, jobs, values);
  } finally {
    release();
  }
}

async function runInto(outDir: string, file: string, loaded: ReturnType<typeof loadScenario>, p: ReturnType<typeof plan>, jobs: number, values: { resume?: boolean; json?: boolean }): Promise<number> {
  const s = loaded.scenario;
  const sink = new ResultsSink(outDir, !!values.resume);
  const skip = new Set(sink.records.map(recordKey));
  if (values.resume && !values.json) console.error(`resume: ${skip.size} record(s) already measured in ${outDir}`);
  const startedAt = new Date().toISOString();
  const t0 = performance.now();
  const loadStart = loadAverage();
  const timing = { run: new TimingAccount('run'), images: [] };
  const total = p.images.reduce((n, i) => n + i.ops.length, 0) + p.unsupported.length - skip.size;
  const progress = new Progress({ total, instant: p.unsupported.length, json: !!values.json, tty: !!process.stderr.isTTY });
  await runPlan(p, {
    onRecord(r) {
      sink.add(r);
      progress.finished(r);
    },
    onProgress(msg) {
      progress.working(msg);
    },
  }, { jobs, skip, timing, order: (todo) => longestFirst(p, todo, readHistory()) });
  progress.end();
  if (p.bufferSearch) {
    // Smallest record buffers per handshake: a benchmark of many builds, after the run itself.
    const found = await searchBuffers(p, sink.records, (m) => progress.working(m));
    for (const [r, b] of found) r.bufferSearch = b;
    progress.end();
  }
  const results: Results = {
    schemaVersion: RESULTS_SCHEMA_VERSION,
    tool: { name: 'certcost', version: TOOL_VERSION },
    scenario: { name: s.name, file: relative(ROOT, resolve(file)) || file, sha256: createHash('sha256').update(loaded.text).digest('hex') },
    environment: { qemu: version(QEMU, ['--version']), gcc: version('arm-none-eabi-gcc', ['--version']), node: process.version },
    startedAt,
    finishedAt: new Date().toISOString(),
    records: orderRecords(sink.records, p.order),
    timing: timingRecord(timing, { wallMs: performance.now() - t0, jobs, loadStart }),
  };
  writeResults(outDir, results);
  try {
    recordHistory(p, results.timing!);
  } catch {
    // scheduling hints only
  }
  writeAtomic(join(outDir, 'results.md'), resultsMarkdown(results));
  if (!values.json) console.log('\n' + recordsTableText(results) + '\n');
  console.error(timingText(results.timing!));
  (values.json ? console.error : console.log)(`results: ${relative(process.cwd(), join(outDir, 'results.json')) || join(outDir, 'results.json')} and results.md`);
  // Answers (ok, does-not-fit, finding, unsupported) exit 0; a mismatch or an error exits 1 (record/status.ts).
  return results.records.some((r) => !MEASURED.has(r.status)) ? 1 : 0;
}

