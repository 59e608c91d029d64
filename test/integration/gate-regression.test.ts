// The CI gate against real runs: a baseline from the default mbedTLS build,
// then the same op with a smaller ECP window (-DMBEDTLS_ECP_WINDOW_SIZE=2,
// which the adapter's config lets a -D override): verify costs more
// instructions, and `check` must fail naming that metric.
import { beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../harness/cli.js';
import { check } from '../../harness/commands/check.js';

const SCENARIO = 'name: gate-it\nboards: [mps2-an385]\nlibraries: [mbedtls]\nops: [ecdsa-verify]\nvectors: {count: 2}\n';

describe('check: a deliberate regression', () => {
  const dir = mkdtempSync(join(tmpdir(), 'certcost-gate-'));
  const baseline = join(dir, 'baseline', 'gate.json');
  const scenario = (name: string, extra = '') => {
    const f = join(dir, `${name}.yaml`);
    writeFileSync(f, SCENARIO + extra);
    return f;
  };
  const codes: Record<string, number> = {};

  beforeAll(async () => {
    codes.base = await main(['run', scenario('base'), '--out', join(dir, 'base')]);
    codes.again = await main(['run', scenario('again'), '--out', join(dir, 'again')]);
    codes.w2 = await main(['run', scenario('w2', 'build: { cflags: ["-DMBEDTLS_ECP_WINDOW_SIZE=2"] }\n'), '--out', join(dir, 'w2')]);
  });

  it('has no baseline until one is written deliberately', async () => {
    expect(codes).toEqual({ base: 0, again: 0, w2: 0 });
    expect(await main(['check', join(dir, 'base'), '--baseline', baseline])).toBe(2);
    expect(await main(['check', join(dir, 'base'), '--baseline', baseline, '--update-baseline'])).toBe(0);
    const b = JSON.parse(readFileSync(baseline, 'utf8'));
    expect(b.records[0].image.elf).toMatch(/^build\/fw\/mps2-an385\//); // repository-relative
  });

  it('passes an identical re-run: the counts are exact and repeatable', () => {
    const out: string[] = [];
    expect(check(join(dir, 'again'), { baseline, out: (s) => out.push(s), err: () => {} }).code).toBe(0);
    expect(out.at(-1)).toMatch(/0 regression\(s\), 0 improvement\(s\), 0 new/);
  });

  it('fails the smaller ECP window, naming instructions and the changed image', () => {
    const out: string[] = [];
    const junit = join(dir, 'junit.xml');
    const r = check(join(dir, 'w2'), { baseline, junit, out: (s) => out.push(s), err: () => {}, env: { GITHUB_ACTIONS: 'true' } });
    const text = out.join('\n');
    console.log(text);
    expect(r.code).toBe(1);
    expect(r.comparison!.regressions.map((d) => d.metric)).toEqual(['instructions']);
    const d = r.comparison!.regressions[0]!;
    expect(d.now as number).toBeGreaterThan(d.base as number);
    expect(text).toMatch(/mps2-an385\/mbedtls@3\.6\.6\/ecdsa-verify\s+instructions\s+[\d,]+\s+[\d,]+\s+\+[\d,]+\s+\+[\d.]+ %\s+exact\s+REGRESSION/);
    expect(text).toMatch(/mbedtls-3\.6\.6-Os \w{10} → mbedtls-3\.6\.6-Os-\w{8} \w{10}/); // the cflags hash names the changed library config
    // GitHub annotation (no file= here: the scenario lives outside the repository)
    expect(text).toMatch(/^::error title=certcost REGRESSION%3A mps2-an385\/mbedtls@3\.6\.6\/ecdsa-verify instructions::.*\+[\d]+, [\d.]+ %25\)/m);
    const xml = readFileSync(junit, 'utf8');
    expect(xml).toMatch(/name="ecdsa-verify instructions"><failure message="instructions REGRESSION">/);
  });

  it('a tolerance above the measured increase lets it through; the CLI exits 1 without one', async () => {
    const c = check(join(dir, 'w2'), { baseline, out: () => {}, err: () => {} }).comparison!;
    const pct = Math.ceil(c.regressions[0]!.pct!) + 1;
    expect(check(join(dir, 'w2'), { baseline, threshold: `instructions=${pct}%`, out: () => {}, err: () => {} }).code).toBe(0);
    expect(await main(['check', join(dir, 'w2'), '--baseline', baseline])).toBe(1);
    expect(existsSync(baseline)).toBe(true);
  });
});
