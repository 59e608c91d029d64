// DTLS 1.2 handshake variants (op ids dtls-*): each runs the device's own
// DTLS client (firmware op dtls-client, docs/ops.md) against a real peer on
// loopback UDP, several times (vectors.count), and checks every captured
// handshake against the TypeScript byte model to the byte. The dtls-whatif-*
// ops are computed by the model only (record `modeled: true`), on top of a
// handshake this run measured and validated. Details: docs/handshakes.md.
import { execFileSync } from 'node:child_process';
import { createPublicKey } from 'node:crypto';
import { analyseHandshake, type HandshakeAnalysis } from '../dtls/analyse.js';
import { decodeDtlsClient, DTLS_FLAG, encodeDtlsClient, UdpNetPeer, VERIFY_NOT_CHECKED, type DtlsClientInputs, type DtlsClientOutputs } from '../dtls/device-client.js';
import { configureFromCapture, handshakeRecord, modeledHandshakeRecord, onAirRecords, type StatedConfig } from '../dtls/device-handshake.js';
import type { KeyExchange } from '../dtls/handshake.js';
import type { CertificatePayload, HandshakeConfig, Packing, Variant } from '../dtls/model.js';
import { OPENSSL_DTLS, peerPreset, startOpensslServer, type PeerPreset, type RunningServer } from '../dtls/openssl-peer.js';
import { startTinydtlsServer, TINYDTLS_DTLS, tinydtlsServerKey, tinydtlsVersion } from '../dtls/tinydtls-peer.js';
import { startWolfsslServer, WOLFSSL_PEER, wolfsslPeerName } from '../dtls/wolfssl-peer.js';
import { analyse13, handshakeRecord13, SUITES13 } from '../dtls/dtls13.js';
import type { OnAirCost } from '../links/onair.js';
import type { HandshakeRecord } from '../results/schema.js';
import { decodeAll } from '../dtls/records.js';
import { concat, p256Scalar, runPki } from '../dtls/test-pki.js';
import { whatIfs } from '../dtls/whatif.js';
import { onAir } from '../links/onair.js';
import { loadLinkProfiles, type LinkProfile } from '../links/profiles.js';
import type { Pki } from '../pki/generate.js';
import type { ResultRecord } from '../results/schema.js';
import type { CountEvent } from '../measure/counts.js';
import { seedBytes } from './seed.js';
import { CC_ERR_NOMEM, CC_ERR_UNSUPPORTED, statusName, type OpContext, type OpSpec } from './types.js';

/** Link MTU of every handshake: OpenSSL -mtu 1400 sends datagrams of up to 1,372 B (1400 - IPv4/UDP). */
const LINK_MTU = 1400;
const DATAGRAM_MTU = LINK_MTU - OPENSSL_DTLS.ipv4UdpOverhead;
const PSK_IDENTITY = 'device-0001';
/** Initial/maximum retransmission timeout: 4 s, not RFC 6347's 1 s, so a busy host never triggers one. */
const TIMEOUTS: [number, number] = [4000, 32000];
const SUITE = { PSK_CCM8: 0xc0a8, PSK_GCM: 0x00a8, ECDHE_ECDSA_CCM8: 0xc0ae, TLS13_AES_128_CCM_8: 0x1305, TLS13_AES_128_GCM: 0x1301 } as const;
/** The image of the DTLS 1.3 variants: wolfSSL's client with DTLS 1.3 compiled in (user_settings.h). */
const DTLS13_CFLAGS = ['-DCERTCOST_DTLS', '-DCERTCOST_DTLS13'];
/** The device's calendar clock during handshakes (set-time): fixed, so counts repeat; inside the test PKI's 2025-2035 validity. */
const DEVICE_CLOCK = Date.UTC(2026, 0, 1) / 1000;
const i64le = (v: number) => {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigInt64(0, BigInt(v), true);
  return b;
};

/** What each library's client can do, and how it packs its flights into datagrams (the model's client packing). */
interface DtlsLibrary {
  packing: Packing;
  /** X.509 certificates; raw public keys (RFC 7250). */
  x509: boolean;
  rpk: boolean;
  /** What its dtls-client answers CC_ERR_UNSUPPORTED for, said in the record. */
  limits: string;
}
const LIBRARIES: Record<string, DtlsLibrary> = {
  // mbedTLS 2.28 packs a flight's records into datagrams up to the MTU.
  mbedtls: { packing: { mtu: DATAGRAM_MTU, mode: 'fill' }, x509: true, rpk: false, limits: 'mbedTLS 2.28: no raw public keys (RFC 7250), no OCSP stapling' },
  // wolfSSL sends every handshake message in a datagram of its own, but
  // ChangeCipherSpec together with the Finished after it (measured).
  wolfssl: { packing: { mtu: DATAGRAM_MTU, mode: 'ccs-with-finished' }, x509: true, rpk: false, limits: 'wolfSSL 5.5.4: no raw public keys (RFC 7250)' },
  // tinydtls sends every record in a datagram of its own (one per
  // dtls_send_multi) and never fragments.
  tinydtls: { packing: { mtu: DATAGRAM_MTU, mode: 'datagram-per-record' }, x509: false, rpk: true, limits: 'tinydtls: PSK and ECDHE-ECDSA with AES-128-CCM(_8) only, raw public keys only (no X.509), no resumption or session tickets' },
};

