// DTLS 1.3 variants (RFC 9147): wolfSSL's device client against wolfSSL's
// example server built for the host; every capture checked against the
// DTLS 1.3 byte model (harness/dtls/dtls13.ts).
import { analyse13, handshakeRecord13 } from '../../dtls/dtls13.js';
import { SUITES13 } from '../../dtls/dtls13-wire.js';
import { encodeDtlsClient, type UdpNetPeer } from '../../dtls/device-client.js';
import { startWolfsslServer, WOLFSSL_PEER, wolfsslPeerName } from '../../dtls/wolfssl-peer.js';
import { DTLS_FLAG } from '../../contract/tls.js';
import { loadLinkProfiles } from '../../links/profiles.js';
import { pkiFor } from './pki.js';
import type { OpContext } from '../spec.js';
import { runHandshake, variantResult, type HandshakeRun, type VariantResult } from './handshake.js';
import type { DtlsLibrary } from './libraries.js';
import { deviceInputs, serverChain } from './peers.js';
import type { HandshakeVariant } from './variants.js';
import { timed } from '../../core/timing.js';

/**
 * DTLS 1.3: wolfSSL's device client against wolfSSL's example server, a
 * fresh server per handshake (the example serves one connection at a time
 * and waits for the client's application data, which wolfSSL 5.5.4's DTLS
 * 1.3 client fails to send after the handshake here; outside the count).
 */
export async function measureVariant13(ctx: OpContext, v: HandshakeVariant, lib: DtlsLibrary, count: number): Promise<VariantResult> {
  const psk = v.server === 'psk';
  // wolfSSL's example server has its own PSK (wolfssl/test.h): DTLS 1.3 PSK variants use it, not the scenario's.
  const pki = await pkiFor(ctx, v);
  const base = deviceInputs(v, pki, { identity: WOLFSSL_PEER.pskIdentity, key: WOLFSSL_PEER.psk13Key() });
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
  const peer = ctx.user.peer;
  for (let i = 0; i < count; i++) {
    ctx.progress(`${ctx.board.id}/${ctx.library}/${v.id}: handshake ${i + 1}/${count}`);
    // The scenario's own DTLS 1.3 server, or wolfSSL's example server (OpenSSL 3.0 and GnuTLS 3.7 have no DTLS 1.3).
    const server = peer.kind === 'external'
      ? { host: peer.host!, port: peer.port!, output: () => '', stop: async () => {} }
      : await timed('peer', () => startWolfsslServer({ suite: SUITES13[v.suite]!.wolfsslName, auth, noCookie: v.noCookie }));
    try {
      runs.push(await runHandshake(ctx, v, inputs, server, server.output, lib, analyse));
    } finally {
      await timed('peer', () => server.stop());
    }
  }
  return variantResult(runs, pki, peer.kind === 'external' ? peer.name ?? `external DTLS server at ${peer.host}:${peer.port}` : wolfsslPeerName());
}

