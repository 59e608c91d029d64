// OpenSSL 3.0 as an independent DTLS 1.2 peer: s_server (what the device
// talks to) and s_client (to validate the byte model host-to-host). Every
// process started here is reaped: stop() / the client runner kill it by its
// own pid on timeout or error, never by name; and it dies with the harness
// however the harness dies (core/child.ts).
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { spawnGuarded } from '../core/child.js';
import { freeUdpPort } from './relay.js';
import type { Packing } from './model.js';
import type { PkiFiles } from '../pki/handshake-pki.js';

const OPENSSL = process.env.CERTCOST_OPENSSL ?? 'openssl';

/**
 * What the model needs to know about OpenSSL 3.0's s_server/s_client:
 * the apps' cookie callback is HMAC-SHA1 over the peer address (20 B), and
 * -mtu is the link MTU from which OpenSSL subtracts 28 B of IPv4+UDP; each
 * flight's records fill datagrams up to that, fragmenting at the edge.
 */
export const OPENSSL_DTLS = {
  cookieLength: 20,
  ipv4UdpOverhead: 28,
  packing: (linkMtu: number): Packing => ({ mtu: linkMtu - 28, mode: 'fill' }),
} as const;

/** How long a child gets after SIGTERM before SIGKILL. */
const KILL_GRACE_MS = 2_000;

export type PeerAuth =
  /** PSK suites: key in hex; the server may send an identity hint (a ServerKeyExchange). */
  | { kind: 'psk'; keyHex: string; identity: string; hint?: string }
  /** Certificate suites: PEM files written by harness/pki. */
  | { kind: 'cert'; cert: string; key: string; chain?: string };

export interface ServerOptions {
  auth: PeerAuth;
  /** OpenSSL cipher string, e.g. PSK-AES128-CCM8 or ECDHE-ECDSA-AES128-CCM8. */
  cipher: string;
  /** Link MTU for -mtu (OpenSSL subtracts the IP+UDP overhead: 28 B on IPv4). */
  mtu?: number;
  /** Session tickets (OpenSSL's default is on; off by default here: -no_ticket). */
  tickets?: boolean;
  curves?: string;
  /** Ask for a client certificate (-Verify 1) and verify it against this CA file. */
  verifyClient?: { caFile: string };
  /** -CAfile: auto-builds the server chain from it, root included, and names its CAs in CertificateRequest. */
  caFile?: string;
  host?: string;
  port?: number;
  startTimeoutMs?: number;
  extraArgs?: string[];
}

export interface RunningServer {
  host: string;
  port: number;
  args: string[];
  output(): string;
  stop(): Promise<void>;
}

function reap(child: ChildProcessWithoutNullStreams): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), KILL_GRACE_MS);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.stdin.destroy();
    child.kill('SIGTERM');
  });
}

/** Common trust-store flags: never pick up the system CA store by accident. */
const NO_DEFAULT_STORE = ['-no-CAfile', '-no-CApath', '-no-CAstore'];

export function serverArgs(o: ServerOptions & { host: string; port: number }): string[] {
  const a = ['s_server', '-dtls1_2', '-accept', `${o.host}:${o.port}`, '-cipher', o.cipher, '-curves', o.curves ?? 'prime256v1', ...NO_DEFAULT_STORE];
  if (o.mtu) a.push('-mtu', String(o.mtu));
  if (!o.tickets) a.push('-no_ticket');
  if (o.auth.kind === 'psk') {
    a.push('-psk', o.auth.keyHex, '-psk_identity', o.auth.identity, '-nocert');
    if (o.auth.hint !== undefined) a.push('-psk_hint', o.auth.hint);
  } else {
    a.push('-cert', o.auth.cert, '-key', o.auth.key);
    if (o.auth.chain) a.push('-cert_chain', o.auth.chain);
  }
  if (o.caFile) a.push('-CAfile', o.caFile);
  if (o.verifyClient) a.push('-Verify', '1', '-verifyCAfile', o.verifyClient.caFile, '-verify_return_error');
  return [...a, ...(o.extraArgs ?? [])];
}

/** Start s_server on a free loopback UDP port; resolves once it prints ACCEPT. */
export async function startOpensslServer(o: ServerOptions): Promise<RunningServer> {
  const host = o.host ?? '127.0.0.1';
  const port = o.port ?? (await freeUdpPort(host));
  const args = serverArgs({ ...o, host, port });
  // stdin stays a pipe we never end: s_server drops the session on stdin EOF.
  const child = spawnGuarded(OPENSSL, args, { stdio: ['pipe', 'pipe', 'pipe'] }) as ChildProcessWithoutNullStreams;
  child.stdin.on('error', () => {}); // EPIPE once it has exited
  let out = '';
  child.stdout.on('data', (b: Buffer) => (out += b.toString('latin1')));
  child.stderr.on('data', (b: Buffer) => (out += b.toString('latin1')));
  const stop = () => reap(child);
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`s_server did not start within ${o.startTimeoutMs ?? 5000} ms:\n${out}`)), o.startTimeoutMs ?? 5000);
      const check = () => {
        if (/^ACCEPT/m.test(out)) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout.on('data', check);
      child.once('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`s_server exited with ${code} before accepting:\n${out}`));
      });
    });
  } catch (e) {
    await stop();
    throw e;
  }
  return { host, port, args, output: () => out, stop };
}

export interface ClientOptions {
  host?: string;
  port: number;
  auth: { kind: 'psk'; keyHex: string; identity: string } | { kind: 'cert'; cert?: string; key?: string; chain?: string };
  cipher: string;
  /** Trust anchor for the server certificate (-verifyCAfile: verify, do not send). A self-signed leaf here = pinning. */
  verifyCAfile?: string;
  mtu?: number;
  curves?: string;
  /** Save the session for a later resumption. */
  sessOut?: string;
  /** Resume this session. */
  sessIn?: string;
  /** Do not offer a session ticket (-no_ticket). */
  noTicket?: boolean;
  timeoutMs?: number;
  extraArgs?: string[];
}

