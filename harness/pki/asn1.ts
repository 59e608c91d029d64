// The glue between the test PKI and @peculiar/asn1-schema: DER out of an
// ASN.1 object, minimal INTEGER contents from a bigint, PEM armour, and
// "sign this TBS" for certificates, CRLs and OCSP responses alike. DER is
// canonical, so the same values give the same bytes.
import { AsnConvert } from '@peculiar/asn1-schema';
import type { AlgorithmIdentifier } from '@peculiar/asn1-x509';

/** DER of an asn1-schema object. */
export const toDer = (obj: unknown): Uint8Array => new Uint8Array(AsnConvert.serialize(obj));

/** A fresh ArrayBuffer holding these bytes (asn1-schema fields are ArrayBuffers). */
export const buf = (b: Uint8Array): ArrayBuffer => Uint8Array.from(b).buffer;

/** INTEGER contents of a non-negative value: minimal two's complement. */
export function intBytes(v: bigint): ArrayBuffer {
  if (v < 0n) throw new Error('negative INTEGER not supported');
  let hex = v.toString(16);
  if (hex.length % 2) hex = '0' + hex;
  if (parseInt(hex.slice(0, 2), 16) & 0x80) hex = '00' + hex;
  return buf(Uint8Array.from(Buffer.from(hex, 'hex')));
}

/** The value of an INTEGER's contents, read as non-negative. */
export const intValue = (b: ArrayBuffer | Uint8Array): bigint => BigInt('0x' + (Buffer.from(b instanceof Uint8Array ? b : new Uint8Array(b)).toString('hex') || '0'));

export interface Signed {
  /** The signed structure's DER (what the signature is over). */
  tbs: Uint8Array;
  algorithm: AlgorithmIdentifier;
  signature: ArrayBuffer;
}

/** What signs: a SigningKey (keys.ts). */
export interface Signer {
  sigAlg(): AlgorithmIdentifier;
  sign(tbs: Uint8Array): Uint8Array;
}

/** Serialize a TBS structure and sign it with `key` (SHA-256; RFC 6979 ECDSA or PKCS#1 v1.5). */
export function signTbs(tbs: unknown, key: Signer): Signed {
  const der = toDer(tbs);
  return { tbs: der, algorithm: key.sigAlg(), signature: buf(key.sign(der)) };
}

export function pem(der: Uint8Array, label = 'CERTIFICATE'): string {
  const b64 = Buffer.from(der).toString('base64').replace(/.{64}/g, '$&\n');
  return `-----BEGIN ${label}-----\n${b64}${b64.length % 65 ? '\n' : ''}-----END ${label}-----\n`;
}