const unsupported = (msg: string) => Object.assign(new Error(msg), { unsupported: true });

// ------------------------------------------------------------ variants

interface HandshakeVariant {
  id: string;
  summary: string;
  model: Variant;
  kx: KeyExchange;
  suite: number;
  /** CA depth of the PKI (1: the root signs the leaves). */
  depth: 1 | 2 | 3;
  /** What the server authenticates with: a PSK, which certificates it sends, or its raw public key. */
  server: 'psk' | 'self-signed' | 'chain' | 'leaf' | 'rpk';
  /** What the device trusts: the pinned self-signed certificate or raw public key, the root, or root and intermediates. */
  trust?: 'pinned' | 'root' | 'root+intermediates';
  mutual?: boolean;
  resume?: boolean;
  tickets?: boolean;
  /** The variant asks for a handshake without the HelloVerifyRequest round trip. */
  noCookie?: boolean;
  /** DTLS 1.3 (RFC 9147); dhe: P-256 key shares (PSK: psk_dhe_ke rather than psk_ke; always with certificates). */
  dtls13?: { dhe: boolean };
  notes: string[];
}

const psk = (id: string, summary: string, suite: number, extra: Partial<HandshakeVariant> = {}): HandshakeVariant => ({
  id, summary, model: 'psk', kx: 'psk', suite, depth: 1, server: 'psk', notes: [], ...extra,
});
const ecdsa = (id: string, summary: string, extra: Partial<HandshakeVariant>): HandshakeVariant => ({
  id, summary, model: 'ecdhe-ecdsa', kx: 'ecdhe_ecdsa', suite: SUITE.ECDHE_ECDSA_CCM8, depth: 1, server: 'chain', trust: 'root', notes: [], ...extra,
});

