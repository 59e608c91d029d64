// Certificate ops (docs/ops.md "Certificates", docs/certificates.md):
//  - x509-parse: one certificate parsed on the device, per certificate kind;
//  - x509-verify-chain: chains of depth 1-3 with P-256 or RSA-2048 CAs
//    verified at the device's (correct) clock, plus forged, expired and
//    wrongly anchored chains; verdicts checked against node:crypto;
//  - x509-validity: the (device clock x certificate validity) verdict matrix;
//  - x509-verify-chain-scenario: the scenario's own chain (pki:) against its
//    own trust anchors at the device clock; x509-parse then parses the
//    scenario's certificates instead of the seeded ones.
// All run the firmware's x509-* ops; the PKI is built by harness/pki
// (chain.ts) from the scenario seed, so every run sends the same bytes.
import { X509Certificate } from 'node:crypto';
import type { CertRow, ResultRecord, ValidityCell } from '../record/schema.js';
import { buildChain, days, type Chain } from '../pki/chain.js';
import { certCases, clockCases, TRUE_NOW } from '../x509/clock.js';
import { decodeVerify, setTime, verifyChainInputs } from '../x509/device.js';
import { verdictNames } from '../contract/tls.js';
import type { KeyAlg } from '../pki/keys.js';
import { referenceVerify } from '../x509/reference.js';
import { baseRow, counted, finish, tooBigForLink, verdictOf } from '../x509/rows.js';
import { type OpContext, type OpSpec } from './spec.js';
import { type Vector } from '../vectors/vector.js';
import { CC_OK, CC_VERDICT_REJECT, statusName } from '../contract/status.js';
import type { UserCert, UserPki } from '../pki/user-pki.js';
import { unsupported } from '../record/status.js';

const unix = (d: Date) => Math.floor(d.getTime() / 1000);
/** A leaf valid at TRUE_NOW: issued 45 days before, for a year. */
const VALID_LEAF = { notBefore: days(TRUE_NOW, -45), notAfter: days(TRUE_NOW, 320) };

export function chainFor(seed: string, depth: 1 | 2 | 3, issuerAlg: KeyAlg, extra: { leaf?: { notBefore: Date; notAfter: Date; label?: string }; forgeLeaf?: boolean } = {}): Chain {
  return buildChain({ seed, depth, issuerAlg, leaf: extra.leaf ?? VALID_LEAF, forgeLeaf: extra.forgeLeaf });
}

const accepted = (ok: boolean) => (ok ? 'accepted' : 'rejected');

// ------------------------------------------------------------ x509-parse

interface ParseCase {
  id: string;
  der: Uint8Array;
}

/** The scenario's own certificates as they are: its server chain, trust anchors and device chain. */
function userParseCases(u: UserPki): ParseCase[] {
  const named = (certs: UserCert[], what: string) => certs.map((c, i) => ({ id: `scenario-${what}${certs.length > 1 ? `-${i + 1}` : ''}`, der: c.der }));
  return [
    { id: 'scenario-leaf', der: u.serverChain[0]!.der },
    ...named(u.serverChain.slice(1), 'intermediate'),
    ...named(u.trustAnchors, 'anchor'),
    ...(u.clientChain ? named(u.clientChain, 'device') : []),
  ];
}

function parseCases(seed: string, user?: UserPki): ParseCase[] {
  if (user) return userParseCases(user);
  const p = chainFor(seed, 2, 'p256');
  const r = chainFor(seed, 2, 'rsa2048');
  return [
    { id: 'leaf-p256-ecdsa-signed', der: p.leaf.der },
    { id: 'leaf-p256-rsa-signed', der: r.leaf.der },
    { id: 'intermediate-p256', der: p.intermediates[0]!.der },
    { id: 'intermediate-rsa2048', der: r.intermediates[0]!.der },
    { id: 'root-p256', der: p.root.der },
    { id: 'root-rsa2048', der: r.root.der },
  ];
}

