# wolfSSL, four versions from one adapter: 5.9.4 (the C sources the
# wolfssl-sys 5.3.0 crate carries), 5.7.2 (Debian trixie), 5.6.6 (the
# wolfssl-sys 1.0.0 crate; pinned for the cycle model's calibration against
# wolfSSL's published 5.6.6 figures) and 5.5.4 (Debian bookworm). wolfCrypt for the primitive ops, plus the SSL layer for the
# certificate ops and the DTLS client: the modules the ops use, configured
# by user_settings.h (in this directory; version differences there test
# LIBWOLFSSL_VERSION_HEX). Unused functions are dropped by --gc-sections.
# What differs between the versions, and why: docs/libraries.md.
LIB_VERSIONS := 5.9.4 5.7.2 5.6.6 5.5.4
LIB_VERSION ?= $(firstword $(LIB_VERSIONS))
ifneq ($(words $(LIB_VERSION)) $(filter $(LIB_VERSION),$(LIB_VERSIONS)),1 $(LIB_VERSION))
$(error wolfssl adapter: no version '$(LIB_VERSION)' (versions: $(LIB_VERSIONS)))
endif
ifeq ($(LIB_VERSION),5.9.4)
WOLFSSL_DIR := $(SRC)/crates/wolfssl-sys-5.3.0/wolfssl-src
else ifeq ($(LIB_VERSION),5.6.6)
WOLFSSL_DIR := $(SRC)/crates/wolfssl-sys-1.0.0/wolfssl-src
else
WOLFSSL_DIR := $(SRC)/wolfssl-$(LIB_VERSION)
endif
WOLFCRYPT := $(WOLFSSL_DIR)/wolfcrypt/src

LIB_SRCS := $(addprefix $(WOLFCRYPT)/, \
  asn.c ecc.c hash.c memory.c random.c rsa.c sha256.c sp_int.c wc_port.c \
  wolfmath.c)

# Certificate ops (x509.c) and the DTLS client (dtls.c) need wolfSSL's SSL
# layer (CertManager, CRL, OCSP, TLS): only in images built with
# -DCERTCOST_X509 or -DCERTCOST_DTLS (user_settings.h, "certificates").
ifneq ($(filter -DCERTCOST_X509 -DCERTCOST_DTLS,$(EXTRA_CFLAGS)),)
LIB_SRCS += $(addprefix $(WOLFSSL_DIR)/src/, ssl.c internal.c tls.c keys.c crl.c ocsp.c wolfio.c) \
  $(addprefix $(WOLFCRYPT)/, sha.c hmac.c aes.c coding.c kdf.c error.c logging.c)
endif

# DTLS 1.3 (-DCERTCOST_DTLS13, user_settings.h): the TLS 1.3 handshake and
# the DTLS 1.3 record layer, ACKs and retransmission.
ifneq ($(filter -DCERTCOST_DTLS13,$(EXTRA_CFLAGS)),)
LIB_SRCS += $(addprefix $(WOLFSSL_DIR)/src/, tls13.c dtls13.c dtls.c)
endif

LIB_CFLAGS := -I$(WOLFSSL_DIR) -I$(FW)/adapters/wolfssl -DWOLFSSL_USER_SETTINGS

# SP assembly by core: ARMv6-M (M0) has only Thumb-1 and a 32x32->32
# multiply, so it takes sp_armthumb.c; ARMv7-M/ARMv8-M Mainline (M3, M4,
# M7, M33) take sp_cortexm.c (UMULL/UMLAL).
ifneq ($(filter cortex-m0 cortex-m0plus,$(BOARD_CORE)),)
WOLFSSL_SP_SRC := $(WOLFCRYPT)/sp_armthumb.c
LIB_CFLAGS += -DWOLFSSL_SP_ARM_THUMB_ASM
else
WOLFSSL_SP_SRC := $(WOLFCRYPT)/sp_cortexm.c
LIB_CFLAGS += -DWOLFSSL_SP_ARM_CORTEX_M_ASM
endif
LIB_SRCS += $(WOLFSSL_SP_SRC)

