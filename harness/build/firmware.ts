// plan -> build: one image per (board, library, build options) via the
// firmware Makefile. make's own dependency tracking makes a rebuild of an
// unchanged image a no-op.
import { runGuardedSync } from '../core/child.js';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { BUILD, CACHE, FIRMWARE } from '../core/paths.js';
import { Elf } from '../elf/elf.js';

export interface BuildOptions {
  board: string;
  library: string;
  /** LIB_VERSION for an adapter that pins several versions (catalog/libraries.ts). */
  libraryVersion?: string;
  opt: string; // O2, Os, ...
  cflags: string[];
}
export interface Image {
  elfPath: string;
  sha256: string;
  opt: string;
}

export function imageDir(o: BuildOptions): string {
  const flags = o.cflags.length ? '-' + createHash('sha256').update(o.cflags.join(' ')).digest('hex').slice(0, 8) : '';
  return join(BUILD, 'fw', o.board, `${o.library}${o.libraryVersion ? `-${o.libraryVersion}` : ''}-${o.opt}${flags}`);
}

export function buildImage(o: BuildOptions): Image {
  const out = imageDir(o);
  const args = ['-C', FIRMWARE, '-j2', '--no-print-directory', `BOARD=${o.board}`, `LIB=${o.library}`, ...(o.libraryVersion ? [`LIB_VERSION=${o.libraryVersion}`] : []), `OPT=-${o.opt}`, `OUT=${out}`, `CACHE=${CACHE}`, `EXTRA_CFLAGS=${o.cflags.join(' ')}`];
  // make and every compiler under it die with the harness (core/child.ts).
  const r = runGuardedSync('make', args, { encoding: 'utf8', maxBuffer: 64 << 20 }) as { status: number | null; stdout: string; stderr: string };
  if (r.status !== 0) {
    const log = (r.stderr + r.stdout).split('\n').filter((l) => /error|undefined|overflow|not enough/i.test(l)).slice(0, 12).join('\n');
    throw new Error(`build failed for ${o.board}/${o.library}${o.libraryVersion ? `@${o.libraryVersion}` : ''}: ${log || (r.stderr || r.stdout).slice(-2000)}`);
  }
  const elfPath = join(out, 'firmware.elf');
  // The hash of what is flashed, not of the file: debug info carries the checkout's paths.
  return { elfPath, sha256: Elf.read(elfPath).loadedSha256(), opt: o.opt };
}
