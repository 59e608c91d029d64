// The peer of each DTLS 1.2 variant, set up and described for the byte
// model: OpenSSL s_server for PSK and certificates (with the test PKI), and
// tinydtls' example server for raw public keys; plus the device's dtls-client
// inputs that match it. DTLS 1.3's peer is set up in measure13.ts.
import { execFileSync } from 'node:child_process';
import { createPublicKey } from 'node:crypto';
import { DTLS_FLAG } from '../../contract/tls.js';
import type { DtlsClientInputs } from '../../dtls/device-client.js';
import type { CertificatePayload, Packing } from '../../dtls/model.js';
import { OPENSSL_DTLS, peerPreset, startOpensslServer, type PeerPreset, type RunningServer } from '../../dtls/openssl-peer.js';
import { startTinydtlsServer, TINYDTLS_DTLS, tinydtlsServerKey, tinydtlsVersion } from '../../dtls/tinydtls-peer.js';
import { concat } from '../../core/bytes.js';
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

export function deviceInputs(v: HandshakeVariant, pki: Pki, pskKey: Uint8Array): DtlsClientInputs {
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
    c.trust = concat(...(v.trust === 'root' ? [pki.root.der] : [pki.root.der, ...pki.intermediates.map((x) => x.der)]));
  }
  if (v.mutual) {
    flags |= DTLS_FLAG.CLIENT_CERT;
    c.clientChain = concat(pki.device.der, ...chainUp(pki).map((x) => x.der));
    c.clientKey = pki.device.key.scalar!;
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
  cookieLength: number | null;
  packing: Packing;
  pskIdentityLength?: number;
  serverCertificate?: CertificatePayload;
  deviceCertificate?: CertificatePayload;
  inputs: DtlsClientInputs;
}

export async function openPeer(ctx: OpContext, v: HandshakeVariant, pki: Pki): Promise<PeerSetup> {
  if (v.server === 'rpk') {
    // tinydtls' example server: its own credentials, read from its source.
    const key = tinydtlsServerKey();
    const spki = createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: Buffer.from(key.subarray(1, 33)).toString('base64url'), y: Buffer.from(key.subarray(33)).toString('base64url') }, format: 'jwk' }).export({ type: 'spki', format: 'der' });
    const devSpki = pki.device.key.spki;
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
        clientChain: devSpki.subarray(devSpki.length - 65), clientKey: pki.device.key.scalar!,
      },
    };
  }
  const pskKey = seedBytes(ctx.seed, 'dtls-psk').subarray(0, 16);
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

