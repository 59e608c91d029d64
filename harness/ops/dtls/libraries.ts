// What each library's DTLS client can do, and how it packs its flights into
// datagrams (the byte model's client packing). A library without an entry
// here has no dtls-client: its DTLS records are \`unsupported\`.
import type { Packing } from '../../dtls/model.js';
import { DATAGRAM_MTU } from './link.js';

/** What each library's client can do, and how it packs its flights into datagrams (the model's client packing). */
export interface DtlsLibrary {
  packing: Packing;
  /** X.509 certificates; raw public keys (RFC 7250). */
  x509: boolean;
  rpk: boolean;
  /** What its dtls-client answers CC_ERR_UNSUPPORTED for, said in the record. */
  limits: string;
}
export const LIBRARIES: Record<string, DtlsLibrary> = {
  // mbedTLS (2.28 and 3.6) packs a flight's records into datagrams up to the MTU.
  mbedtls: { packing: { mtu: DATAGRAM_MTU, mode: 'fill' }, x509: true, rpk: false, limits: 'mbedTLS: no raw public keys (RFC 7250), no OCSP stapling' },
  // The same client, with the p256-m driver doing the ECC through PSA.
  'mbedtls-p256m': { packing: { mtu: DATAGRAM_MTU, mode: 'fill' }, x509: true, rpk: false, limits: 'mbedTLS with p256-m: no raw public keys (RFC 7250), no OCSP stapling' },
  // wolfSSL sends every handshake message in a datagram of its own, but
  // ChangeCipherSpec together with the Finished after it (measured).
  wolfssl: { packing: { mtu: DATAGRAM_MTU, mode: 'ccs-with-finished' }, x509: true, rpk: false, limits: 'wolfSSL: no raw public keys (RFC 7250) in this build' },
  // tinydtls sends every record in a datagram of its own (one per
  // dtls_send_multi) and never fragments.
  tinydtls: { packing: { mtu: DATAGRAM_MTU, mode: 'datagram-per-record' }, x509: false, rpk: true, limits: 'tinydtls: PSK and ECDHE-ECDSA with AES-128-CCM(_8) only, raw public keys only (no X.509), no resumption or session tickets' },
};

