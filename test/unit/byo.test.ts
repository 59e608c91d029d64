// Bring your own: a scenario's PSK, PKI, peer, library configuration, board
// file and MCU profiles are checked when it loads; each bad input is one
// UserError naming the file and the field, and good ones reach the plan.
import { beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadScenario } from '../../harness/scenario/load.js';
import { UserError } from '../../harness/core/errors.js';
import { plan } from '../../harness/plan/plan.js';
import { boards } from '../../harness/catalog/boards.js';

const EXAMPLE = 'scenarios/examples/byo';
let dir: string;

/** Writes a scenario into the example copy and loads it; the error message, or the loaded scenario. */
function load(name: string, body: string) {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, `name: ${name}\n${body}`);
  return loadScenario(file);
}
function error(name: string, body: string): string {
  try {
    load(name, body);
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    const msg = (e as Error).message;
    expect(msg.split('\n').length, msg).toBeLessThanOrEqual(2);
    return msg;
  }
  throw new Error('no error was raised');
}

const base = 'boards: [mps2-an386]\nlibraries: [mbedtls]\nops: [dtls-ecdhe-ecdsa-chain2]\n';
const pki = (over: Record<string, string> = {}) => {
  const f = { serverChain: 'certs/server-chain.pem', serverKey: 'certs/server.key', trustAnchors: 'certs/root.pem', ...over };
  return `pki:\n${Object.entries(f).map(([k, v]) => `  ${k}: ${v}`).join('\n')}\n`;
};

beforeAll(() => {
  // A copy of the example with a PKI of its own (make-pki.sh: RSA-2048 root, P-256 intermediate and leaves).
  dir = mkdtempSync(join(tmpdir(), 'certcost-byo-unit-'));
  cpSync(EXAMPLE, dir, { recursive: true, filter: (src) => !src.includes('/certs') });
  execFileSync('bash', [join(dir, 'make-pki.sh')], { stdio: 'ignore' });
  // Broken variants of the PKI.
  writeFileSync(join(dir, 'certs/not-pem.pem'), 'just text\n');
  const c = (f: string) => readFileSync(join(dir, 'certs', f), 'utf8');
  writeFileSync(join(dir, 'certs/reversed.pem'), c('intermediate.pem') + c('server.pem'));
  copyFileSync(join(dir, 'certs/device.key'), join(dir, 'certs/wrong.key'));
}, 60_000);

describe('your PKI', () => {
  it('loads a 3-certificate chain with an RSA-2048 root, leaf first', () => {
    const { user } = load('pki-ok', base + pki());
    expect(user.pki!.serverChain.map((x) => x.keyType)).toEqual(['P-256', 'P-256']);
    expect(user.pki!.trustAnchors[0]!.keyType).toBe('RSA-2048');
  });
  it.each([
    ['not PEM', { trustAnchors: 'certs/not-pem.pem' }, /certs\/not-pem\.pem: pki.trustAnchors is not PEM/],
    ['missing file', { serverChain: 'certs/none.pem' }, /certs\/none\.pem: cannot read/],
    ['chain out of order', { serverChain: 'certs/reversed.pem' }, /reversed\.pem: .*out of order/],
    ['key of another certificate', { serverKey: 'certs/wrong.key' }, /wrong\.key: pki\.serverKey does not match the leaf/],
    ['chain not anchored', { trustAnchors: 'certs/intermediate.pem', serverChain: 'certs/intermediate.pem', serverKey: 'certs/intermediate.key' }, /not issued by any trust anchor|trust anchor/],
  ])('%s: one line naming the file and the field', (_what, over, want) => {
    const msg = error('pki-bad', base + pki(over));
    expect(msg).toMatch(/^.*pki-bad\.yaml(:\d+)?: pki: /);
    expect(msg).toMatch(want);
  });
  it('a chain expired at the device clock is a result, not an error', () => {
    const { user } = load('pki-expired', base + pki() + '  deviceClock: 2099-01-01\n');
    expect(new Date(user.pki!.deviceClock! * 1000).getUTCFullYear()).toBe(2099);
  });
});

