import { describe, expect, it } from 'vitest';
import { crc32 } from 'node:zlib';
import { decodeFault, decodeResult, encodeFrame, encodeOp, FrameDecoder } from '../../harness/device/link.js';

const frame = (type: number, seq: number, payload: number[]) => encodeFrame(type, seq, Uint8Array.from(payload));

describe('link framing', () => {
  it('round-trips a frame and computes the CRC over type..payload', () => {
    const f = frame(0x11, 7, [1, 2, 3]);
    expect([...f.subarray(0, 6)]).toEqual([0xc3, 0x3c, 0x11, 7, 3, 0]);
    const crc = new DataView(f.buffer).getUint32(9, true);
    expect(crc).toBe(crc32(f.subarray(2, 9)) >>> 0);
    const ev = new FrameDecoder().push(f);
    expect(ev).toEqual([{ kind: 'frame', frame: { type: 0x11, seq: 7, payload: Uint8Array.from([1, 2, 3]) } }]);
  });

  it('reassembles frames split at every byte boundary', () => {
    const a = frame(0x01, 0, [...'proto=1\n'].map((c) => c.charCodeAt(0)));
    const b = frame(0x11, 1, Array.from({ length: 300 }, (_, i) => i & 0xff));
    const all = new Uint8Array([...a, ...b]);
    for (let cut = 1; cut < all.length; cut += 7) {
      const d = new FrameDecoder();
      const ev = [...d.push(all.subarray(0, cut)), ...d.push(all.subarray(cut))].filter((e) => e.kind === 'frame');
      expect(ev.length).toBe(2);
    }
  });

  it('reports a corrupted payload byte and recovers on the next frame', () => {
    const bad = frame(0x11, 1, [9, 9, 9, 9]);
    bad[7]! ^= 0x40;
    const good = frame(0x11, 2, [5]);
    const ev = new FrameDecoder().push(new Uint8Array([...bad, ...good]));
    expect(ev.find((e) => e.kind === 'corrupt')).toMatchObject({ reason: 'bad CRC', seq: 1 });
    const frames = ev.filter((e) => e.kind === 'frame');
    expect(frames).toHaveLength(1);
    expect(frames[0]).toMatchObject({ frame: { seq: 2 } });
  });

  it('skips line noise before a frame and says how much', () => {
    const ev = new FrameDecoder().push(new Uint8Array([0x00, 0xc3, 0x11, 0xff, ...frame(0x30, 3, [65])]));
    expect(ev[0]).toEqual({ kind: 'garbage', bytes: 4 });
    expect(ev[1]).toMatchObject({ kind: 'frame', frame: { type: 0x30, seq: 3 } });
  });

  it('rejects a truncated frame that is then followed by a good one', () => {
    const trunc = frame(0x11, 4, [1, 2, 3, 4, 5, 6]).subarray(0, 9);
    const ev = new FrameDecoder().push(new Uint8Array([...trunc, ...frame(0x11, 5, [7])]));
    expect(ev.some((e) => e.kind === 'corrupt')).toBe(true);
    expect(ev.filter((e) => e.kind === 'frame').map((e) => (e.kind === 'frame' ? e.frame.seq : -1))).toEqual([5]);
  });

  it('refuses lengths beyond the limit', () => {
    const ev = new FrameDecoder(16).push(frame(0x11, 1, new Array(40).fill(0)));
    expect(ev[0]).toMatchObject({ kind: 'corrupt', reason: 'length 40 exceeds 16' });
  });

  it('encodes an op request as name + length-prefixed inputs', () => {
    expect([...encodeOp('ab', [Uint8Array.of(1), new Uint8Array(0)])]).toEqual([2, 97, 98, 2, 1, 0, 1, 0, 0]);
    expect(() => encodeOp('x', new Array(9).fill(new Uint8Array(0)))).toThrow(/at most 8/);
  });

  it('decodes results, flags and outputs, and refuses truncated ones', () => {
    const p = new Uint8Array([0xfe, 0xff, 0xff, 0xff, 16, 0, 0, 0, 32, 0, 0, 0, 3, 1, 2, 0, 0xaa, 0xbb]);
    expect(decodeResult(p)).toEqual({ status: -2, stackBytes: 16, heapBytes: 32, balanced: true, leaked: true, heapCorrupt: false, outputs: [Uint8Array.from([0xaa, 0xbb])] });
    expect(() => decodeResult(p.subarray(0, 17))).toThrow(/truncated/);
    expect(() => decodeResult(p.subarray(0, 10))).toThrow(/too short/);
  });

  it('decodes a fault record with its CFSR causes', () => {
    const w = [6, 0x1234, 0x5679, 0x01000000, 0x20000100, 0xfffffff9, 1 << 16, 0, 0, 0];
    const p = new Uint8Array(40);
    w.forEach((v, i) => new DataView(p.buffer).setUint32(4 * i, v >>> 0, true));
    const f = decodeFault(p);
    expect(f.name).toBe('UsageFault');
    expect(f.pc).toBe(0x1234);
    expect(f.causes).toEqual(['UNDEFINSTR: undefined instruction']);
  });
});
