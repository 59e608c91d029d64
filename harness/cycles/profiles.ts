// Named MCU profiles (data/mcu-profiles.yaml): core, clock, and what the
// flash costs on top of the core's zero-wait-state timing. The memory
// model is deliberately small:
//
//  - hot code: the flash lines (fetchBytes each) holding the instructions
//    that make up 99 % of the executed ones; it fits the I-cache or not.
//    Miss rate m = 0 if it fits (or the cache size is unknown, an assumption
//    the profile states), else 1 - cache/hot; m = 1 without a cache.
//  - taken branches: the target line is fetched anew: m x waitStates each.
//  - sequential fetch: a prefetch buffer overlaps the next line with
//    execution, so a missing line only stalls for what execution does not
//    hide: max(0, waitStates + 1 - fetchBytes / B), B = bytes executed per
//    core cycle; without prefetch every line waits waitStates.
//  - literal loads (LDR [pc, #]): waitStates each unless flash data reads
//    are cached.
// Loads from flash through a register (constant tables) are not known to
// the model (it sees instruction addresses, not data addresses) and are
// charged like RAM loads: a stated limitation.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { ROOT } from '../core/paths.js';
import type { Insn } from './classify.js';
import { CORE_IDS } from './cores.js';

const fig = <T extends z.ZodTypeAny>(v: T) => z.strictObject({ value: v, source: z.string().min(1), verified: z.boolean().optional() });

const ProfileSchema = z.strictObject({
  description: z.string(),
  core: z.enum(CORE_IDS),
  clockHz: fig(z.number().positive()),
  multiplierCycles: fig(z.union([z.literal(1), z.literal(32)])).optional(),
  flash: z.strictObject({
    waitStates: fig(z.number().int().min(0).nullable()),
    fetchBytes: fig(z.number().int().positive()),
    fetch: fig(z.enum(['none', 'prefetch', 'cache'])),
    icacheBytes: fig(z.number().int().min(0).nullable()),
    dataCached: fig(z.boolean()),
  }),
});
const FileSchema = z.strictObject({
  defaults: z.record(z.string(), z.string()).default({}),
  profiles: z.record(z.string().regex(/^[a-z0-9][a-z0-9-]*$/), ProfileSchema),
});

export interface McuProfile {
  id: string;
  description: string;
  core: (typeof CORE_IDS)[number];
  clockHz: number;
  multiplierCycles: 1 | 32;
  waitStates: number | null;
  fetchBytes: number;
  fetch: 'none' | 'prefetch' | 'cache';
  icacheBytes: number | null;
  dataCached: boolean;
  /** figures the profile could not verify against its source */
  unverified: string[];
}

export const PROFILES_FILE = join(ROOT, 'data', 'mcu-profiles.yaml');
let cache: Map<string, McuProfile> | undefined;
let defaults: Record<string, string> = {};

/** The profile `cycles: { profile: default }` picks for a board, if any. */
export function defaultProfileFor(boardId: string): string | undefined {
  loadProfiles();
  return defaults[boardId];
}

export function loadProfiles(file = PROFILES_FILE): Map<string, McuProfile> {
  if (file === PROFILES_FILE && cache) return cache;
  const raw = FileSchema.parse(parse(readFileSync(file, 'utf8')));
  for (const [b, id] of Object.entries(raw.defaults)) if (!raw.profiles[id]) throw new Error(`${file}: default for ${b} names unknown profile '${id}'`);
  const out = new Map<string, McuProfile>();
  for (const [id, p] of Object.entries(raw.profiles)) {
    const unverified = [
      ['clockHz', p.clockHz], ['multiplierCycles', p.multiplierCycles], ...Object.entries(p.flash).map(([k, v]) => [`flash.${k}`, v] as const),
    ].filter(([, v]) => v && (v as { verified?: boolean }).verified === false).map(([k]) => k as string);
    out.set(id, {
      id, description: p.description, core: p.core, clockHz: p.clockHz.value,
      multiplierCycles: p.multiplierCycles?.value ?? 1,
      waitStates: p.flash.waitStates.value, fetchBytes: p.flash.fetchBytes.value, fetch: p.flash.fetch.value,
      icacheBytes: p.flash.icacheBytes.value, dataCached: p.flash.dataCached.value, unverified,
    });
  }
  if (file === PROFILES_FILE) {
    cache = out;
    defaults = raw.defaults;
  }
  return out;
}

export function mcuProfile(id: string): McuProfile {
  const p = loadProfiles().get(id);
  if (!p) throw new Error(`unknown cycle profile '${id}' (known: ${[...loadProfiles().keys()].join(', ')})`);
  return p;
}

export interface MemoryStats {
  executedBytes: number;
  hotCodeBytes: number;
  icacheMissRate: number;
  literalLoads: number;
  /** assumptions the figure rests on, for the report */
  notes: string[];
}

export interface MemorySite { i: Insn; n: number; taken: number }

export function memoryCycles(sites: MemorySite[], coreCycles: number, p?: McuProfile): { total: number; perAddr: Map<number, number>; stats: MemoryStats } {
  const perAddr = new Map<number, number>();
  const executedBytes = sites.reduce((a, s) => a + s.n * s.i.size, 0);
  const instructions = sites.reduce((a, s) => a + s.n, 0);
  const literalLoads = sites.filter((s) => s.i.literal).reduce((a, s) => a + s.n, 0);
  const line = p?.fetchBytes ?? 4;
  // Hot code: lines of the most executed instructions, up to 99 % of them.
  const lines = new Set<number>();
  let covered = 0;
  for (const s of [...sites].sort((a, b) => b.n - a.n)) {
    if (covered >= 0.99 * instructions) break;
    covered += s.n;
    lines.add(Math.floor(s.i.addr / line));
    lines.add(Math.floor((s.i.addr + s.i.size - 1) / line));
  }
  const hotCodeBytes = lines.size * line;
  const notes: string[] = [];
  const stats: MemoryStats = { executedBytes, hotCodeBytes, icacheMissRate: 0, literalLoads, notes };
  if (!p) return { total: 0, perAddr, stats };

  let ws = p.waitStates;
  if (ws === null) {
    ws = 0;
    notes.push(`${p.id}: flash wait states unknown; charged 0 (cache assumed to hit)`);
  }
  let miss = 1;
  if (p.fetch === 'cache') {
    if (p.icacheBytes === null) {
      miss = 0;
      notes.push(`${p.id}: I-cache size unknown; assumed to hold the ${hotCodeBytes} B of hot code`);
    } else miss = hotCodeBytes <= p.icacheBytes ? 0 : 1 - p.icacheBytes / hotCodeBytes;
  }
  stats.icacheMissRate = miss;
  if (ws === 0) return { total: 0, perAddr, stats };

  const bytesPerCycle = coreCycles > 0 ? executedBytes / coreCycles : 2;
  const seqStallPerLine = p.fetch === 'none' ? ws : Math.max(0, ws + 1 - line / bytesPerCycle);
  let total = 0;
  const add = (a: number, c: number) => {
    if (!c) return;
    perAddr.set(a, (perAddr.get(a) ?? 0) + c);
    total += c;
  };
  for (const s of sites) {
    add(s.i.addr, s.taken * miss * ws); // branch-target line fetch
    add(s.i.addr, ((s.n * s.i.size) / line) * miss * seqStallPerLine); // its share of sequential line fetches
    if (s.i.literal && !p.dataCached) add(s.i.addr, s.n * ws);
  }
  return { total, perAddr, stats };
}
