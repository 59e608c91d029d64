// A private network for a peer that cannot be told which address to bind
// (GnuTLS's gnutls-serv binds 0.0.0.0 and ::): a network namespace of its
// own, joined to this host by a veth pair with two link-local-style
// addresses. The peer is reachable from this host only; nothing routes to
// it from outside. Needs root (as set-up and CI run); the namespace is
// deleted on stop and swept on the next start if a run died.
import { execFileSync } from 'node:child_process';

const PREFIX = 'certcost-';
let counter = 0;

export interface PrivateNetwork {
  name: string;
  /** This host's end and the peer's end of the veth pair. */
  hostAddress: string;
  peerAddress: string;
  /** argv prefix that runs a program inside the namespace. */
  exec: string[];
  close(): void;
}

const ip = (...args: string[]) => execFileSync('ip', args, { stdio: 'pipe' });
const alive = (pid: number) => { try { process.kill(pid, 0); return true; } catch { return false; } };

/** Namespaces of runs that died (their pid is gone): removed. */
export function sweepNetworks(): void {
  let names: string[] = [];
  try {
    names = ip('netns', 'list').toString().split('\n').map((l) => l.split(' ')[0]!).filter((n) => n.startsWith(PREFIX));
  } catch {
    return;
  }
  for (const n of names) {
    const pid = Number(n.split('-')[1]);
    if (Number.isInteger(pid) && !alive(pid)) try { ip('netns', 'del', n); } catch { /* already gone */ }
  }
}

export function privateNetwork(): PrivateNetwork {
  if (process.getuid?.() !== 0) throw new Error('a private network namespace for the peer needs root (GnuTLS binds every address and has no option not to)');
  if (counter === 0) sweepNetworks();
  const n = ++counter;
  const name = `${PREFIX}${process.pid}-${n}`;
  // Interface names are at most 15 characters; the pid keeps concurrent runs apart.
  const tag = `${(process.pid % 100000).toString(36)}${n.toString(36)}`;
  const hostIf = `cch${tag}`.slice(0, 15), peerIf = `ccn${tag}`.slice(0, 15);
  const subnet = `10.${200 + (process.pid % 50)}.${n % 256}`;
  const hostAddress = `${subnet}.1`, peerAddress = `${subnet}.2`;
  const close = () => {
    try { ip('netns', 'del', name); } catch { /* gone */ }
    try { ip('link', 'del', hostIf); } catch { /* went with the namespace */ }
  };
  try {
    ip('netns', 'add', name);
    ip('link', 'add', hostIf, 'type', 'veth', 'peer', 'name', peerIf, 'netns', name);
    ip('addr', 'add', `${hostAddress}/30`, 'dev', hostIf);
    ip('link', 'set', hostIf, 'up');
    ip('netns', 'exec', name, 'ip', 'addr', 'add', `${peerAddress}/30`, 'dev', peerIf);
    ip('netns', 'exec', name, 'ip', 'link', 'set', peerIf, 'up');
    ip('netns', 'exec', name, 'ip', 'link', 'set', 'lo', 'up');
  } catch (e) {
    close();
    throw new Error(`could not set up a private network for the peer: ${(e as { stderr?: Buffer }).stderr?.toString().trim() || (e as Error).message}`);
  }
  process.once('exit', close);
  return { name, hostAddress, peerAddress, exec: ['ip', 'netns', 'exec', name], close };
}
