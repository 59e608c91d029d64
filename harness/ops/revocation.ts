// Revocation ops (docs/certificates.md):
//  - crl-check: CRLs of 0-10,000 entries, uploaded into the device's heap
//    (the blob) and checked with the chain (firmware op x509-verify-chain,
//    flag CRL_BLOB); a CRL the heap cannot hold is the result "does not fit";
//  - ocsp-check: the device asks the harness's OCSP responder over the link
//    (firmware op ocsp-check), for each answer the responder can give,
//    including none at all (outage) under soft- and hard-fail policies.
// Stapling (a DTLS handshake with status_request) is harness/ops/stapling.ts.
import type { CertRow } from '../record/schema.js';
import { OcspResponderPeer, type ResponderMode } from '../revocation/responder.js';
import { days, ocspResponderCert, type Chain } from '../pki/chain.js';
import { TRUE_NOW } from '../x509/clock.js';
import { buildCrl } from '../pki/crl.js';
import { referenceCrl } from '../x509/crl-reference.js';
import { decodeVerify, freeBlob, setTime, uploadBlob, verifyChainInputs, type RunOp } from '../x509/device.js';
import { signingKey, type KeyAlg } from '../pki/keys.js';
import { baseRow, counted, finish } from '../x509/rows.js';
import { type OpContext, type OpSpec } from './spec.js';
import { CC_ERR_NOMEM, CC_ERR_UNSUPPORTED, CC_OK } from '../contract/status.js';
import { OCSP_FLAG, OCSP_LOOKUP, X509_FLAG } from '../contract/tls.js';
import { chainFor } from './x509.js';
import { ocspStapling } from './stapling.js';

const unix = (d: Date) => Math.floor(d.getTime() / 1000);
const unsupported = (msg: string) => Object.assign(new Error(msg), { unsupported: true });
const WHY_NO_OCSP: Record<string, string> = {
  mbedtls: 'mbedTLS (2.28 and 3.6) has no OCSP: no request or response code and no status_request (stapling) in its TLS client',
  'mbedtls-p256m': 'mbedTLS (3.6) has no OCSP: no request or response code and no status_request (stapling) in its TLS client',
};

/** The chain's verification without any revocation check: the baseline the revocation rows add to. */
async function baseline(run: RunOp, c: Chain): Promise<number> {
  const out = await run('x509-verify-chain', verifyChainInputs({ trust: [c.root.der], chain: c.sent.map((x) => x.der) }));
  if (out.result.status !== CC_OK) throw new Error(`baseline chain verification failed (status ${out.result.status})`);
  return counted('x509-verify-chain', out);
}

// ------------------------------------------------------------ crl-check

export const CRL_SIZES = [0, 10, 100, 1000, 10000];

export interface CrlOptions {
  sizes?: number[];
  /** Also check a CRL past its nextUpdate (the device could not fetch a fresh one). */
  stale?: boolean;
  issuer?: KeyAlg;
}

