// `certcost fuzz --engine libfuzzer`: coverage-guided fuzzing of the same
// parsers on the host. fuzz/host/ builds a library's adapter (the device's
// own C code, with the device's library configuration) for x86-64 with
// clang's libFuzzer, AddressSanitizer and UndefinedBehaviorSanitizer; the
// op and its other inputs come from a context file written here; the seed
// corpus is the device fuzzer's (valid certificates and CRLs; for DTLS the
// server's datagrams recorded from a real handshake on the device, which the
// host client replays byte for byte because its RNG and clocks are the
// device's). Every crash, leak, timeout or sanitizer report is saved with
// a replay command and replayed on the emulated device to say whether the
// device is affected. docs/fuzzing.md says what the host build changes.
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Board } from '../catalog/boards.js';
import { BUILD, CACHE, ROOT } from '../core/paths.js';
import { runGuardedSync, spawnGuarded } from '../core/child.js';
import { buildImage } from '../build/firmware.js';
import { boot } from '../device/qemu.js';
import { FUZZ_CFLAGS, fuzzedLibrary, replayOutcome } from './campaign.js';
import { encodeDatagrams, rngSeedOf, type FuzzTarget } from './targets.js';

export const CLANG = process.env.CERTCOST_CLANG ?? 'clang-14';
const SYMBOLIZER = process.env.CERTCOST_LLVM_SYMBOLIZER ?? '/usr/lib/llvm-14/bin/llvm-symbolizer';

/** Why the host fuzzer cannot be built here, or undefined when it can. */
export function hostFuzzerMissing(): string | undefined {
  const r = runGuardedSync(CLANG, ['--version'], { encoding: 'utf8' });
  if (r.status !== 0) return `${CLANG} not found: the host fuzzer needs Debian's clang-14 and libclang-rt-14-dev (run setup/setup.sh as root)`;
  const rt = runGuardedSync(CLANG, ['-print-file-name=libclang_rt.fuzzer-x86_64.a'], { encoding: 'utf8' });
  if (!existsSync(String(rt.stdout ?? '').trim())) return `${CLANG} has no libFuzzer runtime: install libclang-rt-14-dev (run setup/setup.sh as root)`;
  return undefined;
}

export const hostFuzzerDir = (library: string, target: FuzzTarget) => join(BUILD, 'fuzz-host', `${library.replace('@', '-')}-${target.id}`);

/** Build (make decides: a no-op when nothing changed) the host fuzzer of one library and target; its path. */
export function buildHostFuzzer(library: string, target: FuzzTarget, board: Board): string {
  const out = hostFuzzerDir(library, target);
  const lib = fuzzedLibrary(library);
  const r = runGuardedSync('make', ['-C', join(ROOT, 'fuzz', 'host'), '-j2', '--no-print-directory', `LIB=${lib.library}`, ...(lib.libraryVersion ? [`LIB_VERSION=${lib.libraryVersion}`] : []), `BOARD=${board.id}`, `CLANG=${CLANG}`, `CACHE=${CACHE}`, `OUT=${out}`, `TARGET_CFLAGS=${(target.cflags ?? []).join(' ')}`], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) {
    const log = String(r.stderr ?? '') + String(r.stdout ?? '');
    throw new Error(`host fuzzer build failed for ${library}/${target.id}: ${log.split('\n').filter((l) => /error|undefined/i.test(l)).slice(0, 8).join('\n') || log.slice(-2000)}`);
  }
  return join(out, 'fuzz');
}

export interface RunContext {
  op: string;
  inputs: Uint8Array[];
  /** The input the fuzz data replaces; 'network': the fuzz data are the server's datagrams. */
  slot: number | 'network';
  rngSeed: Uint8Array;
  unixTime: number;
}

