// The DTLS 1.2 byte model: from a handshake configuration (variant, suites,
// extensions, certificate DER sizes, cookie/session id/ticket lengths and the
// observed signature DER lengths, which are random) compute every handshake
// message, record, datagram and flight in both directions. Record packing
// follows the sender's policy (see Packing). compare.ts checks a capture
// against it.
import { extensionsBlockLength, type ExtensionSpec } from './extensions.js';
import type { KeyExchange } from './handshake.js';
import { ContentType, HANDSHAKE_HEADER, RECORD_HEADER, type Direction } from './records.js';

export type CipherSpec = { kind: 'aead'; explicitNonce: number; tag: number } | { kind: 'cbc'; block: number; mac: number };

export interface SuiteInfo {
  id: number;
  name: string;
  kx: KeyExchange;
  cipher: CipherSpec;
}

const CCM8: CipherSpec = { kind: 'aead', explicitNonce: 8, tag: 8 };
const CCM: CipherSpec = { kind: 'aead', explicitNonce: 8, tag: 16 };
const GCM: CipherSpec = { kind: 'aead', explicitNonce: 8, tag: 16 };
const CHACHA: CipherSpec = { kind: 'aead', explicitNonce: 0, tag: 16 }; // RFC 7905: nonce is implicit
const CBC_SHA: CipherSpec = { kind: 'cbc', block: 16, mac: 20 };
const CBC_SHA256: CipherSpec = { kind: 'cbc', block: 16, mac: 32 };

