// DTLS 1.3 (RFC 9147) handshakes: decoding and a byte model.
//
// On the wire a DTLS 1.3 handshake has two record formats: the hellos go
// in DTLSPlaintext records (the 13-byte DTLS 1.2 header, epoch 0), and
// everything after the ServerHello in DTLSCiphertext records with the
// unified header (first byte 001CSLEE: C = connection id present, S =
// 16-bit sequence number, L = length present, EE = low epoch bits). Their
// content is encrypted, so the decoder sees only the header and the length.
//
// The model predicts every message and record from the configuration:
// the hellos from their structure (fixed fields, offered suites, and
// extensions whose lengths follow from the configuration: versions, PSK
// identity and binder, key share, the cookie echoed from the
// HelloRetryRequest), and every encrypted record as unified header +
// inner plaintext + 1 content-type byte + AEAD tag, where the inner
// plaintext is a Finished (12 + hash length), an ACK (2 + 16 per record
// acknowledged), the server's Certificate (TLS 1.3 layout, from the DER
// sizes of the scenario's PKI), its CertificateVerify, or the
// EncryptedExtensions. What it takes from the wire is what a peer chooses
// or draws and the ciphertext hides: the EncryptedExtensions body length,
// the ECDSA signature's DER length in CertificateVerify, and the lengths
// of hello extensions whose content is a peer's own list (signature
// algorithms, groups, cookie).
import { onAir, type OnAirCost } from '../links/onair.js';
import type { LinkProfile } from '../links/profiles.js';
import type { HandshakeRecord } from '../record/schema.js';
import { parseClientHello, parseServerHello, type WireExtension } from './handshake.js';
import { decodeHandshakeFragments, HANDSHAKE_HEADER, RECORD_HEADER, type Datagram, type Direction, type HandshakeFragment } from './records.js';

export const CONTENT_ACK = 26;
/** ServerHello.random of a HelloRetryRequest (RFC 8446 4.1.3): SHA-256("HelloRetryRequest"). */
const HRR_RANDOM = 'cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c';
export const EXT = { supported_groups: 10, signature_algorithms: 13, pre_shared_key: 41, supported_versions: 43, cookie: 44, psk_key_exchange_modes: 45, key_share: 51 } as const;
const EXT_NAMES = new Map<number, string>(Object.entries(EXT).map(([k, v]) => [v, k]));

/** TLS 1.3 suites (RFC 8446 B.4) this harness offers. */
export const SUITES13: Record<number, { name: string; wolfsslName: string; tag: number; hash: number }> = {
  0x1301: { name: 'TLS_AES_128_GCM_SHA256', wolfsslName: 'TLS13-AES128-GCM-SHA256', tag: 16, hash: 32 },
  0x1305: { name: 'TLS_AES_128_CCM_8_SHA256', wolfsslName: 'TLS13-AES128-CCM-8-SHA256', tag: 8, hash: 32 },
};

// ------------------------------------------------------------ decoding

export interface Record13 {
  /** 'plaintext': DTLSPlaintext (13-byte header); 'ciphertext': unified header. */
  kind: 'plaintext' | 'ciphertext';
  header: number;
  /** Bytes after the header: plaintext payload, or ciphertext incl. the inner type byte and tag. */
  length: number;
  contentType?: number;
  /** Plaintext records: the epoch; ciphertext records: its low two bits. */
  epoch: number;
  handshake?: HandshakeFragment[];
  error?: string;
}

export interface Decoded13 {
  index: number;
  dir: Direction;
  size: number;
  records: Record13[];
  trailing: number;
}

export function decodeDatagram13(d: Datagram, index = 0): Decoded13 {
  const b = d.bytes;
  const records: Record13[] = [];
  let o = 0;
  while (o < b.length) {
    const first = b[o]!;
    if ((first & 0xe0) === 0x20) {
      // Unified header: no connection ids are negotiated here.
      if (first & 0x10) return { index, dir: d.dir, size: b.length, records: [...records, { kind: 'ciphertext', header: 1, length: b.length - o - 1, epoch: first & 3, error: 'connection id present (not negotiated)' }], trailing: 0 };
      const header = 1 + (first & 0x08 ? 2 : 1) + (first & 0x04 ? 2 : 0);
      if (o + header > b.length) break;
      const length = first & 0x04 ? (b[o + header - 2]! << 8) | b[o + header - 1]! : b.length - o - header;
      records.push({ kind: 'ciphertext', header, length, epoch: first & 3 });
      o += header + length;
      continue;
    }
    if (b.length - o < RECORD_HEADER) break;
    const length = (b[o + 11]! << 8) | b[o + 12]!;
    const payload = b.subarray(o + RECORD_HEADER, Math.min(b.length, o + RECORD_HEADER + length));
    const r: Record13 = { kind: 'plaintext', header: RECORD_HEADER, length, contentType: first, epoch: (b[o + 3]! << 8) | b[o + 4]! };
    if (first === 22) {
      const { fragments, error } = decodeHandshakeFragments(payload);
      r.handshake = fragments;
      if (error) r.error = error;
    }
    records.push(r);
    o += RECORD_HEADER + length;
  }
  return { index, dir: d.dir, size: b.length, records, trailing: Math.max(0, b.length - o) };
}

