// UDP plumbing that records every datagram with its direction and time.
// - openPeerLink: one connected socket towards the DTLS server; the device
//   side sends what the firmware emitted and gets the server's answers.
// - startRelay: a man-in-the-middle on loopback for two host programs
//   (OpenSSL client <-> relay <-> server); one upstream socket per client.
import { createSocket, type Socket } from 'node:dgram';
import type { Datagram, Direction } from './records.js';

export class Capture {
  readonly datagrams: Datagram[] = [];
  private t0 = performance.now();

  record(dir: Direction, bytes: Uint8Array): void {
    this.datagrams.push({ dir, t: performance.now() - this.t0, bytes: Uint8Array.from(bytes) });
  }

  /** Hand over what was recorded so far and start a fresh capture (e.g. between two handshakes). */
  take(): Datagram[] {
    const out = this.datagrams.splice(0);
    this.t0 = performance.now();
    return out;
  }
}

export interface Endpoint {
  host: string;
  port: number;
}

function bind(sock: Socket, host: string, port = 0): Promise<void> {
  return new Promise((resolve, reject) => {
    sock.once('error', reject);
    sock.bind(port, host, () => {
      sock.off('error', reject);
      resolve();
    });
  });
}

function close(sock: Socket): Promise<void> {
  return new Promise((resolve) => {
    try {
      sock.close(() => resolve());
    } catch {
      resolve(); // already closed
    }
  });
}

export interface PeerLink {
  /** Local port the server sees as the client. */
  port: number;
  send(bytes: Uint8Array): Promise<void>;
  close(): Promise<void>;
  capture: Capture;
}

/** A client-side socket towards `target`; datagrams are recorded c2s on send and s2c on receipt. */
export async function openPeerLink(target: Endpoint, onReceive: (bytes: Uint8Array) => void, capture = new Capture()): Promise<PeerLink> {
  const sock = createSocket(target.host.includes(':') ? 'udp6' : 'udp4');
  // A peer on loopback is talked to from loopback; any other (a private network, an external server) from the address the route picks.
  const loopback = /^(127\.|::1$|localhost$)/.test(target.host);
  await bind(sock, loopback ? (target.host.includes(':') ? '::1' : '127.0.0.1') : target.host.includes(':') ? '::' : '0.0.0.0');
  await new Promise<void>((resolve, reject) => {
    sock.once('error', reject);
    sock.connect(target.port, target.host, () => {
      sock.off('error', reject);
      resolve();
    });
  });
  let open = true;
  sock.on('message', (msg) => {
    if (!open) return;
    capture.record('s2c', msg);
    onReceive(new Uint8Array(msg));
  });
  sock.on('error', () => {}); // ICMP port unreachable while the server restarts is not fatal
  return {
    port: sock.address().port,
    capture,
    send: (bytes) =>
      new Promise((resolve, reject) => {
        capture.record('c2s', bytes);
        sock.send(bytes, (err) => (err ? reject(err) : resolve()));
      }),
    close: () => {
      open = false;
      return close(sock);
    },
  };
}

export interface Relay {
  /** Point the client here. */
  port: number;
  host: string;
  capture: Capture;
  close(): Promise<void>;
}

export async function startRelay(opts: { target: Endpoint; host?: string; capture?: Capture }): Promise<Relay> {
  const host = opts.host ?? '127.0.0.1';
  const capture = opts.capture ?? new Capture();
  const front = createSocket(host.includes(':') ? 'udp6' : 'udp4');
  await bind(front, host);
  const upstream = new Map<string, Promise<PeerLink>>();
  front.on('error', () => {});
  front.on('message', (msg, rinfo) => {
    const key = `${rinfo.address}:${rinfo.port}`;
    let link = upstream.get(key);
    if (!link) {
      // Replies go back to whoever opened this upstream, from the front socket.
      link = openPeerLink(
        opts.target,
        (bytes) => {
          try {
            front.send(bytes, rinfo.port, rinfo.address);
          } catch {
            // front already closed: the run is over, nothing to relay to
          }
        },
        capture,
      );
      upstream.set(key, link);
    }
    void link.then((l) => l.send(new Uint8Array(msg))).catch(() => {});
  });
  return {
    port: front.address().port,
    host,
    capture,
    close: async () => {
      for (const l of upstream.values()) await (await l).close();
      await close(front);
    },
  };
}

/** A UDP port that was free a moment ago (for programs that want a port number, not a socket). */
export async function freeUdpPort(host = '127.0.0.1'): Promise<number> {
  const s = createSocket(host.includes(':') ? 'udp6' : 'udp4');
  await bind(s, host);
  const port = s.address().port;
  await close(s);
  return port;
}
