// OpenSSL 3.0 client <-> relay <-> OpenSSL 3.0 server on loopback UDP:
// real DTLS 1.2 handshakes, every datagram recorded, decoded, and checked
// against the byte model to the byte. The model gets the hello contents the
// peers chose (parsed into extension specs), the certificate DER sizes from
// the generated PKI, and the per-run random sizes (ECDSA signature DER,
// ticket); it computes every message, record, datagram and flight itself.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { handshakePki, type Pki } from '../../harness/pki/handshake-pki.js';
import { OPENSSL_DTLS, peerPreset, runOpensslClient, startOpensslServer, type ClientOptions, type ServerOptions } from '../../harness/dtls/openssl-peer.js';
import { startRelay, type Relay } from '../../harness/dtls/relay.js';
import { decodeAll, handshakeDatagrams, totals, type DecodedDatagram } from '../../harness/dtls/records.js';
import { observe, type KeyExchange } from '../../harness/dtls/handshake.js';
import { offeredHellos, observedRandoms } from '../../harness/dtls/configure.js';
import { modelHandshake, suiteInfo, type HandshakeConfig, type HandshakeModel } from '../../harness/dtls/model.js';
import { compare, formatDifference, measuredShape } from '../../harness/dtls/compare.js';
import { whatIfs } from '../../harness/dtls/whatif.js';
import { loadLinkProfiles } from '../../harness/links/profiles.js';
import { onAir, onAirTable } from '../../harness/links/onair.js';

const PSK = { kind: 'psk' as const, keyHex: '00112233445566778899aabbccddeeff', identity: 'device-0001' };
const LINK_MTU = 1400;

let dir: string;
let pki: Pki;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'certcost-dtls-'));
  pki = await handshakePki({ seed: 'dtls-openssl-test', depth: 2, notBefore: new Date('2025-01-01T00:00:00Z'), notAfter: new Date('2035-01-01T00:00:00Z'), dir: join(dir, 'pki') });
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

interface Run {
  decoded: DecodedDatagram[];
  client: Awaited<ReturnType<typeof runOpensslClient>>;
}

/** One server, one relay, then one s_client run per entry; each run's datagrams separately. */
async function handshakes(server: ServerOptions, clients: Omit<ClientOptions, 'port'>[]): Promise<Run[]> {
  const srv = await startOpensslServer(server);
  let relay: Relay | undefined;
  try {
    relay = await startRelay({ target: { host: srv.host, port: srv.port } });
    const runs: Run[] = [];
    for (const c of clients) {
      const client = await runOpensslClient({ ...c, port: relay.port });
      expect(client.code, `${client.stdout}\n${client.stderr}\n${srv.output()}`).toBe(0);
      await new Promise((r) => setTimeout(r, 150)); // let the close_notify datagrams land
      runs.push({ decoded: decodeAll(relay.capture.take()), client });
    }
    return runs;
  } finally {
    await relay?.close();
    await srv.stop();
  }
}

interface Stated {
  variant: HandshakeConfig['variant'];
  serverChain?: number[];
  deviceChain?: number[];
  pskHint?: number;
  mutual?: boolean;
  mtu?: number;
}

/** Model config: hellos as offered (parsed), everything else stated, random sizes as observed. */
function configure(run: Run, kx: KeyExchange, s: Stated): HandshakeConfig {
  const obs = observe(run.decoded, kx);
  const hello = offeredHellos(obs);
  expect(hello.unparsed, 'every extension OpenSSL sent is understood by the model').toEqual([]);
  const rnd = observedRandoms(obs);
  const packing = OPENSSL_DTLS.packing(s.mtu ?? LINK_MTU);
  const cfg: HandshakeConfig = {
    variant: s.variant,
    suite: hello.suite,
    cookieLength: OPENSSL_DTLS.cookieLength,
    encryptThenMac: hello.server.extensions.some((e) => e.ext === 'encrypt_then_mac'),
    client: { ...hello.client, packing, pskIdentityLength: PSK.identity.length },
    server: { ...hello.server, packing },
  };
  if (s.serverChain) cfg.server.certificate = { kind: 'x509', chain: s.serverChain };
  if (rnd.keyExchangeSignature !== undefined) cfg.server.keyExchangeSignature = rnd.keyExchangeSignature;
  if (s.pskHint !== undefined) cfg.server.pskIdentityHintLength = s.pskHint;
  if (rnd.ticketLength !== undefined) cfg.server.newSessionTicket = { ticketLength: rnd.ticketLength };
  if (s.mutual) {
    // What OpenSSL asks for: its certificate types and signature algorithms; no CA names with -verifyCAfile.
    const cr = obs.certificateRequest!;
    cfg.server.certificateRequest = { certificateTypes: cr.certificateTypes, signatureAlgorithms: cr.signatureAlgorithms, caNameLengths: [] };
    cfg.client.certificate = { kind: 'x509', chain: s.deviceChain! };
    cfg.client.certificateVerifySignature = rnd.certificateVerifySignature!;
  }
  return cfg;
}

