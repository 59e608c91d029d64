// The handshakes' test PKI (harness/pki/handshake-pki.ts): a pure function
// of the seed, chains that node:crypto, @peculiar/x509 and the openssl CLI
// verify (none of them shares code with the builder), the two profiles'
// names and extensions as docs/handshakes.md describes them, the RSA-2048
// root option, and the PEM files the peers read.
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import '../../harness/pki/reflect-shim.js';
import * as x509 from '@peculiar/x509';
import { handshakePki, type Pki } from '../../harness/pki/handshake-pki.js';
import type { Issued } from '../../harness/pki/cert.js';

x509.cryptoProvider.set(globalThis.crypto);
const validity = { notBefore: new Date('2025-01-01T00:00:00Z'), notAfter: new Date('2035-01-01T00:00:00Z') };
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const all = (p: Pki) => [p.root, ...p.intermediates, p.server, p.device, p.serverSelfSigned];
const px = (c: Issued) => new x509.X509Certificate(Uint8Array.from(c.der));
/** Extension OIDs in certificate order, with a '!' for critical ones. */
const exts = (c: Issued) => px(c).extensions.map((e) => e.type + (e.critical ? '!' : ''));
const BC = '2.5.29.19', KU = '2.5.29.15', EKU = '2.5.29.37', SKI = '2.5.29.14', AKI = '2.5.29.35', SAN = '2.5.29.17';

