// Configuring the byte model from a capture, for the parts a peer chooses:
// which suites and extensions the hellos carried (as parsed specs, so the
// model still computes every size) and the quantities that are random per
// run (ECDSA signature DER lengths, ticket length). Everything else -
// certificate DER sizes, PSK identity, cookie length, MTU - the caller
// states from its own configuration.
import { extensionFromWire, type ExtensionSpec } from './extensions.js';
import type { Observation } from './handshake.js';

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
