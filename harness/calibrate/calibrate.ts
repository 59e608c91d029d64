// `certcost calibrate`: build the configuration behind every published
// figure in data/calibration.yaml (library@version, optimisation level,
// defines), run its op under the counting plugin in addr mode, estimate
// cycles with the cycle model for the figure's MCU profile, and report
// published vs modeled, fit and validation sets apart, with the error per
// core. Nothing here adjusts the model; the validation errors become the
// error bands records carry (data/cycle-error-bands.json, cycles/bands.ts).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { boards } from '../catalog/boards.js';
import { library } from '../catalog/libraries.js';
import { buildImage } from '../build/firmware.js';
import { Elf } from '../elf/elf.js';
import type { CountEvent } from '../device/counts.js';
import { OPS } from '../ops/index.js';
import { seedBytes } from '../vectors/seed.js';
import { ROOT } from '../core/paths.js';
import { median as lowerMedian } from '../core/stats.js';
import { boot } from '../device/qemu.js';
import { estimateCycles } from '../cycles/model.js';
import { mcuProfile } from '../cycles/profiles.js';
import type { CoreBand, ErrorBands } from '../cycles/bands.js';

const SETS = ['fit', 'validation', 'context'] as const;
export type CalibrationSet = (typeof SETS)[number];

const PublishedSchema = z.union([
  z.strictObject({ cycles: z.number().positive() }),
  z.strictObject({ ms: z.number().positive(), mhz: z.number().positive() }),
  z.strictObject({ us: z.number().positive(), mhz: z.number().positive() }),
]);
const PointSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
  set: z.enum(SETS),
  library: z.string(),
  version: z.strictObject({
    built: z.union([z.string(), z.number()]).transform(String).describe('what certcost builds: LIB_VERSION of an adapter that pins versions'),
    published: z.union([z.string(), z.number()]).transform(String).describe('what the source measured'),
  }),
  build: z.strictObject({
    opt: z.enum(['O0', 'O1', 'O2', 'O3', 'Os']),
    defines: z.array(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*(=.*)?$/)).default([]),
    cflags: z.array(z.string()).default([]),
  }),
  board: z.string(),
  profile: z.string(),
  op: z.string(),
  /** Per-call self cycles of one function instead of the whole op. */
  function: z.string().optional(),
  published: z.intersection(PublishedSchema, z.strictObject({
    source: z.string().min(1),
    conditions: z.string().min(1).describe('clock, cache/ART/flash settings and build as published'),
    boundary: z.string().min(1).describe('what the published timer bracketed, against our op'),
  }).partial({ conditions: true, boundary: true })),
  caveat: z.string().optional(),
});
const FileSchema = z.strictObject({ points: z.array(PointSchema).min(1) });
export type CalibrationPoint = z.infer<typeof PointSchema>;

export const CALIBRATION_FILE = join(ROOT, 'data', 'calibration.yaml');

export function loadCalibration(file = CALIBRATION_FILE): CalibrationPoint[] {
  const raw = parse(readFileSync(file, 'utf8'), { merge: true }) as unknown;
  const points = FileSchema.parse(raw).points;
  const seen = new Set<string>();
  for (const p of points) {
    if (seen.has(p.id)) throw new Error(`${file}: point id '${p.id}' twice`);
    seen.add(p.id);
    const mcu = mcuProfile(p.profile);
    const mhz = 'mhz' in p.published ? p.published.mhz : undefined;
    if (mhz !== undefined && Math.abs(mhz * 1e6 - mcu.clockHz) > 1) throw new Error(`${file}: ${p.id} was published at ${mhz} MHz but profile ${p.profile} runs at ${mcu.clockHz / 1e6} MHz`);
    const board = boards().get(p.board);
    if (!board) throw new Error(`${file}: ${p.id}: unknown board '${p.board}'`);
  }
  return points;
}

export interface CalibrationRow {
  point: string;
  set: CalibrationSet;
  core: string;
  profile: string;
  library: string;
  version: string; // built
  publishedVersion: string;
  what: string; // op, or function per call
  published: number; // cycles
  modeled: number | null;
  errorPct: number | null;
  instructions: number | null;
  source: string;
  note?: string;
}

export const publishedCycles = (p: CalibrationPoint): number =>
  'cycles' in p.published ? p.published.cycles : 'ms' in p.published ? Math.round(p.published.ms * p.published.mhz * 1e3) : Math.round(p.published.us * p.published.mhz);

