// results.md pieces for the cycle model: the per-op function profile and
// the latest calibration table (written by `certcost calibrate`).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../core/paths.js';
import type { ResultRecord } from '../record/schema.js';

export const CALIBRATION_DIR = join(ROOT, 'results', 'calibration');
const pct = (x: number) => `${(x * 100).toFixed(1)} %`;

export function cyclesSection(records: ResultRecord[], calibrationDir = CALIBRATION_DIR): string[] {
  const withCycles = records.filter((r) => r.cycles !== undefined);
  if (!withCycles.length) return [];
  const out = [
    '## Cycle model',
    '',
    'Cycles are a model, not a measurement: exact per-address instruction counts and taken/not-taken branch edges from QEMU, priced with per-core rules from the ARM TRMs and the named MCU profile\'s flash timing (harness/cycles, data/mcu-profiles.yaml). ms is at the profile\'s clock. Shares: bignum arithmetic / hashing / the rest, by function (self cycles).',
    '',
    '| board | library | op | profile | cycles | ms | bignum | hash | other | top functions (self cycles) |',
    '|---|---|---|---|---:|---:|---:|---:|---:|---|',
    ...withCycles.map((r) =>
      `| ${r.board} | ${r.library} | ${r.op} | ${r.cycleProfile} | ${r.cycles!.toLocaleString('en-US')} | ${r.ms} | ${r.shares ? pct(r.shares.bignum) : '—'} | ${r.shares ? pct(r.shares.hash) : '—'} | ${r.shares ? pct(r.shares.other) : '—'} | ${(r.topFunctions ?? []).slice(0, 3).map((f) => `${f.name} ${pct(f.share)}`).join(', ')} |`),
    '',
  ];
  const cal = join(calibrationDir, 'calibration.md');
  if (existsSync(cal)) {
    const body = readFileSync(cal, 'utf8').split('\n');
    const table = body.filter((l) => l.startsWith('|'));
    const summary = body.find((l) => /comparable points within/.test(l));
    out.push('### Calibration against published silicon (`certcost calibrate`)', '', ...table, '', ...(summary ? [summary, ''] : []));
  } else {
    out.push('Calibration: run `npx certcost calibrate --out results/calibration` for the published-vs-modeled table.', '');
  }
  return out;
}
