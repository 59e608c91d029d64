// Pins the cycle model's per-core rules on small hand-written Thumb
// snippets. Each snippet is assembled with the real cross toolchain, run
// on the QEMU board of its instruction set under the counting plugin in
// addr mode (so the per-address counts and branch edges are real), and
// priced with each core's table. The expected numbers are worked out by
// hand from the TRM rules quoted next to them: change a rule and a test
// here fails.
import { beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Elf } from '../../harness/elf/elf.js';
import { CountReader, type CountEvent } from '../../harness/device/counts.js';
import { PLUGIN, QEMU } from '../../harness/core/paths.js';
import { ensurePlugin } from '../../harness/device/qemu.js';
import { classify } from '../../harness/cycles/classify.js';
import { estimateCycles, type AddrProfile } from '../../harness/cycles/model.js';
import { memoryCycles, mcuProfile } from '../../harness/cycles/profiles.js';
import { categorize } from '../../harness/cycles/functions.js';

const MACHINE = { m0: 'microbit', m3: 'mps2-an385', m4: 'mps2-an386' } as const;
const CPU = { m0: 'cortex-m0', m3: 'cortex-m3', m4: 'cortex-m4' } as const;
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cycles-test-'));
  // The plugin is built per checkout on first use (device/qemu.ts), as a run would.
  ensurePlugin();
});

/** Assembles `setup` + counted `body`, runs it, returns the profile of the body's addresses only. */
async function run(isa: keyof typeof MACHINE, setup: string, body: string): Promise<AddrProfile & { event: CountEvent }> {
  const name = `s${Math.random().toString(36).slice(2)}`;
  const src = join(dir, `${name}.S`), elfPath = join(dir, `${name}.elf`), out = join(dir, `${name}.txt`);
  writeFileSync(src, `
    .syntax unified
    .thumb
    .text
    .word 0x20002000
    .word _start + 1
    .thumb_func
    .global _start
_start:
    ldr r1, =0x20000100
    ${setup}
    bl mark_start
    .balign 4
snippet_start:
    ${body}
snippet_end:
    bl mark_stop
    movs r0, #0x18
    ldr r1, =0x20026
    bkpt 0xab
    b .
    .thumb_func
mark_start: bx lr
    .thumb_func
mark_stop: bx lr
    .ltorg
`);
  execFileSync('arm-none-eabi-gcc', [`-mcpu=${CPU[isa]}`, '-mthumb', '-nostdlib', '-Wl,-Ttext=0', src, '-o', elfPath]);
  const elf = Elf.read(elfPath);
  const addr = (s: string) => elf.symbol(s).value & ~1;
  const plugin = [PLUGIN, `out=${out}`, 'mode=addr', `start=${addr('mark_start').toString(16)}`, `stop=${addr('mark_stop').toString(16)}`].join(',');
  const child = spawn(QEMU, ['-M', MACHINE[isa], '-display', 'none', '-monitor', 'none', '-serial', 'null', '-semihosting-config', 'enable=on,target=native', '-kernel', elfPath, '-plugin', plugin], { stdio: 'ignore' });
  await new Promise<void>((res, rej) => {
    const t = setTimeout(() => { child.kill('SIGKILL'); rej(new Error('snippet did not exit')); }, 20_000);
    child.on('exit', () => { clearTimeout(t); res(); });
  });
  const event = new CountReader(out).take()[0]!;
  const lo = addr('snippet_start'), hi = elf.symbol('snippet_end').value;
  const inside = (a: number) => a >= lo && a < hi;
  return { insns: event.profile!.insns.filter((i) => inside(i.addr)), edges: event.profile!.edges.filter((e) => inside(e.from)), event };
}

const cycles = (p: AddrProfile, core: string) => estimateCycles(p, core).cycles;

