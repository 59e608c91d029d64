/* Example: a deployment's own mbedTLS settings, read after certcost's
 * configuration (scenario build.config, mode overlay): CCM only (no GCM),
 * no RSA (its chain is all P-256), smaller record buffers. Ops that need
 * what this drops become `unsupported`, naming the option. */
#undef MBEDTLS_GCM_C
#undef MBEDTLS_RSA_C
#undef MBEDTLS_PKCS1_V15
#undef MBEDTLS_SSL_IN_CONTENT_LEN
#define MBEDTLS_SSL_IN_CONTENT_LEN 2048
#undef MBEDTLS_SSL_OUT_CONTENT_LEN
#define MBEDTLS_SSL_OUT_CONTENT_LEN 1024
