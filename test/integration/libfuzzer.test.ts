// The coverage-guided engine end to end: the host build of a library's
// adapter under libFuzzer (fuzz/host), a short campaign that must reach more
// edges than its seeds, and the finding path: a sanitizer report saved with
// its replay commands and replayed on the emulated device. The finding is
// made certain (not left to the fuzzer's luck or the host's speed) by giving
// a known input as an extra seed: libFuzzer runs every seed first.
import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { boards } from '../../harness/catalog/boards.js';
import { hostFuzzerMissing, libfuzz } from '../../harness/fuzz/libfuzzer.js';
import { TARGETS } from '../../harness/fuzz/targets.js';

const board = boards().get('mps2-an386')!;
const x509 = TARGETS.find((t) => t.id === 'x509')!;

describe.skipIf(!!hostFuzzerMissing())('libFuzzer engine', () => {
  it('a short mbedTLS X.509 campaign goes past its seeds\' coverage', async () => {
    const out = mkdtempSync(join(tmpdir(), 'certcost-lf-'));
    const s = await libfuzz({ board, library: 'mbedtls', target: x509, seconds: 5, seed: 1, out });
    expect(s.unsupported).toBeUndefined();
    expect(s.execs).toBeGreaterThan(0);
    expect(s.seedEdges).toBeGreaterThan(100);
    expect(s.edges).toBeGreaterThanOrEqual(s.seedEdges);
    expect(s.corpus).toBeGreaterThan(0);
  });

  it('a sanitizer report is saved with replay commands and replayed on the device', async () => {
    // A DER length of 0x80000000 (84 80 00 00 00): wolfSSL 5.5.4's GetLength
    // shifts it into the sign bit of an int (undefined in C) before it
    // checks for overflow.
    const ub = Uint8Array.of(0x30, 0x84, 0x80, 0x00, 0x00, 0x00, 0x30, 0x00);
    const out = mkdtempSync(join(tmpdir(), 'certcost-lf-'));
    const s = await libfuzz({ board, library: 'wolfssl@5.5.4', target: x509, seconds: 3, seed: 1, out, extraSeeds: [ub] });
    const f = s.findings.find((x) => /asn\.c:2143/.test(x.detail));
    expect(f, JSON.stringify(s.findings.map((x) => x.detail))).toBeDefined();
    expect(f!.detail).toMatch(/^UBSan: left shift of \d+ by 8 places cannot be represented in type 'int'/);
    expect(existsSync(f!.file) && existsSync(f!.report)).toBe(true);
    expect(readFileSync(f!.report, 'utf8')).toMatch(/runtime error/);
    expect(f!.deviceReplay).toMatch(/certcost fuzz --replay .* --engine libfuzzer --library wolfssl@5\.5\.4 --board mps2-an386 --target x509/);
    // On the device the shift wraps and wolfSSL's own overflow check then rejects the input: not affected.
    expect(f!.device).toMatchObject({ affected: false });
    expect(f!.device!.summary).toMatch(/^status -140,/); // ASN_PARSE_E
  });
});
