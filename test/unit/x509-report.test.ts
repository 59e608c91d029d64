// The revocation comparison and the certificate sections of results.md,
// from hand-made records: what each column is computed from.
import { describe, expect, it } from 'vitest';
import type { CertRow, ResultRecord, ValidityCell } from '../../harness/record/schema.js';
import { revocationSections, revocationSummary } from '../../harness/report/sections/revocation.js';
import { certificateSections } from '../../harness/report/sections/certificates.js';
import { documentMarkdown } from '../../harness/report/md.js';
import type { Section } from '../../harness/report/document.js';

/** Sections as the Markdown results.md shows them. */
const md = (sections: Section[]) => documentMarkdown({ title: 't', meta: [], sections, charts: [], source: { file: 'f', sha256: '0'.repeat(64) } });

function rec(op: string, library: string, rows: Partial<CertRow>[], extra: Partial<ResultRecord> = {}): ResultRecord {
  return {
    board: 'mps2-an386', core: 'cortex-m4', qemuMachine: 'mps2-an386', library, op, status: 'ok',
    instructions: null, instructionsMin: null, instructionsMax: null, flashBytes: null, ramBytes: null, stackBytes: null, heapBytes: null,
    vectors: { total: 0, agree: 0, disagree: [] }, perVector: [], wallMs: 0,
    certRows: rows.map((r) => ({ id: '?', verdict: 'accepted', reasons: [], agree: true, instructions: null, heapBytes: null, stackBytes: null, ...r })),
    ...extra,
  };
}

describe('revocation summary', () => {
  const records = [
    rec('crl-check', 'wolfssl', [
      { id: '100-entries', crlEntries: 100, derBytes: 5155, blobBytes: 5155, instructions: 5_000_000, baselineInstructions: 2_400_000, heapBytes: 16_000 },
      { id: '10000-entries', crlEntries: 10000, derBytes: 490_000, verdict: 'does-not-fit', reasons: ['too big'] },
      { id: '10-entries-stale', verdict: 'rejected', reasons: ['crl-expired'] },
    ]),
    rec('ocsp-check', 'wolfssl', [
      { id: 'ca-signed-good', bytesOut: 83, bytesIn: 279, instructions: 4_700_000, baselineInstructions: 2_400_000, heapBytes: 12_000 },
      { id: 'outage-soft-fail', reasons: ['status-unknown'] },
      { id: 'outage-hard-fail', verdict: 'rejected', reasons: ['status-unknown'] },
    ]),
    rec('ocsp-stapling', 'wolfssl', [
      { id: 'no-status-request', bytesOut: 368, bytesIn: 1092, instructions: 8_300_000 },
      { id: 'stapled-good', bytesOut: 386, bytesIn: 1403, instructions: 10_600_000, baselineInstructions: 8_300_000, heapBytes: 15_900 },
    ]),
    rec('ocsp-check', 'mbedtls', [], { status: 'unsupported', reason: 'no OCSP in mbedTLS 2.28', certRows: undefined }),
  ];

  it('extra cost over the plain verification, RAM including the held CRL, bytes of stapling as a delta', () => {
    const rows = revocationSummary(records);
    const crl = rows.find((r) => r.strategy === 'CRL, 100 entries')!;
    expect(crl).toMatchObject({ bytesIn: 5155, extraInstructions: 2_600_000, ramBytes: 16_000 + 5155, status: 'accepted' });
    expect(crl.outage).toContain('rejected (crl-expired)');
    expect(rows.find((r) => r.strategy === 'CRL, 10,000 entries')!).toMatchObject({ extraInstructions: null, ramBytes: null, status: 'does not fit: too big' });
    const ocsp = rows.find((r) => r.library === 'wolfssl' && r.strategy.startsWith('OCSP, response signed by the CA'))!;
    expect(ocsp).toMatchObject({ bytesIn: 279, bytesOut: 83, extraInstructions: 2_300_000 });
    expect(ocsp.outage).toBe('no response: soft-fail accepted (status-unknown), hard-fail rejected (status-unknown)');
    const staple = rows.find((r) => r.strategy === 'OCSP stapling (DTLS), signed by the CA')!;
    expect(staple).toMatchObject({ bytesIn: 311, bytesOut: 18, extraInstructions: 2_300_000, extraRoundTrips: '0 (inside the handshake)' });
    // An unsupported op is one row saying why, not a row per variant.
    const mb = rows.filter((r) => r.library === 'mbedtls');
    expect(mb).toHaveLength(1);
    expect(mb[0]!.status).toBe('unsupported: no OCSP in mbedTLS 2.28');
  });

  it('renders the comparison and the per-op tables', () => {
    const text = md(revocationSections(records));
    expect(text).toContain('## Revocation: CRL, OCSP and OCSP stapling');
    expect(text).toContain('| mps2-an386 | wolfssl | CRL, 100 entries | 5,155 |');
    expect(text).toContain('### OCSP stapling in the DTLS handshake (ocsp-stapling)');
    expect(revocationSections([])).toEqual([]);
  });
});

describe('certificate sections', () => {
  it('chain cost per depth, per extra CA, and the validity matrix with its risks', () => {
    const chain = rec('x509-verify-chain', 'mbedtls', [1, 2, 3].map((d) => ({ id: `p256-depth${d}`, depth: d, issuer: 'p256', instructions: d * 25_000_000, heapBytes: 3000 + d * 1000, stackBytes: 2576 })));
    const cells: ValidityCell[] = [
      { clock: 'correct', cert: 'expired', believed: 1_780_272_000, truth: 'expired', verdict: 'rejected', reasons: ['expired'], reference: 'rejected', agree: true, risk: null },
      { clock: 'slow-30d', cert: 'expired', believed: 1_777_680_000, truth: 'expired', verdict: 'accepted', reasons: [], reference: 'accepted', agree: true, risk: 'accepts-invalid' },
    ];
    const validity = rec('x509-validity', 'mbedtls', [], { validity: cells, certRows: undefined });
    const text = md(certificateSections([chain, validity]));
    expect(text).toContain('| mps2-an386 | mbedtls | P-256 | 25.00 M | 50.00 M | 75.00 M | 25.00 M | 4,000 / 5,000 / 6,000 | 2,576 |');
    expect(text).toContain('| slow-30d | 2026-05-02 | — | accept ⚠ accepts invalid | — |');
    expect(text).toContain('Risks: 1 of 2 cells accept an invalid certificate, 0 reject a valid one.');
  });
});
