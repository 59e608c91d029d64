// Reading a file a user names (a scenario, a results file, a baseline, a
// fuzz input to replay): a regular file only, and never more than a cap.
// A FIFO, /dev/zero, /dev/urandom or a directory would otherwise block or
// read forever; a huge file would take minutes to parse. Every refusal is
// one UserError line (exit 2).
import { closeSync, constants, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import { UserError } from './errors.js';

export const MiB = 1024 * 1024;
/** Scenario files (and other small YAML/text inputs): far above any real one (the largest shipped is ~6 KB). */
export const SCENARIO_MAX_BYTES = 1 * MiB;
/** results.json and baselines: a full primitives run is a few MB. */
export const RESULTS_MAX_BYTES = 256 * MiB;
/** One fuzz input (a certificate, CRL or datagram): the device's link frame is a few KiB. */
export const FUZZ_INPUT_MAX_BYTES = 1 * MiB;

const kind = (s: Stats) =>
  s.isDirectory() ? 'a directory' : s.isFIFO() ? 'a FIFO (named pipe)' : s.isCharacterDevice() ? 'a character device' : s.isBlockDevice() ? 'a block device' : s.isSocket() ? 'a socket' : 'not a regular file';

const size = (n: number) => (n >= MiB ? `${(n / MiB).toFixed(n >= 10 * MiB ? 0 : 1)} MiB` : n >= 1024 ? `${Math.round(n / 1024)} KiB` : `${n} B`);

export interface InputOptions {
  /** What the file is, for the message: "scenario", "results", "baseline", "fuzz input". */
  what: string;
  maxBytes: number;
}

/**
 * The bytes of `path`, or a UserError naming the file and why not. The file
 * is checked before it is opened (a FIFO is never opened: opening one
 * blocks until a writer comes), opened non-blocking, checked again on the
 * open descriptor (it may have been swapped), and read up to the cap.
 */
export function readInputFile(path: string, o: InputOptions): Buffer {
  const fail = (why: string) => new UserError(`${path}: cannot read ${o.what}: ${why}`);
  let st: Stats;
  try {
    st = statSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw fail(code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'no permission' : code === 'ENOTDIR' ? 'a part of the path is not a directory' : (e as Error).message);
  }
  if (!st.isFile()) throw fail(`it is ${kind(st)}; give a regular file`);
  if (st.size > o.maxBytes) throw fail(`it is ${size(st.size)}; a ${o.what} file may be at most ${size(o.maxBytes)}`);
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | (constants.O_NOCTTY ?? 0));
  } catch (e) {
    throw fail((e as NodeJS.ErrnoException).code === 'EACCES' ? 'no permission' : (e as Error).message);
  }
  try {
    const now = fstatSync(fd);
    if (!now.isFile()) throw fail(`it is ${kind(now)}; give a regular file`);
    // Read up to the cap + 1 whatever size says (/proc files say 0; a file may grow).
    let buf = Buffer.alloc(Math.min(o.maxBytes + 1, now.size + 1));
    let n = 0;
    for (;;) {
      if (n === buf.length) {
        if (n > o.maxBytes) throw fail(`it is larger than ${size(o.maxBytes)}, the most a ${o.what} file may be`);
        const bigger = Buffer.alloc(Math.min(o.maxBytes + 1, Math.max(64 * 1024, buf.length * 2)));
        buf.copy(bigger);
        buf = bigger;
      }
      const k = readSync(fd, buf, n, buf.length - n, null);
      if (k === 0) return buf.subarray(0, n);
      n += k;
    }
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw fail((e as Error).message);
  } finally {
    closeSync(fd);
  }
}

/** readInputFile as UTF-8 text; a file that is not text is refused. */
export function readInputText(path: string, o: InputOptions): string {
  const bytes = readInputFile(path, o);
  if (bytes.includes(0)) throw new UserError(`${path}: cannot read ${o.what}: it is binary (has NUL bytes), not text`);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new UserError(`${path}: cannot read ${o.what}: not UTF-8 text`);
  }
}