// ------------------------------------------------------------ the model

/** What the model is told: the scenario's own settings, and what it reads off the hellos (peer choices). */
export interface Dtls13Config {
  suite: number;
  /** PSK handshakes: the identity's length. */
  pskIdentityLength?: number;
  /** (EC)DHE: both hellos carry a P-256 key share (psk_dhe_ke, or any certificate handshake). */
  dhe: boolean;
  /** Certificate handshakes: the DER sizes the server sends, leaf first, and its CertificateVerify signature length (from the wire). */
  serverCertificate?: number[];
  certificateVerifySignature?: number;
  /** Each side sends every record in a datagram of its own (wolfSSL 5.5.4, both ends; measured). */
  recordPerDatagram: true;
  /** From the wire: the client's and the server's own lists, and the server's cookie. */
  clientHello: { sessionIdLength: number; suites: number; compressionMethods: number; listExtensions: { type: number; length: number }[]; order: number[] };
  helloRetry?: { cookieLength: number; order: number[]; keyShareGroup: boolean };
  serverHelloOrder: number[];
  /** The one length inside the ciphertext the model cannot know: the EncryptedExtensions body. */
  encryptedExtensionsBody: number;
}

export interface Message13 {
  name: string;
  /** Wire bytes of the record that carries it (header + payload/ciphertext). */
  bytes: number;
  /** Plaintext messages: handshake header + body; encrypted ones: the inner plaintext. */
  body: number;
  encrypted: boolean;
}
export interface Flight13 {
  dir: Direction;
  messages: Message13[];
  /** One record per datagram. */
  datagrams: number[];
  bytes: number;
}

const UNIFIED_HEADER = 5; // 001CSLEE with S = 1 (16-bit sequence number) and L = 1 (length), as wolfSSL sends it

function extensionLength(type: number, c: Dtls13Config, where: 'ch1' | 'ch2' | 'hrr' | 'sh'): number | undefined {
  const hash = SUITES13[c.suite]!.hash;
  switch (type) {
    case EXT.supported_versions:
      return where === 'hrr' || where === 'sh' ? 2 : 1 + 2; // the client offers DTLS 1.3 only
    case EXT.psk_key_exchange_modes:
      // psk_ke alone, or psk_dhe_ke and psk_ke (wolfSSL offers both when DHE is allowed).
      return 1 + (c.dhe ? 2 : 1);
    case EXT.pre_shared_key:
      // Client: identities<7..> (2 + identity<1..> + obfuscated age 4), binders<33..> (2 + 1 + hash); server: selected index.
      return where === 'sh' ? 2 : 2 + (2 + (c.pskIdentityLength ?? NaN) + 4) + 2 + (1 + hash);
    case EXT.key_share:
      // Client: client_shares<0..>, empty with psk_ke, else one P-256 share (group 2, length 2, 65-byte point);
      // HRR: the selected group; SH: the server's share.
      if (where === 'hrr') return 2;
      if (where === 'sh') return 2 + 2 + 65;
      return c.dhe ? 2 + 2 + 2 + 65 : 2;
    case EXT.cookie:
      return c.helloRetry ? 2 + c.helloRetry.cookieLength : undefined;
    default:
      return where === 'ch1' || where === 'ch2' ? c.clientHello.listExtensions.find((e) => e.type === type)?.length : undefined;
  }
}

