// OCSP (RFC 6960): the request a device sends and the signed response a
// responder returns, built with der.ts. The response is signed either by
// the CA itself (no certificate inside) or by a delegated responder whose
// certificate (issued by the CA, EKU OCSPSigning) is embedded, which is
// what the byte counts compare. Requests the device sends are parsed back
// so the harness responder answers for exactly the CertID it was asked.
import { children, ctx, ctxPrim, enumerated, generalizedTime, header, int, nul, octets, oid, seq } from './der.js';
import { sha1, signed, type Issued } from './cert.js';
import { OID } from './keys.js';

export type CertStatus = 'good' | 'revoked' | 'unknown';
const BASIC = '1.3.6.1.5.5.7.48.1.1';
const NONCE = '1.3.6.1.5.5.7.48.1.2';

/** CertID with SHA-1, the hash OCSP clients (OpenSSL, wolfSSL) use by default. */
export function certId(ca: Issued, serial: bigint): Uint8Array {
  return seq(seq(oid(OID.sha1), nul()), octets(sha1(ca.subjectName)), octets(sha1(ca.key.publicKeyBits)), int(serial));
}

export function buildOcspRequest(ids: Uint8Array[], nonce?: Uint8Array): Uint8Array {
  const list = seq(...ids.map((id) => seq(id)));
  const ext = nonce ? [ctx(2, seq(seq(oid(NONCE), octets(octets(nonce)))))] : [];
  return seq(seq(list, ...ext));
}

export interface ParsedRequest {
  certIds: Uint8Array[];
  serials: bigint[];
  nonce?: Uint8Array;
}

const intValue = (der: Uint8Array) => BigInt('0x' + (Buffer.from(header(der).body).toString('hex') || '0'));

/** Parse an OCSPRequest (unsigned; a signed one's optionalSignature is ignored). Throws on malformed input. */
export function parseOcspRequest(der: Uint8Array): ParsedRequest {
  const top = header(der);
  if (top.tag !== 0x30 || top.total !== der.length) throw new Error('not an OCSPRequest');
  const tbs = children(der)[0]!;
  const parts = children(tbs);
  const list = parts.find((p) => p[0] === 0x30)!;
  const certIds = children(list).map((r) => children(r)[0]!);
  const serials = certIds.map((id) => intValue(children(id)[3]!));
  let nonce: Uint8Array | undefined;
  const ext = parts.find((p) => p[0] === 0xa2);
  if (ext) {
    for (const e of children(header(ext).body)) {
      const [id, val] = children(e);
      if (Buffer.from(id!).equals(Buffer.from(oid(NONCE)))) {
        const inner = header(val!).body; // OCTET STRING wrapping the extension value
        nonce = inner[0] === 0x04 ? header(inner).body : inner; // some clients skip the inner OCTET STRING
      }
    }
  }
  return { certIds, serials, nonce };
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

export function buildOcspResponse(o: OcspResponseOptions): Uint8Array {
  const signer = o.responder ?? o.ca;
  const status =
    o.status === 'good' ? ctxPrim(0, new Uint8Array(0)) : o.status === 'unknown' ? ctxPrim(2, new Uint8Array(0)) : ctx(1, generalizedTime(o.revokedAt ?? o.thisUpdate), ctx(0, enumerated(1)));
  const single = seq(o.certId, status, generalizedTime(o.thisUpdate), ...(o.nextUpdate ? [ctx(0, generalizedTime(o.nextUpdate))] : []));
  const ext = o.nonce ? [ctx(1, seq(seq(oid(NONCE), octets(octets(o.nonce)))))] : [];
  const data = seq(ctx(2, octets(signer.keyId)), generalizedTime(o.producedAt), seq(single), ...ext);
  const basic = signed(data, signer.key);
  const withCerts = o.responder ? seq(...children(basic), ctx(0, seq(o.responder.der))) : basic;
  return seq(enumerated(0), ctx(0, seq(oid(BASIC), octets(withCerts))));
}

/** An unsuccessful OCSPResponse (no responseBytes): 3 = tryLater, 2 = internalError. */
export const ocspError = (code: 2 | 3) => seq(enumerated(code));
