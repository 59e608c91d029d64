// What an op returns, as the firmware says it (firmware/include/certcost/ops.h):
// the one TypeScript copy of those codes. test/unit/contract.test.ts parses
// the header and fails when the two drift apart.
export const CC_OK = 0;
export const CC_VERDICT_REJECT = 1;
export const CC_ERR_ARGS = -1000;
export const CC_ERR_OUTPUT = -1001;
export const CC_ERR_NOMEM = -1002;
export const CC_ERR_UNSUPPORTED = -1003;
/** Most outputs one op can return (CC_NOUT_MAX). */
export const CC_NOUT_MAX = 4;

export const STATUS_NAMES: Record<number, string> = {
  [CC_OK]: 'ok', [CC_VERDICT_REJECT]: 'reject', [CC_ERR_ARGS]: 'bad inputs', [CC_ERR_OUTPUT]: 'output too large',
  [CC_ERR_NOMEM]: 'out of memory', [CC_ERR_UNSUPPORTED]: 'unsupported',
};
/** A status as words; anything else is the library's own error code, shown as-is and in hex. */
export const statusName = (s: number) => STATUS_NAMES[s] ?? `library error ${s} (-0x${(-s).toString(16)})`;
