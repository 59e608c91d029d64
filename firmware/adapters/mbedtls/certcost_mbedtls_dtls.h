/* The DTLS 1.2 client's options (op dtls-client, dtls.c), shared by the
 * mbedTLS 2.28 and 3.6 configurations, which include it under
 * -DCERTCOST_DTLS; the names are the same in both versions. */
#ifndef CERTCOST_MBEDTLS_DTLS_H
#define CERTCOST_MBEDTLS_DTLS_H
#define MBEDTLS_SSL_TLS_C
#define MBEDTLS_SSL_CLI_C
#define MBEDTLS_SSL_PROTO_TLS1_2
#define MBEDTLS_SSL_PROTO_DTLS
#define MBEDTLS_SSL_DTLS_HELLO_VERIFY   /* answer the peer's cookie request */
#define MBEDTLS_SSL_DTLS_ANTI_REPLAY    /* record replay window, RFC 6347 4.1.2.6 */
/* The library's defaults that OpenSSL also speaks: extended master secret
 * (RFC 7627, RFC 7925 section 16 recommends it) and session tickets (off
 * at run time unless the op asks; compiled so the ticket variant exists). */
#define MBEDTLS_SSL_EXTENDED_MASTER_SECRET
#define MBEDTLS_SSL_SESSION_TICKETS
#define MBEDTLS_SSL_ALL_ALERT_MESSAGES
/* Peer certificate kept with the session (library default): the resumed
 * handshake can then report the original verify result. */
#define MBEDTLS_SSL_KEEP_PEER_CERTIFICATE
/* Not compiled: renegotiation, SNI, ALPN, max fragment length, CID,
 * encrypt-then-MAC (CBC only), CBC itself. */
#define MBEDTLS_KEY_EXCHANGE_PSK_ENABLED
#define MBEDTLS_KEY_EXCHANGE_ECDHE_ECDSA_ENABLED

/* Record sizes. IN must hold the largest handshake message the server
 * sends, after reassembly (mbedTLS copies a reassembled message back into
 * the input buffer and silently drops one that does not fit, so the
 * handshake would time out): the Certificate message. Measured with the
 * harness PKI: chain of 3 P-256 certificates 1,471 B, plus the root
 * 1,896 B, with an RSA-2048 root sent along 2,485 B; 3072 leaves ~20%
 * margin over the largest. OUT must hold the client's own Certificate:
 * a 3-certificate P-256 device chain is ~1.4 KB. Each byte here is a byte
 * of heap for the whole connection (+45 B per buffer of header/IV/tag:
 * no CBC, so no MAC or padding room). Overridable for experiments (the
 * micro:bit fits a PSK handshake with IN=1024, OUT=768). */
#ifndef MBEDTLS_SSL_IN_CONTENT_LEN
#define MBEDTLS_SSL_IN_CONTENT_LEN 3072
#endif
#ifndef MBEDTLS_SSL_OUT_CONTENT_LEN
#define MBEDTLS_SSL_OUT_CONTENT_LEN 2048
#endif

/* Ciphers: AES-128 in CCM (CCM_8 suites) and GCM. ROM tables: the AES
 * tables are const data in flash instead of ~8.5 KB of RAM generated on
 * first use (which would also put a one-off table build into whichever
 * handshake came first). FEWER_TABLES: one table per direction, rotated at
 * run time. Measured: 6.2 KB less flash; a PSK-CCM8 handshake counts
 * 0.15% fewer instructions on M3/M4 (the rotation is free in a Thumb-2
 * operand) and 0.1% more on M0. */
#define MBEDTLS_CIPHER_C
#define MBEDTLS_AES_C
#define MBEDTLS_AES_ROM_TABLES
#define MBEDTLS_AES_FEWER_TABLES
#define MBEDTLS_CCM_C
#define MBEDTLS_GCM_C

/* X.509: parse and verify the server's chain, parse the device's own
 * certificate; keys through the pk layer. Certificate dates are NOT
 * checked: no MBEDTLS_HAVE_TIME_DATE yet (see the time hook in dtls.c). */
#define MBEDTLS_PK_C
#define MBEDTLS_PK_PARSE_C
#define MBEDTLS_X509_USE_C
#define MBEDTLS_X509_CRT_PARSE_C
#define MBEDTLS_X509_CHECK_KEY_USAGE
#define MBEDTLS_X509_CHECK_EXTENDED_KEY_USAGE

#endif /* CERTCOST_MBEDTLS_DTLS_H */
