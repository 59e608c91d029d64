// ocsp-stapling: the device's DTLS 1.2 client (firmware op dtls-client)
// asks for certificate status (status_request, RFC 6066) and OpenSSL's
// s_server staples a response built and signed by the harness
// (-status_file). Measured against the same handshake without the request:
// extra bytes each way and extra device instructions; and the verdicts when
// the staple says revoked, when the server has none to staple (soft-fail,
// or hard-fail with must-staple), and when status_request_v2 is offered.
// Whether a CertificateStatus message was on the wire is read from the
// relay's capture, not from the device.
import { writeFileSync } from 'node:fs';
import { makeTempDir, removeTempDir } from '../core/lifecycle.js';
import { join } from 'node:path';
import { decodeDtlsClient, encodeDtlsClient, UdpNetPeer } from '../dtls/device-client.js';
import { DTLS_FLAG } from '../contract/tls.js';
import { startOpensslServer } from '../dtls/openssl-peer.js';
import { decodeAll, flights, handshakeMessages, HandshakeType, totals } from '../dtls/records.js';
import type { CertRow } from '../record/schema.js';
import { days, ocspResponderCert } from '../pki/chain.js';
import { pem } from '../pki/asn1.js';
import { TRUE_NOW } from '../x509/clock.js';
import { setTime } from '../x509/device.js';
import { verdictNames } from '../contract/tls.js';
import { buildOcspResponse, certId, type CertStatus } from '../pki/ocsp.js';
import { counted, finish, verdictOf } from '../x509/rows.js';
import { type OpContext, type OpSpec } from './spec.js';
import { CC_ERR_UNSUPPORTED } from '../contract/status.js';
import { chainFor } from './x509.js';
import { timed } from '../core/timing.js';

/** wolfSSL-only dtls-client flags (docs/ops.md). */
export const STAPLE_FLAG = { OCSP_V2: 0x80, MUST_STAPLE: 0x100 } as const;
const SUITE_ECDHE_ECDSA_CCM8 = 0xc0ae;
const unix = (d: Date) => Math.floor(d.getTime() / 1000);
const WHY_NO_STAPLING: Record<string, string> = {
  mbedtls: 'mbedTLS (2.28 and 3.6) has no OCSP stapling (no status_request extension, no CertificateStatus handling)',
  'mbedtls-p256m': 'mbedTLS (3.6) has no OCSP stapling (no status_request extension, no CertificateStatus handling)',
};

export interface StapleCase {
  id: string;
  flags: number;
  /** What s_server staples (-status_file); null: it has nothing to staple. */
  staple: CertStatus | null;
  delegated?: boolean;
}

const BASE = DTLS_FLAG.VERIFY_CA;
export const STAPLE_CASES: StapleCase[] = [
  { id: 'no-status-request', flags: BASE, staple: null },
  { id: 'stapled-good', flags: BASE | DTLS_FLAG.OCSP, staple: 'good' },
  { id: 'stapled-good-delegated-responder', flags: BASE | DTLS_FLAG.OCSP, staple: 'good', delegated: true },
  { id: 'stapled-revoked', flags: BASE | DTLS_FLAG.OCSP, staple: 'revoked' },
  { id: 'no-staple-soft-fail', flags: BASE | DTLS_FLAG.OCSP, staple: null },
  { id: 'no-staple-must-staple', flags: BASE | DTLS_FLAG.OCSP | STAPLE_FLAG.MUST_STAPLE, staple: null },
  { id: 'status-request-v2', flags: BASE | DTLS_FLAG.OCSP | STAPLE_FLAG.OCSP_V2, staple: 'good' },
];

