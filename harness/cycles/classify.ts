// Classifies one executed instruction from the disassembly QEMU 7.2 prints
// (Capstone syntax: `ldr r3, [pc, #0x14]`, `pop.w {r4, r5, pc}`,
// `bne #0x12cc`, register aliases sb/sl/fp/ip) into what the cycle model
// needs: a timing class, the registers read and written, register-list
// length, and whether (and how) it can change the PC.
//
// Capstone disassembles each instruction on its own, so instructions
// inside an IT block print without their condition; the model recovers
// IT-conditionality from the preceding IT instruction (see model.ts).

export type Kind =
  | 'alu' // data processing, moves, compares, extends, bit-field, CLZ, REV, IT-free DSP
  | 'shift' // LSL/LSR/ASR/ROR/RRX as instructions
  | 'mul' // 32-bit result: MUL(S), SMULxy, SMULWy, SMMUL, SMUAD...
  | 'mla' // 32-bit multiply-accumulate: MLA, MLS, SMLAxy, SMLAD, SMMLA...
  | 'mull' // 64-bit result: UMULL, SMULL
  | 'mlal' // 64-bit accumulate: UMLAL, SMLAL, UMAAL, SMLALxy, SMLALD...
  | 'div' // SDIV, UDIV
  | 'load' // single LDR/LDRB/LDRH/LDRSB/LDRSH/LDREX (incl. literal)
  | 'store' // single STR/STRB/STRH/STREX
  | 'ldrd'
  | 'strd'
  | 'ldm' // LDM and POP (N = register count)
  | 'stm' // STM and PUSH
  | 'branch' // B, B<c>, BL, BX, BLX, CBZ, CBNZ
  | 'tbb' // TBB, TBH
  | 'it'
  | 'fp' // FPU data processing and VMOV
  | 'fpmac' // VMLA/VMLS/VNMLA/VNMLS/VFMA/VFMS/VFNMA/VFNMS
  | 'fpdiv' // VDIV, VSQRT
  | 'fpload' // VLDR / VSTR
  | 'fpmulti' // VLDM / VSTM / VPUSH / VPOP (N = register count)
  | 'barrier' // DMB, DSB, ISB
  | 'sysreg' // MRS, MSR, CPS
  | 'nop' // NOP, hints, BKPT, SVC
  | 'other';

export interface Insn {
  addr: number;
  size: number; // 2 or 4
  disas: string;
  mnemonic: string; // without .w/.n, condition kept as printed (e.g. "bne", "adds")
  kind: Kind;
  /** B<c>, CBZ, CBNZ: taken or not at run time (from edges). */
  conditional: boolean;
  /** Branch whose target is encoded in the instruction (B, BL, B<c>, CBZ/CBNZ). */
  direct: boolean;
  /** Can write the PC (branches, POP/LDM with pc, LDR pc, MOV/ADD pc, TBB). */
  writesPc: boolean;
  /** BL / BLX: writes LR. */
  link: boolean;
  target?: number; // direct branch target
  regCount: number; // LDM/STM/PUSH/POP/VLDM register count
  reads: number[]; // registers read (0-15)
  writes: number[]; // registers written (0-15)
  addrRegs: number[]; // registers used to form a load/store address
  writeback: boolean; // load/store with base update (`!` or post-index)
  literal: boolean; // PC-relative load (literal pool, in flash)
  registerOffset: boolean; // load/store [Rn, Rm]
  shiftedOperand: boolean; // data processing with a shifted register operand
  itLength: number; // IT: instructions it makes conditional
  fpTwoRegs: boolean; // VMOV of two core registers
  /** Writes the APSR condition flags (ADDS, ADCS, CMP, TST, MOVS, ...). */
  setsFlags: boolean;
  /** Reads the condition flags (ADC, SBC, RRX, B<c>, IT). */
  readsFlags: boolean;
}

const REG: Record<string, number> = { sb: 9, sl: 10, fp: 11, ip: 12, sp: 13, lr: 14, pc: 15 };
for (let i = 0; i <= 15; i++) REG[`r${i}`] = i;
const regNum = (t: string): number | undefined => REG[t.trim().toLowerCase()];

