import { describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import '../../harness/pki/reflect-shim.js';
import * as x509 from '@peculiar/x509';
import { generatePki } from '../../harness/pki/generate.js';

const validity = { notBefore: new Date('2025-01-01T00:00:00Z'), notAfter: new Date('2035-01-01T00:00:00Z') };

describe('test PKI', () => {
  it('depth 3: root, two intermediates, leaves; each certificate verifies under its issuer; sizes are the real DER', async () => {
    const p = await generatePki({ depth: 3, ...validity });
    expect(p.intermediates).toHaveLength(2);
    const [i1, i2] = p.intermediates;
    expect(await p.root.cert.verify({ publicKey: p.root.cert.publicKey })).toBe(true);
    expect(await i1!.cert.verify({ publicKey: p.root.cert.publicKey })).toBe(true);
    expect(await i2!.cert.verify({ publicKey: i1!.cert.publicKey })).toBe(true);
    expect(await p.server.cert.verify({ publicKey: i2!.cert.publicKey })).toBe(true);
    expect(await p.device.cert.verify({ publicKey: i2!.cert.publicKey })).toBe(true);
    expect(await p.server.cert.verify({ publicKey: p.root.cert.publicKey })).toBe(false);
    expect(await p.serverSelfSigned.cert.verify({ publicKey: p.serverSelfSigned.cert.publicKey })).toBe(true);
    expect(p.derSizes.serverChain).toEqual([p.server.der.length, i2!.der.length, i1!.der.length]);
    expect(p.derSizes.caNames).toEqual([p.root, i1!, i2!].map((c) => c.subjectDer.length));
    // Fixed serials, names and dates: only keys and signatures vary.
    expect(p.server.cert.serialNumber).toBe('21');
    expect(p.server.cert.notBefore.toISOString()).toBe('2025-01-01T00:00:00.000Z');
    expect(p.server.cert.getExtension(x509.BasicConstraintsExtension)?.ca).toBe(false);
    expect(i2!.cert.getExtension(x509.BasicConstraintsExtension)?.pathLength).toBe(0);
    // P-256 ECDSA signature DER: SEQUENCE of two INTEGERs of up to 33 B each,
    // so at most 72 B; shorter when r or s is below 2^247 (69 B, about 1
    // signature in 500, which a 70 B floor failed on). Under 66 B needs
    // r and s both far below that: vanishingly rare.
    expect(p.server.signatureBytes).toBeGreaterThanOrEqual(66);
    expect(p.server.signatureBytes).toBeLessThanOrEqual(72);
  });

  it('writes PEM certificates, chains and PKCS#8 keys', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'certcost-pki-'));
    try {
      const p = await generatePki({ depth: 2, ...validity, dir });
      const f = p.files!;
      const chain = await readFile(f.serverFullChain, 'utf8');
      expect(chain.match(/BEGIN CERTIFICATE/g)).toHaveLength(2);
      expect(await readFile(f.serverKey, 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
      expect((await stat(f.serverKey)).mode & 0o777).toBe(0o600);
      const back = new x509.X509Certificate(await readFile(f.serverCert, 'utf8'));
      expect(new Uint8Array(back.rawData)).toEqual(p.server.der);
      const sizes = JSON.parse(await readFile(f.sizes, 'utf8'));
      expect(sizes.derSizes.server).toBe(p.server.der.length);
      expect(await readFile(f.serverChain, 'utf8')).toContain('BEGIN CERTIFICATE');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('RSA-2048 root option and the smaller RFC 7925 profile', async () => {
    const rsa = await generatePki({ depth: 1, keyType: 'rsa2048-root', ...validity });
    expect(rsa.root.cert.publicKey.algorithm.name).toBe('RSASSA-PKCS1-v1_5');
    expect(rsa.server.signatureBytes).toBe(256); // leaf signed by the RSA root
    expect(rsa.server.cert.publicKey.algorithm.name).toBe('ECDSA');
    const typical = await generatePki({ depth: 1, ...validity });
    const small = await generatePki({ depth: 1, profile: 'rfc7925', ...validity });
    expect(small.derSizes.server).toBeLessThan(typical.derSizes.server - 80);
    expect(small.server.cert.getExtension(x509.SubjectKeyIdentifierExtension)).toBeNull();
    await expect(generatePki({ depth: 4 as 3, ...validity })).rejects.toThrow(/depth/);
  });
});
