// A variant's handshakes into its result record: the median run's figures
// and capture, the spread over the runs, the byte model's verdict, the
// certificates' DER sizes, notes on what varied, and the on-air cost.
import { onAirRecords } from '../../dtls/device-handshake.js';
import type { ResultRecord } from '../../record/schema.js';
import type { VariantResult } from './handshake.js';
import { chainUp, serverChain } from './peers.js';
import type { VariantPki } from './pki.js';
import type { Issued } from '../../pki/cert.js';
import { keyTypeOf } from '../../pki/user-pki.js';
import type { HandshakeVariant } from './variants.js';
import { fillRunFigures } from '../repeated-runs.js';

export function fillRecord(v: HandshakeVariant, res: VariantResult, rec: ResultRecord): void {
  const { runs, median } = res;
  fillRunFigures(rec, runs, median, 'handshake');
  const hs = median.analysis.record(res.peer);
  hs.protocol = v.dtls13 ? 'DTLS 1.3' : 'DTLS 1.2';
  hs.modelCheck = runs.some((r) => r.analysis.modelCheck === 'differs') ? 'differs' : 'equal';
  hs.differences = runs.flatMap((r, i) => r.analysis.explanation.map((d) => `handshake ${i + 1}: ${d}`));
  hs.retransmissions = runs.reduce((a, r) => a + r.analysis.totals.retransmittedFlights, 0);
  const resent = runs.map((r) => r.analysis.record('').retransmittedBytes ?? 0);
  if (resent.some((b) => b > 0)) hs.retransmittedBytes = Math.max(...resent);
  else delete hs.retransmittedBytes;
  const server = serverChain(v, res.pki);
  if (server && !v.resume) {
    hs.certificates = { server, ...(v.mutual ? { device: res.pki.derSizes.deviceChain } : {}) };
    // Which PKI, and each certificate sent: DER size and key type.
    const p = res.pki as VariantPki;
    const sent = v.server === 'self-signed' ? [p.serverSelfSigned] : v.server === 'leaf' ? [p.server] : [p.server, ...chainUp(p)];
    const device = v.mutual ? [p.device, ...(p.deviceIntermediates ?? chainUp(p))] : undefined;
    const describe = (c: Issued) => ({ subject: c.subject, derBytes: c.der.length, key: keyTypeOf(c.key.publicKey) });
    rec.pki = { source: p.source ?? 'test', server: sent.map(describe), ...(device ? { device: device.map(describe) } : {}) };
  }
  const c2s = runs.map((r) => r.analysis.totals.c2s.bytes);
  const s2c = runs.map((r) => r.analysis.totals.s2c.bytes);
  hs.bytesRange = { c2s: [Math.min(...c2s), Math.max(...c2s)], s2c: [Math.min(...s2c), Math.max(...s2c)] };
  const notes = [...v.notes];
  if (rec.instructionsMax! > rec.instructionsMin!) {
    const spread = ((rec.instructionsMax! - rec.instructionsMin!) / rec.instructionsMin!) * 100;
    const why = v.kx === 'psk'
      ? 'the server\'s fresh random changes the session keys, and this library\'s record protection takes data-dependent paths'
      : 'the peer\'s fresh ECDHE key and ECDSA signature change the device\'s bignum work';
    notes.push(`Instructions vary by ${spread.toFixed(2)}% over ${runs.length} handshakes (device RNG reseeded identically before each): ${why}; the figure is the median.`);
  }
  const unparsed = [...new Set(runs.flatMap((r) => r.unparsed))];
  if (unparsed.length) notes.push(`${v.dtls13 ? 'Lengths the model took from the wire (peer choices)' : 'Extensions sized from the wire (type:length), not parsed'}: ${unparsed.join(', ')}.`);
  const timeouts = runs.reduce((a, r) => a + r.outputs.timeouts, 0);
  if (timeouts) notes.push(`The device timed out waiting ${timeouts} time(s) and retransmitted.`);
  if (hs.retransmissions) notes.push(`A timer fired ${hs.retransmissions} time(s) over ${runs.length} handshakes (typically the peer's 1 s wall-clock timer while a loaded host delayed the device): up to ${hs.retransmittedBytes ?? 0} B sent again, counted apart (retransmittedBytes), not in the handshake's bytes or its on-air cost.`);
  hs.notes = notes;
  rec.handshake = hs;
  rec.onAir = onAirRecords(median.analysis.onAir);
  if (rec.vectors.disagree.length) {
    rec.status = 'mismatch';
    rec.reason = `${rec.vectors.disagree.length} of ${runs.length} handshakes disagree: ${rec.vectors.disagree[0]!.detail}`.slice(0, 600);
  }
}
