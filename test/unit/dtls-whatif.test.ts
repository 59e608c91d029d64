import { describe, expect, it } from 'vitest';
import { deflateSync, inflateSync } from 'node:zlib';
import { certificateBody, compressedSizes, whatIfs } from '../../harness/dtls/whatif.js';
import { modelHandshake, type HandshakeConfig } from '../../harness/dtls/model.js';
import { WHAT_IF_OPS } from '../../harness/ops/dtls/whatifs.js';
import type { OpContext } from '../../harness/ops/spec.js';
import type { ResultRecord } from '../../harness/record/schema.js';
import { doesNotFit, unsupported } from '../../harness/record/status.js';

const packing = { mtu: 1372, mode: 'fill' as const };
const base = (mutual: boolean): HandshakeConfig => ({
  variant: mutual ? 'ecdhe-ecdsa-mutual' : 'ecdhe-ecdsa',
  suite: 0xc0ae,
  cookieLength: 20,
  client: { suites: [0xc0ae], extensions: [{ ext: 'supported_groups', groups: 1 }], packing, ...(mutual ? { certificate: { kind: 'x509' as const, chain: [475, 464] }, certificateVerifySignature: 71 } : {}) },
  server: {
    sessionIdLength: 32,
    extensions: [],
    packing,
    certificate: { kind: 'x509', chain: [518, 464] },
    keyExchangeSignature: 71,
    ...(mutual ? { certificateRequest: { certificateTypes: 1, signatureAlgorithms: 1, caNameLengths: [] } } : {}),
  },
});
const msg = (cfg: HandshakeConfig | ReturnType<typeof modelHandshake>, flight: number, name: string) => ('flights' in cfg ? cfg : modelHandshake(cfg)).flights[flight - 1]!.messages.find((m) => m.name === name);

describe('what-if models', () => {
  it('certificateBody is the X.509 Certificate message: 3-byte list length, 3-byte length per certificate', () => {
    const body = certificateBody([Uint8Array.of(1, 2), Uint8Array.of(3)]);
    expect([...body]).toEqual([0, 0, 9, 0, 0, 2, 1, 2, 0, 0, 1, 3]);
  });

  it('compressedSizes really compresses (zlib stream round-trips)', () => {
    const body = certificateBody([new Uint8Array(400).fill(7)]);
    const z = compressedSizes(body);
    expect(inflateSync(deflateSync(body, { level: 9 })).length).toBe(body.length);
    expect(z.zlib).toBe(deflateSync(body, { level: 9 }).length);
    expect(z.zlib).toBeLessThan(40);
    expect(z.brotli).toBeLessThan(40);
  });

  it('server-side what-ifs are modeled, name their RFC and shrink the server flight', () => {
    const der = [new Uint8Array(518).map((_, i) => i * 7), new Uint8Array(464).map((_, i) => i * 13)];
    const wi = whatIfs(base(false), { serverChainDer: der, rfc7925ServerChain: [372, 373] });
    expect(wi.map((w) => [w.name, w.spec, w.status])).toEqual([
      ['cached-info', 'RFC 7924', 'modeled'],
      ['certificate-compression', 'RFC 8879', 'modeled'],
      ['rfc7925-certificates', 'RFC 7925 section 4.4', 'modeled'],
      ['raw-public-key', 'RFC 7250', 'modeled'],
    ]);
    const [cached, compressed, small, rpk] = wi;
    expect(msg(cached!.model, 4, 'certificate')!.bodyLength).toBe(33);
    expect(msg(cached!.model, 3, 'client_hello')!.bodyLength - msg(base(false), 3, 'client_hello')!.bodyLength).toBe(4 + 2 + 1 + 1 + 32);
    const z = compressedSizes(certificateBody(der));
    expect(msg(compressed!.model, 4, 'compressed_certificate')!.bodyLength).toBe(8 + Math.min(z.zlib, z.brotli));
    expect(msg(small!.model, 4, 'certificate')!.bodyLength).toBe(3 + 3 + 372 + 3 + 373);
    expect(small!.delta).toBe(372 + 373 - 518 - 464);
    expect(msg(rpk!.model, 4, 'certificate')!.bodyLength).toBe(3 + 91);
  });

  it('mutual: client_certificate_url replaces the device chain by a CertificateURL message', () => {
    const wi = whatIfs(base(true), { serverChainDer: [new Uint8Array(518)], certificateUrl: 'coap://x/y' });
    const url = wi.find((w) => w.name === 'client-certificate-url')!;
    expect(msg(url.model, 5, 'certificate_url')!.bodyLength).toBe(1 + 2 + 2 + 10 + 1 + 20);
    expect(msg(url.model, 5, 'certificate')).toBeUndefined();
  });

  it('nothing to say for a PSK handshake', () => {
    const psk: HandshakeConfig = { ...base(false), variant: 'psk', suite: 0xc0a8, client: { ...base(false).client, pskIdentityLength: 4 }, server: { sessionIdLength: 32, extensions: [], packing } };
    expect(whatIfs(psk, { serverChainDer: [] })).toEqual([]);
  });
});

describe('a what-if whose base handshake did not run', () => {
  const op = WHAT_IF_OPS[0]!;
  const ctxWith = (failure: Error) => ({ needed: () => Promise.reject(failure) }) as unknown as OpContext;
  it('does not fit where its base does not, with what the base needed', async () => {
    const fit = { resource: 'heap' as const, needed: 4785, available: 6144 };
    await expect(op.measure!(ctxWith(doesNotFit('out of memory', fit)), {} as ResultRecord)).rejects.toMatchObject({ fit, message: expect.stringMatching(/^base handshake dtls-.*: out of memory/) });
  });
  it('is unsupported where its base is', async () => {
    await expect(op.measure!(ctxWith(unsupported('no X.509')), {} as ResultRecord)).rejects.toMatchObject({ unsupported: true });
  });
});
