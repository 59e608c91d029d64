// The handshake scenarios' PKI: generated once per run (per Scenario object)
// and per chain depth, PEM files in a temporary folder removed when the
// process exits. Dates are fixed; the keys are fresh each run, so every
// consumer takes DER sizes from here (a P-256 signature's DER length moves
// by a byte or two from key to key).
import { mkdtempSync, rmSync } from 'node:fs';
import { createPrivateKey } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generatePki, type CertProfile, type Pki } from '../pki/generate.js';

const VALIDITY = { notBefore: new Date('2025-01-01T00:00:00Z'), notAfter: new Date('2035-01-01T00:00:00Z') };

let dir: string | undefined;
function tempDir(): string {
  if (!dir) {
    dir = mkdtempSync(join(tmpdir(), 'certcost-pki-'));
    const d = dir;
    process.once('exit', () => rmSync(d, { recursive: true, force: true }));
  }
  return dir;
}

const cache = new WeakMap<object, Map<string, Promise<Pki>>>();
let serial = 0;

/** The PKI of `depth` (1-3) for this run; `run` is any object that lives as long as the run (the scenario). */
export function runPki(run: object, depth: 1 | 2 | 3, profile: CertProfile = 'typical'): Promise<Pki> {
  let m = cache.get(run);
  if (!m) cache.set(run, (m = new Map()));
  const key = `${profile}-${depth}`;
  let p = m.get(key);
  if (!p) {
    const out = join(tempDir(), `${++serial}-${key}`);
    p = generatePki({ depth, profile, ...VALIDITY, dir: out });
    m.set(key, p);
  }
  return p;
}

/** A P-256 private key (PKCS#8 DER) as the 32-byte big-endian scalar dtls-client takes. */
export function p256Scalar(pkcs8: Uint8Array): Uint8Array {
  const jwk = createPrivateKey({ key: Buffer.from(pkcs8), format: 'der', type: 'pkcs8' }).export({ format: 'jwk' });
  const d = Buffer.from(jwk.d!, 'base64url');
  if (d.length !== 32) throw new Error(`not a P-256 private key (scalar of ${d.length} B)`);
  return new Uint8Array(d);
}

export const concat = (parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
};
