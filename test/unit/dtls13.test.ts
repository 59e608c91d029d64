// The DTLS 1.3 decoder and byte model (harness/dtls/dtls13.ts) on
// handshakes assembled here byte by byte after RFC 9147 / RFC 8446: the
// model must equal a well-formed capture to the byte, and any byte more or
// less must be named by message.
import { describe, expect, it } from 'vitest';
import { analyse13 } from '../../harness/dtls/dtls13.js';
import { decodeDatagram13, EXT } from '../../harness/dtls/dtls13-wire.js';
import type { Datagram } from '../../harness/dtls/records.js';
import { plan } from '../../harness/plan/plan.js';
import { ScenarioSchema } from '../../harness/scenario/schema.js';

const u16 = (n: number) => [n >> 8, n & 0xff];
const u24 = (n: number) => [n >> 16, (n >> 8) & 0xff, n & 0xff];
const fill = (n: number, v = 0xaa) => new Array<number>(n).fill(v);
const ext = (type: number, data: number[]) => [...u16(type), ...u16(data.length), ...data];
const HRR_RANDOM = Buffer.from('cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c', 'hex');
const IDENTITY = 'Client_identity';
const CCM8 = 0x1305;

/** DTLSPlaintext record (epoch 0) carrying one whole handshake message. */
function plaintext(msgType: number, seq: number, body: number[]): number[] {
  const hs = [msgType, ...u24(body.length), ...u16(seq), ...u24(0), ...u24(body.length), ...body];
  return [22, 0xfe, 0xfd, 0, 0, 0, 0, 0, 0, 0, seq, ...u16(hs.length), ...hs];
}
/** DTLSCiphertext with the unified header 001 0 1 1 EE: 16-bit sequence number and a length. */
const sealed = (epoch: number, inner: number, tag = 8) => [0x2c | (epoch & 3), 0x12, 0x34, ...u16(inner + 1 + tag), ...fill(inner + 1 + tag, 0x5a)];

function clientHello(cookie?: number[], dhe = false): number[] {
  const exts = [
    ...ext(EXT.supported_versions, [2, 0xfe, 0xfc]),
    ...ext(EXT.signature_algorithms, [0, 8, 4, 3, 8, 4, 8, 9, 4, 1]),
    ...ext(EXT.supported_groups, [0, 2, 0, 0x17]),
    ...ext(EXT.psk_key_exchange_modes, dhe ? [2, 1, 0] : [1, 0]),
    ...ext(EXT.key_share, dhe ? [0, 69, 0, 0x17, 0, 65, 4, ...fill(64, 0x11)] : [0, 0]),
    ...(cookie ? ext(EXT.cookie, [...u16(cookie.length), ...cookie]) : []),
    // pre_shared_key goes last: identities (identity, obfuscated age), binders (one SHA-256 HMAC).
    ...ext(EXT.pre_shared_key, [...u16(2 + IDENTITY.length + 4), ...u16(IDENTITY.length), ...Buffer.from(IDENTITY), 0, 0, 0, 0, ...u16(33), 32, ...fill(32, 0x22)]),
  ];
  return [0xfe, 0xfd, ...fill(32, 1), 0, 0, ...u16(2), ...u16(CCM8), 1, 0, ...u16(exts.length), ...exts];
}
function serverHello(random: number[], exts: number[]): number[] {
  return [0xfe, 0xfd, ...random, 0, ...u16(CCM8), 0, ...u16(exts.length), ...exts];
}

