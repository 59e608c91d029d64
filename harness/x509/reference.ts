// The independent verdict for a chain: node:crypto (OpenSSL) parses every
// certificate, checkIssued() checks each link (names, key ids, the issuer's
// key usage) and verify() its signature; dates are compared at the time the
// device believes it is. Nothing here reuses the builder's own bookkeeping:
// it reads only the DER the device is sent.
import { X509Certificate } from 'node:crypto';

export type Finding = 'not-trusted' | 'expired' | 'not-yet-valid' | 'revoked';

export interface RefVerdict {
  ok: boolean;
  findings: Finding[];
}

const validFrom = (c: X509Certificate) => new Date(c.validFrom).getTime();
const validTo = (c: X509Certificate) => new Date(c.validTo).getTime();

/**
 * trust: the root DER; sent: leaf first, then intermediates nearest the leaf
 * first; at: the device's believed Unix time in seconds (0 = 1970, what a
 * library sees with no clock), or null to skip dates.
 */
export function referenceVerify(trust: Uint8Array, sent: Uint8Array[], at: number | null): RefVerdict {
  const root = new X509Certificate(trust);
  const chain = sent.map((d) => new X509Certificate(d));
  const findings = new Set<Finding>();
  for (let i = 0; i < chain.length; i++) {
    const issuer = chain[i + 1] ?? root;
    if (!chain[i]!.checkIssued(issuer) || !chain[i]!.verify(issuer.publicKey) || (i + 1 < chain.length && !issuer.ca)) findings.add('not-trusted');
  }
  if (!root.ca || !root.verify(root.publicKey)) findings.add('not-trusted');
  if (at !== null) {
    const ms = at * 1000;
    for (const c of [...chain, root]) {
      if (ms < validFrom(c)) findings.add('not-yet-valid');
      if (ms > validTo(c)) findings.add('expired');
    }
  }
  return { ok: findings.size === 0, findings: [...findings] };
}

/** Dates only, for one certificate at a Unix time (seconds). */
export function dateFinding(der: Uint8Array, at: number): Finding | null {
  const c = new X509Certificate(der);
  if (at * 1000 < validFrom(c)) return 'not-yet-valid';
  if (at * 1000 > validTo(c)) return 'expired';
  return null;
}
