// DTLS handshake ops (op ids dtls-*): each variant (variants.ts) runs the
// device's own DTLS client (firmware op dtls-client, docs/ops.md) against a
// real peer on loopback UDP (peers.ts), several times (the scenario's vector
// count), and checks every captured handshake against the byte model to the
// byte (measure12.ts, measure13.ts); record.ts fills the record. The
// dtls-whatif-* ops are computed by the model only (whatifs.ts), on top of a
// handshake this run measured and validated. Details: docs/handshakes.md.
import type { OpContext, OpSpec } from '../spec.js';
import { unsupported, type VariantResult } from './handshake.js';
import { LIBRARIES } from './libraries.js';
import { measureVariant12 } from './measure12.js';
import { measureVariant13 } from './measure13.js';
import { fillRecord } from './record.js';
import { DTLS13_CFLAGS, HANDSHAKE_VARIANTS, type HandshakeVariant } from './variants.js';
import { WHAT_IF_OPS } from './whatifs.js';

export { HANDSHAKE_VARIANTS } from './variants.js';
export { WHAT_IF_VARIANTS } from './whatifs.js';

function measureVariant(ctx: OpContext, v: HandshakeVariant, count: number): Promise<VariantResult> {
  const lib = LIBRARIES[ctx.library];
  if (!lib) throw unsupported(`no DTLS client description for ${ctx.library} in harness/ops/dtls/libraries.ts`);
  return v.dtls13 ? measureVariant13(ctx, v, lib, count) : measureVariant12(ctx, v, lib, count);
}

function handshakeSpec(v: HandshakeVariant): OpSpec {
  return {
    id: v.id,
    summary: v.summary,
    firmwareOp: 'dtls-client',
    ...(v.dtls13 ? { cflags: DTLS13_CFLAGS, libraries: { only: ['wolfssl'], why: 'DTLS 1.3: only wolfSSL has a DTLS 1.3 client here (mbedTLS 2.28 and 3.6, tinydtls and lakers have none)' } } : {}),
    vectors: () => [],
    check: () => ({ agree: false, detail: 'measured by measure()' }),
    async measure(ctx, rec) {
      const res = await measureVariant(ctx, v, ctx.count);
      fillRecord(v, res, rec);
      // Cycles and ms from the same handshakes' per-address counts (median by cycles).
      Object.assign(rec, ctx.cycles(res.runs.map((r) => r.count)));
      return res;
    },
  };
}

export const DTLS_OPS: OpSpec[] = [...HANDSHAKE_VARIANTS.map(handshakeSpec), ...WHAT_IF_OPS];
