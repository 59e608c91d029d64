// Seeded signing keys for the test PKI: P-256 from @noble/curves (RFC 6979
// deterministic ECDSA) and RSA-2048 from harness/vectors/rsa-key.ts (PKCS#1 v1.5
// is deterministic). Same seed, same certificates, byte for byte, so the
// device's counts repeat run after run (WebCrypto keys, as in
// harness/pki/generate.ts, would change every run).
import { createPrivateKey, createPublicKey, sign as nodeSign, type KeyObject } from 'node:crypto';
import { p256 } from '@noble/curves/nist.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { p256Key as p256Scalar } from '../vectors/p256.js';
import { rsaKey, rsaKeyObjects } from '../vectors/rsa-key.js';
import { toBytes } from '../vectors/bigint.js';
import { bitString, int, nul, oid, seq } from './der.js';

export type KeyAlg = 'p256' | 'rsa2048';

export const OID = {
  ecPublicKey: '1.2.840.10045.2.1',
  prime256v1: '1.2.840.10045.3.1.7',
  rsaEncryption: '1.2.840.113549.1.1.1',
  ecdsaSha256: '1.2.840.10045.4.3.2',
  sha256Rsa: '1.2.840.113549.1.1.11',
  sha1: '1.3.14.3.2.26',
} as const;

export interface SigningKey {
  alg: KeyAlg;
  /** SubjectPublicKeyInfo DER. */
  spki: Uint8Array;
  /** The subjectPublicKey BIT STRING's contents (what SKI and OCSP key hashes are over). */
  publicKeyBits: Uint8Array;
  /** AlgorithmIdentifier of the signatures this key makes (SHA-256). */
  sigAlg: Uint8Array;
  /** Signature value over `tbs`: DER ECDSA-Sig-Value, or the RSA block. */
  sign(tbs: Uint8Array): Uint8Array;
  publicKey: KeyObject;
  privateKey: KeyObject;
  /** P-256 only: the private scalar, 32 bytes big-endian. */
  scalar?: Uint8Array;
}

const b64u = (b: Uint8Array) => Buffer.from(b).toString('base64url');
const memo = new Map<string, SigningKey>();

export function p256SigningKey(seed: string, label: string): SigningKey {
  const id = `p256\u0000${seed}\u0000${label}`;
  const hit = memo.get(id);
  if (hit) return hit;
  const d = p256Scalar(seed, 'x509', label);
  const pub = p256.getPublicKey(d, false);
  const privateKey = createPrivateKey({ key: { kty: 'EC', crv: 'P-256', x: b64u(pub.subarray(1, 33)), y: b64u(pub.subarray(33)), d: b64u(d) }, format: 'jwk' });
  const key: SigningKey = {
    alg: 'p256',
    spki: seq(seq(oid(OID.ecPublicKey), oid(OID.prime256v1)), bitString(pub)),
    publicKeyBits: pub,
    sigAlg: seq(oid(OID.ecdsaSha256)),
    sign: (tbs) => p256.sign(sha256(tbs), d, { prehash: false, format: 'der' }),
    publicKey: createPublicKey(privateKey),
    privateKey,
    scalar: d,
  };
  memo.set(id, key);
  return key;
}

export function rsaSigningKey(seed: string, label: string): SigningKey {
  const id = `rsa\u0000${seed}\u0000${label}`;
  const hit = memo.get(id);
  if (hit) return hit;
  const k = rsaKey(`${seed}/x509/${label}`, 0);
  const { priv, pub } = rsaKeyObjects(k);
  const bits = seq(int(toBytes(k.n, 256)), int(k.e));
  const key: SigningKey = {
    alg: 'rsa2048',
    spki: seq(seq(oid(OID.rsaEncryption), nul()), bitString(bits)),
    publicKeyBits: bits,
    sigAlg: seq(oid(OID.sha256Rsa), nul()),
    sign: (tbs) => new Uint8Array(nodeSign('sha256', tbs, priv)),
    publicKey: pub,
    privateKey: priv,
  };
  memo.set(id, key);
  return key;
}

export const signingKey = (alg: KeyAlg, seed: string, label: string) => (alg === 'p256' ? p256SigningKey(seed, label) : rsaSigningKey(seed, label));
