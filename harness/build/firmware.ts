// plan -> build: one image per (board, library, build options) via the
// firmware Makefile. make's own dependency tracking makes a rebuild of an
// unchanged image a no-op.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUILD, CACHE, FIRMWARE } from '../paths.js';

export interface BuildOptions {
  board: string;
  library: string;
  opt: string; // O2, Os, ...
  cflags: string[];
}
export interface Image {
  elfPath: string;
  sha256: string;
  opt: string;
}

// TEST HACK (do not merge): CERTCOST_LIB_VERSION=v1,v2,... picks, per image,
// the first listed version that the library's adapter.mk has in LIB_VERSIONS
// (none listed: the adapter's default, its newest), passes it as
// LIB_VERSION=... to make and puts it in the image directory's name.
function testHackVersion(library: string): string | undefined {
  const want = (process.env.CERTCOST_LIB_VERSION ?? '').split(',').map((v) => v.trim()).filter(Boolean);
  let text = '';
  try { text = readFileSync(join(FIRMWARE, 'adapters', library, 'adapter.mk'), 'utf8'); } catch { return undefined; }
  const m = [...text.matchAll(/^LIB_VERSIONS\s*:=\s*(.*)$/gm)].pop();
  const have = m ? m[1]!.trim().split(/\s+/) : [];
  return want.find((v) => have.includes(v));
}

export function imageDir(o: BuildOptions): string {
  const flags = o.cflags.length ? '-' + createHash('sha256').update(o.cflags.join(' ')).digest('hex').slice(0, 8) : '';
  const v = testHackVersion(o.library);
  return join(BUILD, 'fw', o.board, `${o.library}${v ? '-' + v : ''}-${o.opt}${flags}`);
}

export function buildImage(o: BuildOptions): Image {
  const out = imageDir(o);
  const args = ['-C', FIRMWARE, '-j2', '--no-print-directory', `BOARD=${o.board}`, `LIB=${o.library}`, `OPT=-${o.opt}`, `OUT=${out}`, `CACHE=${CACHE}`, `EXTRA_CFLAGS=${o.cflags.join(' ')}`];
  const v = testHackVersion(o.library);
  if (v) args.push(`LIB_VERSION=${v}`);
  const r = spawnSync('make', args, { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) {
    const log = (r.stderr + r.stdout).split('\n').filter((l) => /error|undefined|overflow|not enough/i.test(l)).slice(0, 12).join('\n');
    throw new Error(`build failed for ${o.board}/${o.library}: ${log || (r.stderr || r.stdout).slice(-2000)}`);
  }
  const elfPath = join(out, 'firmware.elf');
  return { elfPath, sha256: createHash('sha256').update(readFileSync(elfPath)).digest('hex'), opt: o.opt };
}
