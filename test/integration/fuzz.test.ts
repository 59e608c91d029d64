// The fuzzer end to end on real firmware: a short campaign against a real
// parser, and a target that is known to fault, so the finding path (file,
// details, replay) is exercised for real.
import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { boards } from '../../harness/catalog/boards.js';
import { fuzz, replay } from '../../harness/fuzz/campaign.js';
import { TARGETS, type FuzzTarget } from '../../harness/fuzz/targets.js';
import { mutant } from '../../harness/fuzz/mutate.js';

const board = boards().get('mps2-an386')!;

describe('fuzz campaign', () => {
  it('mutations are deterministic and really change the input', () => {
    const seeds = [Uint8Array.from({ length: 200 }, (_, i) => i)];
    const a = mutant(seeds, 7, 3), b = mutant(seeds, 7, 3), c = mutant(seeds, 7, 4);
    expect(Buffer.from(a.bytes)).toEqual(Buffer.from(b.bytes));
    expect(Buffer.from(a.bytes)).not.toEqual(Buffer.from(c.bytes));
    let changed = 0;
    for (let i = 0; i < 50; i++) if (Buffer.compare(mutant(seeds, 1, i).bytes, seeds[0]!) !== 0) changed++;
    expect(changed).toBeGreaterThan(45);
  });

  it('runs a bounded campaign against the mbedTLS X.509 parser', async () => {
    const out = mkdtempSync(join(tmpdir(), 'fuzz-'));
    const s = await fuzz({ board, library: 'mbedtls', target: TARGETS.find((t) => t.id === 'x509')!, count: 40, seconds: 120, seed: 3, out });
    expect(s.unsupported).toBeUndefined();
    expect(s.tried).toBe(40);
    expect(s.accepted + s.rejected + s.findings.length).toBe(40);
    expect(s.rejected).toBeGreaterThan(0);
  });

  it('fuzzes CRLs through the wolfSSL chain check with the device clock set', async () => {
    const out = mkdtempSync(join(tmpdir(), 'fuzz-'));
    const s = await fuzz({ board, library: 'wolfssl', target: TARGETS.find((t) => t.id === 'crl')!, count: 15, seconds: 120, seed: 4, out });
    expect(s.unsupported).toBeUndefined();
    expect(s.tried).toBe(15);
    expect(s.accepted + s.rejected + s.findings.length).toBe(15);
  });

  it('replays a real OpenSSL PSK handshake to the mbedTLS DTLS client with one datagram mutated', async () => {
    const out = mkdtempSync(join(tmpdir(), 'fuzz-'));
    const s = await fuzz({ board, library: 'mbedtls', target: TARGETS.find((t) => t.id === 'dtls')!, count: 20, seconds: 120, seed: 2, out });
    expect(s.unsupported).toBeUndefined();
    expect(s.tried).toBe(20);
    expect(s.accepted + s.rejected + s.findings.length).toBe(20);
    expect(s.rejected).toBeGreaterThan(0); // mutated flights must be refused, not accepted wholesale
  });

  it('saves a faulting input with a replay command that reproduces it', async () => {
    // Selftest target: the byte picks a fault kind (10 = no fault), so mutants fault, hang or overrun.
    const faulty: FuzzTarget = { id: 'selftest', firmwareOp: 'selftest-fault', summary: 'test', seeds: () => [Uint8Array.of(10)], inputs: (b) => [b.subarray(0, 1)] };
    const out = mkdtempSync(join(tmpdir(), 'fuzz-'));
    const s = await fuzz({ board, library: 'none', target: faulty, count: 12, seconds: 120, seed: 5, out });
    const f = s.findings.find((x) => x.kind === 'fault');
    expect(f, JSON.stringify(s.findings.map((x) => x.kind))).toBeDefined();
    expect(existsSync(f!.file)).toBe(true);
    expect(f!.replay).toMatch(/certcost fuzz --replay .* --library none --board mps2-an386/);
    const again = await replay(board, 'none', faulty, readFileSync(f!.file));
    expect(again).toMatch(/Fault/);
  });
});
