// OCSP (RFC 6960): the request a device sends and the signed response a
// responder returns, built with the asn1-schema types of ocsp-asn1.ts. The
// response is signed either by the CA itself (no certificate inside) or by
// a delegated responder whose certificate (issued by the CA, EKU
// OCSPSigning) is embedded, which is what the byte counts compare.
// Requests the device sends are parsed back so the harness responder
// answers for exactly the CertID it was asked.
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { AlgorithmIdentifier, Certificate, CRLReason, CRLReasons, Extension } from '@peculiar/asn1-x509';
import { buf, intBytes, intValue, signTbs, toDer } from './asn1.js';
import { sha1, type Issued } from './cert.js';
import { BasicOCSPResponse, CertID, CertStatus as AsnCertStatus, OCSPRequest, OCSPResponse, Request, ResponderID, ResponseBytes, ResponseData, RevokedInfo, SingleResponse, TBSRequest } from './ocsp-asn1.js';

export type CertStatus = 'good' | 'revoked' | 'unknown';
const BASIC = '1.3.6.1.5.5.7.48.1.1';
const NONCE = '1.3.6.1.5.5.7.48.1.2';
const SHA1 = '1.3.14.3.2.26';

/** The nonce extension: its value is an OCTET STRING holding the nonce (RFC 6960 4.4.1). */
const nonceExt = (nonce: Uint8Array) => new Extension({ extnID: NONCE, extnValue: new OctetString(toDer(new OctetString(buf(nonce)))) });

/** CertID with SHA-1, the hash OCSP clients (OpenSSL, wolfSSL) use by default. */
export function certId(ca: Issued, serial: bigint): Uint8Array {
  return toDer(new CertID({
    hashAlgorithm: new AlgorithmIdentifier({ algorithm: SHA1, parameters: null }),
    issuerNameHash: new OctetString(buf(sha1(ca.subjectName))),
    issuerKeyHash: new OctetString(buf(sha1(ca.key.publicKeyBits))),
    serialNumber: intBytes(serial),
  }));
}

export function buildOcspRequest(ids: Uint8Array[], nonce?: Uint8Array): Uint8Array {
  const requestList = ids.map((id) => new Request({ reqCert: AsnConvert.parse(id, CertID) }));
  return toDer(new OCSPRequest({ tbsRequest: new TBSRequest({ requestList, requestExtensions: nonce ? [nonceExt(nonce)] : undefined }) }));
}

export interface ParsedRequest {
  /** Each request's CertID, DER. */
  certIds: Uint8Array[];
  serials: bigint[];
  nonce?: Uint8Array;
}

/** Total length of the element at the start of `der` (definite length), from its header. */
function outerLength(der: Uint8Array): number {
  const first = der[1] ?? 0;
  if (first < 0x80) return 2 + first;
  const n = first & 0x7f;
  let len = 0;
  for (let i = 0; i < n; i++) len = len * 256 + (der[2 + i] ?? 0);
  return 2 + n + len;
}

/** Parse an OCSPRequest (unsigned; a signed one's optionalSignature is ignored). Throws on malformed input. */
export function parseOcspRequest(der: Uint8Array): ParsedRequest {
  if (der[0] !== 0x30 || outerLength(der) !== der.length) throw new Error('not an OCSPRequest');
  const req = AsnConvert.parse(der, OCSPRequest);
  const ids = req.tbsRequest.requestList.map((r) => r.reqCert);
  let nonce: Uint8Array | undefined;
  for (const e of req.tbsRequest.requestExtensions ?? []) {
    if (e.extnID !== NONCE) continue;
    const inner = new Uint8Array(e.extnValue.buffer); // the extension value
    // An OCTET STRING holding the nonce; some clients put the nonce there bare.
    nonce = inner[0] === 0x04 ? new Uint8Array(AsnConvert.parse(inner, OctetString).buffer) : inner;
  }
  return { certIds: ids.map((id) => toDer(id)), serials: ids.map((id) => intValue(id.serialNumber)), nonce };
}

export interface OcspResponseOptions {
  ca: Issued;
  certId: Uint8Array;
  status: CertStatus;
  revokedAt?: Date;
  producedAt: Date;
  thisUpdate: Date;
  nextUpdate?: Date;
  /** Delegated responder (embedded in the response); omitted: the CA signs. */
  responder?: Issued;
  nonce?: Uint8Array;
}

function statusOf(o: OcspResponseOptions): AsnCertStatus {
  if (o.status === 'good') return new AsnCertStatus({ good: null });
  if (o.status === 'unknown') return new AsnCertStatus({ unknown: null });
  return new AsnCertStatus({ revoked: new RevokedInfo({ revocationTime: o.revokedAt ?? o.thisUpdate, revocationReason: new CRLReason(CRLReasons.keyCompromise) }) });
}

export function buildOcspResponse(o: OcspResponseOptions): Uint8Array {
  const signer = o.responder ?? o.ca;
  const single = new SingleResponse({ certID: AsnConvert.parse(o.certId, CertID), certStatus: statusOf(o), thisUpdate: o.thisUpdate, nextUpdate: o.nextUpdate });
  const data = new ResponseData({
    responderID: new ResponderID({ byKey: new OctetString(buf(signer.keyId)) }),
    producedAt: o.producedAt,
    responses: [single],
    responseExtensions: o.nonce ? [nonceExt(o.nonce)] : undefined,
  });
  const { algorithm, signature } = signTbs(data, signer.key);
  const basic = new BasicOCSPResponse({ tbsResponseData: data, signatureAlgorithm: algorithm, signature, certs: o.responder ? [AsnConvert.parse(o.responder.der, Certificate)] : undefined });
  return toDer(new OCSPResponse({ responseStatus: 0, responseBytes: new ResponseBytes({ responseType: BASIC, response: new OctetString(toDer(basic)) }) }));
}

/** An unsuccessful OCSPResponse (no responseBytes): 3 = tryLater, 2 = internalError. */
export const ocspError = (code: 2 | 3) => toDer(new OCSPResponse({ responseStatus: code }));