export const HANDSHAKE_VARIANTS: HandshakeVariant[] = [
  psk('dtls-psk-ccm8', 'DTLS 1.2 handshake, TLS_PSK_WITH_AES_128_CCM_8 (RFC 7925 mandatory suite)', SUITE.PSK_CCM8),
  psk('dtls-psk-gcm', 'DTLS 1.2 handshake, TLS_PSK_WITH_AES_128_GCM_SHA256', SUITE.PSK_GCM),
  psk('dtls-psk-ccm8-resume', 'abbreviated DTLS 1.2 handshake resuming a PSK-CCM8 session by session ID (counted alone)', SUITE.PSK_CCM8, {
    model: 'resumption', resume: true,
    notes: ['A full handshake runs first on connection 0, uncounted; only the abbreviated handshake on connection 1 (session ID from the server\'s session cache) is counted and modeled.'],
  }),
  psk('dtls-psk-ccm8-ticket', 'PSK-CCM8 full handshake with a session ticket issued (RFC 5077, OpenSSL\'s default)', SUITE.PSK_CCM8, {
    tickets: true,
    notes: ['The device offers an empty session_ticket extension; the server adds a NewSessionTicket to its last flight.'],
  }),
  psk('dtls-psk-ccm8-ticket-resume', 'abbreviated PSK-CCM8 handshake resuming by session ticket (counted alone)', SUITE.PSK_CCM8, {
    model: 'resumption', resume: true, tickets: true,
    notes: ['Connection 0 (uncounted) obtains a ticket; connection 1 presents it in its ClientHello and is counted.'],
  }),
  psk('dtls-psk-ccm8-no-cookie', 'PSK-CCM8 without the HelloVerifyRequest cookie round trip', SUITE.PSK_CCM8, { noCookie: true }),
  psk('dtls-v13-psk-ccm8', 'DTLS 1.3 handshake (RFC 9147), external PSK with psk_ke (no ECDHE), TLS_AES_128_CCM_8_SHA256; peer: wolfSSL host build', SUITE.TLS13_AES_128_CCM_8, {
    dtls13: { dhe: false },
    notes: [
      'DTLS 1.3 with a PSK and no (EC)DHE, the like of the DTLS 1.2 PSK handshake. Peer: wolfSSL 5.5.4\'s examples/server built for the host from the same source (OpenSSL 3.0 has no DTLS 1.3), with its own PSK identity and key (wolfssl/test.h).',
      'The server answers the first ClientHello with a HelloRetryRequest carrying a cookie (stateless, as RFC 9147 5.1 recommends), acknowledges the client\'s Finished with an ACK record, and all but the hellos travel encrypted under the unified header.',
    ],
  }),
  psk('dtls-v13-psk-gcm', 'DTLS 1.3 handshake, external PSK with psk_ke, TLS_AES_128_GCM_SHA256; peer: wolfSSL host build', SUITE.TLS13_AES_128_GCM, {
    dtls13: { dhe: false },
    notes: ['As dtls-v13-psk-ccm8 with AES-128-GCM (16 B tags). With GCM wolfSSL 5.5.4\'s DTLS 1.3 client also sends its application data after the handshake; with CCM_8 it fails to (BUILD_MSG_ERROR, docs/handshakes.md). Neither is in the counted handshake.'],
  }),
  psk('dtls-v13-psk-ccm8-no-cookie', 'DTLS 1.3 PSK (psk_ke) handshake without the HelloRetryRequest cookie round trip (server -J n)', SUITE.TLS13_AES_128_CCM_8, {
    dtls13: { dhe: false }, noCookie: true,
    notes: ['The wolfSSL server told not to send a cookie (examples/server -J n): it answers the first ClientHello directly. Compare with dtls-v13-psk-ccm8 for what the return-routability check costs; unlike OpenSSL\'s DTLS 1.2 server, this peer can turn it off.'],
  }),
  psk('dtls-v13-psk-ecdhe-ccm8', 'DTLS 1.3 handshake, PSK with psk_dhe_ke (ECDHE P-256 + PSK: forward secrecy), TLS_AES_128_CCM_8_SHA256; peer: wolfSSL host build', SUITE.TLS13_AES_128_CCM_8, {
    dtls13: { dhe: true },
    notes: ['As dtls-v13-psk-ccm8, with an ECDHE P-256 key exchange on top of the PSK: the price of forward secrecy in device instructions and in key-share bytes.'],
  }),
  ecdsa('dtls-v13-ecdhe-ecdsa-selfsigned', 'DTLS 1.3, ECDHE P-256 + ECDSA, self-signed P-256 server certificate pinned by the device, TLS_AES_128_CCM_8_SHA256; peer: wolfSSL host build', {
    suite: SUITE.TLS13_AES_128_CCM_8, server: 'self-signed', trust: 'pinned', dtls13: { dhe: true },
    notes: ['The DTLS 1.3 counterpart of dtls-ecdhe-ecdsa-selfsigned: the server\'s Certificate and CertificateVerify travel encrypted (TLS 1.3 layout: 2 B of extensions per certificate, a context byte), there is no ServerKeyExchange/ClientKeyExchange, and the key shares ride in the hellos. Peer: wolfSSL\'s examples/server (host build) with the test PKI\'s self-signed certificate, not asking for the client\'s.'],
  }),
  ecdsa('dtls-v13-ecdhe-ecdsa-chain2', 'DTLS 1.3, ECDHE-ECDSA, CA depth 2: server sends leaf + intermediate, device trusts the root; peer: wolfSSL host build', {
    suite: SUITE.TLS13_AES_128_CCM_8, depth: 2, dtls13: { dhe: true },
    notes: ['The DTLS 1.3 counterpart of dtls-ecdhe-ecdsa-chain2.'],
  }),
  ecdsa('dtls-ecdhe-ecdsa-selfsigned', 'ECDHE-ECDSA-AES128-CCM8, self-signed P-256 server certificate pinned by the device', {
    server: 'self-signed', trust: 'pinned',
    notes: ['PINNED: the device trusts exactly the server\'s self-signed certificate (trust input); mbedTLS accepts it as a locally trusted end entity without checking its own signature.'],
  }),
  ecdsa('dtls-ecdhe-ecdsa-chain2', 'ECDHE-ECDSA-AES128-CCM8, CA depth 2: server sends leaf + intermediate, device trusts the root', { depth: 2 }),
  ecdsa('dtls-ecdhe-ecdsa-chain3', 'ECDHE-ECDSA-AES128-CCM8, CA depth 3: server sends leaf + 2 intermediates, device trusts the root', { depth: 3 }),
  ecdsa('dtls-ecdhe-ecdsa-chain3-leaf', 'ECDHE-ECDSA-AES128-CCM8, CA depth 3: server sends its leaf only, device holds root + intermediates', {
    depth: 3, server: 'leaf', trust: 'root+intermediates',
    notes: ['The server sends only its leaf, so the device must already hold both intermediates: they go in its trust input with the root. mbedTLS treats every configured CA as a trust anchor and stops at the issuing intermediate: one certificate signature checked instead of three, fewer bytes and fewer instructions.'],
  }),
  ecdsa('dtls-ecdhe-ecdsa-mutual', 'ECDHE-ECDSA-AES128-CCM8, mutual authentication: device presents its P-256 certificate + intermediate', {
    model: 'ecdhe-ecdsa-mutual', depth: 2, mutual: true,
    notes: ['Server: -Verify 1 with the CA bundle (no CA names in CertificateRequest); device: chain of depth 2 (leaf + intermediate), ECDSA CertificateVerify signed on the device.'],
  }),
  ecdsa('dtls-ecdhe-ecdsa-rpk', 'ECDHE-ECDSA-AES128-CCM8 with raw public keys (RFC 7250) both ways: each side sends its SubjectPublicKeyInfo, the device pins the server\'s', {
    model: 'ecdhe-ecdsa-mutual', server: 'rpk', trust: 'pinned', mutual: true,
    notes: [
      'Peer: tinydtls\' own example server (tests/dtls-server.c), built for the host from the same source as the device\'s tinydtls, with the example\'s fixed P-256 key; OpenSSL 3.0 has no raw public keys. The device pins that key (trust input 04 || X || Y).',
      'The example server always sends a CertificateRequest, so the device authenticates too: its raw public key (the test PKI\'s device key) and an ECDSA CertificateVerify. Compare with dtls-ecdhe-ecdsa-mutual.',
    ],
  }),
];

