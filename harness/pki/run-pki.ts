// The handshake scenarios' PKI (handshake-pki.ts): built once per run (per
// OpContext.scope), seed, profile and chain depth, with its PEM files in a
// temporary folder (core/lifecycle.ts) removed when the process ends, however it
// ends: it holds private keys. Dates are fixed and the
// keys come from the seed, so a run's certificates are the same every run;
// consumers still take DER sizes from here rather than assume them.
import { join } from 'node:path';
import { makeTempDir } from '../core/lifecycle.js';
import { handshakePki, type HandshakeProfile, type Pki } from './handshake-pki.js';

const VALIDITY = { notBefore: new Date('2025-01-01T00:00:00Z'), notAfter: new Date('2035-01-01T00:00:00Z') };

let dir: string | undefined;
function tempDir(): string {
  if (!dir) dir = makeTempDir('pki');
  return dir;
}

const cache = new WeakMap<object, Map<string, Promise<Pki>>>();
let serial = 0;

/** The PKI of `depth` (1-3) for this run and seed; `run` is any object that lives as long as the run (OpContext.scope). */
export function runPki(run: object, seed: string, depth: 1 | 2 | 3, profile: HandshakeProfile = 'typical'): Promise<Pki> {
  let m = cache.get(run);
  if (!m) cache.set(run, (m = new Map()));
  const key = JSON.stringify([seed, profile, depth]);
  let p = m.get(key);
  if (!p) {
    const out = join(tempDir(), `${++serial}-${profile}-${depth}`);
    p = handshakePki({ seed, depth, profile, ...VALIDITY, dir: out });
    m.set(key, p);
  }
  return p;
}
