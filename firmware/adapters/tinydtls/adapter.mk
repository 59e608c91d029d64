# tinydtls (upstream commit 9d6cf54, as bundled in the tinydtls-sys
# 0.2.0 crate): only its crypto primitives, ecc/ecc.c (P-256, affine
# double-and-add) and sha2/sha2.c, not the DTLS stack. dtls_config.h in
# this directory stands in for the header tinydtls' configure generates.
# WITH_SHA256 and SHA2_USE_INTTYPES_H are what tinydtls' own CMake build
# defines; NDEBUG keeps newlib's assert (and its fprintf) out of the image.
TINYDTLS_DIR := $(SRC)/crates/tinydtls-sys-0.2.0+tinydtls-9d6cf54/src/tinydtls

LIB_SRCS := $(TINYDTLS_DIR)/ecc/ecc.c $(TINYDTLS_DIR)/sha2/sha2.c
LIB_CFLAGS := -I$(FW)/adapters/tinydtls -I$(TINYDTLS_DIR) -I$(TINYDTLS_DIR)/ecc -I$(TINYDTLS_DIR)/sha2 \
  -DWITH_SHA256 -DSHA2_USE_INTTYPES_H -DHAVE_ASSERT_H -DNDEBUG

# The DTLS client (dtls.c, op dtls-client), only in images built with
# -DCERTCOST_DTLS: tinydtls' DTLS 1.2 stack in its POSIX build, PSK and
# ECDHE-ECDSA with raw public keys. port/ stands in for the few POSIX
# headers it includes (socket address types, a no-op mutex); dtls.c here
# provides its clock (the virtual link clock) and PRNG (the seeded one),
# so tinydtls' dtls_time.c and dtls_prng.c are not built.
ifneq ($(filter -DCERTCOST_DTLS,$(EXTRA_CFLAGS)),)
LIB_SRCS += $(addprefix $(TINYDTLS_DIR)/, dtls.c crypto.c ccm.c hmac.c netq.c peer.c session.c \
  dtls_debug.c aes/rijndael.c aes/rijndael_wrap.c)
LIB_CFLAGS := -I$(FW)/adapters/tinydtls/port $(LIB_CFLAGS) -I$(TINYDTLS_DIR)/aes -DDTLSv12 -DDTLS_CHECK_CONTENTTYPE
endif
