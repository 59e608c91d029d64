/* The certificate options (x509.c: x509-parse, x509-verify-chain with
 * CRLs), shared by the mbedTLS 2.28 and 3.6 configurations, which include
 * it under -DCERTCOST_X509; the names are the same in both versions.
 * Dates ARE checked: HAVE_TIME_DATE, with the library's clock set to the
 * core's calendar clock (set-time, 0 = no clock) through
 * PLATFORM_TIME_ALT; without TIME_ALT newlib's time() returns -1 and every
 * certificate would look not yet valid. With -DCERTCOST_DTLS as well, the
 * DTLS client checks dates too (its own hook in dtls.c). */
#ifndef CERTCOST_MBEDTLS_X509_H
#define CERTCOST_MBEDTLS_X509_H
#if !defined(CERTCOST_X509_NO_DATES) /* experiment: the library as built without a clock */
#define MBEDTLS_HAVE_TIME
#define MBEDTLS_HAVE_TIME_DATE
#define MBEDTLS_PLATFORM_TIME_ALT
#endif
#define MBEDTLS_PK_C
#define MBEDTLS_PK_PARSE_C
#define MBEDTLS_X509_USE_C
#define MBEDTLS_X509_CRT_PARSE_C
#define MBEDTLS_X509_CRL_PARSE_C
#define MBEDTLS_X509_CHECK_KEY_USAGE
#define MBEDTLS_X509_CHECK_EXTENDED_KEY_USAGE
#endif
