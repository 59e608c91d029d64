// A captured DTLS 1.2 handshake against the byte model (model.ts): the
// capture in the model's terms (flights, datagrams, messages, records), and
// every message, record or total that differs, named.
import { ContentType, HANDSHAKE_HEADER, RECORD_HEADER, flights as measuredFlights, type DecodedDatagram, type Direction } from './records.js';
import type { HandshakeModel, ModelDatagram, ModelFlight, ModelMessage, ModelRecord } from './model.js';


export interface Difference {
  flight: number;
  dir: Direction | '-';
  /** Handshake message name, or '(flight)' / '(total)'. */
  message: string;
  field: string;
  measured: number | string;
  modeled: number | string;
}

export function formatDifference(d: Difference): string {
  return `flight ${d.flight} ${d.dir} ${d.message}: ${d.field} measured ${d.measured}, modeled ${d.modeled}`;
}

/** A capture's handshake flights in the model's terms (retransmitted and post-handshake flights left out). */
export function measuredShape(decoded: DecodedDatagram[]): ModelFlight[] {
  const out: ModelFlight[] = [];
  for (const f of measuredFlights(decoded)) {
    if (f.postHandshake || f.retransmission) continue;
    const index = out.length + 1;
    const messages: ModelMessage[] = [];
    let last: (ModelMessage & { seq?: number }) | undefined;
    const datagrams: ModelDatagram[] = [];
    for (const d of f.datagrams) {
      const recs: ModelRecord[] = [];
      for (const r of d.records) {
        if (r.handshake && r.handshake.length) {
          r.handshake.forEach((h, i) => {
            const hdr = i === 0 ? RECORD_HEADER : 0; // the record header is charged to the first fragment in it
            if (last && last.seq === h.messageSeq && last.name === h.name) {
              last.fragments++;
              last.recordLengths.push(HANDSHAKE_HEADER + h.fragmentLength);
              last.wireBytes += hdr + HANDSHAKE_HEADER + h.fragmentLength;
            } else {
              last = { flight: index, dir: f.dir, name: h.name, epoch: r.epoch, bodyLength: h.length, recordLengths: [HANDSHAKE_HEADER + h.fragmentLength], fragments: 1, wireBytes: hdr + HANDSHAKE_HEADER + h.fragmentLength, seq: h.messageSeq };
              messages.push(last);
            }
            recs.push({ contentType: r.contentType, epoch: r.epoch, length: r.length, message: h.name, fragmentOffset: h.fragmentOffset, fragmentLength: h.fragmentLength });
          });
          continue;
        }
        const name =
          r.contentType === ContentType.change_cipher_spec
            ? 'change_cipher_spec'
            : r.encrypted && r.contentType === ContentType.handshake
              ? 'finished'
              : r.encrypted
                ? `encrypted_${r.typeName}`
                : r.typeName;
        last = { flight: index, dir: f.dir, name, epoch: r.epoch, bodyLength: r.length, recordLengths: [r.length], fragments: 1, wireBytes: RECORD_HEADER + r.length };
        messages.push(last);
        recs.push({ contentType: r.contentType, epoch: r.epoch, length: r.length, message: name });
      }
      datagrams.push({ dir: f.dir, flight: index, size: d.size, records: recs });
    }
    for (const m of messages) delete (m as { seq?: number }).seq;
    out.push({ index, dir: f.dir, messages, datagrams, bytes: f.bytes });
  }
  return out;
}

/** Every way a capture differs from the model; empty when they agree to the byte. */
export function compare(measured: DecodedDatagram[], model: HandshakeModel): Difference[] {
  const diffs: Difference[] = [];
  const got = measuredShape(measured);
  const n = Math.max(got.length, model.flights.length);
  for (let i = 0; i < n; i++) {
    const g = got[i];
    const m = model.flights[i];
    if (!g || !m) {
      const f = (g ?? m)!;
      diffs.push({ flight: i + 1, dir: f.dir, message: '(flight)', field: 'present', measured: g ? `${g.messages.map((x) => x.name).join(', ')}` : 'missing', modeled: m ? `${m.messages.map((x) => x.name).join(', ')}` : 'missing' });
      continue;
    }
    if (g.dir !== m.dir) diffs.push({ flight: m.index, dir: m.dir, message: '(flight)', field: 'direction', measured: g.dir, modeled: m.dir });
    const k = Math.max(g.messages.length, m.messages.length);
    for (let j = 0; j < k; j++) {
      const a = g.messages[j];
      const b = m.messages[j];
      if (!a || !b || a.name !== b.name) {
        diffs.push({ flight: m.index, dir: m.dir, message: b?.name ?? a!.name, field: `message #${j + 1}`, measured: a?.name ?? 'missing', modeled: b?.name ?? 'missing' });
        continue;
      }
      const plaintext = b.epoch === 0 && b.name !== 'change_cipher_spec';
      if (plaintext && a.bodyLength !== b.bodyLength) diffs.push({ flight: m.index, dir: m.dir, message: b.name, field: 'body length', measured: a.bodyLength, modeled: b.bodyLength });
      if (a.fragments !== b.fragments) diffs.push({ flight: m.index, dir: m.dir, message: b.name, field: 'fragments', measured: a.fragments, modeled: b.fragments });
      if (a.recordLengths.join(',') !== b.recordLengths.join(',')) diffs.push({ flight: m.index, dir: m.dir, message: b.name, field: 'record lengths', measured: a.recordLengths.join('+'), modeled: b.recordLengths.join('+') });
      if (a.wireBytes !== b.wireBytes) diffs.push({ flight: m.index, dir: m.dir, message: b.name, field: 'wire bytes', measured: a.wireBytes, modeled: b.wireBytes });
    }
    const gs = g.datagrams.map((d) => d.size).join('+');
    const ms = m.datagrams.map((d) => d.size).join('+');
    if (gs !== ms) diffs.push({ flight: m.index, dir: m.dir, message: '(flight)', field: 'datagram sizes', measured: gs, modeled: ms });
    if (g.bytes !== m.bytes) diffs.push({ flight: m.index, dir: m.dir, message: '(flight)', field: 'bytes', measured: g.bytes, modeled: m.bytes });
  }
  for (const dir of ['c2s', 's2c'] as const) {
    const mb = got.filter((f) => f.dir === dir).reduce((a, f) => a + f.bytes, 0);
    if (mb !== model[dir].bytes) diffs.push({ flight: 0, dir, message: '(total)', field: 'bytes', measured: mb, modeled: model[dir].bytes });
  }
  return diffs;
}
