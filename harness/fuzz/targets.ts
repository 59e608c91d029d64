// What the fuzzer can aim at: a firmware op that parses one untrusted
// input, and valid seed inputs for it made by the harness.
import { chainFor } from '../ops/x509.js';
import { buildCrl } from '../pki/crl.js';
import { days } from '../pki/chain.js';
import { TRUE_NOW } from '../x509/clock.js';
import { setTime, verifyChainInputs } from '../x509/device.js';
import type { Device, NetPeer } from '../device/device.js';
import { encodeDtlsClient, UdpNetPeer } from '../dtls/device-client.js';
import { DTLS_FLAG, X509_FLAG } from '../contract/tls.js';
import { peerPreset, startOpensslServer } from '../dtls/openssl-peer.js';

export interface FuzzTarget {
  id: string;
  firmwareOp: string;
  summary: string;
  cflags?: string[];
  seeds(seed: string): Uint8Array[];
  /** The op's inputs around one (mutated) input. */
  inputs(bytes: Uint8Array): Uint8Array[];
  /** Targets whose untrusted input arrives from the network: a real peer's
   *  datagrams are recorded once; each mutant then replays them to the
   *  device with one datagram mutated (seeds = the recorded datagrams). */
  network?: {
    /** The op's inputs (configuration, keys): the same for every run. */
    inputs(): Uint8Array[];
    record(dev: Device, seed: string): Promise<{ inputs: Uint8Array[]; datagrams: Uint8Array[] }>;
  };
  /** The device clock (Unix seconds) the target runs at, set once per boot; unset: no clock (0). */
  clock?: number;
  /** Once per boot, before any input (e.g. set the device clock). */
  prepare?(dev: Device): Promise<void>;
}

/** The RNG seed a campaign seeds the device with before each network run (the core op seed-rng). */
export const rngSeedOf = (seed: string) => new TextEncoder().encode(seed).subarray(0, 16);

/** A network target's input as one byte string (the host fuzzer's format, fuzz/host/runner.c):
 *  the server's datagrams in order, each { u16 BE length, bytes }. */
export function encodeDatagrams(list: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(list.reduce((n, d) => n + 2 + Math.min(d.length, 0xffff), 0));
  let o = 0;
  for (const d of list) {
    const n = Math.min(d.length, 0xffff);
    out[o++] = n >> 8;
    out[o++] = n & 0xff;
    out.set(d.subarray(0, n), o);
    o += n;
  }
  return out;
}

/** The inverse of encodeDatagrams, as the host runner reads it (a short last datagram takes what is left; at most 64). */
export function decodeDatagrams(bytes: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  let o = 0;
  while (o < bytes.length && out.length < 64) {
    if (o + 2 > bytes.length) break;
    const n = Math.min((bytes[o]! << 8) | bytes[o + 1]!, bytes.length - o - 2);
    o += 2;
    out.push(bytes.subarray(o, o + n));
    o += n;
  }
  return out;
}

/** The chain whose revocation a fuzzed CRL is checked for. */
const crlChain = (seed: string) => chainFor(seed, 1, 'p256');

/** Answers the device with recorded server datagrams, in order. The device's
 *  RNG is reseeded identically before every run, so its own messages repeat
 *  and the recorded answers stay valid up to the mutated one. */
export class ReplayPeer implements NetPeer {
  private next = 0;
  constructor(private readonly datagrams: Uint8Array[]) {}
  send(): void {}
  async recv(): Promise<Uint8Array | null> {
    return this.datagrams[this.next++] ?? null;
  }
}

const PSK = { identity: 'fuzz-device', key: Uint8Array.from({ length: 16 }, (_, i) => 0x40 + i) };
const dtlsInputs = () => encodeDtlsClient({ flags: DTLS_FLAG.PSK, suites: [0xc0a8], mtu: 1372, timeoutMs: [1000, 4000], psk: { identity: new TextEncoder().encode(PSK.identity), key: PSK.key } });

export const TARGETS: FuzzTarget[] = [
  {
    id: 'x509',
    firmwareOp: 'x509-parse',
    summary: 'X.509 certificate DER parser (P-256 and RSA-2048 leaves, intermediates and roots as seeds)',
    cflags: ['-DCERTCOST_X509'],
    seeds(seed) {
      const p = chainFor(seed, 2, 'p256');
      const r = chainFor(seed, 2, 'rsa2048');
      return [p.leaf.der, p.intermediates[0]!.der, p.root.der, r.leaf.der, r.root.der];
    },
    inputs: (b) => [b],
  },
  {
    id: 'crl',
    firmwareOp: 'x509-verify-chain',
    summary: 'CRL DER parser and lookup (CRLs of 0, 3 and 20 entries for a depth-1 P-256 chain, checked at a clock inside their validity)',
    cflags: ['-DCERTCOST_X509'],
    seeds() {
      const c = crlChain('fuzz-crl');
      return [0, 3, 20].map((others) => buildCrl({ seed: 'fuzz-crl', issuer: c.root, others, revoke: others === 3 ? [c.leaf.serial] : [], thisUpdate: days(TRUE_NOW, -1), nextUpdate: days(TRUE_NOW, 6) }).der);
    },
    inputs(b) {
      const c = crlChain('fuzz-crl');
      return verifyChainInputs({ flags: X509_FLAG.CRL, trust: [c.root.der], chain: [c.leaf.der], crl: b });
    },
    clock: Math.floor(TRUE_NOW.getTime() / 1000),
    async prepare(dev) {
      await setTime((op, inputs) => dev.op(op, inputs, 30_000), Math.floor(TRUE_NOW.getTime() / 1000));
    },
  },
  {
    id: 'dtls',
    firmwareOp: 'dtls-client',
    summary: 'DTLS 1.2 client record and handshake parsing (server flights of a PSK-CCM8 handshake with OpenSSL, replayed with one datagram mutated)',
    cflags: ['-DCERTCOST_DTLS'],
    seeds: () => [],
    inputs: () => [],
    network: {
      inputs: dtlsInputs,
      async record(dev, seed) {
        const inputs = dtlsInputs();
        const server = await startOpensslServer(peerPreset('psk-ccm8', { psk: { keyHex: Buffer.from(PSK.key).toString('hex'), identity: PSK.identity }, mtu: 1400 }));
        try {
          const peer = await UdpNetPeer.open(server);
          try {
            await dev.op('seed-rng', [rngSeedOf(seed)], 30_000);
            const out = await dev.op('dtls-client', inputs, 30_000, peer);
            if (out.result.status !== 0) throw new Error(`recording handshake failed: status ${out.result.status}`);
            return { inputs, datagrams: peer.connection(0).filter((d) => d.dir === 's2c').map((d) => d.bytes) };
          } finally {
            await peer.close();
          }
        } finally {
          server.stop();
        }
      },
    },
  },
];
export const TARGET_IDS = TARGETS.map((t) => t.id);
