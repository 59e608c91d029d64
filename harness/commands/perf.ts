// `certcost perf`: a benchmark of certcost itself, not of the devices. It
// measures QEMU's own speed on this machine (raw, and under each plugin mode),
// runs scenarios the way `certcost run` does, and prints per scenario the wall
// clock, the load average, where the time went (results.json `timing`) and
// the guest instructions per second of bracketed work as a share of raw QEMU
// speed measured in the same run; with --test it also times `make test`.
// A benchmark, never a test: its figures depend on the machine and its load.
import { parseArgs } from 'node:util';
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { mkdirSync, readFileSync, createWriteStream } from 'node:fs';
import { join, basename, relative, resolve } from 'node:path';
import { UserError } from '../core/errors.js';
import { ROOT, BUILD } from '../core/paths.js';
import { PHASE_NAMES } from '../core/timing.js';
import { boards } from '../catalog/boards.js';
import { buildImage } from '../build/firmware.js';
import { boot, type PluginMode } from '../device/qemu.js';
import { OPS } from '../ops/index.js';
import { ResultsSchema, type Timing } from '../record/schema.js';
import { loadAverage } from '../run/timing.js';
import { writeAtomic } from '../results/write.js';
import { cmdRun } from './run.js';

export const PERF_USAGE = `  certcost perf [scenario.yaml...] [--jobs N] [--test] [--out DIR] [--json]
                                             benchmark certcost itself: QEMU's raw speed, then each
                                             scenario's wall time, time split and guest instructions/s
                                             (default: smoke, handshakes, primitives); --test: time make test`;

const DEFAULT_SCENARIOS = ['scenarios/smoke.yaml', 'scenarios/handshakes.yaml', 'scenarios/primitives.yaml'];

export interface QemuSpeed {
  /** What ran: board, library, op, instructions per run, runs per mode. */
  workload: string;
  /** Guest instructions per wall second, per plugin mode ('none': no plugin, QEMU's raw speed). */
  perSecond: Record<PluginMode, number>;
  /** Per second of QEMU's own CPU time. */
  perCpuSecond: Record<PluginMode, number>;
}

/** QEMU's speed on one op of known size (mbedTLS ECDSA verify on the M4 board), with no plugin and in each plugin mode. */
export async function measureQemuSpeed(runs = 12): Promise<QemuSpeed> {
  const board = boards().get('mps2-an386')!;
  const image = buildImage({ board: board.id, library: 'mbedtls', opt: 'Os', cflags: [] });
  const v = OPS.get('ecdsa-verify')!.vectors('certcost', 2)[0]!;
  const perSecond = {} as Record<PluginMode, number>, perCpuSecond = {} as Record<PluginMode, number>;
  let n = 0;
  // count first: it says how many instructions one verify is (the same in every mode).
  for (const mode of ['count', 'none', 'time', 'addr'] as PluginMode[]) {
    const dev = await boot({ board, elfPath: image.elfPath, mode });
    try {
      const warm = await dev.op('ecdsa-verify', v.inputs, 60_000);
      if (mode === 'count') n = warm.count!.instructions;
      const c0 = dev.cpuMs() ?? 0;
      const t0 = performance.now();
      for (let i = 0; i < runs; i++) await dev.op('ecdsa-verify', v.inputs, 60_000);
      const wall = performance.now() - t0;
      const cpu = (dev.cpuMs() ?? c0) - c0;
      perSecond[mode] = (n * runs) / (wall / 1000);
      perCpuSecond[mode] = cpu > 0 ? (n * runs) / (cpu / 1000) : 0;
    } finally {
      await dev.exit();
    }
  }
  return { workload: `${board.id} mbedtls ecdsa-verify, ${n} instructions, ${runs} runs per mode`, perSecond, perCpuSecond };
}

