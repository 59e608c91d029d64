// certcost fuzz [--libraries a,b] [--board B] [--targets x509] [--count N]
//               [--seconds S] [--seed N] [--out DIR]
// certcost fuzz --replay FILE --library L --board B --target T
import { parseArgs } from 'node:util';
import { mkdirSync, writeFileSync } from 'node:fs';
import { FUZZ_INPUT_MAX_BYTES, readInputFile } from '../core/input-file.js';
import { join } from 'node:path';
import { UserError } from '../core/errors.js';
import { outputDir } from '../core/out-dir.js';
import { didYouMean } from '../core/suggest.js';
import { libraryIds } from '../catalog/libraries.js';
import { boards } from '../catalog/boards.js';
import { ROOT } from '../core/paths.js';
import { boardById, fuzz, replay, type FuzzSummary } from '../fuzz/campaign.js';
import { TARGETS, TARGET_IDS } from '../fuzz/targets.js';

export const FUZZ_USAGE = `  certcost fuzz [--libraries mbedtls,wolfssl] [--board mps2-an386] [--targets ${TARGET_IDS.join(',')}]
                [--count 500] [--seconds 120] [--seed 1] [--out DIR]
                                             mutate valid inputs into the device's parsers
  certcost fuzz --replay FILE --library L --board B --target T [--seed S --at N]`;

export async function cmdFuzz(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv, strict: true,
    options: {
      libraries: { type: 'string', default: 'mbedtls,wolfssl' }, library: { type: 'string' }, board: { type: 'string', default: 'mps2-an386' },
      targets: { type: 'string', default: TARGET_IDS.join(',') }, target: { type: 'string' }, count: { type: 'string', default: '500' },
      seconds: { type: 'string', default: '120' }, seed: { type: 'string', default: '1' }, out: { type: 'string' }, replay: { type: 'string' }, at: { type: 'string' },
    },
  });
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
    console.log(await replay(board, values.library, targetOf(values.target), readInputFile(values.replay, { what: 'fuzz input', maxBytes: FUZZ_INPUT_MAX_BYTES }), { seed: num('seed', values.seed, 0), at: values.at === undefined ? 0 : num('at', values.at, 0) }));
    return 0;
  }
  const count = num('count', values.count, 1), seconds = num('seconds', values.seconds, 1), seed = num('seed', values.seed, 0);
  const libs = values.libraries!.split(',').filter(Boolean);
  for (const lib of libs) if (!libraryIds().includes(lib)) throw new UserError(`fuzz: --libraries: unknown library '${lib}'${didYouMean(lib, libraryIds())} (known: ${libraryIds().join(', ')})`);
  const targets = values.targets!.split(',').filter(Boolean).map(targetOf);
  const out = outputDir(values.out ?? join(ROOT, 'results', 'fuzz'));
  const sums: FuzzSummary[] = [];
  for (const lib of libs)
    for (const t of targets) {
      const s = await fuzz({ board, library: lib, target: t, count, seconds, seed, out, log: (m) => console.error(`  ${lib}/${t.id}: ${m}`) });
      sums.push(s);
      console.log(s.unsupported ? `${lib} ${t.id}: unsupported — ${s.unsupported}` : `${lib} ${t.id}: ${s.tried} inputs in ${s.seconds.toFixed(1)} s, ${s.accepted} accepted, ${s.rejected} rejected, ${s.findings.length} finding(s)`);
    }
  writeFileSync(join(out, 'fuzz.json'), JSON.stringify({ board: board.id, seed, count, seconds, campaigns: sums }, null, 2) + '\n');
  console.log(`\n| library | target | inputs | accepted | rejected | findings |\n|---|---|---:|---:|---:|---|`);
  for (const s of sums) console.log(`| ${s.library} | ${s.target} | ${s.tried} | ${s.accepted} | ${s.rejected} | ${s.unsupported ? 'unsupported' : s.findings.map((f) => `${f.kind} #${f.index}`).join(', ') || 'none'} |`);
  const findings = sums.reduce((n, s) => n + s.findings.length, 0);
  // The folder is named even when it is empty: make it exist.
  mkdirSync(join(out, 'findings'), { recursive: true });
  console.log(`\n${findings ? `${findings} finding(s); ` : 'no findings; '}findings and replay commands: ${join(out, 'findings')}`);
  // Findings are what a fuzzing job is for: exit 1 so CI notices.
  return findings ? 1 : 0;
}