// ------------------------------------------------------------ peer

function opensslVersion(): string {
  try {
    return execFileSync(process.env.CERTCOST_OPENSSL ?? 'openssl', ['version'], { encoding: 'utf8' }).trim().split(/\s+/).slice(0, 2).join(' ');
  } catch {
    return 'OpenSSL (version unknown)';
  }
}
let opensslName: string | undefined;
const opensslPeer = () => (opensslName ??= `openssl s_server -dtls1_2 (${opensslVersion()})`);

function presetOf(v: HandshakeVariant): PeerPreset {
  if (v.server === 'psk') return v.suite === SUITE.PSK_GCM ? 'psk-gcm' : 'psk-ccm8';
  if (v.mutual) return 'ecdhe-ecdsa-mutual';
  return v.server === 'self-signed' ? 'ecdhe-ecdsa-selfsigned' : v.server === 'leaf' ? 'ecdhe-ecdsa-leaf-only' : 'ecdhe-ecdsa-chain';
}

const chainUp = (pki: Pki) => [...pki.intermediates].reverse();

/** DER sizes the server sends, from the generated PKI (never assumed). */
function serverChain(v: HandshakeVariant, pki: Pki): number[] | undefined {
  if (v.server === 'psk' || v.server === 'rpk') return undefined;
  if (v.server === 'self-signed') return [pki.derSizes.serverSelfSigned];
  if (v.server === 'leaf') return [pki.derSizes.server];
  return pki.derSizes.serverChain;
}

function deviceInputs(v: HandshakeVariant, pki: Pki, pskKey: Uint8Array): DtlsClientInputs {
  const enc = new TextEncoder();
  let flags = 0;
  const c: DtlsClientInputs = { flags: 0, suites: [v.suite], mtu: DATAGRAM_MTU, timeoutMs: TIMEOUTS };
  if (v.server === 'psk') {
    flags |= DTLS_FLAG.PSK;
    c.psk = { identity: enc.encode(PSK_IDENTITY), key: pskKey };
  }
  if (v.trust === 'pinned') {
    flags |= DTLS_FLAG.PINNED;
    c.trust = pki.serverSelfSigned.der;
  } else if (v.trust) {
    flags |= DTLS_FLAG.VERIFY_CA;
    c.trust = concat(v.trust === 'root' ? [pki.root.der] : [pki.root.der, ...pki.intermediates.map((x) => x.der)]);
  }
  if (v.mutual) {
    flags |= DTLS_FLAG.CLIENT_CERT;
    c.clientChain = concat([pki.device.der, ...chainUp(pki).map((x) => x.der)]);
    c.clientKey = p256Scalar(pki.device.pkcs8);
  }
  if (v.resume) flags |= DTLS_FLAG.RESUME;
  if (v.tickets) flags |= DTLS_FLAG.TICKET;
  c.flags = flags;
  return c;
}

// ------------------------------------------------------------ measuring

/** What fillRecord needs of an analysed capture, DTLS 1.2 or 1.3. */
interface Captured {
  totals: { c2s: { bytes: number; datagrams: number }; s2c: { bytes: number; datagrams: number }; retransmittedFlights: number };
  explanation: string[];
  modelCheck: 'equal' | 'differs';
  onAir: OnAirCost[];
  record(peer: string): HandshakeRecord;
}

interface HandshakeRun {
  instructions: number;
  /** The counted bracket (with a per-address profile when the scenario asks for cycles). */
  count: CountEvent;
  stack: number;
  heap: number;
  outputs: DtlsClientOutputs;
  analysis: Captured;
  /** DTLS 1.2: the full model analysis (the what-ifs build on it). */
  full?: HandshakeAnalysis;
  unparsed: string[];
  /** Everything that disagrees: model differences and the device's own answers. */
  problems: string[];
}

interface VariantResult {
  runs: HandshakeRun[];
  median: HandshakeRun;
  pki: Pki;
  peer: string;
}

/** Validated bases for the what-ifs, per run and board/library/variant. */
const bases = new WeakMap<object, Map<string, Promise<VariantResult>>>();