describe('your PSK and peer', () => {
  it('takes an identity and a hex key', () => {
    const { user } = load('psk', base + 'psk: { identity: fleet-7, key: "00112233" }\n');
    expect(user.psk!.identity).toBe('fleet-7');
    expect([...user.psk!.key]).toEqual([0, 0x11, 0x22, 0x33]);
  });
  it('refuses a key that is not hex', () => expect(error('psk-bad', base + 'psk: { identity: x, key: xyz }\n')).toMatch(/psk\.key: hex bytes/));
  it('says to quote a key YAML reads as a number', () => expect(error('psk-num', base + 'psk: { identity: x, key: 00112233 }\n')).toMatch(/psk\.key: hex bytes read as a number: quote/));
  it('an external peer needs host and port', () => expect(error('peer-bad', base + 'peer: { kind: external }\n')).toMatch(/peer\.host: an external peer needs 'host' and 'port'/));
  it('an unknown peer kind is named', () => expect(error('peer-kind', base + 'peer: { kind: nginx }\n')).toMatch(/peer\.kind: /));
});

describe('your library configuration', () => {
  it('reaches the plan with its sha256, for that library only', () => {
    const { scenario, user } = load('cfg', 'boards: [mps2-an386]\nlibraries: [mbedtls, wolfssl]\nops: [ecdsa-verify]\nbuild:\n  config:\n    mbedtls: my-mcu/mbedtls_config.h\n');
    const sha = execFileSync('sha256sum', [join(dir, 'my-mcu/mbedtls_config.h')], { encoding: 'utf8' }).split(' ')[0];
    expect(user.libraryConfigs!.mbedtls).toMatchObject({ file: 'my-mcu/mbedtls_config.h', mode: 'overlay', sha256: sha });
    const p = plan(scenario, user);
    expect(p.images.find((j) => j.library === 'mbedtls')!.config!.sha256).toBe(sha);
    expect(p.images.find((j) => j.library === 'wolfssl')!.config).toBeUndefined();
  });
  it('takes mode replace', () => {
    const { user } = load('cfg-replace', base + 'build:\n  config:\n    mbedtls: { file: my-mcu/mbedtls_config.h, mode: replace }\n');
    expect(user.libraryConfigs!.mbedtls!.mode).toBe('replace');
  });
  it.each([
    ['a missing file', 'mbedtls: nowhere.h', /build\.config\.mbedtls: nowhere\.h: cannot read the configuration file/],
    ['a library without configuration', 'tinydtls: my-mcu/mbedtls_config.h', /build\.config\.tinydtls: tinydtls takes no configuration file \(libraries that do: .*mbedtls.*wolfssl/],
    ['a library the scenario does not run', 'wolfssl: my-mcu/user_settings_extra.h', /build\.config\.wolfssl: the scenario runs no wolfssl/],
    ['an unknown mode', 'mbedtls: { file: my-mcu/mbedtls_config.h, mode: merge }', /build\.config\.mbedtls/],
  ])('refuses %s', (_what, entry, want) => expect(error('cfg-bad', base + `build:\n  config:\n    ${entry}\n`)).toMatch(want));
});

describe('your board and MCU', () => {
  it('registers a board file and the MCU profile file that makes it its default', () => {
    const { scenario } = load('board', 'boards: [my-mcu/nrf52832.mk]\nlibraries: [mbedtls]\nops: [ecdsa-verify]\ncycles: { profile: default, profilesFile: my-mcu/mcu-profiles.yaml }\n');
    expect(scenario.boards).toEqual(['nrf52832']);
    const b = boards().get('nrf52832')!;
    expect(b).toMatchObject({ core: 'cortex-m4', qemuMachine: 'mps2-an386', flashBytes: 512 * 1024, ramBytes: 64 * 1024, file: join(dir, 'my-mcu/nrf52832.mk') });
    const p = plan(scenario);
    expect(p.images[0]!.mcu!.id).toBe('nrf52832-64');
    expect(p.images[0]!.mcu!.clockHz).toBe(64_000_000);
  });
  it('takes MCU profiles written in the scenario', () => {
    const profile = `{ description: mine, core: cortex-m4, clockHz: { value: 48000000, source: datasheet }, flash: { waitStates: { value: 1, source: ds }, fetchBytes: { value: 8, source: ds }, fetch: { value: prefetch, source: ds }, icacheBytes: { value: null, source: ds }, dataCached: { value: false, source: ds } } }`;
    const { scenario } = load('profile', `${base}cycles:\n  profile: my-m4-48\n  profiles:\n    my-m4-48: ${profile}\n`);
    expect(plan(scenario).images[0]!.mcu).toMatchObject({ id: 'my-m4-48', clockHz: 48_000_000, waitStates: 1, fetch: 'prefetch' });
  });
  const board = (over: Record<string, string>) => {
    const text = readFileSync(join(dir, 'my-mcu/nrf52832.mk'), 'utf8').split('\n')
      .map((l) => { const k = /^([A-Z_]+)\s*:=/.exec(l)?.[1]; return k && k in over ? (over[k] === '' ? '' : `${k} := ${over[k]}`) : l; }).join('\n');
    const name = `b${Object.keys(over).join('-').toLowerCase().replace(/_/g, '')}.mk`;
    writeFileSync(join(dir, name), text);
    return name;
  };
  it.each([
    ['more flash than the machine has', { FLASH_SIZE: '8192K' }, /FLASH_SIZE 8388608 B \(at most 1048576 B on mps2-an386\)/],
    ['a QEMU machine certcost does not run', { QEMU_MACHINE: 'lm3s6965evb' }, /QEMU_MACHINE lm3s6965evb is not one certcost runs/],
    ['another core than the machine', { BOARD_CORE: 'cortex-m0' }, /BOARD_CORE cortex-m0 \(the machine runs cortex-m4\)/],
    ['a missing variable', { LINK_MAX: '' }, /missing LINK_MAX/],
    ['no RAM left for static data', { HEAP_SIZE: '60K' }, /leave no RAM/],
  ])('refuses a board file with %s, naming file and field', (_what, over, want) => {
    const f = board(over);
    const msg = error('board-bad', `boards: [${f}]\nlibraries: [mbedtls]\nops: [ecdsa-verify]\n`);
    expect(msg).toMatch(/board-bad\.yaml(:\d+)?: boards\.0: /);
    expect(msg).toContain(f);
    expect(msg).toMatch(want);
  });
  it('refuses a board file named like a built-in board', () => {
    copyFileSync(join(dir, 'my-mcu/nrf52832.mk'), join(dir, 'microbit.mk'));
    expect(error('board-clash', 'boards: [./microbit.mk]\nlibraries: [mbedtls]\nops: [ecdsa-verify]\n')).toMatch(/board id 'microbit' is taken by a built-in board/);
  });
  it('refuses a profile that reuses a built-in name or lacks a field', () => {
    expect(error('profile-clash', `${base}cycles:\n  profile: default\n  profiles:\n    nrf52840: { description: x }\n`)).toMatch(/cycles\.profiles\.nrf52840: 'nrf52840' is a built-in profile/);
    expect(error('profile-bad', `${base}cycles:\n  profile: default\n  profiles:\n    mine: { description: x, core: cortex-m4, clockHz: { value: 1, source: x } }\n`)).toMatch(/cycles\.profiles\.mine\.flash: /);
    expect(error('profiles-file', `${base}cycles: { profile: default, profilesFile: none.yaml }\n`)).toMatch(/cycles\.profilesFile: none\.yaml: cannot read MCU profiles/);
  });
});
