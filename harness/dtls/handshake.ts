// Parsers for the bodies of plaintext DTLS 1.2 handshake messages (after
// reassembly), and observe(): what a capture says about the quantities that
// are random or peer-chosen (signature DER lengths, ticket length, cookie
// length, offered suites and extensions) so the byte model can be fed them.
import { HandshakeType, handshakeMessages, type DecodedDatagram, type HandshakeMessage } from './records.js';

class Reader {
  o = 0;
  constructor(private readonly b: Uint8Array, private readonly what: string) {}
  need(n: number) {
    if (this.o + n > this.b.length) throw new Error(`${this.what}: truncated at byte ${this.o} (need ${n} of ${this.b.length - this.o})`);
  }
  u8() {
    this.need(1);
    return this.b[this.o++]!;
  }
  u16() {
    this.need(2);
    const v = (this.b[this.o]! << 8) | this.b[this.o + 1]!;
    this.o += 2;
    return v;
  }
  u24() {
    this.need(3);
    const v = (this.b[this.o]! << 16) | (this.b[this.o + 1]! << 8) | this.b[this.o + 2]!;
    this.o += 3;
    return v;
  }
  bytes(n: number) {
    this.need(n);
    const v = this.b.subarray(this.o, this.o + n);
    this.o += n;
    return v;
  }
  get left() {
    return this.b.length - this.o;
  }
  end() {
    if (this.left !== 0) throw new Error(`${this.what}: ${this.left} unexpected trailing bytes`);
  }
}

export interface WireExtension {
  type: number;
  data: Uint8Array;
}

function extensions(r: Reader): { present: boolean; list: WireExtension[] } {
  if (r.left === 0) return { present: false, list: [] };
  const total = r.u16();
  const end = r.o + total;
  const list: WireExtension[] = [];
  while (r.o < end) {
    const type = r.u16();
    list.push({ type, data: r.bytes(r.u16()) });
  }
  return { present: true, list };
}

export interface ClientHelloInfo {
  version: number;
  sessionIdLength: number;
  cookieLength: number;
  suites: number[];
  compressionMethods: number;
  extensionsPresent: boolean;
  extensions: WireExtension[];
}

export function parseClientHello(body: Uint8Array): ClientHelloInfo {
  const r = new Reader(body, 'ClientHello');
  const version = r.u16();
  r.bytes(32);
  const sessionIdLength = r.u8();
  r.bytes(sessionIdLength);
  const cookieLength = r.u8();
  r.bytes(cookieLength);
  const nSuites = r.u16() / 2;
  const suites = Array.from({ length: nSuites }, () => r.u16());
  const compressionMethods = r.u8();
  r.bytes(compressionMethods);
  const ext = extensions(r);
  r.end();
  return { version, sessionIdLength, cookieLength, suites, compressionMethods, extensionsPresent: ext.present, extensions: ext.list };
}

export interface ServerHelloInfo {
  version: number;
  sessionIdLength: number;
  suite: number;
  compression: number;
  extensionsPresent: boolean;
  extensions: WireExtension[];
}

export function parseServerHello(body: Uint8Array): ServerHelloInfo {
  const r = new Reader(body, 'ServerHello');
  const version = r.u16();
  r.bytes(32);
  const sessionIdLength = r.u8();
  r.bytes(sessionIdLength);
  const suite = r.u16();
  const compression = r.u8();
  const ext = extensions(r);
  r.end();
  return { version, sessionIdLength, suite, compression, extensionsPresent: ext.present, extensions: ext.list };
}

export function parseHelloVerifyRequest(body: Uint8Array): { version: number; cookieLength: number } {
  const r = new Reader(body, 'HelloVerifyRequest');
  const version = r.u16();
  const cookieLength = r.u8();
  r.bytes(cookieLength);
  r.end();
  return { version, cookieLength };
}

/** X.509 Certificate message: the DER of each certificate, leaf first. */
export function parseCertificate(body: Uint8Array): Uint8Array[] {
  const r = new Reader(body, 'Certificate');
  const end = 3 + r.u24();
  const out: Uint8Array[] = [];
  while (r.o < end) out.push(r.bytes(r.u24()));
  r.end();
  return out;
}

/** Key exchange families that shape ServerKeyExchange / ClientKeyExchange. */
export type KeyExchange = 'psk' | 'ecdhe_psk' | 'ecdhe_ecdsa' | 'ecdhe_rsa';

export interface ServerKeyExchangeInfo {
  pskHintLength?: number;
  namedCurve?: number;
  pointLength?: number;
  signatureAlgorithm?: number;
  signatureLength?: number;
}

export function parseServerKeyExchange(body: Uint8Array, kx: KeyExchange): ServerKeyExchangeInfo {
  const r = new Reader(body, 'ServerKeyExchange');
  const out: ServerKeyExchangeInfo = {};
  if (kx === 'psk' || kx === 'ecdhe_psk') out.pskHintLength = r.bytes(r.u16()).length;
  if (kx !== 'psk') {
    if (r.u8() !== 3) throw new Error('ServerKeyExchange: only named_curve ECParameters are decoded');
    out.namedCurve = r.u16();
    out.pointLength = r.bytes(r.u8()).length;
  }
  if (kx === 'ecdhe_ecdsa' || kx === 'ecdhe_rsa') {
    out.signatureAlgorithm = r.u16();
    out.signatureLength = r.bytes(r.u16()).length;
  }
  r.end();
  return out;
}

