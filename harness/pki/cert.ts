// The one place the test PKI issues X.509 v3 certificates: structures of
// @peculiar/asn1-x509, signed with seeded keys (keys.ts). Three profiles:
//  - 'revocable', the certificate ops' (docs/certificates.md): O + CN
//    names as UTF8String, basic constraints, key usage, SKI/AKI; leaves also
//    carry SAN, EKU serverAuth + clientAuth, and the OCSP responder (AIA) and
//    CRL distribution point URLs a device would use (.invalid: never
//    reached; the harness plays both servers); a delegated OCSP responder
//    has EKU OCSPSigning and id-pkix-ocsp-nocheck;
//  - 'typical', the handshakes' (docs/handshakes.md): what a small private CA
//    usually issues: O + CN names (PrintableString where the text allows),
//    the same extensions without the URLs, one EKU per leaf;
//  - 'rfc7925', RFC 7925 section 4.4: CN-only names; CAs as 'typical';
//    leaves carry key usage, AKI and SAN only.
import { createHash } from 'node:crypto';
import {
  AccessDescription, AttributeTypeAndValue, AttributeValue, AuthorityInfoAccessSyntax, AuthorityKeyIdentifier, BasicConstraints, Certificate,
  CRLDistributionPoints, DistributionPoint, DistributionPointName, ExtendedKeyUsage, Extension, Extensions, GeneralName, KeyIdentifier, KeyUsage,
  KeyUsageFlags, Name, RelativeDistinguishedName, SubjectAlternativeName, SubjectKeyIdentifier, SubjectPublicKeyInfo, TBSCertificate, Validity, Version,
  id_ad_ocsp, id_ce_authorityKeyIdentifier, id_ce_basicConstraints, id_ce_cRLDistributionPoints, id_ce_extKeyUsage, id_ce_keyUsage,
  id_ce_subjectAltName, id_ce_subjectKeyIdentifier, id_kp_clientAuth, id_kp_OCSPSigning, id_kp_serverAuth, id_pe_authorityInfoAccess,
} from '@peculiar/asn1-x509';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { buf, intBytes, signTbs, toDer } from './asn1.js';
import type { SigningKey } from './keys.js';

export type CertProfile = 'revocable' | 'typical' | 'rfc7925';
export type Role = 'root' | 'intermediate' | 'leaf' | 'ocsp-responder';
export type Purpose = 'serverAuth' | 'clientAuth';

export const OCSP_URL = 'http://ocsp.invalid/';
export const CRL_URL = 'http://crl.invalid/ca.crl';
const ORGANIZATION = 'certcost test PKI';
const OID_O = '2.5.4.10', OID_CN = '2.5.4.3';
const OCSP_NOCHECK = '1.3.6.1.5.5.7.48.1.5';
const PURPOSE: Record<Purpose, string> = { serverAuth: id_kp_serverAuth, clientAuth: id_kp_clientAuth };

export interface Issued {
  role: Role;
  profile: CertProfile;
  /** The subject's common name. */
  subject: string;
  serial: bigint;
  der: Uint8Array;
  /** DER of the subject Name (a CertificateRequest's CA name; OCSP issuerNameHash is over the issuer's). */
  subjectName: Uint8Array;
  key: SigningKey;
  notBefore: Date;
  notAfter: Date;
  /** SHA-1 of the public key bits: SKI, AKI of what it issues, OCSP key hash. */
  keyId: Uint8Array;
  /** Length of the certificate's own signature value (the BIT STRING contents): 256 for RSA-2048, ~70-72 for P-256. */
  signatureBytes: number;
  issuer?: Issued;
}

export interface CertSpec {
  profile: CertProfile;
  role: Role;
  /** Common name. */
  subject: string;
  serial: bigint;
  key: SigningKey;
  /** Omit for a self-signed certificate. */
  issuer?: Issued;
  notBefore: Date;
  notAfter: Date;
  /** CAs: the basicConstraints path length (omitted: none). */
  pathLen?: number;
  /** Leaves: a SAN dNSName. */
  dnsName?: string;
  /** Leaves' extended key usage ('rfc7925' has none); default both. */
  purposes?: Purpose[];
  /** Sign with another key than the issuer's (a forged or corrupted chain). */
  signWith?: SigningKey;
}

export const sha1 = (b: Uint8Array) => new Uint8Array(createHash('sha1').update(b).digest());

