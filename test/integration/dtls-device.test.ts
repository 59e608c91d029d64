// The device's own DTLS 1.2 client (mbedTLS 2.28.3, op dtls-client) against
// a real OpenSSL s_server on loopback UDP, datagrams relayed over the link.
// Checks that handshakes complete with the offered suite, that the device's
// byte counters agree with what the relay saw, and what of the instruction
// count is repeatable: with the RNG reseeded identically, a PSK handshake
// counts the same every run; an ECDHE-ECDSA one depends on the server's
// random key share and signature, so the test proves the count is a
// function of the server's bytes (replaying them reproduces it exactly)
// and bounds the run-to-run spread against a live server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { boards } from '../../harness/catalog/boards.js';
import { buildImage } from '../../harness/build/firmware.js';
import { boot } from '../../harness/device/qemu.js';
import type { Device, NetPeer, OpOutcome } from '../../harness/device/device.js';
import { openPeerLink, type PeerLink } from '../../harness/dtls/relay.js';
import { startOpensslServer, type RunningServer, type ServerOptions } from '../../harness/dtls/openssl-peer.js';
import { decodeAll, handshakeMessages, totals, HandshakeType } from '../../harness/dtls/records.js';
import { parseClientHello } from '../../harness/dtls/handshake.js';
import { handshakePki, type Pki } from '../../harness/pki/handshake-pki.js';

// The image with the DTLS client (certcost_mbedtls_config.h).
const DTLS_CFLAGS = ['-DCERTCOST_DTLS'];
const SUITE = { PSK_CCM8: 0xc0a8, PSK_GCM: 0x00a8, ECDHE_ECDSA_CCM8: 0xc0ae } as const;
const FLAG = { PSK: 0x01, VERIFY_CA: 0x02, PINNED: 0x04, CLIENT_CERT: 0x08, RESUME: 0x10, OCSP: 0x20, TICKET: 0x40 } as const;
const NOT_CHECKED = 0x80000000;
const NOT_TRUSTED = 0x01;
const SCSV = 0x00ff; // TLS_EMPTY_RENEGOTIATION_INFO_SCSV, which mbedTLS always adds
const CC_VERDICT_REJECT = 1;
const CC_ERR_NOMEM = -1002;
const CC_ERR_UNSUPPORTED = -1003;
const PSK_ID = 'device-0001';
const PSK_HEX = '0102030405060708090a0b0c0d0e0f10';
const SEED = new TextEncoder().encode('dtls-device-test');
const APP = new TextEncoder().encode('hello from the device\n');

interface ClientConfig {
  flags: number;
  suites: number[];
  trust?: Uint8Array;
  app?: Uint8Array;
}

/** The eight inputs of dtls-client (docs/ops.md). Retransmission timeout 4 s
 *  initial (not RFC 6347's 1 s): a busy 2-core host must not trigger one. */
function dtlsInputs(c: ClientConfig): Uint8Array[] {
  const cfg = new Uint8Array(12);
  const dv = new DataView(cfg.buffer);
  dv.setUint16(0, c.flags);
  dv.setUint16(2, 0); // MTU: library default
  dv.setUint32(4, 4000);
  dv.setUint32(8, 32000);
  const suites = new Uint8Array(c.suites.length * 2);
  c.suites.forEach((s, i) => new DataView(suites.buffer).setUint16(2 * i, s));
  const psk = (c.flags & FLAG.PSK) !== 0;
  const none = new Uint8Array(0);
  return [cfg, suites, psk ? new TextEncoder().encode(PSK_ID) : none, psk ? Buffer.from(PSK_HEX, 'hex') : none, c.trust ?? none, none, none, c.app ?? none];
}

type Logged = { dir: 'c2s' | 's2c'; conn: number; bytes: Uint8Array };

/** NetPeer towards a live s_server over UDP; logs every datagram with the device's connection number. */
class UdpPeer implements NetPeer {
  readonly log: Logged[] = [];
  private queue: Uint8Array[] = [];
  private wake?: () => void;
  private link?: PeerLink;

