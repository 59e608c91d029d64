// plan -> build: one image per (board, library, build options) via the
// firmware Makefile. make's own dependency tracking makes a rebuild of an
// unchanged image a no-op. Built images are also kept in a cache keyed by
// everything they are made of (imageKey), shared by every checkout that
// shares the third-party cache: a fresh clone, or a worktree, reuses an image
// any of them built instead of compiling it again.
import { spawnSync } from 'node:child_process';
import { runGuarded, runGuardedSync } from '../core/child.js';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { BUILD, CACHE, FIRMWARE, ROOT } from '../core/paths.js';
import { Elf } from '../elf/elf.js';

export interface BuildOptions {
  board: string;
  /** A board file outside the tree (scenario `boards:` path); else firmware/boards/<board>.mk. */
  boardFile?: string;
  library: string;
  /** LIB_VERSION for an adapter that pins several versions (catalog/libraries.ts). */
  libraryVersion?: string;
  opt: string; // O2, Os, ...
  cflags: string[];
  /** The user's configuration of the library (LIB_CONFIG). */
  config?: { path: string; mode: 'overlay' | 'replace'; sha256: string; /** as the scenario names it */ file?: string };
}
export interface Image {
  elfPath: string;
  sha256: string;
  opt: string;
  /** Taken from the image cache, not built by make this time. */
  cached?: boolean;
  /** With a user configuration: the firmware ops it left out of the image, each with the options it lacks. */
  omitted: Map<string, string[]>;
  /** ... and the features an op may use (a cipher, a key exchange) it left out, each with the options it lacks. */
  lacks: Map<string, string[]>;
}

/** A build that failed with the user's library configuration: an answer about that configuration. */
export class ConfigBuildFailure extends Error {
  readonly unsupported = true;
}

