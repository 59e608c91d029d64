// X.509 v2 CRLs (RFC 5280 section 5) with any number of revoked entries,
// signed by the issuing CA. Each entry has a 16-byte serial, a revocation
// date and a reasonCode extension, as CAs commonly issue them; the
// certificate under test, when revoked, is the LAST entry, so a linear
// lookup walks the whole list (the worst case, and the same walk a
// not-revoked certificate costs).
import { seedBytes } from '../vectors/seed.js';
import { ctx, ctxPrim, enumerated, int, octets, oid, seq, time } from './der.js';
import { signed, type Issued } from './cert.js';

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

const REASON_KEY_COMPROMISE = 1;
const REASON_SUPERSEDED = 4;

function otherSerial(seed: string, i: number): bigint {
  const b = seedBytes(seed, 'crl-serial', i).subarray(0, 16);
  b[0] = (b[0]! & 0x3f) | 0x40;
  return BigInt('0x' + Buffer.from(b).toString('hex'));
}

export function buildCrl(o: CrlOptions): Crl {
  const serials: bigint[] = [];
  for (let i = 0; i < o.others; i++) serials.push(otherSerial(o.seed, i));
  serials.push(...(o.revoke ?? []));
  const entries = serials.map((s, i) =>
    seq(
      int(s),
      // Revocation dates spread over the year before thisUpdate.
      time(new Date(o.thisUpdate.getTime() - ((i * 7919) % 365) * 86_400_000 - 3_600_000)),
      seq(seq(oid('2.5.29.21'), octets(enumerated(i % 5 === 0 ? REASON_KEY_COMPROMISE : REASON_SUPERSEDED)))),
    ),
  );
  const tbs = seq(
    int(1), // v2
    o.issuer.key.sigAlg,
    o.issuer.subjectName,
    time(o.thisUpdate),
    time(o.nextUpdate),
    ...(entries.length ? [seq(...entries)] : []), // an empty list is omitted, not encoded empty
    ctx(0, seq(seq(oid('2.5.29.35'), octets(seq(ctxPrim(0, o.issuer.keyId)))), seq(oid('2.5.29.20'), octets(int(o.crlNumber ?? 1))))),
  );
  return { der: signed(tbs, o.issuer.key), entries: serials.length, serials };
}
