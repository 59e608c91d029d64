import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../harness/scenario/load.js';
import { UserError } from '../../harness/core/errors.js';
import { readFileSync } from 'node:fs';

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

  it('accepts every scenario shipped in scenarios/', () => {
    for (const f of ['scenarios/smoke.yaml']) expect(() => parseScenario(f, readFileSync(f, 'utf8'))).not.toThrow();
  });

  it('names file, line and field for an unknown board', () => {
    expect(err(ok.replace('mps2-an385', 'stm32'))).toMatch(/^bad\.yaml:2: boards\.0: unknown board 'stm32' \(known: microbit/);
  });

  it('names an unknown library and an unknown op', () => {
    expect(err(ok.replace('[mbedtls]', '[openssl]'))).toMatch(/bad\.yaml:3: libraries\.0: unknown library 'openssl'/);
    expect(err(ok.replace('[ecdsa-verify]', '[ecdsa-verfy]'))).toMatch(/bad\.yaml:4: ops\.0: unknown op 'ecdsa-verfy'/);
  });

  it('rejects unknown fields instead of ignoring them', () => {
    expect(err(ok + 'boardz: [microbit]\n')).toMatch(/bad\.yaml(:\d+)?: \(top level\): unknown field\(s\) 'boardz'/);
    expect(err(ok + 'vectors:\n  cuont: 3\n')).toMatch(/vectors: unknown field\(s\) 'cuont'/);
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
