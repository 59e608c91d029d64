// The DTLS 1.3 byte model: it predicts every message and record from the
// configuration: the hellos from their structure (fixed fields, offered
// suites, and extensions whose lengths follow from the configuration:
// versions, PSK identity and binder, key share, the cookie echoed from the
// HelloRetryRequest), and every encrypted record as unified header + inner
// plaintext + 1 content-type byte + AEAD tag, where the inner plaintext is
// a Finished (12 + hash length), an ACK (2 + 16 per record acknowledged),
// the server's Certificate (TLS 1.3 layout, from the DER sizes of the
// scenario's PKI), its CertificateVerify, or the EncryptedExtensions.
import { HANDSHAKE_HEADER, RECORD_HEADER, type Direction } from './records.js';
import { EXT, SUITES13 } from './dtls13-wire.js';

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

