// One EDHOC variant measured: the responder (lakers built for the host)
// starts on a free loopback port, then the device runs the firmware op
// edhoc-initiator `count` times, its datagrams relayed to the responder and
// captured (harness/dtls/device-client.ts UdpNetPeer: the same relay as the
// DTLS handshakes). Each capture is decrypted and recomputed by the
// reference (harness/edhoc/reference.ts, from the responder's ephemeral key
// and the static keys the harness generated), compared item by item with the
// byte model (harness/edhoc/model.ts), and PRK_out and the OSCORE secret and
// salt must be the same on the device, in the responder and in the reference.
import { CC_ERR_UNSUPPORTED, statusName } from '../../contract/status.js';
import { EDHOC_FLAG, EDHOC_LEN } from '../../contract/edhoc.js';
import { UdpNetPeer } from '../../dtls/device-client.js';
import { spawnPeer } from '../../dtls/peer-process.js';
import type { CountEvent } from '../../device/counts.js';
import { equalBytes, hex } from '../../edhoc/cbor.js';
import { ccsCredential, idCredEncoded, type EdhocCredential } from '../../edhoc/credentials.js';
import { compareEdhoc, measuredParts, modelMessages, type EdhocMessageName, type MeasuredPart, type ModelMessage } from '../../edhoc/model.js';
import { macProblems, recompute } from '../../edhoc/reference.js';
import { listeningPort, RESPONDER_NAME, responderArgs, responderBinary, responderSessions, type ResponderSession } from '../../edhoc/responder.js';
import { p256Key } from '../../vectors/p256.js';
import { seedBytes } from '../../vectors/seed.js';
import type { OpContext } from '../spec.js';
import type { EdhocVariant } from './variants.js';
import { timed } from '../../core/timing.js';

/** RFC 9529's method-3 trace identifiers: C_I = -24, C_R = -8 (one CBOR byte each), kids h'2b' (I) and h'32' (R). */
export const EDHOC_IDS = { cI: 0x37, cR: 0x27, kidI: 0x2b, kidR: 0x32, subjectI: '42-50-31-FF-EF-37-32-39', subjectR: 'example.edu' } as const;
/** Initial and maximum wait for message_2 (ms of the device's virtual clock), as the DTLS handshakes' timers. */
const TIMEOUTS: [number, number] = [4000, 32000];

export const unsupported = (msg: string) => Object.assign(new Error(msg), { unsupported: true });

export interface EdhocRun {
  instructions: number;
  count: CountEvent;
  stack: number;
  heap: number;
  /** The captured datagrams, in order. */
  datagrams: { dir: 'c2s' | 's2c'; bytes: Uint8Array }[];
  /** message_1/2/3 cut into items (after decryption). */
  parts: Record<EdhocMessageName, MeasuredPart[]>;
  sizes: Record<EdhocMessageName, number>;
  retransmitted: number;
  timeouts: number;
  differences: string[];
  /** Everything that disagrees (model differences included). */
  problems: string[];
}

export interface EdhocResult {
  runs: EdhocRun[];
  median: EdhocRun;
  model: ModelMessage[];
  credentials: { initiator: EdhocCredential; responder: EdhocCredential };
  peer: string;
}

export function edhocCredentials(seed: string): { initiator: EdhocCredential; responder: EdhocCredential } {
  return {
    initiator: ccsCredential(p256Key(seed, 'edhoc-initiator'), EDHOC_IDS.subjectI, Uint8Array.of(EDHOC_IDS.kidI)),
    responder: ccsCredential(p256Key(seed, 'edhoc-responder'), EDHOC_IDS.subjectR, Uint8Array.of(EDHOC_IDS.kidR)),
  };
}

export function deviceInputs(v: EdhocVariant, cred: { initiator: EdhocCredential; responder: EdhocCredential }): Uint8Array[] {
  const cfg = new Uint8Array(EDHOC_LEN.CONFIG_LEN);
  const dv = new DataView(cfg.buffer);
  cfg[0] = v.idCred === 'kccs' ? EDHOC_FLAG.BY_VALUE : 0;
  cfg[1] = EDHOC_IDS.cI;
  dv.setUint32(4, TIMEOUTS[0]);
  dv.setUint32(8, TIMEOUTS[1]);
  return [cfg, cred.initiator.priv, cred.initiator.ccs, cred.responder.ccs];
}