/** The context file fuzz/host/runner.c reads (its comment has the layout). */
export function contextBytes(c: RunContext): Uint8Array {
  const name = new TextEncoder().encode(c.op);
  const parts: number[] = [...new TextEncoder().encode('CCFZ'), 1, name.length, ...name, c.inputs.length, c.slot === 'network' ? 0xff : c.slot, c.rngSeed.length, ...c.rngSeed];
  const t = BigInt(c.unixTime);
  for (let i = 0; i < 8; i++) parts.push(Number((t >> BigInt(8 * i)) & 0xffn));
  const head = Uint8Array.from(parts);
  const chunks: Uint8Array[] = [head];
  for (const inp of c.inputs) {
    const len = new Uint8Array(4);
    new DataView(len.buffer).setUint32(0, inp.length, true);
    chunks.push(len, inp);
  }
  return Buffer.concat(chunks);
}

/** Where the fuzz data goes among the target's inputs: the input that is the probe bytes. */
export function slotOf(target: FuzzTarget): { inputs: Uint8Array[]; slot: number } {
  const probe = Uint8Array.from({ length: 23 }, (_, i) => 0xa0 + i);
  const inputs = target.inputs(probe);
  const slot = inputs.findIndex((x) => Buffer.from(x).equals(Buffer.from(probe)));
  if (slot < 0) throw new Error(`fuzz target ${target.id}: cannot tell which input is the fuzzed one`);
  return { inputs: inputs.map((x, i) => (i === slot ? new Uint8Array() : x)), slot };
}

export interface Prepared {
  bin: string;
  context: string;
  seedsDir: string;
  /** For a network target: the datagrams recorded from the real peer. */
  datagrams?: Uint8Array[];
  seeds: Uint8Array[];
}

/** Build the host fuzzer and write its context and seed corpus under `dir`. A network target records a real handshake on the device first. */
export async function prepareHost(o: { board: Board; library: string; target: FuzzTarget; seed: number; dir: string; extraSeeds?: Uint8Array[] }): Promise<Prepared> {
  const bin = buildHostFuzzer(o.library, o.target, o.board);
  mkdirSync(o.dir, { recursive: true });
  const campaignSeed = `fuzz-${o.seed}`;
  let ctx: RunContext, seeds: Uint8Array[], datagrams: Uint8Array[] | undefined;
  if (o.target.network) {
    const image = buildImage({ board: o.board.id, ...fuzzedLibrary(o.library), opt: 'Os', cflags: [...FUZZ_CFLAGS, ...(o.target.cflags ?? [])] });
    const dev = await boot({ board: o.board, elfPath: image.elfPath });
    try {
      await o.target.prepare?.(dev);
      const rec = await o.target.network.record(dev, campaignSeed);
      datagrams = rec.datagrams;
      ctx = { op: o.target.firmwareOp, inputs: rec.inputs, slot: 'network', rngSeed: rngSeedOf(campaignSeed), unixTime: o.target.clock ?? 0 };
      await dev.exit();
    } catch (e) {
      dev.kill();
      throw e;
    }
    seeds = [encodeDatagrams(datagrams)];
  } else {
    const { inputs, slot } = slotOf(o.target);
    ctx = { op: o.target.firmwareOp, inputs, slot, rngSeed: rngSeedOf(campaignSeed), unixTime: o.target.clock ?? 0 };
    seeds = o.target.seeds(campaignSeed);
  }
  seeds.push(...(o.extraSeeds ?? []));
  const context = join(o.dir, 'context.bin');
  writeFileSync(context, contextBytes(ctx));
  const seedsDir = join(o.dir, 'seeds');
  rmSync(seedsDir, { recursive: true, force: true });
  mkdirSync(seedsDir, { recursive: true });
  seeds.forEach((s, i) => writeFileSync(join(seedsDir, `seed-${i}`), s));
  return { bin, context, seedsDir, datagrams, seeds };
}

/** The sanitizers' settings: UB stops the run (halt_on_error) unless suppressed (fuzz/host/ubsan.supp, plus what the campaign already saved). */
const env = (context: string, suppressions?: string, haltOnUb = true) => ({
  ...process.env,
  CERTCOST_FUZZ_CONTEXT: context,
  ASAN_OPTIONS: 'detect_leaks=1:symbolize=1:abort_on_error=0:allocator_may_return_null=0',
  UBSAN_OPTIONS: `print_stacktrace=1:halt_on_error=${haltOnUb ? 1 : 0}:suppressions=${suppressions ?? join(ROOT, 'fuzz', 'host', 'ubsan.supp')}`,
  ...(existsSync(SYMBOLIZER) ? { ASAN_SYMBOLIZER_PATH: SYMBOLIZER } : {}),
});

