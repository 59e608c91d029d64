// DTLS 1.3 handshakes from a capture: decode (dtls13-wire.ts), read the
// configuration off the hellos, model it (dtls13-model.ts), compare to the
// byte, and turn it into the record's \`handshake\` field. What the model takes
// from the wire is what a peer chooses or draws and the ciphertext hides:
// the EncryptedExtensions body length, the ECDSA signature's DER length in
// CertificateVerify, and the lengths of hello extensions whose content is a
// peer's own list (signature algorithms, groups, cookie).
import { onAir, type OnAirCost } from '../links/onair.js';
import type { LinkProfile } from '../links/profiles.js';
import type { HandshakeRecord } from '../record/schema.js';
import { parseClientHello, parseServerHello, type WireExtension } from './handshake.js';
import { HANDSHAKE_HEADER, RECORD_HEADER, type Datagram, type Direction } from './records.js';

import { decodeDatagram13, EXT, EXT_NAMES, HRR_RANDOM, SUITES13, type Decoded13, type Record13 } from './dtls13-wire.js';
import { model13, type Dtls13Config, type Flight13, type Message13 } from './dtls13-model.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const extOrder = (list: WireExtension[]) => list.map((e) => e.type);

/** Measured flights: consecutive datagrams in one direction, each record named. */
export function measuredFlights13(decoded: Decoded13[], tag: number, certificate = false): Flight13[] {
  const serverSealed = certificate ? ['encrypted_extensions', 'certificate', 'certificate_verify', 'finished'] : ['encrypted_extensions', 'finished'];
  const out: Flight13[] = [];
  const epochSeen = { c2s: 0, s2c: 0 };
  for (const d of decoded) {
    const messages: Message13[] = d.records.map((r) => {
      if (r.kind === 'plaintext') {
        const h = r.handshake?.[0];
        const name = !h ? `content_${r.contentType}` : h.msgType === 2 && hex(h.body.subarray(2, 34)) === HRR_RANDOM ? 'hello_retry_request' : h.name;
        return { name, bytes: r.header + r.length, body: r.length, encrypted: false };
      }
      // Inside the ciphertext: by position. The handshake epoch (2) carries
      // EncryptedExtensions, [Certificate, CertificateVerify,] Finished from
      // the server and Finished from the client; epoch 3 here is the ACK.
      const n = epochSeen[d.dir]++;
      const name = r.epoch === 3 ? 'ack' : d.dir === 's2c' ? serverSealed[n] ?? `encrypted_${n + 1}` : 'finished';
      return { name, bytes: r.header + r.length, body: r.length - 1 - tag, encrypted: true };
    });
    const last = out[out.length - 1];
    if (last && last.dir === d.dir) {
      last.messages.push(...messages);
      last.datagrams.push(d.size);
      last.bytes += d.size;
    } else out.push({ dir: d.dir, messages, datagrams: [d.size], bytes: d.size });
  }
  return out;
}

export interface Analysis13 {
  flights: Flight13[];
  model: Flight13[];
  config: Dtls13Config;
  totals: { c2s: { bytes: number; datagrams: number; records: number }; s2c: { bytes: number; datagrams: number; records: number }; retransmittedFlights: number; retransmittedBytes: number };
  modelCheck: 'equal' | 'differs';
  explanation: string[];
  onAir: OnAirCost[];
  /** Lengths the model took from the wire, not from the configuration. */
  fromWire: string[];
}

/** What the scenario configured: suite, PSK identity or server certificate DER sizes, (EC)DHE. */
export interface Stated13 {
  suite: number;
  pskIdentityLength?: number;
  dhe: boolean;
  serverCertificate?: number[];
}

