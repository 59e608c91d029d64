// An output directory a command may write into, or one clear line why not
// (exists as a file, no permission, read-only file system, in use by another
// run: lockOutputDir), before any work.
import { existsSync, lstatSync, mkdirSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { UserError } from './errors.js';
import { onExit, pidAlive, processStart } from './lifecycle.js';

export function outputDir(path: string, what = '--out'): string {
  const dir = resolve(path);
  try {
    makeDirs(dir);
    // A probe, not access(): root passes access() on a read-only mode, not on a read-only file system.
    const probe = join(dir, `.certcost-write-${process.pid}`);
    writeFileSync(probe, '');
    rmSync(probe, { force: true });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'EEXIST' || code === 'ENOTDIR' ? 'a file, not a directory, is in the way' : code === 'EACCES' || code === 'EPERM' ? 'no permission to write there' : code === 'EROFS' ? 'read-only file system' : code === 'ENOENT' ? 'that file system does not allow a directory there' : (e as Error).message;
    throw new UserError(`${what} ${path}: cannot write results there: ${why}`);
  }
  return dir;
}

/** mkdir -p one level at a time: Node 20's recursive mkdirSync never returns for a path like /proc/x. */
function makeDirs(dir: string): void {
  if (existsSync(dir)) {
    if (!statSync(dir).isDirectory()) throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
    return;
  }
  const parent = dirname(dir);
  if (parent !== dir) makeDirs(parent);
  mkdirSync(dir);
}

export const LOCK_FILE = '.certcost.lock';

interface LockOwner {
  pid: number;
  /** /proc start time of the pid: a reused pid is not the owner. */
  start?: string;
  host: string;
  command: string;
  since: string;
}

/**
 * Claim `dir` (from outputDir) until the returned release() or the process's
 * exit: a second run
 * into the same directory is refused with one line naming the owner. A lock
 * whose owner is gone (killed, crashed, a reused pid) is stale and taken
 * over. The lock file is removed at exit, however the process ends short of
 * SIGKILL; after a SIGKILL the next run finds it stale.
 */
export function lockOutputDir(dir: string, command: string, what = '--out'): () => void {
  const file = join(dir, LOCK_FILE);
  const me: LockOwner = { pid: process.pid, start: processStart(process.pid), host: hostname(), command, since: new Date().toISOString() };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      writeFileSync(file, JSON.stringify(me) + '\n', { flag: 'wx', mode: 0o644 });
      const release = () => {
        unregister();
        try {
          const now = JSON.parse(readFileSync(file, 'utf8')) as LockOwner;
          if (now.pid === me.pid && now.since === me.since) unlinkSync(file);
        } catch {
          // gone already
        }
      };
      const unregister = onExit(release);
      return release;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw new UserError(`${what} ${dir}: cannot create the lock file ${LOCK_FILE}: ${(e as Error).message}`);
    }
    let owner: LockOwner | undefined;
    try {
      const st = lstatSync(file);
      if (st.isFile() && st.size < 4096) owner = JSON.parse(readFileSync(file, 'utf8')) as LockOwner;
    } catch {
      owner = undefined; // torn or foreign: stale
    }
    const alive = owner && typeof owner.pid === 'number' && owner.host === hostname() && pidAlive(owner.pid) && (!owner.start || owner.start === processStart(owner.pid));
    if (owner && owner.host !== hostname())
      throw new UserError(`${what} ${dir} is in use by another certcost run (pid ${owner.pid} on ${owner.host}, since ${owner.since}: ${owner.command}); use another directory, or delete ${file} if that run is over`);
    if (alive)
      throw new UserError(`${what} ${dir} is in use by another certcost run (pid ${owner!.pid}, since ${owner!.since}: ${owner!.command}); wait for it or choose another --out`);
    // Stale: its owner is gone. Take it over.
    rmSync(file, { force: true });
  }
  throw new UserError(`${what} ${dir}: could not take the lock ${LOCK_FILE} (another run keeps taking it)`);
}
