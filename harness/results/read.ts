// Reads a results.json (or the results.json inside a directory) for the
// commands that work on finished runs: report, check, merge. Bad files are
// UserErrors (exit 2). Records are kept as parsed JSON too, because zod drops
// fields it does not know, and reports show later-added fields generically.
import { createHash } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { UserError } from '../core/errors.js';
import { readInputText, RESULTS_MAX_BYTES } from '../core/input-file.js';
import { ROOT } from '../core/paths.js';
import { loadScenario } from '../scenario/load.js';
import type { Scenario } from '../scenario/schema.js';
import { ResultsSchema, RESULTS_SCHEMA_VERSION, type RawRecord, type Results } from '../record/schema.js';

export interface LoadedResults {
  file: string;
  dir: string;
  text: string;
  results: Results;
  records: RawRecord[];
}

export function resultsFile(pathOrDir: string): string {
  const p = resolve(pathOrDir);
  if (existsSync(p) && statSync(p).isDirectory()) return join(p, 'results.json');
  return p;
}

export function parseResults(file: string, text: string): LoadedResults {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new UserError(`${file}: not JSON: ${(e as Error).message}`);
  }
  const v = (data as { schemaVersion?: unknown } | null)?.schemaVersion;
  // Version 1 is a subset of 2 (fewer statuses, no libraryVersion/fit/findings): read as 2.
  if (v === 1) (data as { schemaVersion: number }).schemaVersion = RESULTS_SCHEMA_VERSION;
  else if (v !== RESULTS_SCHEMA_VERSION) throw new UserError(`${file}: results schemaVersion ${JSON.stringify(v)}, this certcost reads 1 and ${RESULTS_SCHEMA_VERSION}`);
  const parsed = ResultsSchema.safeParse(data);
  if (!parsed.success) {
    const iss = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(top level)'}: ${i.message}`);
    throw new UserError(`${file}: not a certcost results file:\n  ${iss.join('\n  ')}`);
  }
  const rawRecords = (data as { records: Record<string, unknown>[] }).records;
  const records = parsed.data.records.map((r, i) => ({ ...rawRecords[i], ...r }) as RawRecord);
  return { file, dir: dirname(file), text, results: parsed.data, records };
}

export function readResults(pathOrDir: string): LoadedResults {
  const file = resultsFile(pathOrDir);
  // A regular file of at most 256 MiB: a FIFO or /dev/zero named as results must not hang the command.
  return parseResults(file, readInputText(file, { what: 'results', maxBytes: RESULTS_MAX_BYTES }));
}

/**
 * The scenario a run came from, for its `budget:` and `thresholds:`: the
 * file named in results.json (relative to the repository), unless overridden.
 * null when the file is gone; a note says when it changed since the run.
 */
export function scenarioOf(results: Results, override?: string): { scenario: Scenario; note?: string } | null {
  const candidates = override ? [resolve(override)] : [resolve(ROOT, results.scenario.file), resolve(results.scenario.file)];
  const file = candidates.find((f) => existsSync(f));
  if (!file) {
    if (override) throw new UserError(`${override}: no such scenario file`);
    return null;
  }
  const loaded = loadScenario(file);
  const sha = createHash('sha256').update(loaded.text).digest('hex');
  return { scenario: loaded.scenario, note: sha !== results.scenario.sha256 ? `${file} changed since the run; using its current settings` : undefined };
}