  static async open(server: RunningServer): Promise<UdpPeer> {
    const peer = new UdpPeer();
    peer.link = await openPeerLink({ host: server.host, port: server.port }, (b) => {
      peer.queue.push(b);
      peer.wake?.();
    });
    return peer;
  }
  send(d: Uint8Array, conn: number) {
    this.log.push({ dir: 'c2s', conn, bytes: d });
    void this.link!.send(d);
  }
  async recv(timeoutMs: number, conn: number): Promise<Uint8Array | null> {
    if (!this.queue.length) {
      await new Promise<void>((res) => {
        const t = setTimeout(res, timeoutMs);
        this.wake = () => { clearTimeout(t); res(); };
      });
      this.wake = undefined;
    }
    const d = this.queue.shift() ?? null;
    if (d) this.log.push({ dir: 's2c', conn, bytes: d });
    return d;
  }
  close() {
    return this.link!.close();
  }
}

/** NetPeer that answers with a recorded server's datagrams, in the order they were delivered. */
class ReplayPeer implements NetPeer {
  readonly log: Logged[] = [];
  private next = 0;
  constructor(private readonly server: Logged[]) {}
  send(d: Uint8Array, conn: number) {
    this.log.push({ dir: 'c2s', conn, bytes: d });
  }
  async recv(_timeoutMs: number, conn: number): Promise<Uint8Array | null> {
    const d = this.server[this.next++]?.bytes ?? null;
    if (d) this.log.push({ dir: 's2c', conn, bytes: d });
    return d;
  }
}

interface Handshake {
  outcome: OpOutcome;
  status: number;
  count: number;
  suite: number;
  verify: number;
  resumed: boolean;
  timeouts: number;
  device: { dgramsOut: number; dgramsIn: number; bytesOut: number; bytesIn: number };
  log: Logged[];
}

async function run(dev: Device, peer: UdpPeer | ReplayPeer, c: ClientConfig): Promise<Handshake> {
  expect((await dev.op('seed-rng', [SEED], 10_000)).result.status).toBe(0);
  const outcome = await dev.op('dtls-client', dtlsInputs(c), 120_000, peer);
  const r = outcome.result;
  expect(r.balanced).toBe(true);
  expect(r.leaked).toBe(false);
  // No outputs only when the op refused its inputs before trying a handshake.
  if (r.outputs.length) expect(r.outputs.map((o) => o.length)).toEqual([2, 4, 4, 14]);
  else expect(r.status).toBeLessThan(0);
  const outs = r.outputs.length ? r.outputs : [2, 4, 4, 14].map((n) => new Uint8Array(n));
  const [suite, verify, , info] = outs.map((o) => new DataView(o.buffer, o.byteOffset, o.length));
  return {
    outcome,
    status: r.status,
    count: outcome.count!.instructions,
    suite: suite!.getUint16(0),
    verify: verify!.getUint32(0),
    resumed: info!.getUint8(0) === 1,
    timeouts: info!.getUint8(1),
    device: { dgramsOut: info!.getUint16(2), dgramsIn: info!.getUint16(4), bytesOut: info!.getUint32(6), bytesIn: info!.getUint32(10) },
    log: peer.log,
  };
}

async function runLive(dev: Device, server: RunningServer, c: ClientConfig): Promise<Handshake> {
  const peer = await UdpPeer.open(server);
  try {
    return await run(dev, peer, c);
  } finally {
    await peer.close();
  }
}

/** One connection's datagrams, decoded. */
const decoded = (log: Logged[], conn: number) => decodeAll(log.filter((d) => d.conn === conn).map((d, i) => ({ dir: d.dir, t: i, bytes: d.bytes })));

/** The counted connection, as the relay saw it, must be what the device says it sent and received. */
function expectCountersAgree(h: Handshake, conn: number) {
  const t = totals(decoded(h.log, conn));
  expect(t.c2s.datagrams).toBeGreaterThan(0);
  expect(t.s2c.datagrams).toBeGreaterThan(0);
  expect(t.c2s.bytes).toBeGreaterThan(0);
  expect(t.s2c.bytes).toBeGreaterThan(0);
  expect(t.retransmittedFlights).toBe(0);
  expect({ out: t.c2s.datagrams, in: t.s2c.datagrams, bytesOut: t.c2s.bytes, bytesIn: t.s2c.bytes }).toEqual({
    out: h.device.dgramsOut, in: h.device.dgramsIn, bytesOut: h.device.bytesOut, bytesIn: h.device.bytesIn,
  });
  return t;
}

