// plan -> build: one image per (board, library, build options) via the
// firmware Makefile. make's own dependency tracking makes a rebuild of an
// unchanged image a no-op. Built images are also kept in a cache keyed by
// everything they are made of (imageKey), shared by every checkout that
// shares the third-party cache: a fresh clone, or a worktree, reuses an image
// any of them built instead of compiling it again.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { BUILD, CACHE, FIRMWARE, ROOT } from '../core/paths.js';
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
  /** Taken from the image cache, not built by make this time. */
  cached?: boolean;
}

export function imageDir(o: BuildOptions): string {
  const flags = o.cflags.length ? '-' + createHash('sha256').update(o.cflags.join(' ')).digest('hex').slice(0, 8) : '';
  return join(BUILD, 'fw', o.board, `${o.library}${o.libraryVersion ? `-${o.libraryVersion}` : ''}-${o.opt}${flags}`);
}

/** Where built images are kept across runs and checkouts; CERTCOST_IMAGE_CACHE=off turns it off. */
export function imageCacheDir(): string | undefined {
  const v = process.env.CERTCOST_IMAGE_CACHE;
  if (v === 'off' || v === '0') return undefined;
  return resolve(v || join(CACHE, 'images'));
}

function walk(dir: string, visit: (path: string) => void) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p, visit);
    else if (e.isFile()) visit(p);
  }
}

const tool = (cmd: string, args: string[]) => {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : `${cmd}: unavailable`;
};
const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

let inputs: string | undefined;
/**
 * What every image is made of besides its options and third-party sources,
 * once per process: certcost's firmware tree and Makefile by content, and the
 * cross toolchain (its version, and its C libraries' files, which it links).
 */
export function buildInputs(): string {
  if (inputs) return inputs;
  const h = createHash('sha256');
  walk(FIRMWARE, (p) => h.update(`F ${relative(ROOT, p)} `).update(readFileSync(p)).update('\n'));
  h.update(`gcc ${tool('arm-none-eabi-gcc', ['--version'])}\n`);
  for (const lib of ['libc_nano.a', 'libgcc.a']) {
    const path = tool('arm-none-eabi-gcc', ['-mcpu=cortex-m0', '-mthumb', `-print-file-name=${lib}`]);
    try {
      const st = statSync(path);
      h.update(`lib ${lib} ${st.size} ${st.mtimeMs}\n`);
    } catch {
      h.update(`lib ${lib} missing\n`);
    }
  }
  return (inputs = h.digest('hex'));
}

/** The lakers adapter also links a Rust staticlib cargo builds from vendored crates: the Rust toolchain and those crates' files. */
function rustInputs(): string {
  const h = createHash('sha256').update(`rust ${tool('rustc', ['-V'])} ${tool('cargo', ['-V'])}\n`);
  walk(join(CACHE, 'src', 'lakers-vendor'), (p) => h.update(`V ${relative(CACHE, p)} `).update(readFileSync(p)));
  return h.digest('hex');
}

/**
 * The cache key of one image: the build inputs and the image's own options.
 * Which third-party files an image compiled is in its manifest (from the
 * compiler's dependency files), checked by content on every hit.
 */
export function imageKey(o: BuildOptions): string {
  return sha(JSON.stringify([buildInputs(), o.library === 'lakers' ? rustInputs() : '', o.board, o.library, o.libraryVersion ?? null, o.opt, o.cflags])).slice(0, 32);
}

export type Manifest = [path: string, sha256: string][];

/** The third-party files (under the cache) the compiler read for this image, by content: from make's .d files. */
export function manifestOf(out: string, cacheRoot = CACHE): Manifest {
  const files = new Set<string>();
  const root = resolve(cacheRoot) + '/';
  walk(join(out, 'obj'), (d) => {
    if (!d.endsWith('.d')) return;
    for (const tok of readFileSync(d, 'utf8').split(/\s+/)) {
      const p = tok.replace(/:$/, '');
      if (!p || p === '\\' || p.endsWith('.o')) continue;
      const abs = resolve(p);
      if (abs.startsWith(root)) files.add(abs.slice(root.length));
    }
  });
  return [...files].sort().map((f) => [f, sha(readFileSync(join(cacheRoot, f)))]);
}

export function manifestHolds(m: Manifest, cacheRoot = CACHE): boolean {
  try {
    return m.every(([f, h]) => sha(readFileSync(join(cacheRoot, f))) === h);
  } catch {
    return false;
  }
}

function make(o: BuildOptions, out: string): string {
  const args = ['-C', FIRMWARE, '-j2', '--no-print-directory', `BOARD=${o.board}`, `LIB=${o.library}`, ...(o.libraryVersion ? [`LIB_VERSION=${o.libraryVersion}`] : []), `OPT=-${o.opt}`, `OUT=${out}`, `CACHE=${CACHE}`, `EXTRA_CFLAGS=${o.cflags.join(' ')}`];
  const r = spawnSync('make', args, { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) {
    const log = (r.stderr + r.stdout).split('\n').filter((l) => /error|undefined|overflow|not enough/i.test(l)).slice(0, 12).join('\n');
    throw new Error(`build failed for ${o.board}/${o.library}${o.libraryVersion ? `@${o.libraryVersion}` : ''}: ${log || (r.stderr || r.stdout).slice(-2000)}`);
  }
  return join(out, 'firmware.elf');
}

export function buildImage(o: BuildOptions): Image {
  const out = imageDir(o);
  const elfPath = join(out, 'firmware.elf');
  const cache = imageCacheDir();
  const entry = cache ? join(cache, imageKey(o)) : undefined;
  let cached = false;
  if (entry && existsSync(join(entry, 'firmware.elf')) && manifestHolds(readJson(join(entry, 'manifest.json')))) {
    // The image is used from its build folder, as if make had built it there.
    // Its objects there (if any) may be of other sources: without flags.txt,
    // which every object depends on, a later make there rebuilds them all.
    mkdirSync(out, { recursive: true });
    rmSync(join(out, 'flags.txt'), { force: true });
    const tmp = `${elfPath}.tmp-${process.pid}`;
    copyFileSync(join(entry, 'firmware.elf'), tmp);
    renameSync(tmp, elfPath);
    cached = true;
  } else {
    make(o, out);
    if (entry) {
      // Into the cache atomically: a folder of its own, renamed into place
      // (over a stale entry of the same key, whose third-party files changed).
      const tmp = `${entry}.tmp-${process.pid}`;
      try {
        rmSync(tmp, { recursive: true, force: true });
        mkdirSync(tmp, { recursive: true });
        copyFileSync(elfPath, join(tmp, 'firmware.elf'));
        writeFileSync(join(tmp, 'manifest.json'), JSON.stringify(manifestOf(out)) + '\n');
        rmSync(entry, { recursive: true, force: true });
        renameSync(tmp, entry);
      } catch {
        // a cache that cannot be written is only slower
      } finally {
        rmSync(tmp, { recursive: true, force: true });
      }
    }
  }
  // The hash of what is flashed, not of the file: debug info carries the checkout's paths.
  return { elfPath, sha256: Elf.read(elfPath).loadedSha256(), opt: o.opt, ...(cached ? { cached } : {}) };
}

function readJson(path: string): Manifest {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Manifest;
  } catch {
    return [['(unreadable manifest)', '']];
  }
}
