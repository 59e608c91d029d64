// What the cycle model adds to a result record: cycles and ms for the
// record's MCU profile (median over the same vectors as the instruction
// figure), the ms range silicon may show given the model's validation
// errors for that core (bands.ts), and the function profile of the median
// vector; and, when the profile has a run current, the CPU energy of that
// ms (energy.ts).
import type { Elf } from '../elf/elf.js';
import type { CountEvent } from '../device/counts.js';
import { functionProfile } from './functions.js';
import { estimateCycles } from './model.js';
import type { McuProfile } from './profiles.js';
import { msBand, type MsBand } from './bands.js';
import { cpuEnergyUj } from './energy.js';

export interface CycleFields extends Partial<MsBand> {
  cycles: number;
  ms: number;
  cycleProfile: string;
  /** µJ the core draws for `ms` at the profile's run current (absent without one). */
  cpuEnergyUj?: number;
  topFunctions: { name: string; cycles: number; share: number }[];
  shares: { bignum: number; hash: number; other: number };
}

/**
 * Cycle figures of one op: the median over `events` (the same vectors the
 * instruction median uses), and the function profile of the median vector.
 */
export function cycleFields(events: CountEvent[], p: McuProfile, elf: Elf): CycleFields | undefined {
  const est = events.filter((e) => e.profile).map((e) => estimateCycles(e.profile!, p.core, p));
  if (!est.length) return undefined;
  const sorted = [...est].sort((a, b) => a.cycles - b.cycles);
  const mid = sorted[(sorted.length - 1) >> 1]!;
  const fp = functionProfile(mid.perAddr, elf, 10);
  const cycles = Math.round(mid.cycles);
  const ms = Math.round((cycles / p.clockHz) * 1e3 * 1e4) / 1e4;
  const energy = cpuEnergyUj(ms, p);
  return {
    cycles,
    ms,
    // The model's error band for this core, from the calibration's validation set.
    ...msBand(ms, p.core),
    cycleProfile: p.id,
    ...(energy === undefined ? {} : { cpuEnergyUj: energy }),
    topFunctions: fp.top.map(({ name, cycles, share }) => ({ name, cycles, share })),
    shares: fp.shares,
  };
}