export async function measureCrl(ctx: OpContext, seed: string, o: CrlOptions = {}): Promise<CertRow[]> {
  const issuer = o.issuer ?? 'p256';
  const c = chainFor(seed, 1, issuer);
  await setTime(ctx.run, unix(TRUE_NOW));
  const base = await baseline(ctx.run, c);
  const rows: CertRow[] = [];
  const cases: { id: string; others: number; revoked: boolean; stale: boolean }[] = [];
  for (const n of o.sizes ?? CRL_SIZES) for (const revoked of [false, true]) cases.push({ id: `${n}-entries${revoked ? '-revoked' : ''}`, others: n, revoked, stale: false });
  if (o.stale ?? true) cases.push({ id: '10-entries-stale', others: 10, revoked: false, stale: true });
  for (const k of cases) {
    const crl = buildCrl({
      seed, issuer: c.root, others: k.others, revoke: k.revoked ? [c.leaf.serial] : [],
      // A daily CRL valid for a week; the stale one's nextUpdate passed 3 days ago.
      thisUpdate: days(TRUE_NOW, k.stale ? -10 : -1), nextUpdate: days(TRUE_NOW, k.stale ? -3 : 6),
    });
    const ref = await referenceCrl(crl.der, c.root.der, c.leaf.serial, unix(TRUE_NOW));
    const expected = ref.accepted ? 'accepted' : `rejected (${[ref.revoked && 'revoked', ref.expired && 'crl-expired', !ref.signatureOk && 'crl-not-trusted'].filter(Boolean).join(', ')})`;
    const common = { crlEntries: crl.entries, derBytes: crl.der.length, blobBytes: crl.der.length, issuer, depth: 1, baselineInstructions: base, expected };
    ctx.progress(`${ctx.board.id}/${ctx.library}/crl-check: ${k.id} (${crl.der.length} B)`);
    const st = await uploadBlob(ctx.run, crl.der, ctx.board.linkMax);
    if (st === CC_ERR_NOMEM) {
      rows.push({ id: k.id, verdict: 'does-not-fit', reasons: [`the ${crl.der.length} B CRL does not fit in the ${ctx.board.heapBytes} B heap`], instructions: null, heapBytes: null, stackBytes: null, ...common, agree: true, note: 'blob-alloc refused: the CRL cannot even be downloaded into RAM' });
      continue;
    }
    if (st !== CC_OK) throw new Error(`blob-alloc failed: status ${st}`);
    const out = await ctx.run('x509-verify-chain', verifyChainInputs({ flags: X509_FLAG.CRL | X509_FLAG.CRL_BLOB, trust: [c.root.der], chain: c.sent.map((x) => x.der) }));
    await freeBlob(ctx.run);
    const v = decodeVerify(out);
    const row = baseRow(k.id, 'x509-verify-chain', out, v.bits);
    const agree = row.verdict === 'does-not-fit' || (row.verdict === (ref.accepted ? 'accepted' : 'rejected') && (!ref.revoked || row.reasons.includes('revoked')));
    if (row.verdict === 'does-not-fit') {
      row.reasons = [`the library ran out of heap: ${out.result.heapBytes} B reached, on top of the ${crl.der.length} B CRL, in a ${ctx.board.heapBytes} B heap`];
      rows.push({ ...row, ...common, agree, note: 'downloaded, but the library ran out of heap checking it' });
    } else rows.push({ ...row, ...common, agree });
  }
  return rows;
}

export const crlCheck: OpSpec = {
  id: 'crl-check',
  summary: 'chain verification with a CRL of 0-10,000 entries held in device RAM: size, parse + signature + lookup cost, heap; what does not fit',
  firmwareOp: 'x509-verify-chain',
  vectors: () => [],
  check: () => ({ agree: true }),
  async measure(ctx, rec) {
    const rows = await measureCrl(ctx, ctx.seed);
    finish(rec, rows, (r) => r.id === '100-entries', (r) => r.id.includes('revoked') || r.id.includes('stale'));
  },
};

// ------------------------------------------------------------ ocsp-check

/** ocsp-check's lookup outcome (info byte 0) as the record says it. */
const LOOKUP_WORDS: Record<number, string> = { [OCSP_LOOKUP.VERIFIED]: 'verified', [OCSP_LOOKUP.NO_RESPONSE]: 'no-response', [OCSP_LOOKUP.BAD_RESPONSE]: 'no-usable-status', [OCSP_LOOKUP.NOT_ASKED]: 'not-asked' };

export function ocspInputs(o: { hardFail: boolean; nonce?: boolean; timeoutMs?: number; trust: Uint8Array; chain: Uint8Array[] }): Uint8Array[] {
  const cfg = new Uint8Array(8);
  const dv = new DataView(cfg.buffer);
  dv.setUint32(0, (o.hardFail ? OCSP_FLAG.HARD_FAIL : 0) | (o.nonce ? OCSP_FLAG.NONCE : 0));
  dv.setUint32(4, o.timeoutMs ?? 2000);
  const all = new Uint8Array(o.chain.reduce((n, d) => n + d.length, 0));
  let off = 0;
  for (const d of o.chain) all.set(d, (off += d.length) - d.length);
  return [cfg, o.trust, all];
}

export interface OcspCase {
  id: string;
  mode: ResponderMode;
  delegated: boolean;
  hardFail: boolean;
  nonce?: boolean;
}

export const OCSP_CASES: OcspCase[] = [
  { id: 'ca-signed-good', mode: 'good', delegated: false, hardFail: true },
  { id: 'ca-signed-revoked', mode: 'revoked', delegated: false, hardFail: true },
  { id: 'delegated-good', mode: 'good', delegated: true, hardFail: true },
  { id: 'delegated-revoked', mode: 'revoked', delegated: true, hardFail: true },
  { id: 'ca-signed-good-nonce', mode: 'good', delegated: false, hardFail: true, nonce: true },
  { id: 'outage-soft-fail', mode: 'outage', delegated: false, hardFail: false },
  { id: 'outage-hard-fail', mode: 'outage', delegated: false, hardFail: true },
  { id: 'try-later-soft-fail', mode: 'try-later', delegated: false, hardFail: false },
  { id: 'forged-response-soft-fail', mode: 'wrong-signer', delegated: false, hardFail: false },
  { id: 'forged-response-hard-fail', mode: 'wrong-signer', delegated: false, hardFail: true },
];

