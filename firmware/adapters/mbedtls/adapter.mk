# mbedTLS 2.28.3: the crypto modules the ops use, configured for the
# devices by certcost_mbedtls_config.h (in this directory). Unused
# functions are dropped by --gc-sections.
MBEDTLS_DIR := $(SRC)/mbedtls-2.28.3

LIB_SRCS := $(addprefix $(MBEDTLS_DIR)/library/, \
  asn1parse.c asn1write.c bignum.c constant_time.c ecdh.c ecdsa.c ecp.c \
  ecp_curves.c md.c oid.c platform.c platform_util.c rsa.c rsa_internal.c \
  sha256.c)
# The DTLS client (dtls.c, op dtls-client), only in images built with
# -DCERTCOST_DTLS: record layer, client state machine, AEAD ciphers, pk
# layer and X.509 parsing/verification. Without the flag the image is the
# primitive-ops one, byte for byte (see certcost_mbedtls_config.h for why).
ifneq ($(filter -DCERTCOST_DTLS,$(EXTRA_CFLAGS)),)
LIB_SRCS += $(addprefix $(MBEDTLS_DIR)/library/, \
  ssl_tls.c ssl_msg.c ssl_cli.c ssl_ciphersuites.c cipher.c cipher_wrap.c \
  aes.c ccm.c gcm.c pk.c pk_wrap.c pkparse.c x509.c x509_crt.c)
endif

# Certificate ops (x509.c), only in images built with -DCERTCOST_X509: X.509
# certificates and CRLs; modules the DTLS list already has are not repeated.
ifneq ($(filter -DCERTCOST_X509,$(EXTRA_CFLAGS)),)
LIB_SRCS += $(filter-out $(LIB_SRCS),$(addprefix $(MBEDTLS_DIR)/library/, \
  pk.c pk_wrap.c pkparse.c x509.c x509_crt.c x509_crl.c))
endif

LIB_CFLAGS := -I$(MBEDTLS_DIR)/include -I$(FW)/adapters/mbedtls \
  -DMBEDTLS_CONFIG_FILE='"certcost_mbedtls_config.h"'

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
