// certcost fuzz [--engine device|libfuzzer|both] [--libraries a,b] [--board B]
//               [--targets x509] [--count N] [--seconds S] [--seed N] [--out DIR]
// certcost fuzz --replay FILE --library L --target T [--board B] [--engine E] [--seed S --at N]
//
// device: the blind, DER-aware mutator into the emulated device (fuzz/campaign.ts).
// libfuzzer: coverage-guided, on the host, same adapters and configuration
//   (fuzz/libfuzzer.ts, fuzz/host/); findings replayed on the device.
// both: the two, one after the other, with the same time per campaign, and
//   the coverage each reached measured the same way (docs/fuzzing.md).
import { parseArgs } from 'node:util';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../core/errors.js';
import { FUZZ_INPUT_MAX_BYTES, readInputFile } from '../core/input-file.js';
import { lockOutputDir, outputDir } from '../core/out-dir.js';
import { didYouMean } from '../core/suggest.js';
import { boards } from '../catalog/boards.js';
import { ROOT } from '../core/paths.js';
import { boardById, fuzz, fuzzedLibrary, replayOutcome, type FuzzSummary } from '../fuzz/campaign.js';
import { coverageOf, hostFuzzerMissing, libfuzz, prepareHost, type LibFuzzerSummary } from '../fuzz/libfuzzer.js';
import { TARGETS, TARGET_IDS } from '../fuzz/targets.js';

export const FUZZ_USAGE = `  certcost fuzz [--engine device|libfuzzer|both] [--libraries mbedtls,wolfssl@5.5.4,...] [--board mps2-an386]
                [--targets ${TARGET_IDS.join(',')}] [--count 500] [--seconds 120] [--seed 1] [--out DIR]
                                             device: mutate valid inputs into the emulated device's parsers (default);
                                             libfuzzer: coverage-guided on the host, findings replayed on the device;
                                             both: the two side by side, same time each, edges measured alike
  certcost fuzz --replay FILE --library L --target T [--board B] [--engine device|libfuzzer] [--seed S --at N]`;

const ENGINES = ['device', 'libfuzzer', 'both'] as const;
type Engine = (typeof ENGINES)[number];

interface Row {
  library: string;
  target: string;
  engine: 'device' | 'libfuzzer';
  seconds: number;
  inputs: number;
  execsPerSecond: number;
  seedEdges?: number;
  edges?: number;
  findings: string;
  unsupported?: string;
}

export async function cmdFuzz(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv, strict: true,
    options: {
      engine: { type: 'string', default: 'device' },
      libraries: { type: 'string', default: 'mbedtls,wolfssl' }, library: { type: 'string' }, board: { type: 'string', default: 'mps2-an386' },
      targets: { type: 'string', default: TARGET_IDS.join(',') }, target: { type: 'string' }, count: { type: 'string' },
      seconds: { type: 'string', default: '120' }, seed: { type: 'string', default: '1' }, out: { type: 'string' }, replay: { type: 'string' }, at: { type: 'string' },
    },
  });
  const engine = values.engine as Engine;
  if (!ENGINES.includes(engine)) throw new UserError(`fuzz: --engine: unknown engine '${values.engine}'${didYouMean(values.engine!, [...ENGINES])} (known: ${ENGINES.join(', ')})`);
  const board = boardById(values.board!);
  if (!board) throw new UserError(`fuzz: --board: unknown board '${values.board}'${didYouMean(values.board!, [...boards().keys()])}`);
  const targetOf = (id: string) => {
    const t = TARGETS.find((x) => x.id === id);
    if (!t) throw new UserError(`fuzz: unknown target '${id}'${didYouMean(id, TARGET_IDS)} (known: ${TARGET_IDS.join(', ')})`);
    return t;
  };
  const num = (name: string, v: string | undefined, min: number) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) throw new UserError(`fuzz: --${name} must be a whole number ≥ ${min} (got '${v}')`);
    return n;
  };
  if (values.replay) {
    if (!values.library || !values.target) throw new UserError('fuzz: --replay needs --library and --target');
    fuzzedLibrary(values.library);
    if (engine === 'both') throw new UserError('fuzz: --replay takes --engine device or libfuzzer (whose input format it is)');
    const bytes = readInputFile(values.replay, { what: 'fuzz input', maxBytes: FUZZ_INPUT_MAX_BYTES });
    // A libFuzzer input of a network target is the whole sequence of the server's datagrams.
    const r = await replayOutcome(board, values.library, targetOf(values.target), bytes, { seed: num('seed', values.seed, 0), at: values.at === undefined ? 0 : num('at', values.at, 0), datagrams: engine === 'libfuzzer' });
    console.log(`${r.summary}${r.affected ? ' — the device is affected' : ''}`);
    return 0;
  }
  const seconds = num('seconds', values.seconds, 1), seed = num('seed', values.seed, 0);
  // Time-boxed comparisons run the device fuzzer for the whole time unless --count says otherwise.
  const count = values.count === undefined ? (engine === 'both' ? Number.MAX_SAFE_INTEGER : 500) : num('count', values.count, 1);
  const libs = values.libraries!.split(',').filter(Boolean);
  for (const lib of libs) fuzzedLibrary(lib); // name or name@version, else one line naming the known ones
  const targets = values.targets!.split(',').filter(Boolean).map(targetOf);
  if (engine !== 'device') {
    const missing = hostFuzzerMissing();
    if (missing) throw new UserError(`fuzz --engine ${engine}: ${missing}`);
  }
  const out = outputDir(values.out ?? join(ROOT, 'results', 'fuzz'));
  const release = lockOutputDir(out, `certcost fuzz ${argv.join(' ')}`);
  try {
    return await campaigns(out, engine, { board, libs, targets, count, seconds, seed });
  } finally {
    release();
  }
}

