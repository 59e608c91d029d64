// Bring your own, end to end (scenarios/examples/byo): the example's own
// 3-certificate chain (RSA-2048 root, P-256 intermediate and leaf, made by
// make-pki.sh) in a DTLS handshake against GnuTLS and against an external
// OpenSSL server this test starts on loopback, the byte model equal to the
// capture both times; and the user's board file, MCU profile and mbedTLS
// configuration, with an op the configuration leaves out named as such.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../harness/cli.js';
import { ResultsSchema, type ResultRecord } from '../../harness/record/schema.js';

const EXAMPLE = 'scenarios/examples/byo';
let dir: string;
const PSK = 'psk: { identity: fleet-device-0017, key: 5b1f0e2a9c4d7e3f8a6b2c1d0e9f8a7b }\n';
const PKI = 'pki: { serverChain: certs/server-chain.pem, serverKey: certs/server.key, trustAnchors: certs/root.pem }\n';

async function run(name: string, body: string): Promise<ResultRecord[]> {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, `name: ${name}\n${body}`);
  const out = join(dir, `out-${name}`);
  expect(await main(['run', file, '--out', out])).toBe(0);
  return ResultsSchema.parse(JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'))).records;
}

/** A free UDP port on loopback (bound and released: the server takes it next). */
async function freePort(): Promise<number> {
  const s = createSocket('udp4');
  await new Promise<void>((res) => s.bind(0, '127.0.0.1', res));
  const port = s.address().port;
  await new Promise<void>((res) => s.close(() => res()));
  return port;
}

/** The chain handshake against `peer`: ok, the scenario's chain, the model equal to the capture, cycles priced. */
function expectChainHandshake(r: ResultRecord | undefined, peer: RegExp) {
  expect(r, 'no record').toBeDefined();
  expect(r!.status, r!.reason).toBe('ok');
  expect(r!.pki!.source).toBe('scenario');
  expect(r!.pki!.server.map((c) => c.key)).toEqual(['P-256', 'P-256']);
  expect(r!.handshake!.peer).toMatch(peer);
  expect(r!.handshake!.modelCheck).toBe('equal');
  // The intermediate carries the RSA-2048 root's 256-byte signature, and the server sends it.
  expect(r!.pki!.server[1]!.derBytes).toBeGreaterThan(256 + 150);
  expect(r!.handshake!.bytesS2C).toBeGreaterThan(r!.pki!.server[0]!.derBytes + r!.pki!.server[1]!.derBytes);
  expect(r!.cycles).toBeGreaterThan(r!.instructions!);
  expect(r!.ms).toBeGreaterThan(0);
}

describe('bring your own', () => {
  let server: ChildProcess | undefined;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'certcost-byo-'));
    cpSync(EXAMPLE, dir, { recursive: true, filter: (src) => !src.includes('/certs') });
    execFileSync('bash', [join(dir, 'make-pki.sh')], { stdio: 'ignore' });
  }, 60_000);
  afterAll(() => server?.kill('SIGKILL'));

  it('your chain against GnuTLS: bytes and cycles, model equal; and verified on its own', async () => {
    const recs = await run('byo-gnutls', `boards: [mps2-an386]\nlibraries: [mbedtls]\nops: [dtls-ecdhe-ecdsa-chain2, x509-verify-chain-scenario]\nvectors: { count: 1 }\ncycles: { profile: default }\n${PSK}${PKI}peer: { kind: gnutls }\n`);
    expectChainHandshake(recs.find((r) => r.op === 'dtls-ecdhe-ecdsa-chain2'), /^gnutls-serv/);
    const chain = recs.find((r) => r.op === 'x509-verify-chain-scenario')!;
    expect(chain.status, chain.reason).toBe('ok');
    expect(chain.certRows!.map((r) => [r.id, r.verdict, r.issuer, r.depth])).toEqual([['scenario-server-chain', 'accepted', 'RSA-2048', 2]]);
    expect(chain.pki!.source).toBe('scenario');
  }, 300_000);

  it('your chain against your own server (external OpenSSL on loopback)', async () => {
    const port = await freePort();
    const c = (f: string) => join(dir, 'certs', f);
    // The command byo-external.yaml documents.
    server = spawn('openssl', ['s_server', '-dtls1_2', '-accept', `127.0.0.1:${port}`, '-mtu', '1400', '-no_ticket',
      '-cert', c('server.pem'), '-cert_chain', c('intermediate.pem'), '-key', c('server.key'),
      '-psk', '5b1f0e2a9c4d7e3f8a6b2c1d0e9f8a7b', '-psk_identity', 'fleet-device-0017',
      '-cipher', 'PSK-AES128-CCM8:ECDHE-ECDSA-AES128-CCM8', '-curves', 'prime256v1'], { stdio: ['pipe', 'pipe', 'ignore'] });
    await new Promise<void>((res, rej) => {
      server!.stdout!.on('data', (b: Buffer) => /ACCEPT/.test(b.toString()) && res());
      server!.on('exit', (code) => rej(new Error(`openssl s_server exited (${code})`)));
    });
    const recs = await run('byo-external', `boards: [mps2-an386]\nlibraries: [mbedtls]\nops: [dtls-ecdhe-ecdsa-chain2]\nvectors: { count: 1 }\ncycles: { profile: default }\n${PSK}${PKI}peer: { kind: external, host: 127.0.0.1, port: ${port}, name: my gateway }\n`);
    expectChainHandshake(recs.find((r) => r.op === 'dtls-ecdhe-ecdsa-chain2'), /my gateway/);
  }, 300_000);

  it('your board file, MCU profile and mbedTLS configuration', async () => {
    const recs = await run('byo-mcu', 'boards: [my-mcu/nrf52832.mk]\nlibraries: [mbedtls]\nops: [ecdsa-verify, rsa2048-verify]\nvectors: { count: 1 }\n'
      + 'build: { config: { mbedtls: my-mcu/mbedtls_config.h } }\ncycles: { profile: default, profilesFile: my-mcu/mcu-profiles.yaml }\n');
    const sha = execFileSync('sha256sum', [join(dir, 'my-mcu/mbedtls_config.h')], { encoding: 'utf8' }).split(' ')[0];
    const verify = recs.find((r) => r.op === 'ecdsa-verify')!;
    expect(verify.status, verify.reason).toBe('ok');
    expect(verify).toMatchObject({ board: 'nrf52832', core: 'cortex-m4', cycleProfile: 'nrf52832-64', libraryConfig: { file: 'my-mcu/mbedtls_config.h', mode: 'overlay', sha256: sha } });
    const rsa = recs.find((r) => r.op === 'rsa2048-verify')!;
    expect(rsa.status).toBe('unsupported');
    expect(rsa.reason).toMatch(/the configuration my-mcu\/mbedtls_config\.h lacks MBEDTLS_RSA_C/);
  }, 300_000);
});