function report(label: string, run: Run, model: HandshakeModel): void {
  const got = measuredShape(run.decoded);
  const lines = model.flights.map((f, i) => {
    const g = got[i];
    return `  flight ${f.index} ${f.dir}: measured ${g?.bytes ?? '-'} B in ${g?.datagrams.length ?? '-'} dgram(s), modeled ${f.bytes} B in ${f.datagrams.length} [${f.messages.map((m) => `${m.name}${m.fragments > 1 ? `x${m.fragments}` : ''}`).join(', ')}]`;
  });
  const t = totals(run.decoded);
  console.log(`${label}: measured ${t.bytes} B (c2s ${t.c2s.bytes}, s2c ${t.s2c.bytes}), modeled ${model.bytes} B (c2s ${model.c2s.bytes}, s2c ${model.s2c.bytes}); s_client counted read ${run.client.handshakeRead} written ${run.client.handshakeWritten}\n${lines.join('\n')}`);
}

/** The checks every handshake gets: model equality, OpenSSL's own byte counters, no retransmissions. */
function check(label: string, run: Run, model: HandshakeModel): void {
  report(label, run, model);
  const diffs = compare(run.decoded, model);
  expect(diffs.map(formatDifference), label).toEqual([]);
  const t = totals(run.decoded);
  expect(t.retransmittedFlights).toBe(0);
  // s_client's BIO counters see the same datagrams the relay recorded.
  expect(run.client.handshakeWritten).toBe(t.c2s.bytes);
  expect(run.client.handshakeRead).toBe(t.s2c.bytes);
  expect(model.c2s.bytes).toBe(t.c2s.bytes);
  expect(model.s2c.bytes).toBe(t.s2c.bytes);
}

