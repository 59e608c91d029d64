// The certificate side of the harness, host only: the encodings the
// device's parsers see, the seeded PKI (checked by node:crypto and by the openssl CLI, neither of
// which shares code with the builder), CRLs, OCSP messages, the clock
// policy and the revocation summary.
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AsnConvert } from '@peculiar/asn1-schema';
import { Certificate } from '@peculiar/asn1-x509';
import { intBytes, pem } from '../../harness/pki/asn1.js';
import { buildChain, days } from '../../harness/pki/chain.js';
import { buildCrl } from '../../harness/pki/crl.js';
import { referenceCrl } from '../../harness/x509/crl-reference.js';
import { buildOcspRequest, buildOcspResponse, certId, parseOcspRequest } from '../../harness/pki/ocsp.js';
import { referenceVerify } from '../../harness/x509/reference.js';
import { certCases, clockCases, secureTime, TRUE_NOW } from '../../harness/x509/clock.js';

const T = TRUE_NOW;
const unix = (d: Date) => Math.floor(d.getTime() / 1000);
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const leaf = { notBefore: days(T, -45), notAfter: days(T, 320) };

function withDir<R>(f: (file: (name: string, body: string | Uint8Array) => string, dir: string) => R): R {
  const dir = mkdtempSync(join(tmpdir(), 'certcost-x509-'));
  try {
    return f((name, body) => (writeFileSync(join(dir, name), body), join(dir, name)), dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
const openssl = (args: string[]) => execFileSync('openssl', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

describe('encodings', () => {
  it('minimal INTEGERs; named-bit key usage; UTCTime through 2049, GeneralizedTime from 2050 (RFC 5280)', () => {
    expect(hex(new Uint8Array(intBytes(0n)))).toBe('00');
    expect(hex(new Uint8Array(intBytes(127n)))).toBe('7f');
    expect(hex(new Uint8Array(intBytes(128n)))).toBe('0080');
    const late = buildChain({ seed: 'u', depth: 1, issuerAlg: 'p256', leaf: { notBefore: new Date('2049-12-31T23:59:59Z'), notAfter: new Date('2050-01-01T00:00:00Z') } });
    const v = AsnConvert.parse(late.leaf.der, Certificate).tbsCertificate.validity;
    expect(v.notBefore.utcTime?.toISOString()).toBe('2049-12-31T23:59:59.000Z');
    expect(v.notAfter.generalTime?.toISOString()).toBe('2050-01-01T00:00:00.000Z');
    expect(hex(late.root.der)).toContain('0603551d0f0101ff040403020106'); // keyUsage critical: keyCertSign | cRLSign, one unused bit
    expect(hex(late.leaf.der)).toContain('0603551d0f0101ff040403020780'); // digitalSignature
  });
});

describe('seeded PKI', () => {
  it('same seed, same bytes; another seed, other keys', () => {
    const a = buildChain({ seed: 'u', depth: 2, issuerAlg: 'p256', leaf });
    const b = buildChain({ seed: 'u', depth: 2, issuerAlg: 'p256', leaf });
    const c = buildChain({ seed: 'v', depth: 2, issuerAlg: 'p256', leaf });
    expect(hex(a.leaf.der)).toBe(hex(b.leaf.der));
    expect(hex(a.root.der)).not.toBe(hex(c.root.der));
  });

  it.each([['p256', 3], ['rsa2048', 2]] as const)('%s depth %i: node:crypto and openssl verify accept the chain; forged and wrongly dated ones are caught', (alg, depth) => {
    const c = buildChain({ seed: 'u', depth, issuerAlg: alg, leaf });
    expect(c.sent).toHaveLength(depth);
    const sent = c.sent.map((x) => x.der);
    expect(referenceVerify(c.root.der, sent, unix(T))).toEqual({ ok: true, findings: [] });
    expect(new X509Certificate(c.leaf.der).checkIssued(new X509Certificate(c.sent[1]?.der ?? c.root.der))).toBe(true);
    withDir((file) => {
      const root = file('root.pem', pem(c.root.der));
      const chain = file('chain.pem', c.sent.map((x) => pem(x.der)).join(''));
      expect(openssl(['verify', '-attime', String(unix(T)), '-CAfile', root, '-untrusted', chain, chain])).toMatch(/: OK/);
    });
    expect(referenceVerify(c.root.der, sent, unix(days(T, 400))).findings).toContain('expired');
    expect(referenceVerify(c.root.der, sent, 0).findings).toContain('not-yet-valid');
    const forged = buildChain({ seed: 'u', depth, issuerAlg: alg, leaf, forgeLeaf: true });
    expect(referenceVerify(forged.root.der, forged.sent.map((x) => x.der), unix(T)).findings).toEqual(['not-trusted']);
  });
});

describe('CRL', () => {
  const c = buildChain({ seed: 'u', depth: 1, issuerAlg: 'p256', leaf });

  it('openssl verifies the signature; the reference finds the revoked serial, last of 100', async () => {
    const crl = buildCrl({ seed: 'u', issuer: c.root, others: 100, revoke: [c.leaf.serial], thisUpdate: days(T, -1), nextUpdate: days(T, 6) });
    expect(crl.entries).toBe(101);
    withDir((file) => {
      const out = execFileSync('openssl', ['crl', '-inform', 'DER', '-in', file('c.crl', crl.der), '-CAfile', file('root.pem', pem(c.root.der)), '-noout', '-text'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      expect(out).toContain(c.leaf.serial.toString(16).toUpperCase());
    });
    const ref = await referenceCrl(crl.der, c.root.der, c.leaf.serial, unix(T));
    expect(ref).toMatchObject({ signatureOk: true, revoked: true, expired: false, entries: 101, accepted: false });
    const clean = buildCrl({ seed: 'u', issuer: c.root, others: 100, thisUpdate: days(T, -1), nextUpdate: days(T, 6) });
    expect((await referenceCrl(clean.der, c.root.der, c.leaf.serial, unix(T))).accepted).toBe(true);
    expect((await referenceCrl(clean.der, c.root.der, c.leaf.serial, unix(days(T, 7)))).expired).toBe(true);
  });

  it('grows by about 49 B per entry (16-byte serial, date, reason code)', () => {
    const a = buildCrl({ seed: 'u', issuer: c.root, others: 10, thisUpdate: T, nextUpdate: days(T, 7) }).der.length;
    const b = buildCrl({ seed: 'u', issuer: c.root, others: 1000, thisUpdate: T, nextUpdate: days(T, 7) }).der.length;
    expect((b - a) / 990).toBeGreaterThan(45);
    expect((b - a) / 990).toBeLessThan(52);
  });
});

describe('OCSP', () => {
  const c = buildChain({ seed: 'u', depth: 1, issuerAlg: 'p256', leaf });

  it('an openssl request parses to our CertID; openssl verifies our responses and reads their status', () => {
    withDir((file, dir) => {
      const root = file('root.pem', pem(c.root.der));
      const cert = file('leaf.pem', pem(c.leaf.der));
      openssl(['ocsp', '-issuer', root, '-cert', cert, '-no_nonce', '-reqout', join(dir, 'req.der')]);
      const req = parseOcspRequest(new Uint8Array(readFileSync(join(dir, 'req.der'))));
      expect(req.serials).toEqual([c.leaf.serial]);
      expect(hex(req.certIds[0]!)).toBe(hex(certId(c.root, c.leaf.serial)));
      expect(req.nonce).toBeUndefined();
      // openssl checks the status times against the host's clock, not -attime.
      const now = new Date();
      for (const status of ['good', 'revoked'] as const) {
        const der = buildOcspResponse({ ca: c.root, certId: req.certIds[0]!, status, producedAt: now, thisUpdate: days(now, -0.1), nextUpdate: days(now, 7) });
        const out = execFileSync('openssl', ['ocsp', '-respin', file(`${status}.der`, der), '-issuer', root, '-cert', cert, '-CAfile', root, '-no_nonce'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
        expect(out).toContain(`${cert}: ${status}`);
      }
    });
  });

  it('a nonce travels in the request and is echoed in the response', () => {
    const nonce = Uint8Array.from({ length: 16 }, (_, i) => i);
    const req = parseOcspRequest(buildOcspRequest([certId(c.root, c.leaf.serial)], nonce));
    expect(hex(req.nonce!)).toBe(hex(nonce));
    const withNonce = buildOcspResponse({ ca: c.root, certId: req.certIds[0]!, status: 'good', producedAt: T, thisUpdate: T, nonce });
    const without = buildOcspResponse({ ca: c.root, certId: req.certIds[0]!, status: 'good', producedAt: T, thisUpdate: T });
    expect(withNonce.length - without.length).toBeGreaterThanOrEqual(16 + 15);
  });
});

describe('device clock and the secure-time policy', () => {
  it('never earlier than the build time or the last known good time; no help against a fast clock', () => {
    const build = days(T, -240), lkg = days(T, -120);
    expect(secureTime({ rtc: null, buildTime: build })).toEqual(build);
    expect(secureTime({ rtc: null, buildTime: build, lastKnownGood: lkg })).toEqual(lkg);
    expect(secureTime({ rtc: days(T, -30), buildTime: build, lastKnownGood: days(T, -2) })).toEqual(days(T, -2));
    expect(secureTime({ rtc: days(T, 30), buildTime: build, lastKnownGood: lkg })).toEqual(days(T, 30));
  });

  it('clock and certificate cases are what the matrix says they are', () => {
    const clocks = Object.fromEntries(clockCases().map((c) => [c.id, c.believed]));
    expect(clocks['no-clock']).toBe(0);
    expect(clocks.correct).toBe(unix(T));
    expect(clocks['secure-last-good']).toBe(unix(days(T, -120)));
    const truth = Object.fromEntries(certCases().map((c) => [c.id, c.truth]));
    expect(truth).toEqual({ valid: 'valid', expired: 'expired', 'not-yet-valid': 'not-yet-valid', 'shelf-renewed': 'valid', 'shelf-expired': 'expired' });
  });
});