const g = (n: number) => `${(n / 1e9).toFixed(2)} G/s`;
const clock = (ms: number) => { const s = Math.round(ms / 1000); return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`; };

export interface ScenarioPerf {
  scenario: string;
  exitCode: number;
  timing: Timing;
  /** Guest instructions of bracketed work (counted + verdict-only) per wall second. */
  workPerSecond: number;
  /** That, as a share of raw QEMU speed times the QEMUs that can run at once (min(jobs, cores)). */
  shareOfRaw: number;
}

function split(t: Timing): string {
  const sum = PHASE_NAMES.reduce((n, p) => n + t.total.phases[p], 0) || 1;
  return PHASE_NAMES.filter((p) => t.total.phases[p] / sum >= 0.005).sort((a, b) => t.total.phases[b] - t.total.phases[a])
    .map((p) => `${p} ${Math.round((100 * t.total.phases[p]) / sum)}%`).join(', ');
}

function timeCommand(cmd: string, args: string[], log: string): Promise<{ code: number; wallMs: number; loadStart: number[]; loadEnd: number[] }> {
  const loadStart = loadAverage();
  const t0 = performance.now();
  const out = createWriteStream(log);
  return new Promise((res, rej) => {
    const child = spawn(cmd, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.pipe(out, { end: false });
    child.stderr.pipe(out, { end: false });
    child.on('error', rej);
    child.on('exit', (code) => { out.end(); res({ code: code ?? 1, wallMs: performance.now() - t0, loadStart, loadEnd: loadAverage() }); });
  });
}

export async function cmdPerf(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, options: { jobs: { type: 'string' }, test: { type: 'boolean' }, out: { type: 'string' }, json: { type: 'boolean' } }, allowPositionals: true, strict: true });
  const scenarios = positionals.length ? positionals : DEFAULT_SCENARIOS;
  const jobs = values.jobs === undefined ? availableParallelism() : Number(values.jobs);
  if (!Number.isInteger(jobs) || jobs < 1 || jobs > 64) throw new UserError(`perf: --jobs must be a whole number from 1 to 64 (got '${values.jobs}')`);
  const outDir = resolve(values.out ?? join(BUILD, 'perf'));
  mkdirSync(outDir, { recursive: true });
  const say = (s: string) => (values.json ? process.stderr : process.stdout).write(s + '\n');

  say(`perf: ${availableParallelism()} cores, load average ${loadAverage().join(' ')}`);
  const speed = await measureQemuSpeed();
  say(`QEMU speed (${speed.workload}):`);
  for (const m of ['none', 'time', 'count', 'addr'] as PluginMode[])
    say(`  ${m === 'none' ? 'raw (no plugin)' : `plugin ${m} mode`}: ${g(speed.perSecond[m])} wall, ${g(speed.perCpuSecond[m])} per QEMU CPU second`);
  const raw = speed.perSecond.none;

  const results: ScenarioPerf[] = [];
  for (const file of scenarios) {
    const name = basename(file).replace(/\.ya?ml$/, '');
    say(`\n== ${file} (--jobs ${jobs})`);
    const dir = join(outDir, name);
    const code = await cmdRun([file, '--out', dir, '--jobs', String(jobs)]);
    const res = ResultsSchema.parse(JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')));
    const t = res.timing!;
    const work = t.total.guest.counted + t.total.guest.verdicts;
    const workPerSecond = work / (t.wallMs / 1000);
    results.push({ scenario: file, exitCode: code, timing: t, workPerSecond, shareOfRaw: workPerSecond / (raw * Math.min(t.jobs, t.cores)) });
  }

  let test: { code: number; wallMs: number; loadStart: number[]; loadEnd: number[]; log: string } | undefined;
  if (values.test) {
    const log = join(outDir, 'make-test.log');
    say(`\n== make test (output in ${relative(process.cwd(), log)})`);
    test = { ...(await timeCommand('make', ['test'], log)), log };
  }

  say(`\nperf summary (raw QEMU ${g(raw)}; share = bracketed guest work per second / (raw x QEMUs at once))`);
  say('| what | wall | load avg start/end | guest work | work/s | share of raw | split |');
  say('|---|---:|---|---:|---:|---:|---|');
  for (const r of results) {
    const t = r.timing;
    say(`| ${r.scenario}${r.exitCode ? ` (exit ${r.exitCode})` : ''} | ${clock(t.wallMs)} | ${t.loadAverage.start[0]} / ${t.loadAverage.end[0]} | ${((t.total.guest.counted + t.total.guest.verdicts) / 1e9).toFixed(1)} G | ${g(r.workPerSecond)} | ${Math.round(100 * r.shareOfRaw)} % | ${split(t)} |`);
  }
  if (test) say(`| make test${test.code ? ` (exit ${test.code})` : ''} | ${clock(test.wallMs)} | ${test.loadStart[0]} / ${test.loadEnd[0]} | | | | |`);
  const report = { cores: availableParallelism(), jobs, qemu: speed, scenarios: results.map((r) => ({ ...r, timing: undefined, wallMs: r.timing.wallMs, loadAverage: r.timing.loadAverage, phases: r.timing.total.phases, guest: r.timing.total.guest })), ...(test ? { makeTest: test } : {}) };
  writeAtomic(join(outDir, 'perf.json'), JSON.stringify(report, null, 2) + '\n');
  if (values.json) process.stdout.write(JSON.stringify(report, null, 2) + '\n');
  say(`perf: ${relative(process.cwd(), join(outDir, 'perf.json'))}`);
  return results.some((r) => r.exitCode > 1) || (test && test.code) ? 1 : 0;
}
