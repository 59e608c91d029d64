// tinydtls' own example server (tests/dtls-server.c) as a DTLS 1.2 peer,
// built for the host from the same fetched source as the device's tinydtls
// (CMake, into build/host/tinydtls; nothing is copied into the tree). It is
// the peer for raw public keys (RFC 7250), which OpenSSL 3.0 cannot serve.
// Its credentials are the example's own: PSK identity "Client_identity"
// with key "secretPSK", and a fixed P-256 key pair, which the harness reads
// from the example's source so the device can pin it.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUILD, CACHE } from '../core/paths.js';
import { cmakeTargetOnce, spawnPeer } from './peer-process.js';
import { freeUdpPort } from './relay.js';
import type { Packing } from './model.js';
import type { RunningServer } from './openssl-peer.js';

/** What the model needs to know about tinydtls' server (dtls.h, global.h). */
export const TINYDTLS_DTLS = {
  /** DTLS_COOKIE_LENGTH */
  cookieLength: 16,
  /** One record per datagram, never fragmented; DTLS_MAX_BUF is 1400 on POSIX. */
  packing: { mtu: 1400, mode: 'datagram-per-record' } as Packing,
  psk: { identity: 'Client_identity', key: 'secretPSK' },
} as const;

function sourceDir(): string {
  const crates = join(CACHE, 'src', 'crates');
  const dir = existsSync(crates) ? readdirSync(crates).find((d) => d.startsWith('tinydtls-sys-')) : undefined;
  if (!dir) throw new Error(`no tinydtls source in ${crates} (run setup/setup.sh)`);
  return join(crates, dir, 'src', 'tinydtls');
}

const OUT = join(BUILD, 'host', 'tinydtls');

/** The host build of tests/dtls-server, built on first use. */
export function tinydtlsServerBinary(): string {
  return cmakeTargetOnce({ name: 'tinydtls', source: sourceDir(), out: OUT, options: ['-Dmake_tests=ON', '-DCMAKE_BUILD_TYPE=Release'], target: 'dtls-server', binary: join('tests', 'dtls-server') });
}

/** "tinydtls <version>" from the source's CMakeLists.txt. */
export function tinydtlsVersion(): string {
  const m = /set\(PACKAGE_VERSION "([^"]+)"/.exec(readFileSync(join(sourceDir(), 'CMakeLists.txt'), 'utf8'));
  return `tinydtls ${m?.[1] ?? '(version unknown)'}`;
}

/** The example server's public key, uncompressed (04 || X || Y), read from tests/dtls-server.c. */
export function tinydtlsServerKey(): Uint8Array {
  const text = readFileSync(join(sourceDir(), 'tests', 'dtls-server.c'), 'utf8');
  const arr = (name: string) => {
    const m = new RegExp(`${name}\\[\\]\\s*=\\s*\\{([^}]*)\\}`).exec(text);
    if (!m) throw new Error(`tests/dtls-server.c has no ${name}[]`);
    const bytes = [...m[1]!.matchAll(/0x([0-9a-fA-F]{2})/g)].map((x) => parseInt(x[1]!, 16));
    if (bytes.length !== 32) throw new Error(`${name}[] has ${bytes.length} bytes, not 32`);
    return bytes;
  };
  return Uint8Array.from([4, ...arr('ecdsa_pub_key_x'), ...arr('ecdsa_pub_key_y')]);
}

/** Start the example server on a free loopback port, offering only `cipher` (a tinydtls suite name). */
export async function startTinydtlsServer(o: { cipher: string; host?: string }): Promise<RunningServer> {
  const bin = tinydtlsServerBinary();
  const host = o.host ?? '127.0.0.1';
  const port = await freeUdpPort(host);
  const args = ['-A', host, '-p', String(port), '-c', o.cipher, '-v', '3'];
  const { child, output, stop } = spawnPeer(bin, args);
  // It prints nothing when ready: give it a moment to bind, and fail if it died.
  await new Promise((r) => setTimeout(r, 300));
  if (child.exitCode !== null) throw new Error(`tinydtls dtls-server exited with ${child.exitCode}: ${output()}`);
  return { host, port, args, output, stop };
}