describe('handshake PKI', () => {
  it('same seed, same DER; another seed, other keys (and so other certificates)', async () => {
    const a = await handshakePki({ seed: 'u', depth: 3, ...validity });
    const b = await handshakePki({ seed: 'u', depth: 3, ...validity });
    const c = await handshakePki({ seed: 'v', depth: 3, ...validity });
    expect(all(a).map((x) => hex(x.der))).toEqual(all(b).map((x) => hex(x.der)));
    for (const [x, y] of all(a).map((x, i) => [x, all(c)[i]!] as const)) {
      expect(hex(x.key.spki)).not.toBe(hex(y.key.spki));
      expect(x.der.length - x.signatureBytes).toBe(y.der.length - y.signatureBytes); // only keys and signatures differ
    }
    // One key per role and seed: every depth and profile shares it.
    const d1 = await handshakePki({ seed: 'u', depth: 1, profile: 'rfc7925', ...validity });
    expect(hex(d1.server.key.spki)).toBe(hex(a.server.key.spki));
  });

  it('depth 3: every certificate verifies under its issuer (node:crypto, @peculiar/x509, openssl); sizes are the real DER', async () => {
    const p = await handshakePki({ seed: 'u', depth: 3, ...validity });
    expect(p.intermediates).toHaveLength(2);
    const [i1, i2] = p.intermediates as [Issued, Issued];
    const pairs: [Issued, Issued][] = [[p.root, p.root], [i1, p.root], [i2, i1], [p.server, i2], [p.device, i2], [p.serverSelfSigned, p.serverSelfSigned]];
    for (const [cert, issuer] of pairs) {
      const c = new X509Certificate(cert.der), ca = new X509Certificate(issuer.der);
      // OpenSSL's issuer check wants keyCertSign, which the self-signed leaf (a pinned end entity) does not have.
      expect(c.checkIssued(ca)).toBe(cert !== p.serverSelfSigned);
      expect(c.verify(ca.publicKey)).toBe(true);
      expect(await px(cert).verify({ publicKey: px(issuer).publicKey })).toBe(true);
    }
    expect(new X509Certificate(p.server.der).verify(new X509Certificate(p.root.der).publicKey)).toBe(false);
    const dir = await mkdtemp(join(tmpdir(), 'certcost-pki-'));
    try {
      const f = (await handshakePki({ seed: 'u', depth: 3, ...validity, dir })).files!;
      const at = String(Math.floor(new Date('2026-01-01T00:00:00Z').getTime() / 1000));
      for (const leaf of [f.serverCert, f.deviceCert]) {
        const out = execFileSync('openssl', ['verify', '-attime', at, '-CAfile', f.rootCert, '-untrusted', f.serverChain, leaf], { encoding: 'utf8' });
        expect(out).toMatch(/: OK/);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    expect(p.derSizes.serverChain).toEqual([p.server.der.length, i2.der.length, i1.der.length]);
    expect(p.derSizes.caNames).toEqual([p.root, i1, i2].map((c) => c.subjectName.length));
    // Fixed serials and dates.
    expect([p.root, i1, i2, p.server, p.device, p.serverSelfSigned].map((c) => px(c).serialNumber)).toEqual(['01', '11', '12', '21', '31', '22']);
    expect(px(p.server).notBefore.toISOString()).toBe('2025-01-01T00:00:00.000Z');
    expect(px(p.server).notAfter.toISOString()).toBe('2035-01-01T00:00:00.000Z');
    // P-256 ECDSA signature DER: SEQUENCE of two INTEGERs of up to 33 B each, fixed by the seed (RFC 6979).
    for (const c of all(p)) expect(c.signatureBytes).toBeGreaterThanOrEqual(66), expect(c.signatureBytes).toBeLessThanOrEqual(72);
  });

  it("'typical': O + CN names; CAs: basic constraints with path length, key usage, SKI, AKI; leaves: BC, KU, one EKU, SKI, AKI, SAN", async () => {
    const p = await handshakePki({ seed: 'u', depth: 2, ...validity });
    const [i1] = p.intermediates as [Issued];
    expect(px(p.root).subject).toBe('O=certcost test PKI, CN=certcost Root CA');
    expect(px(p.server).subject).toBe('O=certcost test PKI, CN=server.certcost.test');
    expect(px(p.device).issuer).toBe('O=certcost test PKI, CN=certcost Intermediate CA 1');
    expect(hex(p.root.subjectName)).toContain('1311' + hex(Buffer.from('certcost test PKI'))); // PrintableString
    expect(exts(p.root)).toEqual([`${BC}!`, `${KU}!`, SKI]);
    expect(exts(i1)).toEqual([`${BC}!`, `${KU}!`, SKI, AKI]);
    expect(exts(p.server)).toEqual([`${BC}!`, `${KU}!`, EKU, SKI, AKI, SAN]);
    expect(exts(p.device)).toEqual([`${BC}!`, `${KU}!`, EKU, SKI, AKI]);
    expect(exts(p.serverSelfSigned)).toEqual([`${BC}!`, `${KU}!`, EKU, SKI, SAN]);
    expect(px(p.root).getExtension(x509.BasicConstraintsExtension)?.pathLength).toBe(1);
    expect(px(i1).getExtension(x509.BasicConstraintsExtension)?.pathLength).toBe(0);
    expect(px(p.server).getExtension(x509.BasicConstraintsExtension)?.ca).toBe(false);
    expect(px(p.root).getExtension(x509.KeyUsagesExtension)?.usages).toBe(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign);
    expect(px(p.server).getExtension(x509.KeyUsagesExtension)?.usages).toBe(x509.KeyUsageFlags.digitalSignature);
    expect(px(p.server).getExtension(x509.ExtendedKeyUsageExtension)?.usages).toEqual(['1.3.6.1.5.5.7.3.1']);
    expect(px(p.device).getExtension(x509.ExtendedKeyUsageExtension)?.usages).toEqual(['1.3.6.1.5.5.7.3.2']);
    expect(px(p.server).getExtension(x509.SubjectAlternativeNameExtension)?.names.items.map((n) => n.value)).toEqual(['server.certcost.test']);
    // SKI = SHA-1 of the public key bits (RFC 5280 4.2.1.2 method 1); AKI = the issuer's.
    expect(px(p.server).getExtension(x509.SubjectKeyIdentifierExtension)?.keyId).toBe(hex(p.server.keyId));
    expect(px(p.server).getExtension(x509.AuthorityKeyIdentifierExtension)?.keyId).toBe(hex(i1.keyId));
  });

  it("'rfc7925': CN-only names; leaves carry key usage, AKI and SAN only; smaller than 'typical'", async () => {
    const typical = await handshakePki({ seed: 'u', depth: 2, ...validity });
    const small = await handshakePki({ seed: 'u', depth: 2, profile: 'rfc7925', ...validity });
    expect(px(small.root).subject).toBe('CN=root');
    expect(px(small.intermediates[0]!).subject).toBe('CN=ca1');
    expect(px(small.device).subject).toBe('CN=device-0001');
    expect(exts(small.intermediates[0]!)).toEqual([`${BC}!`, `${KU}!`, SKI, AKI]);
    expect(exts(small.server)).toEqual([`${KU}!`, AKI, SAN]);
    expect(exts(small.device)).toEqual([`${KU}!`, AKI]);
    expect(exts(small.serverSelfSigned)).toEqual([`${KU}!`, SAN]);
    expect(small.derSizes.server).toBeLessThan(typical.derSizes.server - 80);
    await expect(handshakePki({ seed: 'u', depth: 4 as 3, ...validity })).rejects.toThrow(/depth/);
  });

  it('RSA-2048 root option: the root and what it signs carry RSA, the leaves keep P-256 keys', async () => {
    const rsa = await handshakePki({ seed: 'u', depth: 1, keyType: 'rsa2048-root', ...validity });
    expect(px(rsa.root).publicKey.algorithm.name).toBe('RSASSA-PKCS1-v1_5');
    expect(rsa.root.key.alg).toBe('rsa2048');
    expect(rsa.server.signatureBytes).toBe(256); // leaf signed by the RSA root
    expect(px(rsa.server).publicKey.algorithm.name).toBe('ECDSA');
    expect(new X509Certificate(rsa.server.der).verify(new X509Certificate(rsa.root.der).publicKey)).toBe(true);
  });

  it('writes PEM certificates, chains and PKCS#8 keys that match the certificates', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'certcost-pki-'));
    try {
      const p = await handshakePki({ seed: 'u', depth: 2, ...validity, dir });
      const f = p.files!;
      expect((await readFile(f.serverFullChain, 'utf8')).match(/BEGIN CERTIFICATE/g)).toHaveLength(2);
      expect((await readFile(f.caBundle, 'utf8')).match(/BEGIN CERTIFICATE/g)).toHaveLength(2);
      const keyPem = await readFile(f.serverKey, 'utf8');
      expect(keyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
      expect((await stat(f.serverKey)).mode & 0o777).toBe(0o600);
      const spki = (k: Parameters<typeof createPublicKey>[0]) => hex(createPublicKey(k).export({ type: 'spki', format: 'der' }));
      expect(spki(createPrivateKey(keyPem))).toBe(hex(p.server.key.spki));
      expect(spki(await readFile(f.serverCert, 'utf8'))).toBe(hex(p.server.key.spki));
      expect(new Uint8Array(new x509.X509Certificate(await readFile(f.serverCert, 'utf8')).rawData)).toEqual(p.server.der);
      // The device's key as the 32-byte scalar dtls-client takes: the same key as its PKCS#8.
      const jwk = createPrivateKey({ key: Buffer.from(p.device.key.pkcs8), format: 'der', type: 'pkcs8' }).export({ format: 'jwk' });
      expect(Buffer.from(jwk.d!, 'base64url').toString('hex')).toBe(hex(p.device.key.scalar!));
      const sizes = JSON.parse(await readFile(f.sizes, 'utf8'));
      expect(sizes.derSizes.server).toBe(p.server.der.length);
      expect(sizes.options.seed).toBe('u');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
