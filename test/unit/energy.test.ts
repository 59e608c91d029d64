// CPU energy per op (harness/cycles/energy.ts).
import { describe, expect, it } from 'vitest';
import { cpuEnergyUj } from '../../harness/cycles/energy.js';
import { cycleFields } from '../../harness/cycles/fields.js';
import { mcuProfile } from '../../harness/cycles/profiles.js';
import type { Elf } from '../../harness/elf/elf.js';
import type { CountEvent } from '../../harness/device/counts.js';

describe('CPU energy of an op', () => {
  it('is run current per MHz x clock x supply x ms', () => {
    // nRF52840: 52 µA/MHz at 64 MHz and 3.0 V; 6.4 M cycles at 64 MHz are 100 ms.
    expect(cpuEnergyUj(100, mcuProfile('nrf52840'))).toBe(998.4); // 52 × 64 × 3 × 100 / 1000
    // STM32L476: 100 µA/MHz at 80 MHz and 3.0 V.
    expect(cpuEnergyUj(12.5, mcuProfile('stm32l4-80'))).toBe(300);
    expect(cpuEnergyUj(2, { clockHz: 48e6, power: { runUaPerMhz: 72, supplyVolts: 3 } })).toBe(20.736);
  });

  it('is absent for a profile without a run-current figure', () => {
    expect(mcuProfile('nrf51822').power).toBeUndefined();
    expect(cpuEnergyUj(100, mcuProfile('nrf51822'))).toBeUndefined();
  });

  // A 4-instruction Thumb loop run a million times, counted as the plugin would.
  const n = 1_000_000;
  const event: CountEvent = {
    instructions: 4 * n,
    profile: {
      insns: [
        { addr: 0x1000, count: n, size: 2, disas: 'ldr r2, [pc, #0x20]' },
        { addr: 0x1002, count: n, size: 2, disas: 'adds r0, r0, r2' },
        { addr: 0x1004, count: n, size: 2, disas: 'subs r3, #1' },
        { addr: 0x1006, count: n, size: 2, disas: 'bne #0x1000' },
      ],
      edges: [{ from: 0x1006, to: 0x1000, count: n - 1 }, { from: 0x1006, to: 0x1008, count: 1 }],
    },
  };
  const elf = { symbolize: () => 'loop' } as unknown as Elf;

  it('goes on the record with cycles and ms, from the same ms', () => {
    const f = cycleFields([event], mcuProfile('nrf52840'), elf)!;
    expect(f.cycles).toBeGreaterThan(5 * n);
    expect(f.ms).toBe(Math.round((f.cycles / 64e6) * 1e7) / 1e4);
    expect(f.cpuEnergyUj).toBe(Math.round(52 * 64 * 3 * f.ms) / 1000);
    const m0 = cycleFields([event], mcuProfile('nrf51822'), elf)!;
    expect(m0.ms).toBeGreaterThan(0);
    expect('cpuEnergyUj' in m0).toBe(false); // no figure, no field: older and newer records read alike
  });
});
