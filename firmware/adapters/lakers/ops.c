/* lakers adapter (EDHOC, RFC 9528): the op edhoc-initiator (edhoc.c), on
 * certcost's Rust shim over lakers 0.8.0 (lakers_shim.h). lakers is an
 * EDHOC library, not a crypto library for the primitive ops: those are
 * left out (unsupported). Randomness: the shim's RNG is the seeded
 * cc_rng_fill (repeatable, not entropy). */
#include <stdint.h>
#include "certcost/ops.h"
#include "lakers_shim.h"

const char cc_lib_name[] = "lakers";
int cc_lib_init(void) { return 0; }

/* A Rust panic in lakers or the shim: the source line is kept where a
 * debugger can read it, and the undefined instruction faults, which the
 * core reports (a fault record naming cc_lakers_panic). */
volatile uint32_t cc_lakers_panic_line;
void cc_lakers_panic(uint32_t line) {
  cc_lakers_panic_line = line;
  __builtin_trap();
}

int cc_lakers_edhoc_initiator(const cc_in_t *in, size_t nin, cc_out_t *out, size_t *nout);

const struct cc_op cc_lib_ops[] = {
    {"edhoc-initiator", cc_lakers_edhoc_initiator},
    {0, 0},
};
