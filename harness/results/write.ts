// Results on disk. Each record is appended to results.jsonl the moment it
// is measured (so nothing is lost if the run dies); results.json is then
// written atomically (temp file + rename) at the end.
import { appendFileSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ResultRecord, Results } from './schema.js';

export class ResultsSink {
  readonly records: ResultRecord[] = [];
  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'results.jsonl'), '');
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

export function writeResults(dir: string, results: Results) {
  writeAtomic(join(dir, 'results.json'), JSON.stringify(results, null, 2) + '\n');
}