export const x509Parse: OpSpec = {
  id: 'x509-parse',
  /** The certificate ops are compiled in only with -DCERTCOST_X509. */
  cflags: ['-DCERTCOST_X509'],
  summary: 'parse one X.509 certificate on the device (no signature check), per certificate kind',
  vectors: (seed) => parseCases(seed).map((c) => ({ id: c.id, inputs: [c.der], representative: c.id.startsWith('leaf'), ref: true })),
  check: (v, r) => (r.status === CC_OK ? { agree: true } : { agree: false, detail: `device: ${statusName(r.status)}; node:crypto parses ${v.id}` }),
  async measure(ctx, rec) {
    const rows: CertRow[] = [];
    for (const c of parseCases(ctx.seed, ctx.user.pki)) {
      new X509Certificate(c.der); // the reference: it must parse
      const big = tooBigForLink(c.id, 'x509-parse', [c.der], ctx.board.linkMax);
      if (big) {
        rows.push(big);
        continue;
      }
      const out = await ctx.run('x509-parse', [c.der]);
      const st = out.result.status;
      const row = { ...baseRow(c.id, 'x509-parse', out, 0), derBytes: c.der.length };
      rows.push({ ...row, verdict: st === CC_OK ? 'parsed' : row.verdict, reasons: st === CC_OK ? [] : [statusName(st)], expected: 'parsed', agree: st === CC_OK });
    }
    finish(rec, rows, (r) => r.id.startsWith('leaf') || r.id === 'scenario-leaf');
    if (ctx.user.pki) rec.pki = userPkiField(ctx.user.pki);
  },
};

/** The record's `pki` field for the scenario's own chain. */
const userPkiField = (u: UserPki): NonNullable<ResultRecord['pki']> => {
  const describe = (c: UserCert) => ({ subject: c.subject, derBytes: c.der.length, key: c.keyType });
  return { source: 'scenario', server: u.serverChain.map(describe), ...(u.clientChain ? { device: u.clientChain.map(describe) } : {}) };
};

// ------------------------------------------------------------ x509-verify-chain

interface ChainCase {
  id: string;
  depth: 1 | 2 | 3;
  /** The CA key type: p256 | rsa2048 for the seeded chains, the anchor's (e.g. RSA-2048) for the scenario's. */
  issuer: string;
  trust: Uint8Array;
  sent: Uint8Array[];
  representative: boolean;
}

function chainCases(seed: string): ChainCase[] {
  const out: ChainCase[] = [];
  for (const issuer of ['p256', 'rsa2048'] as const)
    for (const depth of [1, 2, 3] as const) {
      const c = chainFor(seed, depth, issuer);
      out.push({ id: `${issuer}-depth${depth}`, depth, issuer, trust: c.root.der, sent: c.sent.map((x) => x.der), representative: true });
    }
  const forged = chainFor(seed, 2, 'p256', { forgeLeaf: true });
  out.push({ id: 'p256-depth2-forged-leaf', depth: 2, issuer: 'p256', trust: forged.root.der, sent: forged.sent.map((x) => x.der), representative: false });
  const expired = chainFor(seed, 1, 'p256', { leaf: { notBefore: days(TRUE_NOW, -400), notAfter: days(TRUE_NOW, -10), label: 'expired' } });
  out.push({ id: 'p256-depth1-expired-leaf', depth: 1, issuer: 'p256', trust: expired.root.der, sent: expired.sent.map((x) => x.der), representative: false });
  // Another P-256 root with the very same name: only the key tells them apart.
  const other = chainFor(`${seed}/other-ca`, 1, 'p256');
  const p = chainFor(seed, 1, 'p256');
  out.push({ id: 'p256-depth1-wrong-anchor', depth: 1, issuer: 'p256', trust: other.root.der, sent: p.sent.map((x) => x.der), representative: false });
  return out;
}

export async function measureChains(ctx: OpContext, cases: ChainCase[], at: number): Promise<CertRow[]> {
  await setTime(ctx.run, at);
  const rows: CertRow[] = [];
  for (const c of cases) {
    const ref = referenceVerify(c.trust, c.sent, at);
    const inputs = verifyChainInputs({ trust: [c.trust], chain: c.sent });
    const big = tooBigForLink(c.id, 'x509-verify-chain', inputs, ctx.board.linkMax);
    if (big) {
      rows.push({ ...big, depth: c.depth, issuer: c.issuer });
      continue;
    }
    const out = await ctx.run('x509-verify-chain', inputs);
    const v = decodeVerify(out);
    const row = baseRow(c.id, 'x509-verify-chain', out, v.bits);
    const expected = accepted(ref.ok) + (ref.findings.length ? ` (${ref.findings.join(', ')})` : '');
    rows.push({ ...row, depth: c.depth, issuer: c.issuer, derBytes: c.sent.reduce((n, d) => n + d.length, 0), expected, agree: row.verdict === 'does-not-fit' || row.verdict === accepted(ref.ok) });
  }
  return rows;
}