describe('instruction classification (Capstone text as QEMU 7.2 prints it)', () => {
  it('reads kinds, register lists, addressing and branch targets', () => {
    const pop = classify(0x100, 4, 'pop.w {r4, r5, r6, r7, r8, pc}');
    expect([pop.kind, pop.regCount, pop.writesPc]).toEqual(['ldm', 6, true]);
    const lit = classify(0x100, 2, 'ldr r3, [pc, #0x14]');
    expect([lit.kind, lit.literal, lit.writes]).toEqual(['load', true, [3]]);
    const wb = classify(0x100, 4, 'ldr r1, [r0, #-0x8]!');
    expect([wb.writeback, wb.writes.sort()]).toEqual([true, [0, 1]]);
    const ro = classify(0x100, 4, 'str.w ip, [r6, r2]');
    expect([ro.kind, ro.registerOffset, ro.reads.sort((a, b) => a - b)]).toEqual(['store', true, [2, 6, 12]]);
    const b = classify(0x100, 2, 'bne #0x12cc');
    expect([b.kind, b.conditional, b.direct, b.target]).toEqual(['branch', true, true, 0x12cc]);
    expect(classify(0x100, 2, 'cbz r0, #0x86e')).toMatchObject({ conditional: true, target: 0x86e, reads: [0] });
    expect(classify(0x100, 2, 'bx lr')).toMatchObject({ direct: false, writesPc: true, reads: [14] });
    expect(classify(0x100, 4, 'umaal r1, r4, r3, r0')).toMatchObject({ kind: 'mlal', writes: [1, 4] });
    expect(classify(0x100, 4, 'vmov r0, sl, s8, s9')).toMatchObject({ kind: 'fp', fpTwoRegs: true, writes: [0, 10] });
    expect(classify(0x100, 2, 'itte lt')).toMatchObject({ kind: 'it', itLength: 3 });
    expect(classify(0x100, 4, 'and.w r4, r4, sb, lsl #1')).toMatchObject({ kind: 'alu', shiftedOperand: true, reads: [4, 9] });
  });
  it('sorts function names into bignum / hash / other', () => {
    expect(['mpi_mul_hlp', 'P256_mulmod', 'uECC_vli_mult', 'sub32', 'mbedtls_sha256_update', 'ecp_double_jac', 'memset'].map(categorize))
      .toEqual(['bignum', 'bignum', 'bignum', 'bignum', 'hash', 'other', 'other']);
  });
});

