// Op deadlines in emulator CPU time (harness/device/deadline.ts): derived
// from the op's own instruction budget, never from how busy the host is.
import { describe, expect, it } from 'vitest';
import { BUDGET_FACTOR, cpuTimeMs, Deadlines } from '../../harness/device/deadline.js';

describe('op deadlines', () => {
  it('an op not seen yet gets the scenario limit only (wall clock)', () => {
    expect(new Deadlines(300_000).forOp('ecdsa-verify')).toEqual({ wallMs: 300_000 });
  });

  it('a seen op gets a CPU-time budget of its biggest count at the slowest speed, times the factor', () => {
    const d = new Deadlines(300_000);
    d.observe('ecdsa-verify', 25_000_000, 500); // 50k instructions per CPU ms
    d.observe('ecdsa-verify', 20_000_000, 200); // faster: the slowest speed stays
    expect(d.forOp('ecdsa-verify')).toEqual({ wallMs: 300_000, cpuMs: 1500 + (BUDGET_FACTOR * 25_000_000) / 50_000, instructions: BUDGET_FACTOR * 25_000_000 });
    // A tiny op learns nothing about speed, and gets at least the floor.
    d.observe('set-time', 200, 0);
    expect(d.forOp('set-time').cpuMs).toBe(3000);
    expect(d.forOp('set-time').instructions).toBe(10_000_000); // the least instruction budget
    // No CPU figure (the process is gone): the count is kept, the speed is not.
    d.observe('ecdh', 30_000_000, null);
    expect(d.forOp('ecdh').cpuMs).toBe(1500 + (BUDGET_FACTOR * 30_000_000) / 50_000);
  });

  it('budgets each kind of device at its own speed, and a kind not seen yet at the slowest of any', () => {
    const d = new Deadlines(300_000);
    d.observe('ecdsa-verify', 400_000_000, 1000, 'addr'); // 400k per CPU ms (per-address counting)
    expect(d.forOp('ecdsa-verify', 'time').cpuMs).toBe(1500 + (BUDGET_FACTOR * 400_000_000) / 400_000);
    d.observe('ecdsa-verify', 400_000_000, 250, 'time'); // 1.6M per CPU ms (nothing counted)
    expect(d.forOp('ecdsa-verify', 'time').cpuMs).toBe(1500 + (BUDGET_FACTOR * 400_000_000) / 1_600_000);
    expect(d.forOp('ecdsa-verify', 'addr').cpuMs).toBe(1500 + (BUDGET_FACTOR * 400_000_000) / 400_000);
  });

  it('reads a live process\'s CPU time, and null for a process that is gone', () => {
    const before = cpuTimeMs(process.pid)!;
    expect(before).toBeGreaterThanOrEqual(0);
    let x = 0;
    const t = Date.now();
    while (Date.now() - t < 50) x += Math.sqrt(x + 1);
    expect(cpuTimeMs(process.pid)!).toBeGreaterThanOrEqual(before);
    expect(cpuTimeMs(2 ** 22 + 12345)).toBeNull();
  });
});
