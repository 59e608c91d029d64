import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { UserError } from '../../harness/core/errors.js';
import { plan } from '../../harness/plan/plan.js';
import { mergeResults } from '../../harness/results/merge.js';
import { parseShard, shardPlan } from '../../harness/plan/shard.js';
import { parseScenario } from '../../harness/scenario/load.js';
import { fixture } from './fixtures-results.js';

const matrix = parseScenario('m.yaml', `name: m
boards: [microbit, mps2-an385, mps2-an386, mps2-an500, mps2-an505]
libraries: [mbedtls, micro-ecc, p256-m4]
ops: [ecdsa-verify, ecdh]
`).scenario;

describe('--shard i/n', () => {
  it('parses i/n and rejects nonsense', () => {
    expect(parseShard('2/3')).toEqual({ index: 2, count: 3 });
    for (const bad of ['0/3', '4/3', '1/0', 'a/b', '1']) expect(() => parseShard(bad)).toThrow(UserError);
  });

  it('deals every (board, library) pair to exactly one shard, the same way every time', () => {
    const full = plan(matrix);
    const pairs = (p: ReturnType<typeof plan>) => [...p.images.map((i) => `${i.board.id}/${i.library}`), ...p.unsupported.map((u) => `${u.board.id}/${u.library}`)];
    const all = new Set(pairs(full));
    const shards = [1, 2, 3, 4].map((i) => shardPlan(full, { index: i, count: 4 }));
    const seen = shards.flatMap((s) => [...new Set(pairs(s))]);
    expect(seen.sort()).toEqual([...all].sort());
    expect(new Set(seen).size).toBe(seen.length);
    for (const s of shards) expect(new Set(pairs(s)).size).toBeGreaterThanOrEqual(3); // 15 pairs over 4 shards
    expect(shardPlan(plan(matrix), { index: 2, count: 4 })).toEqual(shards[1]);
    // an image keeps all its ops in one shard
    for (const s of shards) for (const i of s.images) expect(i.ops.map((o) => o.spec.id)).toEqual(['ecdsa-verify', 'ecdh']);
  });

  it('the smoke scenario splits as documented', () => {
    const s = parseScenario('scenarios/smoke.yaml', readFileSync('scenarios/smoke.yaml', 'utf8')).scenario;
    expect(shardPlan(plan(s), { index: 2, count: 3 }).images.map((i) => i.board.id)).toEqual(['mps2-an385', 'mps2-an505']);
  });
});

describe('merge', () => {
  const a = fixture([{ board: 'microbit', library: 'mbedtls', op: 'ecdsa-verify' }]);
  const b = fixture([{ board: 'mps2-an385', library: 'mbedtls', op: 'ecdsa-verify', extraField: 7 }]);

  it('combines shards, keeping fields it does not know', () => {
    const { results } = mergeResults([a, b]);
    expect(results.records.map((r) => r.board)).toEqual(['microbit', 'mps2-an385']);
    expect((results.records[1] as unknown as { extraField: number }).extraField).toBe(7);
    expect(results.scenario.name).toBe('fixture');
  });

  it('rejects duplicate records and results made by other tools', () => {
    expect(() => mergeResults([a, a])).toThrow(/duplicate record microbit\/mbedtls\/ecdsa-verify/);
    const other = fixture([{ board: 'mps2-an386', library: 'mbedtls', op: 'ecdsa-verify' }], { version: '0.2.0' });
    expect(() => mergeResults([a, other])).toThrow(/certcost version differs/);
    const gcc = fixture([{ board: 'mps2-an386', library: 'mbedtls', op: 'ecdsa-verify' }], { gcc: 'gcc 13' });
    expect(() => mergeResults([a, gcc])).toThrow(/compiler differs/);
  });
});
