// End to end: real firmware, real QEMU, the counting plugin, noble as the
// reference. Runs the README's smoke scenario twice and a fault scenario.
import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../harness/cli.js';
import type { Results } from '../../harness/record/schema.js';
import { ResultsSchema } from '../../harness/record/schema.js';

async function run(scenario: string): Promise<{ code: number; results: Results; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'certcost-it-'));
  const code = await main(['run', scenario, '--out', dir]);
  const results = ResultsSchema.parse(JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')));
  return { code, results, dir };
}

describe('smoke scenario: mbedTLS ECDSA verify on five boards', () => {
  let a: Awaited<ReturnType<typeof run>>;
  let b: Awaited<ReturnType<typeof run>>;
  beforeAll(async () => {
    a = await run('scenarios/smoke.yaml');
    b = await run('scenarios/smoke.yaml');
  });

  it('measures every board, and every verdict agrees with noble', () => {
    expect(a.code).toBe(0);
    expect(a.results.records.map((r) => r.board).sort()).toEqual(['microbit', 'mps2-an385', 'mps2-an386', 'mps2-an500', 'mps2-an505']);
    for (const r of a.results.records) {
      expect(r.status, `${r.board}: ${r.reason}`).toBe('ok');
      expect(r.vectors.total).toBeGreaterThanOrEqual(4);
      expect(r.vectors.agree).toBe(r.vectors.total);
      // the vectors include rejected signatures, so both verdicts were exercised
      expect(new Set(r.perVector.map((v) => v.status))).toEqual(new Set([0, 1]));
      expect(r.instructions).toBeGreaterThan(1_000_000);
      expect(r.flashBytes).toBeGreaterThan(10_000);
      expect(r.stackBytes).toBeGreaterThan(100);
      expect(r.heapBytes).toBeGreaterThan(100);
    }
  });

  it('counts the same instructions on every run', () => {
    const key = (r: Results['records'][number]) => `${r.board}/${r.op}`;
    const second = new Map(b.results.records.map((r) => [key(r), r]));
    for (const r of a.results.records) {
      expect(second.get(key(r))!.perVector.map((v) => v.instructions)).toEqual(r.perVector.map((v) => v.instructions));
    }
  });

  it('costs the M0 more instructions than the M4', () => {
    const by = new Map(a.results.records.map((r) => [r.board, r.instructions!]));
    expect(by.get('microbit')!).toBeGreaterThan(by.get('mps2-an386')!);
  });

  it('writes results.md and the per-record journal', () => {
    expect(readFileSync(join(a.dir, 'results.md'), 'utf8')).toMatch(/\| mps2-an505 \| cortex-m33 \| mbedtls@3\.6\.6 \| ecdsa-verify \| [\d,]+ \|/);
    expect(readFileSync(join(a.dir, 'results.jsonl'), 'utf8').trim().split('\n')).toHaveLength(5);
  });
});

describe('a faulting op', () => {
  it('is an error naming the fault, and the run goes on to the next op and board', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'certcost-fault-'));
    const file = join(dir, 'fault.yaml');
    writeFileSync(file, 'name: fault\nboards: [mps2-an385, microbit]\nlibraries: [mbedtls]\nops: [selftest-fault, ecdsa-verify]\nvectors: {count: 2}\n');
    const { code, results } = await run(file);
    expect(code).toBe(1); // an error is a failed measurement
    const get = (board: string, op: string) => results.records.find((r) => r.board === board && r.op === op)!;
    const m3 = get('mps2-an385', 'selftest-fault');
    expect(m3.status).toBe('error');
    expect(m3.fault).toMatchObject({ name: 'UsageFault', pcSymbol: expect.stringMatching(/^op_fault\+0x/) });
    expect(m3.fault!.causes.join()).toMatch(/UNDEFINSTR/);
    const m0 = get('microbit', 'selftest-fault');
    expect(m0.status).toBe('error');
    expect(m0.fault).toMatchObject({ name: 'HardFault', pcSymbol: expect.stringMatching(/^op_fault\+0x/) });
    expect(get('mps2-an385', 'ecdsa-verify').status).toBe('ok');
    expect(get('microbit', 'ecdsa-verify').status).toBe('ok');
  });
});

describe('bad input', () => {
  it('exits 2 and runs nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'certcost-bad-'));
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'name: bad\nboards: [mps2-an385]\nlibraries: [mbedtls]\nops: [ecdsa-verify]\nvectors: {count: -1}\n');
    const out = join(dir, 'out');
    expect(await main(['run', file, '--out', out])).toBe(2);
    expect(existsSync(out)).toBe(false);
  });
});
