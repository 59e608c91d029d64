// The PKI a certificate variant runs with: the seeded test PKI of the
// variant's depth, or, when the scenario brings its own (`pki:`), the user's
// certificates as they are, where the variant's shape fits them: chainN
// needs a chain of depth N, the self-signed variant a single self-signed
// certificate, mutual a client chain. A variant that does not fit, or a
// certificate outside its validity at the device's clock, is an answer
// (unsupported, with why), never an error.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Issued } from '../../pki/cert.js';
import type { Pki } from '../../pki/handshake-pki.js';
import { runPki } from '../../pki/run-pki.js';
import { asHandshakePki, invalidAt, type UserPki } from '../../pki/user-pki.js';
import { unsupported } from '../../record/status.js';
import type { OpContext } from '../spec.js';
import { DEVICE_CLOCK } from './handshake.js';
import type { HandshakeVariant } from './variants.js';

export type VariantPki = Pki & { trustAnchors?: Uint8Array[]; deviceIntermediates?: Issued[]; source: 'test' | 'scenario' };

const adapted = new WeakMap<object, Promise<VariantPki>>();

function fits(v: HandshakeVariant, p: UserPki): string | undefined {
  const depth = p.serverChain.length;
  const leaf = p.serverChain[0]!.x509;
  const shape = `the scenario's server chain has ${depth} certificate${depth > 1 ? 's' : ''} (depth ${depth})`;
  if (v.server === 'self-signed' && !(depth === 1 && leaf.checkIssued(leaf))) return `${shape}, not one self-signed certificate: the chain variants measure it`;
  if ((v.server === 'chain' || v.server === 'leaf') && v.depth !== depth) return `${shape}: the variant of that depth measures it`;
  if (v.mutual && !p.clientChain) return 'mutual authentication needs the scenario\'s pki.clientChain and pki.clientKey';
  return undefined;
}

export async function pkiFor(ctx: OpContext, v: HandshakeVariant): Promise<VariantPki> {
  const user = ctx.user.pki;
  if (!user) return { ...(await runPki(ctx.scope, ctx.seed, v.depth)), source: 'test' };
  const misfit = fits(v, user);
  if (misfit) throw unsupported(misfit);
  const clock = user.deviceClock ?? DEVICE_CLOCK;
  const invalid = invalidAt(user, clock);
  if (invalid.length) throw unsupported(`not valid at the device's clock (${new Date(clock * 1000).toISOString().slice(0, 10)}), so the device would refuse the chain: ${invalid.join('; ')}`);
  let p = adapted.get(ctx.scope);
  if (!p) {
    const dir = mkdtempSync(join(tmpdir(), 'certcost-pki-'));
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    p = asHandshakePki(user, dir).then((x) => ({ ...x, source: 'scenario' as const }));
    adapted.set(ctx.scope, p);
  }
  return p;
}