export async function measureStapling(ctx: OpContext, seed: string, cases: StapleCase[] = STAPLE_CASES): Promise<CertRow[]> {
  const c = chainFor(seed, 1, 'p256');
  const delegate = ocspResponderCert({ seed, ca: c.root, serialLabel: ['ocsp-responder', 'staple'], keyLabel: 'ocsp-responder', now: TRUE_NOW });
  const dir = makeTempDir('staple'); // holds the server's private key: removed however the run ends
  const file = (name: string, body: string | Uint8Array) => (writeFileSync(join(dir, name), body), join(dir, name));
  const cert = file('server.pem', pem(c.leaf.der));
  const key = file('server.key', c.leaf.key.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string);
  await setTime(ctx.run, unix(TRUE_NOW));
  const rows: CertRow[] = [];
  let base: CertRow | undefined;
  try {
    for (const k of cases) {
      const extra: string[] = [];
      if (k.staple) {
        const der = buildOcspResponse({ ca: c.root, certId: certId(c.root, c.leaf.serial), status: k.staple, responder: k.delegated ? delegate : undefined, producedAt: TRUE_NOW, thisUpdate: days(TRUE_NOW, -1 / 24), nextUpdate: days(TRUE_NOW, 7), revokedAt: days(TRUE_NOW, -5) });
        extra.push('-status_file', file(`${k.id}.der`, der));
      }
      const server = await timed('peer', () => startOpensslServer({ mtu: 1400, auth: { kind: 'cert', cert, key }, cipher: 'ECDHE-ECDSA-AES128-CCM8', extraArgs: extra }));
      const peer = await UdpNetPeer.open({ host: server.host, port: server.port });
      try {
        ctx.progress(`${ctx.board.id}/${ctx.library}/ocsp-stapling: ${k.id}`);
        const inputs = encodeDtlsClient({ flags: k.flags, suites: [SUITE_ECDHE_ECDSA_CCM8], mtu: 0, timeoutMs: [4000, 32000], trust: c.root.der, app: new TextEncoder().encode('status?\n') });
        const out = await ctx.run('dtls-client', inputs, peer);
        if (out.result.status === CC_ERR_UNSUPPORTED) throw Object.assign(new Error(WHY_NO_STAPLING[ctx.library] ?? `${ctx.library} reports dtls-client with OCSP unsupported`), { unsupported: true });
        const d = decodeDtlsClient(out.result.outputs);
        const verdict = verdictOf(out.result.status);
        const wire = decodeAll(peer.connection(0));
        const t = totals(wire);
        const stapled = handshakeMessages(wire).some((m) => m.dir === 's2c' && m.msgType === HandshakeType.certificate_status);
        const must = (k.flags & STAPLE_FLAG.MUST_STAPLE) !== 0;
        const expected = stapled && k.staple === 'revoked' ? 'rejected' : !stapled && must ? 'rejected' : 'accepted';
        // A failed handshake ends with the device's alert, which the relay files as post-handshake.
        const all = totals(wire, { all: true });
        const same = (x: typeof t) => d !== undefined && d.device.bytesOut === x.c2s.bytes && d.device.bytesIn === x.s2c.bytes;
        const countersAgree = !d || same(t) || (verdict !== 'accepted' && same(all));
        const row: CertRow = {
          id: k.id,
          verdict,
          reasons: d ? verdictNames(d.verify) : [],
          expected: `${expected}${stapled ? `, ${k.staple} stapled` : ', nothing stapled'}`,
          agree: verdict === 'does-not-fit' || (verdict === expected && countersAgree && (k.id !== 'stapled-revoked' || (d !== undefined && verdictNames(d.verify).includes('revoked')))),
          instructions: counted('dtls-client', out),
          heapBytes: out.result.heapBytes,
          stackBytes: out.result.stackBytes,
          depth: 1,
          issuer: 'p256',
          bytesOut: d?.device.bytesOut ?? t.c2s.bytes,
          bytesIn: d?.device.bytesIn ?? t.s2c.bytes,
          roundTrips: flights(wire).filter((f) => f.dir === 'c2s' && !f.postHandshake).length,
          policy: must ? 'hard-fail (must-staple)' : k.flags & DTLS_FLAG.OCSP ? 'soft-fail' : 'no status requested',
          responder: k.staple ? `s_server staples ${k.staple}${k.delegated ? ' (delegated responder certificate embedded)' : ' (signed by the CA)'}` : 'nothing to staple',
          note: [stapled ? 'CertificateStatus on the wire' : 'no CertificateStatus on the wire', countersAgree ? '' : `device counted ${d?.device.bytesOut}/${d?.device.bytesIn} B, relay saw ${t.c2s.bytes}/${t.s2c.bytes} B`].filter(Boolean).join('; '),
        };
        if (!base) base = row;
        else row.baselineInstructions = base.instructions ?? undefined;
        rows.push(row);
      } finally {
        await peer.close();
        await timed('peer', () => server.stop());
      }
    }
  } finally {
    removeTempDir(dir);
  }
  return rows;
}

export const ocspStapling: OpSpec = {
  id: 'ocsp-stapling',
  /** The DTLS client with OCSP: -DCERTCOST_DTLS, with the certificate code of -DCERTCOST_X509 as the revocation scenario builds it. */
  cflags: ['-DCERTCOST_X509', '-DCERTCOST_DTLS'],
  summary: 'OCSP stapling in a DTLS 1.2 handshake (device client, OpenSSL s_server -status_file): extra bytes and instructions, verdict on a stapled revoked status, soft- vs hard-fail without a staple',
  firmwareOp: 'dtls-client',
  vectors: () => [],
  check: () => ({ agree: true }),
  async measure(ctx, rec) {
    const rows = await measureStapling(ctx, ctx.seed);
    // A revoked staple, or none under must-staple, is an invalid input: mis-handling it is a finding about the library.
    finish(rec, rows, (r) => r.id === 'stapled-good', (r) => r.id === 'stapled-revoked' || r.id === 'no-staple-must-staple');
  },
};
