// `certcost calibrate [--json] [--out DIR] [--vectors N] [--only ID,...]`:
// the published-vs-modeled table (fit and validation sets apart, error per
// point and per core). Writes calibration.md and calibration.json to DIR
// (default results/calibration, which results.md includes) and, after a run
// over every point (not --only), the validation error bands to
// data/cycle-error-bands.json (checked in with the model). --json prints
// the machine-readable table on stdout instead of the Markdown.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { UserError } from '../core/errors.js';
import { calibrate, calibrationJson, calibrationMarkdown, calibrationSummary, calibrationTable, coreTable, errorBands, loadCalibration } from '../calibrate/calibrate.js';
import { BANDS_FILE, resetBands } from '../cycles/bands.js';
import { CALIBRATION_DIR } from '../report/sections/cycles.js';

export async function calibrateCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { out: { type: 'string' }, vectors: { type: 'string' }, json: { type: 'boolean' }, only: { type: 'string' }, 'no-bands': { type: 'boolean' } }, strict: true });
  const vectors = values.vectors ? Number(values.vectors) : 3;
  if (!Number.isInteger(vectors) || vectors < 1 || vectors > 32) throw new UserError('calibrate: --vectors must be 1..32');
  const all = loadCalibration();
  let points = all;
  if (values.only) {
    const want = values.only.split(',').map((s) => s.trim()).filter(Boolean);
    const unknown = want.filter((w) => !all.some((p) => p.id === w || p.id.startsWith(`${w}-`)));
    if (unknown.length) throw new UserError(`calibrate: unknown point(s) ${unknown.join(', ')}`);
    points = all.filter((p) => want.some((w) => p.id === w || p.id.startsWith(`${w}-`)));
  }
  const rows = await calibrate({ points, vectors, log: (s) => process.stderr.write(s + '\n') });
  if (values.json) process.stdout.write(JSON.stringify(calibrationJson(rows), null, 2) + '\n');
  else console.log(`\n${calibrationTable(rows)}\n\n${coreTable(rows)}\n\n${calibrationSummary(rows)}`);
  const say = (s: string) => (values.json ? process.stderr : process.stdout).write(s + '\n');
  {
    const dir = resolve(values.out ?? CALIBRATION_DIR); // the default is where results.md looks
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'calibration.md'), calibrationMarkdown(rows));
    writeFileSync(join(dir, 'calibration.json'), JSON.stringify({ generatedAt: new Date().toISOString(), ...calibrationJson(rows) }, null, 2) + '\n');
    say(`written: ${join(dir, 'calibration.md')} and calibration.json`);
  }
  // Bands only from a run over every point (the file lists validation points that could not be modeled).
  if (!values['no-bands'] && !values.only) {
    writeFileSync(BANDS_FILE, JSON.stringify(errorBands(rows), null, 2) + '\n');
    resetBands();
    say(`written: ${BANDS_FILE}`);
  }
  // A scored point that could not be modeled is a failure of the run, not of the model.
  return rows.some((r) => r.set !== 'context' && r.modeled === null) ? 1 : 0;
}
