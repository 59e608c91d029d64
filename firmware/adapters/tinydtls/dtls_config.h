/* Stand-in for the dtls_config.h that tinydtls' configure generates:
 * tinydtls.h (included by sha2.c) requires it and at least one cipher
 * family to be enabled. Only the crypto sources are built. */
#ifndef CERTCOST_DTLS_CONFIG_H
#define CERTCOST_DTLS_CONFIG_H
#define DTLS_ECC 1
#endif
