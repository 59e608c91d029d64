// Cycle cost rules per Cortex-M core, zero-wait-state memory (what the
// Technical Reference Manuals tabulate). Flash wait states and caches are
// the MCU profile's business (profiles.ts), not the core's.
//
// Each core gives
//   cost(i, taken, target): cycles of one execution of `i`, including the
//                           pipeline refill when it transferred control;
//   pair(prev, cur):        cycles added to `cur` (negative: removed) when
//                           it directly follows `prev` in program order.
// The sources, per rule, are cited next to it. Where a TRM gives a range
// that depends on data we cannot see, the choice is stated.
import type { Insn } from './classify.js';

export const CORE_IDS = ['cortex-m0', 'cortex-m0plus', 'cortex-m3', 'cortex-m4', 'cortex-m7', 'cortex-m33'] as const;
export type CoreId = (typeof CORE_IDS)[number];

export interface CoreOptions {
  /** MULS latency on ARMv6-M: 1 (fast multiplier) or 32 (small multiplier), an implementation option. */
  multiplierCycles: 1 | 32;
}

export interface CoreTiming {
  id: CoreId;
  name: string;
  /** Where the rules come from, and how far they are validated. */
  source: string;
  /** Dual issue (M7, and the M33's limited pairs) is a separate pass in model.ts: may `b` issue with `a`, the instruction just before it? */
  canPair?(a: Insn, b: Insn): boolean;
  /** Dynamic branch prediction (M7): model.ts charges this per mispredicted branch instead of a refill per taken one. */
  mispredictPenalty?: number;
  /**
   * 32-bit fetch of M3/M4: a run of three or more 32-bit instructions at
   * halfword-aligned (not word-aligned) addresses costs one extra cycle
   * (four or more for a run of stores). model.ts applies it.
   */
  unalignedWideRunPenalty?: boolean;
  cost(i: Insn, taken: boolean, target: Insn | undefined, o: CoreOptions): number;
  pair(prev: Insn, cur: Insn): number;
}

const isDataProcessing = (i: Insn) => i.kind === 'alu' || i.kind === 'shift' || i.kind === 'mul' || i.kind === 'mla' || i.kind === 'mull' || i.kind === 'mlal' || i.kind === 'div';
const makesAddress = (i: Insn) => ['load', 'store', 'ldrd', 'strd', 'ldm', 'stm', 'tbb', 'fpload', 'fpmulti'].includes(i.kind);
const overlaps = (a: number[], b: number[]) => a.some((r) => b.includes(r));

// ---------------------------------------------------------------------------
// ARMv6-M: Cortex-M0 (ARM DDI 0432C, Cortex-M0 TRM r0p0, §3.3 "Instruction
// set summary", Table 3-1) and Cortex-M0+ (ARM DDI 0484C, Cortex-M0+ TRM
// r0p1, §3.3, Table 3-1). Neither core overlaps neighbouring instructions,
// so there are no pair rules.
interface V6Table {
  pcWrite: number; // MOV/ADD with PC as destination
  branchTaken: number; // B, B<c> taken, BX, BLX
  bl: number;
  popPcExtra: number; // POP {..., pc}: N + this
  sysreg: number; // MRS, MSR
  barrier: number; // DMB, DSB, ISB
}

function v6m(id: CoreId, name: string, source: string, t: V6Table): CoreTiming {
  return {
    id, name, source,
    cost(i, taken, _target, o) {
      switch (i.kind) {
        case 'branch':
          if (i.mnemonic === 'bl') return t.bl;
          return taken ? t.branchTaken : 1; // B<c> not taken: 1
        case 'mul':
          return o.multiplierCycles; // MULS: "1 or 32" (Table 3-1, implementation option)
        case 'load':
        case 'store':
          return 2; // LDR*/STR* all forms, incl. literal: 2
        case 'ldm':
          return i.writesPc ? t.popPcExtra + i.regCount : 1 + i.regCount; // LDM/POP: 1+N
        case 'stm':
          return 1 + i.regCount; // STM/PUSH: 1+N
        case 'sysreg':
          return i.mnemonic.startsWith('cps') ? 1 : t.sysreg;
        case 'barrier':
          return t.barrier;
        default:
          return i.writesPc ? t.pcWrite : 1; // data processing, extend, reverse, NOP: 1
      }
    },
    pair: () => 0,
  };
}