/** A psk_ke handshake as wolfSSL's example server runs it: HRR with a cookie, one record per datagram. */
function capture(o: { cookie?: boolean; eeBody?: number; tamper?: 'finished'; certificate?: number[]; signature?: number } = {}): Datagram[] {
  const cookie = fill(67, 0xc0);
  const d = (dir: 'c2s' | 's2c', bytes: number[]): Datagram => ({ dir, t: 0, bytes: Uint8Array.from(bytes) });
  const out: Datagram[] = [d('c2s', plaintext(1, 0, clientHello()))];
  if (o.cookie !== false) {
    out.push(d('s2c', plaintext(2, 0, serverHello([...HRR_RANDOM], [...ext(EXT.supported_versions, [0xfe, 0xfc]), ...ext(EXT.cookie, [...u16(67), ...cookie])]))));
    out.push(d('c2s', plaintext(1, 1, clientHello(cookie))));
  }
  out.push(d('s2c', plaintext(2, 1, serverHello(fill(32, 3), [...ext(EXT.supported_versions, [0xfe, 0xfc]), ...ext(EXT.pre_shared_key, [0, 0])]))));
  out.push(d('s2c', sealed(2, 12 + (o.eeBody ?? 2))));
  if (o.certificate) {
    out.push(d('s2c', sealed(2, 12 + 1 + 3 + o.certificate.reduce((a, der) => a + 3 + der + 2, 0))));
    out.push(d('s2c', sealed(2, 12 + 2 + 2 + o.signature!)));
  }
  out.push(d('s2c', sealed(2, 12 + 32)));
  out.push(d('c2s', sealed(2, 12 + 32 + (o.tamper === 'finished' ? 1 : 0))));
  out.push(d('s2c', sealed(3, 2 + 16)));
  return out;
}

const STATED = { suite: CCM8, pskIdentityLength: IDENTITY.length, dhe: false };

describe('DTLS 1.3 decoder', () => {
  it('reads plaintext records and unified headers with and without length and long sequence numbers', () => {
    const hello = decodeDatagram13({ dir: 'c2s', t: 0, bytes: Uint8Array.from(plaintext(1, 0, clientHello())) });
    expect(hello.records).toHaveLength(1);
    expect(hello.records[0]).toMatchObject({ kind: 'plaintext', header: 13, contentType: 22, epoch: 0 });
    expect(hello.records[0]!.handshake![0]!.name).toBe('client_hello');
    // Two ciphertext records in one datagram: S=1 L=1 (5-byte header), then S=0 L=0 (2 bytes, to the end).
    const two = decodeDatagram13({ dir: 's2c', t: 0, bytes: Uint8Array.from([...sealed(2, 20), 0x23, 0x07, ...fill(30)]) });
    expect(two.records.map((r) => [r.kind, r.header, r.length, r.epoch])).toEqual([['ciphertext', 5, 29, 2], ['ciphertext', 2, 30, 3]]);
    expect(two.trailing).toBe(0);
  });
});

describe('DTLS 1.3 byte model', () => {
  it('equals a well-formed psk_ke handshake with a HelloRetryRequest cookie, message by message', () => {
    const a = analyse13(capture(), STATED);
    expect(a.explanation).toEqual([]);
    expect(a.modelCheck).toBe('equal');
    expect(a.flights.map((f) => f.messages.map((m) => m.name))).toEqual([['client_hello'], ['hello_retry_request'], ['client_hello'], ['server_hello', 'encrypted_extensions', 'finished'], ['finished'], ['ack']]);
    // Encrypted records: 5-byte header + inner + 1 content type + 8-byte CCM_8 tag.
    expect(a.model.at(-2)!.messages[0]!.bytes).toBe(5 + 44 + 1 + 8);
    expect(a.model.at(-1)!.messages[0]!.bytes).toBe(5 + 18 + 1 + 8);
    // The second ClientHello grows by exactly the echoed cookie extension.
    expect(a.model[2]!.bytes - a.model[0]!.bytes).toBe(4 + 2 + 67);
    expect(a.totals.c2s.datagrams).toBe(3);
    expect(a.totals.s2c.datagrams).toBe(5);
    expect(a.fromWire).toContain('server cookie:67');
  });

  it('stops at the server\'s ACK: application data and alerts after it are not the handshake', () => {
    const plain = analyse13(capture(), STATED);
    const after = [...capture(), { dir: 'c2s' as const, t: 0, bytes: Uint8Array.from(sealed(3, 6)) }, { dir: 's2c' as const, t: 0, bytes: Uint8Array.from(sealed(3, 2)) }];
    const a = analyse13(after, STATED);
    expect(a.modelCheck).toBe('equal');
    expect(a.totals).toEqual(plain.totals);
  });

  it('without the cookie exchange: four flights, still equal', () => {
    const a = analyse13(capture({ cookie: false }), STATED);
    expect(a.modelCheck).toBe('equal');
    expect(a.flights).toHaveLength(4);
  });

  it('certificate handshake: Certificate from the DER sizes, CertificateVerify from the signature length', () => {
    const stated = { suite: CCM8, dhe: true, serverCertificate: [520, 464] };
    const a = analyse13(capture({ certificate: [520, 464], signature: 71 }), stated);
    expect(a.flights[3]!.messages.map((m) => m.name)).toEqual(['server_hello', 'encrypted_extensions', 'certificate', 'certificate_verify', 'finished']);
    expect(a.fromWire).toContain('certificate_verify signature:71');
    // Our synthetic hellos carry a PSK-shaped ClientHello; the certificate messages must still equal the model.
    const cert = a.model[3]!.messages[2]!;
    expect(cert.bytes).toBe(5 + 12 + 1 + 3 + (3 + 520 + 2) + (3 + 464 + 2) + 1 + 8);
    expect(a.explanation.filter((e) => /certificate/.test(e))).toEqual([]);
    // One intermediate fewer than the scenario says: named.
    const b = analyse13(capture({ certificate: [520], signature: 71 }), stated);
    expect(b.explanation.join('\n')).toMatch(/flight 4 certificate: measured certificate \d+ B, modeled \d+ B \(-469\)/);
  });

  it('names the message a stray byte is in', () => {
    const a = analyse13(capture({ tamper: 'finished' }), STATED);
    expect(a.modelCheck).toBe('differs');
    expect(a.explanation.join('\n')).toMatch(/flight 5 finished: measured finished 59 B, modeled 58 B \(\+1\)/);
  });

  it('a wrong stated PSK identity length shows in both ClientHellos', () => {
    const a = analyse13(capture(), { ...STATED, pskIdentityLength: IDENTITY.length + 1 });
    expect(a.explanation.filter((e) => /client_hello: measured client_hello \d+ B, modeled \d+ B \(-1\)/.test(e))).toHaveLength(2);
  });
});

