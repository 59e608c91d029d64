// The EDHOC responder the device talks to: certcost's own host program
// (firmware/adapters/lakers/rust/responder), lakers 0.8.0 built for the host
// with cargo, offline, from the crates setup/fetch-lakers.sh vendored (the
// same pinned crates as the device's shim), into build/host/edhoc-responder on
// first use. This module builds it and says how to run it and read it; the
// op (harness/ops/edhoc) starts and stops it.
import { execGuardedSync } from '../core/child.js';
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUILD, CACHE, FIRMWARE } from '../core/paths.js';
import { hex, unhex } from './cbor.js';

const WORKSPACE = join(FIRMWARE, 'adapters', 'lakers', 'rust');
const VENDOR = join(CACHE, 'src', 'lakers-vendor');
const TARGET_DIR = join(BUILD, 'host', 'edhoc-responder');

/** "lakers 0.8.0 (host build of certcost-edhoc-responder)": the peer's name in records. */
export const RESPONDER_NAME = 'lakers 0.8.0 EDHOC responder (certcost-edhoc-responder, host build from the same pinned crates)';

let built: string | undefined;
/** Builds the responder if needed (cargo decides; a no-op when nothing changed) and returns its path. */
export function responderBinary(): string {
  if (built) return built;
  if (!existsSync(join(VENDOR, '.certcost-ok'))) throw new Error(`no vendored lakers crates in ${VENDOR} (run setup/setup.sh)`);
  // The lock set-up derived from crates.lock (git-ignored next to the workspace).
  const lock = join(WORKSPACE, 'Cargo.lock');
  if (!existsSync(lock) || !readFileSync(lock).equals(readFileSync(join(VENDOR, 'Cargo.lock')))) copyFileSync(join(VENDOR, 'Cargo.lock'), lock);
  execGuardedSync('cargo', [
    'build', '-j2', '--quiet', '--offline', '--locked', '--release',
    '--manifest-path', join(WORKSPACE, 'Cargo.toml'), '-p', 'certcost-edhoc-responder', '--target-dir', TARGET_DIR,
    '--config', "source.crates-io.replace-with='certcost-vendor'",
    '--config', `source.certcost-vendor.directory='${VENDOR}'`,
    '--config', "profile.release.opt-level=2",
  ], { env: { ...process.env, CARGO_HOME: join(CACHE, 'cargo') } });
  const bin = join(TARGET_DIR, 'release', 'certcost-edhoc-responder');
  if (!existsSync(bin)) throw new Error(`cargo did not produce ${bin}`);
  return (built = bin);
}

export interface ResponderConfig {
  host: string;
  /** Static private key R and its credential CRED_R (a CCS). */
  r: Uint8Array;
  credR: Uint8Array;
  /** The initiator credential it accepts. */
  credI: Uint8Array;
  /** C_R, one CBOR byte. */
  cR: number;
  /** ID_CRED_R by value (kccs) instead of by kid. */
  byValue: boolean;
  /** Seed of its ephemeral keys (session n: SHA-256(seed || n) blocks). */
  seed: Uint8Array;
}

export function responderArgs(c: ResponderConfig): string[] {
  return ['--host', c.host, '--port', '0', '--r', hex(c.r), '--cred-r', hex(c.credR), '--cred-i', hex(c.credI),
    '--c-r', c.cR.toString(16).padStart(2, '0'), ...(c.byValue ? ['--by-value'] : []), '--seed', hex(c.seed)];
}

/** One line the responder printed about a session. */
export type ResponderSession =
  | { session: number; y: Uint8Array; cI: Uint8Array; prkOut: Uint8Array; oscoreSecret: Uint8Array; oscoreSalt: Uint8Array }
  | { session: number; error: string };

/** The port from its first line, `listening PORT`, if printed yet. */
export function listeningPort(output: string): number | undefined {
  const m = /^listening (\d+)$/m.exec(output);
  return m ? Number(m[1]) : undefined;
}

/** Every session line printed so far. */
export function responderSessions(output: string): ResponderSession[] {
  const out: ResponderSession[] = [];
  for (const line of output.split('\n')) {
    if (!line.startsWith('{')) continue;
    const o = JSON.parse(line) as Record<string, string | number>;
    if (typeof o.error === 'string') out.push({ session: Number(o.session), error: o.error });
    else out.push({ session: Number(o.session), y: unhex(String(o.y)), cI: unhex(String(o.c_i)), prkOut: unhex(String(o.prk_out)), oscoreSecret: unhex(String(o.oscore_secret)), oscoreSalt: unhex(String(o.oscore_salt)) });
  }
  return out;
}