/** RFC 7250 raw public key Certificate message: one SubjectPublicKeyInfo. */
export function parseRawPublicKeyCertificate(body: Uint8Array): Uint8Array {
  const r = new Reader(body, 'Certificate (raw public key)');
  const spki = r.bytes(r.u24());
  r.end();
  return spki;
}

/** The certificate type a ServerHello selected for one side (RFC 7250: 0 X.509, 2 RawPublicKey). */
function selectedCertificateType(sh: ServerHelloInfo | undefined, ext: 19 | 20): number {
  const e = sh?.extensions.find((x) => x.type === ext);
  return e && e.data.length === 1 ? e.data[0]! : 0;
}

export interface CertificateRequestInfo {
  certificateTypes: number;
  signatureAlgorithms: number;
  caNameLengths: number[];
}

export function parseCertificateRequest(body: Uint8Array): CertificateRequestInfo {
  const r = new Reader(body, 'CertificateRequest');
  const certificateTypes = r.bytes(r.u8()).length;
  const signatureAlgorithms = r.bytes(r.u16()).length / 2;
  const end = r.u16() + r.o;
  const caNameLengths: number[] = [];
  while (r.o < end) caNameLengths.push(r.bytes(r.u16()).length);
  r.end();
  return { certificateTypes, signatureAlgorithms, caNameLengths };
}

export function parseClientKeyExchange(body: Uint8Array, kx: KeyExchange): { pskIdentityLength?: number; pointLength?: number } {
  const r = new Reader(body, 'ClientKeyExchange');
  const out: { pskIdentityLength?: number; pointLength?: number } = {};
  if (kx === 'psk' || kx === 'ecdhe_psk') out.pskIdentityLength = r.bytes(r.u16()).length;
  if (kx !== 'psk') out.pointLength = r.bytes(r.u8()).length;
  r.end();
  return out;
}

export function parseCertificateVerify(body: Uint8Array): { signatureAlgorithm: number; signatureLength: number } {
  const r = new Reader(body, 'CertificateVerify');
  const signatureAlgorithm = r.u16();
  const signatureLength = r.bytes(r.u16()).length;
  r.end();
  return { signatureAlgorithm, signatureLength };
}

export function parseNewSessionTicket(body: Uint8Array): { lifetimeHint: number; ticketLength: number } {
  const r = new Reader(body, 'NewSessionTicket');
  const lifetimeHint = r.u16() * 65536 + r.u16();
  const ticketLength = r.bytes(r.u16()).length;
  r.end();
  return { lifetimeHint, ticketLength };
}

/** What a capture says about peer-chosen and random quantities. Fields are absent when the message was not seen. */
export interface Observation {
  messages: HandshakeMessage[];
  /** The last (cookie-bearing, if any) ClientHello. */
  clientHello?: ClientHelloInfo;
  firstClientHello?: ClientHelloInfo;
  serverHello?: ServerHelloInfo;
  cookieLength?: number;
  serverCertificates?: Uint8Array[];
  clientCertificates?: Uint8Array[];
  serverKeyExchange?: ServerKeyExchangeInfo;
  certificateRequest?: CertificateRequestInfo;
  clientKeyExchange?: { pskIdentityLength?: number; pointLength?: number };
  certificateVerify?: { signatureAlgorithm: number; signatureLength: number };
  newSessionTicket?: { lifetimeHint: number; ticketLength: number };
}

export function observe(decoded: DecodedDatagram[], kx: KeyExchange): Observation {
  const messages = handshakeMessages(decoded);
  const o: Observation = { messages };
  for (const m of messages) {
    if (!m.body) continue;
    const server = m.dir === 's2c';
    switch (m.msgType) {
      case HandshakeType.client_hello:
        o.clientHello = parseClientHello(m.body);
        o.firstClientHello ??= o.clientHello;
        break;
      case HandshakeType.hello_verify_request:
        o.cookieLength = parseHelloVerifyRequest(m.body).cookieLength;
        break;
      case HandshakeType.server_hello:
        o.serverHello = parseServerHello(m.body);
        break;
      case HandshakeType.certificate: {
        // RFC 7250: with RawPublicKey selected for that side the message is one SPKI.
        const rpk = selectedCertificateType(o.serverHello, server ? 20 : 19) === 2;
        const certs = rpk ? [parseRawPublicKeyCertificate(m.body)] : parseCertificate(m.body);
        if (server) o.serverCertificates = certs;
        else o.clientCertificates = certs;
        break;
      }
      case HandshakeType.server_key_exchange:
        o.serverKeyExchange = parseServerKeyExchange(m.body, kx);
        break;
      case HandshakeType.certificate_request:
        o.certificateRequest = parseCertificateRequest(m.body);
        break;
      case HandshakeType.client_key_exchange:
        o.clientKeyExchange = parseClientKeyExchange(m.body, kx);
        break;
      case HandshakeType.certificate_verify:
        o.certificateVerify = parseCertificateVerify(m.body);
        break;
      case HandshakeType.new_session_ticket:
        o.newSessionTicket = parseNewSessionTicket(m.body);
        break;
    }
  }
  return o;
}
