// Library versions end to end (scenarios/libraries-quick.yaml): two versions
// each of mbedTLS and wolfSSL in one run, records keyed by library@version,
// the versions table in results.md, and `check --versions` between them.
import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../harness/cli.js';
import { check } from '../../harness/commands/check.js';
import { ResultsSchema, type Results } from '../../harness/record/schema.js';
import { recordKey } from '../../harness/record/key.js';

describe('library versions side by side', () => {
  let dir: string;
  let code: number;
  let results: Results;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'certcost-libs-'));
    code = await main(['run', 'scenarios/libraries-quick.yaml', '--out', dir]);
    results = ResultsSchema.parse(JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')));
  });

  it('measures every version, keyed by library and version', () => {
    expect(code).toBe(0);
    expect(results.records.map(recordKey)).toEqual(['2.28.3', '3.6.6'].flatMap((v) => [`mps2-an386/mbedtls@${v}/ecdsa-verify`, `mps2-an386/mbedtls@${v}/dtls-psk-ccm8`])
      .concat(['5.5.4', '5.9.4'].flatMap((v) => [`mps2-an386/wolfssl@${v}/ecdsa-verify`, `mps2-an386/wolfssl@${v}/dtls-psk-ccm8`])));
    for (const r of results.records) expect(r.status, `${recordKey(r)}: ${r.reason}`).toBe('ok');
    // Different versions are different images, and different code.
    const verify = (v: string) => results.records.find((r) => r.library === 'wolfssl' && r.libraryVersion === v && r.op === 'ecdsa-verify')!;
    expect(verify('5.5.4').image!.sha256).not.toBe(verify('5.9.4').image!.sha256);
    expect(verify('5.9.4').instructions).toBeLessThan(verify('5.5.4').instructions!); // 5.6.4 rewrote the Thumb-2 SP ECC
  });

  it('results.md puts the versions side by side', () => {
    const md = readFileSync(join(dir, 'results.md'), 'utf8');
    expect(md).toMatch(/## Library versions side by side/);
    expect(md).toMatch(/\| ecdsa-verify \| mps2-an386 \| wolfssl@5\.9\.4 \| [\d,]+ \| -\d+\.\d %/);
  });

  it('check --versions compares one version with another of the same run', () => {
    const out: string[] = [];
    const r = check(dir, { versions: 'mbedtls@2.28.3:mbedtls@3.6.6', out: (s) => out.push(s), err: () => {} });
    expect(r.comparison!.records).toBe(2);
    expect(r.comparison!.diffs.some((d) => d.metric === 'instructions' && d.version === 'mbedtls@2.28.3 → mbedtls@3.6.6')).toBe(true);
    expect(out.join('\n')).toMatch(/check mbedtls@3\.6\.6 against mbedtls@2\.28\.3/);
  });
});
