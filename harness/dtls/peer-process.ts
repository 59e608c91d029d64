// A host peer program (an example server built for the host) as a child
// process: its output kept for error messages, and a stop that waits for
// it to exit (SIGTERM, then SIGKILL after a grace period).
import { spawn, type ChildProcess } from 'node:child_process';

export interface PeerProcess {
  child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

export function spawnPeer(bin: string, args: string[], cwd?: string, graceMs = 2000): PeerProcess {
  const child = spawn(bin, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
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
