// `certcost report`'s outputs from a results.json: report.md (+ chart PNGs),
// a self-contained report.html, report.csv and report.json; and results.md,
// which `run` and `merge` write next to results.json. Every output is
// rendered from the document model (build.ts).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UserError } from '../core/errors.js';
import { outputDir } from '../core/out-dir.js';
import type { Results } from '../record/schema.js';
import { readResults, scenarioOf } from '../results/read.js';
import { resultsJsonText, writeAtomic } from '../results/write.js';
import { parseBudgetArg, type Budget } from '../scenario/budget.js';
import { buildReport, buildResultsDocument } from './build.js';
import { renderCharts } from './charts.js';
import { recordsCsv, tableCsv } from './csv.js';
import { documentHtml } from './html.js';
import { documentMarkdown, markdownTable } from './md.js';
import { recordsTable } from './sections/records.js';

export const FORMATS = ['md', 'html', 'csv', 'json'] as const;

/** results.md for a results set (what run and merge write). */
export function resultsMarkdown(results: Results): string {
  return documentMarkdown(buildResultsDocument(results, resultsJsonText(results)));
}

/** The records table `certcost run` prints at the end. */
export const recordsTableText = (results: Results) => markdownTable(recordsTable(results.records));

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
  outputDir(outDir);
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
    put('report.md', documentMarkdown(report));
  }
  if (formats.includes('html')) put('report.html', documentHtml(report, charts));
  if (formats.includes('csv')) {
    put('report.csv', recordsCsv(loaded.records));
    // Every table of the report as a CSV of its own (sizing, certificates, validity, revocation, ...).
    mkdirSync(join(outDir, 'tables'), { recursive: true });
    for (const s of report.sections) s.tables.forEach((t, i) => put(join('tables', `${s.id}${s.tables.length > 1 ? `-${i + 1}` : ''}.csv`), tableCsv(t)));
  }
  if (formats.includes('json')) {
    const { charts: specs, ...rest } = report;
    put('report.json', JSON.stringify({ ...rest, charts: specs.map((c) => ({ id: c.id, title: c.title, file: `charts/${c.id}.png` })), records: loaded.records }, null, 2) + '\n');
  }
  return { files };
}

