// X.509 v2 CRLs (RFC 5280 section 5) with any number of revoked entries,
// signed by the issuing CA; structures of @peculiar/asn1-x509. Each entry
// has a 16-byte serial, a revocation date and a reasonCode extension, as
// CAs commonly issue them; the certificate under test, when revoked, is
// the LAST entry, so a linear lookup walks the whole list (the worst case,
// and the same walk a not-revoked certificate costs).
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import {
  AuthorityKeyIdentifier, CertificateList, CRLNumber, CRLReason, CRLReasons, Extension, KeyIdentifier, Name, RevokedCertificate, TBSCertList, Time, Version,
  id_ce_authorityKeyIdentifier, id_ce_cRLNumber, id_ce_cRLReasons,
} from '@peculiar/asn1-x509';
import { seedBytes } from '../vectors/seed.js';
import { buf, intBytes, signTbs, toDer } from './asn1.js';
import type { Issued } from './cert.js';

export interface CrlOptions {
  seed: string;
  issuer: Issued;
  /** Revoked serials made up by the seed (other devices' certificates). */
  others: number;
  /** Also revoke these (placed last). */
  revoke?: bigint[];
  thisUpdate: Date;
  nextUpdate: Date;
  crlNumber?: number;
}

export interface Crl {
  der: Uint8Array;
  entries: number;
  serials: bigint[];
}

function otherSerial(seed: string, i: number): bigint {
  const b = seedBytes(seed, 'crl-serial', i).subarray(0, 16);
  b[0] = (b[0]! & 0x3f) | 0x40;
  return BigInt('0x' + Buffer.from(b).toString('hex'));
}

const ext = (extnID: string, value: unknown) => new Extension({ extnID, extnValue: new OctetString(AsnConvert.serialize(value)) });

/** Built CRLs by content: a 10,000-entry CRL takes over a second to build, and every board of a run asks for the same ones. */
const built = new Map<string, Crl>();

export function buildCrl(o: CrlOptions): Crl {
  const id = JSON.stringify([o.seed, Buffer.from(o.issuer.der).toString('base64'), o.others, (o.revoke ?? []).map(String), o.thisUpdate.toISOString(), o.nextUpdate.toISOString(), o.crlNumber ?? 1]);
  let crl = built.get(id);
  if (!crl) built.set(id, (crl = build(o)));
  return crl;
}

function build(o: CrlOptions): Crl {
  const serials: bigint[] = [];
  for (let i = 0; i < o.others; i++) serials.push(otherSerial(o.seed, i));
  serials.push(...(o.revoke ?? []));
  const entries = serials.map(
    (s, i) =>
      new RevokedCertificate({
        userCertificate: intBytes(s),
        // Revocation dates spread over the year before thisUpdate.
        revocationDate: new Time(new Date(o.thisUpdate.getTime() - ((i * 7919) % 365) * 86_400_000 - 3_600_000)),
        crlEntryExtensions: [ext(id_ce_cRLReasons, new CRLReason(i % 5 === 0 ? CRLReasons.keyCompromise : CRLReasons.superseded))],
      }),
  );
  const tbs = new TBSCertList({
    version: Version.v2,
    signature: o.issuer.key.sigAlg(),
    issuer: AsnConvert.parse(o.issuer.subjectName, Name),
    thisUpdate: new Time(o.thisUpdate),
    nextUpdate: new Time(o.nextUpdate),
    revokedCertificates: entries.length ? entries : undefined, // an empty list is omitted, not encoded empty
    crlExtensions: [
      ext(id_ce_authorityKeyIdentifier, new AuthorityKeyIdentifier({ keyIdentifier: new KeyIdentifier(buf(o.issuer.keyId)) })),
      ext(id_ce_cRLNumber, new CRLNumber(o.crlNumber ?? 1)),
    ],
  });
  const { algorithm, signature } = signTbs(tbs, o.issuer.key);
  return { der: toDer(new CertificateList({ tbsCertList: tbs, signatureAlgorithm: algorithm, signature })), entries: serials.length, serials };
}