function expectations(v: HandshakeVariant, run: Omit<HandshakeRun, 'problems'>): string[] {
  const p: string[] = [];
  const o = run.outputs;
  if (o.suite !== v.suite) p.push(`negotiated suite 0x${o.suite.toString(16)}, expected 0x${v.suite.toString(16)}`);
  if (o.resumed !== !!v.resume) p.push(`the counted handshake was ${o.resumed ? '' : 'not '}abbreviated`);
  const verify = v.trust && !v.resume ? 0 : VERIFY_NOT_CHECKED;
  if (!v.resume && o.verify !== verify) p.push(`verify result 0x${o.verify.toString(16)}, expected 0x${verify.toString(16)}`);
  const t = run.analysis.totals;
  const dev = o.device;
  if (t.c2s.datagrams !== dev.datagramsOut || t.s2c.datagrams !== dev.datagramsIn || t.c2s.bytes !== dev.bytesOut || t.s2c.bytes !== dev.bytesIn)
    p.push(`device counters (${dev.bytesOut} B/${dev.datagramsOut} dg out, ${dev.bytesIn} B/${dev.datagramsIn} dg in) disagree with the capture (${t.c2s.bytes}/${t.c2s.datagrams}, ${t.s2c.bytes}/${t.s2c.datagrams})`);
  p.push(...run.analysis.explanation.map((d) => `model: ${d}`));
  return p;
}

/** One handshake of the device against the peer at `endpoint`; `analyse` turns the counted connection's datagrams into a checked capture. */
async function runHandshake(
  ctx: OpContext, v: HandshakeVariant, inputs: Uint8Array[], endpoint: { host: string; port: number }, peerLog: () => string, lib: DtlsLibrary,
  analyse: (datagrams: ReturnType<UdpNetPeer['connection']>) => { analysis: Captured; full?: HandshakeAnalysis; unparsed: string[] },
): Promise<HandshakeRun> {
  // Same device randomness for every handshake of a variant: what varies is the peer's.
  await ctx.run('seed-rng', [seedBytes(ctx.scenario.vectors.seed, 'dtls-rng', v.id).subarray(0, 16)]);
  // A calendar clock inside the PKI's validity, for libraries that check certificate dates.
  await ctx.run('set-time', [i64le(DEVICE_CLOCK)]);
  const net = await UdpNetPeer.open(endpoint);
  let out;
  try {
    out = await ctx.run('dtls-client', inputs, net);
  } finally {
    await net.close();
  }
  const r = out.result;
  if (r.status === CC_ERR_UNSUPPORTED) throw unsupported(`${ctx.library}'s dtls-client answered CC_ERR_UNSUPPORTED for ${v.id} (${lib.limits})`);
  if (r.status === CC_ERR_NOMEM) throw new Error(`out of memory: ${ctx.library}'s DTLS client does not fit in ${ctx.board.id}'s ${ctx.board.heapBytes} B heap (peak ${r.heapBytes} B when it failed)`);
  if (r.leaked) throw new Error(`dtls-client leaked heap on the device (${ctx.library} adapter)`);
  if (r.status !== 0) throw new Error(`handshake failed on the device: ${statusName(r.status)}; peer: ${peerLog().trim().split('\n').slice(-3).join(' / ')}`);
  if (!r.balanced || !out.count || out.extraCounts) throw new Error(`dtls-client: measurement brackets unbalanced in the ${ctx.library} adapter`);
  const outputs = decodeDtlsClient(r.outputs);
  if (!outputs) throw new Error('dtls-client returned no outputs');
  const run = { instructions: out.count.instructions, count: out.count, stack: r.stackBytes, heap: r.heapBytes, outputs, ...analyse(net.connection(v.resume ? 1 : 0)) };
  return { ...run, problems: expectations(v, run) };
}

/** DTLS 1.2: the capture against the byte model (model.ts). */
function analyse12(stated: StatedConfig, links: LinkProfile[]) {
  return (datagrams: ReturnType<UdpNetPeer['connection']>) => {
    const { config, unparsed } = configureFromCapture(decodeAll(datagrams), stated);
    const full = analyseHandshake(datagrams, config, links);
    return { analysis: { ...full, record: (peer: string) => handshakeRecord(full, peer) }, full, unparsed };
  };
}

/** The peer of a variant, running, and what the model and the device need to know about it. */
interface PeerSetup {
  server: RunningServer;
  name: string;
  cookieLength: number | null;
  packing: Packing;
  pskIdentityLength?: number;
  serverCertificate?: CertificatePayload;
  deviceCertificate?: CertificatePayload;
  inputs: DtlsClientInputs;
}

