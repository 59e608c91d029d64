// End to end through the CLI: scenarios/edhoc-quick.yaml runs lakers' EDHOC
// initiator on mps2-an386 (Rust staticlib built by the firmware Makefile)
// against lakers' responder built for the host, by kid and by value, two
// exchanges each, with mbedTLS's DTLS 1.2 PSK handshake beside it. Every
// exchange must equal the byte model item by item and agree on PRK_out and
// the OSCORE secret on all three sides (device, responder, reference); the
// report's protocol comparison shows EDHOC next to DTLS with the draft's
// published figure. Then the device against a responder that misbehaves:
// silence, a stranger's message_2, and a G_Y that is no curve point (which
// makes lakers 0.8.0 panic: a fault, reported as one).
import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../harness/cli.js';
import { ResultsSchema, type ResultRecord, type Results } from '../../harness/record/schema.js';
import { loadLinkProfiles } from '../../harness/links/profiles.js';
import { p256 } from '@noble/curves/nist.js';
import { boards } from '../../harness/catalog/boards.js';
import { buildImage } from '../../harness/build/firmware.js';
import { boot } from '../../harness/device/qemu.js';
import { deviceInputs, edhocCredentials } from '../../harness/ops/edhoc/measure.js';
import { EDHOC_VARIANTS } from '../../harness/ops/edhoc/variants.js';
import { p256Key } from '../../harness/vectors/p256.js';

describe('edhoc-quick: lakers on the device against lakers on the host, measured == modeled', () => {
  let code: number;
  let results: Results;
  let md: string;
  let report: string;
  const rec = (op: string, lib = 'lakers'): ResultRecord => results.records.find((r) => r.op === op && r.library === lib)!;

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'certcost-edhoc-'));
    code = await main(['run', 'scenarios/edhoc-quick.yaml', '--out', dir, '--jobs', '1']);
    results = ResultsSchema.parse(JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')));
    md = readFileSync(join(dir, 'results.md'), 'utf8');
    expect(await main(['report', dir, '--format', 'md'])).toBe(0);
    report = readFileSync(join(dir, 'report.md'), 'utf8');
  }, 120_000);

  it('both credential forms complete, equal the model and agree on the keys', () => {
    expect(code).toBe(0);
    for (const op of ['edhoc-static-kid', 'edhoc-static-kccs']) {
      const r = rec(op);
      expect(r.status, r.reason).toBe('ok');
      expect(r.vectors).toEqual({ total: 2, agree: 2, disagree: [] });
      const h = r.handshake!;
      expect(h.protocol).toBe('EDHOC');
      expect(h.modelCheck).toBe('equal');
      expect(h.differences).toEqual([]);
      expect(h.retransmissions).toBe(0);
      expect(h.peer).toMatch(/lakers 0\.8\.0 EDHOC responder/);
      expect(h.flights.map((f) => f.dir)).toEqual(['c2s', 's2c', 'c2s']);
      expect([h.datagramsC2S, h.datagramsS2C]).toEqual([2, 1]);
      // Each message's CBOR items add up to the message.
      for (const f of h.flights) expect(f.messages.reduce((a, m) => a + m.bytes, 0)).toBe(f.bytes);
      expect(h.flights[0]!.messages.map((m) => m.name)).toEqual(['message_1 METHOD', 'message_1 SUITES_I', 'message_1 G_X', 'message_1 C_I']);
      // No heap: lakers is no_std without an allocator; the stack holds its typestates.
      expect(r.heapBytes).toBe(0);
      expect(r.stackBytes).toBeGreaterThan(4000);
      expect(r.instructions).toBeGreaterThan(5_000_000);
      expect(r.cycleProfile).toBe('nrf52840');
      expect(r.cycles).toBeGreaterThan(r.instructions!);
      expect(r.onAir!.map((c) => c.profile)).toEqual(loadLinkProfiles().map((p) => p.id));
      // The device's randomness is reseeded identically and RustCrypto's P-256 is constant time: equal counts.
      expect(r.perVector[0]!.instructions).toBe(r.perVector[1]!.instructions);
    }
  });

  it('by kid: the draft\'s 37 + 45 + 19 = 101 B; by value the CCS credentials ride in message_2 and message_3', () => {
    const kid = rec('edhoc-static-kid').handshake!;
    expect(kid.flights.map((f) => f.bytes)).toEqual([37, 45, 19]);
    expect(kid.bytesC2S + kid.bytesS2C).toBe(101);
    const kccs = rec('edhoc-static-kccs').handshake!;
    const idCredR = kccs.flights[1]!.messages.find((m) => m.name === 'message_2 ID_CRED_R')!;
    const idCredI = kccs.flights[2]!.messages.find((m) => m.name === 'message_3 ID_CRED_I')!;
    expect(kccs.flights[1]!.bytes - 45).toBe(idCredR.bytes - 1);
    expect(kccs.flights[2]!.bytes - 19).toBe(idCredI.bytes - 1 + 1); // + 1: message_3's bstr head grows to 2 B
  });

  it('x5t and EDHOC on other libraries are unsupported with the reason, nothing built for them', () => {
    expect(rec('edhoc-static-x5t').status).toBe('unsupported');
    expect(rec('edhoc-static-x5t').reason).toMatch(/kid \(4\) and kccs \(14\)/);
    expect(rec('edhoc-static-kid', 'mbedtls').status).toBe('unsupported');
    expect(rec('dtls-psk-ccm8', 'lakers').status).toBe('unsupported');
    expect(rec('dtls-psk-ccm8', 'mbedtls').status).toBe('ok');
  });

  it('results.md and the report put EDHOC beside DTLS, with the draft\'s figure', () => {
    expect(md).toContain('## EDHOC exchanges');
    expect(md).toContain('## Protocol comparison');
    for (const doc of [md, report]) {
      const table = doc.slice(doc.indexOf('## Protocol comparison'));
      const row = (op: string) => table.split('\n').find((l) => l.includes(`| ${op} |`))!;
      expect(row('edhoc-static-kid')).toMatch(/\| EDHOC \| edhoc-static-kid \| 56 \| 45 \| 101 \| →37 ←45 →19 \| 3 \| 3 \| 1\.5 \|/);
      expect(row('edhoc-static-kid')).toContain('| = 101 |');
      expect(row('dtls-psk-ccm8')).toMatch(/\| DTLS 1\.2 \| dtls-psk-ccm8 \| \d+ \| \d+ \| \d+ \| .* \| 6 \| 6 \| 3 \|/);
      expect(table).toContain('### Published on paper');
      expect(table).toContain('draft-ietf-iotops-security-protocol-comparison');
    }
  });
});

