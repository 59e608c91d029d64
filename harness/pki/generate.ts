// Test PKI for the DTLS handshakes: root CA, 0-2 intermediates, server leaf,
// device (client) leaf and a self-signed server certificate for the pinned
// variant. Serials, names and validity are fixed by the caller so only the
// keys (WebCrypto generates them at random) and hence the ECDSA signatures
// change from run to run: a P-256 signature's DER length moves by a byte or
// two, so every consumer must take derSizes from here, never assume them.
import './reflect-shim.js';
import * as x509 from '@peculiar/x509';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

x509.cryptoProvider.set(globalThis.crypto);

/** p256: every key P-256/ECDSA-SHA256. rsa2048-root: the root is RSA-2048 (PKCS#1 v1.5, SHA-256), the rest P-256. */
export type KeyType = 'p256' | 'rsa2048-root';
/** typical: what a small private CA usually issues (O + CN names, SKI/AKI, KU, EKU, SAN).
 *  rfc7925: the IoT profile of RFC 7925 section 4.4 (CN only, no SKI on leaves, no EKU). */
export type CertProfile = 'typical' | 'rfc7925';

export interface PkiOptions {
  /** CA certificates above the leaf: 1 = root signs the leaves, 2 = root + 1 intermediate, 3 = root + 2 intermediates. */
  depth?: 1 | 2 | 3;
  keyType?: KeyType;
  profile?: CertProfile;
  notBefore: Date;
  notAfter: Date;
  /** Write PEM files here (created if missing). Omit for an in-memory PKI. */
  dir?: string;
  serverName?: string;
  deviceName?: string;
}

export type Role = 'root' | 'intermediate' | 'server' | 'device' | 'self-signed';

export interface Issued {
  role: Role;
  subject: string;
  serial: string;
  cert: x509.X509Certificate;
  der: Uint8Array;
  keys: CryptoKeyPair;
  /** Private key, PKCS#8 DER. */
  pkcs8: Uint8Array;
  /** DER of the subject Name (what a CertificateRequest lists as a CA name). */
  subjectDer: Uint8Array;
  /** DER length of the certificate's own signature value (the BIT STRING contents). */
  signatureBytes: number;
}

export interface PkiFiles {
  dir: string;
  rootCert: string;
  /** Root followed by the intermediates: what a verifier trusts/uses to build the path. */
  caBundle: string;
  /** Intermediates only, nearest-to-leaf first (for s_server -cert_chain). Empty file at depth 1. */
  serverChain: string;
  serverCert: string;
  serverKey: string;
  /** Leaf followed by the intermediates. */
  serverFullChain: string;
  selfSignedCert: string;
  selfSignedKey: string;
  deviceCert: string;
  deviceKey: string;
  deviceChain: string;
  deviceFullChain: string;
  sizes: string;
}

export interface DerSizes {
  root: number;
  intermediates: number[];
  server: number;
  device: number;
  serverSelfSigned: number;
  /** What a server sending its chain puts in Certificate: leaf then intermediates (no root). */
  serverChain: number[];
  deviceChain: number[];
  /** Subject Name DER sizes of root and intermediates (CertificateRequest certificate_authorities). */
  caNames: number[];
  privateKeysPkcs8: Record<string, number>;
}

export interface Pki {
  options: Required<Omit<PkiOptions, 'dir'>> & { dir?: string };
  root: Issued;
  intermediates: Issued[];
  server: Issued;
  device: Issued;
  serverSelfSigned: Issued;
  files?: PkiFiles;
  derSizes: DerSizes;
}

const EC = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const RSA = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', publicExponent: new Uint8Array([1, 0, 1]), modulusLength: 2048 } as const;

async function keyPair(rsa: boolean): Promise<CryptoKeyPair> {
  return (await crypto.subtle.generateKey(rsa ? RSA : EC, true, ['sign', 'verify'])) as CryptoKeyPair;
}

function algOf(keys: CryptoKeyPair): typeof EC | typeof RSA {
  return keys.privateKey.algorithm.name === 'ECDSA' ? EC : RSA;
}

interface Template {
  role: Role;
  serial: string;
  subject: string;
  keys: CryptoKeyPair;
  issuer?: Issued;
  pathLen?: number;
  dnsName?: string;
}

