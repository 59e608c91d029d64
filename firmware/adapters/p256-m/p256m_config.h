/* The mbedTLS configuration p256-m's source needs when built alone
 * (adapters/p256-m): only the switch that compiles it. No mbedTLS module is
 * enabled; p256-m.c includes mbedtls/platform_util.h (zeroize) and
 * psa/crypto.h (psa_generate_random, supplied by ops.c). */
#ifndef CERTCOST_P256M_CONFIG_H
#define CERTCOST_P256M_CONFIG_H
#define MBEDTLS_PSA_P256M_DRIVER_ENABLED
#endif
