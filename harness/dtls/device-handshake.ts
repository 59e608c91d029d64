// From one captured device handshake to the byte model's configuration and
// to the result record's `handshake`/`onAir` fields. The model is told what
// the scenario configured (certificate DER sizes, PSK identity, cookie
// length, MTU, each side's packing policy) and only the quantities a peer
// chooses or draws at random (offered suites and extensions, parsed into
// specs; ECDSA signature DER lengths; ticket length); it computes every
// message, record, datagram and flight itself.
import { observedPacking, offeredHellos, observedRandoms } from './configure.js';
import { observe, type KeyExchange, type Observation } from './handshake.js';
import { suiteInfo, type CertificatePayload, type HandshakeConfig, type HandshakeModel, type ModelFlight, type Packing, type Variant } from './model.js';
import type { HandshakeAnalysis } from './analyse.js';
import type { DecodedDatagram } from './records.js';
import type { OnAirCost } from '../links/onair.js';
import type { HandshakeRecord, OnAirRecord } from '../record/schema.js';

/** What the scenario itself configured; nothing here is read from the capture. */
export interface StatedConfig {
  variant: Variant;
  kx: KeyExchange;
  /** HelloVerifyRequest cookie length of the peer (null: it sends none); omitted: read off the capture. */
  cookieLength?: number | null;
  clientPacking: Packing;
  /** How the peer packs records into datagrams; omitted: read off the capture, up to `linkMtu`. */
  serverPacking?: Packing;
  /** Largest datagram payload on the link, for a packing read off the capture. */
  datagramMtu?: number;
  pskIdentityLength?: number;
  /** What the server's Certificate carries: X.509 DER sizes leaf first, or a raw public key's SPKI size. */
  serverCertificate?: CertificatePayload;
  /** What the device's Certificate carries when asked (mutual): X.509 DER sizes, or its raw public key. */
  deviceCertificate?: CertificatePayload;
}

export interface Configured {
  config: HandshakeConfig;
  observation: Observation;
  /** Extensions the model could only size from the wire (type:length). */
  unparsed: string[];
}

export function configureFromCapture(decoded: DecodedDatagram[], s: StatedConfig): Configured {
  const obs = observe(decoded, s.kx);
  const hello = offeredHellos(obs);
  const rnd = observedRandoms(obs);
  const config: HandshakeConfig = {
    variant: s.variant,
    suite: hello.suite,
    // The peer's choices from the wire unless stated: its cookie (none without a HelloVerifyRequest) and its packing.
    cookieLength: s.cookieLength !== undefined ? s.cookieLength : obs.cookieLength ?? null,
    encryptThenMac: hello.server.extensions.some((e) => e.ext === 'encrypt_then_mac'),
    client: { ...hello.client, packing: s.clientPacking },
    server: { ...hello.server, packing: s.serverPacking ?? observedPacking(decoded, 's2c', s.datagramMtu ?? s.clientPacking.mtu) },
  };
  if (s.pskIdentityLength !== undefined) config.client.pskIdentityLength = s.pskIdentityLength;
  if (s.serverCertificate && s.variant !== 'resumption') config.server.certificate = s.serverCertificate;
  if (rnd.keyExchangeSignature !== undefined) config.server.keyExchangeSignature = rnd.keyExchangeSignature;
  if (rnd.ticketLength !== undefined) config.server.newSessionTicket = { ticketLength: rnd.ticketLength };
  if (obs.serverKeyExchange?.pskHintLength !== undefined && s.kx === 'psk') config.server.pskIdentityHintLength = obs.serverKeyExchange.pskHintLength;
  if (s.variant === 'ecdhe-ecdsa-mutual') {
    // What the server asked for (its choice): counts of certificate types and
    // signature algorithms, and the CA names it lists.
    const cr = obs.certificateRequest;
    if (cr) config.server.certificateRequest = { certificateTypes: cr.certificateTypes, signatureAlgorithms: cr.signatureAlgorithms, caNameLengths: cr.caNameLengths };
    config.client.certificate = s.deviceCertificate ?? { kind: 'x509', chain: [] };
    if (rnd.certificateVerifySignature !== undefined) config.client.certificateVerifySignature = rnd.certificateVerifySignature;
  }
  const unparsed = hello.unparsed.map((e) => (e.ext === 'raw' ? `${e.type}:${e.length}` : e.ext));
  return { config, observation: obs, unparsed };
}

function flightsOf(fl: ModelFlight[]): HandshakeRecord['flights'] {
  return fl.map((f) => ({ dir: f.dir, bytes: f.bytes, datagrams: f.datagrams.length, messages: f.messages.map((m) => ({ name: m.name, bytes: m.wireBytes, fragments: m.fragments })) }));
}

export function onAirRecords(costs: OnAirCost[]): OnAirRecord[] {
  return costs.map((c) => ({
    profile: c.profile,
    name: c.name,
    frames: c.frames,
    framesUp: c.up.frames,
    framesDown: c.down.frames,
    ackFrames: c.up.ackFrames + c.down.ackFrames,
    bytes: c.bytes,
    airtimeMs: Math.round(c.airtimeMs * 1000) / 1000,
    energyUj: Math.round(c.energyUj.total * 10) / 10,
    ...(c.money ? { money: { amount: c.money.amount, currency: c.money.currency, label: c.money.label } } : {}),
  }));
}

/** The measured side of an analysed handshake as a record field. */
export function handshakeRecord(a: HandshakeAnalysis, peer: string): HandshakeRecord {
  return {
    peer,
    suite: suiteInfo(a.model.config.suite).name,
    bytesC2S: a.totals.c2s.bytes,
    bytesS2C: a.totals.s2c.bytes,
    datagramsC2S: a.totals.c2s.datagrams,
    datagramsS2C: a.totals.s2c.datagrams,
    flights: flightsOf(a.flights),
    recordOverheadBytes: a.totals.c2s.recordOverhead + a.totals.s2c.recordOverhead,
    handshakeOverheadBytes: a.totals.c2s.handshakeOverhead + a.totals.s2c.handshakeOverhead,
    retransmissions: a.totals.retransmittedFlights,
    peerChoices: { cookieLength: a.model.config.cookieLength, packing: a.model.config.server.packing.mode },
    ...(a.totals.retransmittedFlights ? { retransmittedBytes: a.totals.retransmitted.c2s.bytes + a.totals.retransmitted.s2c.bytes } : {}),
    modelCheck: a.modelCheck,
    differences: a.explanation,
  };
}

/** A modeled handshake (nothing on a wire) in the same shape. */
export function modeledHandshakeRecord(m: HandshakeModel, peer: string): HandshakeRecord {
  return {
    peer,
    suite: suiteInfo(m.config.suite).name,
    bytesC2S: m.c2s.bytes,
    bytesS2C: m.s2c.bytes,
    datagramsC2S: m.c2s.datagrams,
    datagramsS2C: m.s2c.datagrams,
    flights: flightsOf(m.flights),
    recordOverheadBytes: m.c2s.recordOverhead + m.s2c.recordOverhead,
    handshakeOverheadBytes: m.c2s.handshakeOverhead + m.s2c.handshakeOverhead,
    retransmissions: 0,
    modelCheck: 'equal',
    differences: [],
  };
}