/** The make arguments a point builds with. */
export function pointBuild(p: CalibrationPoint): { board: string; library: string; libraryVersion?: string; opt: string; cflags: string[] } {
  const lib = library(p.library);
  return {
    board: p.board, library: p.library,
    // An adapter that pins versions builds the named one; one that pins none builds its only version.
    libraryVersion: lib.versions.length ? p.version.built : undefined,
    opt: p.build.opt,
    cflags: [...p.build.defines.map((d) => `-D${d}`), ...p.build.cflags],
  };
}

// The one version an adapter that pins no versions (no LIB_VERSIONS in its
// adapter.mk) builds, as its adapter.mk documents it. Adapters that pin
// versions are checked against their LIB_VERSIONS instead.
export const UNPINNED_VERSIONS: Record<string, string> = {
  mbedtls: '2.28.3',
  wolfssl: '5.5.4',
  'micro-ecc': '1.0 (micro-ecc-sys 0.3.2)',
  'p256-m4': 'p256-cortex-m4-sys 0.1.0',
};

/** Why a point cannot be built in this tree, if it cannot. */
export function unbuildable(p: CalibrationPoint): string | undefined {
  const lib = library(p.library);
  if (!lib.available) return `library '${p.library}' has no adapter in this tree (version ${p.version.built} wanted)`;
  if (lib.versions.length) {
    if (!lib.versions.includes(p.version.built)) return `${p.library}@${p.version.built} is not pinned (pinned: ${lib.versions.join(', ')})`;
    return undefined;
  }
  const only = UNPINNED_VERSIONS[p.library];
  if (only !== p.version.built) return `${p.library} pins no versions and builds ${only ?? 'an undocumented version'}, not ${p.version.built}`;
  return undefined;
}

/** Runs one image's ops in addr mode; returns the count events of the representative vectors, per op. */
async function measure(board: string, elfPath: string, ops: string[], vectors: number, log: (s: string) => void): Promise<Map<string, CountEvent[] | Error>> {
  const out = new Map<string, CountEvent[] | Error>();
  const dev = await boot({ board: boards().get(board)!, elfPath, mode: 'addr' });
  try {
    await dev.op('seed-rng', [seedBytes('certcost', 'device-rng').subarray(0, 16)], 60_000);
    for (const op of ops) {
      const spec = OPS.get(op);
      if (!spec || !dev.ops.has(op)) {
        out.set(op, new Error(`${op} not available in this image`));
        continue;
      }
      const events: CountEvent[] = [];
      try {
        for (const v of spec.vectors('certcost', vectors).filter((v) => v.representative)) {
          const r = await dev.op(op, v.inputs, 600_000);
          const verdict = spec.check(v, r.result);
          if (!verdict.agree) throw new Error(`${op} ${v.id}: device disagrees with the reference: ${verdict.detail}`);
          if (!r.count?.profile) throw new Error(`${op} ${v.id}: no per-address profile recorded`);
          events.push(r.count);
        }
        log(`  ${op}: ${events.length} vectors, ${events.map((e) => e.instructions).join(' / ')} instructions`);
        out.set(op, events);
      } catch (e) {
        out.set(op, e as Error);
      }
    }
  } finally {
    await dev.exit().catch(() => dev.kill());
  }
  return out;
}

const round1 = (x: number) => Math.round(x * 10) / 10;
/** The usual median (mean of the middle two for an even count), for error summaries. */
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

