// `certcost soak`: many consecutive DTLS 1.2 handshakes on one booted board
// against one running peer, the heap and stack peak of each recorded, to see
// whether anything grows (a leak, a cache that fills, fragmentation) or
// fails after the first few. A benchmark, not a test: 200 handshakes take
// minutes. Each handshake is the measured one of the handshake scenarios
// (harness/ops/dtls: same inputs, same peer, capture checked against the
// byte model), so a model difference or a device answer that changes is a
// failure too.
import type { Board } from '../catalog/boards.js';
import { buildImage } from '../build/firmware.js';
import { boot } from '../device/qemu.js';
import { DeviceFailure, type Device, type OpOutcome } from '../device/device.js';
import { encodeDtlsClient } from '../dtls/device-client.js';
import { loadLinkProfiles } from '../links/profiles.js';
import { runPki } from '../pki/run-pki.js';
import type { StatedConfig } from '../dtls/device-handshake.js';
import { runHandshake } from '../ops/dtls/handshake.js';
import { LIBRARIES } from '../ops/dtls/libraries.js';
import { analyse12 } from '../ops/dtls/measure12.js';
import { openPeer } from '../ops/dtls/peers.js';
import { DATAGRAM_MTU } from '../ops/dtls/link.js';
import type { HandshakeVariant } from '../ops/dtls/variants.js';
import type { OpContext } from '../ops/spec.js';

export interface SoakHandshake {
  /** 1-based. */
  n: number;
  ok: boolean;
  instructions?: number;
  heapBytes?: number;
  stackBytes?: number;
  leaked?: boolean;
  wallMs: number;
  /** Why it failed, or what disagreed (model, device answers). */
  problem?: string;
}

export interface Trend {
  first: number;
  last: number;
  min: number;
  max: number;
  /** Median of the first and last tenth (at least 5 handshakes each). */
  firstMedian: number;
  lastMedian: number;
  /** Least-squares slope, bytes (or instructions) per handshake. */
  slope: number;
}

export interface SoakSummary {
  board: string;
  library: string;
  variant: string;
  peer: string;
  count: number;
  ok: number;
  failed: number;
  leaks: number;
  reboots: number;
  seconds: number;
  heap: Trend;
  stack: Trend;
  instructions: Trend;
  /** No failure, no leak, and neither peak grew from the first tenth to the last. */
  steady: boolean;
  verdict: string;
  handshakes: SoakHandshake[];
}

const median = (a: number[]) => {
  const s = [...a].sort((x, y) => x - y);
  return s.length ? (s[(s.length - 1) >> 1]! + s[s.length >> 1]!) / 2 : 0;
};

export function trend(values: number[]): Trend {
  if (!values.length) return { first: 0, last: 0, min: 0, max: 0, firstMedian: 0, lastMedian: 0, slope: 0 };
  const k = Math.max(5, Math.floor(values.length / 10));
  const n = values.length;
  const mx = (n - 1) / 2, my = values.reduce((a, b) => a + b, 0) / n;
  let num = 0, den = 0;
  values.forEach((y, x) => { num += (x - mx) * (y - my); den += (x - mx) ** 2; });
  return {
    first: values[0]!, last: values[n - 1]!, min: Math.min(...values), max: Math.max(...values),
    firstMedian: median(values.slice(0, k)), lastMedian: median(values.slice(-k)), slope: den ? num / den : 0,
  };
}

export interface SoakOptions {
  board: Board;
  library: string;
  variant: HandshakeVariant;
  count: number;
  seed: string;
  log?: (msg: string) => void;
}

