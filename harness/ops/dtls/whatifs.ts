// "What if" DTLS handshakes no library here implements (RFC 7924 cached
// information, RFC 6066 client certificate URLs, RFC 8879 compression, RFC
// 7925-profile certificates, raw public keys): computed by the byte model on
// top of a handshake this run measured and validated, which each what-if
// names in \`needs\` (the plan runs it first on the same image). Records are
// \`modeled: true\`: nothing of them went over a wire.
import { modeledHandshakeRecord, onAirRecords } from '../../dtls/device-handshake.js';
import type { HandshakeConfig } from '../../dtls/model.js';
import { whatIfs } from '../../dtls/whatif.js';
import { onAir } from '../../links/onair.js';
import { loadLinkProfiles } from '../../links/profiles.js';
import { runPki } from '../../pki/run-pki.js';
import type { OpSpec } from '../spec.js';
import type { Answer } from '../../record/status.js';
import type { VariantResult } from './handshake.js';
import { chainUp } from './peers.js';
import { DTLS12_CFLAGS } from './variants.js';

interface WhatIfDef {
  id: string;
  /** whatIfs() name. */
  name: string;
  summary: string;
  base: string;
}

export const WHAT_IF_VARIANTS: WhatIfDef[] = [
  { id: 'dtls-whatif-cached-info', name: 'cached-info', summary: 'modeled: RFC 7924 cached information on the chain2 handshake', base: 'dtls-ecdhe-ecdsa-chain2' },
  { id: 'dtls-whatif-client-certificate-url', name: 'client-certificate-url', summary: 'modeled: RFC 6066 client_certificate_url on the mutual handshake', base: 'dtls-ecdhe-ecdsa-mutual' },
  { id: 'dtls-whatif-certificate-compression', name: 'certificate-compression', summary: 'modeled: RFC 8879 certificate compression on the chain2 handshake', base: 'dtls-ecdhe-ecdsa-chain2' },
  { id: 'dtls-whatif-rfc7925-certificates', name: 'rfc7925-certificates', summary: 'modeled: RFC 7925-profile certificates on the chain2 handshake', base: 'dtls-ecdhe-ecdsa-chain2' },
  { id: 'dtls-whatif-raw-public-key', name: 'raw-public-key', summary: 'modeled: RFC 7250 raw public key instead of the chain2 certificates', base: 'dtls-ecdhe-ecdsa-chain2' },
];

function whatIfSpec(w: WhatIfDef): OpSpec {
  return {
    id: w.id,
    summary: w.summary,
    firmwareOp: 'dtls-client',
    cflags: DTLS12_CFLAGS,
    needs: [w.base],
    vectors: () => [],
    check: () => ({ agree: false, detail: 'computed by measure()' }),
    async measure(ctx, rec) {
      let base: VariantResult;
      try {
        base = await ctx.needed<VariantResult>(w.base);
      } catch (e) {
        // The base's answer is the what-if's: unsupported, or does not fit on this board (with what it needed).
        const err = e as Answer;
        throw Object.assign(new Error(`base handshake ${w.base}: ${err.message}`), { unsupported: err.unsupported, fit: err.fit });
      }
      const a = base.median.full;
      if (!a) throw new Error(`the what-if ${w.name} needs a DTLS 1.2 base handshake`);
      const cfg: HandshakeConfig = a.model.config;
      const pki = base.pki;
      const small = await runPki(ctx.scope, pki.options.seed, pki.options.depth, 'rfc7925');
      const all = whatIfs(cfg, {
        serverChainDer: [pki.server.der, ...chainUp(pki).map((x) => x.der)],
        deviceChainDer: [pki.device.der, ...chainUp(pki).map((x) => x.der)],
        rfc7925ServerChain: small.derSizes.serverChain,
        rfc7925DeviceChain: small.derSizes.deviceChain,
        spkiLength: pki.server.key.spki.length,
      });
      const wi = all.find((x) => x.name === w.name);
      if (!wi) throw new Error(`the what-if ${w.name} does not apply to ${w.base}`);
      Object.assign(rec, { instructions: null, instructionsMin: null, instructionsMax: null, stackBytes: null, heapBytes: null, flashBytes: null, ramBytes: null });
      delete rec.marginalFlashBytes;
      delete rec.marginalRamBytes;
      rec.modeled = true;
      const hs = modeledHandshakeRecord(wi.model, `none: modeled on the measured ${ctx.library} <-> ${base.peer} ${w.base} handshake`);
      hs.modelCheck = a.modelCheck;
      hs.differences = a.explanation;
      hs.whatIf = { spec: wi.spec, base: w.base, baseBytes: a.model.bytes, delta: wi.delta, note: wi.note };
      rec.handshake = hs;
      const sizes = wi.model.flights.flatMap((f) => f.datagrams.map((d) => ({ dir: d.dir, size: d.size })));
      rec.onAir = onAirRecords(loadLinkProfiles().map((p) => onAir(sizes, p)));
      if (a.modelCheck !== 'equal') {
        rec.status = 'mismatch';
        rec.reason = `the base handshake ${w.base} disagrees with the model, so this what-if is not grounded: ${a.explanation[0]}`;
      }
    },
  };
}

export const WHAT_IF_OPS: OpSpec[] = WHAT_IF_VARIANTS.map(whatIfSpec);
