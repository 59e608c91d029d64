// Results on disk. Each record is appended to results.jsonl the moment it
// is measured (so nothing is lost if the run dies); results.json is then
// written atomically (temp file + rename) at the end.
import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RecordSchema, type ResultRecord, type Results } from '../record/schema.js';
import { libraryLabel, recordKey } from '../record/key.js';

/** Records a previous (perhaps killed) run completed. A torn last line —
 *  the run died while writing it — is ignored; that record runs again. */
export function readJournal(dir: string): ResultRecord[] {
  const path = join(dir, 'results.jsonl');
  if (!existsSync(path)) return [];
  const out: ResultRecord[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    try {
      out.push(RecordSchema.parse(JSON.parse(line)));
    } catch {
      // torn or foreign line: not a finished measurement
    }
  }
  return out;
}

export class ResultsSink {
  readonly records: ResultRecord[] = [];
  /** resume: keep the journal's finished records and append after them. */
  constructor(readonly dir: string, resume = false) {
    mkdirSync(dir, { recursive: true });
    if (resume) {
      const seen = new Set<string>();
      for (const r of readJournal(dir)) if (!seen.has(recordKey(r))) { seen.add(recordKey(r)); this.records.push(r); }
      writeAtomic(join(dir, 'results.jsonl'), this.records.map((r) => JSON.stringify(r) + '\n').join(''));
    } else writeFileSync(join(dir, 'results.jsonl'), '');
  }
  add(r: ResultRecord) {
    this.records.push(r);
    appendFileSync(join(this.dir, 'results.jsonl'), JSON.stringify(r) + '\n');
  }
}

export function writeAtomic(path: string, text: string) {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

/** results.json as written: what its sha256 (in results.md's footer) is over. */
export const resultsJsonText = (results: Results) => JSON.stringify(results, null, 2) + '\n';

export function writeResults(dir: string, results: Results) {
  writeAtomic(join(dir, 'results.json'), resultsJsonText(results));
}

/** Records in plan order (library, board, op as the scenario lists them),
 *  whatever order jobs, shards or a resume finished them in. */
export function orderRecords(records: ResultRecord[], order: { libraries: string[]; boards: string[]; ops: string[] }): ResultRecord[] {
  const rank = (list: string[], v: string) => { const i = list.indexOf(v); return i < 0 ? list.length : i; };
  return [...records].sort((a, b) =>
    rank(order.libraries, libraryLabel(a)) - rank(order.libraries, libraryLabel(b)) || rank(order.boards, a.board) - rank(order.boards, b.board) || rank(order.ops, a.op) - rank(order.ops, b.op));
}
