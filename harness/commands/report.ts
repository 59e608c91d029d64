// `certcost report <results dir | results.json> [--format md,html,csv,json]
// [--out DIR] [--budget flash=128KiB,...] [--scenario FILE]`: every output
// is generated from results.json; the budget comes from the scenario's
// `budget:` section, overridden key by key by --budget.
import { relative } from 'node:path';
import { parseArgs } from 'node:util';
import { UserError } from '../core/errors.js';
import { writeReport } from '../report/write.js';

export const REPORT_USAGE = '  certcost report <results dir|results.json> [--format md,html,csv,json] [--out DIR] [--budget flash=128KiB,ram=32KiB,ms=1s,...] [--scenario FILE]';

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
  const shown = files.filter((f) => !f.includes('/charts/') && !f.includes('/tables/'));
  const charts = files.filter((f) => f.includes('/charts/')).length, tables = files.filter((f) => f.includes('/tables/')).length;
  console.log(`report: ${shown.map((f) => relative(process.cwd(), f) || f).join(', ')}${charts ? `, ${charts} chart PNGs` : ''}${tables ? `, ${tables} table CSVs in tables/` : ''}`);
  return 0;
}