// Cortex-M0: three-stage pipeline; a taken branch refills two stages.
// Table 3-1: B<c> 1 or 3, B 3, BL 4, BX 3, BLX 3, POP {pc} 4+N,
// MOV/ADD to PC 3, MRS/MSR 4, DMB/DSB/ISB 4.
const M0 = v6m('cortex-m0', 'Cortex-M0', 'ARM DDI 0432C (Cortex-M0 TRM) §3.3 Table 3-1', { pcWrite: 3, branchTaken: 3, bl: 4, popPcExtra: 4, sysreg: 4, barrier: 4 });

// Cortex-M0+: two-stage pipeline, one cycle less per refill.
// Table 3-1: B<c> 1 or 2, B 2, BL 3, BX 2, BLX 2, POP {pc} 3+N,
// MOV/ADD to PC 2, MRS/MSR 3, DMB/DSB/ISB 3. Loads are "2 or 1": 1 only
// for the single-cycle I/O port, which crypto code does not touch.
const M0PLUS = v6m('cortex-m0plus', 'Cortex-M0+', 'ARM DDI 0484C (Cortex-M0+ TRM) §3.3 Table 3-1', { pcWrite: 2, branchTaken: 2, bl: 3, popPcExtra: 3, sysreg: 3, barrier: 3 });

// ---------------------------------------------------------------------------
// ARMv7-M / ARMv8-M Mainline, three-stage pipeline with a load/store
// pipeline: Cortex-M3 (ARM DDI 0337I, M3 TRM r2p1, §3.3 Table 3-1 and
// §3.3.1 "Load/store timings") and Cortex-M4 (ARM DDI 0439B, M4 TRM r0p1,
// §3.3.1 Table 3-1, §3.3.2 "Load/store timings"; FPU: §7.2.3 Table 7-1).
//
// P, the pipeline refill after a taken branch, "ranges from 1 to 3
// depending on the alignment and width of the target instruction, and
// whether the processor manages to speculate the address early" (Table 3-1
// note). Rule used: P = 1 when the target is encoded in the branch (the
// core fetches it speculatively at decode: B, BL, B<c>, CBZ/CBNZ), 2 when
// it comes from a register or memory (BX, BLX Rm, POP/LDM/LDR pc, MOV/ADD
// pc, TBB/TBH), +1 when the target is a 32-bit instruction at a
// halfword-aligned address (two fetches). The +1 for a wide unaligned
// target matches measurements on an STM32L4 (M4): taken branch 2 cycles,
// 3 to an unaligned wide target (compendium.i-0.nl "Branch timing").
function refill(i: Insn, target: Insn | undefined): number {
  const unalignedWide = target !== undefined && target.size === 4 && target.addr % 4 === 2 ? 1 : 0;
  return (i.direct ? 1 : 2) + unalignedWide;
}

interface V7Table {
  mla: number; // MLA, MLS (32-bit accumulate)
  mull: number; // UMULL, SMULL
  umlal: number; // UMLAL, UMAAL
  smlal: number; // SMLAL and signed long DSP accumulates
  div: number; // SDIV, UDIV
}