/** Suites the model knows how to size (IANA ids). */
export const SUITES: SuiteInfo[] = [
  { id: 0xc0a8, name: 'TLS_PSK_WITH_AES_128_CCM_8', kx: 'psk', cipher: CCM8 },
  { id: 0xc0a4, name: 'TLS_PSK_WITH_AES_128_CCM', kx: 'psk', cipher: CCM },
  { id: 0x00a8, name: 'TLS_PSK_WITH_AES_128_GCM_SHA256', kx: 'psk', cipher: GCM },
  { id: 0x00ae, name: 'TLS_PSK_WITH_AES_128_CBC_SHA256', kx: 'psk', cipher: CBC_SHA256 },
  { id: 0x008c, name: 'TLS_PSK_WITH_AES_128_CBC_SHA', kx: 'psk', cipher: CBC_SHA },
  { id: 0xccab, name: 'TLS_PSK_WITH_CHACHA20_POLY1305_SHA256', kx: 'psk', cipher: CHACHA },
  { id: 0xc037, name: 'TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA256', kx: 'ecdhe_psk', cipher: CBC_SHA256 },
  { id: 0xccac, name: 'TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256', kx: 'ecdhe_psk', cipher: CHACHA },
  { id: 0xc0ae, name: 'TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8', kx: 'ecdhe_ecdsa', cipher: CCM8 },
  { id: 0xc0ac, name: 'TLS_ECDHE_ECDSA_WITH_AES_128_CCM', kx: 'ecdhe_ecdsa', cipher: CCM },
  { id: 0xc02b, name: 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256', kx: 'ecdhe_ecdsa', cipher: GCM },
  { id: 0xc023, name: 'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256', kx: 'ecdhe_ecdsa', cipher: CBC_SHA256 },
  { id: 0xc009, name: 'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA', kx: 'ecdhe_ecdsa', cipher: CBC_SHA },
  { id: 0xcca9, name: 'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256', kx: 'ecdhe_ecdsa', cipher: CHACHA },
  { id: 0xc02f, name: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', kx: 'ecdhe_rsa', cipher: GCM },
];

export function suiteInfo(id: number): SuiteInfo {
  const s = SUITES.find((x) => x.id === id);
  if (!s) throw new Error(`suite 0x${id.toString(16).padStart(4, '0')} is not in the model's table`);
  return s;
}

/** Record payload length once `plaintext` bytes are protected (explicit nonce/IV, padding, tag/MAC). */
export function protectedLength(cipher: CipherSpec, plaintext: number, encryptThenMac = false): number {
  if (cipher.kind === 'aead') return cipher.explicitNonce + plaintext + cipher.tag;
  const pad = (n: number) => Math.ceil((n + 1) / cipher.block) * cipher.block; // >= 1 byte of padding
  return encryptThenMac ? cipher.block + pad(plaintext) + cipher.mac : cipher.block + pad(plaintext + cipher.mac);
}

export type Variant = 'psk' | 'ecdhe-psk' | 'ecdhe-ecdsa' | 'ecdhe-ecdsa-mutual' | 'resumption';

/** What stands in for a Certificate message. */
export type CertificatePayload =
  /** Plain X.509 Certificate message; DER sizes leaf first. An empty chain is a client declining to authenticate. */
  | { kind: 'x509'; chain: number[] }
  /** RFC 7250 raw public key: one SubjectPublicKeyInfo (91 B for P-256). */
  | { kind: 'raw-public-key'; spki: number }
  /** RFC 7924 cached information: the Certificate message carries only a hash of the cached chain. */
  | { kind: 'cached'; hashLength: number }
  /** RFC 8879 CompressedCertificate (handshake type 25) in place of Certificate. */
  | { kind: 'compressed'; compressedLength: number }
  /** RFC 6066 CertificateURL (handshake type 21) in place of the client's Certificate. */
  | { kind: 'url'; urlLengths: number[] };

export interface Packing {
  /** Largest datagram payload the sender emits (OpenSSL: -mtu minus 28 B of IPv4+UDP). */
  mtu: number;
  /**
   * fill: the records of a flight share datagrams up to mtu; a handshake message that does not fit
   * in what is left is fragmented there (OpenSSL, mbedTLS). datagram-per-record: every record goes
   * in a datagram of its own, fragmenting only at mtu (tinydtls). ccs-with-finished: the same, except
   * that ChangeCipherSpec shares the datagram of the record after it, the Finished (wolfSSL).
   */
  mode: 'fill' | 'datagram-per-record' | 'ccs-with-finished';
}

export interface SideConfig {
  extensions: ExtensionSpec[];
  packing: Packing;
  sessionIdLength?: number;
  certificate?: CertificatePayload;
  /** Uncompressed P-256 point: 65. */
  ecdhePointLength?: number;
}

export interface HandshakeConfig {
  variant: Variant;
  /** Negotiated suite (IANA id). */
  suite: number;
  /** HelloVerifyRequest round trip with a cookie of this length; null: the server sends none. */
  cookieLength: number | null;
  /** Negotiated encrypt_then_mac (CBC suites only). */
  encryptThenMac?: boolean;
  client: SideConfig & {
    suites: number[];
    compressionMethods?: number;
    pskIdentityLength?: number;
    /** DER length of the CertificateVerify signature (random for ECDSA: take it from the capture). */
    certificateVerifySignature?: number;
  };
  server: SideConfig & {
    sessionIdLength: number;
    /** PSK: the identity hint's length makes a ServerKeyExchange; undefined/null = none is sent. */
    pskIdentityHintLength?: number | null;
    /** DER length of the ServerKeyExchange signature (random for ECDSA: take it from the capture). */
    keyExchangeSignature?: number;
    /** OCSP stapling (RFC 6066 status_request): a CertificateStatus message carrying this DER OCSP response. */
    certificateStatus?: { ocspResponseLength: number };
    certificateRequest?: { certificateTypes: number; signatureAlgorithms: number; caNameLengths: number[] };
    newSessionTicket?: { ticketLength: number };
  };
}

export interface ModelRecord {
  contentType: number;
  epoch: number;
  /** Record payload length (header excluded). */
  length: number;
  message: string;
  fragmentOffset?: number;
  fragmentLength?: number;
}

export interface ModelDatagram {
  dir: Direction;
  flight: number;
  size: number;
  records: ModelRecord[];
}

export interface ModelMessage {
  flight: number;
  dir: Direction;
  name: string;
  epoch: number;
  /** Handshake body length (plaintext, header excluded); for CCS the 1-byte payload; for encrypted records the plaintext incl. handshake header. */
  bodyLength: number;
  /** Length of each record carrying it (for encrypted and CCS records this is what is compared). */
  recordLengths: number[];
  fragments: number;
  /** Everything this message puts on the wire: record headers + handshake headers + body (or ciphertext). */
  wireBytes: number;
}

export interface ModelFlight {
  index: number;
  dir: Direction;
  messages: ModelMessage[];
  datagrams: ModelDatagram[];
  bytes: number;
}

export interface DirectionTotals {
  bytes: number;
  datagrams: number;
  records: number;
  recordOverhead: number;
  handshakeOverhead: number;
}

export interface HandshakeModel {
  status: 'modeled';
  config: HandshakeConfig;
  flights: ModelFlight[];
  c2s: DirectionTotals;
  s2c: DirectionTotals;
  bytes: number;
}

const FINISHED_VERIFY_DATA = 12;
const RANDOM = 32;

function certificateMessage(p: CertificatePayload): { name: string; body: number } {
  switch (p.kind) {
    case 'x509':
      return { name: 'certificate', body: 3 + p.chain.reduce((a, n) => a + 3 + n, 0) };
    case 'raw-public-key':
      return { name: 'certificate', body: 3 + p.spki };
    case 'cached':
      return { name: 'certificate', body: 1 + p.hashLength };
    case 'compressed':
      // algorithm(2) uncompressed_length(3) compressed_certificate_message<1..2^24-1>
      return { name: 'compressed_certificate', body: 2 + 3 + 3 + p.compressedLength };
    case 'url':
      // type(1) url_and_hash_list<1..2^16-1> of { url<1..2^16-1>, padding(1), SHA-1 hash(20) }
      return { name: 'certificate_url', body: 1 + 2 + p.urlLengths.reduce((a, n) => a + 2 + n + 1 + 20, 0) };
  }
}

const KX_OF_VARIANT: Record<Exclude<Variant, 'resumption'>, KeyExchange[]> = {
  psk: ['psk'],
  'ecdhe-psk': ['ecdhe_psk'],
  'ecdhe-ecdsa': ['ecdhe_ecdsa', 'ecdhe_rsa'],
  'ecdhe-ecdsa-mutual': ['ecdhe_ecdsa', 'ecdhe_rsa'],
};

function need<T>(v: T | undefined | null, what: string): T {
  if (v === undefined || v === null) throw new Error(`model config: ${what} is required for this variant`);
  return v;
}

/** Handshake message body sizes per flight, before record packing. */
interface PlannedMessage {
  name: string;
  kind: 'handshake' | 'ccs' | 'encrypted';
  body: number;
}

export function plan(c: HandshakeConfig): { dir: Direction; messages: PlannedMessage[] }[] {
  const suite = suiteInfo(c.suite);
  if (c.variant !== 'resumption' && !KX_OF_VARIANT[c.variant].includes(suite.kx)) throw new Error(`model config: suite ${suite.name} does not fit variant ${c.variant}`);
  if (c.variant === 'ecdhe-ecdsa-mutual' && !c.server.certificateRequest) throw new Error('model config: mutual authentication needs server.certificateRequest');
  const hs = (name: string, body: number): PlannedMessage => ({ name, kind: 'handshake', body });
  const ccs: PlannedMessage = { name: 'change_cipher_spec', kind: 'ccs', body: 1 };
  const finished: PlannedMessage = { name: 'finished', kind: 'encrypted', body: HANDSHAKE_HEADER + FINISHED_VERIFY_DATA };
  const point = (s: SideConfig) => s.ecdhePointLength ?? 65;

  const clientHello = (cookie: number) =>
    hs('client_hello', 2 + RANDOM + 1 + (c.client.sessionIdLength ?? 0) + 1 + cookie + 2 + 2 * c.client.suites.length + 1 + (c.client.compressionMethods ?? 1) + extensionsBlockLength(c.client.extensions));
  const serverHello = hs('server_hello', 2 + RANDOM + 1 + c.server.sessionIdLength + 2 + 1 + extensionsBlockLength(c.server.extensions));
  const ticket = c.server.newSessionTicket ? [hs('new_session_ticket', 4 + 2 + c.server.newSessionTicket.ticketLength)] : [];

  const flights: { dir: Direction; messages: PlannedMessage[] }[] = [];
  if (c.cookieLength !== null) {
    flights.push({ dir: 'c2s', messages: [clientHello(0)] });
    flights.push({ dir: 's2c', messages: [hs('hello_verify_request', 2 + 1 + c.cookieLength)] });
  }
  flights.push({ dir: 'c2s', messages: [clientHello(c.cookieLength ?? 0)] });

  if (c.variant === 'resumption') {
    flights.push({ dir: 's2c', messages: [serverHello, ...ticket, ccs, finished] });
    flights.push({ dir: 'c2s', messages: [ccs, finished] });
    return flights;
  }

  const server: PlannedMessage[] = [serverHello];
  if (suite.kx === 'ecdhe_ecdsa' || suite.kx === 'ecdhe_rsa') {
    const cert = certificateMessage(need(c.server.certificate, 'server.certificate'));
    server.push(hs(cert.name, cert.body));
    // status_type(1) + OCSPResponse<1..2^24-1>
    if (c.server.certificateStatus) server.push(hs('certificate_status', 1 + 3 + c.server.certificateStatus.ocspResponseLength));
    const sig = need(c.server.keyExchangeSignature, 'server.keyExchangeSignature');
    // curve_type(1) named_curve(2) point<1..255> + SignatureAndHashAlgorithm(2) signature<0..2^16-1>
    server.push(hs('server_key_exchange', 1 + 2 + 1 + point(c.server) + 2 + 2 + sig));
  } else {
    const hint = c.server.pskIdentityHintLength;
    const ecdh = suite.kx === 'ecdhe_psk' ? 1 + 2 + 1 + point(c.server) : 0;
    if (hint !== undefined && hint !== null) server.push(hs('server_key_exchange', 2 + hint + ecdh));
    else if (ecdh) server.push(hs('server_key_exchange', 2 + ecdh)); // ECDHE_PSK always sends one (empty hint)
  }
  const cr = c.server.certificateRequest;
  if (cr) server.push(hs('certificate_request', 1 + cr.certificateTypes + 2 + 2 * cr.signatureAlgorithms + 2 + cr.caNameLengths.reduce((a, n) => a + 2 + n, 0)));
  server.push(hs('server_hello_done', 0));
  flights.push({ dir: 's2c', messages: server });

  const client: PlannedMessage[] = [];
  let clientSigns = false;
  if (cr) {
    const cert = certificateMessage(c.client.certificate ?? { kind: 'x509', chain: [] });
    client.push(hs(cert.name, cert.body));
    clientSigns = !(c.client.certificate === undefined || (c.client.certificate.kind === 'x509' && c.client.certificate.chain.length === 0));
  }
  const id = () => 2 + need(c.client.pskIdentityLength, 'client.pskIdentityLength');
  if (suite.kx === 'psk') client.push(hs('client_key_exchange', id()));
  else if (suite.kx === 'ecdhe_psk') client.push(hs('client_key_exchange', id() + 1 + point(c.client)));
  else client.push(hs('client_key_exchange', 1 + point(c.client)));
  if (clientSigns) client.push(hs('certificate_verify', 2 + 2 + need(c.client.certificateVerifySignature, 'client.certificateVerifySignature')));
  client.push(ccs, finished);
  flights.push({ dir: 'c2s', messages: client });
  flights.push({ dir: 's2c', messages: [...ticket, ccs, finished] });
  return flights;
}

/** Pack one flight's messages into records and datagrams following the sender's packing policy. */
function pack(index: number, dir: Direction, planned: PlannedMessage[], p: Packing, cipher: CipherSpec, etm: boolean): ModelFlight {
  const datagrams: ModelDatagram[] = [];
  let cur: ModelDatagram | undefined;
  const used = () => cur?.size ?? 0;
  const flush = () => {
    if (cur && cur.records.length) datagrams.push(cur);
    cur = undefined;
  };
  const put = (r: ModelRecord) => {
    cur ??= { dir, flight: index, size: 0, records: [] };
    cur.records.push(r);
    cur.size += RECORD_HEADER + r.length;
    if (p.mode === 'datagram-per-record' || (p.mode === 'ccs-with-finished' && r.contentType !== ContentType.change_cipher_spec)) flush();
  };
  let epoch = 0;
  const messages: ModelMessage[] = [];
  for (const m of planned) {
    const msg: ModelMessage = { flight: index, dir, name: m.name, epoch, bodyLength: m.body, recordLengths: [], fragments: 0, wireBytes: 0 };
    if (m.kind === 'handshake') {
      for (let off = 0; ; ) {
        // Room for fragment bytes after a record header and a handshake header. None left:
        // start a new datagram (OpenSSL's rule; it also moves an empty ServerHelloDone on).
        const room = p.mtu - used() - RECORD_HEADER - HANDSHAKE_HEADER;
        if (room <= 0) {
          if (used() === 0) throw new Error(`mtu ${p.mtu} is too small for a handshake fragment`);
          flush();
          continue;
        }
        const len = Math.min(m.body - off, room);
        put({ contentType: ContentType.handshake, epoch, length: HANDSHAKE_HEADER + len, message: m.name, fragmentOffset: off, fragmentLength: len });
        msg.recordLengths.push(HANDSHAKE_HEADER + len);
        msg.fragments++;
        off += len;
        if (off >= m.body) break;
      }
    } else {
      const length = m.kind === 'ccs' ? 1 : protectedLength(cipher, m.body, etm);
      if (used() > 0 && used() + RECORD_HEADER + length > p.mtu) flush();
      put({ contentType: m.kind === 'ccs' ? ContentType.change_cipher_spec : ContentType.handshake, epoch, length, message: m.name });
      msg.recordLengths.push(length);
      msg.fragments = 1;
      if (m.kind === 'ccs') epoch++;
    }
    msg.wireBytes = msg.recordLengths.reduce((a, n) => a + RECORD_HEADER + n, 0);
    messages.push(msg);
  }
  flush();
  return { index, dir, messages, datagrams, bytes: datagrams.reduce((a, d) => a + d.size, 0) };
}

export function modelHandshake(c: HandshakeConfig): HandshakeModel {
  const cipher = suiteInfo(c.suite).cipher;
  const etm = !!c.encryptThenMac && cipher.kind === 'cbc';
  const fl = plan(c).map((f, i) => pack(i + 1, f.dir, f.messages, f.dir === 'c2s' ? c.client.packing : c.server.packing, cipher, etm));
  const tot = (dir: Direction): DirectionTotals => {
    const mine = fl.filter((f) => f.dir === dir);
    const recs = mine.flatMap((f) => f.datagrams.flatMap((d) => d.records));
    return {
      bytes: mine.reduce((a, f) => a + f.bytes, 0),
      datagrams: mine.reduce((a, f) => a + f.datagrams.length, 0),
      records: recs.length,
      recordOverhead: recs.length * RECORD_HEADER,
      handshakeOverhead: recs.filter((r) => r.fragmentLength !== undefined).length * HANDSHAKE_HEADER,
    };
  };
  const c2s = tot('c2s');
  const s2c = tot('s2c');
  return { status: 'modeled', config: c, flights: fl, c2s, s2c, bytes: c2s.bytes + s2c.bytes };
}
