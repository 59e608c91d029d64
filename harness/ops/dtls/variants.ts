// The DTLS handshake variants (op ids dtls-*, docs/handshakes.md): what each
// one asks of the device and the server (key exchange, suite, PKI depth, what
// the server sends and the device trusts, resumption, tickets, DTLS 1.3).
// Data only: peers.ts sets the peer up, measure*.ts run it, record.ts files it.
import type { KeyExchange } from '../../dtls/handshake.js';
import type { Variant } from '../../dtls/model.js';

export const SUITE = { PSK_CCM8: 0xc0a8, PSK_GCM: 0x00a8, ECDHE_ECDSA_CCM8: 0xc0ae, TLS13_AES_128_CCM_8: 0x1305, TLS13_AES_128_GCM: 0x1301 } as const;
/** The image of the DTLS 1.3 variants: wolfSSL's client with DTLS 1.3 compiled in (user_settings.h). */
export const DTLS13_CFLAGS = ['-DCERTCOST_DTLS', '-DCERTCOST_DTLS13'];
/** The DTLS 1.2 variants' image: the library's DTLS client compiled in. */
export const DTLS12_CFLAGS = ['-DCERTCOST_DTLS'];

export interface HandshakeVariant {
  id: string;
  summary: string;
  model: Variant;
  kx: KeyExchange;
  suite: number;
  /** CA depth of the PKI (1: the root signs the leaves). */
  depth: 1 | 2 | 3;
  /** What the server authenticates with: a PSK, which certificates it sends, or its raw public key. */
  server: 'psk' | 'self-signed' | 'chain' | 'leaf' | 'rpk';
  /** What the device trusts: the pinned self-signed certificate or raw public key, the root, or root and intermediates. */
  trust?: 'pinned' | 'root' | 'root+intermediates';
  mutual?: boolean;
  resume?: boolean;
  tickets?: boolean;
  /** The variant asks for a handshake without the HelloVerifyRequest round trip. */
  noCookie?: boolean;
  /** DTLS 1.3 (RFC 9147); dhe: P-256 key shares (PSK: psk_dhe_ke rather than psk_ke; always with certificates). */
  dtls13?: { dhe: boolean };
  notes: string[];
}


const psk = (id: string, summary: string, suite: number, extra: Partial<HandshakeVariant> = {}): HandshakeVariant => ({
  id, summary, model: 'psk', kx: 'psk', suite, depth: 1, server: 'psk', notes: [], ...extra,
});
const ecdsa = (id: string, summary: string, extra: Partial<HandshakeVariant>): HandshakeVariant => ({
  id, summary, model: 'ecdhe-ecdsa', kx: 'ecdhe_ecdsa', suite: SUITE.ECDHE_ECDSA_CCM8, depth: 1, server: 'chain', trust: 'root', notes: [], ...extra,
});

