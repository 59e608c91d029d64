# mbedTLS, two versions from one adapter: 3.6.6 (LTS) and 2.28.3. The
# crypto modules the ops use, configured for the devices by a config header
# per major version (in this directory): certcost_mbedtls_config.h (2.28),
# certcost_mbedtls3_config.h (3.x). The C files serve both; where the API
# differs they test MBEDTLS_VERSION_NUMBER. Unused functions are dropped by
# --gc-sections. adapters/mbedtls-p256m builds the same files for 3.6 with
# the p256-m PSA driver (MBEDTLS_P256M := 1 before including this file).
# What differs between the versions, and why: docs/libraries.md.
LIB_VERSIONS := 3.6.6 2.28.3
LIB_VERSION ?= $(firstword $(LIB_VERSIONS))
ifneq ($(words $(LIB_VERSION)) $(filter $(LIB_VERSION),$(LIB_VERSIONS)),1 $(LIB_VERSION))
$(error mbedtls adapter: no version '$(LIB_VERSION)' (versions: $(LIB_VERSIONS)))
endif
MBEDTLS_DIR := $(SRC)/mbedtls-$(LIB_VERSION)
MBEDTLS_LIB := $(MBEDTLS_DIR)/library
LIB_ADAPTER_SRCS :=
MBEDTLS_DTLS := $(filter -DCERTCOST_DTLS,$(EXTRA_CFLAGS))
MBEDTLS_X509 := $(filter -DCERTCOST_X509,$(EXTRA_CFLAGS))

ifeq ($(LIB_VERSION),2.28.3)
ifeq ($(MBEDTLS_P256M),1)
$(error mbedtls-p256m: p256-m ships with mbedTLS 3.x only, not $(LIB_VERSION))
endif
LIB_SRCS := $(addprefix $(MBEDTLS_LIB)/, \
  asn1parse.c asn1write.c bignum.c constant_time.c ecdh.c ecdsa.c ecp.c \
  ecp_curves.c md.c oid.c platform.c platform_util.c rsa.c rsa_internal.c \
  sha256.c)
# The DTLS client (dtls.c, op dtls-client), only in images built with
# -DCERTCOST_DTLS: record layer, client state machine, AEAD ciphers, pk
# layer and X.509 parsing/verification. Without the flag the image is the
# primitive-ops one, byte for byte (see certcost_mbedtls_config.h for why).
ifneq ($(MBEDTLS_DTLS),)
LIB_SRCS += $(addprefix $(MBEDTLS_LIB)/, \
  ssl_tls.c ssl_msg.c ssl_cli.c ssl_ciphersuites.c cipher.c cipher_wrap.c \
  aes.c ccm.c gcm.c pk.c pk_wrap.c pkparse.c x509.c x509_crt.c)
endif
# Certificate ops (x509.c), only in images built with -DCERTCOST_X509: X.509
# certificates and CRLs; modules the DTLS list already has are not repeated.
ifneq ($(MBEDTLS_X509),)
LIB_SRCS += $(filter-out $(LIB_SRCS),$(addprefix $(MBEDTLS_LIB)/, \
  pk.c pk_wrap.c pkparse.c x509.c x509_crt.c x509_crl.c))
endif
LIB_CFLAGS := -I$(MBEDTLS_DIR)/include -I$(FW)/adapters/mbedtls \
  -DMBEDTLS_CONFIG_FILE='"certcost_mbedtls_config.h"'

else # 3.x
# 3.x split bignum.c (bignum_core.c), renamed rsa_internal.c
# (rsa_alt_helpers.c), and ssl_cli.c (ssl_client.c + ssl_tls12_client.c);
# ssl_internal.h became library/ssl_misc.h, hence -I library for dtls.c.
MBEDTLS_PRIMITIVES := asn1parse.c asn1write.c bignum.c bignum_core.c constant_time.c md.c oid.c \
  platform.c platform_util.c rsa.c rsa_alt_helpers.c sha256.c
MBEDTLS_DTLS_SRCS := ssl_tls.c ssl_msg.c ssl_client.c ssl_tls12_client.c ssl_ciphersuites.c \
  cipher.c cipher_wrap.c aes.c ccm.c gcm.c pk.c pk_ecc.c pk_wrap.c pkparse.c x509.c x509_crt.c psa_util.c
