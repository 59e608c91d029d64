// Configuring the byte model from a capture, for the parts a peer chooses:
// which suites and extensions the hellos carried (as parsed specs, so the
// model still computes every size), the quantities that are random per run
// (ECDSA signature DER lengths, ticket length), and how the peer talks: its
// cookie length and how it packs records into datagrams. Nothing about a
// peer is assumed. Everything else - certificate DER sizes, PSK identity,
// MTU - the caller states from its own configuration.
import { extensionFromWire, type ExtensionSpec } from './extensions.js';
import type { Observation } from './handshake.js';
import type { Packing } from './model.js';
import { ContentType, flights, type DecodedDatagram, type Direction } from './records.js';

export interface OfferedHellos {
  suite: number;
  client: { suites: number[]; compressionMethods: number; sessionIdLength: number; extensions: ExtensionSpec[] };
  server: { sessionIdLength: number; extensions: ExtensionSpec[] };
  /** Extensions the parser could only size, not understand (each is a `raw` spec). */
  unparsed: ExtensionSpec[];
}

export function offeredHellos(o: Observation): OfferedHellos {
  if (!o.clientHello || !o.serverHello) throw new Error('capture has no complete ClientHello/ServerHello');
  const client = o.clientHello.extensions.map((e) => extensionFromWire(e.type, e.data, 'client'));
  const server = o.serverHello.extensions.map((e) => extensionFromWire(e.type, e.data, 'server'));
  return {
    suite: o.serverHello.suite,
    client: { suites: o.clientHello.suites, compressionMethods: o.clientHello.compressionMethods, sessionIdLength: o.clientHello.sessionIdLength, extensions: client },
    server: { sessionIdLength: o.serverHello.sessionIdLength, extensions: server },
    unparsed: [...client, ...server].filter((e) => e.ext === 'raw'),
  };
}

/** The per-run random sizes: ECDSA signature DER lengths and the ticket length. */
export function observedRandoms(o: Observation): { keyExchangeSignature?: number; certificateVerifySignature?: number; ticketLength?: number } {
  const out: { keyExchangeSignature?: number; certificateVerifySignature?: number; ticketLength?: number } = {};
  if (o.serverKeyExchange?.signatureLength !== undefined) out.keyExchangeSignature = o.serverKeyExchange.signatureLength;
  if (o.certificateVerify) out.certificateVerifySignature = o.certificateVerify.signatureLength;
  if (o.newSessionTicket) out.ticketLength = o.newSessionTicket.ticketLength;
  return out;
}

/**
 * How one side packs its records into datagrams, read off its handshake
 * datagrams: several records sharing one (beyond ChangeCipherSpec riding
 * with its Finished) is `fill` up to `mtu`; only CCS + Finished together is
 * `ccs-with-finished`; else one record per datagram. A side that never sends
 * two records in a flight looks the same under every mode, and the model then
 * computes the same bytes whichever is chosen.
 */
export function observedPacking(decoded: DecodedDatagram[], dir: Direction, mtu: number): Packing {
  const ds = flights(decoded).filter((f) => f.dir === dir && !f.postHandshake && !f.retransmission).flatMap((f) => f.datagrams);
  const multi = ds.filter((d) => d.records.length > 1);
  const ccsFinished = (d: DecodedDatagram) => d.records.length === 2 && d.records[0]!.contentType === ContentType.change_cipher_spec;
  if (multi.some((d) => !ccsFinished(d))) return { mtu, mode: 'fill' };
  if (multi.length) return { mtu, mode: 'ccs-with-finished' };
  return { mtu, mode: 'datagram-per-record' };
}
