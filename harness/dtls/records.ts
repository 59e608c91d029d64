// DTLS 1.2 datagram decoder (RFC 6347): records, plaintext handshake
// fragments, ChangeCipherSpec and alerts; records of epoch >= 1 are opaque
// ciphertext and only their length is known. Also groups datagrams into
// flights (consecutive datagrams in one direction) and reassembles
// fragmented handshake messages.
export type Direction = 'c2s' | 's2c';

/** One UDP payload as seen on the wire; t in milliseconds from the start of the capture. */
export interface Datagram {
  dir: Direction;
  t: number;
  bytes: Uint8Array;
}

export const RECORD_HEADER = 13;
export const HANDSHAKE_HEADER = 12;

export const ContentType = { change_cipher_spec: 20, alert: 21, handshake: 22, application_data: 23, heartbeat: 24 } as const;
export const HandshakeType = {
  hello_request: 0,
  client_hello: 1,
  server_hello: 2,
  hello_verify_request: 3,
  new_session_ticket: 4,
  certificate: 11,
  server_key_exchange: 12,
  certificate_request: 13,
  server_hello_done: 14,
  certificate_verify: 15,
  client_key_exchange: 16,
  finished: 20,
  certificate_url: 21,
  certificate_status: 22,
  compressed_certificate: 25,
} as const;

const CONTENT_NAMES = new Map<number, string>(Object.entries(ContentType).map(([k, v]) => [v, k]));
const HS_NAMES = new Map<number, string>(Object.entries(HandshakeType).map(([k, v]) => [v, k]));
export const contentTypeName = (t: number) => CONTENT_NAMES.get(t) ?? `content_${t}`;
export const handshakeTypeName = (t: number) => HS_NAMES.get(t) ?? `handshake_${t}`;

export interface HandshakeFragment {
  msgType: number;
  name: string;
  /** Length of the whole message body (all fragments). */
  length: number;
  messageSeq: number;
  fragmentOffset: number;
  fragmentLength: number;
  body: Uint8Array;
}

export interface DtlsRecord {
  contentType: number;
  typeName: string;
  version: number;
  epoch: number;
  seq: number;
  /** Record payload length (the 13-byte header not included). */
  length: number;
  /** epoch >= 1: ciphertext we cannot read (explicit nonce + ciphertext + tag/MAC). */
  encrypted: boolean;
  handshake?: HandshakeFragment[];
  alert?: { level: number; description: number };
  /** Set when a record's declared length runs past the datagram end. */
  truncated?: boolean;
  /** Why the plaintext could not be fully decoded. */
  error?: string;
  payload: Uint8Array;
}

export interface DecodedDatagram {
  index: number;
  dir: Direction;
  t: number;
  size: number;
  records: DtlsRecord[];
  /** 13 bytes per record. */
  recordOverhead: number;
  /** 12 bytes per plaintext handshake fragment. */
  handshakeOverhead: number;
  /** Bytes after the last whole record (should be 0). */
  trailing: number;
}

function u16(b: Uint8Array, o: number): number {
  return (b[o]! << 8) | b[o + 1]!;
}
function u24(b: Uint8Array, o: number): number {
  return (b[o]! << 16) | (b[o + 1]! << 8) | b[o + 2]!;
}
function u48(b: Uint8Array, o: number): number {
  return u16(b, o) * 2 ** 32 + ((b[o + 2]! << 24) >>> 0) + u24(b, o + 3);
}

export function decodeHandshakeFragments(p: Uint8Array): { fragments: HandshakeFragment[]; error?: string } {
  // A plaintext handshake record may carry several (fragments of) messages back to back.
  const out: HandshakeFragment[] = [];
  let o = 0;
  while (o + HANDSHAKE_HEADER <= p.length) {
    const fragmentLength = u24(p, o + 9);
    const end = Math.min(p.length, o + HANDSHAKE_HEADER + fragmentLength);
    out.push({
      msgType: p[o]!,
      name: handshakeTypeName(p[o]!),
      length: u24(p, o + 1),
      messageSeq: u16(p, o + 4),
      fragmentOffset: u24(p, o + 6),
      fragmentLength,
      body: p.slice(o + HANDSHAKE_HEADER, end),
    });
    o = o + HANDSHAKE_HEADER + fragmentLength;
  }
  if (o !== p.length) return { fragments: out, error: `handshake record: ${p.length - o} bytes do not form a whole fragment` };
  return { fragments: out };
}