const chainCheck: OpSpec['check'] = (v, r) => {
  const want = v.ref as boolean;
  if (r.status !== CC_OK && r.status !== CC_VERDICT_REJECT) return { agree: false, detail: `device error: ${statusName(r.status)}` };
  return (r.status === CC_OK) === want ? { agree: true } : { agree: false, detail: `device ${r.status === CC_OK ? 'accepts' : 'rejects'}, node:crypto ${want ? 'accepts' : 'rejects'}` };
};

/**
 * One op per CA key type and depth, so each record's figure is one chain's
 * cost, never a median over mixed chains: x509-verify-chain-p256-d2 verifies
 * a leaf + 1 intermediate against a P-256 root. The negative cases (forged
 * leaf, expired leaf, wrong anchor) go with the chain of their key type and
 * depth. The scenario name `x509-verify-chain` means all six.
 */
function verifyChainOp(issuer: KeyAlg, depth: 1 | 2 | 3): OpSpec {
  const mine = (seed: string) => chainCases(seed).filter((c) => c.issuer === issuer && c.depth === depth);
  return {
    id: `x509-verify-chain-${issuer}-d${depth}`,
    summary: `X.509 chain verification, ${issuer === 'p256' ? 'P-256' : 'RSA-2048'} CAs, depth ${depth} (leaf + ${depth - 1} intermediate${depth === 2 ? '' : 's'} against the root) at a correct clock, verdicts checked against node:crypto`,
    firmwareOp: 'x509-verify-chain',
    cflags: ['-DCERTCOST_X509'],
    vectors: (seed) => mine(seed).map((c): Vector => ({ id: c.id, inputs: verifyChainInputs({ trust: [c.trust], chain: c.sent }), representative: c.representative, invalid: !c.representative, ref: referenceVerify(c.trust, c.sent, unix(TRUE_NOW)).ok })),
    check: chainCheck,
    async measure(ctx, rec) {
      const rows = await measureChains(ctx, mine(ctx.seed), unix(TRUE_NOW));
      const negative = (r: CertRow) => r.id.includes('-forged') || r.id.includes('-expired') || r.id.includes('-wrong');
      finish(rec, rows, (r) => !negative(r), negative);
    },
  };
}

export const VERIFY_CHAIN_OPS: OpSpec[] = (['p256', 'rsa2048'] as const).flatMap((issuer) => ([1, 2, 3] as const).map((depth) => verifyChainOp(issuer, depth)));

/** The scenario's server chain (and device chain) against the anchor that issued its top, at the device's clock. */
function userChainCases(u: UserPki): ChainCase[] {
  const anchorOf = (chain: UserCert[]) => {
    const top = chain.at(-1)!.x509;
    return (u.trustAnchors.find((a) => top.checkIssued(a.x509)) ?? u.trustAnchors[0]!);
  };
  const one = (id: string, chain: UserCert[]): ChainCase => {
    const anchor = anchorOf(chain);
    // Depth as the seeded chains count it: certificates below the anchor.
    const below = chain.filter((c) => c.x509.fingerprint256 !== anchor.x509.fingerprint256).length;
    return { id, depth: Math.max(1, Math.min(3, below)) as 1 | 2 | 3, issuer: anchor.keyType, trust: anchor.der, sent: chain.map((c) => c.der), representative: true };
  };
  return [one('scenario-server-chain', u.serverChain), ...(u.clientChain ? [one('scenario-device-chain', u.clientChain)] : [])];
}

export const x509VerifyScenarioChain: OpSpec = {
  id: 'x509-verify-chain-scenario',
  summary: "the scenario's own chain (pki.serverChain, and pki.clientChain) verified against its pki.trustAnchors at the device's clock, verdict checked against node:crypto",
  firmwareOp: 'x509-verify-chain',
  cflags: ['-DCERTCOST_X509'],
  vectors: () => [],
  check: chainCheck,
  async measure(ctx, rec) {
    const u = ctx.user.pki;
    if (!u) throw unsupported("needs the scenario's own certificates (pki:); the seeded chains are x509-verify-chain's");
    const rows = await measureChains(ctx, userChainCases(u), u.deviceClock ?? unix(TRUE_NOW));
    finish(rec, rows, (r) => r.id === 'scenario-server-chain');
    rec.pki = userPkiField(u);
    await setTime(ctx.run, unix(TRUE_NOW));
  },
};