async function campaigns(out: string, engine: Engine, o: { board: NonNullable<ReturnType<typeof boardById>>; libs: string[]; targets: typeof TARGETS; count: number; seconds: number; seed: number }): Promise<number> {
  const device: FuzzSummary[] = [];
  const host: LibFuzzerSummary[] = [];
  const rows: Row[] = [];
  for (const lib of o.libs)
    for (const t of o.targets) {
      const log = (m: string) => console.error(`  ${lib}/${t.id}: ${m}`);
      if (engine !== 'libfuzzer') {
        const inputs = engine === 'both' ? join(out, 'device-inputs', `${lib}-${t.id}`) : undefined;
        if (inputs) rmSync(inputs, { recursive: true, force: true });
        const s = await fuzz({ board: o.board, library: lib, target: t, count: o.count, seconds: o.seconds, seed: o.seed, out, log, saveInputs: inputs });
        device.push(s);
        const row: Row = { library: lib, target: t.id, engine: 'device', seconds: s.seconds, inputs: s.tried, execsPerSecond: s.tried / Math.max(s.seconds, 1e-3), findings: s.findings.map((f) => `${f.kind} #${f.index}`).join(', ') || 'none', unsupported: s.unsupported };
        if (inputs && !s.unsupported) {
          // The device fuzzer's inputs, run through the host build: its edges in the same units as libFuzzer's.
          const prep = await prepareHost({ board: o.board, library: lib, target: t, seed: o.seed, dir: join(out, 'libfuzzer', `${lib}-${t.id}`) });
          row.seedEdges = (await coverageOf(prep.bin, prep.context, [prep.seedsDir], join(out, 'merge'))).edges;
          row.edges = (await coverageOf(prep.bin, prep.context, [inputs, prep.seedsDir], join(out, 'merge'))).edges;
        }
        rows.push(row);
        console.log(s.unsupported ? `${lib} ${t.id} device: unsupported — ${s.unsupported}` : `${lib} ${t.id} device: ${s.tried} inputs in ${s.seconds.toFixed(1)} s, ${s.accepted} accepted, ${s.rejected} rejected, ${s.findings.length} finding(s)${row.edges !== undefined ? `, ${row.edges} edges` : ''}`);
      }
      if (engine !== 'device') {
        const s = await libfuzz({ board: o.board, library: lib, target: t, seconds: o.seconds, seed: o.seed, out, log });
        host.push(s);
        rows.push({ library: lib, target: t.id, engine: 'libfuzzer', seconds: s.seconds, inputs: s.execs, execsPerSecond: s.execsPerSecond, seedEdges: s.seedEdges, edges: s.edges, findings: s.findings.map((f) => `${f.kind}: ${f.detail}${f.device ? ` [device: ${f.device.affected ? 'AFFECTED, ' : ''}${f.device.summary}]` : ''}`).join('; ') || 'none', unsupported: s.unsupported });
        console.log(s.unsupported ? `${lib} ${t.id} libfuzzer: unsupported — ${s.unsupported}` : `${lib} ${t.id} libfuzzer: ${s.execs} inputs in ${s.seconds.toFixed(1)} s (${Math.round(s.execsPerSecond)}/s), ${s.seedEdges} → ${s.edges} edges, ${s.findings.length} finding(s)`);
      }
    }
  writeFileSync(join(out, 'fuzz.json'), JSON.stringify({ board: o.board.id, engine, seed: o.seed, count: o.count === Number.MAX_SAFE_INTEGER ? null : o.count, seconds: o.seconds, campaigns: device, libfuzzer: host, table: rows }, null, 2) + '\n');
  const fmt = (n: number) => (n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(1));
  console.log(`\n| library | target | engine | seconds | inputs | inputs/s | edges: seeds → reached | findings |\n|---|---|---|---:|---:|---:|---|---|`);
  for (const r of rows)
    console.log(`| ${r.library} | ${r.target} | ${r.engine} | ${r.seconds.toFixed(0)} | ${r.unsupported ? '—' : r.inputs.toLocaleString('en-US')} | ${r.unsupported ? '—' : fmt(r.execsPerSecond)} | ${r.edges === undefined ? '—' : `${r.seedEdges} → ${r.edges}`} | ${r.unsupported ? `unsupported: ${r.unsupported}` : r.findings} |`);
  const findings = device.reduce((n, s) => n + s.findings.length, 0) + host.reduce((n, s) => n + s.findings.length, 0);
  // The folder is named even when it is empty: make it exist.
  mkdirSync(join(out, 'findings'), { recursive: true });
  console.log(`\n${findings ? `${findings} finding(s); ` : 'no findings; '}findings and replay commands: ${join(out, 'findings')}`);
  // Findings are what a fuzzing job is for: exit 1 so CI notices.
  return findings ? 1 : 0;
}
