/* wolfSSL settings for the certcost firmware (WOLFSSL_USER_SETTINGS), for
 * every version the adapter builds (5.5.4, 5.7.2, 5.9.4): the same choices
 * for all, and where a version needs a different setting to get the same
 * behaviour, a test of LIBWOLFSSL_VERSION_HEX (wolfssl/version.h, a header
 * of two #defines) says so. The differences and why: docs/libraries.md.
 *
 * Sections: platform, time, RNG, math, algorithms, memory, then a
 * placeholder for the TLS/DTLS client that a later step fills in. The
 * SP assembly flavour (WOLFSSL_SP_ARM_CORTEX_M_ASM or
 * WOLFSSL_SP_ARM_THUMB_ASM) and the SP source file come from adapter.mk,
 * which knows the board's core. */
#ifndef CERTCOST_WOLFSSL_USER_SETTINGS_H
#define CERTCOST_WOLFSSL_USER_SETTINGS_H
#include <wolfssl/version.h>
#if defined(CERTCOST_USER_SETTINGS_REPLACE)
/* A scenario's own settings instead of all of these (build.config, mode
 * replace; adapter.mk). */
#include CERTCOST_USER_SETTINGS_REPLACE
#else

/* ---- platform: bare metal, one thread, no files, no OS ---- */
#define SINGLE_THREADED
#define NO_FILESYSTEM
#define NO_WRITEV
#define NO_MAIN_DRIVER
#define NO_DEV_RANDOM
#define NO_ERROR_STRINGS /* the harness prints the numeric code */
#define WOLFSSL_GENERAL_ALIGNMENT 4
#define SIZEOF_LONG_LONG 8
#define WOLFSSL_IGNORE_FILE_WARN /* misc.c is inlined, never built alone */
#define WOLFSSL_PUBLIC_MP        /* ops.c derives the RSA CRT values with mp_* */
/* newlib has these, but -std=c11 hides their declarations. */
#include <stddef.h>
int strcasecmp(const char *a, const char *b);
int strncasecmp(const char *a, const char *b, size_t n);
/* Crypto primitives only for now; drop this when the TLS/DTLS sources
 * (wolfSSL's src/ directory) are added below. */
#if !defined(CERTCOST_X509) && !defined(CERTCOST_DTLS) /* see "certificates" below */
#define WOLFCRYPT_ONLY
#endif

/* ---- time: the device's calendar clock ----
 * XTIME reads cc_time_unix() (glue.c): the clock the harness sets with the
 * core op set-time, 0 = no clock. Certificate and CRL dates are checked
 * against it. newlib provides time_t, struct tm, gmtime_r. */
#include <time.h>
extern time_t cc_wolfssl_time(time_t *t);
#define HAVE_TIME_T_TYPE
#define HAVE_TM_TYPE
#define HAVE_GMTIME_R
#define XTIME(t) cc_wolfssl_time(t)

/* ---- RNG: the harness-seeded deterministic stream ----
 * wc_RNG_GenerateBlock calls cc_wolfssl_rng_block (glue.c) directly, which
 * is cc_rng_fill: a seeded xoshiro128** so that counts repeat run after
 * run. DETERMINISTIC, NOT ENTROPY: no security claim. This also removes
 * the Hash-DRBG, so its SHA-256 cost is not in the ECDSA/RSA counts. */
extern int cc_wolfssl_rng_block(unsigned char *out, unsigned int sz);
#define CUSTOM_RAND_GENERATE_BLOCK cc_wolfssl_rng_block

/* ---- math: single-precision (SP) only ----
 * WOLFSSL_SP_MATH (not _ALL): only the key sizes SP implements, P-256 and
 * RSA-2048 here, which is all the ops need and the smallest code. Switch to
 * WOLFSSL_SP_MATH_ALL if certificates with other key sizes must verify. */
#define WOLFSSL_SP_MATH
#define WOLFSSL_HAVE_SP_ECC
#define WOLFSSL_HAVE_SP_RSA
#define WOLFSSL_SP_NO_3072 /* RSA-2048 only */
/* Not WOLFSSL_SP_SMALL: in 5.5.4 it still keeps the 17-point window table
 * for a variable-point multiplication, so it saves little RAM (~1 KiB at
 * the ECDSA verify peak) and ~20 KB of flash, which no board is short of,
 * while costing ~35% more instructions (M4 verify 3.16 M vs 2.33 M). */

/* ---- algorithms ---- */
/* ECC: P-256 only. */
#define HAVE_ECC
#define ECC_USER_CURVES /* only NIST P-256 (NO_ECC256 not set) */
#define ECC_TIMING_RESISTANT /* wolfSSL's hardening default */
#define USE_ECC_B_PARAM /* wc_ecc_point_is_on_curve, for the ECDH peer check */
/* RSA: PKCS#1 v1.5; no OAEP, no PSS. */
#define WC_RSA_BLINDING /* wolfSSL's hardening default (SP RSA is constant time) */
#define WC_NO_RSA_OAEP
/* Hashes: SHA-256, and SHA-1 (TLS and X.509 key ids will want it). The
 * rest is off. */
#define NO_MD4
#define NO_MD5
#define NO_RC4
#define NO_DES3
#define NO_DH
#define NO_DSA
#define NO_PWDBASED
#define NO_OLD_TLS

