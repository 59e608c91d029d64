// Every process certcost starts dies when certcost dies, however it dies.
// A harness killed with SIGKILL runs no handler, so the children are tied
// to it by the kernel instead: each is started under util-linux `setpriv
// --pdeathsig`, which sets PR_SET_PDEATHSIG (the signal the kernel sends a
// process when its parent dies) and then execs the program, and each runs
// in its own process group.
//
// - spawnGuarded: one long-lived program (QEMU, a DTLS peer, the EDHOC
//   responder): SIGKILL on the harness's death; stop() kills its group.
// - runGuardedSync: a build (make, cmake, cargo), a tree of processes: a
//   bash wrapper gets SIGTERM on the harness's death and kills the build's
//   own process group (make and every gcc under it). The wrapper stays in
//   the harness's process group, so Ctrl-C in a terminal still reaches it.
// Without setpriv (not Linux, no util-linux) programs start as they did,
// tied to the harness only by the exit handlers (core/lifecycle.ts).
import { spawn, spawnSync, type ChildProcess, type SpawnOptions, type SpawnSyncOptions, type SpawnSyncReturns } from 'node:child_process';
import { existsSync } from 'node:fs';
import { onExit } from './lifecycle.js';

let setprivPath: string | null | undefined;
/** util-linux setpriv, if this system has it (and it knows --pdeathsig). */
export function setpriv(): string | null {
  if (setprivPath === undefined) {
    setprivPath = null;
    for (const p of ['/usr/bin/setpriv', '/bin/setpriv']) {
      if (!existsSync(p)) continue;
      const r = spawnSync(p, ['--help'], { encoding: 'utf8' });
      if (r.status === 0 && /--pdeathsig/.test(r.stdout)) setprivPath = p;
      break;
    }
  }
  return setprivPath;
}

const live = new Set<ChildProcess>();
let reaper = false;
function killGroup(child: ChildProcess, sig: NodeJS.Signals) {
  if (!child.pid || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, sig); // the whole group
  } catch {
    try {
      child.kill(sig);
    } catch {
      // already gone
    }
  }
}

/**
 * Start `cmd` so that it dies with the harness: SIGKILL from the kernel when
 * the harness dies (setpriv --pdeathsig), its own process group, and a
 * SIGKILL to that group from the exit handlers. Same options and result as
 * child_process.spawn (`detached` is forced on: that is the group).
 */
export function spawnGuarded(cmd: string, args: string[], opts: SpawnOptions = {}, deathSignal: 'KILL' | 'TERM' = 'KILL'): ChildProcess {
  if (!reaper) {
    reaper = true;
    onExit(() => { for (const c of live) killGroup(c, 'SIGKILL'); });
  }
  const sp = setpriv();
  const child = sp ? spawn(sp, ['--pdeathsig', deathSignal, '--', cmd, ...args], { ...opts, detached: true }) : spawn(cmd, args, { ...opts, detached: true });
  live.add(child);
  child.once('exit', () => live.delete(child));
  child.once('error', () => live.delete(child));
  return child;
}

/** Kill a child from spawnGuarded and everything in its process group. */
export function killGuarded(child: ChildProcess, sig: NodeJS.Signals = 'SIGKILL'): void {
  killGroup(child, sig);
}

// The build wrapper: the command runs as a background job under job control
// (its own process group); a TERM (the harness died: --pdeathsig), INT
// (Ctrl-C) or HUP kills that whole group.
const WRAPPER = 'set -m; trap \'kill -KILL -- -$c 2>/dev/null; exit 143\' TERM INT HUP; "$@" & c=$!; wait $c';

/** child_process.spawnSync for a build (a tree of processes), tied to the harness's life. */
export function runGuardedSync(cmd: string, args: string[], opts: SpawnSyncOptions = {}): SpawnSyncReturns<string | Buffer> {
  const sp = setpriv();
  if (!sp) return spawnSync(cmd, args, opts);
  return spawnSync(sp, ['--pdeathsig', 'TERM', '--', 'bash', '-c', WRAPPER, 'certcost-build', cmd, ...args], { ...opts, stdio: opts.stdio ?? ['ignore', 'pipe', 'pipe'] });
}

// The same for a build that runs beside the harness's event loop: the build
// stays in the wrapper's process group (spawnGuarded's), so a TERM (the
// harness died) kills that group, and so do spawnGuarded's exit handlers.
const GROUP_WRAPPER = 'trap "kill -KILL 0" TERM INT HUP; "$@" & wait $!';

/** runGuardedSync without blocking: stdout and stderr as text. */
export function runGuarded(cmd: string, args: string[], opts: SpawnOptions = {}): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawnGuarded('bash', ['-c', GROUP_WRAPPER, 'certcost-build', cmd, ...args], { ...opts, stdio: ['ignore', 'pipe', 'pipe'] }, 'TERM');
  let stdout = '';
  let stderr = '';
  // Keep the end of long logs, as spawnSync's maxBuffer would not.
  const keep = (t: string) => (t.length > 64 << 20 ? t.slice(-(32 << 20)) : t);
  child.stdout!.on('data', (d: Buffer) => { stdout = keep(stdout + d.toString()); });
  child.stderr!.on('data', (d: Buffer) => { stderr = keep(stderr + d.toString()); });
  return new Promise((res) => {
    child.once('error', (e) => res({ status: null, stdout, stderr: stderr + String(e) }));
    child.once('close', (code) => res({ status: code, stdout, stderr }));
  });
}

/** Like execFileSync: the output, or an Error with the command's exit status and the end of its stderr. */
export function execGuardedSync(cmd: string, args: string[], opts: SpawnSyncOptions = {}): string {
  const r = runGuardedSync(cmd, args, { maxBuffer: 64 << 20, ...opts, encoding: 'utf8' });
  if (r.error) throw r.error;
  if (r.status !== 0) {
    const err = String(r.stderr ?? '').trim().split('\n').slice(-15).join('\n');
    throw new Error(`${cmd} ${args.slice(0, 4).join(' ')}… failed (${r.status === null ? `signal ${r.signal}` : `exit ${r.status}`})${err ? `:\n${err}` : ''}`);
  }
  return String(r.stdout ?? '');
}