describe('edhoc-initiator against a bad responder (lakers on the M4)', () => {
  const inputs = () => deviceInputs(EDHOC_VARIANTS[0]!, edhocCredentials('certcost'));
  const withDevice = async (fn: (dev: Awaited<ReturnType<typeof boot>>) => Promise<void>) => {
    const image = buildImage({ board: 'mps2-an386', library: 'lakers', opt: 'Os', cflags: [] });
    const dev = await boot({ board: boards().get('mps2-an386')!, elfPath: image.elfPath });
    try {
      await fn(dev);
    } finally {
      await dev.exit().catch(() => {});
    }
  };

  it('no message_2: message_1 again after each wait, then a timeout (-3) with a balanced bracket', async () => {
    await withDevice(async (dev) => {
      const sent: Uint8Array[] = [];
      const out = await dev.op('edhoc-initiator', inputs(), 20_000, { send: (d) => sent.push(d), recv: async () => null });
      expect(out.result.status).toBe(-3);
      expect(out.result.balanced).toBe(true);
      // 4 s waits up to 32 s of the device's virtual clock: the first message_1 and 8 more.
      expect(sent.length).toBe(9);
      expect(new Set(sent.map((d) => Buffer.from(d).toString('hex'))).size).toBe(1);
    });
  }, 60_000);

  it('a message_2 that is not from the expected responder is refused with lakers\' error, not accepted', async () => {
    await withDevice(async (dev) => {
      // A real point as G_Y, then 11 bytes that do not decrypt to a plaintext under the right keys.
      const gY = p256.getPublicKey(p256Key('certcost', 'stranger'), true).slice(1);
      const m2 = Uint8Array.from([0x58, 43, ...gY, ...new Uint8Array(11)]);
      const out = await dev.op('edhoc-initiator', inputs(), 20_000, { send: () => {}, recv: async () => m2 });
      expect(out.result.status).toBeLessThanOrEqual(-200);
      expect(out.result.status).toBeGreaterThan(-300);
      expect(out.result.balanced).toBe(true);
    });
  }, 60_000);

  it('a G_Y that is no curve point makes lakers panic: the device faults in cc_lakers_panic and the harness says so', async () => {
    await withDevice(async (dev) => {
      // x = 1: 1 - 3 + b has no square root mod p, so no point has it (checked with @noble/curves).
      expect(() => p256.Point.fromHex(`02${'1'.padStart(64, '0')}`)).toThrow();
      const m2 = new Uint8Array(45);
      m2.set([0x58, 43]);
      m2[33] = 1;
      await expect(dev.op('edhoc-initiator', inputs(), 20_000, { send: () => {}, recv: async () => m2 })).rejects.toThrow(/cc_lakers_panic/);
    });
  }, 60_000);
});
