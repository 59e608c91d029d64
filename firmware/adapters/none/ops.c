/* The empty adapter: only the core's ops. Its image is the baseline a
 * library's marginal flash is measured against. */
#include "certcost/ops.h"
const char cc_lib_name[] = "none";
const struct cc_op cc_lib_ops[] = {{0, 0}};
int cc_lib_init(void) { return 0; }