interface DeviceOutputs {
  prkOut: Uint8Array;
  oscore: Uint8Array;
  cR: number;
  timeouts: number;
  device: { datagramsOut: number; datagramsIn: number; bytesOut: number; bytesIn: number };
  lengths: [number, number, number];
}

function decodeOutputs(o: Uint8Array[]): DeviceOutputs {
  if (o.length !== 4 || o[2]!.length !== EDHOC_LEN.INFO_LEN || o[3]!.length !== EDHOC_LEN.LENS_LEN) throw new Error(`edhoc-initiator outputs have sizes ${o.map((x) => x.length).join('/')}`);
  const info = new DataView(o[2]!.buffer, o[2]!.byteOffset, o[2]!.length);
  const lens = new DataView(o[3]!.buffer, o[3]!.byteOffset, o[3]!.length);
  return {
    prkOut: o[0]!, oscore: o[1]!, cR: info.getUint8(0), timeouts: info.getUint8(1),
    device: { datagramsOut: info.getUint16(2), datagramsIn: info.getUint16(4), bytesOut: info.getUint32(6), bytesIn: info.getUint32(10) },
    lengths: [lens.getUint16(0), lens.getUint16(2), lens.getUint16(4)],
  };
}

async function waitFor<T>(what: string, get: () => T | undefined, ms: number): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = get();
    if (v !== undefined) return v;
    if (Date.now() - t0 > ms) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export async function measureEdhoc(ctx: OpContext, v: EdhocVariant, count: number): Promise<EdhocResult> {
  if (v.unsupported) throw unsupported(v.unsupported);
  const credentials = edhocCredentials(ctx.seed);
  const { initiator, responder } = credentials;
  const form = v.idCred === 'kccs' ? 'kccs' : 'kid';
  const model = modelMessages({
    suitesI: [2], cI: Uint8Array.of(EDHOC_IDS.cI), cR: Uint8Array.of(EDHOC_IDS.cR),
    idCredI: idCredEncoded(initiator, form), idCredR: idCredEncoded(responder, form),
  });
  const host = '127.0.0.1';
  const bin = responderBinary();
  const peer = spawnPeer(bin, responderArgs({
    host, r: responder.priv, credR: responder.ccs, credI: initiator.ccs, cR: EDHOC_IDS.cR, byValue: v.idCred === 'kccs',
    seed: seedBytes(ctx.seed, 'edhoc-responder-ephemeral', v.id),
  }));
  const runs: EdhocRun[] = [];
  try {
    const port = await timed('peer', () => waitFor('the EDHOC responder to listen', () => {
      if (peer.child.exitCode !== null) throw new Error(`EDHOC responder exited with ${peer.child.exitCode}: ${peer.output().trim().slice(-400)}`);
      return listeningPort(peer.output());
    }, 5000));
    const inputs = deviceInputs(v, credentials);
    for (let i = 0; i < count; i++) {
      ctx.progress(`${ctx.board.id}/${ctx.library}/${v.id}: exchange ${i + 1}/${count}`);
      // Same device randomness for every exchange of a variant; the responder draws a fresh ephemeral key per session.
      await ctx.run('seed-rng', [seedBytes(ctx.seed, 'edhoc-rng', v.id).subarray(0, 16)]);
      const net = await UdpNetPeer.open({ host, port });
      let out;
      try {
        out = await ctx.run('edhoc-initiator', inputs, net);
      } finally {
        await net.close();
      }
      const r = out.result;
      if (r.status === CC_ERR_UNSUPPORTED) throw unsupported(`${ctx.library}'s image has no edhoc-initiator`);
      if (r.status !== 0) throw new Error(`EDHOC failed on the device: ${statusName(r.status)} (lakers shim codes: firmware/adapters/lakers/lakers_shim.h); responder: ${peer.output().trim().split('\n').slice(-2).join(' / ')}`);
      if (!r.balanced || !out.count || out.extraCounts) throw new Error('edhoc-initiator: measurement brackets unbalanced in the lakers adapter');
      const session = await waitFor<ResponderSession>(`the responder's session ${i}`, () => responderSessions(peer.output()).find((s) => s.session === i), 5000);
      runs.push(analyse(decodeOutputs(r.outputs), session, net.connection(0).map((d) => ({ dir: d.dir, bytes: d.bytes })), model, credentials, {
        instructions: out.count.instructions, count: out.count, stack: r.stackBytes, heap: r.heapBytes,
      }));
    }
  } finally {
    await timed('peer', () => peer.stop());
  }
  const sorted = [...runs].sort((a, b) => a.instructions - b.instructions);
  return { runs, median: sorted[(sorted.length - 1) >> 1]!, model, credentials, peer: RESPONDER_NAME };
}

