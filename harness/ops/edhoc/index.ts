// EDHOC ops (op ids edhoc-*, docs/edhoc.md): the device is the EDHOC
// initiator (firmware op edhoc-initiator, lakers adapter), the responder
// lakers built for the host, over raw UDP on loopback through the same
// relay as the DTLS handshakes. The record has the same `handshake` and
// `onAir` fields as a DTLS handshake (one flight per EDHOC message), so the
// handshake, on-air and protocol-comparison sections show both side by side.
import { onAirRecords } from '../../dtls/device-handshake.js';
import { onAir } from '../../links/onair.js';
import { loadLinkProfiles } from '../../links/profiles.js';
import type { ResultRecord } from '../../record/schema.js';
import type { OpSpec } from '../spec.js';
import { measureEdhoc, type EdhocResult } from './measure.js';
import { EDHOC_VARIANTS, type EdhocVariant } from './variants.js';

export { EDHOC_VARIANTS } from './variants.js';
import { fillRunFigures } from '../repeated-runs.js';

export const EDHOC_SUITE_NAME = 'EDHOC method 3 (static-static DH), cipher suite 2 (P-256, AES-CCM-16-64-128, SHA-256)';

export function fillEdhocRecord(v: EdhocVariant, res: EdhocResult, rec: ResultRecord): void {
  const { runs, median } = res;
  fillRunFigures(rec, runs, median, 'exchange');
  const m = median;
  const dir = (d: 'c2s' | 's2c') => m.datagrams.filter((x) => x.dir === d);
  const sum = (ds: { bytes: Uint8Array }[]) => ds.reduce((a, x) => a + x.bytes.length, 0);
  const flight = (name: 'message_1' | 'message_2' | 'message_3', d: 'c2s' | 's2c') => ({
    dir: d, bytes: m.sizes[name], datagrams: 1,
    messages: m.parts[name].map((p) => ({ name: `${name} ${p.name}`, bytes: p.bytes.length, fragments: 1 })),
  });
  const c = res.credentials;
  const notes = [
    ...v.notes,
    'Transport: raw UDP, one EDHOC message per datagram (no CoAP): bytes are EDHOC messages, nothing added; over CoAP (RFC 9528 Appendix A.2) message_1 would gain a CBOR true (1 B) and message_3 C_R (1 B) besides the CoAP header, token and options, which are not counted here.',
    `Credentials: CCS (RFC 9528 3.5.2) with P-256 keys of this run; CRED_I ${c.initiator.ccs.length} B, CRED_R ${c.responder.ccs.length} B (RFC 9529's subjects and kids). No message_4; the OSCORE Master Secret and Salt are exported on both sides.`,
  ];
  if (rec.instructionsMax! > rec.instructionsMin!)
    notes.push(`Instructions vary by ${(((rec.instructionsMax! - rec.instructionsMin!) / rec.instructionsMin!) * 100).toFixed(2)}% over ${runs.length} exchanges (device RNG reseeded identically; the responder draws a fresh ephemeral key each time); the figure is the median.`);
  const timeouts = runs.reduce((a, r) => a + r.timeouts, 0);
  if (timeouts) notes.push(`The device timed out waiting for message_2 ${timeouts} time(s) and sent message_1 again.`);
  rec.handshake = {
    peer: res.peer,
    protocol: 'EDHOC',
    suite: EDHOC_SUITE_NAME,
    bytesC2S: sum(dir('c2s')),
    bytesS2C: sum(dir('s2c')),
    datagramsC2S: dir('c2s').length,
    datagramsS2C: dir('s2c').length,
    flights: [flight('message_1', 'c2s'), flight('message_2', 's2c'), flight('message_3', 'c2s')],
    recordOverheadBytes: 0,
    retransmissions: runs.reduce((a, r) => a + r.retransmitted, 0),
    modelCheck: runs.some((r) => r.differences.length) ? 'differs' : 'equal',
    differences: runs.flatMap((r, i) => r.differences.map((d) => `exchange ${i + 1}: ${d}`)),
    notes,
  };
  const sizes = m.datagrams.map((d) => ({ dir: d.dir, size: d.bytes.length }));
  rec.onAir = onAirRecords(loadLinkProfiles().map((p) => onAir(sizes, p)));
  if (rec.vectors.disagree.length) {
    rec.status = 'mismatch';
    rec.reason = `${rec.vectors.disagree.length} of ${runs.length} exchanges disagree: ${rec.vectors.disagree[0]!.detail}`.slice(0, 600);
  }
}

function edhocSpec(v: EdhocVariant): OpSpec {
  return {
    id: v.id,
    summary: v.summary,
    firmwareOp: 'edhoc-initiator',
    libraries: v.unsupported ? { only: [], why: v.unsupported } : { only: ['lakers'], why: 'EDHOC: only the lakers adapter has an EDHOC initiator here' },
    vectors: () => [],
    check: () => ({ agree: false, detail: 'measured by measure()' }),
    async measure(ctx, rec) {
      const res = await measureEdhoc(ctx, v, ctx.count);
      fillEdhocRecord(v, res, rec);
      Object.assign(rec, ctx.cycles(res.runs.map((r) => r.count)));
      return res;
    },
  };
}

export const EDHOC_OPS: OpSpec[] = EDHOC_VARIANTS.map(edhocSpec);