export async function calibrate(opts: { vectors?: number; log?: (s: string) => void; points?: CalibrationPoint[] } = {}): Promise<CalibrationRow[]> {
  const log = opts.log ?? (() => {});
  const points = opts.points ?? loadCalibration();
  const images = new Map<string, CalibrationPoint[]>();
  for (const p of points) {
    const key = JSON.stringify(pointBuild(p));
    images.set(key, [...(images.get(key) ?? []), p]);
  }
  const rows: CalibrationRow[] = [];
  for (const [key, pts] of images) {
    const b = JSON.parse(key) as ReturnType<typeof pointBuild>;
    const why = unbuildable(pts[0]!);
    let results: Map<string, CountEvent[] | Error>;
    let elf: Elf | undefined;
    if (why) results = new Map(pts.map((p) => [p.op, new Error(why)]));
    else {
      log(`${b.board} ${b.library}${b.libraryVersion ? `@${b.libraryVersion}` : ''} -${b.opt} ${b.cflags.join(' ')}`);
      try {
        const image = buildImage(b);
        elf = Elf.read(image.elfPath);
        results = await measure(b.board, image.elfPath, [...new Set(pts.map((p) => p.op))], opts.vectors ?? 3, log);
      } catch (e) {
        results = new Map(pts.map((p) => [p.op, e as Error]));
      }
    }
    for (const p of pts) {
      const mcu = mcuProfile(p.profile);
      const row: CalibrationRow = {
        point: p.id, set: p.set, core: mcu.core, profile: p.profile, library: p.library, version: p.version.built, publishedVersion: p.version.published,
        what: p.function ? `${p.function} (per call)` : p.op,
        published: publishedCycles(p), modeled: null, errorPct: null, instructions: null, source: p.published.source, note: p.caveat,
      };
      const r = results.get(p.op);
      if (!r || r instanceof Error) {
        row.note = `not modeled: ${r?.message ?? 'no measurement'}`;
        rows.push(row);
        continue;
      }
      if (p.function) {
        const sym = elf!.symbol(p.function);
        const entry = sym.value & ~1;
        const end = entry + (sym.size || 1);
        const per = r.map((ev) => {
          const est = estimateCycles(ev.profile!, mcu.core, mcu);
          const calls = ev.profile!.insns.find((i) => i.addr === entry)?.count ?? 0;
          let self = 0, insns = 0;
          for (const [a, c] of est.perAddr) if (a >= entry && a < end) self += c;
          for (const i of ev.profile!.insns) if (i.addr >= entry && i.addr < end) insns += i.count;
          return { cycles: calls ? self / calls : NaN, insns: calls ? insns / calls : NaN };
        });
        row.modeled = round1(lowerMedian(per.map((x) => x.cycles))!);
        row.instructions = round1(lowerMedian(per.map((x) => x.insns))!);
      } else {
        row.modeled = Math.round(lowerMedian(r.map((ev) => estimateCycles(ev.profile!, mcu.core, mcu).cycles))!);
        row.instructions = lowerMedian(r.map((ev) => ev.instructions));
      }
      row.errorPct = round1(((row.modeled - row.published) / row.published) * 100);
      rows.push(row);
    }
  }
  const order = new Map(points.map((p, i) => [p.id, i]));
  return rows.sort((a, b) => order.get(a.point)! - order.get(b.point)!);
}

// ---------------------------------------------------------------------------
// Summaries: per core and set, and the error bands from the validation set.

export interface CoreSummary {
  core: string;
  set: CalibrationSet;
  points: number;
  medianAbsErrorPct: number | null;
  maxAbsErrorPct: number | null;
  minErrorPct: number | null;
  maxErrorPct: number | null;
  within15: number;
}

export function summarize(rows: CalibrationRow[]): CoreSummary[] {
  const out: CoreSummary[] = [];
  const cores = [...new Set(rows.map((r) => r.core))].sort();
  for (const set of ['fit', 'validation'] as const) {
    for (const core of [...cores, 'all']) {
      const errs = rows.filter((r) => r.set === set && (core === 'all' || r.core === core) && r.errorPct !== null).map((r) => r.errorPct!);
      if (!errs.length && core !== 'all') continue;
      const abs = errs.map(Math.abs);
      out.push({
        core, set, points: errs.length,
        medianAbsErrorPct: errs.length ? round1(median(abs)) : null,
        maxAbsErrorPct: errs.length ? Math.max(...abs) : null,
        minErrorPct: errs.length ? Math.min(...errs) : null,
        maxErrorPct: errs.length ? Math.max(...errs) : null,
        within15: abs.filter((e) => e <= 15).length,
      });
    }
  }
  return out;
}

/**
 * Error bands per core from the validation set: the smallest and largest
 * signed error seen there. A record's ms at modeled error e corresponds to
 * silicon at ms / (1 + e), so the band on silicon is
 * [ms / (1 + max), ms / (1 + min)] (cycles/bands.ts).
 */
export function errorBands(rows: CalibrationRow[], generatedAt = new Date().toISOString()): ErrorBands {
  const cores: Record<string, CoreBand> = {};
  for (const s of summarize(rows)) {
    if (s.set !== 'validation' || s.core === 'all' || !s.points) continue;
    cores[s.core] = {
      validationPoints: s.points,
      minErrorPct: s.minErrorPct!, maxErrorPct: s.maxErrorPct!, medianAbsErrorPct: s.medianAbsErrorPct!,
      points: rows.filter((r) => r.set === 'validation' && r.core === s.core && r.errorPct !== null).map((r) => r.point),
    };
  }
  const unmodeled = rows.filter((r) => r.set === 'validation' && r.errorPct === null).map((r) => r.point);
  return { generatedAt, rule: 'per core: the smallest and largest signed (modeled - published) / published of the validation points', cores, ...(unmodeled.length ? { unmodeled } : {}) };
}

