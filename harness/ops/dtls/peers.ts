// The peer of each DTLS 1.2 variant, set up and described for the byte
// model: OpenSSL s_server for PSK and certificates (with the test PKI), and
// tinydtls' example server for raw public keys; plus the device's dtls-client
// inputs that match it. DTLS 1.3's peer is set up in measure13.ts.
import { execFileSync } from 'node:child_process';
import { createPublicKey } from 'node:crypto';
import { DTLS_FLAG } from '../../contract/tls.js';
import type { DtlsClientInputs } from '../../dtls/device-client.js';
import type { CertificatePayload } from '../../dtls/model.js';
import { peerPreset, startOpensslServer, type PeerPreset, type RunningServer } from '../../dtls/openssl-peer.js';
import { startTinydtlsServer, tinydtlsServerKey, tinydtlsVersion } from '../../dtls/tinydtls-peer.js';
import { concat } from '../../core/bytes.js';
import { gnutlsVersion, startGnutlsServer, type GnutlsAuth } from '../../dtls/gnutls-peer.js';
import type { Issued } from '../../pki/cert.js';
import { unsupported } from '../../record/status.js';
import type { Pki } from '../../pki/handshake-pki.js';
import { seedBytes } from '../../vectors/seed.js';
import type { OpContext } from '../spec.js';
import { DATAGRAM_MTU, LINK_MTU, TIMEOUTS } from './link.js';
import { SUITE, type HandshakeVariant } from './variants.js';

export const PSK_IDENTITY = 'device-0001';

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

export const chainUp = (pki: Pki) => [...pki.intermediates].reverse();

/** DER sizes the server sends, from the run's PKI (never assumed). */
export function serverChain(v: HandshakeVariant, pki: Pki): number[] | undefined {
  if (v.server === 'psk' || v.server === 'rpk') return undefined;
  if (v.server === 'self-signed') return [pki.derSizes.serverSelfSigned];
  if (v.server === 'leaf') return [pki.derSizes.server];
  return pki.derSizes.serverChain;
}

/** The PSK of a run: the scenario's own, or the test PSK derived from the seed. */
export function pskOf(ctx: OpContext): { identity: string; key: Uint8Array } {
  return ctx.user.psk ?? { identity: PSK_IDENTITY, key: seedBytes(ctx.seed, 'dtls-psk').subarray(0, 16) };
}

/** What the device trusts and presents: the test PKI's, or the scenario PKI's (every anchor; its own client chain). */
type DevicePki = Pki & { trustAnchors?: Uint8Array[]; deviceIntermediates?: Issued[] };

export function deviceInputs(v: HandshakeVariant, pki: DevicePki, psk: { identity: string; key: Uint8Array }): DtlsClientInputs {
  const enc = new TextEncoder();
  let flags = 0;
  const c: DtlsClientInputs = { flags: 0, suites: [v.suite], mtu: DATAGRAM_MTU, timeoutMs: TIMEOUTS };
  if (v.server === 'psk') {
    flags |= DTLS_FLAG.PSK;
    c.psk = { identity: enc.encode(psk.identity), key: psk.key };
  }
  if (v.trust === 'pinned') {
    flags |= DTLS_FLAG.PINNED;
    c.trust = pki.serverSelfSigned.der;
  } else if (v.trust) {
    flags |= DTLS_FLAG.VERIFY_CA;
    const anchors = pki.trustAnchors ?? [pki.root.der];
    c.trust = concat(...(v.trust === 'root' ? anchors : [...anchors, ...pki.intermediates.map((x) => x.der)]));
  }
  if (v.mutual) {
    flags |= DTLS_FLAG.CLIENT_CERT;
    c.clientChain = concat(pki.device.der, ...(pki.deviceIntermediates ?? chainUp(pki)).map((x) => x.der));
    if (!pki.device.key.scalar) throw unsupported(`the device's key is ${pki.device.key.alg === 'rsa2048' ? 'RSA' : 'not P-256'}: the device clients sign CertificateVerify with a P-256 key only`);
    c.clientKey = pki.device.key.scalar;
  }
  if (v.resume) flags |= DTLS_FLAG.RESUME;
  if (v.tickets) flags |= DTLS_FLAG.TICKET;
  c.flags = flags;
  return c;
}

/** The peer of a variant, running, and what the model and the device need to know about it. */
export interface PeerSetup {
  server: RunningServer;
  name: string;
  pskIdentityLength?: number;
  serverCertificate?: CertificatePayload;
  deviceCertificate?: CertificatePayload;
  inputs: DtlsClientInputs;
}