function v7m(id: CoreId, name: string, source: string, t: V7Table): CoreTiming {
  return {
    id, name, source, unalignedWideRunPenalty: true,
    cost(i, taken, target) {
      const P = () => refill(i, target);
      switch (i.kind) {
        case 'branch':
          return 1 + (taken ? P() : 0); // B/BL/BX/BLX 1+P; B<c>, CBZ/CBNZ 1 or 1+P
        case 'tbb':
          return 2 + P(); // TBB/TBH 2+P
        case 'it':
          return 1; // folded to 0 after a 16-bit instruction (pair rule)
        case 'mul':
          return 1; // MUL 1; SMULxy/SMULWy/SMMUL/SMUAD 1 (M4)
        case 'mla':
          return t.mla;
        case 'mull':
          return t.mull;
        case 'mlal':
          return i.mnemonic.startsWith('s') ? t.smlal : t.umlal;
        case 'div':
          return t.div;
        case 'load':
          // LDR 2; LDR PC,[any] "at least two cycles for the load" + refill.
          return i.writesPc ? 2 + (taken ? P() : 0) : 2;
        case 'store':
          // "STR Rx,[Ry,#imm] is always one cycle" (address phase only; the
          // data phase overlaps the next instruction); register offset: 2.
          return i.registerOffset ? 2 : 1;
        case 'ldrd':
        case 'strd':
          return 3; // 1+N with N = 2; not pipelined with neighbours
        case 'ldm':
          return 1 + i.regCount + (i.writesPc && taken ? P() : 0); // LDM/POP 1+N, with PC 1+N+P
        case 'stm':
          return 1 + i.regCount; // STM/PUSH 1+N
        case 'fp':
          return i.fpTwoRegs ? 2 : 1; // VMOV two core regs 2; VMOV/VADD/VMUL/VCVT... 1
        case 'fpmac':
          return 3; // VMLA/VFMA... 3
        case 'fpdiv':
          return 14; // VDIV, VSQRT 14
        case 'fpload':
          return 2; // VLDR/VSTR 2
        case 'fpmulti':
          return 1 + i.regCount; // VLDM/VSTM/VPUSH/VPOP 1+N
        case 'barrier':
          return 3; // DMB/DSB 1+B (B >= 0), ISB 1+P: rare in measured code
        default:
          return i.writesPc ? 1 + (taken ? P() : 0) : 1; // ADD/MOV to PC 1+P; everything else 1
      }
    },
    pair(prev, cur) {
      let d = 0;
      // IT "can be folded onto a preceding 16-bit instruction" (zero cycles).
      if (cur.kind === 'it' && prev.size === 2 && !prev.writesPc) d -= 1;
      // "LDR [any] are pipelined when possible": when the next instruction is
      // an LDR or STR whose address does not use the first LDR's result, one
      // cycle is removed from it. Base-update loads are "not normally
      // pipelined"; LDRD/STRD and multiples are not pipelined.
      if (prev.kind === 'load' && !prev.writeback && !prev.writesPc && !overlaps(prev.writes, cur.addrRegs)) {
        if (cur.kind === 'load' && !cur.writeback && !cur.writesPc) d -= 1;
        if (cur.kind === 'store' && cur.registerOffset) d -= 1; // STR imm is already 1
      }
      // "Any load or store that generates an address dependent on the result
      // of a preceding data processing operation will stall the pipeline for
      // an additional cycle" (no forwarding to the address generator).
      if (isDataProcessing(prev) && makesAddress(cur) && overlaps(prev.writes, cur.addrRegs)) d += 1;
      return d;
    },
  };
}

// Cortex-M3: MUL 1, MLA/MLS 2; 64-bit multiplies terminate early on small
// operands: UMULL/SMULL 3-5, UMLAL 4-6, SMLAL 5-7 (signed MLAL "one cycle
// longer"). Bignum limbs are full-width random words, so early termination
// does not happen: the worst case is the typical case here. No UMAAL
// (ARMv7-M has no DSP extension). SDIV/UDIV 2-12, data dependent: we use
// the worst case, 12, so the figure is an upper bound for divide-heavy code.
const M3 = v7m('cortex-m3', 'Cortex-M3', 'ARM DDI 0337I (Cortex-M3 TRM r2p1) §3.3 Table 3-1, §3.3.1', { mla: 2, mull: 5, umlal: 6, smlal: 7, div: 12 });

// Cortex-M4: single-cycle 32x32 MAC: MUL, MLA, MLS, UMULL, SMULL, UMLAL,
// SMLAL, UMAAL and the DSP multiplies all 1. SDIV/UDIV 2-12: worst case 12.
const M4 = v7m('cortex-m4', 'Cortex-M4', 'ARM DDI 0439B (Cortex-M4 TRM r0p1) §3.3 Table 3-1, §3.3.2; FPU §7.2.3 Table 7-1', { mla: 1, mull: 1, umlal: 1, smlal: 1, div: 12 });