/* ---- memory ----
 * XMALLOC -> malloc/free (newlib's, wrapped by the firmware to measure the
 * heap peak). WOLFSSL_SMALL_STACK moves wolfSSL's and SP's big temporaries
 * (mp_ints, point tables, RSA buffers) from the stack to that heap.
 * Measured without it (Os, 2 vectors each): stack peaks of 7.5 KiB for
 * ECDSA verify, 6.6 KiB for ECDH and 11 KiB for RSA sign on the M4; on the
 * micro:bit (4 KiB stack) verify, sign, ECDH and RSA sign then overflow
 * the stack and lock the core up. With it, a too-big op fails its malloc
 * and reports CC_ERR_NOMEM. Same setting on every board so the counts
 * compare like for like (it costs ~300 instructions per malloc'd temporary,
 * e.g. SHA-256 of 64 B: 5,844 vs 5,554 on the M4). */
#define WOLFSSL_SMALL_STACK

/* ---- TLS / DTLS client (later) ----
 * To be added with the handshake work: remove WOLFCRYPT_ONLY above, then
 * e.g. WOLFSSL_DTLS, NO_WOLFSSL_SERVER, WOLFSSL_USER_IO, USER_TICKS,
 * WOLFSSL_STATIC_PSK, HAVE_AESCCM, HAVE_TLS_EXTENSIONS,
 * HAVE_SUPPORTED_CURVES, HAVE_CERTIFICATE_STATUS_REQUEST + HAVE_OCSP,
 * HAVE_CRL. (5.5.4: keep AES-CBC compiled with WOLFSSL_STATIC_PSK.) */

/* ---- certificates: CertManager, CRL, OCSP (x509.c) ----
 * Only in images built with -DCERTCOST_X509 (or -DCERTCOST_DTLS): the
 * CertManager lives in wolfSSL's SSL layer (src/), so WOLFCRYPT_ONLY is off
 * there; the primitive-op image stays wolfCrypt only. Chain verification
 * is wolfSSL_CertManagerVerifyBuffer, CRLs wolfSSL_CertManagerLoadCRLBuffer
 * (parse + signature check at load), OCSP wolfSSL_CertManagerCheckOCSP with
 * the request/response carried by our I/O callback over the link. */
#if defined(CERTCOST_X509) || defined(CERTCOST_DTLS)
#define WOLFSSL_USER_IO       /* no sockets: our callbacks */
#if LIBWOLFSSL_VERSION_HEX >= 0x05009000
/* 5.9 includes the BSD socket headers even with WOLFSSL_USER_IO (wolfio.h);
 * newlib has none. */
#define WOLFSSL_NO_SOCK
#endif
#define NO_WOLFSSL_SERVER     /* a client device */
#if !defined(CERTCOST_DTLS)
#define NO_SESSION_CACHE      /* not needed for certificates; saves static RAM */
#else
#define SMALL_SESSION_CACHE   /* the DTLS client's RESUME keeps its session */
#endif
#define USER_TICKS            /* LowResTimer() in glue.c */
#define HAVE_CRL
#define HAVE_OCSP
#define HAVE_TLS_EXTENSIONS
#define HAVE_CERTIFICATE_STATUS_REQUEST
#define HAVE_CERTIFICATE_STATUS_REQUEST_V2
#define HAVE_SUPPORTED_CURVES
#endif /* CERTCOST_X509 || CERTCOST_DTLS */

/* ---- DTLS client (dtls.c, op dtls-client): -DCERTCOST_DTLS only ----
 * DTLS 1.2 client, PSK and ECDHE-ECDSA with AES-128 CCM-8 / GCM, pinning
 * (trusted peer certificate), OCSP stapling (status_request and _v2, from
 * the block above), session tickets. 5.5.4 does not compile
 * WOLFSSL_STATIC_PSK with NO_AES_CBC (keys.c), nor do 5.7.2 and 5.9.4
 * (tried): CBC stays compiled and the op offers only the suites it is
 * given. */
#if defined(CERTCOST_DTLS)
#define WOLFSSL_DTLS
#define WOLFSSL_DTLS_MTU          /* the op's MTU input */
#define WOLFSSL_STATIC_PSK
#define HAVE_AESCCM
#define HAVE_AESGCM
#define GCM_SMALL                 /* no 4 KiB GCM table per key */
#define HAVE_EXTENDED_MASTER
#define HAVE_SESSION_TICKET
#define WOLFSSL_TRUST_PEER_CERT   /* PINNED */
#endif /* CERTCOST_DTLS */

/* ---- DTLS 1.3 (RFC 9147) in the same client: -DCERTCOST_DTLS13 too ----
 * A separate image (the dtls13-* ops ask for it), so the DTLS 1.2 images
 * stay 1.2-only clients and their flash and counts are not inflated by a
 * protocol they do not use. TLS 1.3's key schedule needs HKDF, and its
 * signature algorithms RSA-PSS when RSA is on; wolfSSL turns on AES
 * direct (record number encryption) and 64-bit counters itself. */
#if defined(CERTCOST_DTLS13)
#if !defined(CERTCOST_DTLS)
#error "CERTCOST_DTLS13 needs CERTCOST_DTLS"
#endif
#define WOLFSSL_TLS13
#define WOLFSSL_DTLS13
#define HAVE_HKDF
#define WC_RSA_PSS
#define WOLFSSL_32BIT_MILLI_TIME /* TimeNowInMilliseconds() in glue.c */
/* Despite the name, also what makes a 5.5.4 client parse and echo the
 * cookie of a HelloRetryRequest (tls.c): without it the second ClientHello
 * has no cookie and a stateless DTLS 1.3 server rejects its PSK binder. */
#define WOLFSSL_SEND_HRR_COOKIE
#endif /* CERTCOST_DTLS13 */

/* A scenario's own settings on top of these (build.config, mode overlay):
 * last, so that it can #undef what it does not want. */
#if defined(CERTCOST_USER_SETTINGS)
#include CERTCOST_USER_SETTINGS
#endif
#endif /* CERTCOST_USER_SETTINGS_REPLACE */

#endif