export const HANDSHAKE_VARIANTS: HandshakeVariant[] = [
  psk('dtls-psk-ccm8', 'DTLS 1.2 handshake, TLS_PSK_WITH_AES_128_CCM_8 (RFC 7925 mandatory suite)', SUITE.PSK_CCM8),
  psk('dtls-psk-gcm', 'DTLS 1.2 handshake, TLS_PSK_WITH_AES_128_GCM_SHA256', SUITE.PSK_GCM),
  psk('dtls-psk-ccm8-resume', 'abbreviated DTLS 1.2 handshake resuming a PSK-CCM8 session by session ID (counted alone)', SUITE.PSK_CCM8, {
    model: 'resumption', resume: true,
    notes: ['A full handshake runs first on connection 0, uncounted; only the abbreviated handshake on connection 1 (session ID from the server\'s session cache) is counted and modeled.'],
  }),
  psk('dtls-psk-ccm8-ticket', 'PSK-CCM8 full handshake with a session ticket issued (RFC 5077, OpenSSL\'s default)', SUITE.PSK_CCM8, {
    tickets: true,
    notes: ['The device offers an empty session_ticket extension; the server adds a NewSessionTicket to its last flight.'],
  }),
  psk('dtls-psk-ccm8-ticket-resume', 'abbreviated PSK-CCM8 handshake resuming by session ticket (counted alone)', SUITE.PSK_CCM8, {
    model: 'resumption', resume: true, tickets: true,
    notes: ['Connection 0 (uncounted) obtains a ticket; connection 1 presents it in its ClientHello and is counted.'],
  }),
  psk('dtls-psk-ccm8-no-cookie', 'PSK-CCM8 without the HelloVerifyRequest cookie round trip', SUITE.PSK_CCM8, { noCookie: true }),
  psk('dtls-v13-psk-ccm8', 'DTLS 1.3 handshake (RFC 9147), external PSK with psk_ke (no ECDHE), TLS_AES_128_CCM_8_SHA256; peer: wolfSSL host build', SUITE.TLS13_AES_128_CCM_8, {
    dtls13: { dhe: false },
    notes: [
      'DTLS 1.3 with a PSK and no (EC)DHE, the like of the DTLS 1.2 PSK handshake. Peer: wolfSSL 5.5.4\'s examples/server built for the host (OpenSSL 3.0 has no DTLS 1.3; the device\'s client is the version the record names), with its own PSK identity and key (wolfssl/test.h).',
      'The server answers the first ClientHello with a HelloRetryRequest carrying a cookie (stateless, as RFC 9147 5.1 recommends), acknowledges the client\'s Finished with an ACK record, and all but the hellos travel encrypted under the unified header.',
    ],
  }),
  psk('dtls-v13-psk-gcm', 'DTLS 1.3 handshake, external PSK with psk_ke, TLS_AES_128_GCM_SHA256; peer: wolfSSL host build', SUITE.TLS13_AES_128_GCM, {
    dtls13: { dhe: false },
    notes: ['As dtls-v13-psk-ccm8 with AES-128-GCM (16 B tags). With GCM wolfSSL\'s DTLS 1.3 client also sends its application data after the handshake; with CCM_8 it fails to (BUILD_MSG_ERROR in 5.5.4, docs/handshakes.md), and the device then waits out one receive timeout for the peer\'s close_notify (about 4 s of wall time with 5.9.4). Neither is in the counted handshake.'],
  }),
  psk('dtls-v13-psk-ccm8-no-cookie', 'DTLS 1.3 PSK (psk_ke) handshake without the HelloRetryRequest cookie round trip (server -J n)', SUITE.TLS13_AES_128_CCM_8, {
    dtls13: { dhe: false }, noCookie: true,
    notes: ['The wolfSSL server told not to send a cookie (examples/server -J n): it answers the first ClientHello directly. Compare with dtls-v13-psk-ccm8 for what the return-routability check costs; unlike OpenSSL\'s DTLS 1.2 server, this peer can turn it off.'],
  }),
  psk('dtls-v13-psk-ecdhe-ccm8', 'DTLS 1.3 handshake, PSK with psk_dhe_ke (ECDHE P-256 + PSK: forward secrecy), TLS_AES_128_CCM_8_SHA256; peer: wolfSSL host build', SUITE.TLS13_AES_128_CCM_8, {
    dtls13: { dhe: true },
    notes: ['As dtls-v13-psk-ccm8, with an ECDHE P-256 key exchange on top of the PSK: the price of forward secrecy in device instructions and in key-share bytes.'],
  }),
  ecdsa('dtls-v13-ecdhe-ecdsa-selfsigned', 'DTLS 1.3, ECDHE P-256 + ECDSA, self-signed P-256 server certificate pinned by the device, TLS_AES_128_CCM_8_SHA256; peer: wolfSSL host build', {
    suite: SUITE.TLS13_AES_128_CCM_8, server: 'self-signed', trust: 'pinned', dtls13: { dhe: true },
    notes: ['The DTLS 1.3 counterpart of dtls-ecdhe-ecdsa-selfsigned: the server\'s Certificate and CertificateVerify travel encrypted (TLS 1.3 layout: 2 B of extensions per certificate, a context byte), there is no ServerKeyExchange/ClientKeyExchange, and the key shares ride in the hellos. Peer: wolfSSL\'s examples/server (host build) with the test PKI\'s self-signed certificate, not asking for the client\'s.'],
  }),
  ecdsa('dtls-v13-ecdhe-ecdsa-chain2', 'DTLS 1.3, ECDHE-ECDSA, CA depth 2: server sends leaf + intermediate, device trusts the root; peer: wolfSSL host build', {
    suite: SUITE.TLS13_AES_128_CCM_8, depth: 2, dtls13: { dhe: true },
    notes: ['The DTLS 1.3 counterpart of dtls-ecdhe-ecdsa-chain2.'],
  }),
  ecdsa('dtls-ecdhe-ecdsa-selfsigned', 'ECDHE-ECDSA-AES128-CCM8, self-signed P-256 server certificate pinned by the device', {
    server: 'self-signed', trust: 'pinned',
    notes: ['PINNED: the device trusts exactly the server\'s self-signed certificate (trust input); mbedTLS accepts it as a locally trusted end entity without checking its own signature.'],
  }),
  ecdsa('dtls-ecdhe-ecdsa-chain2', 'ECDHE-ECDSA-AES128-CCM8, CA depth 2: server sends leaf + intermediate, device trusts the root', { depth: 2 }),
  ecdsa('dtls-ecdhe-ecdsa-chain3', 'ECDHE-ECDSA-AES128-CCM8, CA depth 3: server sends leaf + 2 intermediates, device trusts the root', { depth: 3 }),
  ecdsa('dtls-ecdhe-ecdsa-chain3-leaf', 'ECDHE-ECDSA-AES128-CCM8, CA depth 3: server sends its leaf only, device holds root + intermediates', {
    depth: 3, server: 'leaf', trust: 'root+intermediates',
    notes: ['The server sends only its leaf, so the device must already hold both intermediates: they go in its trust input with the root. mbedTLS treats every configured CA as a trust anchor and stops at the issuing intermediate: one certificate signature checked instead of three, fewer bytes and fewer instructions.'],
  }),
  ecdsa('dtls-ecdhe-ecdsa-mutual', 'ECDHE-ECDSA-AES128-CCM8, mutual authentication: device presents its P-256 certificate + intermediate', {
    model: 'ecdhe-ecdsa-mutual', depth: 2, mutual: true,
    notes: ['Server: -Verify 1 with the CA bundle (no CA names in CertificateRequest); device: chain of depth 2 (leaf + intermediate), ECDSA CertificateVerify signed on the device.'],
  }),
  ecdsa('dtls-ecdhe-ecdsa-rpk', 'ECDHE-ECDSA-AES128-CCM8 with raw public keys (RFC 7250) both ways: each side sends its SubjectPublicKeyInfo, the device pins the server\'s', {
    model: 'ecdhe-ecdsa-mutual', server: 'rpk', trust: 'pinned', mutual: true,
    notes: [
      'Peer: tinydtls\' own example server (tests/dtls-server.c), built for the host from the same source as the device\'s tinydtls, with the example\'s fixed P-256 key; OpenSSL 3.0 has no raw public keys. The device pins that key (trust input 04 || X || Y).',
      'The example server always sends a CertificateRequest, so the device authenticates too: its raw public key (the test PKI\'s device key) and an ECDSA CertificateVerify. Compare with dtls-ecdhe-ecdsa-mutual.',
    ],
  }),
];
