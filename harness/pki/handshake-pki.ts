// The DTLS handshakes' PKI: root CA, 0-2 intermediates, server leaf, device
// (client) leaf and a self-signed server certificate for the pinned
// variant, issued by cert.ts under the 'typical' or 'rfc7925' profile.
// Every key comes from the scenario seed (keys.ts: P-256 with RFC 6979
// signatures; the RSA-2048 root option from harness/vectors/rsa-key.ts),
// serials, names and validity are fixed, so the same seed sends the same
// certificates every run. PEM files (certificates, chains, PKCS#8 keys)
// for the peers (OpenSSL s_server, wolfSSL's example server) are written
// on request.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pem } from './asn1.js';
import { issue, type Issued } from './cert.js';
import { signingKey } from './keys.js';

/** p256: every key P-256/ECDSA-SHA256. rsa2048-root: the root is RSA-2048 (PKCS#1 v1.5, SHA-256), the rest P-256. */
export type KeyType = 'p256' | 'rsa2048-root';
/** typical: what a small private CA usually issues (O + CN names, SKI/AKI, KU, EKU, SAN).
 *  rfc7925: the IoT profile of RFC 7925 section 4.4 (CN only, no SKI on leaves, no EKU). */
export type HandshakeProfile = 'typical' | 'rfc7925';

export interface PkiOptions {
  /** Every key derives from it (with the profile-independent labels below). */
  seed: string;
  /** CA certificates above the leaf: 1 = root signs the leaves, 2 = root + 1 intermediate, 3 = root + 2 intermediates. */
  depth?: 1 | 2 | 3;
  keyType?: KeyType;
  profile?: HandshakeProfile;
  notBefore: Date;
  notAfter: Date;
  /** Write PEM files here (created if missing). Omit for an in-memory PKI. */
  dir?: string;
  serverName?: string;
  deviceName?: string;
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

function names(profile: HandshakeProfile, o: { serverName: string; deviceName: string }) {
  // Short RFC 7925-style names vs the names a private CA typically uses.
  const small = profile === 'rfc7925';
  return {
    root: small ? 'root' : 'certcost Root CA',
    intermediate: (i: number) => (small ? `ca${i}` : `certcost Intermediate CA ${i}`),
    server: o.serverName,
    device: o.deviceName,
  };
}

/** The handshake PKI for `options`: a pure function of the seed and options. Writes PEM files when `dir` is given. */
export async function handshakePki(options: PkiOptions): Promise<Pki> {
  const opts = {
    seed: options.seed,
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
  const n = names(opts.profile, opts);
  // Keys by role, shared by every depth and profile of one seed ('dtls-' keeps them apart from the certificate ops' keys).
  const p256 = (label: string) => signingKey('p256', opts.seed, `dtls-${label}`);
  const common = { profile: opts.profile, notBefore: opts.notBefore, notAfter: opts.notAfter };

  const rootKey = opts.keyType === 'rsa2048-root' ? signingKey('rsa2048', opts.seed, 'dtls-root') : p256('root');
  const root = issue({ ...common, role: 'root', serial: 0x01n, subject: n.root, key: rootKey, pathLen: opts.depth - 1 });
  const intermediates: Issued[] = [];
  let issuer = root;
  for (let i = 1; i < opts.depth; i++) {
    issuer = issue({ ...common, role: 'intermediate', serial: BigInt(0x10 + i), subject: n.intermediate(i), key: p256(`int${i}`), issuer, pathLen: opts.depth - 1 - i });
    intermediates.push(issuer);
  }
  const server = issue({ ...common, role: 'leaf', serial: 0x21n, subject: n.server, key: p256('server'), issuer, dnsName: opts.serverName, purposes: ['serverAuth'] });
  const device = issue({ ...common, role: 'leaf', serial: 0x31n, subject: n.device, key: p256('device'), issuer, purposes: ['clientAuth'] });
  const serverSelfSigned = issue({ ...common, role: 'leaf', serial: 0x22n, subject: n.server, key: p256('selfsigned'), dnsName: opts.serverName, purposes: ['serverAuth'] });

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
    caNames: [root, ...intermediates].map((c) => c.subjectName.length),
    privateKeysPkcs8: Object.fromEntries([root, ...intermediates, server, device, serverSelfSigned].map((c) => [c.subject, c.key.pkcs8.length])),
  };

  const pki: Pki = { options: opts, root, intermediates, server, device, serverSelfSigned, derSizes };
  if (opts.dir) pki.files = await writePki(pki, opts.dir);
  return pki;
}

const certPem = (...c: Issued[]) => c.map((x) => pem(x.der)).join('');
const keyPem = (x: Issued) => pem(x.key.pkcs8, 'PRIVATE KEY');

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
