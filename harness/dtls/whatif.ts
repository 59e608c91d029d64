// "What if" handshakes that no library here implements, computed with the
// same byte model from a validated base configuration. Every result is
// status 'modeled': nothing here was put on a wire.
import { brotliCompressSync, constants, deflateSync } from 'node:zlib';
import type { ExtensionSpec } from './extensions.js';
import { modelHandshake, type CertificatePayload, type HandshakeConfig, type HandshakeModel } from './model.js';

export interface WhatIf {
  name: string;
  status: 'modeled';
  /** The specification the change follows. */
  spec: string;
  model: HandshakeModel;
  bytes: number;
  /** bytes minus the base handshake's (negative = saving). */
  delta: number;
  note: string;
}

export interface WhatIfInputs {
  /** DER of the certificates the server sends (leaf first), as in the base handshake. */
  serverChainDer: Uint8Array[];
  /** DER of the device's certificates (leaf first), for mutual authentication. */
  deviceChainDer?: Uint8Array[];
  /** DER sizes of the same chains issued under the RFC 7925 profile (harness/pki profile 'rfc7925'). */
  rfc7925ServerChain?: number[];
  rfc7925DeviceChain?: number[];
  /** URL the device would publish its certificate at (RFC 6066). */
  certificateUrl?: string;
  /** SubjectPublicKeyInfo DER size for raw public keys (P-256: 91). */
  spkiLength?: number;
}

/** X.509 Certificate message body for a chain: what RFC 8879 compresses. */
export function certificateBody(chain: Uint8Array[]): Uint8Array {
  const len = chain.reduce((a, c) => a + 3 + c.length, 0);
  const out = new Uint8Array(3 + len);
  const put24 = (o: number, v: number) => out.set([v >> 16, (v >> 8) & 0xff, v & 0xff], o);
  put24(0, len);
  let o = 3;
  for (const c of chain) {
    put24(o, c.length);
    out.set(c, o + 3);
    o += 3 + c.length;
  }
  return out;
}

/** Compressed sizes of a Certificate message with the two RFC 8879 algorithms node:zlib has (no dictionary). */
export function compressedSizes(body: Uint8Array): { zlib: number; brotli: number } {
  return {
    zlib: deflateSync(body, { level: 9 }).length, // RFC 8879 "zlib" = RFC 1950 stream, which deflateSync emits
    brotli: brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: body.length } }).length,
  };
}

const withExt = (list: ExtensionSpec[], add: ExtensionSpec[]) => [...list, ...add];

function result(name: string, spec: string, base: HandshakeModel, cfg: HandshakeConfig, note: string): WhatIf {
  const model = modelHandshake(cfg);
  return { name, status: 'modeled', spec, model, bytes: model.bytes, delta: model.bytes - base.bytes, note };
}

/** The what-if handshakes that apply to `base` (certificate variants; mutual ones also get the client-side options). */
export function whatIfs(base: HandshakeConfig, inputs: WhatIfInputs): WhatIf[] {
  const baseModel = modelHandshake(base);
  const out: WhatIf[] = [];
  if (base.server.certificate?.kind !== 'x509') return out;
  const mutual = base.variant === 'ecdhe-ecdsa-mutual';
  const srv = (certificate: CertificatePayload, clientExt: ExtensionSpec[], serverExt: ExtensionSpec[], client?: Partial<HandshakeConfig['client']>): HandshakeConfig => ({
    ...base,
    client: { ...base.client, ...client, extensions: withExt(base.client.extensions, clientExt) },
    server: { ...base.server, certificate, extensions: withExt(base.server.extensions, serverExt) },
  });

  out.push(
    result(
      'cached-info',
      'RFC 7924',
      baseModel,
      srv({ kind: 'cached', hashLength: 32 }, [{ ext: 'cached_info', hashLengths: [32] }], [{ ext: 'cached_info_ack', types: 1 }]),
      'Device caches the server chain; Certificate carries its SHA-256 hash (32 B). Client adds cached_info with one cert object, server echoes the type.',
    ),
  );

  const body = certificateBody(inputs.serverChainDer);
  const z = compressedSizes(body);
  const best = Math.min(z.zlib, z.brotli);
  out.push(
    result(
      'certificate-compression',
      'RFC 8879',
      baseModel,
      srv({ kind: 'compressed', compressedLength: best }, [{ ext: 'compress_certificate', algorithms: 2 }], []),
      `Estimate: node:zlib on the real Certificate message (${body.length} B): zlib ${z.zlib} B, brotli ${z.brotli} B, no dictionary; the smaller is used. RFC 8879 is defined for (D)TLS 1.3 only; applied to DTLS 1.2 here as a hypothetical.`,
    ),
  );

  if (inputs.rfc7925ServerChain) {
    const device = mutual && inputs.rfc7925DeviceChain ? { certificate: { kind: 'x509' as const, chain: inputs.rfc7925DeviceChain } } : undefined;
    out.push(
      result(
        'rfc7925-certificates',
        'RFC 7925 section 4.4',
        baseModel,
        srv({ kind: 'x509', chain: inputs.rfc7925ServerChain }, [], [], device),
        `Same chain shape issued under the RFC 7925 profile by harness/pki (server ${inputs.rfc7925ServerChain.join('+')} B${device ? `, device ${inputs.rfc7925DeviceChain!.join('+')} B` : ''}) instead of ${base.server.certificate.chain.join('+')} B.`,
      ),
    );
  }

  out.push(
    result(
      'raw-public-key',
      'RFC 7250',
      baseModel,
      srv({ kind: 'raw-public-key', spki: inputs.spkiLength ?? 91 }, [{ ext: 'server_certificate_type', types: 1 }], [{ ext: 'certificate_type_selected', which: 'server' }]),
      `Server sends its SubjectPublicKeyInfo (${inputs.spkiLength ?? 91} B) instead of an X.509 chain; client offers server_certificate_type [RawPublicKey].`,
    ),
  );

  if (mutual) {
    const url = inputs.certificateUrl ?? 'coap://certs.certcost.test/device-0001';
    out.push(
      result(
        'client-certificate-url',
        'RFC 6066 section 5',
        baseModel,
        {
          ...base,
          client: { ...base.client, certificate: { kind: 'url', urlLengths: [url.length] }, extensions: withExt(base.client.extensions, [{ ext: 'client_certificate_url' }]) },
          server: { ...base.server, extensions: withExt(base.server.extensions, [{ ext: 'client_certificate_url' }]) },
        },
        `Device sends CertificateURL (individual_certs, one ${url.length}-char URL + SHA-1 hash) instead of its chain; the server fetches it out of band (not counted).`,
      ),
    );
  }
  return out;
}
