import { describe, expect, it } from 'vitest';
import { decodeAll, decodeDatagram, flights, handshakeDatagrams, handshakeMessages, totals, type Datagram, type Direction } from '../../harness/dtls/records.js';

// Hand-built DTLS 1.2 bytes: record = type | fe fd | epoch(2) | seq(6) | len(2) | payload.
const u16 = (v: number) => [v >> 8, v & 0xff];
const u24 = (v: number) => [v >> 16, (v >> 8) & 0xff, v & 0xff];
const record = (type: number, epoch: number, seq: number, payload: number[]) => [type, 0xfe, 0xfd, ...u16(epoch), 0, 0, 0, 0, ...u16(seq), ...u16(payload.length), ...payload];
const hs = (type: number, total: number, msgSeq: number, off: number, body: number[]) => [type, ...u24(total), ...u16(msgSeq), ...u24(off), ...u24(body.length), ...body];
const dg = (dir: Direction, ...records: number[][]): Datagram => ({ dir, t: 0, bytes: Uint8Array.from(records.flat()) });
const fill = (n: number, v = 0xaa) => new Array<number>(n).fill(v);

describe('DTLS record decoder', () => {
  it('decodes record headers, handshake headers and per-record overhead', () => {
    const d = decodeDatagram(dg('c2s', record(22, 0, 7, hs(1, 5, 0, 0, fill(5)))));
    expect(d.size).toBe(13 + 12 + 5);
    expect(d.records).toHaveLength(1);
    const r = d.records[0]!;
    expect(r).toMatchObject({ contentType: 22, typeName: 'handshake', version: 0xfefd, epoch: 0, seq: 7, length: 17, encrypted: false });
    expect(r.handshake![0]).toMatchObject({ msgType: 1, name: 'client_hello', length: 5, messageSeq: 0, fragmentOffset: 0, fragmentLength: 5 });
    expect(d.recordOverhead).toBe(13);
    expect(d.handshakeOverhead).toBe(12);
    expect(d.trailing).toBe(0);
  });

  it('reads 48-bit sequence numbers', () => {
    const bytes = record(23, 1, 0, fill(3));
    bytes.splice(5, 6, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06);
    expect(decodeDatagram(dg('c2s', bytes)).records[0]!.seq).toBe(0x010203040506);
  });

  it('treats epoch >= 1 as opaque ciphertext, decodes CCS and plaintext alerts', () => {
    const d = decodeDatagram(dg('s2c', record(20, 0, 3, [1]), record(22, 1, 0, fill(40)), record(21, 0, 4, [2, 40])));
    expect(d.records.map((r) => [r.typeName, r.encrypted, r.length])).toEqual([
      ['change_cipher_spec', false, 1],
      ['handshake', true, 40],
      ['alert', false, 2],
    ]);
    expect(d.records[1]!.handshake).toBeUndefined();
    expect(d.records[2]!.alert).toEqual({ level: 2, description: 40 });
    expect(d.recordOverhead).toBe(39);
    expect(d.handshakeOverhead).toBe(0);
  });

  it('flags a record running past the datagram and counts trailing junk', () => {
    const full = record(22, 0, 0, hs(1, 4, 0, 0, fill(4)));
    const cut = decodeDatagram(dg('c2s', full.slice(0, full.length - 2)));
    expect(cut.records[0]!.truncated).toBe(true);
    const junk = decodeDatagram(dg('c2s', full, [1, 2, 3]));
    expect(junk.trailing).toBe(3);
  });

  it('decodes several handshake messages in one record and reports stray bytes', () => {
    const d = decodeDatagram(dg('s2c', record(22, 0, 1, [...hs(2, 3, 1, 0, fill(3)), ...hs(14, 0, 2, 0, [])])));
    expect(d.records[0]!.handshake!.map((h) => h.name)).toEqual(['server_hello', 'server_hello_done']);
    expect(d.handshakeOverhead).toBe(24);
    const bad = decodeDatagram(dg('s2c', record(22, 0, 1, [...hs(14, 0, 2, 0, []), 0xff])));
    expect(bad.records[0]!.error).toMatch(/1 bytes/);
  });

  it('reassembles a fragmented message across datagrams and counts a repeated fragment as a duplicate', () => {
    const body = Array.from({ length: 10 }, (_, i) => i);
    const list = [
      dg('s2c', record(22, 0, 1, hs(11, 10, 2, 0, body.slice(0, 6)))),
      dg('s2c', record(22, 0, 2, hs(11, 10, 2, 6, body.slice(6)))),
      dg('s2c', record(22, 0, 3, hs(11, 10, 2, 6, body.slice(6)))),
    ];
    const [m] = handshakeMessages(decodeAll(list));
    expect(m).toMatchObject({ name: 'certificate', length: 10, fragments: 2, duplicates: 1, flight: 1 });
    expect([...m!.body!]).toEqual(body);
    const partial = handshakeMessages(decodeAll(list.slice(0, 1)));
    expect(partial[0]!.body).toBeUndefined();
  });

  it('groups flights by direction, keeps alerts after the handshake apart, and spots a resent flight', () => {
    const ch = (seq: number, mseq: number) => dg('c2s', record(22, 0, seq, hs(1, 2, mseq, 0, [1, 2])));
    const list = [
      ch(0, 0),
      dg('s2c', record(22, 0, 0, hs(3, 3, 0, 0, [0xfe, 0xff, 0]))),
      ch(1, 1),
      ch(2, 1), // the client resends its second ClientHello
      dg('s2c', record(22, 0, 1, hs(2, 1, 1, 0, [0]))),
      dg('c2s', record(20, 0, 3, [1]), record(22, 1, 0, fill(40))),
      dg('c2s', record(21, 1, 1, fill(18))), // close_notify right after the last client flight
    ];
    const f = flights(decodeAll(list));
    expect(f.map((x) => [x.dir, x.datagrams.length, x.postHandshake])).toEqual([
      ['c2s', 1, false],
      ['s2c', 1, false],
      ['c2s', 2, false],
      ['s2c', 1, false],
      ['c2s', 1, false],
      ['c2s', 1, true],
    ]);
    const t = totals(decodeAll(list));
    expect(t.flights).toBe(5);
    expect(t.c2s.bytes).toBe(27 + 27 + 27 + 14 + 53);
    expect(handshakeDatagrams(decodeAll(list))).toHaveLength(6);
    // The resent ClientHello is a datagram of its own in the same flight; a whole resent flight is marked.
    const resent = flights(decodeAll([ch(0, 0), dg('s2c', record(22, 0, 0, hs(3, 3, 0, 0, [0xfe, 0xff, 0]))), ch(1, 0)]));
    expect(resent.map((x) => x.retransmission)).toEqual([false, false, true]);
    // A flight sent again is not the handshake's: its bytes are counted apart, and the datagrams costed on the air leave it out.
    const again = decodeAll([ch(0, 0), dg('s2c', record(22, 0, 0, hs(3, 3, 0, 0, [0xfe, 0xff, 0]))), ch(1, 0)]);
    const ta = totals(again);
    expect([ta.c2s.bytes, ta.retransmittedFlights, ta.retransmitted.c2s.bytes, ta.retransmitted.c2s.datagrams]).toEqual([27, 1, 27, 1]);
    expect(handshakeDatagrams(again)).toHaveLength(2);
    // Sent again in other fragments (OpenSSL repacks a resent flight): still the same messages, still a retransmission.
    const sh = [1, 2, 3, 4];
    const refragmented = flights(decodeAll([
      dg('s2c', record(22, 0, 0, hs(2, 4, 1, 0, sh))),
      dg('c2s', record(22, 0, 1, hs(16, 2, 2, 0, [9, 9]))),
      dg('s2c', record(22, 0, 1, hs(2, 4, 1, 0, sh.slice(0, 2)))), dg('s2c', record(22, 0, 2, hs(2, 4, 1, 2, sh.slice(2)))),
    ]));
    expect(refragmented.map((x) => x.retransmission)).toEqual([false, false, true]);
    // Sent again right before the next new flight (the peer's timer fired while the device computed):
    // the resent datagrams are a flight of their own, the new one is counted as itself.
    const late = flights(decodeAll([
      dg('s2c', record(22, 0, 0, hs(2, 4, 1, 0, sh))), dg('s2c', record(22, 0, 1, hs(14, 0, 2, 0, []))),
      dg('c2s', record(22, 0, 1, hs(16, 2, 2, 0, [9, 9]))),
      dg('s2c', record(22, 0, 2, hs(2, 4, 1, 0, sh))), dg('s2c', record(22, 0, 3, hs(14, 0, 2, 0, []))),
      dg('s2c', record(20, 0, 4, [1]), record(22, 1, 0, fill(40))),
    ]));
    expect(late.map((x) => [x.dir, x.datagrams.length, x.retransmission])).toEqual([['s2c', 2, false], ['c2s', 1, false], ['s2c', 2, true], ['s2c', 1, false]]);
  });
});