function clientHello(h: Handshake, conn: number) {
  const ch = handshakeMessages(decoded(h.log, conn)).find((m) => m.dir === 'c2s' && m.msgType === HandshakeType.client_hello);
  return parseClientHello(ch!.body!);
}

async function withServer<T>(o: ServerOptions, f: (s: RunningServer) => Promise<T>): Promise<T> {
  const s = await startOpensslServer({ mtu: 1400, ...o });
  try {
    return await f(s);
  } finally {
    await s.stop();
  }
}

const psk = (cipher: string, tickets = false): ServerOptions => ({ auth: { kind: 'psk', keyHex: PSK_HEX, identity: PSK_ID }, cipher, tickets });

describe('DTLS 1.2 client on the device (mbedTLS, mps2-an386) against OpenSSL s_server', () => {
  let dev: Device;
  let pki: Pki;
  let tmp: string;

  beforeAll(async () => {
    const image = buildImage({ board: 'mps2-an386', library: 'mbedtls', opt: 'Os', cflags: DTLS_CFLAGS });
    tmp = mkdtempSync(join(tmpdir(), 'certcost-dtls-'));
    pki = await handshakePki({ seed: 'dtls-device-test', depth: 1, notBefore: new Date('2024-01-01T00:00:00Z'), notAfter: new Date('2034-01-01T00:00:00Z'), dir: join(tmp, 'pki') });
    dev = await boot({ board: boards().get('mps2-an386')!, elfPath: image.elfPath });
    expect(dev.ops.has('dtls-client')).toBe(true);
  });
  afterAll(async () => {
    await dev?.exit();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('PSK-AES128-CCM8: completes, counters agree with the relay, same count every run', async () => {
    await withServer(psk('PSK-AES128-CCM8'), async (s) => {
      const cfg = { flags: FLAG.PSK, suites: [SUITE.PSK_CCM8], app: APP };
      const a = await runLive(dev, s, cfg);
      const b = await runLive(dev, s, cfg);
      for (const h of [a, b]) {
        expect(h.status).toBe(0);
        expect(h.suite).toBe(SUITE.PSK_CCM8);
        expect(h.verify).toBe(NOT_CHECKED);
        expect(h.resumed).toBe(false);
        expect(h.timeouts).toBe(0);
        expectCountersAgree(h, 0);
        expect(clientHello(h, 0).suites.filter((x) => x !== SCSV)).toEqual([SUITE.PSK_CCM8]);
        // The application data and both close_notify alerts flowed after the handshake.
        expect(totals(decoded(h.log, 0), { all: true }).c2s.datagrams).toBeGreaterThan(h.device.dgramsOut);
      }
      expect(b.count).toBe(a.count);
    });
  });

  it('PSK-AES128-GCM resumption: only the abbreviated handshake on connection 1 is counted', async () => {
    await withServer(psk('PSK-AES128-GCM-SHA256'), async (s) => {
      const full = await runLive(dev, s, { flags: FLAG.PSK, suites: [SUITE.PSK_GCM], app: APP });
      expect(full.status).toBe(0);
      expect(full.suite).toBe(SUITE.PSK_GCM);
      const cfg = { flags: FLAG.PSK | FLAG.RESUME, suites: [SUITE.PSK_GCM], app: APP };
      const a = await runLive(dev, s, cfg);
      const b = await runLive(dev, s, cfg);
      for (const h of [a, b]) {
        expect(h.status).toBe(0);
        expect(h.suite).toBe(SUITE.PSK_GCM);
        expect(h.resumed).toBe(true);
        expect(h.verify).toBe(NOT_CHECKED);
        expect([...new Set(h.log.map((d) => d.conn))]).toEqual([0, 1]);
        expect(clientHello(h, 0).sessionIdLength).toBe(0);
        expect(clientHello(h, 1).sessionIdLength).toBe(32); // offers the saved session
        expectCountersAgree(h, 1);
        expect(h.count).toBeLessThan(full.count);
      }
      expect(b.count).toBe(a.count);
    });
  });

  it('ECDHE-ECDSA-AES128-CCM8, pinned self-signed server: the count is a function of the server\'s bytes', async () => {
    const cfg = { flags: FLAG.PINNED, suites: [SUITE.ECDHE_ECDSA_CCM8], trust: pki.serverSelfSigned.der, app: APP };
    const server: ServerOptions = { auth: { kind: 'cert', cert: pki.files!.selfSignedCert, key: pki.files!.selfSignedKey }, cipher: 'ECDHE-ECDSA-AES128-CCM8' };
    const pskRef = await withServer(psk('PSK-AES128-CCM8'), (s) => runLive(dev, s, { flags: FLAG.PSK, suites: [SUITE.PSK_CCM8] }));
    const [a, c] = await withServer(server, async (s) => [await runLive(dev, s, cfg), await runLive(dev, s, cfg)]);
    for (const h of [a!, c!]) {
      expect(h.status).toBe(0);
      expect(h.suite).toBe(SUITE.ECDHE_ECDSA_CCM8);
      expect(h.verify).toBe(0);
      expect(h.timeouts).toBe(0);
      expectCountersAgree(h, 0);
      expect(h.count).toBeGreaterThan(50 * pskRef.count); // ECDH + ECDSA verify dominate
    }
    // Same seed, same server bytes (replayed): the device computes exactly the same, datagram for datagram.
    const b = await run(dev, new ReplayPeer(a!.log.filter((d) => d.dir === 's2c')), cfg);
    expect(b.status).toBe(0);
    expect(b.count).toBe(a!.count);
    expect(b.log.filter((d) => d.dir === 'c2s').map((d) => Buffer.from(d.bytes).toString('hex'))).toEqual(a!.log.filter((d) => d.dir === 'c2s').map((d) => Buffer.from(d.bytes).toString('hex')));
    // A live server picks a new ECDHE key and ECDSA nonce each time: the device's
    // bignum work varies slightly with them, and the DER signature by a byte or two.
    const spread = Math.abs(c!.count - a!.count) / a!.count;
    expect(spread).toBeLessThan(0.01);
    expect(c!.device.bytesOut).toBe(a!.device.bytesOut);
    expect(Math.abs(c!.device.bytesIn - a!.device.bytesIn)).toBeLessThanOrEqual(4);
  });

  it('fails cleanly: wrong pinned certificate, no common suite, OCSP stapling (unsupported)', async () => {
    const server: ServerOptions = { auth: { kind: 'cert', cert: pki.files!.selfSignedCert, key: pki.files!.selfSignedKey }, cipher: 'ECDHE-ECDSA-AES128-CCM8' };
    await withServer(server, async (s) => {
      const wrong = await runLive(dev, s, { flags: FLAG.PINNED, suites: [SUITE.ECDHE_ECDSA_CCM8], trust: pki.server.der });
      expect(wrong.status).toBe(CC_VERDICT_REJECT);
      expect(wrong.suite).toBe(0);
      expect(wrong.verify & NOT_TRUSTED).toBe(NOT_TRUSTED);
      // A PSK-only offer to a certificate-only server: the server's alert ends it before any certificate.
      const noSuite = await runLive(dev, s, { flags: FLAG.PSK, suites: [SUITE.PSK_CCM8] });
      expect(noSuite.status).toBeLessThan(0);
      expect(noSuite.suite).toBe(0);
      expect(noSuite.verify).toBe(NOT_CHECKED);
      const ocsp = await runLive(dev, s, { flags: FLAG.PINNED | FLAG.OCSP, suites: [SUITE.ECDHE_ECDSA_CCM8], trust: pki.serverSelfSigned.der });
      expect(ocsp.status).toBe(CC_ERR_UNSUPPORTED);
      expect(ocsp.outcome.result.outputs).toEqual([]);
      expect(ocsp.log).toEqual([]);
    });
  });
});

describe('DTLS client on the micro:bit (16 KiB RAM)', () => {
  it('does not fit: CC_ERR_NOMEM before any datagram, and the device carries on', async () => {
    const image = buildImage({ board: 'microbit', library: 'mbedtls', opt: 'Os', cflags: DTLS_CFLAGS });
    const dev = await boot({ board: boards().get('microbit')!, elfPath: image.elfPath });
    try {
      const h = await run(dev, new ReplayPeer([]), { flags: FLAG.PSK, suites: [SUITE.PSK_CCM8] });
      expect(h.status).toBe(CC_ERR_NOMEM);
      expect(h.log).toEqual([]);
      expect((await dev.op('sha256-64', [new Uint8Array(64)], 10_000)).result.status).toBe(0);
    } finally {
      await dev.exit();
    }
  });
});
