// What a scenario brings of its own deployment: its PSK, its PKI (PEM files,
// relative to the scenario file), its DTLS peer and its library
// configuration. Without them the handshake ops use the test PSK, the
// seeded test PKI and OpenSSL s_server, and the adapters their own config.
import { z } from 'zod';

// YAML reads an unquoted key of digits only (00112233) as a number, its leading zeros gone: say so.
const hex = z.union([z.string(), z.number()]).superRefine((v, ctx) => {
  if (typeof v === 'number') ctx.addIssue({ code: 'custom', message: 'hex bytes read as a number: quote a key of digits only, e.g. key: "00112233"' });
  else if (!/^([0-9a-fA-F]{2}){1,64}$/.test(v)) ctx.addIssue({ code: 'custom', message: 'hex bytes, 1 to 64 of them' });
}).transform((v) => String(v));

export const PskSchema = z.strictObject({
  identity: z.string().min(1).max(128),
  key: hex,
});

const pemPath = z.string().min(1).max(1024);
export const PkiSchema = z.strictObject({
  /** Leaf first, as the server sends it. */
  serverChain: pemPath,
  serverKey: pemPath,
  /** What the device trusts. */
  trustAnchors: pemPath,
  /** For mutual authentication; the two go together. */
  clientChain: pemPath.optional(),
  clientKey: pemPath.optional(),
  /** The device's calendar clock during handshakes with these certificates (ISO date); default: a day after their latest notBefore. */
  deviceClock: z.string().refine((d) => !Number.isNaN(Date.parse(d)), 'an ISO date, e.g. 2027-01-01').optional(),
});

export const PEER_KINDS = ['openssl', 'gnutls', 'wolfssl', 'tinydtls', 'external'] as const;
export const PeerSchema = z.strictObject({
  kind: z.enum(PEER_KINDS).default('openssl'),
  /** external: the DTLS server the user runs. */
  host: z.string().min(1).max(255).optional(),
  port: z.number().int().min(1).max(65535).optional(),
  /** How records name an external peer, e.g. "my-gateway 2.1 (Californium)". */
  name: z.string().min(1).max(200).optional(),
}).refine((p) => p.kind !== 'external' || (p.host && p.port), { message: "an external peer needs 'host' and 'port'", path: ['host'] });

/** build.config: a library's configuration file (relative to the scenario): a path (overlay) or { file, mode }. */
export const LibraryConfigSchema = z.union([
  z.string().min(1).max(1024).transform((file) => ({ file, mode: 'overlay' as const })),
  z.strictObject({
    file: z.string().min(1).max(1024),
    /** overlay: read after the adapter's configuration (may #undef from it); replace: instead of it. */
    mode: z.enum(['overlay', 'replace']).default('overlay'),
  }),
]);

export type PskInput = z.infer<typeof PskSchema>;
export type PkiInput = z.infer<typeof PkiSchema>;
export type PeerInput = z.infer<typeof PeerSchema>;