async function openPeer(ctx: OpContext, v: HandshakeVariant, pki: Pki): Promise<PeerSetup> {
  if (v.server === 'rpk') {
    // tinydtls' example server: its own credentials, read from its source.
    const key = tinydtlsServerKey();
    const spki = createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: Buffer.from(key.subarray(1, 33)).toString('base64url'), y: Buffer.from(key.subarray(33)).toString('base64url') }, format: 'jwk' }).export({ type: 'spki', format: 'der' });
    const devSpki = new Uint8Array(pki.device.cert.publicKey.rawData);
    const server = await startTinydtlsServer({ cipher: 'TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8' });
    return {
      server,
      name: `${tinydtlsVersion()} tests/dtls-server (host build from the same source)`,
      cookieLength: TINYDTLS_DTLS.cookieLength,
      packing: TINYDTLS_DTLS.packing,
      serverCertificate: { kind: 'raw-public-key', spki: spki.length },
      deviceCertificate: { kind: 'raw-public-key', spki: devSpki.length },
      inputs: {
        flags: DTLS_FLAG.PINNED | DTLS_FLAG.CLIENT_CERT, suites: [v.suite], mtu: DATAGRAM_MTU, timeoutMs: TIMEOUTS, trust: key,
        clientChain: devSpki.subarray(devSpki.length - 65), clientKey: p256Scalar(pki.device.pkcs8),
      },
    };
  }
  const pskKey = seedBytes(ctx.scenario.vectors.seed, 'dtls-psk').subarray(0, 16);
  const server = await startOpensslServer(
    peerPreset(presetOf(v), { files: pki.files!, psk: { keyHex: Buffer.from(pskKey).toString('hex'), identity: PSK_IDENTITY }, mtu: LINK_MTU, tickets: !!v.tickets }),
  );
  const chain = serverChain(v, pki);
  return {
    server,
    name: opensslPeer(),
    cookieLength: OPENSSL_DTLS.cookieLength,
    packing: OPENSSL_DTLS.packing(LINK_MTU),
    pskIdentityLength: v.server === 'psk' ? PSK_IDENTITY.length : undefined,
    serverCertificate: chain ? { kind: 'x509', chain } : undefined,
    deviceCertificate: v.mutual ? { kind: 'x509', chain: pki.derSizes.deviceChain } : undefined,
    inputs: deviceInputs(v, pki, pskKey),
  };
}

/**
 * DTLS 1.3: wolfSSL's device client against wolfSSL's example server, a
 * fresh server per handshake (the example serves one connection at a time
 * and waits for the client's application data, which wolfSSL 5.5.4's DTLS
 * 1.3 client fails to send after the handshake here; outside the count).
 */
async function measureVariant13(ctx: OpContext, v: HandshakeVariant, lib: DtlsLibrary, count: number): Promise<VariantResult> {
  const psk = v.server === 'psk';
  const pki = await runPki(ctx.scenario, v.depth);
  const base = deviceInputs(v, pki, WOLFSSL_PEER.psk13Key());
  const inputs = encodeDtlsClient({
    ...base,
    flags: base.flags | DTLS_FLAG.DTLS13 | (psk && v.dtls13!.dhe ? DTLS_FLAG.PSK_DHE : 0),
    ...(psk ? { psk: { identity: new TextEncoder().encode(WOLFSSL_PEER.pskIdentity), key: WOLFSSL_PEER.psk13Key() } } : {}),
  });
  const files = pki.files!;
  const auth = psk ? { kind: 'psk' as const, pskOnly: !v.dtls13!.dhe }
    : v.server === 'self-signed' ? { kind: 'cert' as const, chainPem: files.selfSignedCert, keyPem: files.selfSignedKey }
    : { kind: 'cert' as const, chainPem: files.serverFullChain, keyPem: files.serverKey };
  const stated = psk ? { suite: v.suite, pskIdentityLength: WOLFSSL_PEER.pskIdentity.length, dhe: v.dtls13!.dhe } : { suite: v.suite, dhe: true, serverCertificate: serverChain(v, pki) };
  const links = loadLinkProfiles();
  const analyse = (datagrams: ReturnType<UdpNetPeer['connection']>) => {
    const a = analyse13(datagrams, stated, links);
    return { analysis: { ...a, record: (peer: string) => handshakeRecord13(a, peer) }, unparsed: a.fromWire };
  };
  const runs: HandshakeRun[] = [];
  for (let i = 0; i < count; i++) {
    ctx.progress(`${ctx.board.id}/${ctx.library}/${v.id}: handshake ${i + 1}/${count}`);
    const server = await startWolfsslServer({ suite: SUITES13[v.suite]!.wolfsslName, auth, noCookie: v.noCookie });
    try {
      runs.push(await runHandshake(ctx, v, inputs, server, server.output, lib, analyse));
    } finally {
      await server.stop();
    }
  }
  const sorted = [...runs].sort((a, b) => a.instructions - b.instructions);
  return { runs, median: sorted[(sorted.length - 1) >> 1]!, pki, peer: wolfsslPeerName() };
}

async function measureVariant(ctx: OpContext, v: HandshakeVariant, count: number): Promise<VariantResult> {
  const lib = LIBRARIES[ctx.library];
  if (!lib) throw unsupported(`no DTLS client description for ${ctx.library} in harness/ops/dtls.ts`);
  if (v.dtls13) return measureVariant13(ctx, v, lib, count);
  if (v.noCookie)
    throw unsupported('OpenSSL 3.0 s_server always answers a DTLS ClientHello with a HelloVerifyRequest (no option turns the cookie exchange off), so a handshake without it cannot be measured against this peer; every other variant includes the cookie round trip');
  if (v.server === 'rpk' && !lib.rpk) throw unsupported(`${lib.limits}`);
  if (v.server !== 'psk' && v.server !== 'rpk' && !lib.x509) throw unsupported(`${lib.limits}`);
  const pki = await runPki(ctx.scenario, v.depth);
  const peer = await openPeer(ctx, v, pki);
  const stated: StatedConfig = {
    variant: v.model,
    kx: v.kx,
    cookieLength: peer.cookieLength,
    clientPacking: lib.packing,
    serverPacking: peer.packing,
    pskIdentityLength: peer.pskIdentityLength,
    serverCertificate: peer.serverCertificate,
    deviceCertificate: peer.deviceCertificate,
  };
  const inputs = encodeDtlsClient(peer.inputs);
  const links = loadLinkProfiles();
  const runs: HandshakeRun[] = [];
  try {
    for (let i = 0; i < count; i++) {
      ctx.progress(`${ctx.board.id}/${ctx.library}/${v.id}: handshake ${i + 1}/${count}`);
      runs.push(await runHandshake(ctx, v, inputs, peer.server, peer.server.output, lib, analyse12(stated, links)));
    }
  } finally {
    await peer.server.stop();
  }
  const sorted = [...runs].sort((a, b) => a.instructions - b.instructions);
  return { runs, median: sorted[(sorted.length - 1) >> 1]!, pki, peer: peer.name };
}

