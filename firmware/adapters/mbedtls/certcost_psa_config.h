/* PSA mechanisms of the mbedtls-p256m images (MBEDTLS_PSA_CRYPTO_CONFIG,
 * selected by certcost_mbedtls3_config.h). P-256 ECDSA and ECDH with their
 * key types are what the p256-m driver accelerates (mbedTLS then builds no
 * ECC of its own); everything else here is built in: SHA-256, RSA PKCS#1
 * v1.5 signatures (certificate chains with RSA CAs; the rsa2048 ops call
 * the RSA module directly), and for the DTLS client HMAC, the TLS 1.2 PRF
 * and PSK-to-master-secret derivations, AES with CCM and GCM. Not asked
 * for, because p256-m cannot do them and they would bring the built-in ECC
 * back: deterministic ECDSA, key derivation into ECC keys, other curves. */
#ifndef CERTCOST_PSA_CONFIG_H
#define CERTCOST_PSA_CONFIG_H

#define PSA_WANT_ECC_SECP_R1_256 1
#define PSA_WANT_ALG_ECDSA 1
#define PSA_WANT_ALG_ECDH 1
#define PSA_WANT_KEY_TYPE_ECC_PUBLIC_KEY 1
#define PSA_WANT_KEY_TYPE_ECC_KEY_PAIR_BASIC 1
#define PSA_WANT_KEY_TYPE_ECC_KEY_PAIR_IMPORT 1
#define PSA_WANT_KEY_TYPE_ECC_KEY_PAIR_EXPORT 1
#define PSA_WANT_KEY_TYPE_ECC_KEY_PAIR_GENERATE 1

#define PSA_WANT_ALG_SHA_256 1
#define PSA_WANT_ALG_RSA_PKCS1V15_SIGN 1
#define PSA_WANT_KEY_TYPE_RSA_PUBLIC_KEY 1

#if defined(CERTCOST_DTLS)
#define PSA_WANT_ALG_HMAC 1
#define PSA_WANT_KEY_TYPE_HMAC 1
#define PSA_WANT_ALG_TLS12_PRF 1
#define PSA_WANT_ALG_TLS12_PSK_TO_MS 1
#define PSA_WANT_KEY_TYPE_DERIVE 1
#define PSA_WANT_KEY_TYPE_AES 1
#define PSA_WANT_ALG_CCM 1
#define PSA_WANT_ALG_GCM 1
#endif

#endif
