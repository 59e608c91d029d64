// wolfSSL's own example server (examples/server/server.c) as the DTLS 1.3
// peer: OpenSSL 3.0 has no DTLS 1.3. Built for the host from the same
// fetched wolfSSL 5.5.4 source as the device's client (CMake, out of tree
// into build/host/wolfssl; nothing is written into the source or the
// repository). Its PSK credentials are the example's own (wolfssl/test.h):
// identity "Client_identity" and, for (D)TLS 1.3, the 32-byte key
// 01 23 45 ... that the harness derives the same way.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUILD, CACHE } from '../core/paths.js';
import { cmakeTargetOnce, spawnPeer } from './peer-process.js';
import { freeUdpPort } from './relay.js';
import type { RunningServer } from './openssl-peer.js';

const VERSION = '5.5.4';
const SOURCE = join(CACHE, 'src', `wolfssl-${VERSION}`);
const OUT = join(BUILD, 'host', 'wolfssl');

/**
 * The host build's options. DTLS_CID only because 5.5.4's CMake compiles
 * src/dtls.c (which DTLS 1.3 needs) only with it; -Wno-error because
 * gcc 12 warns (stringop-overflow) in 5.5.4's tls.c.
 */
const CMAKE_OPTIONS = [
  '-DWOLFSSL_BUILD_OUT_OF_TREE=yes', '-DWOLFSSL_DTLS=yes', '-DWOLFSSL_TLS13=yes', '-DWOLFSSL_DTLS13=yes', '-DWOLFSSL_DTLS_CID=yes',
  '-DWOLFSSL_PSK=yes', '-DWOLFSSL_AESCCM=yes', '-DWOLFSSL_EXAMPLES=yes', '-DWOLFSSL_CRYPT_TESTS=no', '-DBUILD_SHARED_LIBS=no',
  '-DCMAKE_BUILD_TYPE=Release', '-DCMAKE_C_FLAGS=-Wno-error',
];

/** What the model and the device need to know about this peer (wolfssl/test.h). */
export const WOLFSSL_PEER = {
  pskIdentity: 'Client_identity',
  /** my_psk_server_tls13_cb's key: 32 bytes from 0x01 in steps of 0x22, wrapping to 0x01 at 0x100. */
  psk13Key(): Uint8Array {
    const k = new Uint8Array(32);
    for (let i = 0, b = 0x01; i < 32; i++, b += 0x22) {
      if (b >= 0x100) b = 0x01;
      k[i] = b;
    }
    return k;
  },
} as const;

/** The host build of examples/server, built on first use. */
export function wolfsslServerBinary(): string {
  if (!existsSync(join(SOURCE, 'CMakeLists.txt'))) throw new Error(`no wolfSSL source in ${SOURCE} (run setup/setup.sh)`);
  return cmakeTargetOnce({ name: 'wolfSSL', source: SOURCE, out: OUT, options: CMAKE_OPTIONS, target: 'server', binary: join('examples', 'server', 'server') });
}

export const wolfsslPeerName = () => `wolfSSL ${VERSION} examples/server -u -v 4 (host build from the same source)`;

export interface WolfsslServerOptions {
  /** wolfSSL suite name, e.g. TLS13-AES128-CCM-8-SHA256. */
  suite: string;
  /** The example's PSK (-s), psk_ke only (-K) or with (EC)DHE; or a certificate chain (PEM, leaf first) and its key (-c/-k), the client not asked for one (-d). */
  auth: { kind: 'psk'; pskOnly: boolean } | { kind: 'cert'; chainPem: string; keyPem: string };
  /** No HelloRetryRequest cookie exchange (-J n): the server keeps state from the first ClientHello. */
  noCookie?: boolean;
  host?: string;
}

/** Whether some socket is bound to this UDP port (IPv4, /proc/net/udp). */
function udpBound(port: number): boolean {
  const hex = `:${port.toString(16).toUpperCase().padStart(4, '0')} `;
  return readFileSync('/proc/net/udp', 'utf8').split('\n').some((l) => l.trim().split(/\s+/)[1]?.endsWith(hex.trim()));
}

/** Start the example server as a DTLS 1.3 server on a free loopback port. */
export async function startWolfsslServer(o: WolfsslServerOptions): Promise<RunningServer> {
  const bin = wolfsslServerBinary();
  const host = o.host ?? '127.0.0.1';
  const port = await freeUdpPort(host);
  // -u -v 4: DTLS 1.3; -i: connections in a loop.
  const auth = o.auth.kind === 'psk' ? ['-s', ...(o.auth.pskOnly ? ['-K'] : [])] : ['-c', o.auth.chainPem, '-k', o.auth.keyPem, '-d'];
  const args = ['-u', '-v', '4', ...auth, '-l', o.suite, '-p', String(port), '-i', ...(o.noCookie ? ['-J', 'n'] : [])];
  // The example resolves its default files from the wolfSSL root: run it there.
  const { child, output, stop } = spawnPeer(bin, args, SOURCE);
  // It prints nothing when ready (its -R ready file is TCP-only): wait until
  // the kernel lists its UDP socket, without touching the port ourselves.
  for (let i = 0; i < 200 && !udpBound(port); i++) {
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 25));
  }
  if (!udpBound(port)) {
    await stop();
    throw new Error(`wolfSSL examples/server did not come up (${args.join(' ')}): ${output().trim() || `exit ${child.exitCode}`}`);
  }
  return { host, port, args, output, stop };
}
