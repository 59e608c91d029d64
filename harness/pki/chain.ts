// The certificate ops' chains (docs/certificates.md): root, 0-2
// intermediates and a P-256 leaf under the 'revocable' profile (cert.ts),
// every key and 16-byte serial fixed by the seed. CAs are P-256 or
// RSA-2048; the same (seed, key type, position) always gives the same CA
// certificate, so chains of different depths share their root's key.
// Also the delegated OCSP responder certificates the revocation ops use.
import { seedBytes } from '../vectors/seed.js';
import { issue, type Issued } from './cert.js';
import { signingKey, type KeyAlg } from './keys.js';

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
    profile: 'revocable',
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
    profile: 'revocable',
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

/** A delegated OCSP responder certificate issued by `ca` (EKU OCSPSigning, ocsp-nocheck), valid from 10 days before `now` for 90 days. */
export function ocspResponderCert(o: { seed: string; ca: Issued; serialLabel: (string | number)[]; keyLabel: string; now: Date; signWith?: Issued['key'] }): Issued {
  return issue({
    profile: 'revocable', role: 'ocsp-responder', subject: 'certcost OCSP responder', serial: serialFor(o.seed, ...o.serialLabel),
    key: signingKey('p256', o.seed, o.keyLabel), issuer: o.ca, signWith: o.signWith, notBefore: days(o.now, -10), notAfter: days(o.now, 80),
  });
}
