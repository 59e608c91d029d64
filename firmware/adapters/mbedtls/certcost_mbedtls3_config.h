/* mbedTLS 3.6 configuration for the certcost device images: the same
 * choices as certcost_mbedtls_config.h (the 2.28 configuration; its
 * comments give the measurements behind them), in 3.x's option names, and
 * a second ECC back-end:
 *  - default: the built-in ECP/ECDSA/ECDH modules, called through the
 *    legacy APIs as with 2.28 (no PSA at all);
 *  - -DCERTCOST_MBEDTLS_P256M (library id mbedtls-p256m): P-256 through
 *    PSA with the p256-m driver (MBEDTLS_PSA_P256M_DRIVER_ENABLED) and no
 *    built-in ECC; PK, X.509 and TLS use PSA (MBEDTLS_USE_PSA_CRYPTO), and
 *    the mechanisms are chosen with PSA_WANT_ macros
 *    (certcost_psa_config.h), the way mbedTLS's driver-only builds are
 *    configured (docs/driver-only-builds.md in its source).
 * What changed against 2.28 and why: docs/libraries.md.
 * Selected with -DMBEDTLS_CONFIG_FILE='"certcost_mbedtls3_config.h"'
 * (firmware/adapters/mbedtls/adapter.mk). Since 3.0 the library includes
 * check_config.h itself (build_info.h); including it here is an error. */
#ifndef CERTCOST_MBEDTLS3_CONFIG_H
#define CERTCOST_MBEDTLS3_CONFIG_H

/* ---- system ---- */
#define MBEDTLS_HAVE_ASM /* bn_mul.h: UMAAL on M4/M7/M33, see adapter.mk */

/* ---- platform: calloc/free called directly (the firmware wraps them) ---- */
#define MBEDTLS_PLATFORM_C
#define MBEDTLS_PLATFORM_MEMORY
#define MBEDTLS_PLATFORM_CALLOC_MACRO calloc
#define MBEDTLS_PLATFORM_FREE_MACRO free

/* ---- bignum (RSA; the built-in ECC) ---- */
#define MBEDTLS_BIGNUM_C

/* ---- elliptic curves ---- */
#if !defined(CERTCOST_MBEDTLS_P256M)
#define MBEDTLS_ECP_C
#define MBEDTLS_ECP_DP_SECP256R1_ENABLED
#define MBEDTLS_ECP_NIST_OPTIM
#ifndef MBEDTLS_ECP_WINDOW_SIZE
#define MBEDTLS_ECP_WINDOW_SIZE 4
#endif
#ifndef MBEDTLS_ECP_FIXED_POINT_OPTIM
#define MBEDTLS_ECP_FIXED_POINT_OPTIM 0
#endif
/* 3.0 dropped MBEDTLS_ECP_NO_INTERNAL_RNG and the internal blinding RNG:
 * verification needs no RNG, sign/keygen/ECDH are given cc_rng_cb. */
#define MBEDTLS_ECDSA_C
#define MBEDTLS_ECDH_C
#endif
#define MBEDTLS_ASN1_PARSE_C
#define MBEDTLS_ASN1_WRITE_C

/* ---- hashes ---- */
#define MBEDTLS_SHA256_C /* 3.x: SHA-224 is a separate option, off */
#define MBEDTLS_MD_C
#define MBEDTLS_OID_C

/* ---- RSA ---- */
#define MBEDTLS_RSA_C
#define MBEDTLS_PKCS1_V15

/* ---- PSA with the p256-m driver (mbedtls-p256m) ----
 * The PSA RNG is the harness-seeded deterministic cc_rng_fill
 * (mbedtls_psa_external_get_random in ops.c): repeatable, not entropy.
 * Key slots: 4 volatile slots instead of 32 (~40 B each); a primitive op
 * holds one key, a DTLS handshake a few at a time (ECDHE key, peer key
 * while verifying, record keys), and the micro:bit's RAM does not link
 * with 8. */
#if defined(CERTCOST_MBEDTLS_P256M)
#define MBEDTLS_PSA_CRYPTO_C
#define MBEDTLS_PSA_CRYPTO_CONFIG
#define MBEDTLS_PSA_CRYPTO_CONFIG_FILE "certcost_psa_config.h"
#define MBEDTLS_USE_PSA_CRYPTO
#define MBEDTLS_PSA_P256M_DRIVER_ENABLED
#define MBEDTLS_PSA_CRYPTO_EXTERNAL_RNG
#ifndef MBEDTLS_PSA_KEY_SLOT_COUNT
#define MBEDTLS_PSA_KEY_SLOT_COUNT 4
#endif
#endif

/* ---- DTLS 1.2 client (op dtls-client, dtls.c): -DCERTCOST_DTLS only ----
 * As in 2.28. 3.x names: TLS 1.2 is MBEDTLS_SSL_PROTO_TLS1_2 (1.0/1.1
 * are gone), extended master secret and the other extensions as before.
 * Off here although 3.6 turns them on by default: DTLS connection IDs,
 * encrypt-then-MAC (CBC only), renegotiation, TLS 1.3 (not a DTLS
 * protocol in 3.6), SNI, ALPN, max fragment length. */
#if defined(CERTCOST_DTLS)
#include "certcost_mbedtls_dtls.h" /* as in 2.28 */
#if defined(CERTCOST_MBEDTLS_P256M)
/* Workaround for a 3.6.6 gap in driver-only ECC builds: the TLS 1.2
 * client writes its supported_groups extension only when this internal
 * macro is set, and config_adjust_ssl.h sets it only when the built-in
 * ECDH_C or ECDSA_C is compiled. Without it the ClientHello offers
 * ECDHE-ECDSA with no supported_groups and OpenSSL 3.0 answers "no shared
 * cipher". The macro gates nothing else (ssl_client.c only). */
#define MBEDTLS_SSL_TLS1_2_SOME_ECC
#endif
#endif /* CERTCOST_DTLS */

/* ---- certificates (x509.c): -DCERTCOST_X509 only ----
 * Dates checked against the set-time clock, as with 2.28. 3.x also asks
 * for a millisecond clock when MBEDTLS_HAVE_TIME is on (mbedtls_ms_time,
 * used by the TLS layer): MBEDTLS_PLATFORM_MS_TIME_ALT, the virtual link
 * clock (dtls.c / x509.c). */
#if defined(CERTCOST_X509)
#include "certcost_mbedtls_x509.h" /* as in 2.28 */
#if !defined(CERTCOST_X509_NO_DATES)
#define MBEDTLS_PLATFORM_MS_TIME_ALT
#endif
#endif /* CERTCOST_X509 */

#endif
