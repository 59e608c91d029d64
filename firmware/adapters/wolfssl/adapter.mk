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
