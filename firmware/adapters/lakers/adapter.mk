# lakers 0.8.0 (EDHOC, RFC 9528; Rust, no_std, no heap): the device is the
# EDHOC initiator, method 3 (static-static DH) with cipher suite 2 (P-256,
# AES-CCM-16-64-128, SHA-256), lakers' only method and suite. lakers has no C
# API, so certcost's own shim crate (rust/shim, extern "C" functions, see
# lakers_shim.h) is built here as a staticlib for the board's core with
# cargo, offline, from the crates setup/fetch-lakers.sh vendored into the
# cache (pinned by rust/crates.lock; the Cargo.lock set-up derived from it is
# copied next to the workspace, git-ignored), and linked after the C objects
# (LIB_ARCHIVES). Its opt-level follows OPT (-Os -> "s"), with LTO, one
# codegen unit and panic=abort; target-cpu is the board's core.
# Crypto (RustCrypto's p256, aes/ccm, sha2/hkdf) is lakers-crypto-rustcrypto.
LAKERS_WS := $(FW)/adapters/lakers/rust
LAKERS_VENDOR := $(SRC)/lakers-vendor

# The Rust target of the board's core and float ABI.
LAKERS_TARGET_cortex-m0 := thumbv6m-none-eabi
LAKERS_TARGET_cortex-m3 := thumbv7m-none-eabi
LAKERS_TARGET_cortex-m4 := thumbv7em-none-eabi
LAKERS_TARGET_cortex-m7 := thumbv7em-none-eabi
LAKERS_TARGET_cortex-m33 := thumbv8m.main-none-eabi
LAKERS_TARGET := $(LAKERS_TARGET_$(BOARD_CORE))$(if $(filter -mfloat-abi=hard,$(BOARD_CPU_FLAGS)),hf)
ifeq ($(LAKERS_TARGET_$(BOARD_CORE)),)
$(error lakers adapter: no Rust target for $(BOARD_CORE))
endif

# Memory: lakers allocates nothing (no heap) but moves its large typestates
# by value; the exchange needs about 9.7 KB of stack (measured on the M4;
# the shim's session is 1.3 KB of it). The micro:bit's board file splits the
# 10 KiB left beside static data into a 4 KiB stack and a 6 KiB heap; a
# lakers image has no use for a heap, so there it gives the heap's RAM to the
# stack, as firmware without an allocator would (total RAM unchanged).
ifeq ($(BOARD),microbit)
STACK_SIZE := 10K
HEAP_SIZE := 256
endif

LAKERS_OPT := $(patsubst -O%,%,$(filter -O%,$(OPT)))
LAKERS_OPT := $(if $(filter s z 1 2 3,$(LAKERS_OPT)),$(LAKERS_OPT),s)
LAKERS_TDIR := $(ROOT)/build/rust/opt-$(LAKERS_OPT)
LAKERS_LIB := $(LAKERS_TDIR)/$(LAKERS_TARGET)/release/libcertcost_lakers_shim.a
LIB_ARCHIVES := $(LAKERS_LIB)
LIB_CFLAGS := -I$(FW)/adapters/lakers

CARGO ?= cargo
# cargo decides whether anything changed (a no-op when nothing did: the
# archive then keeps its time stamp and the image is not relinked).
$(LAKERS_LIB): FORCE
	@test -f $(LAKERS_VENDOR)/.certcost-ok || { echo "lakers: no vendored crates in $(LAKERS_VENDOR) (run setup/setup.sh)" >&2; exit 1; }
	@cmp -s $(LAKERS_VENDOR)/Cargo.lock $(LAKERS_WS)/Cargo.lock || cp $(LAKERS_VENDOR)/Cargo.lock $(LAKERS_WS)/Cargo.lock
	CARGO_HOME=$(CACHE)/cargo $(CARGO) build -j2 --quiet --offline --locked --release \
	  --manifest-path $(LAKERS_WS)/Cargo.toml -p certcost-lakers-shim \
	  --target $(LAKERS_TARGET) --target-dir $(LAKERS_TDIR) \
	  --config "source.crates-io.replace-with='certcost-vendor'" \
	  --config "source.certcost-vendor.directory='$(LAKERS_VENDOR)'" \
	  --config "profile.release.opt-level='$(LAKERS_OPT)'" \
	  --config "target.$(LAKERS_TARGET).rustflags=['-C','target-cpu=$(BOARD_CORE)']"
