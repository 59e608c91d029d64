import { describe, expect, it } from 'vitest';
import { loadScenario, parseScenario } from '../../harness/scenario/load.js';
import { UserError } from '../../harness/core/errors.js';
import { readdirSync } from 'node:fs';

const ok = `name: t
boards: [mps2-an385]
libraries: [mbedtls]
ops: [ecdsa-verify]
`;

function err(text: string): string {
  try {
    parseScenario('bad.yaml', text);
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    return (e as Error).message;
  }
  throw new Error('expected a UserError');
}

describe('scenario schema', () => {
  it('accepts a minimal scenario and fills defaults', () => {
    const s = parseScenario('ok.yaml', ok).scenario;
    expect(s.vectors).toMatchObject({ count: 4, seed: 'certcost' });
    expect(s.build.opt).toBe('Os');
  });

  it('accepts every scenario shipped in scenarios/ (the byo examples with a PKI: test/unit/byo.test.ts, after make-pki.sh)', () => {
    const files = [...readdirSync('scenarios').filter((f) => f.endsWith('.yaml')).map((f) => `scenarios/${f}`), 'scenarios/examples/byo/byo-mcu.yaml'];
    expect(files.length).toBeGreaterThan(10);
    for (const f of files) expect(() => loadScenario(f), f).not.toThrow();
  });

  it('names file, line and field for an unknown board', () => {
    expect(err(ok.replace('mps2-an385', 'stm32'))).toMatch(/^bad\.yaml:2: boards\.0: unknown board 'stm32' \(known: microbit/);
  });

  it('names an unknown library and an unknown op', () => {
    expect(err(ok.replace('[mbedtls]', '[openssl]'))).toMatch(/bad\.yaml:3: libraries\.0: unknown library 'openssl'/);
    expect(err(ok.replace('[ecdsa-verify]', '[ecdsa-verfy]'))).toMatch(/bad\.yaml:4: ops\.0: unknown op 'ecdsa-verfy'/);
  });

  it('rejects unknown fields instead of ignoring them', () => {
    expect(err(ok + 'boardz: [microbit]\n')).toMatch(/bad\.yaml:\d+: boardz: unknown field 'boardz' \(did you mean 'boards'\?\)/);
    expect(err(ok + 'vectors:\n  cuont: 3\n')).toMatch(/vectors\.cuont: unknown field 'cuont'/);
    // Two unknown fields: a line each, at each one's own line.
    const two = err(ok + 'vectors:\n  cuont: 3\n  sede: x\n').split('\n');
    expect(two.map((l) => l.replace(/^bad\.yaml:(\d+): .*?unknown field '(\w+)'.*$/, '$1 $2'))).toEqual([expect.stringMatching(/^\d+ cuont$/), expect.stringMatching(/^\d+ sede$/)]);
    expect(Number(two[1]!.split(':')[1])).toBe(Number(two[0]!.split(':')[1]) + 1);
  });

  it('rejects wrong types with the field path', () => {
    expect(err(ok + 'vectors:\n  count: many\n')).toMatch(/bad\.yaml:6: vectors\.count: /);
    expect(err(ok.replace('[mbedtls]', 'mbedtls'))).toMatch(/bad\.yaml:3: libraries: /);
  });

  it('reports YAML syntax errors with line and column', () => {
    expect(err('name: t\nboards: [microbit\n')).toMatch(/^bad\.yaml:\d+:\d+: YAML syntax error/);
  });

  it('rejects duplicate keys, empty lists and duplicates in lists', () => {
    expect(err(ok + 'name: again\n')).toMatch(/YAML syntax error/);
    expect(err(ok.replace('[mps2-an385]', '[]'))).toMatch(/boards: /);
    expect(err(ok.replace('[mps2-an385]', '[microbit, microbit]'))).toMatch(/boards: duplicate entries/);
  });

  it('rejects a top level that is not a mapping', () => {
    expect(err('- a\n- b\n')).toMatch(/expected a mapping/);
  });
});
