// Every malformed scenario gives one clear message naming the file, the
// line where known, and the field — and is a UserError (exit 2, nothing runs).
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadScenario, parseScenario } from '../../harness/scenario/load.js';
import { UserError } from '../../harness/core/errors.js';

const base = {
  name: 'name: t',
  boards: 'boards: [mps2-an385]',
  libraries: 'libraries: [mbedtls]',
  ops: 'ops: [ecdsa-verify]',
};
type Part = keyof typeof base;
const doc = (over: Partial<Record<Part, string | null>> = {}, extra = '') =>
  (Object.keys(base) as Part[]).map((k) => (over[k] === undefined ? base[k] : over[k])).filter((l) => l !== null).join('\n') + '\n' + extra;

// [description, scenario text, expected message]
const CASES: [string, string, RegExp][] = [
  ['YAML: unclosed flow list', doc({ boards: 'boards: [mps2-an385' }), /^bad\.yaml:\d+:\d+: YAML syntax error/],
  ['YAML: bad indentation', doc({}, 'vectors:\n  count: 2\n   seed: x\n'), /^bad\.yaml:\d+:\d+: YAML syntax error/],
  ['YAML: tab indentation', doc({}, 'vectors:\n\tcount: 2\n'), /^bad\.yaml:\d+:\d+: YAML syntax error/],
  ['YAML: duplicate key', doc({}, 'name: again\n'), /^bad\.yaml:5:\d+: YAML syntax error.*[Mm]ap keys must be unique/],
  ['YAML: unterminated quote', doc({ name: 'name: "t' }), /^bad\.yaml:\d+:\d+: YAML syntax error/],
  ['empty file', '', /^bad\.yaml: expected a mapping/],
  ['a list at top level', '- boards\n- ops\n', /^bad\.yaml: expected a mapping/],
  ['a scalar at top level', 'hello\n', /^bad\.yaml: expected a mapping/],
  ['missing name', doc({ name: null }), /^bad\.yaml(:\d+)?: name: /],
  ['missing boards', doc({ boards: null }), /^bad\.yaml(:\d+)?: boards: /],
  ['missing libraries', doc({ libraries: null }), /^bad\.yaml(:\d+)?: libraries: /],
  ['missing ops', doc({ ops: null }), /^bad\.yaml(:\d+)?: ops: /],
  ['name with spaces', doc({ name: 'name: my run' }), /^bad\.yaml:1: name: lowercase letters/],
  ['name is a number', doc({ name: 'name: 42' }), /^bad\.yaml:1: name: /],
  ['unknown board', doc({ boards: 'boards: [stm32f4]' }), /^bad\.yaml:2: boards\.0: unknown board 'stm32f4'/],
  ['second board unknown', doc({ boards: 'boards: [microbit, esp32]' }), /^bad\.yaml:2: boards\.1: unknown board 'esp32'/],
  ['unknown library', doc({ libraries: 'libraries: [openssl]' }), /^bad\.yaml:3: libraries\.0: unknown library 'openssl'/],
  ['unknown op', doc({ ops: 'ops: [ecdsa-verfy]' }), /^bad\.yaml:4: ops\.0: unknown op 'ecdsa-verfy'/],
  ['boards not a list', doc({ boards: 'boards: microbit' }), /^bad\.yaml:2: boards: /],
  ['ops is a mapping', doc({ ops: 'ops: {a: 1}' }), /^bad\.yaml:4: ops: /],
  ['empty boards', doc({ boards: 'boards: []' }), /^bad\.yaml:2: boards: /],
  ['duplicate board', doc({ boards: 'boards: [microbit, microbit]' }), /^bad\.yaml:2: boards: duplicate entries/],
  ['duplicate op', doc({ ops: 'ops: [ecdsa-verify, ecdsa-verify]' }), /^bad\.yaml:4: ops: duplicate entries/],
  ['board id of wrong type', doc({ boards: 'boards: [1]' }), /^bad\.yaml:2: boards\.0: /],
  ['unknown top-level field', doc({}, 'bords: [microbit]\n'), /^bad\.yaml:\d+: bords: unknown field 'bords' \(did you mean 'boards'\?\)/],
  ['unknown nested field', doc({}, 'vectors:\n  cuont: 3\n'), /^bad\.yaml:\d+: vectors\.cuont: unknown field 'cuont' \(did you mean 'count'\?\)/],
  ['vectors.count negative', doc({}, 'vectors:\n  count: -1\n'), /^bad\.yaml:6: vectors\.count: Too small/],
  ['vectors.count fractional', doc({}, 'vectors:\n  count: 2.5\n'), /^bad\.yaml:6: vectors\.count: /],
  ['vectors.count a string', doc({}, 'vectors:\n  count: many\n'), /^bad\.yaml:6: vectors\.count: /],
  ['vectors.count too large', doc({}, 'vectors:\n  count: 100000\n'), /^bad\.yaml:6: vectors\.count: Too big/],
  ['vectors.seed empty', doc({}, 'vectors:\n  seed: ""\n'), /^bad\.yaml:6: vectors\.seed: /],
  ['vectors not a mapping', doc({}, 'vectors: 4\n'), /^bad\.yaml:5: vectors: /],
  ['unknown optimisation level', doc({}, 'build:\n  opt: O9\n'), /^bad\.yaml:6: build\.opt: /],
  ['cflag that is not a flag', doc({}, 'build:\n  cflags: ["; rm -rf /"]\n'), /^bad\.yaml:6: build\.cflags\.0: '; rm -rf \/' is not a compiler flag/],
  ['cflag that changes the output', doc({}, 'build:\n  cflags: ["-o/tmp/x"]\n'), /^bad\.yaml:6: build\.cflags\.0: /],
  ['zero op timeout', doc({}, 'limits:\n  opSeconds: 0\n'), /^bad\.yaml:6: limits\.opSeconds: /],
  ['schema version from the future', doc({}, 'schema: 2\n'), /^bad\.yaml:5: schema: /],
];

describe('bad scenarios', () => {
  it('has at least 30 cases', () => expect(CASES.length).toBeGreaterThanOrEqual(30));
  it.each(CASES)('%s', (_what, text, want) => {
    let msg = '';
    try {
      parseScenario('bad.yaml', text);
    } catch (e) {
      expect(e).toBeInstanceOf(UserError);
      msg = (e as Error).message;
    }
    expect(msg, 'no error was raised').not.toBe('');
    expect(msg).toMatch(want);
    expect(msg.split('\n').length).toBeLessThanOrEqual(3); // one clear message, not a dump
  });

  it('names the file when it cannot be read', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bad-'));
    expect(() => loadScenario(join(dir, 'missing.yaml'))).toThrow(/missing\.yaml: cannot read scenario/);
    mkdirSync(join(dir, 'adir.yaml'));
    expect(() => loadScenario(join(dir, 'adir.yaml'))).toThrow(/adir\.yaml: cannot read scenario/);
    writeFileSync(join(dir, 'bin.yaml'), Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x02]));
    expect(() => loadScenario(join(dir, 'bin.yaml'))).toThrow(UserError);
  });
});
