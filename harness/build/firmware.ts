// plan -> build: one image per (board, library, build options) via the
// firmware Makefile. make's own dependency tracking makes a rebuild of an
// unchanged image a no-op.
import { runGuardedSync } from '../core/child.js';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUILD, CACHE, FIRMWARE } from '../core/paths.js';
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

export function buildImage(o: BuildOptions): Image {
  const out = imageDir(o);
  const args = ['-C', FIRMWARE, '-j2', '--no-print-directory', `BOARD=${o.board}`, `LIB=${o.library}`, ...(o.libraryVersion ? [`LIB_VERSION=${o.libraryVersion}`] : []), `OPT=-${o.opt}`, `OUT=${out}`, `CACHE=${CACHE}`, `EXTRA_CFLAGS=${o.cflags.join(' ')}`,
    ...(o.boardFile ? [`BOARD_FILE=${o.boardFile}`] : []),
    ...(o.config ? [`LIB_CONFIG=${o.config.path}`, `LIB_CONFIG_MODE=${o.config.mode}`] : [])];
  // make and every compiler under it die with the harness (core/child.ts).
  const r = runGuardedSync('make', args, { encoding: 'utf8', maxBuffer: 64 << 20 }) as { status: number | null; stdout: string; stderr: string };
  const check = o.config ? readConfigCheck(join(out, 'config-check.txt')) : { omitted: new Map<string, string[]>(), lacks: new Map<string, string[]>() };
  if (r.status !== 0) {
    // make echoes each compiler command, and file names like error.c are not errors.
    const lines = (r.stderr + r.stdout).split('\n').filter((l) => !/^\S*gcc\s/.test(l));
    const log = lines.filter((l) => /error|undefined|overflow|not enough/i.test(l)).slice(0, 12).join('\n');
    const what = `${o.board}/${o.library}${o.libraryVersion ? `@${o.libraryVersion}` : ''}`;
    if (o.config && !/overflow|not enough/i.test(log)) throw new ConfigBuildFailure(configFailure(what, o.config.file ?? o.config.path, lines, check.probeError));
    throw new Error(`build failed for ${what}: ${log || (r.stderr || r.stdout).slice(-2000)}`);
  }
  const elfPath = join(out, 'firmware.elf');
  // The hash of what is flashed, not of the file: debug info carries the checkout's paths.
  return { elfPath, sha256: Elf.read(elfPath).loadedSha256(), opt: o.opt, omitted: check.omitted, lacks: check.lacks };
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