export function imageDir(o: BuildOptions): string {
  const key = [...o.cflags, ...(o.config ? [`config=${o.config.mode}:${o.config.path}:${o.config.sha256}`] : []), ...(o.boardFile ? [`board=${o.boardFile}`] : [])];
  const flags = key.length ? '-' + createHash('sha256').update(o.cflags.length === key.length ? o.cflags.join(' ') : key.join(' ')).digest('hex').slice(0, 8) : '';
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

type MakeResult = { status: number | null; stdout: string; stderr: string };

function makeArgs(o: BuildOptions, out: string): string[] {
  return ['-C', FIRMWARE, '-j2', '--no-print-directory', `BOARD=${o.board}`, `LIB=${o.library}`, ...(o.libraryVersion ? [`LIB_VERSION=${o.libraryVersion}`] : []), `OPT=-${o.opt}`, `OUT=${out}`, `CACHE=${CACHE}`, `EXTRA_CFLAGS=${o.cflags.join(' ')}`,
    ...(o.boardFile ? [`BOARD_FILE=${o.boardFile}`] : []),
    ...(o.config ? [`LIB_CONFIG=${o.config.path}`, `LIB_CONFIG_MODE=${o.config.mode}`] : [])];
}

/** make's exit: nothing when it built, else why not (a ConfigBuildFailure when the user's configuration is the cause). */
function checkMake(o: BuildOptions, out: string, r: MakeResult): void {
  if (r.status === 0) return;
  // make echoes each compiler command, and file names like error.c are not errors.
  const lines = (r.stderr + r.stdout).split('\n').filter((l) => !/^\S*gcc\s/.test(l));
  const log = lines.filter((l) => /error|undefined|overflow|not enough/i.test(l)).slice(0, 12).join('\n');
  const what = `${o.board}/${o.library}${o.libraryVersion ? `@${o.libraryVersion}` : ''}`;
  if (o.config && !/overflow|not enough/i.test(log))
    throw new ConfigBuildFailure(configFailure(what, o.config.file ?? o.config.path, lines, readConfigCheck(join(out, 'config-check.txt')).probeError));
  throw new Error(`build failed for ${what}: ${log || (r.stderr || r.stdout).slice(-2000)}`);
}

/** An image made of the user's own files (a board file, a library configuration, an -include) is built in its folder
 *  by make, which tracks those files, and never shared through the image cache, whose key knows only certcost's tree. */
function usesUserFiles(o: BuildOptions): boolean {
  return !!o.boardFile || !!o.config || o.cflags.some((f) => f === '-include' || f.startsWith('-include'));
}

/** The image from the cache into its build folder, when the cache holds it; else where make's image goes into the cache. */
function fromCache(o: BuildOptions, out: string): { entry?: string; hit: boolean } {
  const cache = usesUserFiles(o) ? undefined : imageCacheDir();
  const entry = cache ? join(cache, imageKey(o)) : undefined;
  if (!entry || !existsSync(join(entry, 'firmware.elf')) || !manifestHolds(readJson(join(entry, 'manifest.json')))) return { entry, hit: false };
  // The image is used from its build folder, as if make had built it there.
  // Its objects there (if any) may be of other sources: without flags.txt,
  // which every object depends on, a later make there rebuilds them all.
  const elfPath = join(out, 'firmware.elf');
  mkdirSync(out, { recursive: true });
  rmSync(join(out, 'flags.txt'), { force: true });
  const tmp = `${elfPath}.tmp-${process.pid}`;
  copyFileSync(join(entry, 'firmware.elf'), tmp);
  renameSync(tmp, elfPath);
  return { entry, hit: true };
}

function toCache(out: string, entry: string) {
  // Into the cache atomically: a folder of its own, renamed into place
  // (over a stale entry of the same key, whose third-party files changed).
  const tmp = `${entry}.tmp-${process.pid}`;
  try {
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(tmp, { recursive: true });
    copyFileSync(join(out, 'firmware.elf'), join(tmp, 'firmware.elf'));
    writeFileSync(join(tmp, 'manifest.json'), JSON.stringify(manifestOf(out)) + '\n');
    rmSync(entry, { recursive: true, force: true });
    renameSync(tmp, entry);
  } catch {
    // a cache that cannot be written is only slower
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

function imageOf(o: BuildOptions, out: string, cached: boolean): Image {
  const elfPath = join(out, 'firmware.elf');
  const check = o.config ? readConfigCheck(join(out, 'config-check.txt')) : { omitted: new Map<string, string[]>(), lacks: new Map<string, string[]>() };
  // The hash of what is flashed, not of the file: debug info carries the checkout's paths.
  return { elfPath, sha256: Elf.read(elfPath).loadedSha256(), opt: o.opt, omitted: check.omitted, lacks: check.lacks, ...(cached ? { cached } : {}) };
}

/** Build (or take from the cache) one image, blocking: for commands that build one image and then use it. */
export function buildImage(o: BuildOptions): Image {
  const out = imageDir(o);
  const { entry, hit } = fromCache(o, out);
  if (!hit) {
    // make and every compiler under it die with the harness (core/child.ts).
    checkMake(o, out, runGuardedSync('make', makeArgs(o, out), { encoding: 'utf8', maxBuffer: 64 << 20 }) as MakeResult);
    if (entry) toCache(out, entry);
  }
  return imageOf(o, out, hit);
}

/** The same without blocking the event loop: while make runs, other images' devices and peers keep talking
 *  (a blocked loop stalls their UART links and lets their peers' retransmission timers fire). */
export async function buildImageAsync(o: BuildOptions): Promise<Image> {
  const out = imageDir(o);
  const { entry, hit } = fromCache(o, out);
  if (!hit) {
    checkMake(o, out, await runGuarded('make', makeArgs(o, out)));
    if (entry) toCache(out, entry);
  }
  return imageOf(o, out, hit);
}

function readJson(path: string): Manifest {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Manifest;
  } catch {
    return [['(unreadable manifest)', '']];
  }
}

/** The Makefile's config-check.txt: `omit <op> <missing...>` lines, and `probe-error <message>`. */
function readConfigCheck(file: string): { omitted: Map<string, string[]>; lacks: Map<string, string[]>; probeError?: string } {
  const omitted = new Map<string, string[]>();
  const lacks = new Map<string, string[]>();
  let probeError: string | undefined;
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return { omitted, lacks };
  }
  for (const line of text.split('\n')) {
    const [kind, op, ...rest] = line.trim().split(/\s+/);
    if (kind === 'omit' && op) omitted.set(op, rest);
    else if (kind === 'lacks' && op) lacks.set(op, rest);
    else if (kind === 'probe-error') probeError = line.trim().slice('probe-error '.length);
  }
  return { omitted, lacks, probeError };
}

/** Why the user's configuration does not build, naming the library options the compiler names. */
function configFailure(what: string, config: string, lines: string[], probeError?: string): string {
  const errors = lines.filter((l) => /error/i.test(l) && !/^make/.test(l)).map((l) => l.replace(/^.*?(error:|#error)/, '$1').trim());
  const first = probeError ?? errors[0] ?? lines.filter(Boolean).slice(-1)[0] ?? 'no message';
  const options = [...new Set((probeError ? [probeError] : errors).join(' ').match(/\b(MBEDTLS|PSA_WANT|WOLFSSL|HAVE|NO|WC)_[A-Z0-9_]+/g) ?? [])].slice(0, 6);
  return `${what} does not build with the configuration ${config}${options.length ? ` (it names ${options.join(', ')})` : ''}: ${first.slice(0, 300)}`;
}
