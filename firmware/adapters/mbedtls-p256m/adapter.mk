# mbedTLS 3.6 with P-256 done by the p256-m PSA driver (its
# 3rdparty/p256-m, MBEDTLS_PSA_P256M_DRIVER_ENABLED) instead of mbedTLS's
# built-in ECP: a library id of its own, so both ECC back-ends of the same
# release are measured side by side. The C files and the build are the
# mbedtls adapter's (../mbedtls), in the configuration that
# certcost_mbedtls3_config.h selects with CERTCOST_MBEDTLS_P256M: PSA
# configured with PSA_WANT_ macros (certcost_psa_config.h), PK, X.509 and
# TLS on PSA (MBEDTLS_USE_PSA_CRYPTO), no built-in ECC modules. p256-m
# exists from mbedTLS 3.x on, hence one version.
LIB_VERSIONS := 3.6.6
LIB_VERSION ?= $(firstword $(LIB_VERSIONS))
ifneq ($(words $(LIB_VERSION)) $(filter $(LIB_VERSION),$(LIB_VERSIONS)),1 $(LIB_VERSION))
$(error mbedtls-p256m adapter: no version '$(LIB_VERSION)' (versions: $(LIB_VERSIONS)))
endif

MBEDTLS_P256M := 1
include $(FW)/adapters/mbedtls/adapter.mk
LIB_VERSIONS := 3.6.6
LIB_ADAPTER_SRCS := $(wildcard $(FW)/adapters/mbedtls/*.c)
