// Reads a scenario file: YAML syntax errors and schema errors become one
// UserError naming the file, the line where known, and the field.
import { readFileSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { LineCounter, parseDocument, isNode, visit } from 'yaml';
import { UserError } from '../core/errors.js';
import { readInputText, SCENARIO_MAX_BYTES } from '../core/input-file.js';
import { checkCflags } from './cflags.js';
import { ScenarioSchema, type Scenario } from './schema.js';
import { crossChecks } from './cross-checks.js';
import { dirname, resolve } from 'node:path';
import { deviceClockFor, loadUserPki } from '../pki/user-pki.js';
import type { UserInputs } from '../ops/spec.js';
import { didYouMean } from '../core/suggest.js';
import { registerUserCatalog } from './user-catalog.js';

/** The field names the schema allows at `path` (top level or a nested section). */
function knownFields(path: PropertyKey[]): string[] {
  let shape: unknown = ScenarioSchema;
  for (const p of path) shape = (shape as { shape?: Record<string, unknown> }).shape?.[String(p)];
  // Unwrap optional/default/prefault wrappers down to an object's shape.
  for (let i = 0; i < 5 && shape && !(shape as { shape?: unknown }).shape; i++) shape = (shape as { def?: { innerType?: unknown } }).def?.innerType;
  const s = (shape as { shape?: Record<string, unknown> } | undefined)?.shape;
  return s ? Object.keys(s) : [];
}

export interface LoadedScenario {
  file: string;
  text: string;
  scenario: Scenario;
  /** The deployment's own PSK, PKI and peer, read and checked (scenario/byo.ts). */
  user: UserInputs;
}

/** YAML aliases (*name) a scenario may use: each is expanded in full, so a
 *  few nested ones ("billion laughs") would make gigabytes. Scenarios need none. */
export const MAX_ALIASES = 32;
/** At most this many problems are listed, then how many more there are. */
const MAX_ISSUES = 5;

export function parseScenario(file: string, text: string): LoadedScenario {
  if (text.length > SCENARIO_MAX_BYTES) throw new UserError(`${file}: cannot read scenario: it is larger than 1 MiB, the most a scenario file may be`);
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length) {
    const e = doc.errors[0]!;
    const pos = lc.linePos(e.pos[0]);
    throw new UserError(`${file}:${pos.line}:${pos.col}: YAML syntax error: ${e.message.split('\n')[0]}`);
  }
  let aliases = 0;
  visit(doc, {
    Alias(_key, node) {
      if (++aliases > MAX_ALIASES) {
        const at = node.range ? `:${lc.linePos(node.range[0]).line}` : '';
        throw new UserError(`${file}${at}: more than ${MAX_ALIASES} YAML aliases (*name); each is expanded in full, so certcost refuses more (a scenario needs none)`);
      }
    },
  });
  let data: unknown;
  try {
    // maxAliasCount bounds what the aliases expand to (nested aliases multiply).
    data = doc.toJS({ maxAliasCount: 4 * MAX_ALIASES });
  } catch (e) {
    if (/alias/i.test((e as Error).message)) throw new UserError(`${file}: its YAML aliases expand to too much (nested aliases multiply); a scenario needs none`);
    throw new UserError(`${file}: cannot read the YAML: ${(e as Error).message.split('\n')[0]}`);
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) throw new UserError(`${file}: expected a mapping of scenario fields at the top level`);
  const lineOf = (path: string[]) => {
    // Point at the deepest node that exists in the file.
    for (let n = path.length; n >= 0; n--) {
      const node = doc.getIn(path.slice(0, n), true);
      if (isNode(node) && node.range) return `:${lc.linePos(node.range[0]).line}`;
    }
    return '';
  };
  const fail = (issues: { path: PropertyKey[]; message: string }[]) => {
    const more = issues.length - MAX_ISSUES;
    const lines = issues.slice(0, MAX_ISSUES).map((iss) => {
      const path = iss.path.map(String);
      const line = `${file}${lineOf(path)}: ${path.length ? path.map((p) => (p.length > 60 ? `${p.slice(0, 57)}…` : p)).join('.') : '(top level)'}: ${iss.message}`;
      return line.length > 2000 ? `${line.slice(0, 1997)}…` : line;
    });
    if (more > 0) lines.push(`${file}: … and ${more} more problem${more === 1 ? '' : 's'}`);
    return new UserError(lines.join('\n'));
  };
  // The scenario's own board files and MCU profiles join the catalogs first, so the schema knows them.
  const added = registerUserCatalog(data as Record<string, unknown>, file);
  if (added.length) throw fail(added);
  const parsed = ScenarioSchema.safeParse(data);
  if (!parsed.success) {
    // An unknown field gets a line of its own, at its own line in the file, with the nearest known field.
    throw fail(parsed.error.issues.flatMap((iss) =>
      iss.code === 'unrecognized_keys'
        ? iss.keys.map((k) => ({ path: [...iss.path, k], message: `unknown field '${k}'${didYouMean(k, knownFields(iss.path))}` }))
        : [{ path: iss.path, message: iss.message }]));
  }
  const cross = crossChecks(parsed.data);
  // Build flags: the allow-list, and -include FILE resolved under the scenario's folder.
  const flags = checkCflags(parsed.data.build.cflags, dirname(resolve(file)));
  if (cross.length || flags.issues.length) throw fail([...cross, ...flags.issues]);
  parsed.data.build.cflags = flags.cflags;
  const s = parsed.data;
  const user: UserInputs = { peer: s.peer };
  if (s.psk) user.psk = { identity: s.psk.identity, key: new Uint8Array(Buffer.from(s.psk.key, 'hex')) };
  if (s.pki) {
    // PEM paths are relative to the scenario file; a bad file is one line naming it, at the pki field.
    const at = (p?: string) => (p === undefined ? undefined : resolve(dirname(file), p));
    try {
      user.pki = loadUserPki({ serverChain: at(s.pki.serverChain)!, serverKey: at(s.pki.serverKey)!, trustAnchors: at(s.pki.trustAnchors)!, clientChain: at(s.pki.clientChain), clientKey: at(s.pki.clientKey) });
      user.pki.deviceClock = deviceClockFor(user.pki, s.pki.deviceClock);
    } catch (e) {
      if (e instanceof UserError) throw fail([{ path: ['pki'], message: e.message }]);
      throw e;
    }
  }
  for (const [id, c] of Object.entries(s.build.config)) {
    // A configuration file is relative to the scenario too; its hash goes into the records.
    const path = resolve(dirname(file), c.file);
    let bytes: Buffer;
    try {
      if (!statSync(path).isFile()) throw new Error('not a regular file');
      bytes = readFileSync(path);
    } catch (e) {
      throw fail([{ path: ['build', 'config', id], message: `${c.file}: cannot read the configuration file: ${(e as Error).message.replace(/^[A-Z]+: /, '')}` }]);
    }
    (user.libraryConfigs ??= {})[id] = { path, file: c.file, mode: c.mode, sha256: createHash('sha256').update(bytes).digest('hex') };
  }
  return { file, text, scenario: s, user };
}

/** A scenario file: a regular file of at most 1 MiB (core/input-file.ts), then parseScenario. */
export function loadScenario(file: string): LoadedScenario {
  return parseScenario(file, readInputText(file, { what: 'scenario', maxBytes: SCENARIO_MAX_BYTES }));
}
