// CPU energy per op (harness/cycles/energy.ts) and the report's handshake
// energy: CPU beside radio, and their sum per link profile. The records
// here are invented test input (fixtures-results.ts), not measurements.
import { describe, expect, it } from 'vitest';
import { cpuEnergyUj } from '../../harness/cycles/energy.js';
import { cycleFields } from '../../harness/cycles/fields.js';
import { mcuProfile } from '../../harness/cycles/profiles.js';
import type { Elf } from '../../harness/elf/elf.js';
import type { CountEvent } from '../../harness/device/counts.js';
import type { ResultRecord } from '../../harness/record/schema.js';
import { comparisonSections } from '../../harness/report/sections/comparison.js';
import { onAirSections } from '../../harness/report/sections/handshakes.js';
import { fixture } from './fixtures-results.js';

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

describe('handshake energy in the report', () => {
  const flights = [{ dir: 'c2s' as const, bytes: 100, datagrams: 1, messages: [] }, { dir: 's2c' as const, bytes: 200, datagrams: 1, messages: [] }];
  const handshake = {
    peer: 'test peer', protocol: 'DTLS 1.2', bytesC2S: 100, bytesS2C: 200, datagramsC2S: 1, datagramsS2C: 1, flights,
    recordOverheadBytes: 26, retransmissions: 0, modelCheck: 'equal' as const, differences: [],
  };
  const onAir = (uj: number) => [{ profile: 'ble-1m-27', name: 'BLE', frames: 4, framesUp: 2, framesDown: 2, ackFrames: 0, bytes: 400, airtimeMs: 3.2, energyUj: uj }];
  const records = (withCpu: boolean) => fixture([
    { board: 'mps2-an386', library: 'mbedtls', op: 'dtls-psk-ccm8', handshake, onAir: onAir(20.04), ms: 4, cycleProfile: 'nrf52840', ...(withCpu ? { cpuEnergyUj: 39.936 } : {}) },
    { board: 'microbit', library: 'mbedtls', op: 'dtls-ecdhe-ecdsa-selfsigned', handshake, onAir: onAir(50), ms: 900, cycleProfile: 'nrf51822' },
  ]).records as ResultRecord[];
  const col = (labels: string[], row: unknown[], label: string) => row[labels.indexOf(label)];

  it('adds CPU µJ and, per link profile, radio + CPU; empty where the CPU figure is missing, and says why', () => {
    const [s] = comparisonSections(records(true));
    const t = s!.tables[0]!;
    const labels = t.columns.map((c) => c.label);
    expect(labels).toEqual(expect.arrayContaining(['CPU µJ', 'radio µJ ble-1m-27', 'µJ ble-1m-27']));
    const psk = t.rows.find((r) => r.includes('dtls-psk-ccm8'))!;
    expect(col(labels, psk, 'CPU µJ')).toBe(39.9);
    expect(col(labels, psk, 'radio µJ ble-1m-27')).toBe(20);
    expect(col(labels, psk, 'µJ ble-1m-27')).toBe(60); // 39.936 + 20.04, to 0.1
    const m0 = t.rows.find((r) => r.includes('dtls-ecdhe-ecdsa-selfsigned'))!;
    expect(col(labels, m0, 'CPU µJ')).toBeNull();
    expect(col(labels, m0, 'radio µJ ble-1m-27')).toBe(50);
    expect(col(labels, m0, 'µJ ble-1m-27')).toBeNull(); // never the radio alone under a total
    expect(s!.text.join(' ')).toMatch(/run current per MHz × its clock × its supply × ms/);
    expect(s!.text.join(' ')).toMatch(/sleeps while it waits/);
    expect(s!.text.join(' ')).toMatch(/`nrf51822` has no run-current figure/);
  });

  it('shows no totals when no handshake has a CPU energy, and the radio as before', () => {
    const t = comparisonSections(records(false))[0]!.tables[0]!;
    const labels = t.columns.map((c) => c.label);
    expect(labels).toContain('radio µJ ble-1m-27');
    expect(labels).not.toContain('µJ ble-1m-27');
  });

  it('puts CPU and total beside the radio in the on-air tables', () => {
    const [head, ble] = onAirSections(records(true));
    expect(head!.text.join(' ')).toMatch(/total: radio \+ CPU/);
    const labels = ble!.tables[0]!.columns.map((c) => c.label);
    const psk = ble!.tables[0]!.rows.find((r) => r.includes('dtls-psk-ccm8'))!;
    expect(col(labels, psk, 'CPU µJ')).toBe(39.9);
    expect(col(labels, psk, 'total µJ')).toBe(60);
  });
});
