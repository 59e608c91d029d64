// GnuTLS's gnutls-serv (Debian gnutls-bin) as a DTLS 1.2 peer. It binds
// every address and has no option to bind one, so it runs in a private
// network namespace of its own (netns.ts), reachable from this host only.
// Unlike OpenSSL's s_server it can turn the cookie exchange off
// (--nocookie). What it chooses on the wire (16 B cookie, one record per
// datagram) is read off each capture by the byte model, not assumed here.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnPeer } from './peer-process.js';
import { privateNetwork } from './netns.js';
import type { RunningServer } from './openssl-peer.js';

const GNUTLS_SERV = process.env.CERTCOST_GNUTLS_SERV ?? 'gnutls-serv';
const PORT = 5684;

export type GnutlsAuth =
  | { kind: 'psk'; identity: string; keyHex: string }
  | { kind: 'cert'; certFile: string; keyFile: string; clientCaFile?: string };

export interface GnutlsServerOptions {
  auth: GnutlsAuth;
  /** GnuTLS names: AES-128-CCM-8, AES-128-GCM. */
  cipher: string;
  /** Datagram MTU (GnuTLS takes the UDP payload size). */
  mtu: number;
  tickets?: boolean;
  noCookie?: boolean;
  startTimeoutMs?: number;
}

export function gnutlsVersion(): string {
  try {
    return execFileSync(GNUTLS_SERV, ['--version'], { encoding: 'utf8' }).split('\n')[0]!.trim();
  } catch {
    return 'gnutls-serv (version unknown)';
  }
}

/** The priority string: DTLS 1.2 only, the one suite's key exchange and cipher, P-256. */
export function gnutlsPriority(o: Pick<GnutlsServerOptions, 'auth' | 'cipher'>): string {
  const kx = o.auth.kind === 'psk' ? '+PSK' : '+ECDHE-ECDSA';
  return `NONE:+VERS-DTLS1.2:${kx}:+${o.cipher}:+AEAD:+COMP-NULL:+SIGN-ALL:+GROUP-SECP256R1:+CTYPE-X509`;
}

export async function startGnutlsServer(o: GnutlsServerOptions): Promise<RunningServer> {
  const net = privateNetwork();
  const dir = mkdtempSync(join(tmpdir(), 'certcost-gnutls-'));
  const args = ['--udp', '-p', String(PORT), '--mtu', String(o.mtu), '--priority', gnutlsPriority(o)];
  if (!o.tickets) args.push('--noticket');
  if (o.noCookie) args.push('--nocookie');
  if (o.auth.kind === 'psk') {
    const file = join(dir, 'psk.txt');
    writeFileSync(file, `${o.auth.identity}:${o.auth.keyHex}\n`, { mode: 0o600 });
    args.push('--pskpasswd', file);
  } else {
    args.push('--x509certfile', o.auth.certFile, '--x509keyfile', o.auth.keyFile);
    // gnutls-serv asks for a client certificate unless told not to: only mutual authentication asks.
    if (o.auth.clientCaFile) args.push('--x509cafile', o.auth.clientCaFile, '--require-client-cert');
    else args.push('--disable-client-cert');
  }
  const proc = spawnPeer(net.exec[0]!, [...net.exec.slice(1), GNUTLS_SERV, ...args]);
  const stop = async () => {
    await proc.stop();
    net.close();
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + (o.startTimeoutMs ?? 5000);
  while (!/listening on IPv4/.test(proc.output())) {
    if (proc.child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`gnutls-serv did not start: ${proc.output().trim().slice(-500)}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { host: net.peerAddress, port: PORT, args: [GNUTLS_SERV, ...args], output: proc.output, stop };
}