export function decodeDatagram(d: Datagram, index = 0): DecodedDatagram {
  const b = d.bytes;
  const records: DtlsRecord[] = [];
  let o = 0;
  let handshakeOverhead = 0;
  while (b.length - o >= RECORD_HEADER) {
    const length = u16(b, o + 11);
    const truncated = o + RECORD_HEADER + length > b.length;
    const payload = b.slice(o + RECORD_HEADER, Math.min(b.length, o + RECORD_HEADER + length));
    const contentType = b[o]!;
    const epoch = u16(b, o + 3);
    const r: DtlsRecord = {
      contentType,
      typeName: contentTypeName(contentType),
      version: u16(b, o + 1),
      epoch,
      seq: u48(b, o + 5),
      length,
      encrypted: epoch > 0,
      payload,
    };
    if (truncated) r.truncated = true;
    if (!r.encrypted && !truncated) {
      if (contentType === ContentType.handshake) {
        const { fragments, error } = decodeHandshakeFragments(payload);
        r.handshake = fragments;
        if (error) r.error = error;
        handshakeOverhead += fragments.length * HANDSHAKE_HEADER;
      } else if (contentType === ContentType.alert && payload.length >= 2) {
        r.alert = { level: payload[0]!, description: payload[1]! };
      }
    }
    records.push(r);
    o += RECORD_HEADER + length;
  }
  return {
    index,
    dir: d.dir,
    t: d.t,
    size: b.length,
    records,
    recordOverhead: records.length * RECORD_HEADER,
    handshakeOverhead,
    trailing: Math.max(0, b.length - o),
  };
}

export function decodeAll(list: Datagram[]): DecodedDatagram[] {
  return list.map((d, i) => decodeDatagram(d, i));
}

/** Record kinds that belong to the handshake proper (an encrypted epoch-1 handshake record is Finished). */
const isHandshakeRecord = (r: DtlsRecord) => r.contentType === ContentType.handshake || r.contentType === ContentType.change_cipher_spec;

export interface Flight {
  /** 1-based, in capture order. */
  index: number;
  dir: Direction;
  datagrams: DecodedDatagram[];
  bytes: number;
  records: number;
  recordOverhead: number;
  handshakeOverhead: number;
  /** Every handshake fragment in it was already seen in this direction: a resent flight. */
  retransmission: boolean;
  /** No handshake or ChangeCipherSpec record: application data or alerts after the handshake. */
  postHandshake: boolean;
}

// What makes a handshake message the same one again: its message_seq (a flight
// sent again may be fragmented otherwise: OpenSSL repacks it), or for an
// encrypted handshake record (Finished) its epoch and length.
const messageKeys = (recs: DtlsRecord[]) =>
  recs.flatMap((r) => (r.handshake ? r.handshake.map((h) => `${h.messageSeq}`) : r.encrypted && r.contentType === ContentType.handshake ? [`e${r.epoch}/${r.length}`] : []));

export function flights(decoded: DecodedDatagram[]): Flight[] {
  const out: Flight[] = [];
  // Whether each datagram only repeats bytes already sent in its direction (a message's
  // fragments, or an encrypted handshake record): new bytes after resent ones start a new
  // flight, so a resent flight that arrives right before the next new one (the peer's timer
  // fired late) stays a flight of its own; the fragments of one message across datagrams,
  // and a datagram resent inside its own flight, stay together.
  const covered = { c2s: new Map<string, Uint8Array>(), s2c: new Map<string, Uint8Array>() };
  const repeat = decoded.map((d) => {
    let parts = 0, again = 0;
    for (const r of d.records) {
      if (r.handshake)
        for (const h of r.handshake) {
          const key = `${h.messageSeq}`;
          const had = covered[d.dir].get(key);
          const bytes = had ?? new Uint8Array(h.length);
          const end = Math.min(h.length, h.fragmentOffset + h.fragmentLength);
          parts++;
          if (had && bytes.subarray(h.fragmentOffset, end).every((b) => b === 1)) again++;
          bytes.fill(1, h.fragmentOffset, end);
          covered[d.dir].set(key, bytes);
        }
      else if (r.encrypted && r.contentType === ContentType.handshake) {
        const key = `e${r.epoch}/${r.length}`;
        parts++;
        if (covered[d.dir].has(key)) again++;
        covered[d.dir].set(key, new Uint8Array(0));
      }
    }
    return parts > 0 && again === parts;
  });
  let lastRepeat = false;
  decoded.forEach((d, i) => {
    const last = out[out.length - 1];
    // A datagram of only alerts/application data does not join a handshake flight (nor the reverse),
    // so a close_notify sent right after the last handshake flight is not counted in it.
    const post = !d.records.some(isHandshakeRecord);
    if (last && last.dir === d.dir && !last.datagrams[0]!.records.some(isHandshakeRecord) === post && !(lastRepeat && !repeat[i])) last.datagrams.push(d);
    else out.push({ index: out.length + 1, dir: d.dir, datagrams: [d], bytes: 0, records: 0, recordOverhead: 0, handshakeOverhead: 0, retransmission: false, postHandshake: false });
    lastRepeat = repeat[i]!;
  });
  // Retransmission: a flight whose every handshake message was already seen in its direction.
  const seen = { c2s: new Set<string>(), s2c: new Set<string>() };
  for (const f of out) {
    f.bytes = f.datagrams.reduce((s, d) => s + d.size, 0);
    f.records = f.datagrams.reduce((s, d) => s + d.records.length, 0);
    f.recordOverhead = f.datagrams.reduce((s, d) => s + d.recordOverhead, 0);
    f.handshakeOverhead = f.datagrams.reduce((s, d) => s + d.handshakeOverhead, 0);
    const recs = f.datagrams.flatMap((d) => d.records);
    f.postHandshake = !recs.some(isHandshakeRecord);
    const keys = messageKeys(recs);
    f.retransmission = keys.length > 0 && keys.every((k) => seen[f.dir].has(k));
    keys.forEach((k) => seen[f.dir].add(k));
  }
  return out;
}