/** Read the peer choices off the capture (hellos, and the lengths the ciphertext hides); everything else is the scenario's. */
export function configure13(decoded: Decoded13[], stated: Stated13): { config: Dtls13Config; fromWire: string[] } {
  const hellos = decoded.flatMap((d) => d.records.flatMap((r) => (r.handshake ?? []).map((h) => ({ dir: d.dir, h }))));
  const ch = hellos.find((x) => x.dir === 'c2s' && x.h.msgType === 1);
  const server = hellos.filter((x) => x.dir === 's2c' && x.h.msgType === 2);
  const hrr = server.find((x) => hex(x.h.body.subarray(2, 34)) === HRR_RANDOM);
  const sh = server.find((x) => x !== hrr);
  if (!ch || !sh) throw new Error('DTLS 1.3 capture: no ClientHello or ServerHello');
  const chi = parseClientHello(ch.h.body);
  const shi = parseServerHello(sh.h.body);
  const known = new Set<number>([EXT.supported_versions, EXT.psk_key_exchange_modes, EXT.pre_shared_key, EXT.key_share, EXT.cookie]);
  const listExtensions = chi.extensions.filter((e) => !known.has(e.type)).map((e) => ({ type: e.type, length: e.data.length }));
  const fromWire = listExtensions.map((e) => `client ${EXT_NAMES.get(e.type) ?? `extension ${e.type}`}:${e.length}`);
  let helloRetry: Dtls13Config['helloRetry'];
  if (hrr) {
    const hi = parseServerHello(hrr.h.body);
    const cookie = hi.extensions.find((e) => e.type === EXT.cookie);
    const cookieLength = cookie ? cookie.data.length - 2 : 0;
    helloRetry = { cookieLength, order: extOrder(hi.extensions), keyShareGroup: hi.extensions.some((e) => e.type === EXT.key_share) };
    fromWire.push(`server cookie:${cookieLength}`);
  }
  // The server's encrypted records (epoch 2): EncryptedExtensions first; with a certificate, CertificateVerify third.
  const tag = SUITES13[stated.suite]?.tag ?? 0;
  const sealedS2c = decoded.filter((d) => d.dir === 's2c').flatMap((d) => d.records).filter((r) => r.kind === 'ciphertext');
  const inner = (r: Record13 | undefined) => (r ? r.length - 1 - tag - HANDSHAKE_HEADER : NaN);
  const encryptedExtensionsBody = inner(sealedS2c[0]);
  fromWire.push(`encrypted_extensions body:${encryptedExtensionsBody}`);
  let certificateVerifySignature: number | undefined;
  if (stated.serverCertificate) {
    certificateVerifySignature = inner(sealedS2c[2]) - 4;
    fromWire.push(`certificate_verify signature:${certificateVerifySignature}`);
  }
  return {
    config: {
      suite: stated.suite,
      pskIdentityLength: stated.pskIdentityLength,
      dhe: stated.dhe,
      serverCertificate: stated.serverCertificate,
      certificateVerifySignature,
      recordPerDatagram: true,
      clientHello: { sessionIdLength: chi.sessionIdLength, suites: chi.suites.length, compressionMethods: chi.compressionMethods, listExtensions, order: extOrder(chi.extensions).filter((t) => t !== EXT.cookie) },
      helloRetry,
      serverHelloOrder: extOrder(shi.extensions),
      encryptedExtensionsBody,
    },
    fromWire,
  };
}

/** Everything that differs between measured and modeled, each naming flight and message. */
export function compare13(measured: Flight13[], model: Flight13[]): string[] {
  const out: string[] = [];
  const n = Math.max(measured.length, model.length);
  for (let i = 0; i < n; i++) {
    const m = measured[i], p = model[i];
    if (!m || !p) {
      out.push(`flight ${i + 1}: ${m ? `measured ${m.dir} ${m.messages.map((x) => x.name).join('+')}, not in the model` : `modeled ${p!.dir} ${p!.messages.map((x) => x.name).join('+')}, not measured`}`);
      continue;
    }
    if (m.dir !== p.dir) out.push(`flight ${i + 1}: measured ${m.dir}, modeled ${p.dir}`);
    const k = Math.max(m.messages.length, p.messages.length);
    for (let j = 0; j < k; j++) {
      const a = m.messages[j], b = p.messages[j];
      if (!a || !b) out.push(`flight ${i + 1}: ${a ? `measured ${a.name} (${a.bytes} B) not modeled` : `modeled ${b!.name} (${b!.bytes} B) not measured`}`);
      else if (a.name !== b.name || a.bytes !== b.bytes) out.push(`flight ${i + 1} ${b.name}: measured ${a.name} ${a.bytes} B, modeled ${b.bytes} B (${a.bytes - b.bytes > 0 ? '+' : ''}${a.bytes - b.bytes})`);
    }
    if (m.datagrams.join() !== p.datagrams.join()) out.push(`flight ${i + 1}: datagrams measured [${m.datagrams.join(', ')}] B, modeled [${p.datagrams.join(', ')}] B`);
  }
  return out;
}

/**
 * The handshake's datagrams: up to the server's ACK of the client's
 * Finished (the first epoch-3 record from the server after the client's
 * last epoch-2 record). What follows, application data and alerts, is not
 * the handshake; it cannot be told apart by content (it is encrypted), only
 * by position.
 */