/** UBSan's check names: a suppression names one per line. */
const UB_CHECKS = ['alignment', 'bool', 'bounds', 'enum', 'float-cast-overflow', 'float-divide-by-zero', 'function', 'implicit-integer-sign-change', 'implicit-signed-integer-truncation', 'implicit-unsigned-integer-truncation', 'integer-divide-by-zero', 'nonnull-attribute', 'null', 'nullability-arg', 'nullability-assign', 'nullability-return', 'object-size', 'pointer-overflow', 'return', 'returns-nonnull-attribute', 'shift-base', 'shift-exponent', 'signed-integer-overflow', 'unreachable', 'vla-bound'];

/** Run the fuzzer binary to the end; its stderr. */
function runFuzzer(bin: string, args: string[], context: string, onLine?: (l: string) => void, opts: { suppressions?: string; haltOnUb?: boolean } = {}): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawnGuarded(bin, args, { stdio: ['ignore', 'ignore', 'pipe'], env: env(context, opts.suppressions, opts.haltOnUb) });
    let stderr = '', partial = '';
    child.stderr!.on('data', (b: Buffer) => {
      const s = b.toString('latin1');
      stderr += s;
      if (stderr.length > 4_000_000) stderr = stderr.slice(-2_000_000);
      if (!onLine) return;
      partial += s;
      const lines = partial.split('\n');
      partial = lines.pop()!;
      for (const l of lines) onLine(l);
    });
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, stderr }));
  });
}

/**
 * Edges of the instrumented host build (libFuzzer's "coverage edges") and
 * features that the inputs in `dirs` reach, each run once. libFuzzer's merge
 * mode runs them in a child process that survives a crashing input, so the
 * device fuzzer's inputs can be measured too, whatever they do to the host.
 */