// ------------------------------------------------------------ x509-validity

/** Every (clock, certificate) cell: the device's verdict at the time it believes, the reference's, and the risk. */
export async function measureValidity(ctx: OpContext, seed: string, opts: { clocks?: string[]; certs?: string[] } = {}): Promise<ValidityCell[]> {
  const clocks = clockCases().filter((c) => !opts.clocks || opts.clocks.includes(c.id));
  const certs = certCases().filter((c) => !opts.certs || opts.certs.includes(c.id));
  const chains = certs.map((c) => ({ c, chain: chainFor(seed, 1, 'p256', { leaf: { notBefore: c.notBefore, notAfter: c.notAfter, label: c.id } }) }));
  const cells: ValidityCell[] = [];
  for (const clock of clocks) {
    await setTime(ctx.run, clock.believed);
    for (const { c, chain } of chains) {
      const trust = chain.root.der, sent = chain.sent.map((x) => x.der);
      const out = await ctx.run('x509-verify-chain', verifyChainInputs({ trust: [trust], chain: sent }));
      counted('x509-verify-chain', out);
      const v = decodeVerify(out);
      const verdict = verdictOf(v.status);
      const ref = referenceVerify(trust, sent, clock.believed);
      const got = verdict === 'accepted' || verdict === 'rejected' || verdict === 'does-not-fit' ? verdict : 'error';
      // "Does not fit" is a result about RAM, not a date verdict: neither a risk nor a disagreement.
      const judged = got === 'accepted' || got === 'rejected';
      cells.push({
        clock: clock.id,
        cert: c.id,
        believed: clock.believed,
        truth: c.truth,
        verdict: got,
        reasons: got === 'error' || got === 'does-not-fit' ? [statusName(v.status)] : verdictNames(v.bits),
        reference: ref.ok ? 'accepted' : 'rejected',
        agree: got === 'does-not-fit' || got === (ref.ok ? 'accepted' : 'rejected'),
        risk: !judged ? null : got === 'accepted' && c.truth !== 'valid' ? 'accepts-invalid' : got !== 'accepted' && c.truth === 'valid' ? 'rejects-valid' : null,
      });
    }
  }
  await setTime(ctx.run, unix(TRUE_NOW));
  return cells;
}

export const x509Validity: OpSpec = {
  id: 'x509-validity',
  summary: 'certificate validity vs the device clock: verdict matrix (no clock, correct, drifted, secure-time policies) x (valid, expired, not yet valid, shelf life)',
  firmwareOp: 'x509-verify-chain',
  cflags: ['-DCERTCOST_X509'],
  vectors: () => [],
  check: () => ({ agree: true }),
  async measure(ctx, rec: ResultRecord) {
    const cells = await measureValidity(ctx, ctx.seed);
    rec.validity = cells;
    rec.vectors = { total: cells.length, agree: cells.filter((c) => c.agree).length, disagree: cells.filter((c) => !c.agree).map((c) => ({ id: `${c.clock}/${c.cert}`, detail: `device ${c.verdict} (${c.reasons.join(', ')}), node:crypto ${c.reference} at the believed time` })) };
    const risky = cells.filter((c) => c.risk);
    rec.reason = risky.length ? `${risky.length} of ${cells.length} cells are risks: ${risky.filter((c) => c.risk === 'accepts-invalid').length} accept an invalid certificate, ${risky.filter((c) => c.risk === 'rejects-valid').length} reject a valid one` : undefined;
    if (rec.vectors.disagree.length) {
      rec.status = 'mismatch';
      rec.reason = `${rec.vectors.disagree.length} cells disagree with node:crypto at the believed time; ${rec.reason ?? ''}`;
    }
  },
};

export const X509_OPS: OpSpec[] = [x509Parse, ...VERIFY_CHAIN_OPS, x509VerifyScenarioChain, x509Validity];
/** Op names a scenario may use for a family of ops. */
export const X509_GROUPS: Record<string, string[]> = { 'x509-verify-chain': VERIFY_CHAIN_OPS.map((o) => o.id) };