describe('core cost tables on real executions', () => {
  it('a counted loop: ldr; adds; subs; bne x10 (taken 9, not taken 1)', async () => {
    const p = await run('m0', 'movs r3, #10\n movs r0, #0', 'loop:\n ldr r2, [r1]\n adds r0, r0, r2\n subs r3, #1\n bne loop');
    const bne = p.insns.find((i) => i.disas.startsWith('bne'))!;
    expect(bne.count).toBe(10);
    expect(p.edges.filter((e) => e.from === bne.addr && e.to !== bne.addr + 2).reduce((a, e) => a + e.count, 0)).toBe(9);
    // M0 (DDI 0432C T3-1): LDR 2, ADDS 1, SUBS 1, B<c> taken 3 / not taken 1: 7*10 - 2
    expect(cycles(p, 'cortex-m0')).toBe(68);
    // M0+ (DDI 0484C T3-1): B<c> taken 2: 6*10 - 1
    expect(cycles(p, 'cortex-m0plus')).toBe(59);
    // M3/M4: LDR 2, B<c> 1+P with P = 1 (direct, 16-bit target): 6*10 - 1
    expect(cycles(p, 'cortex-m3')).toBe(59);
    expect(cycles(p, 'cortex-m4')).toBe(59);
    // M7: 1 each, load-use stall on adds (+1), subs pairs with adds (-1),
    // one mispredict of the loop exit (+4): 4*10 + 4
    expect(cycles(p, 'cortex-m7')).toBe(44);
  });

  it('load pipelining and the address-generation stall (M3/M4 TRM load/store timings)', async () => {
    const p = await run('m0', 'movs r0, #0', [
      'ldr r2, [r1]', 'ldr r3, [r1, #4]', 'ldr r4, [r1, #8]', // 2 + 1 + 1: pipelined LDRs
      'adds r1, #4', 'ldr r5, [r1]', // 1 + (2 + 1): address from the previous ALU result
      'str r5, [r1, #4]', // STR imm: 1
      'ldr r6, [r1, r0]', // 2: nothing pipelines after a store
      'str r6, [r1, r0]', // 2 - 1: register-offset STR pipelined after LDR
    ].join('\n'));
    expect(cycles(p, 'cortex-m4')).toBe(12);
    expect(cycles(p, 'cortex-m0')).toBe(15); // every load/store 2, ADDS 1
    // M7: 8 issue slots; store data is read a stage late, so neither STR
    // waits for the load before it; pairs (ldr,ldr) (ldr,adds) (str,ldr)
    // save 3
    expect(cycles(p, 'cortex-m7')).toBe(5);
  });

  it('multiplies and divides: M3 early-terminating multiplier vs M4 single-cycle MAC', async () => {
    const p = await run('m3', 'movs r2, #100\n movs r3, #3\n movs r4, #0', [
      'umull r0, r1, r2, r3', 'umlal r0, r1, r2, r3', 'mla r4, r2, r3, r4', 'mul r5, r2, r3', 'udiv r6, r2, r3',
    ].join('\n'));
    // M3 (DDI 0337I T3-1, full-width operands): UMULL 5, UMLAL 6, MLA 2, MUL 1, UDIV 12 (worst case)
    expect(cycles(p, 'cortex-m3')).toBe(26);
    // M4 (DDI 0439B T3-1): all multiplies 1, UDIV 12 (worst case)
    expect(cycles(p, 'cortex-m4')).toBe(16);
  });

  it('MULS on ARMv6-M: the fast (1) or small (32-cycle) multiplier option', async () => {
    const p = await run('m0', 'movs r2, #7\n movs r0, #9', 'muls r0, r2, r0');
    expect(estimateCycles(p, 'cortex-m0', undefined, { multiplierCycles: 1 }).cycles).toBe(1);
    expect(estimateCycles(p, 'cortex-m0', undefined, { multiplierCycles: 32 }).cycles).toBe(32);
  });

  it('UMAAL chains: 1 cycle each on M4, no MAC stall through the accumulators on M7', async () => {
    const p = await run('m4', 'movs r2, #7\n movs r3, #9', ['umaal r0, r1, r2, r3', 'umaal r0, r1, r2, r3', 'umaal r0, r1, r2, r3', 'umaal r0, r1, r2, r3'].join('\n'));
    expect(cycles(p, 'cortex-m4')).toBe(4);
    expect(cycles(p, 'cortex-m7')).toBe(4); // one MAC pipe: no pairing
  });

  it('call and return through PUSH/POP {pc}', async () => {
    const body = ['bl f', 'b done', 'nop', 'f:', 'push {r4, r5, r6, r7, lr}', 'pop {r4, r5, r6, r7, pc}', 'done:'].join('\n');
    const p = await run('m0', '', body);
    // M0: BL 4, B 3, PUSH 1+5, POP {pc} 4+5
    expect(cycles(p, 'cortex-m0')).toBe(22);
    // M0+: BL 3, B 2, PUSH 1+5, POP {pc} 3+5
    expect(cycles(p, 'cortex-m0plus')).toBe(19);
    // M4: BL 1+1, B 1+1, PUSH 1+5, POP {pc} 1+5+2 (indirect refill)
    expect(cycles(p, 'cortex-m4')).toBe(18);
  });

  it('IT folds onto a preceding 16-bit instruction only (M4)', async () => {
    const p = await run('m4', 'movs r0, #0', ['cmp r0, #0', 'it eq', 'moveq r1, #1', 'cmp.w r0, #1', 'it ne', 'movne r2, #2'].join('\n'));
    expect(cycles(p, 'cortex-m4')).toBe(5); // cmp 1, it 0 (after 16-bit cmp), moveq 1, cmp.w 1, it 1 (after 32-bit), movne 1
  });
});