describe('DTLS 1.2 OpenSSL <-> OpenSSL through the relay, measured == modeled', () => {
  it('PSK-AES128-CCM8, tickets off', async () => {
    const [run] = await handshakes(peerPreset('psk-ccm8', { psk: PSK, mtu: LINK_MTU }), [{ auth: PSK, cipher: 'PSK-AES128-CCM8', mtu: LINK_MTU }]);
    const model = modelHandshake(configure(run!, 'psk', { variant: 'psk' }));
    expect(suiteInfo(model.config.suite).name).toBe('TLS_PSK_WITH_AES_128_CCM_8');
    check('psk-ccm8', run!, model);
    expect(run!.client.cipher).toBe('PSK-AES128-CCM8');
  });

  it.each([
    ['PSK-AES128-GCM-SHA256', 'psk', 'psk'],
    ['PSK-AES128-CBC-SHA256', 'psk', 'psk'], // CBC with encrypt_then_mac negotiated
    ['ECDHE-PSK-AES128-CBC-SHA256', 'ecdhe_psk', 'ecdhe-psk'],
  ] as const)('%s, tickets off', async (cipher, kx, variant) => {
    const [run] = await handshakes({ auth: PSK, cipher, mtu: LINK_MTU }, [{ auth: PSK, cipher, mtu: LINK_MTU }]);
    check(cipher, run!, modelHandshake(configure(run!, kx, { variant })));
  });

  it('ECDHE-ECDSA-AES128-CCM8, self-signed P-256 server certificate pinned by the client', async () => {
    const f = pki.files!;
    const [run] = await handshakes(peerPreset('ecdhe-ecdsa-selfsigned', { files: f, mtu: LINK_MTU }), [
      { auth: { kind: 'cert' }, cipher: 'ECDHE-ECDSA-AES128-CCM8', mtu: LINK_MTU, verifyCAfile: f.selfSignedCert },
    ]);
    expect(run!.client.verifyCode).toBe(0);
    const model = modelHandshake(configure(run!, 'ecdhe_ecdsa', { variant: 'ecdhe-ecdsa', serverChain: [pki.derSizes.serverSelfSigned] }));
    check('ecdhe-ecdsa-selfsigned', run!, model);
  });

  it('ECDHE-ECDSA-AES128-CCM8, CA chain of depth 2: server sends leaf + intermediate, client trusts the root', async () => {
    const f = pki.files!;
    const [run] = await handshakes(peerPreset('ecdhe-ecdsa-chain', { files: f, mtu: LINK_MTU }), [
      { auth: { kind: 'cert' }, cipher: 'ECDHE-ECDSA-AES128-CCM8', mtu: LINK_MTU, verifyCAfile: f.rootCert },
    ]);
    expect(run!.client.verifyCode).toBe(0);
    const cfg = configure(run!, 'ecdhe_ecdsa', { variant: 'ecdhe-ecdsa', serverChain: pki.derSizes.serverChain });
    check('ecdhe-ecdsa-chain2', run!, modelHandshake(cfg));

    // The model must notice a wrong input: leaving out the intermediate is named.
    const wrong = modelHandshake({ ...cfg, server: { ...cfg.server, certificate: { kind: 'x509', chain: [pki.derSizes.server] } } });
    const diffs = compare(run!.decoded, wrong);
    expect(diffs.some((d) => d.message === 'certificate' && d.field === 'body length')).toBe(true);

    // What-ifs from this validated base (status modeled, nothing on a wire).
    const small = await handshakePki({ seed: 'dtls-openssl-test', depth: 2, profile: 'rfc7925', notBefore: new Date('2025-01-01T00:00:00Z'), notAfter: new Date('2035-01-01T00:00:00Z') });
    const chainDer = [pki.server.der, ...pki.intermediates.map((c) => c.der).reverse()];
    const wi = whatIfs(cfg, { serverChainDer: chainDer, rfc7925ServerChain: small.derSizes.serverChain });
    console.log(`what-ifs on chain2 (base ${modelHandshake(cfg).bytes} B):\n${wi.map((w) => `  ${w.name} [${w.spec}, ${w.status}]: ${w.bytes} B (${w.delta >= 0 ? '+' : ''}${w.delta}) - ${w.note}`).join('\n')}`);
    expect(wi.map((w) => w.name)).toEqual(['cached-info', 'certificate-compression', 'rfc7925-certificates', 'raw-public-key']);
    for (const w of wi) expect(w.delta).toBeLessThan(0);

    // On-air cost of the measured datagrams for every link profile.
    const sizes = handshakeDatagrams(run!.decoded).map((d) => ({ dir: d.dir, size: d.size }));
    const costs = loadLinkProfiles().map((p) => onAir(sizes, p));
    console.log(`on-air, chain2 handshake (${sizes.reduce((a, d) => a + d.size, 0)} B of DTLS):\n${onAirTable(costs)}`);
    expect(costs.every((c) => c.bytes > totals(run!.decoded).bytes)).toBe(true);
  });

  it('leaf only: the server sends just its certificate, the client holds root and intermediate', async () => {
    const f = pki.files!;
    const [run] = await handshakes(peerPreset('ecdhe-ecdsa-leaf-only', { files: f, mtu: LINK_MTU }), [
      { auth: { kind: 'cert' }, cipher: 'ECDHE-ECDSA-AES128-CCM8', mtu: LINK_MTU, verifyCAfile: f.caBundle },
    ]);
    expect(run!.client.verifyCode).toBe(0);
    check('ecdhe-ecdsa-chain2-leaf-only', run!, modelHandshake(configure(run!, 'ecdhe_ecdsa', { variant: 'ecdhe-ecdsa', serverChain: [pki.derSizes.server] })));
  });

  it('small MTU: OpenSSL fragments the chain and the model predicts every fragment', async () => {
    const f = pki.files!;
    const mtu = 500;
    const [run] = await handshakes({ auth: { kind: 'cert', cert: f.serverCert, key: f.serverKey, chain: f.serverChain }, cipher: 'ECDHE-ECDSA-AES128-CCM8', mtu }, [
      { auth: { kind: 'cert' }, cipher: 'ECDHE-ECDSA-AES128-CCM8', mtu, verifyCAfile: f.rootCert },
    ]);
    const model = modelHandshake(configure(run!, 'ecdhe_ecdsa', { variant: 'ecdhe-ecdsa', serverChain: pki.derSizes.serverChain, mtu }));
    expect(model.flights.some((fl) => fl.messages.some((m) => m.name === 'certificate' && m.fragments > 1))).toBe(true);
    check('ecdhe-ecdsa-chain2-mtu500', run!, model);
  });

  it('mutual authentication: device presents its P-256 chain', async () => {
    const f = pki.files!;
    const [run] = await handshakes(
      peerPreset('ecdhe-ecdsa-mutual', { files: f, mtu: LINK_MTU }),
      [{ auth: { kind: 'cert', cert: f.deviceCert, key: f.deviceKey, chain: f.deviceChain }, cipher: 'ECDHE-ECDSA-AES128-CCM8', mtu: LINK_MTU, verifyCAfile: f.rootCert }],
    );
    const model = modelHandshake(configure(run!, 'ecdhe_ecdsa', { variant: 'ecdhe-ecdsa-mutual', serverChain: pki.derSizes.serverChain, deviceChain: pki.derSizes.deviceChain, mutual: true }));
    check('ecdhe-ecdsa-mutual', run!, model);
  });

  it('PSK with a session ticket, then an abbreviated handshake resuming it', async () => {
    const sess = join(dir, 'psk.session');
    const [full, resumed] = await handshakes({ auth: PSK, cipher: 'PSK-AES128-CCM8', mtu: LINK_MTU, tickets: true }, [
      { auth: PSK, cipher: 'PSK-AES128-CCM8', mtu: LINK_MTU, sessOut: sess },
      { auth: PSK, cipher: 'PSK-AES128-CCM8', mtu: LINK_MTU, sessIn: sess },
    ]);
    check('psk-ccm8-ticket', full!, modelHandshake(configure(full!, 'psk', { variant: 'psk' })));
    expect(resumed!.client.resumed).toBe(true);
    check('psk-ccm8-resumed-by-ticket', resumed!, modelHandshake(configure(resumed!, 'psk', { variant: 'resumption' })));
  });
});