export interface HandshakeMessage {
  dir: Direction;
  msgType: number;
  name: string;
  messageSeq: number;
  length: number;
  /** Whole body once every byte has arrived, else undefined. */
  body?: Uint8Array;
  fragments: number;
  /** Fragments that repeat bytes already received (retransmissions). */
  duplicates: number;
  /** Flight in which the first fragment arrived. */
  flight: number;
}

/** Reassemble plaintext handshake messages per direction, in order of first appearance. */
export function handshakeMessages(decoded: DecodedDatagram[]): HandshakeMessage[] {
  const fl = flights(decoded);
  const flightOf = new Map<number, number>();
  fl.forEach((f) => f.datagrams.forEach((d) => flightOf.set(d.index, f.index)));
  const byKey = new Map<string, HandshakeMessage & { have: Uint8Array; buf: Uint8Array }>();
  const order: string[] = [];
  for (const d of decoded) {
    for (const r of d.records) {
      for (const h of r.handshake ?? []) {
        const key = `${d.dir}/${h.messageSeq}/${h.msgType}`;
        let m = byKey.get(key);
        if (!m) {
          m = { dir: d.dir, msgType: h.msgType, name: h.name, messageSeq: h.messageSeq, length: h.length, fragments: 0, duplicates: 0, flight: flightOf.get(d.index) ?? 0, have: new Uint8Array(h.length), buf: new Uint8Array(h.length) };
          byKey.set(key, m);
          order.push(key);
        }
        const end = Math.min(h.length, h.fragmentOffset + h.body.length);
        const already = m.have.subarray(h.fragmentOffset, end).every((x) => x === 1) && end > h.fragmentOffset;
        if (already) m.duplicates++;
        else m.fragments++;
        m.buf.set(h.body.subarray(0, end - h.fragmentOffset), h.fragmentOffset);
        m.have.fill(1, h.fragmentOffset, end);
      }
    }
  }
  return order.map((k) => {
    const { have, buf, ...m } = byKey.get(k)!;
    return have.every((x) => x === 1) ? { ...m, body: buf } : m;
  });
}

/** The datagrams of the handshake flights, without the flights the peer or the device sent again (those are counted apart: retransmittedBytes). */
export function handshakeDatagrams(decoded: DecodedDatagram[]): DecodedDatagram[] {
  return flights(decoded)
    .filter((f) => !f.postHandshake && !f.retransmission)
    .flatMap((f) => f.datagrams);
}

/**
 * Summary per direction of what a capture cost: the handshake's own flights
 * (post-handshake ones only with `all`), and apart from them the flights sent
 * again because a timer fired (a busy host delays the device past the peer's
 * retransmission timer): those bytes are real but are not the handshake's.
 */
export function totals(decoded: DecodedDatagram[], opts: { all?: boolean } = {}) {
  const every = flights(decoded).filter((f) => opts.all || !f.postHandshake);
  const again = every.filter((f) => f.retransmission);
  const fl = every.filter((f) => !f.retransmission);
  const resent = (dir: Direction) => ({ bytes: again.filter((f) => f.dir === dir).reduce((s, f) => s + f.bytes, 0), datagrams: again.filter((f) => f.dir === dir).reduce((s, f) => s + f.datagrams.length, 0) });
  const sum = (dir: Direction, k: 'bytes' | 'records' | 'recordOverhead' | 'handshakeOverhead') => fl.filter((f) => f.dir === dir).reduce((s, f) => s + f[k], 0);
  const datagrams = (dir: Direction) => fl.filter((f) => f.dir === dir).reduce((s, f) => s + f.datagrams.length, 0);
  return {
    c2s: { bytes: sum('c2s', 'bytes'), datagrams: datagrams('c2s'), records: sum('c2s', 'records'), recordOverhead: sum('c2s', 'recordOverhead'), handshakeOverhead: sum('c2s', 'handshakeOverhead') },
    s2c: { bytes: sum('s2c', 'bytes'), datagrams: datagrams('s2c'), records: sum('s2c', 'records'), recordOverhead: sum('s2c', 'recordOverhead'), handshakeOverhead: sum('s2c', 'handshakeOverhead') },
    bytes: sum('c2s', 'bytes') + sum('s2c', 'bytes'),
    flights: fl.length,
    retransmittedFlights: again.length,
    retransmitted: { c2s: resent('c2s'), s2c: resent('s2c') },
  };
}