describe('MCU memory profiles', () => {
  // Hand-made counts: a 4-instruction Thumb loop run 10 times.
  const loop: AddrProfile = {
    insns: [
      { addr: 0x1000, count: 10, size: 2, disas: 'ldr r2, [pc, #0x20]' },
      { addr: 0x1002, count: 10, size: 2, disas: 'adds r0, r0, r2' },
      { addr: 0x1004, count: 10, size: 2, disas: 'subs r3, #1' },
      { addr: 0x1006, count: 10, size: 2, disas: 'bne #0x1000' },
    ],
    edges: [{ from: 0x1006, to: 0x1000, count: 9 }, { from: 0x1006, to: 0x1008, count: 1 }],
  };
  it('charges flash wait states to uncached literal loads, not to cached ones', () => {
    const nrf = estimateCycles(loop, 'cortex-m4', mcuProfile('nrf52840'));
    expect(nrf.coreCycles).toBe(59);
    expect(nrf.memoryCycles).toBe(20); // 10 literal loads x 2 wait states
    expect(estimateCycles(loop, 'cortex-m4', mcuProfile('stm32f4-168')).memoryCycles).toBe(0); // ART D-cache, hot loop in I-cache
  });
  it('charges a prefetch-only flash for every taken branch', () => {
    const g0 = estimateCycles(loop, 'cortex-m0plus', mcuProfile('stm32g0-64'));
    expect(g0.coreCycles).toBe(59);
    // 9 taken branches x 2 WS; 10 literal loads x 2 WS; sequential 8-byte
    // lines are hidden by the prefetch (80 B in 59 cycles: 3 - 8/1.36 < 0)
    expect(g0.memoryCycles).toBe(38);
  });
  it('costs nothing at zero wait states', () => {
    const sites = loop.insns.map((r) => ({ i: classify(r.addr, r.size, r.disas), n: r.count, taken: 0 }));
    expect(memoryCycles(sites, 68, mcuProfile('nrf51822')).total).toBe(0);
  });
});

describe('scenario cycles option', () => {
  it('resolves default and per-board profiles and refuses a core that does not run the board\'s code', async () => {
    const { checkCyclesOption, profileFor } = await import('../../harness/scenario/cycles-option.js');
    const { boards } = await import('../../harness/catalog/boards.js');
    const b = (id: string) => boards().get(id)!;
    expect(profileFor({ profile: 'default' }, b('microbit'))!.id).toBe('nrf51822');
    expect(profileFor({ profile: { microbit: 'stm32g0-64' } }, b('microbit'))!.core).toBe('cortex-m0plus'); // M0+ timing on M0 code
    expect(profileFor({ profile: { microbit: 'stm32g0-64' } }, b('mps2-an386'))).toBeUndefined();
    expect(() => profileFor({ profile: 'nrf52840' }, b('mps2-an385'))).toThrow(/cortex-m4 part; board mps2-an385 runs cortex-m3/);
    expect(() => checkCyclesOption({ profile: 'default' }, ['microbit', 'mps2-an385', 'mps2-an386', 'mps2-an500', 'mps2-an505'])).not.toThrow();
  });
});

// Hand-made counts for rules that need no execution: a straight run of
// instructions executed `n` times each, falling through one to the next.
function straight(lines: [number, number, string][], n = 1): AddrProfile {
  return { insns: lines.map(([addr, size, disas]) => ({ addr, size, disas, count: n })), edges: [] };
}

describe('condition flags (classification)', () => {
  it('knows which instructions write and read the flags', () => {
    expect(classify(0x100, 2, 'adds r0, r0, r1')).toMatchObject({ setsFlags: true, readsFlags: false });
    expect(classify(0x100, 4, 'adcs.w r2, r2, r3')).toMatchObject({ setsFlags: true, readsFlags: true });
    expect(classify(0x100, 4, 'adc r2, r2, r3')).toMatchObject({ setsFlags: false, readsFlags: true });
    expect(classify(0x100, 2, 'cmp r0, #1')).toMatchObject({ setsFlags: true, readsFlags: false });
    expect(classify(0x100, 2, 'bne #0x120')).toMatchObject({ setsFlags: false, readsFlags: true });
    expect(classify(0x100, 2, 'b #0x120')).toMatchObject({ readsFlags: false });
    expect(classify(0x100, 4, 'bics.w r0, r1, r2')).toMatchObject({ setsFlags: true });
    expect(classify(0x100, 4, 'mls r0, r1, r2, r3')).toMatchObject({ setsFlags: false });
  });
});