function helloBody(c: Dtls13Config, where: 'ch1' | 'ch2' | 'hrr' | 'sh'): number {
  const order = where === 'hrr' ? c.helloRetry!.order : where === 'sh' ? c.serverHelloOrder : where === 'ch2' && c.helloRetry ? [...c.clientHello.order, EXT.cookie] : c.clientHello.order;
  const exts = order.reduce((s, t) => s + 4 + (extensionLength(t, c, where) ?? NaN), 0);
  const ch = c.clientHello;
  // legacy_version, random, legacy_session_id; client: legacy_cookie<0> (DTLS), suites, compression; server: suite, compression.
  const fixed = where === 'ch1' || where === 'ch2' ? 2 + 32 + 1 + ch.sessionIdLength + 1 + 2 + 2 * ch.suites + 1 + ch.compressionMethods : 2 + 32 + 1 + ch.sessionIdLength + 2 + 1;
  return fixed + 2 + exts;
}

const plain = (name: string, body: number): Message13 => ({ name, bytes: RECORD_HEADER + HANDSHAKE_HEADER + body, body: HANDSHAKE_HEADER + body, encrypted: false });
const sealed = (c: Dtls13Config, name: string, inner: number): Message13 => ({ name, bytes: UNIFIED_HEADER + inner + 1 + SUITES13[c.suite]!.tag, body: inner, encrypted: true });

export function model13(c: Dtls13Config): Flight13[] {
  const hash = SUITES13[c.suite]!.hash;
  const out: { dir: Direction; messages: Message13[] }[] = [{ dir: 'c2s', messages: [plain('client_hello', helloBody(c, 'ch1'))] }];
  if (c.helloRetry) {
    out.push({ dir: 's2c', messages: [plain('hello_retry_request', helloBody(c, 'hrr'))] });
    out.push({ dir: 'c2s', messages: [plain('client_hello', helloBody(c, 'ch2'))] });
  }
  // TLS 1.3 Certificate: request context<0..255> (1), certificate_list<3> of (cert_data<3> + extensions<2>);
  // CertificateVerify: algorithm (2) + signature<2>.
  const cert = c.serverCertificate
    ? [sealed(c, 'certificate', HANDSHAKE_HEADER + 1 + 3 + c.serverCertificate.reduce((s, der) => s + 3 + der + 2, 0)),
      sealed(c, 'certificate_verify', HANDSHAKE_HEADER + 2 + 2 + (c.certificateVerifySignature ?? NaN))]
    : [];
  out.push({
    dir: 's2c',
    messages: [plain('server_hello', helloBody(c, 'sh')), sealed(c, 'encrypted_extensions', HANDSHAKE_HEADER + c.encryptedExtensionsBody), ...cert, sealed(c, 'finished', HANDSHAKE_HEADER + hash)],
  });
  out.push({ dir: 'c2s', messages: [sealed(c, 'finished', HANDSHAKE_HEADER + hash)] });
  // The server acknowledges the client's last flight: one record number (epoch 8 B + sequence 8 B).
  out.push({ dir: 's2c', messages: [sealed(c, 'ack', 2 + 16)] });
  return out.map((f) => ({ ...f, datagrams: f.messages.map((m) => m.bytes), bytes: f.messages.reduce((s, m) => s + m.bytes, 0) }));
}

// ------------------------------------------------------------ capture -> config, and the comparison

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
  totals: { c2s: { bytes: number; datagrams: number; records: number }; s2c: { bytes: number; datagrams: number; records: number }; retransmittedFlights: number };
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
  const sum = (dir: Direction) => ({
    bytes: decoded.filter((d) => d.dir === dir).reduce((s, d) => s + d.size, 0),
    datagrams: decoded.filter((d) => d.dir === dir).length,
    records: decoded.filter((d) => d.dir === dir).reduce((s, d) => s + d.records.length, 0),
  });
  // A retransmitted flight repeats the previous flight in the same direction, datagram for datagram.
  const retransmittedFlights = flights.filter((f, i) => flights.slice(0, i).some((g) => g.dir === f.dir && g.datagrams.join() === f.datagrams.join() && g.messages.map((x) => x.name).join() === f.messages.map((x) => x.name).join() && f.messages[0]?.name !== 'client_hello')).length;
  return {
    flights,
    model,
    config,
    totals: { c2s: sum('c2s'), s2c: sum('s2c'), retransmittedFlights },
    modelCheck: explanation.length ? 'differs' : 'equal',
    explanation,
    onAir: links.map((p) => onAir(decoded.map((d) => ({ dir: d.dir, size: d.size })), p)),
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
    modelCheck: a.modelCheck,
    differences: a.explanation,
  };
}
