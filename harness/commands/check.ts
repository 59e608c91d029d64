// `certcost check <results dir|results.json> --baseline FILE [--update-baseline]
// [--junit FILE] [--threshold m=x%,...] [--scenario FILE]`, or
// `certcost check <results> --versions LIB@A:LIB@B`: version B against
// version A of the same run, record by record.
// Exit 0: nothing regressed (or the baseline was deliberately updated);
// 1: a regression; 2: bad input (no such results/baseline, wrong schema).
import { appendFileSync, existsSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { UserError } from '../core/errors.js';
import { outputDir } from '../core/out-dir.js';
import { ROOT } from '../core/paths.js';
import { readResults, scenarioOf, type LoadedResults } from '../results/read.js';
import { writeAtomic } from '../results/write.js';
import { annotations } from '../gate/annotations.js';
import { compare, type Comparison } from '../gate/compare.js';
import { junitXml } from '../gate/junit.js';
import { diffMarkdown, diffTable, summaryLine } from '../gate/table.js';
import { thresholds } from '../gate/thresholds.js';
import { parseThresholdArg } from '../scenario/thresholds.js';
import { libraryLabel } from '../record/key.js';

export const CHECK_USAGE = `  certcost check <results dir|results.json> --baseline FILE [--update-baseline] [--junit FILE] [--threshold instructions=2%,...] [--scenario FILE]
  certcost check <results dir|results.json> --versions LIB@A:LIB@B [--junit FILE] [--threshold ...]
                                             version B against version A of the same run`;

export interface CheckOptions {
  baseline?: string;
  /** "mbedtls@2.28.3:mbedtls@3.6.6": compare two versions within the results instead of a baseline file. */
  versions?: string;
  updateBaseline?: boolean;
  junit?: string;
  threshold?: string;
  scenario?: string;
  env?: NodeJS.ProcessEnv;
  out?: (s: string) => void; // stdout
  err?: (s: string) => void; // stderr
}

/** A baseline is the results file itself, with the ELF paths made repository-relative so it reads the same on any clone. */
function baselineText(now: LoadedResults): string {
  const data = JSON.parse(now.text) as { records: { image?: { elf: string } }[] };
  for (const r of data.records) if (r.image && isAbsolute(r.image.elf)) {
    const rel = relative(ROOT, r.image.elf);
    if (!rel.startsWith('..')) r.image.elf = rel;
  }
  return JSON.stringify(data, null, 2) + '\n';
}

export function check(input: string, o: CheckOptions): { code: number; comparison?: Comparison } {
  const out = o.out ?? ((s: string) => console.log(s));
  const err = o.err ?? ((s: string) => console.error(s));
  const env = o.env ?? process.env;
  const now = readResults(input);
  const sc = scenarioOf(now.results, o.scenario);
  if (sc?.note) err(`note: ${sc.note}`);
  const thInput = o.threshold ? parseThresholdArg(o.threshold, sc?.scenario.thresholds) : sc?.scenario.thresholds;
  if (o.versions) return checkVersions(now, o.versions, thresholds(thInput), { out, junit: o.junit });
  if (!o.baseline) throw new UserError(`check: give --baseline FILE or --versions LIB@A:LIB@B\nusage:\n${CHECK_USAGE}`);
  const baselinePath = resolve(o.baseline);

  const writeBaseline = () => {
    const broken = now.records.filter((r) => r.status === 'error' || r.status === 'mismatch');
    if (broken.length) err(`warning: the new baseline keeps ${broken.length} error/mismatch record(s) as they are: ${broken.slice(0, 3).map((r) => `${r.board}/${r.library}/${r.op} ${r.status}`).join(', ')}`);
    outputDir(dirname(baselinePath), '--baseline');
    writeAtomic(baselinePath, baselineText(now));
    out(`baseline written: ${relative(process.cwd(), baselinePath) || baselinePath} (${now.records.length} records, scenario ${now.results.scenario.name})`);
  };

  if (!existsSync(baselinePath)) {
    if (!o.updateBaseline) throw new UserError(`check: no baseline at ${o.baseline}; create it deliberately with --update-baseline`);
    writeBaseline();
    return { code: 0 };
  }
  const base = readResults(baselinePath);
  const c = compare(base, now, thresholds(thInput));
  const table = diffTable(c);
  out(`check ${relative(process.cwd(), now.file) || now.file} against ${relative(process.cwd(), baselinePath) || baselinePath}`);
  if (table) out(table);
  out(summaryLine(c));
  if (o.junit) {
    outputDir(dirname(resolve(o.junit)), '--junit');
    writeAtomic(resolve(o.junit), junitXml(c, `certcost check ${now.results.scenario.name}`));
  }
  if (env.GITHUB_ACTIONS === 'true') {
    for (const a of annotations(c, now.results.scenario.file)) out(a);
    if (env.GITHUB_STEP_SUMMARY) appendFileSync(env.GITHUB_STEP_SUMMARY, diffMarkdown(c));
  }
  if (o.updateBaseline) {
    writeBaseline();
    return { code: 0, comparison: c };
  }
  return { code: c.regressions.length ? 1 : 0, comparison: c };
}

/** Split one results set into version A (the baseline) and version B, and compare them. */
function checkVersions(now: LoadedResults, spec: string, th: ReturnType<typeof thresholds>, o: { out: (s: string) => void; junit?: string }): { code: number; comparison: Comparison } {
  const [a, b] = spec.split(':');
  const labels = [...new Set(now.records.map(libraryLabel))];
  if (!a || !b || a === b) throw new UserError(`check --versions: expected LIB@A:LIB@B (two library versions of the run), got '${spec}'`);
  for (const v of [a, b]) if (!labels.includes(v)) throw new UserError(`check --versions: the results have no records of '${v}' (they have ${labels.join(', ')})`);
  const part = (label: string): LoadedResults => ({ ...now, records: now.records.filter((r) => libraryLabel(r) === label) });
  const c = compare(part(a), part(b), th);
  const table = diffTable(c);
  o.out(`check ${b} against ${a} in ${relative(process.cwd(), now.file) || now.file}`);
  if (table) o.out(table);
  o.out(summaryLine(c));
  if (o.junit) {
    outputDir(dirname(resolve(o.junit)), '--junit');
    writeAtomic(resolve(o.junit), junitXml(c, `certcost check ${b} vs ${a}`));
  }
  return { code: c.regressions.length ? 1 : 0, comparison: c };
}

export function cmdCheck(argv: string[]): number {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      baseline: { type: 'string' }, versions: { type: 'string' }, 'update-baseline': { type: 'boolean' }, junit: { type: 'string' }, threshold: { type: 'string' }, scenario: { type: 'string' },
    },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length !== 1 || (!values.baseline && !values.versions)) throw new UserError(`check: give one results directory or results.json and --baseline FILE (or --versions LIB@A:LIB@B)\nusage:\n${CHECK_USAGE}`);
  return check(positionals[0]!, { baseline: values.baseline, versions: values.versions, updateBaseline: values['update-baseline'], junit: values.junit, threshold: values.threshold, scenario: values.scenario }).code;
}