describe('Cortex-M7: what keeps a pair from dual issue (Arm\'s LLVM model)', () => {
  it('a carry chain does not dual-issue: the flags are a dependence', () => {
    // adds/adcs on independent registers: two single-issue cycles, not one pair
    const chain = straight([[0x1000, 4, 'adds.w r0, r0, r4'], [0x1004, 4, 'adcs.w r1, r1, r5']]);
    const free = straight([[0x1000, 4, 'adds.w r0, r0, r4'], [0x1004, 4, 'add.w r1, r1, r5']]);
    expect(estimateCycles(chain, 'cortex-m7').cycles).toBe(2);
    expect(estimateCycles(free, 'cortex-m7').cycles).toBe(1);
  });
  it('store data is read a stage late: no load-use or MAC stall into a store\'s data', () => {
    const loadToStore = straight([[0x1000, 4, 'ldr.w r0, [r1]'], [0x1004, 4, 'str.w r0, [r2]']]);
    const loadToAddr = straight([[0x1000, 4, 'ldr.w r0, [r1]'], [0x1004, 4, 'str.w r3, [r0]']]);
    const macToStore = straight([[0x1000, 4, 'umaal r0, r1, r2, r3'], [0x1004, 4, 'str.w r0, [r4]']]);
    const macToAlu = straight([[0x1000, 4, 'umaal r0, r1, r2, r3'], [0x1004, 4, 'add.w r5, r0, #1']]);
    // ldr + str: no stall and (a load and a store) one pair? No: the str reads r0, which the ldr writes -> no pair; 2 cycles, no stall
    expect(estimateCycles(loadToStore, 'cortex-m7').cycles).toBe(2);
    expect(estimateCycles(loadToAddr, 'cortex-m7').cycles).toBe(3); // the address waits for the load
    expect(estimateCycles(macToStore, 'cortex-m7').cycles).toBe(2);
    expect(estimateCycles(macToAlu, 'cortex-m7').cycles).toBe(3); // MAC latency 2
  });
});

describe('Cortex-M33: not an M4', () => {
  it('single loads and stores issue in one cycle; the next instruction waits one cycle for a loaded value', () => {
    const p = straight([[0x1000, 2, 'ldr r0, [r1]'], [0x1002, 2, 'ldr r2, [r1, #4]'], [0x1004, 2, 'adds r3, r2, #1'], [0x1006, 2, 'str r3, [r1, #8]']]);
    // ldr 1, ldr 1, adds 1 + 1 (uses r2 just loaded), str 1
    expect(estimateCycles(p, 'cortex-m33').cycles).toBe(5);
    // the M4 table: ldr 2, ldr 1 (pipelined), adds 1, str 1
    expect(estimateCycles(p, 'cortex-m4').cycles).toBe(5);
    const noUse = straight([[0x1000, 2, 'ldr r0, [r1]'], [0x1002, 2, 'ldr r2, [r1, #4]'], [0x1004, 4, 'add.w r3, r4, #1'], [0x1008, 2, 'str r3, [r1, #8]']]);
    expect(estimateCycles(noUse, 'cortex-m33').cycles).toBe(4);
    expect(estimateCycles(noUse, 'cortex-m4').cycles).toBe(5);
  });
  it('two independent 16-bit data-processing instructions in one fetched word issue together', () => {
    const pair = straight([[0x1000, 2, 'adds r0, #1'], [0x1002, 2, 'movs r1, #2']]);
    const dependent = straight([[0x1000, 2, 'adds r0, #1'], [0x1002, 2, 'adcs r1, r2']]); // flags
    const straddling = straight([[0x1002, 2, 'adds r0, #1'], [0x1004, 2, 'movs r1, #2']]); // two fetched words
    expect(estimateCycles(pair, 'cortex-m33').cycles).toBe(1);
    expect(estimateCycles(dependent, 'cortex-m33').cycles).toBe(2);
    expect(estimateCycles(straddling, 'cortex-m33').cycles).toBe(2);
    expect(estimateCycles(pair, 'cortex-m4').cycles).toBe(2);
  });
});

describe('Cortex-M3/M4: runs of unaligned 32-bit instructions', () => {
  it('cost one extra cycle from three in a row (four when all are stores)', () => {
    const three = straight([[0x1002, 4, 'add.w r0, r0, #1'], [0x1006, 4, 'add.w r1, r1, #1'], [0x100a, 4, 'add.w r2, r2, #1']], 10);
    const aligned = straight([[0x1000, 4, 'add.w r0, r0, #1'], [0x1004, 4, 'add.w r1, r1, #1'], [0x1008, 4, 'add.w r2, r2, #1']], 10);
    const stores = straight([[0x1002, 4, 'str.w r0, [r4]'], [0x1006, 4, 'str.w r1, [r4, #4]'], [0x100a, 4, 'str.w r2, [r4, #8]']], 10);
    expect(estimateCycles(three, 'cortex-m4').cycles).toBe(40);
    expect(estimateCycles(aligned, 'cortex-m4').cycles).toBe(30);
    expect(estimateCycles(stores, 'cortex-m4').cycles).toBe(30);
    expect(estimateCycles(three, 'cortex-m7').stats.unalignedRuns).toBe(0); // M7 fetches 64 bits
  });
});