export function handshakePart13(decoded: Decoded13[]): Decoded13[] {
  let clientFinished = -1;
  decoded.forEach((d, i) => {
    if (d.dir === 'c2s' && d.records.some((r) => r.kind === 'ciphertext' && r.epoch === 2)) clientFinished = i;
  });
  if (clientFinished < 0) return decoded;
  const ack = decoded.findIndex((d, i) => i > clientFinished && d.dir === 's2c' && d.records.some((r) => r.kind === 'ciphertext' && r.epoch === 3));
  return ack < 0 ? decoded : decoded.slice(0, ack + 1);
}

export function analyse13(datagrams: Datagram[], stated: Stated13, links: LinkProfile[] = []): Analysis13 {
  const decoded = handshakePart13(datagrams.map((d, i) => decodeDatagram13(d, i)));
  const flights = measuredFlights13(decoded, SUITES13[stated.suite]?.tag ?? 0, !!stated.serverCertificate);
  const { config, fromWire } = configure13(decoded, stated);
  const model = model13(config);
  const explanation = compare13(flights, model);
  for (const d of decoded) {
    if (d.trailing) explanation.push(`datagram ${d.index + 1}: ${d.trailing} bytes after the last record`);
    for (const r of d.records) if (r.error) explanation.push(`datagram ${d.index + 1}: ${r.error}`);
  }
  // A retransmitted flight repeats the previous flight in the same direction, datagram for datagram.
  const again = flights.filter((f, i) => flights.slice(0, i).some((g) => g.dir === f.dir && g.datagrams.join() === f.datagrams.join() && g.messages.map((x) => x.name).join() === f.messages.map((x) => x.name).join() && f.messages[0]?.name !== 'client_hello'));
  const retransmittedFlights = again.length;
  // Its bytes are counted apart, not as the handshake's.
  const resent = (dir: Direction) => again.filter((f) => f.dir === dir).reduce((s, f) => s + f.bytes, 0);
  const resentDatagrams = (dir: Direction) => again.filter((f) => f.dir === dir).reduce((s, f) => s + f.datagrams.length, 0);
  const sum = (dir: Direction) => ({
    bytes: decoded.filter((d) => d.dir === dir).reduce((s, d) => s + d.size, 0) - resent(dir),
    datagrams: decoded.filter((d) => d.dir === dir).length - resentDatagrams(dir),
    records: decoded.filter((d) => d.dir === dir).reduce((s, d) => s + d.records.length, 0),
  });
  return {
    flights,
    model,
    config,
    totals: { c2s: sum('c2s'), s2c: sum('s2c'), retransmittedFlights, retransmittedBytes: resent('c2s') + resent('s2c') },
    modelCheck: explanation.length ? 'differs' : 'equal',
    explanation,
    onAir: links.map((p) => onAir(flights.filter((f) => !again.includes(f)).flatMap((f) => f.datagrams.map((size) => ({ dir: f.dir, size }))), p)),
    fromWire,
  };
}

/** The record's `handshake` field for an analysed DTLS 1.3 handshake. */
export function handshakeRecord13(a: Analysis13, peer: string): HandshakeRecord {
  const overhead = (f: Flight13) => f.messages.reduce((s, m) => s + (m.encrypted ? m.bytes - m.body : RECORD_HEADER), 0);
  const hsHeaders = (f: Flight13) => f.messages.reduce((s, m) => s + (m.encrypted ? 0 : HANDSHAKE_HEADER), 0);
  return {
    peer,
    suite: SUITES13[a.config.suite]?.name ?? `0x${a.config.suite.toString(16)}`,
    bytesC2S: a.totals.c2s.bytes,
    bytesS2C: a.totals.s2c.bytes,
    datagramsC2S: a.totals.c2s.datagrams,
    datagramsS2C: a.totals.s2c.datagrams,
    flights: a.flights.map((f) => ({ dir: f.dir, bytes: f.bytes, datagrams: f.datagrams.length, messages: f.messages.map((m) => ({ name: m.name, bytes: m.bytes, fragments: 1 })) })),
    recordOverheadBytes: a.flights.reduce((s, f) => s + overhead(f), 0),
    handshakeOverheadBytes: a.flights.reduce((s, f) => s + hsHeaders(f), 0),
    retransmissions: a.totals.retransmittedFlights,
    ...(a.totals.retransmittedBytes ? { retransmittedBytes: a.totals.retransmittedBytes } : {}),
    modelCheck: a.modelCheck,
    differences: a.explanation,
  };
}
