/* The contract of the edhoc-initiator op (docs/ops.md, docs/edhoc.md),
 * mirrored by harness/contract/edhoc.ts (checked by
 * test/unit/contract.test.ts): the config flags and the layouts of the
 * config input and the info and lengths outputs. */
#ifndef CERTCOST_EDHOC_OPS_H
#define CERTCOST_EDHOC_OPS_H

/* edhoc-initiator config flags, byte 0 of input 0. */
enum {
  EDHOC_F_BY_VALUE = 0x01, /* ID_CRED_I carries CRED_I itself (kccs), not its kid */
};

#define EDHOC_CONFIG_LEN 12 /* input 0: flags u8, C_I (one CBOR byte) u8, 2 reserved, timeout ms u32, max ms u32 (BE) */
#define EDHOC_PRK_OUT_LEN 32 /* output 0 */
#define EDHOC_OSCORE_LEN 24  /* output 1: OSCORE Master Secret (16) || Master Salt (8) */
#define EDHOC_INFO_LEN 14    /* output 2: C_R u8, timeouts u8, datagrams out/in u16, bytes out/in u32 (BE) */
#define EDHOC_LENS_LEN 6     /* output 3: message_1, message_2, message_3 lengths, u16 BE */
#endif
