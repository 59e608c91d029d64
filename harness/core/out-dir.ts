// An output directory a command may write into, or one clear line why not
// (exists as a file, no permission, read-only file system), before any work.
import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { UserError } from './errors.js';

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
