// Library versions side by side: records keyed by library and version, the
// gate pairing a record with the baseline's other version, `check --versions`
// within one run, and the report's versions table. Figures are invented test
// input (fixtures-results.ts), never measurements.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { check } from '../../harness/commands/check.js';
import { compare } from '../../harness/gate/compare.js';
import { diffTable } from '../../harness/gate/table.js';
import { thresholds } from '../../harness/gate/thresholds.js';
import { libraryLabel, recordKey } from '../../harness/record/key.js';
import { documentMarkdown } from '../../harness/report/md.js';
import { compareVersions, versionsSections } from '../../harness/report/sections/versions.js';
import { fixture, type Rec } from './fixtures-results.js';

const v = (version: string, instructions: number, extra: Partial<Rec> = {}): Rec => ({ board: 'mps2-an386', library: 'mbedtls', libraryVersion: version, op: 'ecdsa-verify', instructions, ...extra });

describe('library versions', () => {
  it('a record is keyed by its library at its version', () => {
    expect(recordKey({ board: 'b', library: 'mbedtls', libraryVersion: '3.6.6', op: 'ecdh' })).toBe('b/mbedtls@3.6.6/ecdh');
    expect(recordKey({ board: 'b', library: 'micro-ecc', op: 'ecdh' })).toBe('b/micro-ecc/ecdh');
    expect(libraryLabel({ library: 'wolfssl', libraryVersion: '5.9.4' })).toBe('wolfssl@5.9.4');
  });

  it('orders versions numerically', () => {
    expect(['5.10.0', '5.5.4', '5.9.4'].sort(compareVersions)).toEqual(['5.5.4', '5.9.4', '5.10.0']);
  });

  it('the gate compares a record with the baseline\'s other version and says so', () => {
    const c = compare(fixture([v('2.28.3', 1_000_000)]), fixture([v('3.6.6', 1_200_000)]), thresholds());
    expect(c.regressions.map((d) => [d.metric, d.verdict])).toEqual([['instructions', 'regression']]);
    expect(c.regressions[0]!.version).toBe('mbedtls@2.28.3 → mbedtls@3.6.6');
    expect(c.notes.join('\n')).toMatch(/library version: mbedtls@2\.28\.3 → mbedtls@3\.6\.6 on 1 record/);
    expect(c.added).toEqual([]);
    // Same version on both sides: matched by key, no version note.
    expect(compare(fixture([v('3.6.6', 5)]), fixture([v('3.6.6', 5)]), thresholds()).notes).toEqual([]);
  });

  it('check --versions compares two versions of one run, and refuses a version the run lacks', () => {
    const dir = mkdtempSync(join(tmpdir(), 'certcost-versions-'));
    const res = fixture([v('2.28.3', 1_000_000, { flashBytes: 30_000 }), v('3.6.6', 900_000, { flashBytes: 31_000 })]);
    writeFileSync(join(dir, 'results.json'), res.text);
    const lines: string[] = [];
    const r = check(dir, { versions: 'mbedtls@2.28.3:mbedtls@3.6.6', out: (s) => lines.push(s), err: () => {} });
    expect(r.code).toBe(1); // flash grew
    expect(diffTable(r.comparison!)).toMatch(/flashBytes\s+30,000\s+31,000[\s\S]*REGRESSION/);
    expect(diffTable(r.comparison!)).toMatch(/instructions[\s\S]*improved/);
    expect(() => check(dir, { versions: 'mbedtls@2.28.3:mbedtls@9.9.9', out: () => {}, err: () => {} })).toThrow(/no records of 'mbedtls@9\.9\.9' \(they have mbedtls@2\.28\.3, mbedtls@3\.6\.6\)/);
  });

  it('the report puts versions side by side with the change against the oldest', () => {
    const recs = fixture([v('3.6.6', 900_000, { heapBytes: 100 }), v('2.28.3', 1_000_000, { heapBytes: 200 })]).records;
    const md = documentMarkdown({ title: 't', meta: [], sections: versionsSections(recs), charts: [], source: { file: 'f', sha256: '0'.repeat(64) } });
    expect(md).toContain('| ecdsa-verify | mps2-an386 | mbedtls@2.28.3 | 1,000,000 | — |');
    expect(md).toMatch(/\| ecdsa-verify \| mps2-an386 \| mbedtls@3\.6\.6 \| 900,000 \| -10\.0 % \|/);
    expect(versionsSections(fixture([v('3.6.6', 1)]).records)).toEqual([]);
  });
});
