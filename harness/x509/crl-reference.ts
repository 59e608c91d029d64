// The independent verdict for a certificate against a CRL: @peculiar/x509
// parses the CRL and checks its signature with the CA's key (WebCrypto),
// looks the serial up, and compares nextUpdate with the device's time. It
// reads only the DER the device is given, never the builder's lists.
import '../pki/reflect-shim.js';
import * as px from '@peculiar/x509';

px.cryptoProvider.set(globalThis.crypto);

export interface CrlVerdict {
  signatureOk: boolean;
  revoked: boolean;
  expired: boolean;
  notYetValid: boolean;
  entries: number;
  /** What a correct verifier concludes for the certificate. */
  accepted: boolean;
}

export async function referenceCrl(crlDer: Uint8Array, caDer: Uint8Array, serial: bigint, at: number): Promise<CrlVerdict> {
  // Our own CRLs (trusted input): lift asn1js's 10,000-node limit for the big ones.
  const crl = new px.X509Crl(Uint8Array.from(crlDer), { berOptions: { maxNodes: 1_000_000 } });
  const ca = new px.X509Certificate(Uint8Array.from(caDer));
  const signatureOk = await crl.verify({ publicKey: ca });
  const hex = serial.toString(16);
  const revoked = crl.findRevoked(hex.length % 2 ? '0' + hex : hex) !== null;
  const ms = at * 1000;
  const expired = crl.nextUpdate !== undefined && ms > crl.nextUpdate.getTime();
  const notYetValid = ms < crl.thisUpdate.getTime();
  return { signatureOk, revoked, expired, notYetValid, entries: crl.entries.length, accepted: signatureOk && !revoked && !expired && !notYetValid };
}
