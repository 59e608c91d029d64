// EDHOC authentication credentials (RFC 9528 3.5.2/3.5.3): a CWT Claims Set
// (CCS) carrying a COSE_Key in its cnf claim, the form lakers 0.8.0 takes,
// { 2 /sub/: subject, 8 /cnf/: { 1 /COSE_Key/: { 1 /kty/: 2 /EC2/,
// 2 /kid/: kid, -1 /crv/: 1 /P-256/, -2 /x/: x, -3 /y/: y } } } (the layout
// of RFC 9529's traces), and ID_CRED_x, the header map that names one: by
// key identifier { 4 /kid/: kid } or by value { 14 /kccs/: CCS }.
import { p256 } from '@noble/curves/nist.js';
import { CborMap, concatBytes, encode } from './cbor.js';

export interface EdhocCredential {
  /** P-256 static private key (the party's own, or the peer's as the harness generated it). */
  priv: Uint8Array;
  /** Public key coordinates. */
  x: Uint8Array;
  y: Uint8Array;
  kid: Uint8Array;
  subject: string;
  /** CRED_x: the CCS, as it enters the transcript. */
  ccs: Uint8Array;
}

export const KID_LABEL = 4;
export const KCCS_LABEL = 14;
/** x5t (COSE header parameter 34, RFC 9360): a hash of an X.509 certificate. */
export const X5T_LABEL = 34;

export function ccsCredential(priv: Uint8Array, subject: string, kid: Uint8Array): EdhocCredential {
  const pub = p256.getPublicKey(priv, false);
  const x = pub.slice(1, 33), y = pub.slice(33, 65);
  const coseKey = new CborMap();
  coseKey.set(1, 2).set(2, kid).set(-1, 1).set(-2, x).set(-3, y);
  const ccs = new CborMap();
  ccs.set(2, subject).set(8, new CborMap([[1, coseKey]]));
  return { priv, x, y, kid, subject, ccs: encode(ccs) };
}

export type IdCredKind = 'kid' | 'kccs';

/** ID_CRED_x as a full map: what enters MAC_2/MAC_3's context. */
export function idCredFull(cred: EdhocCredential, kind: IdCredKind): Uint8Array {
  return kind === 'kid' ? encode(new CborMap([[KID_LABEL, cred.kid]])) : concatBytes([Uint8Array.of(0xa1, KCCS_LABEL), cred.ccs]);
}

/** A one-byte kid whose byte is itself a one-byte CBOR integer (0x00-0x17, 0x20-0x37). */
export const kidIsCompactInt = (kid: Uint8Array) => kid.length === 1 && (kid[0]! <= 0x17 || (kid[0]! >= 0x20 && kid[0]! <= 0x37));

/**
 * ID_CRED_x as it travels in PLAINTEXT_2/3 (RFC 9528 3.5.3.2): a map with
 * only a kid is replaced by the kid's bstr, and a one-byte kid that reads as
 * a CBOR integer by that byte; anything else is the map itself.
 */
export function idCredEncoded(cred: EdhocCredential, kind: IdCredKind): Uint8Array {
  if (kind === 'kccs') return idCredFull(cred, kind);
  return kidIsCompactInt(cred.kid) ? cred.kid.slice() : encode(cred.kid);
}
