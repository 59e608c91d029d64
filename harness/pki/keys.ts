// Seeded signing keys for the test PKI: P-256 from @noble/curves (RFC 6979
// deterministic ECDSA) and RSA-2048 from harness/vectors/rsa-key.ts
// (PKCS#1 v1.5 is deterministic). Same seed, same certificates, byte for
// byte, so the device's counts repeat run after run (WebCrypto keys would
// change every run, and so would their ECDSA signatures). Public keys are
// SubjectPublicKeyInfo objects of @peculiar/asn1-x509.
import { createPrivateKey, createPublicKey, sign as nodeSign, type KeyObject } from 'node:crypto';
import { p256 } from '@noble/curves/nist.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { AsnConvert } from '@peculiar/asn1-schema';
import { AlgorithmIdentifier, SubjectPublicKeyInfo } from '@peculiar/asn1-x509';
import { ECParameters, id_ecdsaWithSHA256, id_ecPublicKey, id_secp256r1 } from '@peculiar/asn1-ecc';
import { id_rsaEncryption, id_sha256WithRSAEncryption, RSAPublicKey } from '@peculiar/asn1-rsa';
import { p256Key as p256Scalar } from '../vectors/p256.js';
import { rsaKey, rsaKeyObjects } from '../vectors/rsa-key.js';
import { buf, intBytes, toDer } from './asn1.js';

export type KeyAlg = 'p256' | 'rsa2048';

export interface SigningKey {
  alg: KeyAlg;
  /** SubjectPublicKeyInfo DER. */
  spki: Uint8Array;
  /** The subjectPublicKey BIT STRING's contents (what SKI and OCSP key hashes are over). */
  publicKeyBits: Uint8Array;
  /** AlgorithmIdentifier of the signatures this key makes (SHA-256); a fresh object each call. */
  sigAlg(): AlgorithmIdentifier;
  /** Signature value over `tbs`: DER ECDSA-Sig-Value, or the RSA block. */
  sign(tbs: Uint8Array): Uint8Array;
  publicKey: KeyObject;
  privateKey: KeyObject;
  /** The private key as PKCS#8 DER (what the peers' .key files hold). */
  pkcs8: Uint8Array;
  /** P-256 only: the private scalar, 32 bytes big-endian. */
  scalar?: Uint8Array;
}

const b64u = (b: Uint8Array) => Buffer.from(b).toString('base64url');
const memo = new Map<string, SigningKey>();

function spkiOf(algorithm: AlgorithmIdentifier, bits: Uint8Array): Uint8Array {
  return toDer(new SubjectPublicKeyInfo({ algorithm, subjectPublicKey: buf(bits) }));
}

function pkcs8Of(k: KeyObject): Uint8Array {
  return new Uint8Array(k.export({ type: 'pkcs8', format: 'der' }));
}

/** A P-256 key from (seed, label): the scalar is labelled 'x509' in the seed stream. */
export function p256SigningKey(seed: string, label: string): SigningKey {
  const id = `p256\u0000${seed}\u0000${label}`;
  const hit = memo.get(id);
  if (hit) return hit;
  const d = p256Scalar(seed, 'x509', label);
  const pub = p256.getPublicKey(d, false);
  const privateKey = createPrivateKey({ key: { kty: 'EC', crv: 'P-256', x: b64u(pub.subarray(1, 33)), y: b64u(pub.subarray(33)), d: b64u(d) }, format: 'jwk' });
  const curve = AsnConvert.serialize(new ECParameters({ namedCurve: id_secp256r1 }));
  const key: SigningKey = {
    alg: 'p256',
    spki: spkiOf(new AlgorithmIdentifier({ algorithm: id_ecPublicKey, parameters: curve }), pub),
    publicKeyBits: pub,
    // RFC 5758: ecdsa-with-SHA256 has no parameters (absent, not NULL).
    sigAlg: () => new AlgorithmIdentifier({ algorithm: id_ecdsaWithSHA256 }),
    sign: (tbs) => p256.sign(sha256(tbs), d, { prehash: false, format: 'der' }),
    publicKey: createPublicKey(privateKey),
    privateKey,
    pkcs8: pkcs8Of(privateKey),
    scalar: d,
  };
  memo.set(id, key);
  return key;
}

/** An RSA-2048 key (e = 65537) from (seed, label). */
export function rsaSigningKey(seed: string, label: string): SigningKey {
  const id = `rsa\u0000${seed}\u0000${label}`;
  const hit = memo.get(id);
  if (hit) return hit;
  const k = rsaKey(`${seed}/x509/${label}`, 0);
  const { priv, pub } = rsaKeyObjects(k);
  const bits = toDer(new RSAPublicKey({ modulus: intBytes(k.n), publicExponent: intBytes(k.e) }));
  const key: SigningKey = {
    alg: 'rsa2048',
    // RFC 4055: rsaEncryption and sha256WithRSAEncryption carry NULL parameters.
    spki: spkiOf(new AlgorithmIdentifier({ algorithm: id_rsaEncryption, parameters: null }), bits),
    publicKeyBits: bits,
    sigAlg: () => new AlgorithmIdentifier({ algorithm: id_sha256WithRSAEncryption, parameters: null }),
    sign: (tbs) => new Uint8Array(nodeSign('sha256', tbs, priv)),
    publicKey: pub,
    privateKey: priv,
    pkcs8: pkcs8Of(priv),
  };
  memo.set(id, key);
  return key;
}

export const signingKey = (alg: KeyAlg, seed: string, label: string) => (alg === 'p256' ? p256SigningKey(seed, label) : rsaSigningKey(seed, label));