export async function soak(o: SoakOptions): Promise<SoakSummary> {
  const t0 = Date.now();
  const lib = LIBRARIES[o.library];
  if (!lib) throw new Error(`${o.library} has no DTLS client here (harness/ops/dtls/libraries.ts)`);
  const image = buildImage({ board: o.board.id, library: o.library, opt: 'Os', cflags: ['-DCERTCOST_DTLS'] });
  let dev: Device = await boot({ board: o.board, elfPath: image.elfPath });
  let last: OpOutcome | undefined;
  const ctx: OpContext = {
    board: o.board, library: o.library, seed: o.seed, count: o.count, scope: {}, user: { peer: { kind: 'openssl' } },
    run: async (op, inputs, net) => {
      last = undefined;
      const out = await dev.op(op, inputs, { wallMs: 120_000 }, net);
      if (op === 'dtls-client') last = out;
      return out;
    },
    progress: () => {},
    cycles: () => undefined,
    needed: () => Promise.reject(new Error('soak: no dependencies')),
  };
  const v = o.variant;
  const pki = await runPki(ctx.scope, o.seed, v.depth);
  const peer = await openPeer(ctx, v, pki);
  const stated: StatedConfig = {
    // The peer's cookie length and packing are read off each capture, as for a scenario's handshakes.
    variant: v.model, kx: v.kx, clientPacking: lib.packing, datagramMtu: DATAGRAM_MTU,
    pskIdentityLength: peer.pskIdentityLength, serverCertificate: peer.serverCertificate, deviceCertificate: peer.deviceCertificate,
  };
  const inputs = encodeDtlsClient(peer.inputs);
  const analyse = analyse12(stated, loadLinkProfiles());
  const handshakes: SoakHandshake[] = [];
  let reboots = 0;
  try {
    for (let n = 1; n <= o.count; n++) {
      const h0 = Date.now();
      try {
        // A flight the peer resends after the device's last read is not a problem: runHandshake compares
        // the device's counters with the capture's first datagrams only (ops/dtls/handshake.ts).
        const run = await runHandshake(ctx, v, inputs, peer.server, peer.server.output, lib, analyse);
        handshakes.push({ n, ok: run.problems.length === 0, instructions: run.instructions, heapBytes: run.heap, stackBytes: run.stack, leaked: false, wallMs: Date.now() - h0, ...(run.problems.length ? { problem: run.problems.join('; ') } : {}) });
      } catch (e) {
        const r = last?.result;
        handshakes.push({ n, ok: false, heapBytes: r?.heapBytes, stackBytes: r?.stackBytes, leaked: r?.leaked, wallMs: Date.now() - h0, problem: (e as Error).message.split('\n')[0] });
        if (e instanceof DeviceFailure) {
          // The board faulted or hung: boot it again and go on (counted as a reboot).
          dev.kill();
          dev = await boot({ board: o.board, elfPath: image.elfPath });
          reboots++;
        }
      }
      if (n % 20 === 0 || n === o.count) {
        const h = handshakes.at(-1)!;
        o.log?.(`${n}/${o.count}: heap ${h.heapBytes ?? '?'} B, stack ${h.stackBytes ?? '?'} B, ${handshakes.filter((x) => !x.ok).length} failed so far`);
      }
    }
  } finally {
    await peer.server.stop();
    try {
      await dev.exit();
    } catch {
      dev.kill();
    }
  }
  const okRuns = handshakes.filter((h) => h.heapBytes !== undefined);
  const heap = trend(okRuns.map((h) => h.heapBytes!));
  const stack = trend(okRuns.map((h) => h.stackBytes!));
  const instructions = trend(handshakes.filter((h) => h.instructions !== undefined).map((h) => h.instructions!));
  const failed = handshakes.filter((h) => !h.ok).length;
  const leaks = handshakes.filter((h) => h.leaked).length;
  const grew = heap.lastMedian > heap.firstMedian || stack.lastMedian > stack.firstMedian;
  const steady = failed === 0 && leaks === 0 && !grew;
  const verdict = steady
    ? `${o.count} handshakes, no failure, no leak; heap peak ${heap.min === heap.max ? `${heap.min} B every time` : `${heap.min}-${heap.max} B`}, stack peak ${stack.min === stack.max ? `${stack.min} B every time` : `${stack.min}-${stack.max} B`}`
    : [failed ? `${failed} failed` : '', leaks ? `${leaks} leaked` : '', grew ? `peaks grew (heap ${heap.firstMedian} → ${heap.lastMedian} B, stack ${stack.firstMedian} → ${stack.lastMedian} B)` : ''].filter(Boolean).join('; ');
  return {
    board: o.board.id, library: o.library, variant: v.id, peer: peer.name, count: o.count, ok: handshakes.length - failed, failed, leaks, reboots,
    seconds: (Date.now() - t0) / 1000, heap, stack, instructions, steady, verdict, handshakes,
  };
}
