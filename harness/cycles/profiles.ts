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
    /** With fetch: cache, whether the sequential prefetch is on too (default: on). */
    prefetch: fig(z.boolean()).optional(),
    icacheBytes: fig(z.number().int().min(0).nullable()),
    dataCached: fig(z.boolean()),
  }),
  /** Where the measured code runs from: flash (through the fetch path above) or zero-wait-state RAM (TCM/SRAM). */
  codeIn: fig(z.enum(['flash', 'ram'])).optional(),
  /**
   * Active run current per MHz (code from flash with this profile's cache and
   * prefetch settings) as the vendor's datasheet or product brief gives it,
   * and the supply it is for: the CPU energy of an op (energy.ts). Absent
   * when no trustworthy figure was found; the op then has no energy.
   */
  power: z.strictObject({
    runUaPerMhz: fig(z.number().positive()),
    supplyVolts: fig(z.number().positive()),
  }).optional(),
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
  /** sequential prefetch on (always for fetch: prefetch; optional with a cache) */
  prefetch: boolean;
  icacheBytes: number | null;
  codeIn: 'flash' | 'ram';
  dataCached: boolean;
  /** Run current per MHz and its supply, when the profile has them (energy.ts). */
  power?: { runUaPerMhz: number; supplyVolts: number };
  /** figures the profile could not verify against its source */
  unverified: string[];
  /** Brought by a scenario (registerProfiles), not data/mcu-profiles.yaml. */
  user?: boolean;
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
  for (const [id, p] of Object.entries(raw.profiles)) out.set(id, toProfile(id, p));
  if (file === PROFILES_FILE) {
    cache = out;
    defaults = raw.defaults;
  }
  return out;
}

function toProfile(id: string, p: z.infer<typeof ProfileSchema>): McuProfile {
  const unverified = [
    ['clockHz', p.clockHz], ['multiplierCycles', p.multiplierCycles], ['codeIn', p.codeIn], ...Object.entries(p.flash).map(([k, v]) => [`flash.${k}`, v] as const),
    ...Object.entries(p.power ?? {}).map(([k, v]) => [`power.${k}`, v] as const),
  ].filter(([, v]) => v && (v as { verified?: boolean }).verified === false).map(([k]) => k as string);
  return {
    id, description: p.description, core: p.core, clockHz: p.clockHz.value,
    multiplierCycles: p.multiplierCycles?.value ?? 1,
    waitStates: p.flash.waitStates.value, fetchBytes: p.flash.fetchBytes.value, fetch: p.flash.fetch.value,
    prefetch: p.flash.fetch.value === 'prefetch' || (p.flash.fetch.value === 'cache' && (p.flash.prefetch?.value ?? true)),
    icacheBytes: p.flash.icacheBytes.value, dataCached: p.flash.dataCached.value, codeIn: p.codeIn?.value ?? 'flash',
    ...(p.power ? { power: { runUaPerMhz: p.power.runUaPerMhz.value, supplyVolts: p.power.supplyVolts.value } } : {}),
    unverified,
  };
}

/**
 * MCU profiles of the user's (a scenario's `cycles.profiles`, or a file in
 * the format of data/mcu-profiles.yaml), added beside the built-in ones for
 * this process; `defaults` may name one per board (a user's board file).
 * Returns the problems, each with its path, instead of throwing.
 */