/** What a correct client concludes: good accepts; revoked rejects; no usable status follows the policy. */
export function ocspExpected(k: OcspCase): 'accepted' | 'rejected' {
  if (k.mode === 'good') return 'accepted';
  if (k.mode === 'revoked') return 'rejected';
  return k.hardFail ? 'rejected' : 'accepted';
}

export async function measureOcsp(ctx: OpContext, seed: string, cases: OcspCase[] = OCSP_CASES, issuer: KeyAlg = 'p256'): Promise<CertRow[]> {
  const c = chainFor(seed, 1, issuer);
  const delegate = ocspResponderCert({ seed, ca: c.root, serialLabel: ['ocsp-responder', issuer], keyLabel: 'ocsp-responder', now: TRUE_NOW });
  // Claims the CA as issuer but is signed by another key: a forged responder.
  const forger = ocspResponderCert({ seed, ca: c.root, serialLabel: ['ocsp-forger', issuer], keyLabel: 'ocsp-forger', now: TRUE_NOW, signWith: signingKey(issuer, seed, 'forger') });
  await setTime(ctx.run, unix(TRUE_NOW));
  const base = await baseline(ctx.run, c);
  const rows: CertRow[] = [];
  for (const k of cases) {
    const peer = new OcspResponderPeer({ ca: c.root, delegate: k.delegated ? delegate : undefined, forger, mode: k.mode, now: TRUE_NOW });
    const out = await ctx.run('ocsp-check', ocspInputs({ hardFail: k.hardFail, nonce: k.nonce, trust: c.root.der, chain: c.sent.map((x) => x.der) }), peer);
    if (out.result.status === CC_ERR_UNSUPPORTED) throw unsupported(WHY_NO_OCSP[ctx.library] ?? `${ctx.library} reports ocsp-check unsupported`);
    const v = decodeVerify(out);
    const info = out.result.outputs[2];
    const dv = info && info.length === 13 ? new DataView(info.buffer, info.byteOffset, 13) : undefined;
    const device = dv ? { lookup: LOOKUP_WORDS[dv.getUint8(0)] ?? 'unknown', dgOut: dv.getUint16(1), dgIn: dv.getUint16(3), bytesOut: dv.getUint32(5), bytesIn: dv.getUint32(9) } : undefined;
    // What the responder saw must be what the device says it sent and got.
    const sawOut = peer.exchanges.reduce((n, e) => n + e.request.length, 0);
    const sawIn = peer.exchanges.reduce((n, e) => n + (e.response?.length ?? 0), 0);
    const countersAgree = !device || (device.bytesOut === sawOut && device.bytesIn === sawIn && device.dgOut === peer.exchanges.length);
    const nonceOk = !k.nonce || peer.exchanges.every((e) => e.nonce !== undefined);
    const row = baseRow(k.id, 'ocsp-check', out, v.bits);
    const expected = ocspExpected(k);
    rows.push({
      ...row,
      expected,
      agree: row.verdict === 'does-not-fit' || (row.verdict === expected && countersAgree && nonceOk),
      policy: k.hardFail ? 'hard-fail' : 'soft-fail',
      responder: `${k.mode}${k.delegated ? ', delegated responder certificate embedded' : k.mode === 'outage' ? '' : ', signed by the CA'}`,
      bytesOut: device?.bytesOut ?? sawOut,
      bytesIn: device?.bytesIn ?? sawIn,
      roundTrips: peer.exchanges.length,
      depth: 1,
      issuer,
      baselineInstructions: base,
      note: `lookup: ${device?.lookup ?? '?'}${countersAgree ? '' : `; device counted ${device?.bytesOut}/${device?.bytesIn} B, responder saw ${sawOut}/${sawIn} B`}`,
    });
  }
  return rows;
}

export const ocspCheck: OpSpec = {
  id: 'ocsp-check',
  summary: 'OCSP on the device: request to and signed response from the harness responder over the link, verification cost, soft- vs hard-fail under an outage',
  vectors: () => [],
  check: () => ({ agree: true }),
  async measure(ctx, rec) {
    const rows = await measureOcsp(ctx, ctx.seed);
    finish(rec, rows, (r) => r.id === 'ca-signed-good', (r) => /revoked|forged|outage-hard|try-later/.test(r.id));
  },
};

export const REVOCATION_OPS: OpSpec[] = [crlCheck, ocspCheck, ocspStapling];
