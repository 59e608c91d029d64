# P256-Cortex-M4 (see docs/architecture.md for its origin), as bundled in the p256-cortex-m4-sys
# 0.1.0 crate: hand-written Thumb-2 assembly for the field arithmetic plus
# a C layer for ECDSA/ECDH. Built with the default feature set of
# p256-cortex-m4-config.h (fast base-point multiplication, dedicated
# squaring); its FPU-register spilling (has_fpu) turns on by itself where
# the board's flags define __ARM_FP (an386, M4F hard-float).
LIB_CORES := cortex-m4 cortex-m7 cortex-m33
LIB_CORES_WHY := the assembly uses UMAAL and other ARMv7E-M DSP-extension instructions, absent on ARMv6-M (M0) and ARMv7-M (M3)

ifeq ($(filter $(BOARD_CORE),$(LIB_CORES)),)
$(error p256-m4 adapter: $(BOARD_CORE) unsupported: $(LIB_CORES_WHY))
endif

P256M4_DIR := $(SRC)/crates/p256-cortex-m4-sys-0.1.0/P256-Cortex-M4

LIB_SRCS := $(P256M4_DIR)/p256-cortex-m4.c $(P256M4_DIR)/p256-cortex-m4-asm-gcc.S
LIB_CFLAGS := -I$(P256M4_DIR)
