// Host peer programs (example servers built for the host from the fetched
// sources): the build, and the running child process with its output kept
// for error messages and a stop that waits for it to exit (SIGTERM, then
// SIGKILL after a grace period). Peers and builds die with the harness
// (core/child.ts).
import type { ChildProcess } from 'node:child_process';
import { execGuardedSync, spawnGuarded } from '../core/child.js';
import { existsSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';

export interface PeerProcess {
  child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

export function spawnPeer(bin: string, args: string[], cwd?: string, graceMs = 2000): PeerProcess {
  const child = spawnGuarded(bin, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (b: Buffer) => (out += b.toString('latin1')));
  child.stderr!.on('data', (b: Buffer) => (out += b.toString('latin1')));
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const kill = setTimeout(() => child.kill('SIGKILL'), graceMs);
      child.once('exit', () => {
        clearTimeout(kill);
        resolve();
      });
      child.kill('SIGTERM');
    });
  return { child, output: () => out, stop };
}

/**
 * A CMake target built for the host on first use: configured and built in
 * a private directory, then renamed into place, so two runs starting at
 * once never share a half-built tree (the loser's copy is dropped).
 * Returns the path of `binary` (relative to the build directory).
 */
export function cmakeTargetOnce(o: { name: string; source: string; out: string; options: string[]; target: string; binary: string }): string {
  const bin = join(o.out, o.binary);
  if (existsSync(bin)) return bin;
  const tmp = `${o.out}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  try {
    execGuardedSync('cmake', ['-S', o.source, '-B', tmp, ...o.options]);
    execGuardedSync('make', ['-C', tmp, '-j2', o.target]);
    if (!existsSync(join(tmp, o.binary))) throw new Error(`${o.name} host build did not produce ${o.binary}`);
    if (!existsSync(bin)) {
      rmSync(o.out, { recursive: true, force: true });
      renameSync(tmp, o.out);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return bin;
}
