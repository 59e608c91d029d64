// The ASN.1 types of OCSP (RFC 6960 section 4) as @peculiar/asn1-schema
// classes. No installed @peculiar package has them (asn1-x509 stops at
// CRLs), so the few structures the harness builds and parses are declared
// here, over asn1-x509's AlgorithmIdentifier, Name, Extension, Certificate
// and CRLReason. The schema is attached by calling asn1-schema's decorator
// functions directly (the project compiles without experimentalDecorators).
import { AsnIntegerArrayBufferConverter, AsnProp, AsnPropTypes, AsnType, AsnTypeTypes, OctetString } from '@peculiar/asn1-schema';
import { AlgorithmIdentifier, Certificate, CRLReason, Extension, GeneralName, Name } from '@peculiar/asn1-x509';

type Ctor = new () => object;
type PropOptions = Parameters<typeof AsnProp>[0];
function schema(cls: Ctor, type: AsnTypeTypes, props: Record<string, PropOptions>): void {
  AsnType({ type })(cls);
  for (const [key, o] of Object.entries(props)) AsnProp(o)(cls.prototype, key);
}
const SEQ = AsnTypeTypes.Sequence, CHOICE = AsnTypeTypes.Choice;

export class CertID {
  hashAlgorithm = new AlgorithmIdentifier();
  issuerNameHash = new OctetString();
  issuerKeyHash = new OctetString();
  serialNumber = new ArrayBuffer(0);
  constructor(p: Partial<CertID> = {}) { Object.assign(this, p); }
}
schema(CertID, SEQ, {
  hashAlgorithm: { type: AlgorithmIdentifier },
  issuerNameHash: { type: OctetString },
  issuerKeyHash: { type: OctetString },
  serialNumber: { type: AsnPropTypes.Integer, converter: AsnIntegerArrayBufferConverter },
});

export class Request {
  reqCert = new CertID();
  singleRequestExtensions?: Extension[];
  constructor(p: Partial<Request> = {}) { Object.assign(this, p); }
}
schema(Request, SEQ, {
  reqCert: { type: CertID },
  singleRequestExtensions: { type: Extension, repeated: 'sequence', context: 0, optional: true },
});

export class TBSRequest {
  version = 0;
  requestorName?: GeneralName;
  requestList: Request[] = [];
  requestExtensions?: Extension[];
  constructor(p: Partial<TBSRequest> = {}) { Object.assign(this, p); }
}
schema(TBSRequest, SEQ, {
  version: { type: AsnPropTypes.Integer, context: 0, defaultValue: 0 },
  requestorName: { type: GeneralName, context: 1, optional: true },
  requestList: { type: Request, repeated: 'sequence' },
  requestExtensions: { type: Extension, repeated: 'sequence', context: 2, optional: true },
});

export class OCSPRequest {
  tbsRequest = new TBSRequest();
  /** A signed request's Signature, kept as raw DER (the harness never checks it). */
  optionalSignature?: ArrayBuffer;
  constructor(p: Partial<OCSPRequest> = {}) { Object.assign(this, p); }
}
schema(OCSPRequest, SEQ, {
  tbsRequest: { type: TBSRequest },
  optionalSignature: { type: AsnPropTypes.Any, context: 0, optional: true },
});

/** ResponderID: byName [1] or byKey [2] (SHA-1 of the responder's public key bits). */
export class ResponderID {
  byName?: Name;
  byKey?: OctetString;
  constructor(p: Partial<ResponderID> = {}) { Object.assign(this, p); }
}
schema(ResponderID, CHOICE, {
  byName: { type: Name, context: 1 },
  byKey: { type: OctetString, context: 2 },
});

export class RevokedInfo {
  revocationTime = new Date();
  revocationReason?: CRLReason;
  constructor(p: Partial<RevokedInfo> = {}) { Object.assign(this, p); }
}
schema(RevokedInfo, SEQ, {
  revocationTime: { type: AsnPropTypes.GeneralizedTime },
  revocationReason: { type: CRLReason, context: 0, optional: true },
});

/** CertStatus: exactly one of good [0] NULL, revoked [1] RevokedInfo, unknown [2] NULL (set the NULLs to null). */
export class CertStatus {
  good?: null;
  revoked?: RevokedInfo;
  unknown?: null;
  constructor(p: Partial<CertStatus> = {}) { Object.assign(this, p); }
}
schema(CertStatus, CHOICE, {
  good: { type: AsnPropTypes.Null, context: 0, implicit: true },
  revoked: { type: RevokedInfo, context: 1, implicit: true },
  unknown: { type: AsnPropTypes.Null, context: 2, implicit: true },
});

export class SingleResponse {
  certID = new CertID();
  certStatus = new CertStatus();
  thisUpdate = new Date();
  nextUpdate?: Date;
  singleExtensions?: Extension[];
  constructor(p: Partial<SingleResponse> = {}) { Object.assign(this, p); }
}
schema(SingleResponse, SEQ, {
  certID: { type: CertID },
  certStatus: { type: CertStatus },
  thisUpdate: { type: AsnPropTypes.GeneralizedTime },
  nextUpdate: { type: AsnPropTypes.GeneralizedTime, context: 0, optional: true },
  singleExtensions: { type: Extension, repeated: 'sequence', context: 1, optional: true },
});

export class ResponseData {
  version = 0;
  responderID = new ResponderID();
  producedAt = new Date();
  responses: SingleResponse[] = [];
  responseExtensions?: Extension[];
  constructor(p: Partial<ResponseData> = {}) { Object.assign(this, p); }
}
schema(ResponseData, SEQ, {
  version: { type: AsnPropTypes.Integer, context: 0, defaultValue: 0 },
  responderID: { type: ResponderID },
  producedAt: { type: AsnPropTypes.GeneralizedTime },
  responses: { type: SingleResponse, repeated: 'sequence' },
  responseExtensions: { type: Extension, repeated: 'sequence', context: 1, optional: true },
});

export class BasicOCSPResponse {
  tbsResponseData = new ResponseData();
  signatureAlgorithm = new AlgorithmIdentifier();
  signature = new ArrayBuffer(0);
  certs?: Certificate[];
  constructor(p: Partial<BasicOCSPResponse> = {}) { Object.assign(this, p); }
}
schema(BasicOCSPResponse, SEQ, {
  tbsResponseData: { type: ResponseData },
  signatureAlgorithm: { type: AlgorithmIdentifier },
  signature: { type: AsnPropTypes.BitString },
  certs: { type: Certificate, repeated: 'sequence', context: 0, optional: true },
});

export class ResponseBytes {
  responseType = '';
  response = new OctetString();
  constructor(p: Partial<ResponseBytes> = {}) { Object.assign(this, p); }
}
schema(ResponseBytes, SEQ, {
  responseType: { type: AsnPropTypes.ObjectIdentifier },
  response: { type: OctetString },
});

/** OCSPResponseStatus: 0 successful, 1 malformedRequest, 2 internalError, 3 tryLater, 5 sigRequired, 6 unauthorized. */
export class OCSPResponse {
  responseStatus = 0;
  responseBytes?: ResponseBytes;
  constructor(p: Partial<OCSPResponse> = {}) { Object.assign(this, p); }
}
schema(OCSPResponse, SEQ, {
  responseStatus: { type: AsnPropTypes.Enumerated },
  responseBytes: { type: ResponseBytes, context: 0, optional: true },
});