async function extensionsFor(t: Template, profile: CertProfile): Promise<x509.Extension[]> {
  const ca = t.role === 'root' || t.role === 'intermediate';
  const issuerKey = t.issuer ? t.issuer.keys.publicKey : t.keys.publicKey;
  const ext: x509.Extension[] = [];
  if (ca) {
    ext.push(new x509.BasicConstraintsExtension(true, t.pathLen, true));
    ext.push(new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true));
    ext.push(await x509.SubjectKeyIdentifierExtension.create(t.keys.publicKey));
    if (t.role !== 'root') ext.push(await x509.AuthorityKeyIdentifierExtension.create(issuerKey));
    return ext;
  }
  if (profile === 'rfc7925') {
    // RFC 7925 4.4.2: keyUsage digitalSignature, AKI; the server's name in a SAN dNSName.
    ext.push(new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true));
    if (t.issuer) ext.push(await x509.AuthorityKeyIdentifierExtension.create(issuerKey));
    if (t.dnsName) ext.push(new x509.SubjectAlternativeNameExtension([{ type: 'dns', value: t.dnsName }]));
    return ext;
  }
  ext.push(new x509.BasicConstraintsExtension(false, undefined, true));
  ext.push(new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true));
  const eku = t.role === 'device' ? '1.3.6.1.5.5.7.3.2' : '1.3.6.1.5.5.7.3.1'; // clientAuth / serverAuth
  ext.push(new x509.ExtendedKeyUsageExtension([eku]));
  ext.push(await x509.SubjectKeyIdentifierExtension.create(t.keys.publicKey));
  if (t.issuer) ext.push(await x509.AuthorityKeyIdentifierExtension.create(issuerKey));
  if (t.dnsName) ext.push(new x509.SubjectAlternativeNameExtension([{ type: 'dns', value: t.dnsName }]));
  return ext;
}

async function issue(t: Template, opts: { notBefore: Date; notAfter: Date; profile: CertProfile }): Promise<Issued> {
  const extensions = await extensionsFor(t, opts.profile);
  const common = { serialNumber: t.serial, notBefore: opts.notBefore, notAfter: opts.notAfter, extensions };
  const cert = t.issuer
    ? await x509.X509CertificateGenerator.create({
        ...common,
        subject: t.subject,
        issuer: t.issuer.subject,
        publicKey: t.keys.publicKey,
        signingKey: t.issuer.keys.privateKey,
        signingAlgorithm: algOf(t.issuer.keys),
      })
    : await x509.X509CertificateGenerator.createSelfSigned({ ...common, name: t.subject, keys: t.keys, signingAlgorithm: algOf(t.keys) });
  const pkcs8 = new Uint8Array(await crypto.subtle.exportKey('pkcs8', t.keys.privateKey));
  return {
    role: t.role,
    subject: t.subject,
    serial: t.serial,
    cert,
    der: new Uint8Array(cert.rawData),
    keys: t.keys,
    pkcs8,
    subjectDer: new Uint8Array(cert.subjectName.toArrayBuffer()),
    signatureBytes: cert.signature.byteLength,
  };
}

export function pem(label: string, der: Uint8Array): string {
  const b64 = Buffer.from(der).toString('base64');
  return `-----BEGIN ${label}-----\n${b64.replace(/.{1,64}/g, '$&\n')}-----END ${label}-----\n`;
}

const certPem = (...c: Issued[]) => c.map((x) => pem('CERTIFICATE', x.der)).join('');
const keyPem = (x: Issued) => pem('PRIVATE KEY', x.pkcs8);

function names(profile: CertProfile, o: { serverName: string; deviceName: string }) {
  // Short RFC 7925-style names vs the O+CN names a private CA typically uses.
  const dn = (cn: string) => (profile === 'rfc7925' ? `CN=${cn}` : `O=certcost test PKI, CN=${cn}`);
  return {
    root: dn(profile === 'rfc7925' ? 'root' : 'certcost Root CA'),
    intermediate: (i: number) => dn(profile === 'rfc7925' ? `ca${i}` : `certcost Intermediate CA ${i}`),
    server: dn(o.serverName),
    device: dn(o.deviceName),
  };
}

