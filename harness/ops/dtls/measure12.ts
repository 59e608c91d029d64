// DTLS 1.2 variants against OpenSSL s_server (tinydtls' example server for
// raw public keys): the peer is started once per variant and the device runs
// the handshake `count` times; every capture is checked against the byte
// model (harness/dtls/model.ts) to the byte.
import { analyseHandshake } from '../../dtls/analyse.js';
import { encodeDtlsClient, type UdpNetPeer } from '../../dtls/device-client.js';
import { configureFromCapture, handshakeRecord, type StatedConfig } from '../../dtls/device-handshake.js';
import { decodeAll } from '../../dtls/records.js';
import { loadLinkProfiles, type LinkProfile } from '../../links/profiles.js';
import { pkiFor } from './pki.js';
import type { OpContext } from '../spec.js';
import { runHandshake, unsupported, variantResult, type HandshakeRun, type VariantResult } from './handshake.js';
import type { DtlsLibrary } from './libraries.js';
import { openPeer } from './peers.js';
import type { HandshakeVariant } from './variants.js';
import { DATAGRAM_MTU } from './link.js';
import { timed } from '../../core/timing.js';

/** DTLS 1.2: the capture against the byte model (model.ts). */
export function analyse12(stated: StatedConfig, links: LinkProfile[]) {
  return (datagrams: ReturnType<UdpNetPeer['connection']>) => {
    const { config, unparsed } = configureFromCapture(decodeAll(datagrams), stated);
    const full = analyseHandshake(datagrams, config, links);
    return { analysis: { ...full, record: (peer: string) => handshakeRecord(full, peer) }, full, unparsed };
  };
}

export async function measureVariant12(ctx: OpContext, v: HandshakeVariant, lib: DtlsLibrary, count: number): Promise<VariantResult> {
  if (v.server === 'rpk' && !lib.rpk) throw unsupported(`${lib.limits}`);
  if (v.server !== 'psk' && v.server !== 'rpk' && !lib.x509) throw unsupported(`${lib.limits}`);
  const pki = await pkiFor(ctx, v);
  const peer = await timed('peer', () => openPeer(ctx, v, pki));
  const stated: StatedConfig = {
    variant: v.model,
    kx: v.kx,
    // The peer's cookie length and packing are read off each capture (device-handshake.ts), never assumed.
    clientPacking: lib.packing,
    datagramMtu: DATAGRAM_MTU,
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
    await timed('peer', () => peer.server.stop());
  }
  return variantResult(runs, pki, peer.name);
}