export interface ClientResult {
  args: string[];
  stdout: string;
  stderr: string;
  code: number | null;
  /** s_client's own counters: BIO bytes read/written during the handshake (datagram payloads). */
  handshakeRead?: number;
  handshakeWritten?: number;
  resumed: boolean;
  cipher?: string;
  verifyCode?: number;
}

export function clientArgs(o: ClientOptions): string[] {
  const a = ['s_client', '-dtls1_2', '-connect', `${o.host ?? '127.0.0.1'}:${o.port}`, '-cipher', o.cipher, '-curves', o.curves ?? 'prime256v1', '-noservername', ...NO_DEFAULT_STORE];
  if (o.mtu) a.push('-mtu', String(o.mtu));
  if (o.auth.kind === 'psk') a.push('-psk', o.auth.keyHex, '-psk_identity', o.auth.identity);
  else {
    if (o.auth.cert) a.push('-cert', o.auth.cert);
    if (o.auth.key) a.push('-key', o.auth.key);
    if (o.auth.chain) a.push('-cert_chain', o.auth.chain);
  }
  if (o.verifyCAfile) a.push('-verifyCAfile', o.verifyCAfile, '-verify_return_error');
  if (o.sessOut) a.push('-sess_out', o.sessOut);
  if (o.sessIn) a.push('-sess_in', o.sessIn);
  if (o.noTicket) a.push('-no_ticket');
  return [...a, ...(o.extraArgs ?? [])];
}

/** Run one s_client handshake: wait until it reports the handshake, then close its stdin so it sends close_notify and exits. */
export async function runOpensslClient(o: ClientOptions): Promise<ClientResult> {
  const args = clientArgs(o);
  const child = spawnGuarded(OPENSSL, args, { stdio: ['pipe', 'pipe', 'pipe'] }) as ChildProcessWithoutNullStreams;
  child.stdin.on('error', () => {}); // EPIPE once it has exited
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (b: Buffer) => (stdout += b.toString('latin1')));
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString('latin1')));
  const timeoutMs = o.timeoutMs ?? 15_000;
  try {
    const code = await new Promise<number | null>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`s_client timed out after ${timeoutMs} ms\n${stdout}\n${stderr}`)), timeoutMs);
      child.stdout.on('data', () => {
        // The session summary ends with a line of dashes after "Verify return code"/"Timeout"; closing stdin then quits cleanly.
        if (/SSL handshake has read/.test(stdout) && /^---\s*$/m.test(stdout.slice(stdout.indexOf('SSL handshake has read')))) child.stdin.end();
      });
      child.once('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
      child.once('exit', (c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
    const rw = /SSL handshake has read (\d+) bytes and written (\d+) bytes/.exec(stdout);
    const res: ClientResult = { args, stdout, stderr, code, resumed: /^Reused,/m.test(stdout) };
    if (rw) {
      res.handshakeRead = Number(rw[1]);
      res.handshakeWritten = Number(rw[2]);
    }
    const c = /Cipher is (\S+)/.exec(stdout);
    if (c) res.cipher = c[1];
    const v = /Verify return code: (\d+)/.exec(stdout);
    if (v) res.verifyCode = Number(v[1]);
    return res;
  } finally {
    await reap(child);
  }
}

/** The peer variants as s_server options for a PKI written by harness/pki. */
export type PeerPreset = 'psk-ccm8' | 'psk-gcm' | 'ecdhe-ecdsa-selfsigned' | 'ecdhe-ecdsa-chain' | 'ecdhe-ecdsa-leaf-only' | 'ecdhe-ecdsa-mutual';

export function peerPreset(
  preset: PeerPreset,
  o: { files?: PkiFiles; psk?: { keyHex: string; identity: string; hint?: string }; mtu?: number; tickets?: boolean },
): ServerOptions {
  const base = { mtu: o.mtu ?? 1400, tickets: o.tickets ?? false };
  const psk = () => {
    if (!o.psk) throw new Error(`${preset} needs a PSK`);
    return { kind: 'psk' as const, ...o.psk };
  };
  const f = () => {
    if (!o.files) throw new Error(`${preset} needs PKI files`);
    return o.files;
  };
  switch (preset) {
    case 'psk-ccm8':
      return { ...base, auth: psk(), cipher: 'PSK-AES128-CCM8' };
    case 'psk-gcm':
      return { ...base, auth: psk(), cipher: 'PSK-AES128-GCM-SHA256' };
    case 'ecdhe-ecdsa-selfsigned':
      return { ...base, auth: { kind: 'cert', cert: f().selfSignedCert, key: f().selfSignedKey }, cipher: 'ECDHE-ECDSA-AES128-CCM8' };
    case 'ecdhe-ecdsa-chain':
      return { ...base, auth: { kind: 'cert', cert: f().serverCert, key: f().serverKey, chain: f().serverChain }, cipher: 'ECDHE-ECDSA-AES128-CCM8' };
    case 'ecdhe-ecdsa-leaf-only':
      return { ...base, auth: { kind: 'cert', cert: f().serverCert, key: f().serverKey }, cipher: 'ECDHE-ECDSA-AES128-CCM8' };
    case 'ecdhe-ecdsa-mutual':
      return { ...base, auth: { kind: 'cert', cert: f().serverCert, key: f().serverKey, chain: f().serverChain }, cipher: 'ECDHE-ECDSA-AES128-CCM8', verifyClient: { caFile: f().caBundle } };
  }
}
