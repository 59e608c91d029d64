// The cycle model's error band per core, from the validation set of
// `certcost calibrate` (data/calibration.yaml): the smallest and largest
// signed error (modeled - published) / published seen on points the model
// was not chosen on. A modeled figure x with error e stands for silicon at
// x / (1 + e), so the band on silicon is [x / (1 + max), x / (1 + min)].
// `certcost calibrate` rewrites data/cycle-error-bands.json; it is checked
// in with the model it describes.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../core/paths.js';

export interface CoreBand {
  validationPoints: number;
  minErrorPct: number;
  maxErrorPct: number;
  medianAbsErrorPct: number;
  points: string[];
}
export interface ErrorBands {
  generatedAt: string;
  rule: string;
  cores: Record<string, CoreBand>;
  /** validation points the run could not model (their library version not pinned yet, ...) */
  unmodeled?: string[];
}

export const BANDS_FILE = join(ROOT, 'data', 'cycle-error-bands.json');
let cached: ErrorBands | null | undefined;

export function loadBands(file = BANDS_FILE): ErrorBands | null {
  if (file === BANDS_FILE && cached !== undefined) return cached;
  const b = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as ErrorBands) : null;
  if (file === BANDS_FILE) cached = b;
  return b;
}

/** Forget the cached file (after `certcost calibrate` rewrote it). */
export function resetBands(): void {
  cached = undefined;
}

export interface MsBand {
  /** silicon ms the model's validation errors allow: [low, high] */
  msBand: [number, number];
  /** the largest |validation error| of the core, in % (what the sizing report prints as ±) */
  msErrorPct: number;
  /** the validation errors behind it, for the report */
  cycleError: { core: string; minPct: number; maxPct: number; points: number };
}

const r4 = (x: number) => Math.round(x * 1e4) / 1e4;

/** The band for `ms` modeled on `core`, or undefined when no validation point covers that core. */
export function msBand(ms: number, core: string, bands = loadBands()): MsBand | undefined {
  const b = bands?.cores[core];
  if (!b) return undefined;
  // Treat an all-positive (all-negative) set as reaching zero too: the band always holds the model's own figure.
  const lo = Math.min(0, b.minErrorPct) / 100, hi = Math.max(0, b.maxErrorPct) / 100;
  return { msBand: [r4(ms / (1 + hi)), r4(ms / (1 + lo))], msErrorPct: Math.max(Math.abs(b.minErrorPct), Math.abs(b.maxErrorPct)), cycleError: { core, minPct: b.minErrorPct, maxPct: b.maxErrorPct, points: b.validationPoints } };
}