const COND = '(eq|ne|hs|cs|lo|cc|mi|pl|vs|vc|hi|ls|ge|lt|gt|le|al)';
const BRANCH_RE = new RegExp(`^b${COND}?$`);
const NO_DEST = new Set(['cmp', 'cmn', 'tst', 'teq']);
const SHIFTS = new Set(['lsl', 'lsls', 'lsr', 'lsrs', 'asr', 'asrs', 'ror', 'rors', 'rrx', 'rrxs']);

// Condition flags: data processing with the S suffix and the compares
// write them; the carry-in instructions, conditional branches and IT read
// them. (Instructions made conditional by an IT block also read them; the
// IT instruction stands for its block.)
const FLAG_SETTERS = /^(?:(?:adc|add|and|asr|bic|eor|lsl|lsr|mov|mul|mvn|neg|orn|orr|ror|rrx|rsb|sbc|sub)s|cmp|cmn|tst|teq)$/;
const FLAG_READERS = new RegExp(`^(?:adcs?|sbcs?|rrxs?|it[te]{0,3}|b${COND})$`);

/** Split operands at top-level commas (not inside [] or {}). */
export function splitOperands(s: string): string[] {
  const out: string[] = [];
  let depth = 0, cur = '';
  for (const ch of s) {
    if (ch === '[' || ch === '{') depth++;
    if (ch === ']' || ch === '}') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}

function regsIn(s: string): number[] {
  const out: number[] = [];
  for (const tok of s.split(/[^a-z0-9]+/i)) {
    const r = regNum(tok);
    if (r !== undefined) out.push(r);
  }
  return out;
}

/** Registers of a `{r4, r5-r7, pc}` list. */
function regList(s: string): number[] {
  const body = /\{([^}]*)\}/.exec(s)?.[1] ?? '';
  const out: number[] = [];
  for (const part of body.split(',')) {
    const [a, b] = part.split('-').map((x) => regNum(x));
    if (a === undefined) continue;
    if (b === undefined) out.push(a);
    else for (let r = a; r <= b; r++) out.push(r);
  }
  return out;
}

function parseImm(s: string | undefined): number | undefined {
  const m = /^#(-?(?:0x[0-9a-f]+|\d+))$/i.exec((s ?? '').trim());
  return m ? Number(m[1]) : undefined;
}

function kindOf(m: string): Kind {
  if (BRANCH_RE.test(m) || m === 'bl' || m === 'blx' || m === 'bx' || m === 'cbz' || m === 'cbnz') return 'branch';
  if (m === 'tbb' || m === 'tbh') return 'tbb';
  if (/^it[te]{0,3}$/.test(m)) return 'it';
  if (m === 'pop' || /^ldm(ia|fd|db|ea)?$/.test(m)) return 'ldm';
  if (m === 'push' || /^stm(ia|ea|db|fd)?$/.test(m)) return 'stm';
  if (m === 'ldrd' || m === 'ldrexd') return 'ldrd';
  if (m === 'strd' || m === 'strexd') return 'strd';
  if (/^ldr(b|h|sb|sh|ex|exb|exh|t|bt|ht|sbt|sht)?$/.test(m)) return 'load';
  if (/^str(b|h|ex|exb|exh|t|bt|ht)?$/.test(m)) return 'store';
  if (m === 'sdiv' || m === 'udiv') return 'div';
  if (m === 'umull' || m === 'smull') return 'mull';
  if (m === 'umlal' || m === 'smlal' || m === 'umaal' || /^smlal(bb|bt|tb|tt|d|dx)$/.test(m) || /^smlsld(x)?$/.test(m)) return 'mlal';
  if (m === 'mla' || m === 'mls' || /^smla(bb|bt|tb|tt|wb|wt|d|dx)$/.test(m) || /^smlsd(x)?$/.test(m) || /^smml[as]r?$/.test(m)) return 'mla';
  if (m === 'mul' || m === 'muls' || /^smul(bb|bt|tb|tt|wb|wt)$/.test(m) || /^smmulr?$/.test(m) || /^sm[ua]ad(x)?$/.test(m) || /^smusd(x)?$/.test(m)) return 'mul';
  if (SHIFTS.has(m)) return 'shift';
  if (m === 'dmb' || m === 'dsb' || m === 'isb') return 'barrier';
  if (m === 'mrs' || m === 'msr' || m.startsWith('cps')) return 'sysreg';
  if (m === 'nop' || m === 'bkpt' || m === 'svc' || m === 'wfi' || m === 'wfe' || m === 'sev' || m === 'yield' || m === 'udf') return 'nop';
  if (m.startsWith('v')) {
    const base = m.split('.')[0]!;
    if (/^v(n?ml[as]|f[n]?m[as])$/.test(base)) return 'fpmac';
    if (base === 'vdiv' || base === 'vsqrt') return 'fpdiv';
    if (base === 'vldr' || base === 'vstr') return 'fpload';
    if (/^v(ldm|stm)(ia|db)?$/.test(base) || base === 'vpush' || base === 'vpop') return 'fpmulti';
    return 'fp';
  }
  return 'alu';
}