MBEDTLS_X509_SRCS := pk.c pk_ecc.c pk_wrap.c pkparse.c x509.c x509_crt.c x509_crl.c psa_util.c
ifeq ($(MBEDTLS_P256M),1)
# ECC only through PSA and the p256-m driver: no ecp/ecdsa/ecdh modules;
# the PSA core, its built-in drivers for what p256-m does not do (hashes,
# RSA, AEAD, HMAC and the TLS 1.2 key derivations), and the driver.
P256M_DIR := $(MBEDTLS_DIR)/3rdparty/p256-m
MBEDTLS_PRIMITIVES += psa_crypto.c psa_crypto_client.c psa_crypto_driver_wrappers_no_static.c \
  psa_crypto_ecp.c psa_crypto_hash.c psa_crypto_rsa.c psa_crypto_slot_management.c psa_crypto_storage.c \
  psa_util.c pk.c pk_ecc.c pk_wrap.c pkparse.c
MBEDTLS_DTLS_SRCS += psa_crypto_aead.c psa_crypto_cipher.c psa_crypto_mac.c
LIB_SRCS := $(P256M_DIR)/p256-m_driver_entrypoints.c $(P256M_DIR)/p256-m/p256-m.c
MBEDTLS_CONFIG_DEFS := -DCERTCOST_MBEDTLS_P256M
MBEDTLS_INCLUDES := -I$(P256M_DIR) -I$(P256M_DIR)/p256-m
else
MBEDTLS_PRIMITIVES += ecdh.c ecdsa.c ecp.c ecp_curves.c
LIB_SRCS :=
MBEDTLS_CONFIG_DEFS :=
MBEDTLS_INCLUDES :=
endif
MBEDTLS_WANT := $(MBEDTLS_PRIMITIVES) $(if $(MBEDTLS_DTLS),$(MBEDTLS_DTLS_SRCS)) $(if $(MBEDTLS_X509),$(MBEDTLS_X509_SRCS))
# Each module once, in first-mention order.
MBEDTLS_UNIQ = $(if $1,$(firstword $1) $(call MBEDTLS_UNIQ,$(filter-out $(firstword $1),$1)))
LIB_SRCS += $(addprefix $(MBEDTLS_LIB)/,$(call MBEDTLS_UNIQ,$(MBEDTLS_WANT)))
LIB_CFLAGS := -I$(MBEDTLS_DIR)/include -I$(MBEDTLS_LIB) $(MBEDTLS_INCLUDES) -I$(FW)/adapters/mbedtls \
  -DMBEDTLS_CONFIG_FILE='"certcost_mbedtls3_config.h"' $(MBEDTLS_CONFIG_DEFS)
endif

# bn_mul.h inline asm (MBEDTLS_HAVE_ASM) picks its path from the core:
#  - cortex-m0 (ARMv6-M): Thumb-1 path, clobbers r7, r8, r9;
#  - cortex-m3 (no DSP): ARM/Thumb-2 UMLAL path, clobbers r7;
#  - cortex-m4/m7/m33 (DSP): UMAAL path, clobbers r0/r1 only.
# r7 is the Thumb frame pointer, so M0/M3 do not compile with
# -fno-omit-frame-pointer ("r7 cannot be used in 'asm' here"), and M0 does
# not compile when r9 is a fixed PIC base (-msingle-pic-base,
# -mpic-register=...). In those builds fall back to the portable C
# multiply-accumulate. Plain -fPIC/-fpie compile fine with gcc 12, and -O0
# is handled by bn_mul.h itself.
MBEDTLS_FLAGS_SEEN := $(OPT) $(EXTRA_CFLAGS)
MBEDTLS_NO_R7 :=
ifneq ($(filter cortex-m0 cortex-m0plus cortex-m3,$(BOARD_CORE)),)
ifneq ($(filter -fno-omit-frame-pointer,$(MBEDTLS_FLAGS_SEEN)),)
MBEDTLS_NO_R7 := 1
endif
endif
ifneq ($(filter cortex-m0 cortex-m0plus,$(BOARD_CORE)),)
ifneq ($(filter -msingle-pic-base -mpic-register=%,$(MBEDTLS_FLAGS_SEEN)),)
MBEDTLS_NO_R7 := 1
endif
endif
ifeq ($(MBEDTLS_NO_R7),1)
LIB_CFLAGS += -DMULADDC_CANNOT_USE_R7
endif

