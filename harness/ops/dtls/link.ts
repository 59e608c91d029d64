// The link every handshake runs over: loopback UDP with a 1,400 B MTU, and
// the device's retransmission timers.
import { OPENSSL_DTLS } from '../../dtls/openssl-peer.js';

/** Link MTU of every handshake: OpenSSL -mtu 1400 sends datagrams of up to 1,372 B (1400 - IPv4/UDP). */
export const LINK_MTU = 1400;
export const DATAGRAM_MTU = LINK_MTU - OPENSSL_DTLS.ipv4UdpOverhead;
/** Initial/maximum retransmission timeout: 4 s, not RFC 6347's 1 s, so a busy host never triggers one. */
export const TIMEOUTS: [number, number] = [4000, 32000];
