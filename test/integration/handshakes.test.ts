// End to end through the CLI: scenarios/handshakes-quick.yaml runs
// mbedTLS's DTLS 1.2 client on mps2-an386 against OpenSSL s_server, one
// PSK-CCM8 and one pinned ECDHE-ECDSA variant, two handshakes each, and
// every capture must equal the byte model to the byte. Then DTLS 1.3:
// scenarios/handshakes-dtls13-quick.yaml, wolfSSL's client against
// wolfSSL's example server built for the host, against the DTLS 1.3 model.
import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../harness/cli.js';
import { ResultsSchema, type ResultRecord, type Results } from '../../harness/record/schema.js';
import { loadLinkProfiles } from '../../harness/links/profiles.js';
import { HANDSHAKE_HEADER, RECORD_HEADER } from '../../harness/dtls/records.js';

describe('handshakes-quick: DTLS 1.2 on the device against OpenSSL, measured == modeled', () => {
  let code: number;
  let results: Results;
  let md: string;
  const rec = (op: string): ResultRecord => results.records.find((r) => r.op === op)!;

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'certcost-hs-'));
    code = await main(['run', 'scenarios/handshakes-quick.yaml', '--out', dir]);
    results = ResultsSchema.parse(JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')));
    md = readFileSync(join(dir, 'results.md'), 'utf8');
  });

  it('both variants complete and equal the model to the byte', () => {
    expect(code).toBe(0);
    expect(results.records.map((r) => r.op)).toEqual(['dtls-psk-ccm8', 'dtls-ecdhe-ecdsa-selfsigned']);
    for (const r of results.records) {
      expect(r.status, r.reason).toBe('ok');
      expect(r.vectors).toEqual({ total: 2, agree: 2, disagree: [] });
      const h = r.handshake!;
      expect(h.modelCheck).toBe('equal');
      expect(h.differences).toEqual([]);
      expect(h.retransmissions).toBe(0);
      expect(h.peer).toMatch(/^openssl s_server -dtls1_2 \(OpenSSL 3\.0\./);
      expect(h.bytesC2S).toBeGreaterThan(0);
      expect(h.bytesS2C).toBeGreaterThan(0);
      // Flights add up to the totals; the cookie exchange comes first.
      const sum = (dir: string, k: 'bytes' | 'datagrams') => h.flights.filter((f) => f.dir === dir).reduce((a, f) => a + f[k], 0);
      expect([sum('c2s', 'bytes'), sum('s2c', 'bytes'), sum('c2s', 'datagrams'), sum('s2c', 'datagrams')]).toEqual([h.bytesC2S, h.bytesS2C, h.datagramsC2S, h.datagramsS2C]);
      expect(h.flights.slice(0, 3).map((f) => f.messages.map((m) => m.name))).toEqual([['client_hello'], ['hello_verify_request'], ['client_hello']]);
      expect(h.flights.at(-1)!.messages.map((m) => m.name)).toEqual(['change_cipher_spec', 'finished']);
      expect(r.instructions).toBeGreaterThan(100_000);
      expect(r.stackBytes).toBeGreaterThan(100);
      expect(r.heapBytes).toBeGreaterThan(1000);
      expect(r.flashBytes).toBeGreaterThan(30_000);
      expect(r.modeled).toBeUndefined();
      // Cycles from the same handshakes (scenario cycles: default -> the M4 board's profile).
      expect(r.cycleProfile).toBe('nrf52840');
      expect(r.cycles).toBeGreaterThan(r.instructions!);
      expect(r.ms).toBeCloseTo((r.cycles! / 64e6) * 1e3, 2);
    }
  });

  it('PSK: the same instruction count on both handshakes', () => {
    const r = rec('dtls-psk-ccm8');
    expect(r.handshake!.suite).toBe('TLS_PSK_WITH_AES_128_CCM_8');
    const counts = r.perVector.map((v) => v.instructions);
    expect(counts).toHaveLength(2);
    expect(counts[0]).toBe(counts[1]);
    expect(r.instructions).toBe(counts[0]);
  });

  it('ECDHE-ECDSA: the server Certificate message is the self-signed DER plus its headers, and ECDH + ECDSA dominate', () => {
    const r = rec('dtls-ecdhe-ecdsa-selfsigned');
    const h = r.handshake!;
    expect(h.suite).toBe('TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8');
    const der = h.certificates!.server!;
    expect(der).toHaveLength(1);
    const cert = h.flights.flatMap((f) => f.messages).find((m) => m.name === 'certificate')!;
    // record header + handshake header + chain length (3) + certificate length (3) + DER
    expect(cert.bytes).toBe(RECORD_HEADER + HANDSHAKE_HEADER + 3 + 3 + der[0]!);
    expect(h.bytesC2S + h.bytesS2C).toBeGreaterThan(rec('dtls-psk-ccm8').handshake!.bytesS2C + rec('dtls-psk-ccm8').handshake!.bytesC2S + der[0]!);
    expect(r.instructions).toBeGreaterThan(50 * rec('dtls-psk-ccm8').instructions!);
    expect(r.instructionsMin).toBeLessThanOrEqual(r.instructions!);
    expect(r.instructionsMax).toBeGreaterThanOrEqual(r.instructions!);
  });

  it('on-air rows for every link profile, and the Markdown tables', () => {
    const ids = loadLinkProfiles().map((p) => p.id);
    for (const r of results.records) {
      expect(r.onAir!.map((c) => c.profile)).toEqual(ids);
      for (const c of r.onAir!) {
        expect(c.bytes).toBeGreaterThan(r.handshake!.bytesC2S + r.handshake!.bytesS2C);
        expect(c.frames).toBe(c.framesUp + c.framesDown);
        expect(c.airtimeMs).toBeGreaterThan(0);
        expect(c.energyUj).toBeGreaterThan(0);
      }
    }
    expect(md).toContain('## DTLS handshakes');
    expect(md).toMatch(/\| mps2-an386 \| mbedtls@3\.6\.6 \| dtls-psk-ccm8 \| \d+ \| \d+ \|/);
    expect(md).toContain('## On the air');
    for (const id of ids) expect(md).toContain(`(\`${id}\`)`);
  });
});

