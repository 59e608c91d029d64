// What certcost leaves behind when it ends, however it ends.
//
// - onExit(fn): clean-ups run on a normal exit and on SIGINT/SIGTERM/SIGHUP
//   (then the process exits 128 + signal number).
// - Temporary directories are named certcost-<kind>-p<pid>-XXXXXX: removed
//   on exit; if the process is killed outright (SIGKILL, OOM), a janitor
//   (a shell waiting on a pipe from this process: it reads end-of-file the
//   moment the process dies) removes them; and whatever survives even that
//   is swept by the next certcost that starts (sweepStaleTempDirs), by the
//   pid in the name. Directories of other naming (older certcost versions,
//   other tools) are never touched.
// Child processes: core/child.ts (they die with the harness too).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const cleanups = new Set<() => void>();
let installed = false;
let exiting = false;

function runCleanups() {
  for (const fn of [...cleanups].reverse()) {
    try {
      fn();
    } catch {
      // best effort: the others still run
    }
  }
  cleanups.clear();
}

const SIGNALS = { SIGINT: 2, SIGTERM: 15, SIGHUP: 1 } as const;

function install() {
  if (installed) return;
  installed = true;
  process.on('exit', runCleanups);
  for (const [sig, n] of Object.entries(SIGNALS))
    process.on(sig as NodeJS.Signals, () => {
      if (exiting) return;
      exiting = true;
      runCleanups();
      process.exit(128 + n);
    });
}

/** Run `fn` when the process exits or is stopped by a signal it can catch. Returns a function that unregisters it. */
export function onExit(fn: () => void): () => void {
  install();
  cleanups.add(fn);
  return () => cleanups.delete(fn);
}

/** Is `pid` a running process (not gone, not a zombie waiting to be reaped)? */
export function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ').pop()![0] !== 'Z';
  } catch {
    return true; // no /proc: kill(0) said it exists
  }
}

/** When the process `pid` started (clock ticks since boot, /proc/PID/stat field 22): tells a reused pid apart. */
export function processStart(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ').pop()!.split(' ')[19];
  } catch {
    return undefined;
  }
}

export const TEMP_PREFIX = 'certcost-';
/** certcost-<kind>-p<pid>-XXXXXX */
const TEMP_NAME = /^certcost-[a-z0-9]+-p(\d+)-[A-Za-z0-9]{6}$/;

let janitor: ChildProcess | undefined;
/** A shell that removes this process's temporary directories when its stdin (a pipe from us) ends: when we die, whatever kills us. */
function startJanitor() {
  if (janitor || !/^[A-Za-z0-9_./-]+$/.test(tmpdir())) return;
  const pattern = `${join(tmpdir(), `${TEMP_PREFIX}`)}*-p${process.pid}-*`;
  try {
    janitor = spawn('sh', ['-c', `while read -r _; do :; done; rm -rf -- ${pattern}`], { stdio: ['pipe', 'ignore', 'ignore'], detached: true });
  } catch {
    return; // no shell: the exit handler and the next start's sweep remain
  }
  janitor.on('error', () => {});
  janitor.stdin!.on('error', () => {});
  // Neither the child nor its pipe keeps the event loop alive.
  janitor.unref();
  (janitor.stdin as unknown as { unref?: () => void }).unref?.();
}

let swept = false;
/** Remove temporary directories whose owner (the pid in the name) is gone. Returns how many. */
export function sweepStaleTempDirs(dir = tmpdir()): number {
  let n = 0;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return 0;
  }
  for (const name of names) {
    const m = TEMP_NAME.exec(name);
    if (!m || Number(m[1]) === process.pid || pidAlive(Number(m[1]))) continue;
    try {
      rmSync(join(dir, name), { recursive: true, force: true });
      n++;
    } catch {
      // someone else's, or already gone
    }
  }
  return n;
}

/** Once per process: sweep what dead runs left. */
export function sweepOnce(): void {
  if (swept) return;
  swept = true;
  sweepStaleTempDirs();
}

/** A fresh private temporary directory (mode 0700), removed when the process ends, however it ends. */
export function makeTempDir(kind: string): string {
  if (!/^[a-z0-9]+$/.test(kind)) throw new Error(`temporary directory kind '${kind}': lowercase letters and digits only`);
  sweepOnce();
  startJanitor();
  const dir = mkdtempSync(join(tmpdir(), `${TEMP_PREFIX}${kind}-p${process.pid}-`));
  const unregister = onExit(() => rmSync(dir, { recursive: true, force: true }));
  temps.set(dir, unregister);
  return dir;
}

const temps = new Map<string, () => void>();
/** Remove a directory from makeTempDir now (it would be removed at exit anyway). */
export function removeTempDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  temps.get(dir)?.();
  temps.delete(dir);
}
