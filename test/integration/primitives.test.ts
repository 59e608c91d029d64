// The primitive matrix on one board per library (the M4F runs them all):
// every cell is a number, `unsupported` with a reason, or an explained
// mismatch — none missing — and every device answer to the generated
// vectors agrees with the TypeScript reference.
import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { main } from '../../harness/cli.js';
import { ResultsSchema, type Results } from '../../harness/record/schema.js';

const scenario = parse(readFileSync('scenarios/primitives-quick.yaml', 'utf8')) as { libraries: string[]; ops: string[]; boards: string[] };
let res: Results;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'certcost-prim-'));
  await main(['run', 'scenarios/primitives-quick.yaml', '--out', dir]);
  res = ResultsSchema.parse(JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')));
}, 900_000);

describe('primitive matrix, one board per library', () => {
  it('has one record for every library × op, none missing', () => {
    const keys = res.records.map((r) => `${r.library}/${r.op}`).sort();
    const want = scenario.libraries.flatMap((l) => scenario.ops.map((o) => `${l}/${o}`)).sort();
    expect(keys).toEqual(want);
  });

  it('every cell is a measurement, or unsupported with a reason', () => {
    for (const r of res.records) {
      const where = `${r.library}/${r.op}: ${r.reason}`;
      expect(['ok', 'finding', 'unsupported'], where).toContain(r.status);
      if (r.status === 'unsupported') expect(r.reason, where).toMatch(/does not implement|does not run/);
      else {
        expect(r.instructions, where).toBeGreaterThan(1000);
        expect(r.flashBytes, where).toBeGreaterThan(r.marginalFlashBytes!);
        expect(r.marginalFlashBytes, where).toBeGreaterThan(1000);
      }
    }
  });

  it('every generated vector agrees with the reference; the findings are Wycheproof cases, listed per case', () => {
    for (const r of res.records.filter((r) => r.status !== 'unsupported')) {
      expect(r.vectors.disagree, `${r.library}/${r.op}`).toEqual([]);
      expect(r.vectors.agree).toBe(r.vectors.total);
      if (r.status === 'finding') {
        expect(r.reason).toMatch(/^Wycheproof .*tcId \d+/);
        expect(r.wycheproof!.failures.length).toBe(r.wycheproof!.fail);
        expect(r.findings!.map((f) => f.case)).toEqual(r.wycheproof!.failures.map((f) => `tcId ${f.tcId}`));
      }
    }
  });

  it('runs Wycheproof for every library with ECDSA verify and ECDH', () => {
    for (const r of res.records.filter((r) => (r.op === 'ecdsa-verify' || r.op === 'ecdh') && r.status !== 'unsupported')) {
      const w = r.wycheproof!;
      expect(w, `${r.library}/${r.op}`).toBeDefined();
      expect(w.pass + w.fail + w.acceptable + w.skipped).toBeGreaterThan(400);
      expect(w.pass).toBeGreaterThan(200);
    }
  });

  it('the speed anchor is the fastest ECDSA verify', () => {
    const verify = res.records.filter((r) => r.op === 'ecdsa-verify');
    const p256 = verify.find((r) => r.library === 'p256-m4')!.instructions!;
    for (const r of verify) expect(r.instructions!).toBeGreaterThanOrEqual(p256);
  });
});