# The SP assembly uses r7, the Thumb frame pointer: with a kept frame
# pointer (-fno-omit-frame-pointer, and -O0, which implies it) gcc refuses
# it ("r7 cannot be used in 'asm' here"). That one file always omits the
# frame pointer, so every build runs the same assembly.
$(patsubst /%,$(OUT)/obj/%.o,$(WOLFSSL_SP_SRC)): CFLAGS += -fomit-frame-pointer

# Known library bugs (Wycheproof, run with `vectors: {wycheproof: true}`;
# measured per version, docs/libraries.md):
#  - 5.5.4 sp_cortexm.c (M3/M4/M7/M33): ECDH tcId 101 yields a wrong
#    secret; its portable C SP code (sp_c32.c) passes every case on the M4
#    but does not fit the micro:bit. sp_armthumb.c (M0) also rejects 21
#    valid ECDSA signatures (tcId 350-479: small r/s, u2 == 1, ...) and 4
#    valid ECDH points (70, 103-105).
#  - 5.7.2 sp_cortexm.c (rewritten in 5.6.4) rejects 15 valid ECDSA
#    signatures (tcId 356-440) and the valid ECDH point of tcId 103;
#    sp_armthumb.c as 5.5.4, without tcId 101.
#  - 5.6.6: not measured (pinned for the cycle-model calibration).
#  - 5.9.4 passes every ECDSA case on every core; ECDH rejects tcId 3, a
#    valid shared secret whose x is 0: it reads an all-zero x as the point
#    at infinity (ecc.c, the SP 800-56A check added after the SP call).
# The counts are for the assembly, as deployed.

# A scenario's own settings (build.config; Makefile LIB_CONFIG): included
# at the end of user_settings.h (overlay) or instead of it (replace).
ifneq ($(LIB_CONFIG),)
LIB_CFLAGS += -DCERTCOST_USER_SETTINGS$(if $(filter replace,$(LIB_CONFIG_MODE)),_REPLACE)='"$(LIB_CONFIG)"'
endif
LIB_CONFIG_PROBE := wolfssl/wolfcrypt/settings.h
# What each op needs of the settings (settings.h's view, after its own
# defaults). x509-verify-chain's and ocsp-check's needs include
# x509-parse's: x509.c is one file, built when x509-parse is.
LIB_OP_NEEDS := \
  ecdsa-verify=HAVE_ECC,!NO_ECC256 ecdsa-keygen=HAVE_ECC,!NO_ECC256 ecdsa-sign=HAVE_ECC,!NO_ECC256,!NO_ECC_SIGN \
  ecdh=HAVE_ECC,HAVE_ECC_DHE \
  sha256-64=!NO_SHA256 sha256-1k=!NO_SHA256 \
  rsa2048-verify=!NO_RSA rsa2048-sign=!NO_RSA \
  dtls-client=WOLFSSL_DTLS,!NO_WOLFSSL_CLIENT,!WOLFCRYPT_ONLY \
  x509-parse=!NO_CERTS,!WOLFCRYPT_ONLY \
  x509-verify-chain=!NO_CERTS,!WOLFCRYPT_ONLY,HAVE_CRL \
  ocsp-check=!NO_CERTS,!WOLFCRYPT_ONLY,HAVE_OCSP
# What a DTLS handshake variant may use, for the reason of a refusal.
LIB_FEATURE_NEEDS := psk=!NO_PSK ecdhe-ecdsa=HAVE_ECC,HAVE_ECC_DHE aes-ccm=HAVE_AESCCM aes-gcm=HAVE_AESGCM \
  session-tickets=HAVE_SESSION_TICKET extended-master-secret=HAVE_EXTENDED_MASTER,!NO_EXTENDED_MASTER dtls13=WOLFSSL_DTLS13 \
  ocsp-stapling=HAVE_CERTIFICATE_STATUS_REQUEST
