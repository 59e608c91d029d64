// `certcost calibrate`: run the code behind every published figure in
// data/calibration.yaml under the counting plugin in addr mode, estimate
// cycles with the cycle model for the figure's MCU profile, and report
// published vs modeled. Nothing here adjusts the model.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { boards } from '../catalog/boards.js';
import { buildImage } from '../build/firmware.js';
import { Elf } from '../elf/elf.js';
import type { CountEvent } from '../device/counts.js';
import { OPS } from '../ops/index.js';
import { seedBytes } from '../vectors/seed.js';
import { ROOT } from '../core/paths.js';
import { boot } from '../device/qemu.js';
import { estimateCycles } from '../cycles/model.js';
import { mcuProfile } from '../cycles/profiles.js';

const PointSchema = z.strictObject({
  id: z.string(),
  role: z.enum(['calibration', 'validation']),
  comparable: z.boolean().default(true),
  library: z.string(),
  op: z.string(),
  function: z.string().optional(),
  board: z.string(),
  build: z.strictObject({ opt: z.enum(['O1', 'O2', 'O3', 'Os']), cflags: z.array(z.string()).default([]) }),
  profile: z.string(),
  published: z.union([
    z.strictObject({ cycles: z.number().positive(), source: z.string() }),
    z.strictObject({ us: z.number().positive(), mhz: z.number().positive(), source: z.string() }),
  ]),
  caveat: z.string().optional(),
});
const FileSchema = z.strictObject({ points: z.array(PointSchema).min(1) });
export type CalibrationPoint = z.infer<typeof PointSchema>;

export const CALIBRATION_FILE = join(ROOT, 'data', 'calibration.yaml');

export function loadCalibration(file = CALIBRATION_FILE): CalibrationPoint[] {
  return FileSchema.parse(parse(readFileSync(file, 'utf8'))).points;
}

export interface CalibrationRow {
  id: string;
  role: string;
  comparable: boolean;
  what: string; // library op or function
  profile: string;
  published: number;
  modeled: number | null;
  errorPct: number | null;
  instructions: number | null;
  source: string;
  note?: string;
}

const publishedCycles = (p: CalibrationPoint) => ('cycles' in p.published ? p.published.cycles : Math.round(p.published.us * p.published.mhz));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[(xs.length - 1) >> 1]!;

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

export async function calibrate(opts: { vectors?: number; log?: (s: string) => void; points?: CalibrationPoint[] } = {}): Promise<CalibrationRow[]> {
  const log = opts.log ?? (() => {});
  const points = opts.points ?? loadCalibration();
  const images = new Map<string, CalibrationPoint[]>();
  for (const p of points) {
    const key = JSON.stringify([p.board, p.library, p.build.opt, p.build.cflags]);
    images.set(key, [...(images.get(key) ?? []), p]);
  }
  const rows: CalibrationRow[] = [];
  for (const [key, pts] of images) {
    const [board, library, opt, cflags] = JSON.parse(key) as [string, string, string, string[]];
    log(`${board} ${library} -${opt} ${cflags.join(' ')}`);
    let results: Map<string, CountEvent[] | Error>;
    let elf: Elf | undefined;
    try {
      const image = buildImage({ board, library, opt, cflags });
      elf = Elf.read(image.elfPath);
      results = await measure(board, image.elfPath, [...new Set(pts.map((p) => p.op))], opts.vectors ?? 3, log);
    } catch (e) {
      results = new Map(pts.map((p) => [p.op, e as Error]));
    }
    for (const p of pts) {
      const published = publishedCycles(p);
      const row: CalibrationRow = {
        id: p.id, role: p.role, comparable: p.comparable, what: p.function ? `${p.library} ${p.function} (per call)` : `${p.library} ${p.op}`,
        profile: p.profile, published, modeled: null, errorPct: null, instructions: null, source: p.published.source, note: p.caveat,
      };
      const r = results.get(p.op);
      if (!r || r instanceof Error) {
        row.note = `not modeled: ${r?.message ?? 'no measurement'}`;
        rows.push(row);
        continue;
      }
      const mcu = mcuProfile(p.profile);
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
        row.modeled = Math.round(median(per.map((x) => x.cycles)) * 10) / 10;
        row.instructions = Math.round(median(per.map((x) => x.insns)) * 10) / 10;
      } else {
        row.modeled = Math.round(median(r.map((ev) => estimateCycles(ev.profile!, mcu.core, mcu).cycles)));
        row.instructions = median(r.map((ev) => ev.instructions));
      }
      row.errorPct = Math.round(((row.modeled - published) / published) * 1000) / 10;
      rows.push(row);
    }
  }
  return rows;
}

const fmt = (n: number | null) => (n === null ? '—' : n.toLocaleString('en-US'));

export function calibrationTable(rows: CalibrationRow[]): string {
  const head = '| point | role | what | profile | published cycles | modeled cycles | error | instructions |\n|---|---|---|---|---:|---:|---:|---:|';
  const body = rows.map((r) =>
    `| ${r.id} | ${r.role}${r.comparable ? '' : ' (context)'} | ${r.what} | ${r.profile} | ${fmt(r.published)} | ${fmt(r.modeled)} | ${r.errorPct === null ? '—' : `${r.errorPct > 0 ? '+' : ''}${r.errorPct.toFixed(1)} %`} | ${fmt(r.instructions)} |`);
  return [head, ...body].join('\n');
}

export function calibrationSummary(rows: CalibrationRow[]): string {
  const scored = rows.filter((r) => r.comparable && r.errorPct !== null);
  const within = scored.filter((r) => Math.abs(r.errorPct!) <= 10).length;
  const worst = scored.reduce((m, r) => Math.max(m, Math.abs(r.errorPct!)), 0);
  const missing = rows.filter((r) => r.comparable && r.errorPct === null).length;
  return `${within} of ${scored.length} comparable points within ±10 % (worst ${worst.toFixed(1)} %)${missing ? `; ${missing} not modeled` : ''}.`;
}

export function calibrationMarkdown(rows: CalibrationRow[]): string {
  const notes = rows.filter((r) => r.note).map((r) => `- ${r.id}: ${r.note}`);
  const sources = rows.map((r) => `- ${r.id}: ${r.source}`);
  return [
    '# Cycle model calibration',
    '',
    'Published real-hardware cycle counts vs the cycle model (one cost table per core, one memory profile per MCU; not fitted to these points). Error = (modeled − published) / published.',
    '',
    calibrationTable(rows),
    '',
    calibrationSummary(rows),
    '',
    ...(notes.length ? ['Notes:', ...notes, ''] : []),
    'Sources:',
    ...sources,
    '',
  ].join('\n');
}