export async function coverageOf(bin: string, context: string, dirs: string[], scratch: string): Promise<{ edges: number; features: number; inputs: number }> {
  const present = dirs.filter((d) => existsSync(d));
  const files = present.reduce((n, d) => n + readdirSync(d).length, 0);
  if (!files) return { edges: 0, features: 0, inputs: 0 };
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(scratch, { recursive: true });
  try {
    // Crashing inputs are not findings here (the campaigns save those): their artifacts go to the scratch folder.
    const { stderr } = await runFuzzer(bin, ['-merge=1', '-timeout=30', '-rss_limit_mb=2048', '-max_len=65536', `-artifact_prefix=${scratch}/`, scratch, ...present], context, undefined, { haltOnUb: false });
    const m = [...stderr.matchAll(/MERGE-OUTER: (\d+) new files with (\d+) new features added; (\d+) new coverage edges/g)].pop();
    if (!m) throw new Error(`the host fuzzer did not report coverage:\n${stderr.split('\n').slice(-15).join('\n')}`);
    return { edges: Number(m[3]), features: Number(m[2]), inputs: files };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

export interface HostFinding {
  kind: 'crash' | 'leak' | 'timeout' | 'oom' | 'slow-unit';
  /** The sanitizer's one-line summary (or libFuzzer's). */
  detail: string;
  file: string;
  report: string;
  hostReplay: string;
  deviceReplay: string;
  /** What the emulated device did with the same input. */
  device?: { summary: string; affected: boolean };
}

export interface LibFuzzerSummary {
  library: string;
  target: string;
  engine: 'libfuzzer';
  seconds: number;
  execs: number;
  execsPerSecond: number;
  /** Edges the seeds alone reach, and the seeds plus everything libFuzzer kept. */
  seedEdges: number;
  edges: number;
  corpus: number;
  restarts: number;
  findings: HostFinding[];
  unsupported?: string;
}

const ARTIFACT = /^(crash|leak|timeout|oom|slow-unit)-([0-9a-f]+)$/;

/** The sanitizer's report in a run's stderr: from its first line to the end. */
function reportOf(stderr: string): string {
  const at = stderr.search(/^.*(runtime error:|==\d+==\s*ERROR|ERROR: libFuzzer|ALARM: working on the last Unit)/m);
  return at >= 0 ? stderr.slice(at) : stderr.slice(-20000);
}

/** The function a UBSan report is in (frame #0 after "runtime error"). */
function ubFunction(stderr: string): string | undefined {
  const at = stderr.indexOf('runtime error:');
  if (at < 0) return undefined;
  return /#0 0x[0-9a-f]+ in (\S+)/.exec(stderr.slice(at))?.[1];
}

/** The one line that says what went wrong. */
function detailOf(stderr: string, kind: string): string {
  const ub = /^(.*?):(\d+):(\d+): runtime error: (.*)$/m.exec(stderr);
  if (ub) return `UBSan: ${ub[4]} at ${ub[1]!.split('/').slice(-2).join('/')}:${ub[2]}`;
  const asan = /==\d+==\s*ERROR: AddressSanitizer: (\S+)/.exec(stderr);
  const frame = asan ? /#\d+ 0x[0-9a-f]+ in (\S+) (\S+)/.exec(stderr.slice(stderr.indexOf(asan[0]))) : null;
  if (asan) return `ASan: ${asan[1]}${frame ? ` in ${frame[1]} (${frame[2]!.split('/').slice(-2).join('/')})` : ''}`;
  const leak = /ERROR: LeakSanitizer: (.*)/.exec(stderr);
  if (leak) return `LeakSanitizer: ${leak[1]}`;
  if (kind === 'timeout') return 'libFuzzer: an input ran past -timeout=10 s';
  if (kind === 'oom') return 'libFuzzer: out of memory (-rss_limit_mb=2048)';
  return /SUMMARY: (.*)/.exec(stderr)?.[1]?.trim() ?? `libFuzzer: ${kind}`;
}

/** One time-boxed libFuzzer campaign; findings replayed on the device. */
export async function libfuzz(o: { board: Board; library: string; target: FuzzTarget; seconds: number; seed: number; out: string; log?: (m: string) => void; replayOnDevice?: boolean; extraSeeds?: Uint8Array[] }): Promise<LibFuzzerSummary> {
  const sum: LibFuzzerSummary = { library: o.library, target: o.target.id, engine: 'libfuzzer', seconds: 0, execs: 0, execsPerSecond: 0, seedEdges: 0, edges: 0, corpus: 0, restarts: 0, findings: [] };
  const work = join(o.out, 'libfuzzer', `${o.library}-${o.target.id}`);
  const prep = await prepareHost({ ...o, dir: work });
  const corpus = join(work, 'corpus');
  const artifacts = join(work, 'artifacts');
  rmSync(corpus, { recursive: true, force: true });
  rmSync(artifacts, { recursive: true, force: true });
  mkdirSync(corpus, { recursive: true });
  mkdirSync(artifacts, { recursive: true });

  // The op may not be in this library's build (the runner says so and exits 2).
  const probe = await runFuzzer(prep.bin, ['-runs=0', `-artifact_prefix=${work}/`, prep.seedsDir], prep.context, undefined, { haltOnUb: false });
  const missing = /certcost fuzz runner: (this build has no such op)/.exec(probe.stderr);
  if (missing) return { ...sum, unsupported: `the ${o.library} host build has no ${o.target.firmwareOp} op` };
  const scratch = join(work, 'merge');
  sum.seedEdges = (await coverageOf(prep.bin, prep.context, [prep.seedsDir], scratch)).edges;
  // UB reports already saved are suppressed for the rest of the campaign (each distinct one is reported once).
  const supp = join(work, 'ubsan.supp');
  writeFileSync(supp, readFileSync(join(ROOT, 'fuzz', 'host', 'ubsan.supp'), 'utf8'));

  const maxLen = o.target.network ? 16384 : 8128; // the device's link frame (LINK_MAX 8192 less framing)
  const t0 = Date.now();
  const seen = new Set<string>();
  const reports: { file: string; stderr: string }[] = [];
  while (Date.now() - t0 < o.seconds * 1000 && sum.restarts < 50) {
    const left = Math.max(1, Math.round(o.seconds - (Date.now() - t0) / 1000));
    const args = [`-max_total_time=${left}`, `-max_len=${maxLen}`, '-timeout=10', '-rss_limit_mb=2048', '-print_final_stats=1', `-seed=${o.seed + 1 + sum.restarts}`, `-artifact_prefix=${artifacts}/`, corpus, prep.seedsDir];
    let lastLog = 0;
    const r = await runFuzzer(prep.bin, args, prep.context, (l) => {
      if (/\b(NEW|pulse)\b/.test(l) && /cov: \d+/.test(l) && Date.now() - lastLog > 15_000) {
        lastLog = Date.now();
        o.log?.(l.trim());
      }
    }, { suppressions: supp });
    const units = /stat::number_of_executed_units: (\d+)/.exec(r.stderr);
    if (units) sum.execs += Number(units[1]);
    else sum.execs += Number([...r.stderr.matchAll(/^#(\d+)\s/gm)].pop()?.[1] ?? 0);
    for (const f of readdirSync(artifacts)) if (ARTIFACT.test(f) && !seen.has(f)) {
      seen.add(f);
      reports.push({ file: join(artifacts, f), stderr: r.stderr });
      // A UB report: suppress its function from now on, so the next run goes past it.
      const fn = ubFunction(r.stderr);
      if (fn) appendFileSync(supp, `# ${f}\n${UB_CHECKS.map((c) => `${c}:${fn}`).join('\n')}\n`);
    }
    if (r.code === 0) break; // ran to its time limit
    if (/certcost fuzz runner:/.test(r.stderr) && !reports.length) throw new Error(`host fuzzer for ${o.library}/${o.target.id} failed:\n${r.stderr.split('\n').slice(-10).join('\n')}`);
    sum.restarts++;
    o.log?.(`libFuzzer stopped on a finding (${reports.length} so far); continuing with the corpus`);
  }
  sum.seconds = (Date.now() - t0) / 1000;
  sum.execsPerSecond = sum.execs / Math.max(sum.seconds, 1e-3);
  sum.corpus = readdirSync(corpus).length;
  sum.edges = (await coverageOf(prep.bin, prep.context, [corpus, prep.seedsDir], scratch)).edges;

  const dir = join(o.out, 'findings');
  const details = new Set<string>();
  for (const { file, stderr } of reports) {
    const [, kind, sha] = ARTIFACT.exec(file.split('/').pop()!)!;
    const detail = detailOf(stderr, kind!);
    if (details.has(detail)) continue; // the same report from another input
    details.add(detail);
    mkdirSync(dir, { recursive: true });
    const bytes = readFileSync(file);
    const base = join(dir, `libfuzzer-${o.library}-${o.target.id}-${kind}-${sha!.slice(0, 12)}`);
    writeFileSync(`${base}.bin`, bytes);
    const report = `${base}.txt`;
    writeFileSync(report, reportOf(stderr));
    const rel = (p: string) => relative(process.cwd(), p) || p;
    const f: HostFinding = {
      kind: kind as HostFinding['kind'],
      detail: detail.trim(),
      file: `${base}.bin`,
      report,
      hostReplay: `CERTCOST_FUZZ_CONTEXT=${rel(prep.context)} ${rel(prep.bin)} ${rel(`${base}.bin`)}`,
      deviceReplay: `npx certcost fuzz --replay ${rel(`${base}.bin`)} --engine libfuzzer --library ${o.library} --board ${o.board.id} --target ${o.target.id}${o.target.network ? ` --seed ${o.seed}` : ''}`,
    };
    if (o.replayOnDevice !== false) {
      const big = o.target.network ? 0 : bytes.length > 8128;
      f.device = big ? { summary: `not replayed: ${bytes.length} B does not fit the device's link frame`, affected: false } : await replayOutcome(o.board, o.library, o.target, bytes, { seed: o.seed, datagrams: !!o.target.network });
    }
    writeFileSync(`${base}.json`, JSON.stringify({ ...f, sha1: createHash('sha1').update(bytes).digest('hex'), bytes: bytes.length }, null, 2) + '\n');
    sum.findings.push(f);
    o.log?.(`finding ${kind}: ${f.detail}${f.device ? ` — on the device: ${f.device.summary}` : ''}`);
  }
  return sum;
}
