// One counted handshake of the device's DTLS client against a running peer:
// the device is reseeded and its clock set, its datagrams are relayed and
// captured, and the capture is analysed (byte model) and checked against
// what the variant expects and what the device itself counted.
import { CC_ERR_NOMEM, CC_ERR_UNSUPPORTED, statusName } from '../../contract/status.js';
import { V } from '../../contract/tls.js';
import { doesNotFit, unsupported } from '../../record/status.js';
import type { HandshakeAnalysis } from '../../dtls/analyse.js';
import { decodeDtlsClient, UdpNetPeer, type DtlsClientOutputs } from '../../dtls/device-client.js';
import type { Datagram } from '../../dtls/records.js';
import type { CountEvent } from '../../device/counts.js';
import type { OnAirCost } from '../../links/onair.js';
import type { Pki } from '../../pki/handshake-pki.js';
import type { HandshakeRecord } from '../../record/schema.js';
import { seedBytes } from '../../vectors/seed.js';
import type { OpContext } from '../spec.js';
import type { DtlsLibrary } from './libraries.js';
import type { HandshakeVariant } from './variants.js';
import { timedSync } from '../../core/timing.js';

/** The device's calendar clock during handshakes (set-time): fixed, so counts repeat; inside the test PKI's 2025-2035 validity. */
export const DEVICE_CLOCK = Date.UTC(2026, 0, 1) / 1000;
const i64le = (v: number) => {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigInt64(0, BigInt(v), true);
  return b;
};

export { unsupported } from '../../record/status.js';

/** What fillRecord needs of an analysed capture, DTLS 1.2 or 1.3. */
export interface Captured {
  totals: { c2s: { bytes: number; datagrams: number }; s2c: { bytes: number; datagrams: number }; retransmittedFlights: number };
  explanation: string[];
  modelCheck: 'equal' | 'differs';
  onAir: OnAirCost[];
  record(peer: string): HandshakeRecord;
}

export interface HandshakeRun {
  instructions: number;
  /** The counted bracket (with a per-address profile when the scenario asks for cycles). */
  count: CountEvent;
  stack: number;
  heap: number;
  outputs: DtlsClientOutputs;
  analysis: Captured;
  /** DTLS 1.2: the full model analysis (the what-ifs build on it). */
  full?: HandshakeAnalysis;
  unparsed: string[];
  /** The counted connection's datagrams in the order the device sent and read them. */
  captured: Datagram[];
  /** Everything that disagrees: model differences and the device's own answers. */
  problems: string[];
}

export interface VariantResult {
  runs: HandshakeRun[];
  median: HandshakeRun;
  pki: Pki;
  peer: string;
}


/** The median run by instructions, with every run: what a variant's measurement gives the record and the what-ifs. */
export function variantResult(runs: HandshakeRun[], pki: Pki, peer: string): VariantResult {
  const sorted = [...runs].sort((a, b) => a.instructions - b.instructions);
  return { runs, median: sorted[(sorted.length - 1) >> 1]!, pki, peer };
}

function expectations(v: HandshakeVariant, run: Omit<HandshakeRun, 'problems'>): string[] {
  const p: string[] = [];
  const o = run.outputs;
  if (o.suite !== v.suite) p.push(`negotiated suite 0x${o.suite.toString(16)}, expected 0x${v.suite.toString(16)}`);
  if (o.resumed !== !!v.resume) p.push(`the counted handshake was ${o.resumed ? '' : 'not '}abbreviated`);
  const verify = v.trust && !v.resume ? 0 : V.NOT_CHECKED;
  if (!v.resume && o.verify !== verify) p.push(`verify result 0x${o.verify.toString(16)}, expected 0x${verify.toString(16)}`);
  // The device counts what it sent and read until its snapshot at the end of the handshake. The
  // relay logs the same datagrams in the same order, and then whatever came later (a flight the
  // peer sent again after the device had finished): so the device's counters must equal the first
  // datagrams of the log, each way, not the whole capture.
  const dev = o.device;
  const first = (dir: 'c2s' | 's2c', n: number) => {
    const ds = run.captured.filter((d) => d.dir === dir);
    return { datagrams: Math.min(n, ds.length), bytes: ds.slice(0, n).reduce((a, d) => a + d.bytes.length, 0) };
  };
  const out = first('c2s', dev.datagramsOut), inn = first('s2c', dev.datagramsIn);
  if (out.datagrams !== dev.datagramsOut || inn.datagrams !== dev.datagramsIn || out.bytes !== dev.bytesOut || inn.bytes !== dev.bytesIn)
    p.push(`device counters (${dev.bytesOut} B/${dev.datagramsOut} dg out, ${dev.bytesIn} B/${dev.datagramsIn} dg in) disagree with the capture's first datagrams (${out.bytes}/${out.datagrams}, ${inn.bytes}/${inn.datagrams})`);
  p.push(...run.analysis.explanation.map((d) => `model: ${d}`));
  return p;
}

/** One handshake of the device against the peer at `endpoint`; `analyse` turns the counted connection's datagrams into a checked capture. */
export async function runHandshake(
  ctx: OpContext, v: HandshakeVariant, inputs: Uint8Array[], endpoint: { host: string; port: number }, peerLog: () => string, lib: DtlsLibrary,
  analyse: (datagrams: ReturnType<UdpNetPeer['connection']>) => { analysis: Captured; full?: HandshakeAnalysis; unparsed: string[] },
): Promise<HandshakeRun> {
  // Same device randomness for every handshake of a variant: what varies is the peer's.
  await ctx.run('seed-rng', [seedBytes(ctx.seed, 'dtls-rng', v.id).subarray(0, 16)]);
  // A calendar clock inside the PKI's validity, for libraries that check certificate dates.
  await ctx.run('set-time', [i64le(ctx.user.pki?.deviceClock ?? DEVICE_CLOCK)]);
  const net = await UdpNetPeer.open(endpoint);
  let out;
  try {
    out = await ctx.run('dtls-client', inputs, net);
  } finally {
    await net.close();
  }
  const r = out.result;
  if (r.status === CC_ERR_UNSUPPORTED) throw unsupported(`${ctx.library}'s dtls-client answered CC_ERR_UNSUPPORTED for ${v.id} (${lib.limits})`);
  if (r.status === CC_ERR_NOMEM) throw doesNotFit(`out of memory: ${ctx.library}'s DTLS client does not fit in ${ctx.board.id}'s ${ctx.board.heapBytes} B heap (peak ${r.heapBytes} B when it failed)`, { resource: 'heap', needed: r.heapBytes, available: ctx.board.heapBytes });
  if (r.leaked) throw new Error(`dtls-client leaked heap on the device (${ctx.library} adapter)`);
  if (r.status !== 0) throw new Error(`handshake failed on the device: ${statusName(r.status)}; peer: ${peerLog().trim().split('\n').slice(-3).join(' / ')}`);
  if (!r.balanced || !out.count || out.extraCounts) throw new Error(`dtls-client: measurement brackets unbalanced in the ${ctx.library} adapter`);
  const outputs = decodeDtlsClient(r.outputs);
  if (!outputs) throw new Error('dtls-client returned no outputs');
  const captured = net.connection(v.resume ? 1 : 0);
  const run = { instructions: out.count.instructions, count: out.count, stack: r.stackBytes, heap: r.heapBytes, outputs, captured, ...timedSync('reference', () => analyse(captured)) };
  return { ...run, problems: expectations(v, run) };
}