export async function generatePki(options: PkiOptions): Promise<Pki> {
  const opts = {
    depth: options.depth ?? 1,
    keyType: options.keyType ?? 'p256',
    profile: options.profile ?? 'typical',
    notBefore: options.notBefore,
    notAfter: options.notAfter,
    serverName: options.serverName ?? 'server.certcost.test',
    deviceName: options.deviceName ?? 'device-0001',
    dir: options.dir,
  };
  if (![1, 2, 3].includes(opts.depth)) throw new Error(`depth must be 1, 2 or 3, not ${opts.depth}`);
  const validity = { notBefore: opts.notBefore, notAfter: opts.notAfter, profile: opts.profile };
  const n = names(opts.profile, opts);

  const root = await issue({ role: 'root', serial: '01', subject: n.root, keys: await keyPair(opts.keyType === 'rsa2048-root'), pathLen: opts.depth - 1 }, validity);
  const intermediates: Issued[] = [];
  let issuer = root;
  for (let i = 1; i < opts.depth; i++) {
    issuer = await issue({ role: 'intermediate', serial: (0x10 + i).toString(16), subject: n.intermediate(i), keys: await keyPair(false), issuer, pathLen: opts.depth - 1 - i }, validity);
    intermediates.push(issuer);
  }
  const server = await issue({ role: 'server', serial: '21', subject: n.server, keys: await keyPair(false), issuer, dnsName: opts.serverName }, validity);
  const device = await issue({ role: 'device', serial: '31', subject: n.device, keys: await keyPair(false), issuer }, validity);
  const serverSelfSigned = await issue({ role: 'self-signed', serial: '22', subject: n.server, keys: await keyPair(false), dnsName: opts.serverName }, validity);

  // Chains as sent on the wire: leaf first, then the intermediates towards the root.
  const chainUp = [...intermediates].reverse();
  const derSizes: DerSizes = {
    root: root.der.length,
    intermediates: intermediates.map((c) => c.der.length),
    server: server.der.length,
    device: device.der.length,
    serverSelfSigned: serverSelfSigned.der.length,
    serverChain: [server, ...chainUp].map((c) => c.der.length),
    deviceChain: [device, ...chainUp].map((c) => c.der.length),
    caNames: [root, ...intermediates].map((c) => c.subjectDer.length),
    privateKeysPkcs8: Object.fromEntries([root, ...intermediates, server, device, serverSelfSigned].map((c) => [c.subject, c.pkcs8.length])),
  };

  const pki: Pki = { options: opts, root, intermediates, server, device, serverSelfSigned, derSizes };
  if (opts.dir) pki.files = await writePki(pki, opts.dir);
  return pki;
}

async function writePki(p: Pki, dir: string): Promise<PkiFiles> {
  await mkdir(dir, { recursive: true });
  const chainUp = [...p.intermediates].reverse();
  const f: PkiFiles = {
    dir,
    rootCert: join(dir, 'root.pem'),
    caBundle: join(dir, 'ca-bundle.pem'),
    serverChain: join(dir, 'server-chain.pem'),
    serverCert: join(dir, 'server.pem'),
    serverKey: join(dir, 'server.key'),
    serverFullChain: join(dir, 'server-fullchain.pem'),
    selfSignedCert: join(dir, 'selfsigned.pem'),
    selfSignedKey: join(dir, 'selfsigned.key'),
    deviceCert: join(dir, 'device.pem'),
    deviceKey: join(dir, 'device.key'),
    deviceChain: join(dir, 'device-chain.pem'),
    deviceFullChain: join(dir, 'device-fullchain.pem'),
    sizes: join(dir, 'der-sizes.json'),
  };
  const out: [string, string][] = [
    [f.rootCert, certPem(p.root)],
    [f.caBundle, certPem(p.root, ...p.intermediates)],
    [f.serverChain, certPem(...chainUp)],
    [f.serverCert, certPem(p.server)],
    [f.serverKey, keyPem(p.server)],
    [f.serverFullChain, certPem(p.server, ...chainUp)],
    [f.selfSignedCert, certPem(p.serverSelfSigned)],
    [f.selfSignedKey, keyPem(p.serverSelfSigned)],
    [f.deviceCert, certPem(p.device)],
    [f.deviceKey, keyPem(p.device)],
    [f.deviceChain, certPem(...chainUp)],
    [f.deviceFullChain, certPem(p.device, ...chainUp)],
    [f.sizes, JSON.stringify({ options: { ...p.options, notBefore: p.options.notBefore.toISOString(), notAfter: p.options.notAfter.toISOString() }, derSizes: p.derSizes }, null, 2) + '\n'],
  ];
  for (const [path, text] of out) await writeFile(path, text, { mode: path.endsWith('.key') ? 0o600 : 0o644 });
  return f;
}
