// X.509 v3 certificates for the device benchmarks, built with der.ts and
// signed with seeded keys (keys.ts): root, intermediates, leaf and a
// delegated OCSP responder. Profile: O + CN names, basic constraints, key
// usage, SKI/AKI, SAN on leaves, and on leaves the OCSP responder (AIA) and
// CRL distribution point URLs a device would use (.invalid: never reached;
// the harness plays both servers).
import { createHash } from 'node:crypto';
import { seedBytes } from '../vectors/seed.js';
import { bitString, bool, concat, ctx, ctxPrim, ia5, int, namedBits, nul, octets, oid, seq, set, time, utf8 } from './der.js';
import { signingKey, type KeyAlg, type SigningKey } from './keys.js';

export type Role = 'root' | 'intermediate' | 'leaf' | 'ocsp-responder';

export const OCSP_URL = 'http://ocsp.invalid/';
export const CRL_URL = 'http://crl.invalid/ca.crl';

const EXT = {
  subjectKeyId: '2.5.29.14',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  crlDistributionPoints: '2.5.29.31',
  authorityKeyId: '2.5.29.35',
  extKeyUsage: '2.5.29.37',
  authorityInfoAccess: '1.3.6.1.5.5.7.1.1',
  ocspNoCheck: '1.3.6.1.5.5.7.48.1.5',
} as const;
const KP = { serverAuth: '1.3.6.1.5.5.7.3.1', clientAuth: '1.3.6.1.5.5.7.3.2', ocspSigning: '1.3.6.1.5.5.7.3.9' } as const;
const KU = { digitalSignature: 0, keyCertSign: 5, cRLSign: 6 } as const;

export interface Issued {
  role: Role;
  subject: string;
  serial: bigint;
  der: Uint8Array;
  /** DER of the subject Name (OCSP CertID issuerNameHash is over the issuer's). */
  subjectName: Uint8Array;
  key: SigningKey;
  notBefore: Date;
  notAfter: Date;
  /** SHA-1 of the public key bits: SKI, AKI of what it issues, OCSP key hash. */
  keyId: Uint8Array;
  issuer?: Issued;
}

export interface CertSpec {
  role: Role;
  subject: string;
  serial: bigint;
  key: SigningKey;
  /** Omit for a self-signed root. */
  issuer?: Issued;
  notBefore: Date;
  notAfter: Date;
  pathLen?: number;
  dnsName?: string;
  /** Sign with another key than the issuer's (a forged or corrupted chain). */
  signWith?: SigningKey;
}

export const sha1 = (b: Uint8Array) => new Uint8Array(createHash('sha1').update(b).digest());

export function name(cn: string): Uint8Array {
  const rdn = (o: string, v: string) => set(seq(oid(o), utf8(v)));
  return seq(rdn('2.5.4.10', 'certcost test PKI'), rdn('2.5.4.3', cn));
}

const ext = (id: string, critical: boolean, value: Uint8Array) => seq(oid(id), ...(critical ? [bool(true)] : []), octets(value));

function extensions(s: CertSpec, keyId: Uint8Array): Uint8Array[] {
  const ca = s.role === 'root' || s.role === 'intermediate';
  const out: Uint8Array[] = [];
  out.push(ext(EXT.basicConstraints, true, ca ? seq(bool(true), ...(s.pathLen !== undefined ? [int(s.pathLen)] : [])) : seq()));
  out.push(ext(EXT.keyUsage, true, namedBits(ca ? [KU.keyCertSign, KU.cRLSign] : [KU.digitalSignature])));
  if (s.role === 'leaf') out.push(ext(EXT.extKeyUsage, false, seq(oid(KP.serverAuth), oid(KP.clientAuth))));
  if (s.role === 'ocsp-responder') {
    out.push(ext(EXT.extKeyUsage, false, seq(oid(KP.ocspSigning))));
    out.push(ext(EXT.ocspNoCheck, false, nul()));
  }
  out.push(ext(EXT.subjectKeyId, false, octets(keyId)));
  if (s.issuer) out.push(ext(EXT.authorityKeyId, false, seq(ctxPrim(0, s.issuer.keyId))));
  if (s.role === 'leaf') {
    if (s.dnsName) out.push(ext(EXT.subjectAltName, false, seq(ctxPrim(2, new TextEncoder().encode(s.dnsName)))));
    out.push(ext(EXT.authorityInfoAccess, false, seq(seq(oid('1.3.6.1.5.5.7.48.1'), ctxPrim(6, new TextEncoder().encode(OCSP_URL))))));
    out.push(ext(EXT.crlDistributionPoints, false, seq(seq(ctx(0, ctx(0, ctxPrim(6, new TextEncoder().encode(CRL_URL))))))));
  }
  return out;
}

