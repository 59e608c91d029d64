// The contract of the edhoc-initiator op (firmware/include/certcost/edhoc-ops.h,
// docs/ops.md): config flags and the byte layouts of its config input and
// outputs. The one TypeScript copy, checked against the header by
// test/unit/contract.test.ts.

/** edhoc-initiator config flags (byte 0 of input 0). */
export const EDHOC_FLAG = {
  /** ID_CRED_I carries CRED_I itself (kccs), not its kid. */
  BY_VALUE: 0x01,
} as const;

/** Input 0 (flags, C_I, 2 reserved, timeout ms, max ms) and the outputs' lengths. */
export const EDHOC_LEN = {
  CONFIG_LEN: 12,
  PRK_OUT_LEN: 32,
  OSCORE_LEN: 24,
  INFO_LEN: 14,
  LENS_LEN: 6,
} as const;
