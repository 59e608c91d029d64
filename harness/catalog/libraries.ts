// Libraries are the adapter folders under firmware/adapters/ (one per
// library behind the one C ops interface). An adapter may restrict the
// cores it runs on (`LIB_CORES := cortex-m4 ...` with `LIB_CORES_WHY := ...`)
// and may build several pinned versions of its library (`LIB_VERSIONS :=
// newest ... oldest`; make takes `LIB_VERSION=`). A scenario names a library
// as `name` (its newest pinned version) or `name@version`. An adapter that
// takes a configuration of the user's declares the header that reads it
// (`LIB_CONFIG_PROBE`; firmware/Makefile, LIB_CONFIG).
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { FIRMWARE } from '../core/paths.js';
import { didYouMean } from '../core/suggest.js';

export interface Library {
  id: string;
  available: boolean; // an adapter exists in this tree
  cores?: string[];
  coresWhy?: string;
  /** Pinned versions, newest first; empty for an adapter of one unnamed version. */
  versions: string[];
  /** It takes a configuration file of the user's (scenario build.config). */
  configurable: boolean;
}

/** One library at one version, as the plan and the records carry it. */
export interface LibraryRef {
  id: string;
  /** Undefined only for an adapter that pins no versions. */
  version?: string;
}

/** An adapter fragment's top-level assignments, with another adapter's fragment it includes read in place. */
function makeVars(path: string, vars: Record<string, string> = {}): Record<string, string> {
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const inc = /^include \$\(FW\)\/adapters\/([a-z0-9-]+)\/adapter\.mk\s*$/.exec(line);
    if (inc) makeVars(join(FIRMWARE, 'adapters', inc[1]!, 'adapter.mk'), vars);
    const m = /^([A-Z_0-9]+)\s*:?=\s*(.*)$/.exec(line);
    if (m) vars[m[1]!] = m[2]!.trim();
  }
  return vars;
}

const cache = new Map<string, Library>();
export function library(id: string): Library {
  const hit = cache.get(id);
  if (hit) return hit;
  const mk = join(FIRMWARE, 'adapters', id, 'adapter.mk');
  if (!/^[a-z0-9][a-z0-9-]*$/.test(id) || !existsSync(mk)) return { id, available: false, versions: [], configurable: false };
  const vars = makeVars(mk);
  const words = (v: string | undefined) => v?.split(/\s+/).filter(Boolean);
  const lib: Library = { id, available: true, cores: words(vars.LIB_CORES), coresWhy: vars.LIB_CORES_WHY, versions: words(vars.LIB_VERSIONS) ?? [], configurable: !!vars.LIB_CONFIG_PROBE };
  cache.set(id, lib);
  return lib;
}

/** Every library a scenario may name: the adapter folders but `none` (the empty image). */
export function libraryIds(): string[] {
  return readdirSync(join(FIRMWARE, 'adapters'))
    .filter((d) => d !== 'none' && existsSync(join(FIRMWARE, 'adapters', d, 'adapter.mk')))
    .sort();
}

/** `name` or `name@version` -> the library at that version (the newest pinned one for a bare name), or why not. */
export function resolveLibrary(ref: string): LibraryRef | { error: string } {
  const at = ref.indexOf('@');
  const id = at < 0 ? ref : ref.slice(0, at);
  const version = at < 0 ? undefined : ref.slice(at + 1);
  const lib = library(id);
  if (!lib.available) return { error: `unknown library '${id}'${didYouMean(id, libraryIds())} (known: ${libraryIds().join(', ')})` };
  if (version === undefined) return { id, version: lib.versions[0] };
  if (!lib.versions.length) return { error: `${id} pins no versions, so '${ref}' cannot be built; name it as '${id}'` };
  if (!lib.versions.includes(version)) return { error: `unknown version '${ref}'${didYouMean(ref, lib.versions.map((v) => `${id}@${v}`))} (known: ${lib.versions.map((v) => `${id}@${v}`).join(', ')})` };
  return { id, version };
}
