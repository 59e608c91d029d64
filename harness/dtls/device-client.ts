// The firmware op `dtls-client` from the harness side (docs/ops.md): its
// eight inputs, its four outputs, and a NetPeer that relays the device's
// datagrams to a UDP peer and logs each one with its connection number.
import type { NetPeer } from '../device/device.js';
import { openPeerLink, type Endpoint, type PeerLink } from './relay.js';
import type { Datagram, Direction } from './records.js';


export interface DtlsClientInputs {
  flags: number;
  /** Offered suites, IANA ids, preference order. */
  suites: number[];
  /** Largest datagram the device emits; 0 = the library's default. */
  mtu: number;
  /** Initial and maximum retransmission timeout (ms). */
  timeoutMs: [number, number];
  psk?: { identity: Uint8Array; key: Uint8Array };
  /** Concatenated DER: CA certificates (VERIFY_CA) or the pinned server certificate (PINNED). */
  trust?: Uint8Array;
  /** Concatenated DER, leaf first, and the P-256 private scalar (CLIENT_CERT). */
  clientChain?: Uint8Array;
  clientKey?: Uint8Array;
  app?: Uint8Array;
}

export function encodeDtlsClient(c: DtlsClientInputs): Uint8Array[] {
  const cfg = new Uint8Array(12);
  const dv = new DataView(cfg.buffer);
  dv.setUint16(0, c.flags);
  dv.setUint16(2, c.mtu);
  dv.setUint32(4, c.timeoutMs[0]);
  dv.setUint32(8, c.timeoutMs[1]);
  const suites = new Uint8Array(c.suites.length * 2);
  c.suites.forEach((s, i) => new DataView(suites.buffer).setUint16(2 * i, s));
  const none = new Uint8Array(0);
  return [cfg, suites, c.psk?.identity ?? none, c.psk?.key ?? none, c.trust ?? none, c.clientChain ?? none, c.clientKey ?? none, c.app ?? none];
}

export interface DtlsClientOutputs {
  suite: number;
  verify: number;
  libraryVerify: number;
  resumed: boolean;
  timeouts: number;
  /** What the device itself counted for the counted handshake. */
  device: { datagramsOut: number; datagramsIn: number; bytesOut: number; bytesIn: number };
}

/** Outputs 0-3, or undefined when the op refused its inputs (no outputs). */
export function decodeDtlsClient(outputs: Uint8Array[]): DtlsClientOutputs | undefined {
  if (outputs.length !== 4) return undefined;
  const [s, v, lv, info] = outputs.map((o) => new DataView(o.buffer, o.byteOffset, o.length));
  if (s!.byteLength !== 2 || v!.byteLength !== 4 || lv!.byteLength !== 4 || info!.byteLength !== 14) throw new Error(`dtls-client outputs have sizes ${outputs.map((o) => o.length).join('/')}, expected 2/4/4/14`);
  return {
    suite: s!.getUint16(0),
    verify: v!.getUint32(0),
    libraryVerify: lv!.getUint32(0),
    resumed: info!.getUint8(0) === 1,
    timeouts: info!.getUint8(1),
    device: { datagramsOut: info!.getUint16(2), datagramsIn: info!.getUint16(4), bytesOut: info!.getUint32(6), bytesIn: info!.getUint32(10) },
  };
}

export interface LoggedDatagram {
  dir: Direction;
  conn: number;
  t: number;
  bytes: Uint8Array;
}

/** NetPeer towards a UDP server: every datagram either way is logged with the device's connection number. */
export class UdpNetPeer implements NetPeer {
  readonly log: LoggedDatagram[] = [];
  private queue: Uint8Array[] = [];
  private wake?: () => void;
  private link?: PeerLink;
  private readonly t0 = performance.now();

  static async open(target: Endpoint): Promise<UdpNetPeer> {
    const peer = new UdpNetPeer();
    peer.link = await openPeerLink(target, (b) => {
      peer.queue.push(b);
      peer.wake?.();
    });
    return peer;
  }

  send(d: Uint8Array, conn: number): void {
    this.log.push({ dir: 'c2s', conn, t: performance.now() - this.t0, bytes: Uint8Array.from(d) });
    void this.link!.send(d).catch(() => {}); // a lost datagram shows as a retransmission, not a crash
  }

  async recv(timeoutMs: number, conn: number): Promise<Uint8Array | null> {
    if (!this.queue.length) {
      await new Promise<void>((res) => {
        const t = setTimeout(res, timeoutMs);
        this.wake = () => {
          clearTimeout(t);
          res();
        };
      });
      this.wake = undefined;
    }
    const d = this.queue.shift() ?? null;
    if (d) this.log.push({ dir: 's2c', conn, t: performance.now() - this.t0, bytes: d });
    return d;
  }

  close(): Promise<void> {
    return this.link?.close() ?? Promise.resolve();
  }

  /** One connection's datagrams, in the order the device sent and received them. */
  connection(conn: number): Datagram[] {
    return this.log.filter((d) => d.conn === conn).map((d) => ({ dir: d.dir, t: d.t, bytes: d.bytes }));
  }
}
