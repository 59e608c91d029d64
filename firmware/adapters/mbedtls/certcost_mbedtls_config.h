/* mbedTLS 2.28.3 configuration for the certcost device images: only what
 * the ops in docs/ops.md need (P-256 ECDSA/ECDH, SHA-256, RSA-2048
 * PKCS#1 v1.5, and a DTLS 1.2 client with PSK and ECDHE-ECDSA). The same configuration is used on every board, so counts
 * differ only by core. Selected with
 *   -DMBEDTLS_CONFIG_FILE='"certcost_mbedtls_config.h"'
 * (firmware/adapters/mbedtls/adapter.mk). */
#ifndef CERTCOST_MBEDTLS_CONFIG_H
#define CERTCOST_MBEDTLS_CONFIG_H

/* ---- system ---- */
/* Inline asm for bignum multiply-accumulate (bn_mul.h): Thumb-1 on M0,
 * UMLAL on M3, UMAAL on M4/M7/M33. See adapter.mk for the r7 caveat. */
#define MBEDTLS_HAVE_ASM
/* No MBEDTLS_HAVE_TIME / HAVE_TIME_DATE, no FS_IO, no NET_C, no entropy,
 * no DRBG: randomness comes from the harness-seeded cc_rng_cb, passed as
 * f_rng wherever the library asks for one. */

/* ---- platform ---- */
/* Heap through plain calloc/free (newlib), called directly (no function
 * pointers): the firmware wraps malloc/free/calloc/realloc at link time to
 * record each op's heap peak. */
#define MBEDTLS_PLATFORM_C
#define MBEDTLS_PLATFORM_MEMORY
#define MBEDTLS_PLATFORM_CALLOC_MACRO calloc
#define MBEDTLS_PLATFORM_FREE_MACRO free

/* ---- bignum ---- */
#define MBEDTLS_BIGNUM_C
/* MBEDTLS_MPI_WINDOW_SIZE: library default (2) for RSA exponentiation. A
 * larger window speeds up the CRT private exponentiations a little but
 * costs 2^w MPI slots (a 1024-bit half is ~130 B each) of heap. */

/* ---- elliptic curves ---- */
#define MBEDTLS_ECP_C
#define MBEDTLS_ECP_DP_SECP256R1_ENABLED
#define MBEDTLS_ECP_NIST_OPTIM  /* fast reduction mod p256 */
/* Comb window for scalar multiplication: 4, the library default. For a
 * 256-bit curve ecp_pick_window_size never picks more than 4 unless the
 * fixed-point optimisation is on, so larger values change nothing. Measured
 * (M4 / M0 instructions, heap peak of ECDSA verify): w=4 24.7 M / 43.2 M,
 * 2.4 KB; w=3 25.9 M / 45.3 M, 1.5 KB; w=2 29.1 M / 50.8 M, 1.6 KB. w=4
 * fits the micro:bit (16 KiB RAM: 4 KiB stack, ~7.9 KiB heap after the
 * core's buffers) with room to spare, so every board uses the same value. */
#ifndef MBEDTLS_ECP_WINDOW_SIZE /* overridable from EXTRA_CFLAGS for experiments */
#define MBEDTLS_ECP_WINDOW_SIZE 4
#endif
/* No fixed-point optimisation: it widens the window by one for the
 * generator (up to MBEDTLS_ECP_WINDOW_SIZE) and caches that table in the
 * group. Each op loads a fresh group, so the cache is never reused.
 * Measured on M4: with window 4 it costs +0.8 KB heap in verify for the
 * same count; with window 6 (so w=5 for G) verify is 1% slower and needs
 * 4.0 KB heap. */
#ifndef MBEDTLS_ECP_FIXED_POINT_OPTIM
#define MBEDTLS_ECP_FIXED_POINT_OPTIM 0
#endif
/* Verification has no RNG (public data, no blinding needed); sign, keygen
 * and ECDH are always given cc_rng_cb. Without this option the library
 * would need an HMAC/CTR-DRBG for its internal blinding RNG. */
#define MBEDTLS_ECP_NO_INTERNAL_RNG
#define MBEDTLS_ECDSA_C
#define MBEDTLS_ECDH_C
#define MBEDTLS_ASN1_PARSE_C /* required by ECDSA_C (DER signatures, unused here) */
#define MBEDTLS_ASN1_WRITE_C

/* ---- hashes ---- */
/* Default (unrolled) SHA-256, not MBEDTLS_SHA256_SMALLER: it is the
 * library's out-of-the-box implementation. SMALLER saves 1.4 KB of flash
 * on M4 but hashes 1 KiB in 64.6 k instead of 45.6 k instructions. */
#define MBEDTLS_SHA256_C
#define MBEDTLS_MD_C  /* RSA PKCS#1 v1.5 looks up the digest's OID and size */
#define MBEDTLS_OID_C

/* ---- RSA ---- */
#define MBEDTLS_RSA_C
#define MBEDTLS_PKCS1_V15

/* ---- DTLS 1.2 client (op dtls-client, dtls.c) ----
 * Built only with -DCERTCOST_DTLS (scenario build.cflags). Nothing below
 * changes the code the primitive ops compile to, but the SSL modules add
 * ~100 B of static RAM, which shrinks newlib's heap arena; on boards whose
 * arena an op churns through (an385, micro:bit) that changes how far
 * newlib's first-fit walks its free list, and so the primitive ops'
 * counts (+29 k instructions in an385 ecdsa-verify, all in _malloc_r and
 * _free_r). Gating keeps the primitive-op image, its counts and its flash
 * figure exactly as they were. */
#if defined(CERTCOST_DTLS)
#include "certcost_mbedtls_dtls.h"
#endif /* CERTCOST_DTLS */

/* ---- certificates (x509.c): -DCERTCOST_X509 only, for the same reason
 * as the DTLS block; the options are in certcost_mbedtls_x509.h. */
#if defined(CERTCOST_X509)
#include "certcost_mbedtls_x509.h"
#endif /* CERTCOST_X509 */

/* A scenario's own configuration on top (build.config, mode overlay):
 * mbedTLS 3.x's build_info.h includes MBEDTLS_USER_CONFIG_FILE itself; a
 * 2.28 config.h does so at its end, which this file stands in for. */
#if defined(MBEDTLS_USER_CONFIG_FILE)
#include MBEDTLS_USER_CONFIG_FILE
#endif

#include "mbedtls/check_config.h"
#endif