# A scenario's own configuration (build.config; Makefile LIB_CONFIG):
# overlay through MBEDTLS_USER_CONFIG_FILE (read after this adapter's
# config), replace through MBEDTLS_CONFIG_FILE. What each op needs of it:
ifneq ($(LIB_CONFIG),)
ifeq ($(LIB_CONFIG_MODE),replace)
LIB_CFLAGS := $(filter-out -DMBEDTLS_CONFIG_FILE=%,$(LIB_CFLAGS)) -DMBEDTLS_CONFIG_FILE='"$(LIB_CONFIG)"'
else
LIB_CFLAGS += -DMBEDTLS_USER_CONFIG_FILE='"$(LIB_CONFIG)"'
endif
endif
LIB_CONFIG_PROBE := mbedtls/platform.h
ifeq ($(MBEDTLS_P256M),1)
MBEDTLS_ECC_NEEDS := MBEDTLS_PSA_CRYPTO_C,MBEDTLS_PSA_P256M_DRIVER_ENABLED
else
MBEDTLS_ECC_NEEDS := MBEDTLS_ECP_C,MBEDTLS_ECP_DP_SECP256R1_ENABLED,MBEDTLS_BIGNUM_C
endif
# x509-verify-chain's and ocsp-check's needs include x509-parse's: x509.c
# is one file, built when x509-parse is.
MBEDTLS_X509_NEEDS := MBEDTLS_X509_CRT_PARSE_C,MBEDTLS_PK_PARSE_C,MBEDTLS_X509_USE_C
LIB_OP_NEEDS := \
  ecdsa-verify=$(MBEDTLS_ECC_NEEDS)$(if $(MBEDTLS_P256M),,$(comma)MBEDTLS_ECDSA_C) \
  ecdsa-keygen=$(MBEDTLS_ECC_NEEDS)$(if $(MBEDTLS_P256M),,$(comma)MBEDTLS_ECDSA_C) \
  ecdsa-sign=$(MBEDTLS_ECC_NEEDS)$(if $(MBEDTLS_P256M),,$(comma)MBEDTLS_ECDSA_C) \
  ecdh=$(MBEDTLS_ECC_NEEDS)$(if $(MBEDTLS_P256M),,$(comma)MBEDTLS_ECDH_C) \
  sha256-64=MBEDTLS_SHA256_C \
  sha256-1k=MBEDTLS_SHA256_C \
  rsa2048-verify=MBEDTLS_RSA_C,MBEDTLS_PKCS1_V15,MBEDTLS_BIGNUM_C \
  rsa2048-sign=MBEDTLS_RSA_C,MBEDTLS_PKCS1_V15,MBEDTLS_BIGNUM_C \
  dtls-client=MBEDTLS_SSL_TLS_C,MBEDTLS_SSL_CLI_C,MBEDTLS_SSL_PROTO_TLS1_2,MBEDTLS_SSL_PROTO_DTLS,MBEDTLS_X509_CRT_PARSE_C,MBEDTLS_PK_PARSE_C \
  x509-parse=$(MBEDTLS_X509_NEEDS) \
  x509-verify-chain=$(MBEDTLS_X509_NEEDS),MBEDTLS_X509_CRL_PARSE_C \
  ocsp-check=$(MBEDTLS_X509_NEEDS)
# What a DTLS handshake variant may use, for the reason of a refusal.
LIB_FEATURE_NEEDS := psk=MBEDTLS_KEY_EXCHANGE_PSK_ENABLED ecdhe-ecdsa=MBEDTLS_KEY_EXCHANGE_ECDHE_ECDSA_ENABLED \
  aes-ccm=MBEDTLS_CCM_C aes-gcm=MBEDTLS_GCM_C cookie=MBEDTLS_SSL_DTLS_HELLO_VERIFY \
  session-tickets=MBEDTLS_SSL_SESSION_TICKETS extended-master-secret=MBEDTLS_SSL_EXTENDED_MASTER_SECRET
