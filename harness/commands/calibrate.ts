// `certcost calibrate [--out DIR] [--vectors N]`: prints the calibration
// table and writes calibration.md and calibration.json to DIR
// (default results/calibration, which results.md includes).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { UserError } from '../core/errors.js';
import { calibrate, calibrationMarkdown, calibrationSummary, calibrationTable } from '../calibrate/calibrate.js';
import { CALIBRATION_DIR } from '../report/sections/cycles.js';

export async function calibrateCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { out: { type: 'string' }, vectors: { type: 'string' } }, strict: true });
  const vectors = values.vectors ? Number(values.vectors) : 3;
  if (!Number.isInteger(vectors) || vectors < 1 || vectors > 32) throw new UserError('calibrate: --vectors must be 1..32');
  const rows = await calibrate({ vectors, log: (s) => process.stderr.write(s + '\n') });
  console.log('\n' + calibrationTable(rows) + '\n\n' + calibrationSummary(rows));
  {
    const dir = resolve(values.out ?? CALIBRATION_DIR); // the default is where results.md looks
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'calibration.md'), calibrationMarkdown(rows));
    writeFileSync(join(dir, 'calibration.json'), JSON.stringify({ generatedAt: new Date().toISOString(), rows }, null, 2) + '\n');
    console.log(`written: ${join(dir, 'calibration.md')} and calibration.json`);
  }
  // A point that could not be modeled is a failure of the run, not of the model.
  return rows.some((r) => r.comparable && r.modeled === null) ? 1 : 0;
}