// ---------------------------------------------------------------------------
// Rendering.

const fmt = (n: number | null) => (n === null ? '—' : n.toLocaleString('en-US'));
const pct = (x: number | null) => (x === null ? '—' : `${x > 0 ? '+' : ''}${x.toFixed(1)} %`);

const shortVersion = (v: string) => (/^[\w.+-]{1,12}$/.test(v) ? v : 'see source');

export function calibrationTable(rows: CalibrationRow[], set?: CalibrationSet): string {
  const head = '| point | core | MCU profile | library | built | published version | op | published cycles | modeled cycles | error | instructions |\n|---|---|---|---|---|---|---|---:|---:|---:|---:|';
  const body = rows.filter((r) => !set || r.set === set).map((r) =>
    `| ${r.point} | ${r.core.replace('cortex-', '')} | ${r.profile} | ${r.library} | ${r.version} | ${r.publishedVersion === r.version ? 'same' : shortVersion(r.publishedVersion)} | ${r.what} | ${fmt(r.published)} | ${fmt(r.modeled)} | ${pct(r.errorPct)} | ${fmt(r.instructions)} |`);
  return [head, ...body].join('\n');
}

export function coreTable(rows: CalibrationRow[]): string {
  const head = '| core | set | points | median \\|error\\| | max \\|error\\| | error range | within ±15 % |\n|---|---|---:|---:|---:|---|---:|';
  const body = summarize(rows).map((s) => `| ${s.core.replace('cortex-', '')} | ${s.set} | ${s.points} | ${pct(s.medianAbsErrorPct).replace('+', '')} | ${pct(s.maxAbsErrorPct).replace('+', '')} | ${s.minErrorPct === null ? '—' : `${pct(s.minErrorPct)} … ${pct(s.maxErrorPct)}`} | ${s.within15} of ${s.points} |`);
  return [head, ...body].join('\n');
}

export function calibrationSummary(rows: CalibrationRow[]): string {
  const parts: string[] = [];
  for (const set of ['fit', 'validation'] as const) {
    const s = summarize(rows).find((x) => x.set === set && x.core === 'all')!;
    parts.push(s.points ? `${set}: ${s.within15} of ${s.points} points within ±15 %, median |error| ${s.medianAbsErrorPct!.toFixed(1)} %, worst ${s.maxAbsErrorPct!.toFixed(1)} %` : `${set}: no points modeled`);
  }
  const missing = rows.filter((r) => r.set !== 'context' && r.modeled === null).length;
  return `${parts.join('; ')}${missing ? `; ${missing} scored points not modeled` : ''}.`;
}

export function calibrationMarkdown(rows: CalibrationRow[]): string {
  const notes = rows.filter((r) => r.note).map((r) => `- ${r.point}: ${r.note}`);
  const sources = rows.map((r) => `- ${r.point}: ${r.source}`);
  const section = (set: CalibrationSet, title: string) => rows.some((r) => r.set === set) ? [`## ${title}`, '', calibrationTable(rows, set), ''] : [];
  return [
    '# Cycle model calibration',
    '',
    'Published silicon figures vs the cycle model (one rule set per core, one memory profile per MCU; data/calibration.yaml says what each figure measured and how it is rebuilt). Error = (modeled − published) / published. The model\'s few global choices were made on the fit set only; the validation set gives the error bands records carry; context points are not scored.',
    '',
    calibrationSummary(rows),
    '',
    '## Per core',
    '',
    coreTable(rows),
    '',
    ...section('fit', 'Fit set'),
    ...section('validation', 'Validation set'),
    ...section('context', 'Context (not scored)'),
    ...(notes.length ? ['Notes:', ...notes, ''] : []),
    'Sources:',
    ...sources,
    '',
  ].join('\n');
}

/** The machine-readable table (`certcost calibrate --json`). */
export function calibrationJson(rows: CalibrationRow[]) {
  return {
    rows: rows.map((r) => ({ point: r.point, core: r.core, profile: r.profile, library: r.library, version: r.version, publishedVersion: r.publishedVersion, op: r.what, published: r.published, modeled: r.modeled, errorPct: r.errorPct, set: r.set, instructions: r.instructions, source: r.source, ...(r.note ? { note: r.note } : {}) })),
    perCore: summarize(rows),
  };
}