function fillRecord(v: HandshakeVariant, res: VariantResult, rec: ResultRecord): void {
  const { runs, median } = res;
  const counts = runs.map((r) => r.instructions);
  rec.instructions = median.instructions;
  rec.instructionsMin = Math.min(...counts);
  rec.instructionsMax = Math.max(...counts);
  rec.stackBytes = Math.max(...runs.map((r) => r.stack));
  rec.heapBytes = Math.max(...runs.map((r) => r.heap));
  rec.vectors = { total: runs.length, agree: 0, disagree: [] };
  runs.forEach((r, i) => {
    const agree = r.problems.length === 0;
    if (agree) rec.vectors.agree++;
    else rec.vectors.disagree.push({ id: `handshake-${i + 1}`, detail: r.problems.join('; ') });
    rec.perVector.push({ id: `handshake-${i + 1}`, instructions: r.instructions, status: 0, agree });
  });
  const hs = median.analysis.record(res.peer);
  hs.modelCheck = runs.some((r) => r.analysis.modelCheck === 'differs') ? 'differs' : 'equal';
  hs.differences = runs.flatMap((r, i) => r.analysis.explanation.map((d) => `handshake ${i + 1}: ${d}`));
  hs.retransmissions = runs.reduce((a, r) => a + r.analysis.totals.retransmittedFlights, 0);
  const server = serverChain(v, res.pki);
  if (server && !v.resume) hs.certificates = { server, ...(v.mutual ? { device: res.pki.derSizes.deviceChain } : {}) };
  const c2s = runs.map((r) => r.analysis.totals.c2s.bytes);
  const s2c = runs.map((r) => r.analysis.totals.s2c.bytes);
  hs.bytesRange = { c2s: [Math.min(...c2s), Math.max(...c2s)], s2c: [Math.min(...s2c), Math.max(...s2c)] };
  const notes = [...v.notes];
  if (rec.instructionsMax! > rec.instructionsMin!) {
    const spread = ((rec.instructionsMax! - rec.instructionsMin!) / rec.instructionsMin!) * 100;
    const why = v.kx === 'psk'
      ? 'the server\'s fresh random changes the session keys, and this library\'s record protection takes data-dependent paths'
      : 'the peer\'s fresh ECDHE key and ECDSA signature change the device\'s bignum work';
    notes.push(`Instructions vary by ${spread.toFixed(2)}% over ${runs.length} handshakes (device RNG reseeded identically before each): ${why}; the figure is the median.`);
  }
  const unparsed = [...new Set(runs.flatMap((r) => r.unparsed))];
  if (unparsed.length) notes.push(`${v.dtls13 ? 'Lengths the model took from the wire (peer choices)' : 'Extensions sized from the wire (type:length), not parsed'}: ${unparsed.join(', ')}.`);
  const timeouts = runs.reduce((a, r) => a + r.outputs.timeouts, 0);
  if (timeouts) notes.push(`The device timed out waiting ${timeouts} time(s) and retransmitted.`);
  hs.notes = notes;
  rec.handshake = hs;
  rec.onAir = onAirRecords(median.analysis.onAir);
  if (rec.vectors.disagree.length) {
    rec.status = 'mismatch';
    rec.reason = `${rec.vectors.disagree.length} of ${runs.length} handshakes disagree: ${rec.vectors.disagree[0]!.detail}`.slice(0, 600);
  }
}

function handshakeSpec(v: HandshakeVariant): OpSpec {
  return {
    id: v.id,
    summary: v.summary,
    firmwareOp: 'dtls-client',
    ...(v.dtls13 ? { cflags: DTLS13_CFLAGS, libraries: { only: ['wolfssl'], why: 'DTLS 1.3: only wolfSSL 5.5.4 has a DTLS 1.3 client here (mbedTLS 2.28 and tinydtls have none)' } } : {}),
    vectors: () => [],
    check: () => ({ agree: false, detail: 'measured by measure()' }),
    async measure(ctx, rec) {
      let m = bases.get(ctx.scenario);
      if (!m) bases.set(ctx.scenario, (m = new Map()));
      const key = `${ctx.board.id}/${ctx.library}/${v.id}`;
      const p = measureVariant(ctx, v, ctx.scenario.vectors.count);
      m.set(key, p);
      const res = await p;
      fillRecord(v, res, rec);
      // Cycles and ms from the same handshakes' per-address counts (median by cycles).
      Object.assign(rec, ctx.cycles(res.runs.map((r) => r.count)));
    },
  };
}

