/* certcost's C interface to lakers' EDHOC initiator: the extern "C"
 * functions of rust/shim/src/lib.rs (a staticlib built by adapter.mk).
 * Method 3 (static-static DH), cipher suite 2. One session lives in memory
 * the caller provides (cc_lakers_session_size() bytes, 8-byte aligned).
 * Each step returns CC_LAKERS_OK or a negative code below. */
#ifndef CERTCOST_LAKERS_SHIM_H
#define CERTCOST_LAKERS_SHIM_H
#include <stddef.h>
#include <stdint.h>

enum {
  CC_LAKERS_OK = 0,
  CC_LAKERS_E_STATE = -100, /* a step called out of order */
  CC_LAKERS_E_ARGS = -101,  /* a buffer too small, a bad length */
  CC_LAKERS_E_CRED = -102,  /* a credential that is not a CCS lakers can parse */
  /* lakers' EDHOCError: -200 - variant (0 UnexpectedCredential, 1 MissingIdentity,
   * 2 IdentityAlreadySet, 3 MacVerificationFailed, 4 UnsupportedMethod,
   * 5 UnsupportedCipherSuite, 6 ParsingError, 7 EncodingError,
   * 8 CredentialTooLongError, 9 EadLabelTooLongError, 10 EadTooLongError,
   * 11 EADUnprocessable, 12 AccessDenied, 99 other). */
  CC_LAKERS_E_EDHOC = -200,
};

size_t cc_lakers_session_size(void);
/* Starts a session and writes message_1 (C_I: one CBOR byte, an integer -24..23; no EAD). */
int cc_lakers_i_prepare_message_1(void *session, size_t cap, uint8_t c_i, uint8_t *m1, size_t m1_cap, size_t *m1_len);
/* Processes message_2: ID_CRED_R must name cred_r (a CCS); sets the own identity (i: 32-byte
 * static private key, cred_i: its CCS); verifies MAC_2. C_R's CBOR encoding goes to c_r (<= 8 B). */
int cc_lakers_i_process_message_2(void *session, const uint8_t *m2, size_t m2_len, const uint8_t *cred_r, size_t cred_r_len,
                                  const uint8_t *i, const uint8_t *cred_i, size_t cred_i_len, uint8_t *c_r, size_t *c_r_len);
/* Writes message_3 (ID_CRED_I by value if by_value, else by kid) and PRK_out (32 B). */
int cc_lakers_i_prepare_message_3(void *session, int by_value, uint8_t *m3, size_t m3_cap, size_t *m3_len, uint8_t *prk_out);
/* EDHOC_Exporter(label, h'', len) of a complete session: 0 = OSCORE Master Secret, 1 = Master Salt. */
int cc_lakers_i_exporter(void *session, uint8_t label, uint8_t *out, size_t len);
/* Ends a session; its memory is zeroed. */
void cc_lakers_drop(void *session);

/* Called by the shim's panic handler (ops.c): records the line and faults. */
void cc_lakers_panic(uint32_t line) __attribute__((noreturn));
#endif