describe('memory profiles: caches, prefetch, code in RAM', () => {
  const profile = (over: Partial<ReturnType<typeof mcuProfile>>) => ({ ...mcuProfile('stm32f4-168'), ...over });
  // An 8-instruction loop of 32-bit instructions: 32 B (two 16-byte flash lines), run 100 times.
  const loop: AddrProfile = {
    insns: [0, 4, 8, 12, 16, 20, 24, 28].map((o, k) => ({ addr: 0x2000 + o, size: 4, count: 100, disas: k === 7 ? 'bne.w #0x2000' : 'add.w r0, r0, #1' })),
    edges: [{ from: 0x201c, to: 0x2000, count: 99 }, { from: 0x201c, to: 0x2020, count: 1 }],
  };
  const core = 7 * 100 + 99 * 2 + 1; // M4: add.w 1; bne taken 1 + P (P = 1), not taken 1
  it('hot code that fits the cache costs nothing; hot code that does not misses every line', () => {
    expect(estimateCycles(loop, 'cortex-m4', profile({ icacheBytes: 1024 })).memoryCycles).toBe(0);
    const thrash = estimateCycles(loop, 'cortex-m4', profile({ icacheBytes: 8 }));
    expect(thrash.coreCycles).toBe(core);
    expect(thrash.stats.icacheMissRate).toBe(1);
    // 99 taken branches read the first line on demand (5 WS each); the
    // second line was prefetched while the first 16 B ran, which takes
    // 16 / (3200 B / 899 cycles) = 4.5 of the 6 cycles a read takes.
    expect(thrash.memoryCycles).toBeCloseTo(99 * 5 + 100 * (6 - 16 / (3200 / core)), 1);
  });
  it('without prefetch every line waits the wait states', () => {
    const off = estimateCycles(loop, 'cortex-m4', profile({ icacheBytes: 0, fetch: 'cache', prefetch: false }));
    expect(off.memoryCycles).toBe(99 * 5 + 100 * 5);
  });
  it('a branch target near the end of its line also waits for the next line', () => {
    const late: AddrProfile = { insns: loop.insns.map((r) => ({ ...r, addr: r.addr + 12, disas: r.disas.replace('0x2000', '0x200c') })), edges: [{ from: 0x2028, to: 0x200c, count: 99 }, { from: 0x2028, to: 0x202c, count: 1 }] };
    const early = estimateCycles(loop, 'cortex-m4', profile({ icacheBytes: 0 })).memoryCycles;
    expect(estimateCycles(late, 'cortex-m4', profile({ icacheBytes: 0 })).memoryCycles).toBeGreaterThan(early);
  });
  it('code in RAM pays no flash costs', () => {
    expect(estimateCycles(loop, 'cortex-m0plus', mcuProfile('rp2040-133-ram')).memoryCycles).toBe(0);
    expect(mcuProfile('rp2040-133-ram').codeIn).toBe('ram');
  });
  it('every board has a default profile of its core, and the issue\'s MCUs have profiles', async () => {
    const { boards } = await import('../../harness/catalog/boards.js');
    const { defaultProfileFor, loadProfiles } = await import('../../harness/cycles/profiles.js');
    for (const b of boards().values()) {
      const id = defaultProfileFor(b.id);
      if (!id) continue;
      const core = mcuProfile(id).core;
      expect(core === b.core || (b.core === 'cortex-m0' && core === 'cortex-m0plus'), `${b.id} -> ${id}`).toBe(true);
    }
    const cores = new Map([...loadProfiles().values()].map((p) => [p.id, p.core]));
    for (const [id, core] of [['nrf52840', 'cortex-m4'], ['nrf5340-app', 'cortex-m33'], ['stm32f4-168', 'cortex-m4'], ['stm32l4-80', 'cortex-m4'], ['stm32g0-64', 'cortex-m0plus'],
      ['stm32h7-480', 'cortex-m7'], ['stm32h563-150', 'cortex-m33'], ['stm32l552-110', 'cortex-m33'], ['nrf51822', 'cortex-m0'], ['rp2040-133', 'cortex-m0plus']] as const)
      expect(cores.get(id), id).toBe(core);
  });
});