// Cortex-M33 (ARMv8-M Mainline). Arm publishes no instruction timing table
// for it (the M33 TRM, Arm 100230, has none), and it is NOT an M4: Arm
// describes a new three-stage pipeline. What the rules rest on (details and
// sources in README.md, "Cortex-M33"):
//  - loads and stores: the address is generated in the second (decode /
//    execute) stage, so a single LDR/STR issues in one cycle instead of the
//    M4's two; the loaded value is ready for the instruction after next
//    (one stall cycle when the very next instruction uses it);
//  - limited dual issue: two adjacent 16-bit instructions (or a 16-bit
//    instruction and a branch) can issue together; we pair two 16-bit
//    data-processing instructions (or one and a following branch) that sit
//    in one fetched 32-bit word and do not depend on each other (registers
//    or flags); loads, stores, multiplies and multiples never pair;
//  - single-cycle 32x32 multiply and MAC (incl. UMULL/UMLAL/UMAAL), like
//    the M4; SDIV/UDIV 2-12: worst case 12;
//  - taken branches, LDM/STM/PUSH/POP and the ALU-result-to-address stall
//    as on the M4 (no evidence of a difference); no branch predictor (LLVM
//    gives cortex-m33 FeatureHasNoBranchPredictor).
// Silicon checks: see data/calibration.yaml (the M33 points are few and
// version-gapped; the band in data/cycle-error-bands.json says how far).
const m33Base = v7m('cortex-m33', 'Cortex-M33', '', { mla: 1, mull: 1, umlal: 1, smlal: 1, div: 12 });
const m33Pairable = (i: Insn) => i.size === 2 && (i.kind === 'alu' || i.kind === 'shift') && !i.writesPc;
const M33: CoreTiming = {
  id: 'cortex-m33',
  name: 'Cortex-M33',
  source: 'No Arm timing table; Arm\'s pipeline description (three stages, address generation in stage 2, limited dual issue of 16-bit pairs), M4 table otherwise',
  canPair(a, b) {
    if (!m33Pairable(a) || a.addr % 4 !== 0) return false; // both halves of one fetched word
    if (!(m33Pairable(b) || (b.kind === 'branch' && b.size === 2))) return false;
    if (overlaps(a.writes, b.reads) || overlaps(a.writes, b.writes)) return false;
    return !(a.setsFlags && b.readsFlags);
  },
  cost(i, taken, target, o) {
    switch (i.kind) {
      case 'load':
        return i.writesPc ? m33Base.cost(i, taken, target, o) : 1;
      case 'store':
        return 1;
      case 'ldrd':
      case 'strd':
        return 2; // two data beats on the 32-bit bus
      default:
        return m33Base.cost(i, taken, target, o);
    }
  },
  pair(prev, cur) {
    let d = 0;
    if (cur.kind === 'it' && prev.size === 2 && !prev.writesPc) d -= 1; // IT folding, as on the M4
    if ((prev.kind === 'load' || prev.kind === 'ldrd') && !prev.writesPc && overlaps(prev.writes, cur.reads)) d += 1; // load-use
    if (isDataProcessing(prev) && makesAddress(cur) && overlaps(prev.writes, cur.addrRegs)) d += 1; // no forwarding to address generation
    return d;
  },
};

// ---------------------------------------------------------------------------
// Cortex-M7: six-stage, dual-issue, in order, with branch prediction. ARM
// publishes no cycle table (the M7 TRM, ARM DDI 0489, has none). Rules
// from the scheduling model Arm contributed to LLVM (ARMScheduleM7.td):
// issue width 2; two ALUs, two load pipes, one store pipe, one MAC, one
// branch unit, one shifter for shifted operands in EX1; load-use latency
// 2; MAC latency 2 with the accumulator read one stage late; LDM/STM,
// PUSH/POP, LDRD/STRD, LDREX/STREX, divides, MRS/MSR/barriers single-issue;
// CLZ, BFI/BFC and DSP/SIMD (incl. SXT/UXT, REV, UBFX) only in the older
// slot; divide latency 7; mispredict penalty 4 ("forward branches 6, but 4
// works better"). Per-instruction costs here; pairing, load-use stalls and
// mispredictions are applied by model.ts (dualIssue).
export const M7_RULES = {
  mispredictPenalty: 4,
  loadUseStall: 1,
  macUseStall: 1,
  divide: 7,
};

const m7SingleIssue = (i: Insn) =>
  ['ldm', 'stm', 'ldrd', 'strd', 'div', 'tbb', 'barrier', 'sysreg', 'nop', 'fpdiv', 'fpmulti'].includes(i.kind) || i.mnemonic.startsWith('ldrex') || i.mnemonic.startsWith('strex');
