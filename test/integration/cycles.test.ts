// End to end: a scenario with `cycles:` runs its images in addr mode and
// every record gets cycles, ms, the profile, the top functions and the
// bignum/hash/other shares; `calibrate` models the published P256-Cortex-M4
// figures. Real firmware, real QEMU, the counting plugin.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../harness/cli.js';
import { ResultsSchema } from '../../harness/record/schema.js';
import { calibrate, calibrationJson, loadCalibration } from '../../harness/calibrate/calibrate.js';
import { loadBands } from '../../harness/cycles/bands.js';
import { mcuProfile } from '../../harness/cycles/profiles.js';

function scenario(body: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'cycles-it-'));
  writeFileSync(join(dir, 's.yaml'), body);
  return dir;
}

describe('cycles in scenario runs', () => {
  it('adds cycles, ms and a function profile to every record', async () => {
    const dir = scenario(`name: cycles-it\nboards: [mps2-an386, microbit]\nlibraries: [mbedtls@2.28.3]\nops: [ecdsa-verify]\nvectors: { count: 2 }\ncycles: { profile: default }\n`);
    expect(await main(['run', join(dir, 's.yaml'), '--out', join(dir, 'out')])).toBe(0);
    const res = ResultsSchema.parse(JSON.parse(readFileSync(join(dir, 'out', 'results.json'), 'utf8')));
    for (const r of res.records) {
      expect(r.status).toBe('ok');
      expect(r.cycleProfile).toBe(r.board === 'microbit' ? 'nrf51822' : 'nrf52840');
      expect(r.cycles).toBeGreaterThan(r.instructions!); // every core here has CPI > 1 on this code
      expect(r.ms).toBeCloseTo((r.cycles! / (r.board === 'microbit' ? 16e6 : 64e6)) * 1e3, 3);
      expect(r.topFunctions!.length).toBe(10);
      expect(r.shares!.bignum + r.shares!.hash + r.shares!.other).toBeCloseTo(1, 3);
      expect(r.shares!.bignum).toBeGreaterThan(0.5); // ECDSA verify is field arithmetic
      expect(r.topFunctions!.some((f) => f.name === 'mpi_mul_hlp')).toBe(true);
      // The error band from the calibration's validation set, when it covers the core.
      const band = loadBands()?.cores[mcuProfile(r.cycleProfile!).core];
      if (band) {
        expect(r.msBand![0]).toBeLessThanOrEqual(r.ms!);
        expect(r.msBand![1]).toBeGreaterThanOrEqual(r.ms!);
        expect(r.cycleError).toMatchObject({ minPct: band.minErrorPct, maxPct: band.maxErrorPct });
      } else expect(r.msBand).toBeUndefined();
    }
    expect(readFileSync(join(dir, 'out', 'results.md'), 'utf8')).toMatch(/## Cycle model[\s\S]*\| mps2-an386 \| mbedtls@2\.28\.3 \| ecdsa-verify \| nrf52840 \| [\d,]+ \|/);
  });

  it('rejects a profile whose core does not run the board\'s code, before running anything', async () => {
    const dir = scenario(`name: cycles-bad\nboards: [microbit]\nlibraries: [mbedtls]\nops: [ecdsa-verify]\ncycles: { profile: nrf52840 }\n`);
    expect(await main(['run', join(dir, 's.yaml'), '--out', join(dir, 'out')])).toBe(2);
  });
});

describe('calibration against published silicon', () => {
  it('rebuilds and models the P256-Cortex-M4 nRF52840 points (-O2) and prints them as JSON', async () => {
    const points = loadCalibration().filter((p) => p.id.startsWith('p256m4-nrf52840-'));
    expect(points.map((p) => p.op).sort()).toEqual(['ecdh', 'ecdsa-keygen', 'ecdsa-sign', 'ecdsa-verify']);
    const rows = await calibrate({ points, vectors: 1 });
    for (const r of rows) {
      expect(r.modeled, `${r.point}: ${r.note}`).not.toBeNull();
      expect(r.errorPct).toBeCloseTo(((r.modeled! - r.published) / r.published) * 100, 0);
      // Not a fit target: a guard against the model drifting far off silicon.
      expect(Math.abs(r.errorPct!)).toBeLessThan(15);
    }
    const json = calibrationJson(rows);
    expect(json.rows.map((r) => [r.core, r.set])).toEqual([['cortex-m4', 'fit'], ['cortex-m4', 'fit'], ['cortex-m4', 'validation'], ['cortex-m4', 'validation']]);
    expect(json.perCore.find((c) => c.core === 'cortex-m4' && c.set === 'validation')!.points).toBe(2);
  });
});
