# micro-ecc, as bundled in the micro-ecc-sys 0.3.2 crate (upstream v1.0):
# P-256 only, big-endian byte API (its default). The per-core settings are
# spelled out rather than left to uECC's compiler-macro guessing so the
# build says which assembly each board runs:
#  - cortex-m0 (ARMv6-M): Thumb-1 asm add/sub/mult (uECC_arm_thumb);
#  - cortex-m3 (ARMv7-M): Thumb-2 unrolled asm mult without UMAAL, which
#    ARMv7-M lacks;
#  - cortex-m4/m7/m33 (DSP extension): Thumb-2 unrolled asm mult with UMAAL.
# Optimization level 4 and no dedicated squaring routine are what the
# crate's own release build uses. The unrolled asm needs r7, the Thumb
# frame pointer: -fomit-frame-pointer (a no-op at -Os/-O2) lets -O0 build
# too, as the crate's build also passes it.
UECC_DIR := $(SRC)/crates/micro-ecc-sys-0.3.2/micro-ecc

LIB_SRCS := $(UECC_DIR)/uECC.c
LIB_CFLAGS := -I$(UECC_DIR) -DuECC_OPTIMIZATION_LEVEL=4 -DuECC_SQUARE_FUNC=0 \
  -DuECC_SUPPORTS_secp160r1=0 -DuECC_SUPPORTS_secp192r1=0 -DuECC_SUPPORTS_secp224r1=0 \
  -DuECC_SUPPORTS_secp256k1=0 -DuECC_SUPPORTS_secp256r1=1 -DuECC_SUPPORT_COMPRESSED_POINT=0 \
  -fomit-frame-pointer

ifneq ($(filter -fno-omit-frame-pointer,$(EXTRA_CFLAGS)),)
$(error micro-ecc adapter: its ARM asm uses r7, so it cannot build with -fno-omit-frame-pointer)
endif

ifeq ($(BOARD_CORE),cortex-m0)
LIB_CFLAGS += -DuECC_PLATFORM=uECC_arm_thumb -DuECC_ARM_USE_UMAAL=0
else ifeq ($(BOARD_CORE),cortex-m3)
LIB_CFLAGS += -DuECC_PLATFORM=uECC_arm_thumb2 -DuECC_ARM_USE_UMAAL=0
else ifneq ($(filter cortex-m4 cortex-m7 cortex-m33,$(BOARD_CORE)),)
LIB_CFLAGS += -DuECC_PLATFORM=uECC_arm_thumb2 -DuECC_ARM_USE_UMAAL=1
else
$(error micro-ecc adapter: no asm settings for core $(BOARD_CORE))
endif
