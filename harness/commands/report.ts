// `certcost report <results dir | results.json> [--format md,html,csv,json]
// [--out DIR] [--budget flash=128KiB,...] [--scenario FILE]`: every output
// is generated from results.json; the budget comes from the scenario's
// `budget:` section, overridden key by key by --budget.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { UserError } from '../core/errors.js';
import { readResults, scenarioOf } from '../results/read.js';
import { writeAtomic } from '../results/write.js';
import { renderCharts } from '../report/charts.js';
import { recordsCsv } from '../report/csv.js';
import { reportHtml } from '../report/html.js';
import { reportMarkdown } from '../report/md.js';
import { buildReport } from '../report/model.js';
import { parseBudgetArg, type Budget } from '../scenario/budget.js';

export const REPORT_USAGE = '  certcost report <results dir|results.json> [--format md,html,csv,json] [--out DIR] [--budget flash=128KiB,ram=32KiB,ms=1s,...] [--scenario FILE]';
const FORMATS = ['md', 'html', 'csv', 'json'] as const;

export interface ReportOutputs {
  files: string[];
}

export async function writeReport(input: string, opts: { formats?: string[]; out?: string; budget?: string; scenario?: string; log?: (s: string) => void } = {}): Promise<ReportOutputs> {
  const log = opts.log ?? (() => {});
  const formats = opts.formats ?? [...FORMATS];
  const unknown = formats.filter((f) => !(FORMATS as readonly string[]).includes(f));
  if (unknown.length || !formats.length) throw new UserError(`report: unknown format(s) ${unknown.join(', ')} (known: ${FORMATS.join(', ')})`);
  const loaded = readResults(input);
  const sc = scenarioOf(loaded.results, opts.scenario);
  if (sc?.note) log(`note: ${sc.note}`);
  const budget: Budget = { ...(sc?.scenario.budget ?? {}), ...(opts.budget ? parseBudgetArg(opts.budget) : {}) };
  const report = buildReport(loaded, budget);
  const outDir = resolve(opts.out ?? loaded.dir);
  mkdirSync(outDir, { recursive: true });
  const needCharts = formats.includes('md') || formats.includes('html');
  const charts = needCharts ? await renderCharts(report.charts) : [];
  const files: string[] = [];
  const put = (name: string, data: string) => {
    writeAtomic(join(outDir, name), data);
    files.push(join(outDir, name));
  };
  if (formats.includes('md')) {
    mkdirSync(join(outDir, 'charts'), { recursive: true });
    for (const c of charts) {
      writeFileSync(join(outDir, 'charts', `${c.id}.png`), c.png);
      files.push(join(outDir, 'charts', `${c.id}.png`));
    }
    put('report.md', reportMarkdown(report));
  }
  if (formats.includes('html')) put('report.html', reportHtml(report, charts));
  if (formats.includes('csv')) put('report.csv', recordsCsv(loaded.records));
  if (formats.includes('json')) {
    const { charts: specs, ...rest } = report;
    put('report.json', JSON.stringify({ ...rest, charts: specs.map((c) => ({ id: c.id, title: c.title, file: `charts/${c.id}.png` })), records: loaded.records }, null, 2) + '\n');
  }
  return { files };
}

export async function cmdReport(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { format: { type: 'string' }, out: { type: 'string' }, budget: { type: 'string' }, scenario: { type: 'string' } },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length !== 1) throw new UserError(`report: give exactly one results directory or results.json\nusage:\n${REPORT_USAGE}`);
  const { files } = await writeReport(positionals[0]!, {
    formats: values.format?.split(',').map((s) => s.trim()).filter(Boolean),
    out: values.out,
    budget: values.budget,
    scenario: values.scenario,
    log: (s) => console.error(s),
  });
  const shown = files.filter((f) => !f.includes('/charts/'));
  console.log(`report: ${shown.map((f) => relative(process.cwd(), f) || f).join(', ')}${files.length > shown.length ? ` and ${files.length - shown.length} chart PNGs` : ''}`);
  return 0;
}
