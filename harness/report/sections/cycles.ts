// The cycle model's section: per record the MCU profile, cycles, ms, the
// CPU energy of that ms where the profile has a run current, where the cycles go (bignum, hashing, the rest; top functions by self cycles),
// and the latest calibration table written by `certcost calibrate`.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../../core/paths.js';
import type { ResultRecord } from '../../record/schema.js';
import { section, type Cell, type Section } from '../document.js';
import { libraryLabel } from '../../record/key.js';
import { uj } from './energy.js';

export const CALIBRATION_DIR = join(ROOT, 'results', 'calibration');
const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
const sig = (x: number) => (x >= 100 ? Math.round(x).toLocaleString('en-US') : x.toPrecision(3));

/**
 * A record's modeled ms with the range silicon may show given the model's
 * validation errors for its core, e.g. `12.3 (11.1–13.0)`; the bare ms when
 * no validation point covers the core.
 */
export function msCell(r: Pick<ResultRecord, 'ms' | 'msBand'>): Cell {
  if (r.ms === undefined || r.ms === null) return null;
  return r.msBand ? `${sig(r.ms)} (${sig(r.msBand[0])}–${sig(r.msBand[1])})` : r.ms;
}

export function cyclesSections(records: ResultRecord[], calibrationDir = CALIBRATION_DIR): Section[] {
  const withCycles = records.filter((r) => r.cycles !== undefined);
  if (!withCycles.length) return [];
  const main = section('cycles', 'Cycle model', {
    text: ['Cycles are a model, not a measurement: exact per-address instruction counts and taken/not-taken branch edges from QEMU, priced with per-core rules (Arm TRMs; for the M7 and M33, Arm\'s own pipeline descriptions) and the named MCU profile\'s flash timing (harness/cycles, data/mcu-profiles.yaml). ms is at the profile\'s clock; in brackets the range silicon may show, from the smallest and largest error of the model on published figures it was not chosen on (the validation set of `certcost calibrate`, per core; error band column). CPU µJ: that ms at the profile\'s datasheet run current per MHz, clock and supply (data/mcu-profiles.yaml `power:`; harness/cycles/energy.ts), the core running throughout; empty where the profile has no run-current figure. Shares: bignum arithmetic / hashing / the rest, by function (self cycles).'],
    tables: [{
      columns: [{ label: 'board' }, { label: 'library' }, { label: 'op' }, { label: 'profile' }, { label: 'cycles', numeric: true }, { label: 'ms (silicon range)', numeric: true }, { label: 'CPU µJ', numeric: true }, { label: 'error band' },
        { label: 'bignum', numeric: true }, { label: 'hash', numeric: true }, { label: 'other', numeric: true }, { label: 'top functions (self cycles)' }],
      rows: withCycles.map((r) => [r.board, libraryLabel(r), r.op, r.cycleProfile ?? null, r.cycles!, msCell(r), uj(r.cpuEnergyUj),
        r.cycleError ? `${r.cycleError.minPct > 0 ? '+' : ''}${r.cycleError.minPct.toFixed(1)} … ${r.cycleError.maxPct > 0 ? '+' : ''}${r.cycleError.maxPct.toFixed(1)} % (${r.cycleError.points} validation points, ${r.cycleError.core.replace('cortex-', '')})` : 'no validation point for this core',
        r.shares ? pct(r.shares.bignum) : null, r.shares ? pct(r.shares.hash) : null, r.shares ? pct(r.shares.other) : null,
        (r.topFunctions ?? []).slice(0, 3).map((f) => `${f.name} ${pct(f.share)}`).join(', ')]),
    }],
  });
  const cal = join(calibrationDir, 'calibration.md');
  const calibration = section('calibration', 'Calibration against published silicon (`certcost calibrate`)', { level: 3 });
  if (existsSync(cal)) {
    const body = readFileSync(cal, 'utf8').split('\n');
    const lines = body.filter((l) => l.startsWith('|'));
    const split = (l: string) => l.replace(/^\||\|$/g, '').split(/(?<!\\)\|/).map((c) => c.trim().replace(/\\\|/g, '|'));
    if (lines.length >= 2) {
      const head = split(lines[0]!);
      const align = split(lines[1]!);
      calibration.tables.push({ columns: head.map((label, i) => ({ label, numeric: /^-*:$/.test(align[i] ?? '') })), rows: lines.slice(2).map(split) });
    }
    const summary = body.find((l) => /^fit: .*validation: /.test(l));
    if (summary) calibration.text.push(summary);
  } else calibration.text.push('Run `npx certcost calibrate --out results/calibration` for the published-vs-modeled table.');
  return [main, calibration];
}