export function registerProfiles(raw: { profiles?: unknown; defaults?: unknown }): { path: (string | number)[]; message: string }[] {
  const builtIn = [...loadProfiles().values()].filter((p) => !p.user).map((p) => p.id);
  const taken = Object.keys(raw.profiles && typeof raw.profiles === 'object' ? raw.profiles : {}).filter((id) => builtIn.includes(id));
  if (taken.length) return taken.map((id) => ({ path: ['profiles', id], message: `'${id}' is a built-in profile; give yours another name` }));
  const parsed = FileSchema.safeParse({ profiles: raw.profiles ?? {}, defaults: raw.defaults ?? {} });
  if (!parsed.success) return parsed.error.issues.map((i) => ({ path: i.path as (string | number)[], message: i.message }));
  const all = loadProfiles();
  const issues: { path: (string | number)[]; message: string }[] = [];
  for (const [id, p] of Object.entries(parsed.data.profiles)) {
    all.set(id, { ...toProfile(id, p), user: true });
  }
  for (const [board, id] of Object.entries(parsed.data.defaults)) {
    if (!all.has(id)) issues.push({ path: ['defaults', board], message: `unknown profile '${id}'` });
    else defaults[board] = id;
  }
  return issues;
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

export interface MemorySite { i: Insn; n: number; taken: number; out?: { to: number; count: number }[] }

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
  if (p.codeIn === 'ram') {
    notes.push(`${p.id}: code runs from zero-wait-state RAM`);
    return { total: 0, perAddr, stats };
  }

  let ws = p.waitStates;
  if (ws === null) {
    ws = 0;
    notes.push(`${p.id}: flash wait states unknown; charged 0 (cache assumed to hit)`);
  }
  // Miss rate of the instruction cache. Hot code that fits: no misses.
  // Hot code that does not fit is loop code cycling through more lines than
  // the cache holds, which an LRU-like cache keeps evicting before reuse:
  // every line misses (chosen over the "random" estimate 1 - cache/hot on
  // the fit set, README.md "Memory").
  let miss = 1;
  if (p.fetch === 'cache') {
    if (p.icacheBytes === null) {
      miss = 0;
      notes.push(`${p.id}: I-cache size unknown; assumed to hold the ${hotCodeBytes} B of hot code`);
    } else miss = hotCodeBytes <= p.icacheBytes ? 0 : 1;
  }
  stats.icacheMissRate = miss;
  if (ws === 0) return { total: 0, perAddr, stats };

  // B: bytes of code the core executes per cycle. A flash line takes
  // ws + 1 cycles to read. A taken branch discards what was prefetched: its
  // target line is read on demand and waits ws (the core's own refill
  // covers one cycle). Crossing into a new line sequentially: with prefetch
  // that line was requested when the previous one arrived, so it stalls
  // only for what executing the previous line did not hide, ws + 1 - (bytes
  // executed in it) / B, where a line entered by a branch at offset o had
  // only line - o bytes to run; without prefetch every new line waits ws.
  const bytesPerCycle = coreCycles > 0 ? executedBytes / coreCycles : 2;
  const byAddr = new Map(sites.map((s) => [s.i.addr, s]));
  const lineOf = (a: number) => Math.floor(a / line);
  const entries = new Map<number, { offset: number; count: number }[]>(); // line -> branch entries into it
  for (const s of sites) for (const e of s.out ?? []) {
    const l = lineOf(e.to);
    entries.set(l, [...(entries.get(l) ?? []), { offset: e.to - l * line, count: e.count }]);
  }
  const hide = (bytes: number) => Math.max(0, ws! + 1 - bytes / bytesPerCycle);
  let total = 0;
  const add = (a: number, c: number) => {
    if (!c) return;
    perAddr.set(a, (perAddr.get(a) ?? 0) + c);
    total += c;
  };
  for (const s of sites) {
    if (s.i.literal && !p.dataCached) add(s.i.addr, s.n * ws);
    for (const e of s.out ?? [{ to: NaN, count: s.taken }]) add(s.i.addr, e.count * miss * ws); // branch-target line on demand
    // Does this instruction need a line the instruction before it did not?
    const need = lineOf(s.i.addr + s.i.size - 1);
    if (need === lineOf(s.i.addr - 1)) continue;
    const prev = byAddr.get(s.i.addr - 2) ?? byAddr.get(s.i.addr - 4);
    const arrivals = prev && prev.i.addr + prev.i.size === s.i.addr ? Math.max(0, prev.n - prev.taken) : 0;
    if (!arrivals) continue;
    if (!p.prefetch) {
      add(s.i.addr, arrivals * miss * ws);
      continue;
    }
    const into = entries.get(need - 1) ?? [];
    const entered = into.reduce((a, e) => a + e.count, 0);
    const viaBranch = Math.min(arrivals, entered);
    let c = (arrivals - viaBranch) * hide(line);
    for (const e of into) c += (e.count / entered) * viaBranch * hide(line - e.offset);
    add(s.i.addr, c * miss);
  }
  return { total, perAddr, stats };
}