/** A DTLS 1.2 variant's peer: tinydtls' example server for raw public keys, else the scenario's peer kind (OpenSSL by default). */
export async function openPeer(ctx: OpContext, v: HandshakeVariant, pki: DevicePki): Promise<PeerSetup> {
  if (v.server === 'rpk') return tinydtlsRpkPeer(v, pki);
  const psk = pskOf(ctx);
  const chain = serverChain(v, pki);
  const common = {
    pskIdentityLength: v.server === 'psk' ? new TextEncoder().encode(psk.identity).length : undefined,
    serverCertificate: chain ? ({ kind: 'x509', chain } as const) : undefined,
    deviceCertificate: v.mutual ? ({ kind: 'x509', chain: pki.derSizes.deviceChain } as const) : undefined,
    inputs: deviceInputs(v, pki, psk),
  };
  const peer = ctx.user.peer;
  switch (peer.kind) {
    case 'openssl': {
      if (v.noCookie)
        throw unsupported('OpenSSL 3.0 s_server always answers a DTLS ClientHello with a HelloVerifyRequest (no option turns the cookie exchange off), so a handshake without it cannot be measured against this peer; GnuTLS can (peer: { kind: gnutls })');
      const server = await startOpensslServer(
        peerPreset(presetOf(v), { files: pki.files!, psk: { keyHex: Buffer.from(psk.key).toString('hex'), identity: psk.identity }, mtu: LINK_MTU, tickets: !!v.tickets }),
      );
      return { ...common, server, name: opensslPeer() };
    }
    case 'gnutls': {
      const f = pki.files!;
      const auth: GnutlsAuth = v.server === 'psk' ? { kind: 'psk', identity: psk.identity, keyHex: Buffer.from(psk.key).toString('hex') }
        : v.server === 'self-signed' ? { kind: 'cert', certFile: f.selfSignedCert, keyFile: f.selfSignedKey }
        : v.server === 'leaf' ? { kind: 'cert', certFile: f.serverCert, keyFile: f.serverKey }
        : { kind: 'cert', certFile: f.serverFullChain, keyFile: f.serverKey, ...(v.mutual ? { clientCaFile: f.caBundle } : {}) };
      const server = await startGnutlsServer({ auth, cipher: v.suite === SUITE.PSK_GCM ? 'AES-128-GCM' : 'AES-128-CCM-8', mtu: DATAGRAM_MTU, tickets: !!v.tickets, noCookie: !!v.noCookie });
      return { ...common, server, name: `${gnutlsVersion()} (gnutls-serv --udp, private network namespace)` };
    }
    case 'external': {
      if (v.server === 'psk' && !ctx.user.psk) throw unsupported('an external peer\'s PSK is the scenario\'s to give: add psk: { identity, key }');
      if (v.server !== 'psk' && !ctx.user.pki) throw unsupported('an external peer\'s certificates are the scenario\'s to give: add pki: (the chain the server sends and what the device trusts)');
      const server: RunningServer = { host: peer.host!, port: peer.port!, args: [], output: () => '', stop: async () => {} };
      return { ...common, server, name: peer.name ?? `external DTLS server at ${peer.host}:${peer.port}` };
    }
    default:
      throw unsupported(`peer kind '${peer.kind}' serves ${peer.kind === 'wolfssl' ? 'the DTLS 1.3 variants (dtls-v13-*)' : 'the raw-public-key variant (dtls-ecdhe-ecdsa-rpk)'} here; for DTLS 1.2 choose openssl, gnutls or external`);
  }
}

function tinydtlsRpkPeer(v: HandshakeVariant, pki: DevicePki): Promise<PeerSetup> {
  // tinydtls' example server: its own credentials, read from its source.
  const key = tinydtlsServerKey();
  const spki = createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: Buffer.from(key.subarray(1, 33)).toString('base64url'), y: Buffer.from(key.subarray(33)).toString('base64url') }, format: 'jwk' }).export({ type: 'spki', format: 'der' });
  const devSpki = pki.device.key.spki;
  return startTinydtlsServer({ cipher: 'TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8' }).then((server) => ({
    server,
    name: `${tinydtlsVersion()} tests/dtls-server (host build from the same source)`,
    serverCertificate: { kind: 'raw-public-key', spki: spki.length },
    deviceCertificate: { kind: 'raw-public-key', spki: devSpki.length },
    inputs: {
      flags: DTLS_FLAG.PINNED | DTLS_FLAG.CLIENT_CERT, suites: [v.suite], mtu: DATAGRAM_MTU, timeoutMs: TIMEOUTS, trust: key,
      clientChain: devSpki.subarray(devSpki.length - 65), clientKey: pki.device.key.scalar!,
    },
  }));
}