describe('plan: ops with build flags of their own', () => {
  it('gives DTLS 1.3 variants a wolfSSL image of their own and skips libraries without DTLS 1.3', () => {
    const s = ScenarioSchema.parse({ name: 't', boards: ['mps2-an386'], libraries: ['wolfssl', 'mbedtls'], ops: ['dtls-psk-ccm8', 'dtls-v13-psk-ccm8'], build: { cflags: ['-DCERTCOST_DTLS'] } });
    const p = plan(s);
    // The image's flags: the scenario's, then those the ops ask for.
    expect(p.images.map((i) => [i.library, i.ops.map((o) => o.spec.id), i.cflags])).toEqual([
      ['wolfssl', ['dtls-psk-ccm8'], ['-DCERTCOST_DTLS']],
      ['wolfssl', ['dtls-v13-psk-ccm8'], ['-DCERTCOST_DTLS', '-DCERTCOST_DTLS13']],
      ['mbedtls', ['dtls-psk-ccm8'], ['-DCERTCOST_DTLS']],
    ]);
    expect(p.unsupported.map((u) => [u.library, u.op])).toEqual([['mbedtls', 'dtls-v13-psk-ccm8']]);
    expect(p.unsupported[0]!.reason).toMatch(/DTLS 1\.3/);
  });

  it('runs the handshake a what-if needs first: listed or not, on the same image', () => {
    const s = ScenarioSchema.parse({ name: 't', boards: ['mps2-an386'], libraries: ['mbedtls'], ops: ['dtls-whatif-cached-info', 'dtls-psk-ccm8', 'dtls-ecdhe-ecdsa-chain2', 'dtls-whatif-raw-public-key'], build: { cflags: ['-DCERTCOST_DTLS'] } });
    const ops = plan(s).images.map((i) => i.ops.map((o) => `${o.spec.id}${o.dependencyOnly ? ' (dependency)' : ''}`));
    expect(ops).toEqual([['dtls-ecdhe-ecdsa-chain2', 'dtls-whatif-cached-info', 'dtls-psk-ccm8', 'dtls-whatif-raw-public-key']]);
    const alone = ScenarioSchema.parse({ name: 't', boards: ['mps2-an386'], libraries: ['mbedtls'], ops: ['dtls-whatif-cached-info'], build: { cflags: ['-DCERTCOST_DTLS'] } });
    expect(plan(alone).images[0]!.ops.map((o) => [o.spec.id, !!o.dependencyOnly])).toEqual([['dtls-ecdhe-ecdsa-chain2', true], ['dtls-whatif-cached-info', false]]);
  });
});
