// The user's own PKI (a scenario's `pki:`), read from PEM files and checked
// before anything runs: every file PEM, the server's chain leaf first and
// in order, its top issued by one of the trust anchors, each key matching
// its leaf. A problem is one message naming the file (exit 2). Certificates
// outside their validity at the device's clock are not an error here: that
// is a result, said by the ops that meet it. `asHandshakePki` puts the
// user's certificates in the shape the handshake ops use for the test PKI
// (handshake-pki.ts), with its PEM files written for the peers.
import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AsnConvert } from '@peculiar/asn1-schema';
import { Certificate } from '@peculiar/asn1-x509';
import { UserError } from '../core/errors.js';
import { pem } from './asn1.js';
import type { Issued } from './cert.js';
import type { DerSizes, Pki, PkiFiles } from './handshake-pki.js';
import type { SigningKey } from './keys.js';

export interface UserPkiFiles {
  serverChain: string;
  serverKey: string;
  trustAnchors: string;
  clientChain?: string;
  clientKey?: string;
}

export interface UserCert {
  der: Uint8Array;
  x509: X509Certificate;
  /** e.g. "P-256", "RSA-2048", "P-384". */
  keyType: string;
  subject: string;
}

export interface UserPki {
  files: UserPkiFiles;
  /** The device's clock for handshakes with this PKI (Unix seconds): deviceClockFor(). */
  deviceClock?: number;
  /** Leaf first, as the server sends it. */
  serverChain: UserCert[];
  serverKey: KeyObject;
  trustAnchors: UserCert[];
  clientChain?: UserCert[];
  clientKey?: KeyObject;
}

