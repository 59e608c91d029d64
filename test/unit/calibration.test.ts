// The calibration's bookkeeping: what data/calibration.yaml must say for
// each point, how a point is built, the per-core summary, the
// machine-readable table (`certcost calibrate --json`), and the error band
// a record's ms carries. No QEMU here (test/integration/cycles.test.ts runs
// points for real).
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { calibrationJson, calibrationMarkdown, errorBands, loadCalibration, pointBuild, publishedCycles, summarize, unbuildable, type CalibrationRow } from '../../harness/calibrate/calibrate.js';
import { msBand } from '../../harness/cycles/bands.js';
import { mcuProfile } from '../../harness/cycles/profiles.js';
import { msCell } from '../../harness/report/sections/cycles.js';

const row = (point: string, core: string, set: CalibrationRow['set'], errorPct: number | null): CalibrationRow => ({
  point, set, core, profile: 'p', library: 'l', version: '1', publishedVersion: '1', what: 'ecdsa-sign',
  published: 1000, modeled: errorPct === null ? null : Math.round(1000 * (1 + errorPct / 100)), errorPct, instructions: 1, source: 's',
});

describe('data/calibration.yaml', () => {
  const points = loadCalibration();
  it('names library, both versions, build, MCU profile, published figure, source, conditions and boundary for every point', () => {
    for (const p of points) {
      expect(p.version.built, p.id).toBeTruthy();
      expect(p.version.published, p.id).toBeTruthy();
      expect(p.published.source, p.id).toMatch(/\S/);
      expect(p.published.conditions, `${p.id}: published conditions`).toBeTruthy();
      expect(p.published.boundary, `${p.id}: op boundary`).toBeTruthy();
      expect(publishedCycles(p)).toBeGreaterThan(0);
    }
  });
  it('has fit and validation points for every core family it scores, from more than one library', () => {
    const scored = points.filter((p) => p.set !== 'context');
    const families = (core: string) => core.replace('cortex-m0plus', 'cortex-m0');

    const by = new Map<string, { fit: number; validation: number }>();
    for (const p of scored) {
      const f = families(mcuProfile(p.profile).core);
      const e = by.get(f) ?? { fit: 0, validation: 0 };
      e[p.set as 'fit' | 'validation']++;
      by.set(f, e);
    }
    for (const core of ['cortex-m0', 'cortex-m3', 'cortex-m4', 'cortex-m7', 'cortex-m33']) {
      expect(by.get(core)?.fit, `${core} fit`).toBeGreaterThan(0);
      expect(by.get(core)?.validation, `${core} validation`).toBeGreaterThan(0);
    }
    expect(new Set(scored.map((p) => p.library)).size).toBeGreaterThan(1);
  });
  it('builds each point as published: library version, optimisation level and defines', () => {
    const h753 = points.find((p) => p.id === 'wolf-h753-keygen')!;
    expect(pointBuild(h753)).toMatchObject({ board: 'mps2-an500', library: 'wolfssl', opt: 'O2', cflags: ['-DWOLFSSL_SP_SMALL'] });
    const g071 = points.find((p) => p.id === 'wolf-g071-keygen')!;
    expect(pointBuild(g071).cflags).toEqual(['-DWOLFSSL_SP_SMALL']);
    // A version no adapter builds is reported, never silently replaced.
    expect(unbuildable({ ...g071, version: { built: '9.9.9', published: '9.9.9' } })).toMatch(/9\.9\.9/);
    expect(unbuildable({ ...g071, library: 'no-such-lib' })).toMatch(/no adapter/);
  });
  it('refuses a point whose profile clock is not the published clock', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cal-'));
    const file = join(dir, 'c.yaml');
    writeFileSync(file, `points:\n  - id: x\n    set: fit\n    library: wolfssl\n    version: { built: 5.5.4, published: 5.5.4 }\n    build: { opt: Os }\n    board: microbit\n    profile: stm32g0-64\n    op: ecdsa-sign\n    published: { ms: 1, mhz: 48, source: s, conditions: c, boundary: b }\n`);
    expect(() => loadCalibration(file)).toThrow(/48 MHz but profile stm32g0-64 runs at 64 MHz/);
  });
});

describe('summaries, JSON and error bands', () => {
  const rows = [row('a', 'cortex-m4', 'fit', -5), row('b', 'cortex-m4', 'validation', -10), row('c', 'cortex-m4', 'validation', 4),
    row('d', 'cortex-m0', 'validation', 20), row('e', 'cortex-m0', 'context', 50), row('f', 'cortex-m7', 'validation', null)];
  it('summarises fit and validation apart, per core, with median |error|', () => {
    const s = summarize(rows);
    expect(s.find((x) => x.core === 'cortex-m4' && x.set === 'validation')).toMatchObject({ points: 2, medianAbsErrorPct: 7, maxAbsErrorPct: 10, minErrorPct: -10, maxErrorPct: 4, within15: 2 });
    expect(s.find((x) => x.core === 'all' && x.set === 'validation')).toMatchObject({ points: 3, medianAbsErrorPct: 10, within15: 2 });
    expect(s.some((x) => x.set === ('context' as string))).toBe(false);
  });
  it('prints the machine-readable table: point, core, profile, published, modeled, error, set', () => {
    const j = calibrationJson(rows);
    expect(j.rows[1]).toMatchObject({ point: 'b', core: 'cortex-m4', profile: 'p', published: 1000, modeled: 900, errorPct: -10, set: 'validation' });
    expect(JSON.parse(JSON.stringify(j)).perCore.length).toBe(summarize(rows).length);
    const md = calibrationMarkdown(rows);
    expect(md).toMatch(/## Fit set[\s\S]*## Validation set[\s\S]*## Context \(not scored\)/);
  });
  it('takes the band of each core from its validation points only', () => {
    const b = errorBands(rows, 't');
    expect(Object.keys(b.cores).sort()).toEqual(['cortex-m0', 'cortex-m4']);
    expect(b.cores['cortex-m4']).toMatchObject({ minErrorPct: -10, maxErrorPct: 4, validationPoints: 2, points: ['b', 'c'] });
    expect(b.unmodeled).toEqual(['f']);
    // modeled 10 ms; silicon between 10/1.04 and 10/0.90
    expect(msBand(10, 'cortex-m4', b)).toMatchObject({ msBand: [9.6154, 11.1111], msErrorPct: 10 });
    // an all-positive band still holds the model's own figure
    expect(msBand(10, 'cortex-m0', b)!.msBand).toEqual([8.3333, 10]);
    expect(msBand(10, 'cortex-m33', b)).toBeUndefined();
    expect(msCell({ ms: 10, msBand: [9.6154, 11.1111] })).toBe('10.0 (9.62–11.1)');
    expect(msCell({ ms: 1234.5, msBand: [1100, 1300.2] })).toBe('1,235 (1,100–1,300)');
    expect(msCell({ ms: 10 })).toBe(10);
  });
});