function analyse(
  dev: DeviceOutputs, session: ResponderSession, datagrams: EdhocRun['datagrams'], model: ModelMessage[],
  cred: { initiator: EdhocCredential; responder: EdhocCredential }, cost: Pick<EdhocRun, 'instructions' | 'count' | 'stack' | 'heap'>,
): EdhocRun {
  const problems: string[] = [];
  if ('error' in session) throw new Error(`the EDHOC responder failed: ${session.error}`);
  const c2s = datagrams.filter((d) => d.dir === 'c2s'), s2c = datagrams.filter((d) => d.dir === 's2c');
  if (c2s.length < 2 || s2c.length < 1) throw new Error(`capture has ${c2s.length} datagrams to the responder and ${s2c.length} back, expected message_1, message_2, message_3`);
  // Retransmissions: the device sends message_1 again when message_2 is late, the responder answers again.
  const messages = { message1: c2s[0]!.bytes, message2: s2c[0]!.bytes, message3: c2s.at(-1)!.bytes };
  const retransmitted = c2s.length - 2 + (s2c.length - 1);
  const sizes: Record<EdhocMessageName, number> = { message_1: messages.message1.length, message_2: messages.message2.length, message_3: messages.message3.length };
  const ref = recompute(messages, { credI: cred.initiator, credR: cred.responder }, { role: 'responder', y: session.y, r: cred.responder.priv });
  const parts = measuredParts(ref);
  const differences = compareEdhoc(model, parts, sizes);
  problems.push(...differences.map((d) => `model: ${d}`), ...macProblems(ref));
  const same = (what: string, a: Uint8Array, b: Uint8Array, c: Uint8Array) => {
    if (!equalBytes(a, c) || !equalBytes(b, c)) problems.push(`${what}: device ${hex(a)}, responder ${hex(b)}, reference ${hex(c)}`);
  };
  same('PRK_out', dev.prkOut, session.prkOut, ref.prkOut);
  same('OSCORE Master Secret', dev.oscore.subarray(0, 16), session.oscoreSecret, ref.oscoreSecret);
  same('OSCORE Master Salt', dev.oscore.subarray(16, 24), session.oscoreSalt, ref.oscoreSalt);
  if (!equalBytes(session.cI, ref.cI)) problems.push(`the responder read C_I ${hex(session.cI)}, message_1 carries ${hex(ref.cI)}`);
  if (ref.cR.length !== 1 || dev.cR !== ref.cR[0]) problems.push(`the device read C_R 0x${dev.cR.toString(16)}, PLAINTEXT_2 carries ${hex(ref.cR)}`);
  const sum = (ds: { bytes: Uint8Array }[]) => ds.reduce((a, d) => a + d.bytes.length, 0);
  const d = dev.device;
  if (d.datagramsOut !== c2s.length || d.datagramsIn !== s2c.length || d.bytesOut !== sum(c2s) || d.bytesIn !== sum(s2c))
    problems.push(`device counters (${d.bytesOut} B/${d.datagramsOut} dg out, ${d.bytesIn} B/${d.datagramsIn} dg in) disagree with the capture (${sum(c2s)}/${c2s.length}, ${sum(s2c)}/${s2c.length})`);
  if (dev.lengths.join('/') !== [sizes.message_1, sizes.message_2, sizes.message_3].join('/')) problems.push(`device message lengths ${dev.lengths.join('/')}, captured ${sizes.message_1}/${sizes.message_2}/${sizes.message_3}`);
  return { ...cost, datagrams, parts, sizes, retransmitted, timeouts: dev.timeouts, differences, problems };
}