// ------------------------------------------------------------ what-ifs (model only)

interface WhatIfDef {
  id: string;
  /** whatIfs() name. */
  name: string;
  summary: string;
  base: string;
}

export const WHAT_IF_VARIANTS: WhatIfDef[] = [
  { id: 'dtls-whatif-cached-info', name: 'cached-info', summary: 'modeled: RFC 7924 cached information on the chain2 handshake', base: 'dtls-ecdhe-ecdsa-chain2' },
  { id: 'dtls-whatif-client-certificate-url', name: 'client-certificate-url', summary: 'modeled: RFC 6066 client_certificate_url on the mutual handshake', base: 'dtls-ecdhe-ecdsa-mutual' },
  { id: 'dtls-whatif-certificate-compression', name: 'certificate-compression', summary: 'modeled: RFC 8879 certificate compression on the chain2 handshake', base: 'dtls-ecdhe-ecdsa-chain2' },
  { id: 'dtls-whatif-rfc7925-certificates', name: 'rfc7925-certificates', summary: 'modeled: RFC 7925-profile certificates on the chain2 handshake', base: 'dtls-ecdhe-ecdsa-chain2' },
  { id: 'dtls-whatif-raw-public-key', name: 'raw-public-key', summary: 'modeled: RFC 7250 raw public key instead of the chain2 certificates', base: 'dtls-ecdhe-ecdsa-chain2' },
];

async function baseFor(ctx: OpContext, id: string): Promise<VariantResult> {
  let m = bases.get(ctx.scenario);
  if (!m) bases.set(ctx.scenario, (m = new Map()));
  const key = `${ctx.board.id}/${ctx.library}/${id}`;
  let p = m.get(key);
  if (!p) {
    // The base variant is not in the scenario (or ran on another image): measure it once here.
    p = measureVariant(ctx, HANDSHAKE_VARIANTS.find((x) => x.id === id)!, 1);
    m.set(key, p);
  }
  return p;
}

function whatIfSpec(w: WhatIfDef): OpSpec {
  return {
    id: w.id,
    summary: w.summary,
    firmwareOp: 'dtls-client',
    vectors: () => [],
    check: () => ({ agree: false, detail: 'computed by measure()' }),
    async measure(ctx, rec) {
      let base: VariantResult;
      try {
        base = await baseFor(ctx, w.base);
      } catch (e) {
        const err = e as Error & { unsupported?: boolean };
        throw Object.assign(new Error(`base handshake ${w.base}: ${err.message}`), { unsupported: err.unsupported });
      }
      const a = base.median.full;
      if (!a) throw new Error(`the what-if ${w.name} needs a DTLS 1.2 base handshake`);
      const cfg: HandshakeConfig = a.model.config;
      const pki = base.pki;
      const small = await runPki(ctx.scenario, pki.options.depth, 'rfc7925');
      const all = whatIfs(cfg, {
        serverChainDer: [pki.server.der, ...chainUp(pki).map((x) => x.der)],
        deviceChainDer: [pki.device.der, ...chainUp(pki).map((x) => x.der)],
        rfc7925ServerChain: small.derSizes.serverChain,
        rfc7925DeviceChain: small.derSizes.deviceChain,
        spkiLength: pki.server.cert.publicKey.rawData.byteLength,
      });
      const wi = all.find((x) => x.name === w.name);
      if (!wi) throw new Error(`the what-if ${w.name} does not apply to ${w.base}`);
      Object.assign(rec, { instructions: null, instructionsMin: null, instructionsMax: null, stackBytes: null, heapBytes: null, flashBytes: null, ramBytes: null });
      delete rec.marginalFlashBytes;
      delete rec.marginalRamBytes;
      rec.modeled = true;
      const hs = modeledHandshakeRecord(wi.model, `none: modeled on the measured ${ctx.library} <-> ${base.peer} ${w.base} handshake`);
      hs.modelCheck = a.modelCheck;
      hs.differences = a.explanation;
      hs.whatIf = { spec: wi.spec, base: w.base, baseBytes: a.model.bytes, delta: wi.delta, note: wi.note };
      rec.handshake = hs;
      const sizes = wi.model.flights.flatMap((f) => f.datagrams.map((d) => ({ dir: d.dir, size: d.size })));
      rec.onAir = onAirRecords(loadLinkProfiles().map((p) => onAir(sizes, p)));
      if (a.modelCheck !== 'equal') {
        rec.status = 'mismatch';
        rec.reason = `the base handshake ${w.base} disagrees with the model, so this what-if is not grounded: ${a.explanation[0]}`;
      }
    },
  };
}

export const DTLS_OPS: OpSpec[] = [...HANDSHAKE_VARIANTS.map(handshakeSpec), ...WHAT_IF_VARIANTS.map(whatIfSpec)];

