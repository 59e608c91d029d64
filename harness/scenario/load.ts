// Reads a scenario file: YAML syntax errors and schema errors become one
// UserError naming the file, the line where known, and the field.
import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument, isNode } from 'yaml';
import { UserError } from '../errors.js';
import { ScenarioSchema, type Scenario } from './schema.js';

export interface LoadedScenario {
  file: string;
  text: string;
  scenario: Scenario;
}

export function parseScenario(file: string, text: string): LoadedScenario {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length) {
    const e = doc.errors[0]!;
    const pos = lc.linePos(e.pos[0]);
    throw new UserError(`${file}:${pos.line}:${pos.col}: YAML syntax error: ${e.message.split('\n')[0]}`);
  }
  const data = doc.toJS();
  if (data === null || typeof data !== 'object' || Array.isArray(data)) throw new UserError(`${file}: expected a mapping of scenario fields at the top level`);
  const parsed = ScenarioSchema.safeParse(data);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((iss) => {
      const path = iss.path.map(String);
      // Point at the deepest node that exists in the file.
      let line = '';
      for (let n = path.length; n >= 0; n--) {
        const node = doc.getIn(path.slice(0, n), true);
        if (isNode(node) && node.range) { line = `:${lc.linePos(node.range[0]).line}`; break; }
      }
      const field = path.length ? path.join('.') : '(top level)';
      let msg = iss.message;
      if (iss.code === 'unrecognized_keys') msg = `unknown field(s) ${iss.keys.map((k) => `'${k}'`).join(', ')}`;
      return `${file}${line}: ${field}: ${msg}`;
    });
    throw new UserError(lines.join('\n'));
  }
  return { file, text, scenario: parsed.data };
}

export function loadScenario(file: string): LoadedScenario {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UserError(`${file}: cannot read scenario: ${(e as Error).message}`);
  }
  return parseScenario(file, text);
}
