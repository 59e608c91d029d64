// The C<->TypeScript contract has one copy on each side: the firmware
// headers (firmware/include/certcost/*.h) and harness/contract/. This test
// parses the headers and fails when a constant is missing on either side or
// differs, so a changed flag or status code cannot drift silently.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as status from '../../harness/contract/status.js';
import { FRAME, LINK_E } from '../../harness/contract/link.js';
import { DTLS_FLAG, INFO_LEN, OCSP_FLAG, OCSP_LOOKUP, V, X509_FLAG } from '../../harness/contract/tls.js';
import { EDHOC_FLAG, EDHOC_LEN } from '../../harness/contract/edhoc.js';

const INCLUDE = join(__dirname, '..', '..', 'firmware', 'include', 'certcost');

/** NAME = value pairs from enums and #defines of a header, for names starting with `prefix`. */
export function constants(header: string, prefix: string): Map<string, number> {
  const text = readFileSync(join(INCLUDE, header), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
  const out = new Map<string, number>();
  const value = (v: string) => Number(v.trim().replace(/[uUlL]+$/, ''));
  for (const m of text.matchAll(/\b([A-Z][A-Z0-9_]*)\s*=\s*(-?(?:0x[0-9A-Fa-f]+|\d+)[uUlL]*)\s*[,}]/g))
    if (m[1]!.startsWith(prefix)) out.set(m[1]!.slice(prefix.length), value(m[2]!));
  for (const m of text.matchAll(/^#define\s+([A-Z][A-Z0-9_]*)\s+(-?(?:0x[0-9A-Fa-f]+|\d+)[uUlL]*)\s*$/gm))
    if (m[1]!.startsWith(prefix)) out.set(m[1]!.slice(prefix.length), value(m[2]!));
  return out;
}

const tsSide = (o: Record<string, number>) => new Map(Object.entries(o));
const fromStatus = () => new Map(Object.entries(status).filter(([k, v]) => k.startsWith('CC_') && typeof v === 'number').map(([k, v]) => [k.slice(3), v as number]));

describe('C <-> TypeScript contract', () => {
  const cases: [string, string, string, () => Map<string, number>, string[]?][] = [
    ['ops.h', 'CC_', 'op status codes (contract/status.ts)', fromStatus],
    ['link.h', 'LINK_', 'frame types (contract/link.ts FRAME)', () => tsSide(FRAME), ['E_']],
    ['link.h', 'LINK_E_', 'link error codes (contract/link.ts LINK_E)', () => tsSide(LINK_E)],
    ['tls-ops.h', 'F_', 'dtls-client flags (contract/tls.ts DTLS_FLAG)', () => tsSide(DTLS_FLAG)],
    ['tls-ops.h', 'V_', 'verdict bits (contract/tls.ts V)', () => tsSide(V)],
    ['tls-ops.h', 'X509_F_', 'x509-verify-chain flags (contract/tls.ts X509_FLAG)', () => tsSide(X509_FLAG)],
    ['tls-ops.h', 'OCSP_F_', 'ocsp-check flags (contract/tls.ts OCSP_FLAG)', () => tsSide(OCSP_FLAG)],
    ['tls-ops.h', 'OCSP_L_', 'ocsp-check lookup outcomes (contract/tls.ts OCSP_LOOKUP)', () => tsSide(OCSP_LOOKUP)],
    ['edhoc-ops.h', 'EDHOC_F_', 'edhoc-initiator flags (contract/edhoc.ts EDHOC_FLAG)', () => tsSide(EDHOC_FLAG)],
    ['edhoc-ops.h', 'EDHOC_', 'edhoc-initiator layouts (contract/edhoc.ts EDHOC_LEN)', () => tsSide(EDHOC_LEN), ['F_']],
  ];
  for (const [header, prefix, what, ts, exclude = []] of cases) {
    it(`${what} equal ${header}'s ${prefix}*`, () => {
      const c = constants(header, prefix);
      for (const x of exclude) for (const k of [...c.keys()]) if (k.startsWith(x)) c.delete(k);
      expect(c.size).toBeGreaterThan(0);
      expect(Object.fromEntries(ts())).toEqual(Object.fromEntries(c));
    });
  }

  it('the dtls-client info block length equals INFO_LEN', () => {
    expect(constants('tls-ops.h', 'INFO_LEN').get('')).toBe(INFO_LEN);
  });
});