/** PrintableString's alphabet (X.680), as @peculiar/x509 tests it when it picks a string type. */
const printable = (s: string) => /^[A-Za-z0-9 '()+,\-./:=?]*$/.test(s);

/** The subject or issuer Name of `cn` under `profile`. */
function nameOf(profile: CertProfile, cn: string): Name {
  const value = (s: string) => new AttributeValue(profile !== 'revocable' && printable(s) ? { printableString: s } : { utf8String: s });
  const rdn = (type: string, s: string) => new RelativeDistinguishedName([new AttributeTypeAndValue({ type, value: value(s) })]);
  return new Name(profile === 'rfc7925' ? [rdn(OID_CN, cn)] : [rdn(OID_O, ORGANIZATION), rdn(OID_CN, cn)]);
}

const ext = (extnID: string, critical: boolean, value: unknown) => new Extension({ extnID, critical, extnValue: new OctetString(AsnConvert.serialize(value)) });
const uri = (u: string) => new GeneralName({ uniformResourceIdentifier: u });

function extensions(s: CertSpec, keyId: Uint8Array): Extension[] {
  const ca = s.role === 'root' || s.role === 'intermediate';
  const small = s.profile === 'rfc7925' && !ca; // RFC 7925 4.4.2: no basic constraints, SKI or EKU on end entities
  const out: Extension[] = [];
  if (!small) out.push(ext(id_ce_basicConstraints, true, ca ? new BasicConstraints({ cA: true, pathLenConstraint: s.pathLen }) : new BasicConstraints()));
  out.push(ext(id_ce_keyUsage, true, new KeyUsage(ca ? KeyUsageFlags.keyCertSign | KeyUsageFlags.cRLSign : KeyUsageFlags.digitalSignature)));
  if (s.role === 'leaf' && !small) out.push(ext(id_ce_extKeyUsage, false, new ExtendedKeyUsage((s.purposes ?? ['serverAuth', 'clientAuth']).map((p) => PURPOSE[p]))));
  if (s.role === 'ocsp-responder') {
    out.push(ext(id_ce_extKeyUsage, false, new ExtendedKeyUsage([id_kp_OCSPSigning])));
    out.push(new Extension({ extnID: OCSP_NOCHECK, extnValue: new OctetString(Uint8Array.of(0x05, 0x00)) })); // NULL
  }
  if (!small) out.push(ext(id_ce_subjectKeyIdentifier, false, new SubjectKeyIdentifier(buf(keyId))));
  if (s.issuer) out.push(ext(id_ce_authorityKeyIdentifier, false, new AuthorityKeyIdentifier({ keyIdentifier: new KeyIdentifier(buf(s.issuer.keyId)) })));
  if (s.role === 'leaf' && s.dnsName) out.push(ext(id_ce_subjectAltName, false, new SubjectAlternativeName([new GeneralName({ dNSName: s.dnsName })])));
  if (s.role === 'leaf' && s.profile === 'revocable') {
    out.push(ext(id_pe_authorityInfoAccess, false, new AuthorityInfoAccessSyntax([new AccessDescription({ accessMethod: id_ad_ocsp, accessLocation: uri(OCSP_URL) })])));
    out.push(ext(id_ce_cRLDistributionPoints, false, new CRLDistributionPoints([new DistributionPoint({ distributionPoint: new DistributionPointName({ fullName: [uri(CRL_URL)] }) })])));
  }
  return out;
}

export function issue(s: CertSpec): Issued {
  const keyId = sha1(s.key.publicKeyBits);
  const signer = s.signWith ?? s.issuer?.key ?? s.key;
  const subject = nameOf(s.profile, s.subject);
  const tbs = new TBSCertificate({
    version: Version.v3,
    serialNumber: intBytes(s.serial),
    signature: signer.sigAlg(),
    issuer: s.issuer ? AsnConvert.parse(s.issuer.subjectName, Name) : subject,
    validity: new Validity({ notBefore: s.notBefore, notAfter: s.notAfter }),
    subject,
    subjectPublicKeyInfo: AsnConvert.parse(s.key.spki, SubjectPublicKeyInfo),
    extensions: new Extensions(extensions(s, keyId)),
  });
  const { algorithm, signature } = signTbs(tbs, signer);
  const der = toDer(new Certificate({ tbsCertificate: tbs, signatureAlgorithm: algorithm, signatureValue: signature }));
  return {
    role: s.role, profile: s.profile, subject: s.subject, serial: s.serial, der, subjectName: toDer(subject), key: s.key,
    notBefore: s.notBefore, notAfter: s.notAfter, keyId, signatureBytes: signature.byteLength, issuer: s.issuer,
  };
}
