# p256-m (Manuel Pégourié-Gonnard's P-256 in C with a little inline asm for
# the 32x32 multiply-accumulate) on its own, as it ships inside mbedTLS
# (3rdparty/p256-m of the 3.6.6 tarball): ECDSA and ECDH, no hash, no RSA.
# The copy in mbedTLS is compiled only with MBEDTLS_PSA_P256M_DRIVER_ENABLED
# and takes its randomness from psa_generate_random and its zeroize from
# mbedTLS's platform_util.c; ops.c supplies psa_generate_random (the seeded
# RNG) and nothing else of PSA is built. p256m_config.h is the mbedTLS
# configuration those headers need. Its multiply-accumulate: UMAAL on cores
# with the DSP extension (M4, M7, M33), Thumb-1 / Thumb-2 asm on M0 / M3
# (p256-m.c picks by __ARM_FEATURE_DSP and __ARM_ARCH), so every board runs it.
LIB_VERSIONS := 3.6.6
LIB_VERSION ?= $(firstword $(LIB_VERSIONS))
ifneq ($(words $(LIB_VERSION)) $(filter $(LIB_VERSION),$(LIB_VERSIONS)),1 $(LIB_VERSION))
$(error p256-m adapter: no version '$(LIB_VERSION)' (p256-m as in mbedTLS $(LIB_VERSIONS)))
endif
P256M_MBEDTLS := $(SRC)/mbedtls-$(LIB_VERSION)
P256M_DIR := $(P256M_MBEDTLS)/3rdparty/p256-m/p256-m

LIB_SRCS := $(P256M_DIR)/p256-m.c $(P256M_MBEDTLS)/library/platform_util.c
LIB_CFLAGS := -I$(P256M_DIR) -I$(P256M_MBEDTLS)/include -I$(FW)/adapters/p256-m \
  -DMBEDTLS_CONFIG_FILE='"p256m_config.h"'
