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