/** Sign a TBS structure: SEQUENCE { tbs, algorithm, BIT STRING signature }. */
export function signed(tbs: Uint8Array, key: SigningKey): Uint8Array {
  return seq(tbs, key.sigAlg, bitString(key.sign(tbs)));
}

export function issue(s: CertSpec): Issued {
  const keyId = sha1(s.key.publicKeyBits);
  const signer = s.signWith ?? s.issuer?.key ?? s.key;
  const subjectName = name(s.subject);
  const tbs = seq(
    ctx(0, int(2)),
    int(s.serial),
    signer.sigAlg,
    s.issuer ? s.issuer.subjectName : subjectName,
    seq(time(s.notBefore), time(s.notAfter)),
    subjectName,
    s.key.spki,
    ctx(3, seq(...extensions(s, keyId))),
  );
  return { role: s.role, subject: s.subject, serial: s.serial, der: signed(tbs, signer), subjectName, key: s.key, notBefore: s.notBefore, notAfter: s.notAfter, keyId, issuer: s.issuer };
}

/** A positive 16-byte serial (what public CAs use: >= 64 random bits), fixed by the seed. */
export function serialFor(seed: string, ...label: (string | number)[]): bigint {
  const b = seedBytes(seed, 'x509-serial', ...label).subarray(0, 16);
  b[0] = (b[0]! & 0x3f) | 0x40;
  return BigInt('0x' + Buffer.from(b).toString('hex'));
}

export const DAY = 86_400_000;
export const days = (t: Date, n: number) => new Date(t.getTime() + n * DAY);

export interface ChainOptions {
  seed: string;
  /** CA certificates above the leaf: 1 = the root signs the leaf. */
  depth: 1 | 2 | 3;
  /** Key type of every CA certificate (and so of the signatures on the chain). */
  issuerAlg: KeyAlg;
  leafAlg?: KeyAlg;
  leaf: { notBefore: Date; notAfter: Date; label?: string };
  /** CA validity; default 2020-01-01 .. 2045-01-01. */
  ca?: { notBefore: Date; notAfter: Date };
  /** Corrupt the leaf: signed by a key that is not its issuer's. */
  forgeLeaf?: boolean;
}

export interface Chain {
  root: Issued;
  /** Nearest the root first. */
  intermediates: Issued[];
  leaf: Issued;
  /** What a server sends: leaf, then the intermediates nearest the leaf first (no root). */
  sent: Issued[];
}

const CA_DEFAULT = { notBefore: new Date('2020-01-01T00:00:00Z'), notAfter: new Date('2045-01-01T00:00:00Z') };

/** A CA certificate by position; the same (seed, alg, position) always gives the same certificate. */
function caCert(seed: string, alg: KeyAlg, level: number, depth: number, issuer: Issued | undefined, validity: { notBefore: Date; notAfter: Date }): Issued {
  const label = level === 0 ? `${alg}-root` : `${alg}-int${level}`;
  return issue({
    role: level === 0 ? 'root' : 'intermediate',
    subject: level === 0 ? `certcost Root CA (${alg})` : `certcost Intermediate CA ${level} (${alg})`,
    serial: serialFor(seed, label, depth),
    key: signingKey(alg, seed, label),
    issuer,
    pathLen: level === 0 ? undefined : depth - 1 - level,
    ...validity,
  });
}

export function buildChain(o: ChainOptions): Chain {
  const ca = o.ca ?? CA_DEFAULT;
  const cas: Issued[] = [];
  for (let level = 0; level < o.depth; level++) cas.push(caCert(o.seed, o.issuerAlg, level, o.depth, cas[level - 1], ca));
  const label = o.leaf.label ?? 'leaf';
  const leafKey = signingKey(o.leafAlg ?? 'p256', o.seed, `leaf-${o.leafAlg ?? 'p256'}`);
  const leaf = issue({
    role: 'leaf',
    subject: 'device.certcost.invalid',
    dnsName: 'device.certcost.invalid',
    serial: serialFor(o.seed, label, o.depth, o.issuerAlg, o.leaf.notBefore.toISOString(), o.leaf.notAfter.toISOString()),
    key: leafKey,
    issuer: cas[cas.length - 1],
    signWith: o.forgeLeaf ? signingKey(o.issuerAlg, o.seed, 'forger') : undefined,
    ...o.leaf,
  });
  return { root: cas[0]!, intermediates: cas.slice(1), leaf, sent: [leaf, ...cas.slice(1).reverse()] };
}

/** Concatenated DER. */
export const ders = (xs: Issued[]) => concat(...xs.map((x) => x.der));

export function pem(der: Uint8Array, label = 'CERTIFICATE'): string {
  const b64 = Buffer.from(der).toString('base64').replace(/.{64}/g, '$&\n');
  return `-----BEGIN ${label}-----\n${b64}${b64.length % 65 ? '\n' : ''}-----END ${label}-----\n`;
}
