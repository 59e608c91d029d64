// Scenario options and report columns added for the crypto matrix.
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../harness/scenario/load.js';
import { markdownTable } from '../../harness/report/md.js';
import { recordsTable as recordsTableModel } from '../../harness/report/sections/records.js';
import { RecordSchema, type ResultRecord } from '../../harness/record/schema.js';

const recordsTable = (rs: ResultRecord[]) => markdownTable(recordsTableModel(rs));

const yaml = (extra: string) => `name: t\nboards: [mps2-an386]\nlibraries: [mbedtls]\nops: [ecdh]\n${extra}`;

describe('crypto matrix options', () => {
  it('wycheproof and hostTiming default to false and parse when set', () => {
    const off = parseScenario('t.yaml', yaml('')).scenario;
    expect([off.vectors.wycheproof, off.hostTiming]).toEqual([false, false]);
    const on = parseScenario('t.yaml', yaml('vectors: {count: 2, wycheproof: true}\nhostTiming: true\n')).scenario;
    expect([on.vectors.wycheproof, on.hostTiming, on.vectors.count]).toEqual([true, true, 2]);
    expect(() => parseScenario('t.yaml', yaml('hostTiming: yes please\n'))).toThrow(/hostTiming/);
  });

  const rec = (extra: Partial<ResultRecord>): ResultRecord => RecordSchema.parse({
    board: 'mps2-an386', core: 'cortex-m4', qemuMachine: 'mps2-an386', library: 'mbedtls', op: 'ecdh', status: 'ok',
    instructions: 1, instructionsMin: 1, instructionsMax: 1, flashBytes: 1, ramBytes: 1, stackBytes: 1, heapBytes: 1,
    vectors: { total: 1, agree: 1, disagree: [] }, perVector: [], wallMs: 1, ...extra,
  });

  it('the table gains host and Wycheproof columns only when a record has them', () => {
    const plain = recordsTable([rec({})]);
    expect(plain).not.toContain('host µs');
    const wp = { file: 'f.json', pass: 3, fail: 1, acceptable: 2, skipped: 4, skippedIds: { encoding: [1, 2, 3, 4] }, failures: [{ tcId: 9, comment: 'c', expected: 'invalid' as const, got: 'valid' }] };
    const t = recordsTable([rec({ hostNs: 2_489_276, hostLib: '@noble/curves 2.4.0', wycheproof: wp }), rec({})]).split('\n');
    expect(t[0]).toMatch(/\| status \| host µs \| wycheproof \|$/);
    const cells = (l: string) => l.split(' | ').length;
    expect(new Set(t.map((l) => (l.startsWith('|---') ? l.split('|').length - 2 : cells(l)))).size).toBe(1);
    expect(t[2]).toContain('2,490 (@noble/curves 2.4.0)');
    expect(t[2]).toContain('3 pass, 1 fail, 2 acceptable, 4 skipped');
    expect(t[3]).toMatch(/\| — \| — \|$/);
  });
});
