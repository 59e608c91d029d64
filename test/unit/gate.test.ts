import { describe, expect, it } from 'vitest';
import { annotations } from '../../harness/gate/annotations.js';
import { compare } from '../../harness/gate/compare.js';
import { junitXml } from '../../harness/gate/junit.js';
import { diffTable } from '../../harness/gate/table.js';
import { thresholds } from '../../harness/gate/thresholds.js';
import { parseThresholdArg, ThresholdsSchema } from '../../harness/scenario/thresholds.js';
import { UserError } from '../../harness/core/errors.js';
import { fixture, type Rec } from './fixtures-results.js';

const base: Rec[] = [
  { board: 'mps2-an385', library: 'mbedtls', op: 'ecdsa-verify', instructions: 1_000_000, stackBytes: 1200, flashBytes: 30000 },
  { board: 'mps2-an385', library: 'mbedtls', op: 'ecdh', instructions: 500_000 },
  { board: 'microbit', library: 'mbedtls', op: 'ecdsa-verify', instructions: 2_000_000 },
];
const with_ = (i: number, patch: Partial<Rec>) => base.map((r, j) => (j === i ? { ...r, ...patch } : r));

describe('thresholds', () => {
  it('default to exact and accept percentages, off and per-field overrides', () => {
    const t = thresholds(ThresholdsSchema.parse({ instructions: '2%', stackBytes: 'off', fields: { 'flights.total': 1 } }));
    expect(t.of('instructions')).toBe(2);
    expect(t.of('flashBytes')).toBe(0);
    expect(t.of('stackBytes')).toBe('off');
    expect(t.of('flights.total')).toBe(1);
    expect(t.gatesExtra('handshakeBytes')).toBe(true); // byte-like extras are gated by default
    expect(t.gatesExtra('hostNs')).toBe(false);
    expect(ThresholdsSchema.safeParse({ instructions: 'loose' }).success).toBe(false);
    expect(parseThresholdArg('instructions=±1.5%,heapBytes=exact')).toMatchObject({ instructions: '±1.5%', heapBytes: 'exact' });
    expect(() => parseThresholdArg('instructions=some')).toThrow(UserError);
  });
});

describe('compare', () => {
  it('finds nothing when nothing moved', () => {
    const c = compare(fixture(base), fixture(base), thresholds());
    expect(c.regressions).toEqual([]);
    expect(diffTable(c)).toBe('');
  });

  it('fails an exact metric on any increase and names it', () => {
    const c = compare(fixture(base), fixture(with_(0, { instructions: 1_000_001, sha: 'b'.repeat(64) })), thresholds());
    expect(c.regressions.map((d) => [d.key, d.metric, d.delta])).toEqual([['mps2-an385/mbedtls/ecdsa-verify', 'instructions', 1]]);
    const table = diffTable(c);
    expect(table).toMatch(/mps2-an385\/mbedtls\/ecdsa-verify\s+instructions\s+1,000,000\s+1,000,001\s+\+1\s+\+0\.00 %\s+exact\s+REGRESSION/);
    expect(table).toMatch(/mbedtls-Os aaaaaaaaaa → mbedtls-Os bbbbbbbbbb/); // which image changed
  });

  it('lets a tolerance absorb small moves and reports decreases as improvements', () => {
    const now = fixture(with_(0, { instructions: 1_015_000, stackBytes: 1000 }));
    const loose = compare(fixture(base), now, thresholds({ instructions: '2%' }));
    expect(loose.regressions).toEqual([]);
    expect(loose.diffs.find((d) => d.metric === 'instructions')!.verdict).toBe('within');
    expect(loose.improvements.map((d) => d.metric)).toEqual(['stackBytes']);
    expect(compare(fixture(base), now, thresholds({ instructions: '1%' })).regressions.map((d) => d.metric)).toEqual(['instructions']);
  });

  it('fails a record that broke or vanished, and notes new ones', () => {
    const now = fixture([{ ...base[0]!, status: 'mismatch' }, base[2]!, { board: 'microbit', library: 'mbedtls', op: 'sha256-1k' }]);
    const c = compare(fixture(base), now, thresholds());
    expect(c.regressions.map((d) => `${d.key} ${d.metric} ${d.verdict}`).sort()).toEqual([
      'mps2-an385/mbedtls/ecdh record missing',
      'mps2-an385/mbedtls/ecdsa-verify status regression',
    ]);
    expect(c.added.map((d) => d.key)).toEqual(['microbit/mbedtls/sha256-1k']);
  });

  it('notes a different compiler, which explains moved counts', () => {
    const c = compare(fixture(base), fixture(base, { gcc: 'gcc 13.1' }), thresholds());
    expect(c.notes.join()).toMatch(/compiler changed: gcc 12.2 → gcc 13.1/);
  });
});

describe('CI outputs', () => {
  const c = compare(fixture(base), fixture(with_(0, { instructions: 1_100_000, stackBytes: 1100 })), thresholds());

  it('JUnit: one testcase per record and metric group, the regression a failure', () => {
    const xml = junitXml(c, 'certcost check fixture');
    expect(xml.match(/<testcase /g)).toHaveLength(3 * 3); // 3 records x (status, instructions, memory)
    expect(xml).toMatch(/<testsuite name="certcost check fixture" tests="9" failures="1"/);
    expect(xml).toMatch(/<testcase classname="certcost.mps2-an385.mbedtls" name="ecdsa-verify instructions"><failure message="instructions REGRESSION">/);
  });

  it('GitHub annotations: escaped workflow commands pinned to the scenario file', () => {
    const a = annotations(c, 'scenarios/smoke.yaml');
    expect(a[0]).toBe('::error file=scenarios/smoke.yaml,title=certcost REGRESSION%3A mps2-an385/mbedtls/ecdsa-verify instructions::mps2-an385/mbedtls/ecdsa-verify instructions: baseline 1000000, now 1100000 (+100000, 10.00 %25)');
    expect(a[1]).toMatch(/^::notice .*stackBytes/);
    expect(annotations(c, '../tmp/x.yaml')[0]).toMatch(/^::error title=/); // outside the repo: no file
  });
});
