// Cycle estimate for one measured region, from what the counting plugin
// records in addr mode: how often each instruction address ran, and how
// often control went from the last instruction of one translated block to
// the first of the next (edges). An edge to anything but the fall-through
// address (from + size) is a taken transfer, so taken/not-taken counts are
// exact; so are the adjacent-pair counts the pipeline rules need (an
// instruction falls through to the next one exactly `count - taken` times).
//
// cycles = core cycles (cores.ts, zero wait states)
//        + memory cycles (profiles.ts: flash wait states / caches of an MCU)
import type { Edge, InsnCount } from '../device/counts.js';
import { classify, type Insn } from './classify.js';
import { coreTiming, type CoreOptions, type CoreTiming } from './cores.js';
import { memoryCycles, type McuProfile, type MemoryStats } from './profiles.js';

export interface AddrProfile { insns: InsnCount[]; edges: Edge[] }

export interface CycleEstimate {
  instructions: number;
  cycles: number;
  coreCycles: number;
  memoryCycles: number;
  /** cycles attributed to each instruction address (core + memory) */
  perAddr: Map<number, number>;
  stats: MemoryStats & { takenBranches: number; mispredicts: number; dualIssued: number; unalignedRuns: number };
}

interface Site {
  i: Insn;
  n: number;
  taken: number; // transfers to anything but the fall-through address
  fall: number; // continued to addr + size
  out: Edge[]; // taken edges
  prev?: Site; // the instruction just before in memory, if it ran
  next?: Site; // the instruction just after in memory, if it ran
}

// classify() is pure and its result is only read, so one Insn serves every
// profile that has the same instruction at the same address (each vector of
// an op, every op of an image). Bounded: cleared when it grows too large.
const classified = new Map<string, Insn>();
function classifyOnce(addr: number, size: number, disas: string): Insn {
  const key = `${addr}:${size}:${disas}`;
  let i = classified.get(key);
  if (!i) {
    if (classified.size >= 500_000) classified.clear();
    classified.set(key, (i = classify(addr, size, disas)));
  }
  return i;
}

function sites(p: AddrProfile): Map<number, Site> {
  const map = new Map<number, Site>();
  for (const r of p.insns) map.set(r.addr, { i: classifyOnce(r.addr, r.size, r.disas), n: r.count, taken: 0, fall: r.count, out: [] });
  for (const e of p.edges) {
    const s = map.get(e.from);
    if (!s || e.to === e.from + s.i.size) continue;
    s.taken += e.count;
    s.out.push(e);
  }
  for (const s of map.values()) {
    s.fall = Math.max(0, s.n - s.taken);
    const before = [2, 4].map((d) => map.get(s.i.addr - d)).find((q) => q && q.i.addr + q.i.size === s.i.addr);
    s.prev = before;
    if (before) before.next = s;
  }
  return map;
}

export function estimateCycles(p: AddrProfile, coreId: string, mcu?: McuProfile, opts?: Partial<CoreOptions>): CycleEstimate {
  const core: CoreTiming = coreTiming(coreId);
  const o: CoreOptions = { multiplierCycles: opts?.multiplierCycles ?? mcu?.multiplierCycles ?? 1 };
  const map = sites(p);
  const perAddr = new Map<number, number>();
  const add = (a: number, c: number) => perAddr.set(a, (perAddr.get(a) ?? 0) + c);
  let instructions = 0, takenBranches = 0, mispredicts = 0, dualIssued = 0, unalignedRuns = 0;

  for (const s of map.values()) {
    const { i } = s;
    instructions += s.n;
    // Not taken: a B<c>/CBZ falls through; any other PC writer that did not
    // transfer was an IT-conditional instruction whose condition failed.
    let c = s.fall * (i.writesPc && !i.conditional ? 1 : core.cost(i, false, undefined, o));
    for (const e of s.out) c += e.count * core.cost(i, true, map.get(e.to)?.i, o);
    takenBranches += s.taken;
    // Neighbour effects apply each time `prev` fell through into this one.
    if (s.prev && s.prev.fall > 0) c += s.prev.fall * core.pair(s.prev.i, i);
    add(i.addr, c);
  }

  const order = [...map.values()].sort((a, b) => a.i.addr - b.i.addr);
  if (core.canPair) {
    // Dual issue (M7; the M33's 16-bit pairs): pair each instruction with
    // the one after it when the core's rules allow, greedily in program
    // order; a pair saves a cycle each time the first fell through into
    // the second.
    const younger = new Set<number>();
    for (const s of order) {
      const a = s.prev;
      if (!a || a.fall === 0 || younger.has(a.i.addr) || !core.canPair(a.i, s.i)) continue;
      younger.add(s.i.addr);
      const saved = Math.min(a.fall, s.n);
      dualIssued += saved;
      add(s.i.addr, -saved);
    }
  }
  if (core.mispredictPenalty !== undefined) {
    // Branch prediction (M7): a conditional branch mispredicts about as
    // often as its rarer direction; an indirect one whenever it leaves for
    // a target other than its most frequent (the BTAC keeps one). Direct
    // unconditional branches are predicted.
    for (const s of order) {
      if (!s.i.writesPc) continue;
      let m = 0;
      if (s.i.conditional) m = Math.min(s.taken, s.fall);
      else if (!s.i.direct) m = s.taken - Math.max(0, ...s.out.map((e) => e.count));
      mispredicts += m;
      add(s.i.addr, m * core.mispredictPenalty);
    }
  }
  if (core.unalignedWideRunPenalty) {
    // M3/M4 fetch 32 bits at a time: a run of 32-bit instructions at
    // halfword-aligned addresses drains the prefetch buffer, and a run of
    // three or more costs one extra cycle (four or more when all are
    // stores), measured on an STM32L4 (compendium.i-0.nl, "Alignment
    // rules"). Charged to the run's third (fourth) instruction each time
    // execution came through the run from its start.
    const uw = (x: Site | undefined): x is Site => !!x && x.i.size === 4 && x.i.addr % 4 === 2;
    for (const s of order) {
      if (!uw(s) || uw(s.prev)) continue; // s starts a run
      const run: Site[] = [s];
      for (let n = s.next; uw(n) && run.length < 4; n = n.next) run.push(n);
      const allStores = run.every((x) => x.i.kind === 'store' || x.i.kind === 'strd');
      const k = allStores ? 3 : 2;
      if (run.length <= k) continue;
      let through = Infinity;
      for (let j = 0; j < k; j++) through = Math.min(through, run[j]!.fall);
      through = Math.min(through, run[k]!.n);
      if (through > 0) add(run[k]!.i.addr, through);
      unalignedRuns += through;
    }
  }

  const coreCycles = [...perAddr.values()].reduce((a, b) => a + b, 0);
  const mem = memoryCycles([...map.values()].map((s) => ({ i: s.i, n: s.n, taken: s.taken, out: s.out })), coreCycles, mcu);
  for (const [a, c] of mem.perAddr) add(a, c);
  return {
    instructions,
    cycles: coreCycles + mem.total,
    coreCycles,
    memoryCycles: mem.total,
    perAddr,
    stats: { ...mem.stats, takenBranches, mispredicts, dualIssued, unalignedRuns },
  };
}