export function classify(addr: number, size: number, disas: string): Insn {
  const text = disas.trim().toLowerCase();
  const sp = text.indexOf(' ');
  const rawMn = sp < 0 ? text : text.slice(0, sp);
  const ops = sp < 0 ? [] : splitOperands(text.slice(sp + 1));
  // .w/.n only pick the encoding; FP mnemonics keep their type suffix (vadd.f32).
  const mnemonic = rawMn.replace(/\.(w|n)$/, '');
  const kind = kindOf(mnemonic);
  const insn: Insn = {
    addr, size, disas, mnemonic, kind,
    conditional: false, direct: false, writesPc: false, link: false,
    regCount: 0, reads: [], writes: [], addrRegs: [], writeback: false, literal: false, registerOffset: false,
    shiftedOperand: false, itLength: 0, fpTwoRegs: false,
    setsFlags: FLAG_SETTERS.test(mnemonic), readsFlags: FLAG_READERS.test(mnemonic),
  };

  switch (kind) {
    case 'branch': {
      insn.writesPc = true;
      insn.link = mnemonic === 'bl' || mnemonic === 'blx';
      if (mnemonic === 'cbz' || mnemonic === 'cbnz') {
        insn.conditional = true;
        insn.direct = true;
        insn.reads = regsIn(ops[0] ?? '');
        insn.target = parseImm(ops[1]);
      } else if (mnemonic === 'bx' || mnemonic === 'blx') {
        const imm = parseImm(ops[0]);
        if (imm !== undefined) { insn.direct = true; insn.target = imm; } // BLX #imm (not on M-profile, kept for completeness)
        else insn.reads = regsIn(ops[0] ?? '');
      } else {
        insn.direct = true;
        insn.target = parseImm(ops[0]);
        insn.conditional = mnemonic !== 'b' && mnemonic !== 'bl' && mnemonic !== 'bal';
      }
      if (insn.link) insn.writes = [14];
      break;
    }
    case 'tbb':
      insn.writesPc = true;
      insn.addrRegs = regsIn(ops[0] ?? '');
      insn.reads = [...insn.addrRegs];
      break;
    case 'it':
      insn.itLength = mnemonic.length - 1;
      break;
    case 'ldm':
    case 'stm': {
      const list = regList(text);
      insn.regCount = list.length;
      if (mnemonic === 'pop' || mnemonic === 'push') {
        insn.addrRegs = [13];
        insn.writeback = true;
      } else {
        const base = regNum((ops[0] ?? '').replace('!', ''));
        if (base !== undefined) insn.addrRegs = [base];
        insn.writeback = (ops[0] ?? '').includes('!');
      }
      if (kind === 'ldm') {
        insn.writes = [...list, ...(insn.writeback ? insn.addrRegs : [])];
        insn.reads = [...insn.addrRegs];
        insn.writesPc = list.includes(15);
      } else {
        insn.reads = [...list, ...insn.addrRegs];
        insn.writes = insn.writeback ? [...insn.addrRegs] : [];
      }
      break;
    }
    case 'load':
    case 'store':
    case 'ldrd':
    case 'strd': {
      const isLoad = kind === 'load' || kind === 'ldrd';
      const dataCount = kind === 'ldrd' || kind === 'strd' ? 2 : 1;
      const exclusiveStatus = mnemonic.startsWith('strex') ? 1 : 0; // STREX Rd(status), Rt, [Rn]
      const data = ops.slice(exclusiveStatus, exclusiveStatus + dataCount).flatMap(regsIn);
      const memIdx = ops.findIndex((o) => o.startsWith('['));
      const mem = memIdx >= 0 ? ops[memIdx]! : '';
      insn.addrRegs = regsIn(mem.replace(/\b(lsl|lsr|asr|ror)\b.*$/, ''));
      insn.registerOffset = insn.addrRegs.length > 1 && !insn.addrRegs.includes(15);
      insn.writeback = mem.endsWith('!') || (memIdx >= 0 && ops.length > memIdx + 1);
      // A post-index register offset (`[r0], r1`) also feeds the address update.
      if (memIdx >= 0) for (const o of ops.slice(memIdx + 1)) insn.addrRegs.push(...regsIn(o));
      insn.literal = insn.addrRegs[0] === 15 || (memIdx < 0 && isLoad); // `ldr r0, [pc, #x]` or a label form
      const base = insn.addrRegs.filter((r) => r !== 15);
      if (isLoad) {
        insn.writes = [...data, ...(insn.writeback && base[0] !== undefined ? [base[0]] : [])];
        insn.reads = [...base];
        insn.writesPc = data.includes(15);
      } else {
        insn.reads = [...data, ...base];
        insn.writes = [...(exclusiveStatus ? regsIn(ops[0] ?? '') : []), ...(insn.writeback && base[0] !== undefined ? [base[0]] : [])];
      }
      break;
    }
    case 'mull':
    case 'mlal': {
      const rs = ops.flatMap(regsIn);
      insn.writes = rs.slice(0, 2);
      insn.reads = kind === 'mlal' ? rs : rs.slice(2);
      break;
    }
    case 'fp':
    case 'fpmac':
    case 'fpdiv': {
      // Only core registers matter for dependencies; VMOV can move between banks.
      const core = ops.map(regsIn);
      const coreCount = core.filter((r) => r.length).length;
      insn.fpTwoRegs = mnemonic.startsWith('vmov') && coreCount === 2;
      if (mnemonic.startsWith('vmov') || mnemonic.startsWith('vmrs')) {
        // Core registers first = transfer to the core (writes them).
        if (core[0]?.length) insn.writes = core.flat();
        else insn.reads = core.flat();
      }
      break;
    }
    case 'fpload':
    case 'fpmulti': {
      const memIdx = ops.findIndex((o) => o.startsWith('['));
      const base = memIdx >= 0 ? regsIn(ops[memIdx]!) : regsIn((ops[0] ?? '').replace('!', ''));
      insn.addrRegs = mnemonic.startsWith('vpush') || mnemonic.startsWith('vpop') ? [13] : base;
      insn.reads = [...insn.addrRegs];
      insn.literal = insn.addrRegs[0] === 15;
      if (kind === 'fpmulti') {
        const body = /\{([^}]*)\}/.exec(text)?.[1] ?? '';
        let n = 0;
        for (const part of body.split(',')) {
          const m = /([sd])(\d+)(?:\s*-\s*[sd](\d+))?/.exec(part.trim());
          if (m) n += m[3] ? Number(m[3]) - Number(m[2]) + 1 : 1;
        }
        insn.regCount = n;
        insn.writeback = text.includes('!') || mnemonic.startsWith('vpush') || mnemonic.startsWith('vpop');
        if (insn.writeback) insn.writes = [...insn.addrRegs];
      }
      break;
    }
    case 'sysreg':
    case 'barrier':
    case 'nop':
    case 'other':
      insn.reads = ops.flatMap(regsIn);
      break;
    default: {
      // alu, shift, mul, mla, div: first operand is the destination
      // unless it is a compare; the rest are sources.
      const all = ops.map(regsIn);
      if (NO_DEST.has(mnemonic.replace(/s$/, '')) || NO_DEST.has(mnemonic)) {
        insn.reads = all.flat();
      } else {
        insn.writes = all[0] ?? [];
        insn.reads = all.slice(1).flat();
        // Two-operand Thumb forms (`adds r0, #8`, `orrs r3, r2`) read the destination too.
        if (ops.length === 2 && kind !== 'shift' && !/^(mov|mvn)/.test(mnemonic) && !/^(sxt|uxt|rev|clz|rbit)/.test(mnemonic)) insn.reads.push(...insn.writes);
        if (/^(bfi|bfc|movt)$/.test(mnemonic)) insn.reads.push(...insn.writes);
      }
      insn.shiftedOperand = kind === 'alu' && ops.slice(1).some((o) => /^(lsl|lsr|asr|ror)\s/.test(o) || o === 'rrx');
      insn.writesPc = insn.writes.includes(15);
      break;
    }
  }
  return insn;
}
