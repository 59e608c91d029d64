/* Stand-in for the dtls_config.h that tinydtls' configure generates:
 * tinydtls.h (included by sha2.c) requires it and at least one cipher
 * family to be enabled. Without -DCERTCOST_DTLS only the crypto sources
 * are built; with it also the DTLS stack (dtls.c here, adapter.mk). */
#ifndef CERTCOST_DTLS_CONFIG_H
#define CERTCOST_DTLS_CONFIG_H
#define DTLS_ECC 1
#if defined(CERTCOST_DTLS) /* the DTLS client (dtls.c) */
#define DTLS_PSK 1
#define HAVE_ASSERT_H 1
#define HAVE_INTTYPES_H 1
/* With NDEBUG (adapter.mk) dtls_debug.c compiles its logging to no-ops;
 * HAVE_VPRINTF keeps dsrv_log a function, as tinydtls' CMake build has it. */
#define HAVE_VPRINTF 1
#define PACKAGE_NAME "tinydtls"
#define PACKAGE_VERSION "0.8.6" /* tinydtls' CMakeLists.txt */
#endif
#endif
