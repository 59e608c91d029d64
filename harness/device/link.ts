// Host side of the framed link (docs/link-protocol.md):
//   C3 3C | type u8 | seq u8 | len u16 LE | payload | crc32 LE (over type..payload)
// FrameDecoder is a byte-stream parser: it resynchronises on the sync bytes
// after garbage and reports (rather than hides) frames whose CRC is wrong.
import { crc32 } from 'node:zlib';

export const SYNC = [0xc3, 0x3c] as const;

export interface Frame {
  type: number;
  seq: number;
  payload: Uint8Array;
}

export function encodeFrame(type: number, seq: number, payload: Uint8Array): Uint8Array {
  if (payload.length > 0xffff) throw new Error(`frame payload too long: ${payload.length}`);
  const out = new Uint8Array(6 + payload.length + 4);
  out.set([SYNC[0], SYNC[1], type, seq & 0xff, payload.length & 0xff, payload.length >> 8]);
  out.set(payload, 6);
  const crc = crc32(out.subarray(2, 6 + payload.length));
  new DataView(out.buffer).setUint32(6 + payload.length, crc >>> 0, true);
  return out;
}

export type DecodeEvent = { kind: 'frame'; frame: Frame } | { kind: 'corrupt'; type: number; seq: number; reason: string } | { kind: 'garbage'; bytes: number };

export class FrameDecoder {
  private buf = new Uint8Array(0);
  constructor(private readonly maxPayload = 0xffff) {}

  push(chunk: Uint8Array): DecodeEvent[] {
    const joined = new Uint8Array(this.buf.length + chunk.length);
    joined.set(this.buf);
    joined.set(chunk, this.buf.length);
    this.buf = joined;
    const events: DecodeEvent[] = [];
    let i = 0;
    let garbage = 0;
    while (i < this.buf.length) {
      if (this.buf[i] !== SYNC[0] || (i + 1 < this.buf.length && this.buf[i + 1] !== SYNC[1])) {
        i++;
        garbage++;
        continue;
      }
      if (this.buf.length - i < 6) break;
      const type = this.buf[i + 2]!;
      const seq = this.buf[i + 3]!;
      const len = this.buf[i + 4]! | (this.buf[i + 5]! << 8);
      if (len > this.maxPayload) {
        events.push({ kind: 'corrupt', type, seq, reason: `length ${len} exceeds ${this.maxPayload}` });
        i += 2;
        continue;
      }
      if (this.buf.length - i < 10 + len) break;
      const body = this.buf.subarray(i + 2, i + 6 + len);
      const want = new DataView(this.buf.buffer, this.buf.byteOffset + i + 6 + len, 4).getUint32(0, true);
      if ((crc32(body) >>> 0) !== want) {
        events.push({ kind: 'corrupt', type, seq, reason: 'bad CRC' });
        i += 2; // resynchronise inside the bad frame rather than trusting its length
        continue;
      }
      if (garbage) events.push({ kind: 'garbage', bytes: garbage });
      garbage = 0;
      events.push({ kind: 'frame', frame: { type, seq, payload: this.buf.slice(i + 6, i + 6 + len) } });
      i += 10 + len;
    }
    if (garbage) events.push({ kind: 'garbage', bytes: garbage });
    this.buf = this.buf.slice(i);
    return events;
  }
}

// ---- payload codecs ----

/** OP: u8 name_len, name, u8 nargs, { u16 len, bytes }* */
export function encodeOp(name: string, args: Uint8Array[]): Uint8Array {
  const nameBytes = new TextEncoder().encode(name);
  if (nameBytes.length > 255) throw new Error('op name too long');
  if (args.length > 8) throw new Error('at most 8 op inputs');
  const parts: number[] = [nameBytes.length, ...nameBytes, args.length];
  for (const a of args) {
    if (a.length > 0xffff) throw new Error('op input too long');
    parts.push(a.length & 0xff, a.length >> 8, ...a);
  }
  return Uint8Array.from(parts);
}

export interface OpResult {
  status: number; // CC_OK, CC_VERDICT_REJECT, or an error code (negative)
  stackBytes: number;
  heapBytes: number;
  balanced: boolean; // measure brackets called exactly once each
  leaked: boolean; // heap in use after the op differs from before
  heapCorrupt: boolean; // a heap canary was overwritten (fuzzing builds only)
  outputs: Uint8Array[];
}

export function decodeResult(p: Uint8Array): OpResult {
  if (p.length < 14) throw new Error(`RESULT payload too short (${p.length} bytes)`);
  const dv = new DataView(p.buffer, p.byteOffset, p.length);
  const outputs: Uint8Array[] = [];
  let off = 14;
  for (let i = 0; i < p[13]!; i++) {
    if (off + 2 > p.length) throw new Error('RESULT output truncated');
    const n = dv.getUint16(off, true);
    off += 2;
    if (off + n > p.length) throw new Error('RESULT output truncated');
    outputs.push(p.slice(off, off + n));
    off += n;
  }
  return {
    status: dv.getInt32(0, true),
    stackBytes: dv.getUint32(4, true),
    heapBytes: dv.getUint32(8, true),
    balanced: (p[12]! & 1) !== 0,
    leaked: (p[12]! & 2) !== 0,
    heapCorrupt: (p[12]! & 4) !== 0,
    outputs,
  };
}

export interface FaultRecord {
  exception: number;
  name: string;
  pc: number;
  lr: number;
  xpsr: number;
  sp: number;
  cfsr: number;
  hfsr: number;
  mmfar: number;
  bfar: number;
  causes: string[];
}

const EXCEPTIONS: Record<number, string> = { 2: 'NMI', 3: 'HardFault', 4: 'MemManage', 5: 'BusFault', 6: 'UsageFault', 7: 'SecureFault' };
const CFSR_BITS: [number, string][] = [
  [0, 'IACCVIOL: instruction access violation'], [1, 'DACCVIOL: data access violation'], [3, 'MUNSTKERR'], [4, 'MSTKERR: stacking overflowed'],
  [8, 'IBUSERR: instruction bus error'], [9, 'PRECISERR: precise data bus error'], [10, 'IMPRECISERR: imprecise data bus error'], [11, 'UNSTKERR'], [12, 'STKERR: stacking bus error'],
  [16, 'UNDEFINSTR: undefined instruction'], [17, 'INVSTATE: invalid state'], [18, 'INVPC'], [19, 'NOCP: no coprocessor'], [20, 'STKOF: stack overflow (v8-M)'], [24, 'UNALIGNED: unaligned access'], [25, 'DIVBYZERO: divide by zero'],
];

export function decodeFault(p: Uint8Array): FaultRecord {
  const dv = new DataView(p.buffer, p.byteOffset, p.length);
  const w = (i: number) => (p.length >= 4 * (i + 1) ? dv.getUint32(4 * i, true) : 0);
  const exception = w(0);
  const cfsr = w(6);
  const hfsr = w(7);
  const causes = CFSR_BITS.filter(([b]) => cfsr & (1 << b)).map(([, s]) => s);
  if (hfsr & (1 << 30)) causes.push('FORCED: escalated to HardFault');
  if (hfsr & (1 << 1)) causes.push('VECTTBL: vector table read fault');
  return { exception, name: EXCEPTIONS[exception] ?? `exception ${exception}`, pc: w(1), lr: w(2), xpsr: w(3), sp: w(4), cfsr, hfsr, mmfar: w(8), bfar: w(9), causes };
}

export function parseHello(p: Uint8Array): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of new TextDecoder().decode(p).split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) out[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return out;
}
