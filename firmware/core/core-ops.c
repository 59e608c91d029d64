/* Ops every image has, whatever the library: RNG seeding and self-tests
 * the harness uses to prove the link and the fault path. */
#include <stdlib.h>
#include <string.h>
#include "certcost/measure.h"
#include "certcost/net.h"
#include "certcost/ops.h"

static int op_seed_rng(const cc_in_t *in, size_t nin, cc_out_t *out, size_t *nout) {
  (void)out;
  if (nin != 1) return CC_ERR_ARGS;
  measure_rng_seed(in[0].p, in[0].n);
  *nout = 0;
  cc_measure_begin();
  cc_measure_end();
  return CC_OK;
}

/* Echo inputs back: link self-test, and a counted region of known size. */
static int op_echo(const cc_in_t *in, size_t nin, cc_out_t *out, size_t *nout) {
  if (nin > CC_NOUT_MAX) return CC_ERR_ARGS;
  for (size_t i = 0; i < nin; i++)
    if (in[i].n > out[i].cap) return CC_ERR_OUTPUT;
  cc_measure_begin();
  for (size_t i = 0; i < nin; i++) {
    memcpy(out[i].p, in[i].p, in[i].n);
    out[i].n = in[i].n;
  }
  cc_measure_end();
  *nout = nin;
  return CC_OK;
}

/* Deliberate faults, one kind per input byte, to test that a fault becomes
 * an error result naming the fault and the run carries on. */
static volatile int fault_sink;
#pragma GCC diagnostic ignored "-Winfinite-recursion"
static int recurse(int depth) {
  volatile uint8_t pad[256];
  pad[0] = (uint8_t)depth;
  return recurse(depth + 1) + pad[0];
}
static int op_fault(const cc_in_t *in, size_t nin, cc_out_t *out, size_t *nout) {
  (void)out; (void)nout;
  int kind = (nin >= 1 && in[0].n >= 1) ? in[0].p[0] : 0;
  cc_measure_begin();
  switch (kind) {
    case 0: __asm__ volatile("udf #0"); break;                  /* undefined instruction */
    case 1: fault_sink = *(volatile int *)0xFFFFFFF0u; break;   /* bus error */
    case 2: fault_sink = *(volatile int *)0x20000001u; break;   /* unaligned (v7 LDR is ok; see LDRD) */
    case 3: fault_sink = recurse(0); break;                     /* stack overflow */
    case 4: for (;;) { __asm__ volatile(""); }                  /* hang */
    case 5: { volatile int z = 0; fault_sink = 1 / z; break; } /* divide by zero (v7+ traps) */
    case 6: ((void (*)(void))0xE0000001u)(); break;            /* execute from the XN System region: MemManage */
    case 7: __asm__ volatile("bkpt #1"); break;                  /* no debugger: escalates to HardFault */
    case 10: break;                                              /* no fault: a clean baseline */
    case 9: {                                                    /* write past an allocation (canary builds catch it) */
      volatile uint8_t *b = malloc(16);
      if (b) { for (int i = 0; i < 20; i++) b[i] = (uint8_t)i; free((void *)b); }
      break;
    }
    case 8: {                                                    /* heap exhaustion: allocate until refused */
      void *head = 0;
      for (;;) {
        void **blk = malloc(256);
        if (!blk) break;
        *blk = head;
        head = blk;
      }
      while (head) { void *next = *(void **)head; free(head); head = next; }
      cc_measure_end();
      return CC_ERR_NOMEM;
    }
    default: return CC_ERR_ARGS;
  }
  cc_measure_end();
  return CC_OK;
}

/* Set the device's calendar clock: i64 LE Unix seconds; 0 = no clock. */
void net_set_time(int64_t t);
static int op_set_time(const cc_in_t *in, size_t nin, cc_out_t *out, size_t *nout) {
  (void)out;
  if (nin != 1 || in[0].n != 8) return CC_ERR_ARGS;
  uint64_t t = 0;
  for (int i = 7; i >= 0; i--) t = (t << 8) | in[0].p[i];
  net_set_time((int64_t)t);
  *nout = 0;
  cc_measure_begin();
  cc_measure_end();
  return CC_OK;
}

/* Loop-back through the network path: send the input as a datagram, wait
 * for one datagram back and return it. Proves the relay and the pause. */
static int op_net_echo(const cc_in_t *in, size_t nin, cc_out_t *out, size_t *nout) {
  if (nin != 1) return CC_ERR_ARGS;
  cc_measure_begin();
  int r = cc_net_send(in[0].p, in[0].n);
  if (r >= 0) r = cc_net_recv(out[0].p, out[0].cap, 1000);
  cc_measure_end();
  if (r < 0) return r;
  out[0].n = (size_t)r;
  *nout = 1;
  return CC_OK;
}

/* The blob: inputs bigger than a link frame (core/blob.c). */
int cc_op_blob_alloc(const cc_in_t *in, size_t nin, cc_out_t *out, size_t *nout);
int cc_op_blob_write(const cc_in_t *in, size_t nin, cc_out_t *out, size_t *nout);
int cc_op_blob_free(const cc_in_t *in, size_t nin, cc_out_t *out, size_t *nout);

const struct cc_op cc_core_ops[] = {
    {"seed-rng", op_seed_rng},
    {"blob-alloc", cc_op_blob_alloc},
    {"blob-write", cc_op_blob_write},
    {"blob-free", cc_op_blob_free},
    {"set-time", op_set_time},
    {"selftest-net-echo", op_net_echo},
    {"selftest-echo", op_echo},
    {"selftest-fault", op_fault},
    {0, 0},
};