export function keyTypeOf(k: KeyObject): string {
  const d = k.asymmetricKeyDetails ?? {};
  if (k.asymmetricKeyType === 'ec') return ({ prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521' } as Record<string, string>)[d.namedCurve ?? ''] ?? `EC ${d.namedCurve}`;
  if (k.asymmetricKeyType === 'rsa') return `RSA-${d.modulusLength}`;
  return k.asymmetricKeyType ?? 'unknown';
}

function readPem(file: string, what: string): string {
  let text: string;
  try {
    text = readFileSync(file, 'latin1');
  } catch (e) {
    throw new UserError(`${file}: cannot read ${what}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  if (!/-----BEGIN [A-Z0-9 ]+-----/.test(text)) throw new UserError(`${file}: ${what} is not PEM (no -----BEGIN ...----- block)`);
  return text;
}

function certs(file: string, what: string): UserCert[] {
  const blocks = readPem(file, what).match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
  if (!blocks.length) throw new UserError(`${file}: ${what} has no CERTIFICATE block`);
  return blocks.map((b, i) => {
    try {
      const x509 = new X509Certificate(b);
      return { der: new Uint8Array(x509.raw), x509, keyType: keyTypeOf(x509.publicKey), subject: x509.subject.replace(/\n/g, ', ') };
    } catch (e) {
      throw new UserError(`${file}: certificate ${i + 1} of ${what} does not parse: ${(e as Error).message}`);
    }
  });
}

function key(file: string, what: string): KeyObject {
  const text = readPem(file, what);
  try {
    return createPrivateKey(text);
  } catch (e) {
    throw new UserError(`${file}: ${what} is not a private key this host can read: ${(e as Error).message}`);
  }
}

/** A chain as sent: each certificate issued (and signed) by the next, leaf first. */
function checkOrder(chain: UserCert[], file: string, what: string): void {
  for (let i = 0; i + 1 < chain.length; i++) {
    const [c, up] = [chain[i]!, chain[i + 1]!];
    if (!c.x509.checkIssued(up.x509) || !c.x509.verify(up.x509.publicKey))
      throw new UserError(`${file}: ${what} is out of order: certificate ${i + 1} (${c.subject}) is not issued by certificate ${i + 2} (${up.subject}); give the leaf first, then each issuer`);
  }
}

function checkAnchored(chain: UserCert[], anchors: UserCert[], file: string, anchorsFile: string): void {
  const top = chain.at(-1)!;
  const selfSigned = top.x509.checkIssued(top.x509);
  if (!anchors.some((a) => (top.x509.checkIssued(a.x509) && top.x509.verify(a.x509.publicKey)) || (selfSigned && a.x509.fingerprint256 === top.x509.fingerprint256)))
    throw new UserError(`${file}: the chain's last certificate (${top.subject}) is not issued by any trust anchor in ${anchorsFile}`);
}

export function loadUserPki(files: UserPkiFiles): UserPki {
  const serverChain = certs(files.serverChain, 'pki.serverChain');
  // Order first: a reversed chain would otherwise read as a key that does not match its "leaf".
  checkOrder(serverChain, files.serverChain, 'pki.serverChain');
  const serverKey = key(files.serverKey, 'pki.serverKey');
  if (!serverChain[0]!.x509.checkPrivateKey(serverKey)) throw new UserError(`${files.serverKey}: pki.serverKey does not match the leaf of ${files.serverChain} (${serverChain[0]!.subject})`);
  const trustAnchors = certs(files.trustAnchors, 'pki.trustAnchors');
  checkAnchored(serverChain, trustAnchors, files.serverChain, files.trustAnchors);
  if (!files.clientChain !== !files.clientKey) throw new UserError(`${files.clientChain ?? files.clientKey}: pki.clientChain and pki.clientKey go together`);
  const out: UserPki = { files, serverChain, serverKey, trustAnchors };
  if (files.clientChain && files.clientKey) {
    const clientChain = certs(files.clientChain, 'pki.clientChain');
    checkOrder(clientChain, files.clientChain, 'pki.clientChain');
    const clientKey = key(files.clientKey, 'pki.clientKey');
    if (!clientChain[0]!.x509.checkPrivateKey(clientKey)) throw new UserError(`${files.clientKey}: pki.clientKey does not match the leaf of ${files.clientChain} (${clientChain[0]!.subject})`);
    checkAnchored(clientChain, trustAnchors, files.clientChain, files.trustAnchors);
    Object.assign(out, { clientChain, clientKey });
  }
  return out;
}

/**
 * The device's calendar clock for handshakes with the scenario's PKI: the
 * scenario's `pki.deviceClock`, else a day after the latest notBefore of its
 * certificates (inside every validity when they overlap): fixed by the files,
 * so counts repeat.
 */
export function deviceClockFor(p: UserPki, override?: string): number {
  if (override) return Math.floor(Date.parse(override) / 1000);
  const all = [...p.serverChain, ...p.trustAnchors, ...(p.clientChain ?? [])];
  return Math.floor(Math.max(...all.map((c) => Date.parse(c.x509.validFrom))) / 1000) + 86_400;
}

/** Certificates of the PKI not valid at `unixSeconds` (the device's clock), said in words; empty when all are. */
export function invalidAt(p: UserPki, unixSeconds: number): string[] {
  const t = unixSeconds * 1000;
  return [...p.serverChain, ...p.trustAnchors, ...(p.clientChain ?? [])]
    .filter((c) => Date.parse(c.x509.validFrom) > t || Date.parse(c.x509.validTo) < t)
    .map((c) => `${c.subject} (valid ${new Date(c.x509.validFrom).toISOString().slice(0, 10)} to ${new Date(c.x509.validTo).toISOString().slice(0, 10)})`);
}

// ---- the test PKI's shape, for the handshake ops ----

function asKey(pub: KeyObject, priv?: KeyObject): SigningKey {
  const spki = new Uint8Array(pub.export({ type: 'spki', format: 'der' }));
  const jwk = priv?.asymmetricKeyType === 'ec' ? priv.export({ format: 'jwk' }) : undefined;
  const scalar = jwk?.crv === 'P-256' && jwk.d ? new Uint8Array(Buffer.from(jwk.d, 'base64url')) : undefined;
  const nope = () => { throw new Error('the scenario PKI\'s keys are used as they are: certcost signs nothing with them'); };
  return {
    alg: pub.asymmetricKeyType === 'rsa' ? 'rsa2048' : 'p256',
    spki,
    publicKeyBits: spki,
    sigAlg: nope,
    sign: nope,
    publicKey: pub,
    privateKey: priv ?? (undefined as unknown as KeyObject),
    pkcs8: priv ? new Uint8Array(priv.export({ type: 'pkcs8', format: 'der' })) : new Uint8Array(0),
    ...(scalar ? { scalar } : {}),
  };
}

function asIssued(c: UserCert, priv?: KeyObject): Issued {
  const tbs = AsnConvert.parse(c.der, Certificate).tbsCertificate;
  return {
    role: 'leaf', profile: 'typical', subject: c.x509.subject.match(/CN=([^\n]*)/)?.[1] ?? c.subject, serial: BigInt(`0x${c.x509.serialNumber}`),
    der: c.der, subjectName: new Uint8Array(AsnConvert.serialize(tbs.subject)), key: asKey(c.x509.publicKey, priv),
    notBefore: new Date(c.x509.validFrom), notAfter: new Date(c.x509.validTo), keyId: new Uint8Array(0),
    signatureBytes: AsnConvert.parse(c.der, Certificate).signatureValue.byteLength,
  };
}

/**
 * The user's PKI in the test PKI's shape: root = the anchor that issued the
 * chain's top, intermediates nearest the root first, server = the leaf; the
 * device's chain is the client chain as given. Files for the peers in `dir`.
 */
export async function asHandshakePki(p: UserPki, dir: string): Promise<Pki & { trustAnchors: Uint8Array[]; deviceIntermediates: Issued[] }> {
  const leaf = asIssued(p.serverChain[0]!, p.serverKey);
  const intermediates = p.serverChain.slice(1).map((c) => asIssued(c)).reverse();
  const top = p.serverChain.at(-1)!;
  const anchor = p.trustAnchors.find((a) => top.x509.checkIssued(a.x509)) ?? p.trustAnchors[0]!;
  const root = asIssued(anchor);
  const device = p.clientChain ? asIssued(p.clientChain[0]!, p.clientKey) : leaf;
  const deviceIntermediates = (p.clientChain ?? []).slice(1).map((c) => asIssued(c));
  const chainUp = [...intermediates].reverse();
  const derSizes: DerSizes = {
    root: root.der.length, intermediates: intermediates.map((c) => c.der.length), server: leaf.der.length, device: device.der.length, serverSelfSigned: leaf.der.length,
    serverChain: [leaf, ...chainUp].map((c) => c.der.length), deviceChain: [device, ...deviceIntermediates].map((c) => c.der.length),
    caNames: [root, ...intermediates].map((c) => c.subjectName.length), privateKeysPkcs8: {},
  };
  await mkdir(dir, { recursive: true });
  const f: PkiFiles = {
    dir, rootCert: join(dir, 'root.pem'), caBundle: join(dir, 'ca-bundle.pem'), serverChain: join(dir, 'server-chain.pem'), serverCert: join(dir, 'server.pem'),
    serverKey: join(dir, 'server.key'), serverFullChain: join(dir, 'server-fullchain.pem'), selfSignedCert: join(dir, 'selfsigned.pem'), selfSignedKey: join(dir, 'selfsigned.key'),
    deviceCert: join(dir, 'device.pem'), deviceKey: join(dir, 'device.key'), deviceChain: join(dir, 'device-chain.pem'), deviceFullChain: join(dir, 'device-fullchain.pem'), sizes: join(dir, 'der-sizes.json'),
  };
  const certPem = (...xs: { der: Uint8Array }[]) => xs.map((x) => pem(x.der)).join('');
  const keyPem = (k?: KeyObject) => (k ? k.export({ type: 'pkcs8', format: 'pem' }).toString() : '');
  const anchors = p.trustAnchors;
  const out: [string, string][] = [
    [f.rootCert, certPem(...anchors)], [f.caBundle, certPem(...anchors, ...intermediates, ...deviceIntermediates)], [f.serverChain, certPem(...chainUp)],
    [f.serverCert, certPem(leaf)], [f.serverKey, keyPem(p.serverKey)], [f.serverFullChain, certPem(leaf, ...chainUp)],
    [f.selfSignedCert, certPem(leaf)], [f.selfSignedKey, keyPem(p.serverKey)], [f.deviceCert, certPem(device)], [f.deviceKey, keyPem(p.clientKey)],
    [f.deviceChain, certPem(...deviceIntermediates)], [f.deviceFullChain, certPem(device, ...deviceIntermediates)], [f.sizes, JSON.stringify({ derSizes }, null, 2) + '\n'],
  ];
  for (const [path, text] of out) await writeFile(path, text, { mode: path.endsWith('.key') ? 0o600 : 0o644 });
  return {
    options: { seed: 'scenario', depth: p.serverChain.length as 1 | 2 | 3, keyType: 'p256', profile: 'typical', notBefore: leaf.notBefore, notAfter: leaf.notAfter, serverName: leaf.subject, deviceName: device.subject },
    root, intermediates, server: leaf, device, serverSelfSigned: leaf, files: f, derSizes,
    trustAnchors: anchors.map((a) => a.der), deviceIntermediates,
  };
}