describe('handshakes-dtls13-quick: DTLS 1.3 PSK on the device against wolfSSL, measured == modeled', () => {
  let code: number;
  let results: Results;
  let md: string;

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'certcost-hs13-'));
    code = await main(['run', 'scenarios/handshakes-dtls13-quick.yaml', '--out', dir]);
    results = ResultsSchema.parse(JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')));
    md = readFileSync(join(dir, 'results.md'), 'utf8');
  });

  it('wolfSSL completes both handshakes, equal to the DTLS 1.3 model; mbedTLS is unsupported without a build', () => {
    expect(code).toBe(0);
    const w = results.records.find((r) => r.library === 'wolfssl' && r.op === 'dtls-v13-psk-ccm8')!;
    expect(w.status, w.reason).toBe('ok');
    expect(w.vectors).toEqual({ total: 2, agree: 2, disagree: [] });
    const h = w.handshake!;
    expect(h.suite).toBe('TLS_AES_128_CCM_8_SHA256');
    expect(h.peer).toMatch(/^wolfSSL 5\.5\.4 examples\/server/);
    expect(h.modelCheck).toBe('equal');
    expect(h.differences).toEqual([]);
    expect(h.retransmissions).toBe(0);
    expect(h.flights.map((f) => [f.dir, f.messages.map((m) => m.name)])).toEqual([
      ['c2s', ['client_hello']], ['s2c', ['hello_retry_request']], ['c2s', ['client_hello']],
      ['s2c', ['server_hello', 'encrypted_extensions', 'finished']], ['c2s', ['finished']], ['s2c', ['ack']],
    ]);
    // Finished under AES-128-CCM_8: 5-byte unified header + 12 + 32 + 1 + 8.
    expect(h.flights[4]!.bytes).toBe(58);
    // psk_ke: no key share, so no bignum arithmetic, and the same count on both runs.
    expect(w.perVector[0]!.instructions).toBe(w.perVector[1]!.instructions);
    expect(w.shares!.bignum).toBeLessThan(0.01);
    expect(w.cycles).toBeGreaterThan(w.instructions!);
    expect(w.ms).toBeGreaterThan(0);
    const m = results.records.find((r) => r.library === 'mbedtls' && r.op === 'dtls-v13-psk-ccm8')!;
    expect(m.status).toBe('unsupported');
    expect(m.reason).toMatch(/DTLS 1\.3/);
    expect(m.flashBytes).toBeNull();
    expect(md).toMatch(/\| mps2-an386 \| wolfssl@5\.9\.4 \| dtls-v13-psk-ccm8 \| \d+ \| \d+ \|/);
  });

  it('ECDHE-ECDSA: the encrypted Certificate is the self-signed DER in the TLS 1.3 layout, and the pinned certificate verifies', () => {
    const r = results.records.find((x) => x.library === 'wolfssl' && x.op === 'dtls-v13-ecdhe-ecdsa-selfsigned')!;
    expect(r.status, r.reason).toBe('ok');
    const h = r.handshake!;
    expect(h.modelCheck).toBe('equal');
    expect(h.flights[3]!.messages.map((m) => m.name)).toEqual(['server_hello', 'encrypted_extensions', 'certificate', 'certificate_verify', 'finished']);
    const der = h.certificates!.server![0]!;
    // unified header 5 + handshake header 12 + context 1 + list 3 + (length 3 + DER + extensions 2) + type 1 + CCM_8 tag 8
    expect(h.flights[3]!.messages[2]!.bytes).toBe(5 + 12 + 1 + 3 + 3 + der + 2 + 1 + 8);
    // ECDHE + ECDSA verify on the device: far dearer than the PSK handshake.
    const psk = results.records.find((x) => x.op === 'dtls-v13-psk-ccm8' && x.library === 'wolfssl')!;
    expect(r.instructions).toBeGreaterThan(5 * psk.instructions!);
    expect(r.shares!.bignum).toBeGreaterThan(0.3);
  });
});