const m7OlderSlotOnly = (i: Insn) => /^(clz|bfi|bfc|rbit|rev|rev16|revsh|[su]xt[ab]?[bh]?|[su]bfx|pkh(bt|tb)|u?q(add|sub|asx|sax)|[su]h?(add|sub)(8|16)|sel|usada?8|[su]sat(16)?)/.test(i.mnemonic) && i.kind === 'alu';
const m7UsesMac = (i: Insn) => i.kind === 'mul' || i.kind === 'mla' || i.kind === 'mull' || i.kind === 'mlal';

/** Can `b` issue in the same cycle as the instruction `a` just before it? */
export function m7CanPair(a: Insn, b: Insn): boolean {
  if (m7SingleIssue(a) || m7SingleIssue(b)) return false;
  if (a.writesPc || a.kind === 'it') return false; // nothing issues with a branch's successor; IT conditions the next
  if (m7OlderSlotOnly(b)) return false;
  if (overlaps(a.writes, b.reads) || overlaps(a.writes, b.writes)) return false;
  if (a.setsFlags && b.readsFlags) return false; // carry chains: the flags are a dependence too (LLVM: implicit CPSR def and use)
  const both = (f: (i: Insn) => boolean) => f(a) && f(b);
  if (both((i) => i.kind === 'store' || i.kind === 'fpload' && i.mnemonic.startsWith('vstr'))) return false; // one store pipe
  if (both(m7UsesMac)) return false; // one MAC
  if (both((i) => i.shiftedOperand)) return false; // one EX1 shifter
  if (both((i) => i.kind.startsWith('fp'))) return false; // one VFP pipe
  if (both((i) => i.kind === 'branch')) return false;
  return true;
}

const M7: CoreTiming = {
  id: 'cortex-m7',
  name: 'Cortex-M7',
  source: 'No ARM timing table; rules from Arm\'s LLVM scheduling model ARMScheduleM7.td (dual issue, latencies, single-issue classes)',
  canPair: m7CanPair,
  mispredictPenalty: M7_RULES.mispredictPenalty,
  cost(i) {
    switch (i.kind) {
      case 'div':
        return M7_RULES.divide;
      case 'ldm':
      case 'stm':
      case 'fpmulti':
        // 64-bit load/store path (two registers per beat); single-issue.
        return Math.max(1, Math.ceil(i.regCount / 2));
      case 'fpdiv':
        return 14;
      case 'tbb':
        return 2; // "takes two cycles to issue"
      case 'barrier':
      case 'sysreg':
        return 3; // M7NonGeneralPurpose latency 3, single issue
      default:
        return 1; // taken-branch costs come from prediction (model.ts)
    }
  },
  pair(prev, cur) {
    let d = 0;
    // Store data is read a stage later than other operands (LLVM:
    // M7Read_EX2 on the data of STR/STRD), so it never waits for a load
    // or a MAC result; everything else waits for a load one cycle.
    const data = cur.kind === 'store' || cur.kind === 'strd' || cur.kind === 'stm' ? cur.reads.filter((r) => !cur.addrRegs.includes(r)) : [];
    const early = cur.reads.filter((r) => !data.includes(r));
    if ((prev.kind === 'load' || prev.kind === 'ldrd' || prev.kind === 'ldm') && overlaps(prev.writes, early)) d += M7_RULES.loadUseStall;
    // MAC result latency 2; the accumulator operands of MLA/UMLAL/UMAAL are
    // read a stage later (ReadMAC advance 1), so accumulate chains do not stall.
    if (m7UsesMac(prev)) {
      const accumulators = cur.kind === 'mlal' ? cur.writes : cur.kind === 'mla' ? cur.reads.slice(-1) : [];
      const used = early.filter((r) => !accumulators.includes(r));
      if (overlaps(prev.writes, used)) d += M7_RULES.macUseStall;
    }
    return d;
  },
};

export const CORES: Record<CoreId, CoreTiming> = {
  'cortex-m0': M0,
  'cortex-m0plus': M0PLUS,
  'cortex-m3': M3,
  'cortex-m4': M4,
  'cortex-m7': M7,
  'cortex-m33': M33,
};

export function coreTiming(id: string): CoreTiming {
  const c = (CORES as Record<string, CoreTiming>)[id];
  if (!c) throw new Error(`no cycle model for core '${id}' (known: ${CORE_IDS.join(', ')})`);
  return c;
}
