/* The command server: announce ourselves, then run ops the harness sends,
 * one at a time, until told to exit. Each op is bracketed by stack
 * painting and heap-peak tracking; the op brackets its counted part with
 * cc_measure_begin/end, which the counting plugin watches. An op whose
 * shape the contract fixes (certcost/shapes.h) is checked here first and,
 * if its inputs or output room do not match, refused without running. */
#include <string.h>
#include "certcost/hal.h"
#include "certcost/link.h"
#include "certcost/measure.h"
#include "certcost/ops.h"
#include "certcost/shapes.h"

#ifndef LINK_MAX
#define LINK_MAX 2048
#endif
#define STR_(x) #x
#define STR(x) STR_(x)

extern const struct cc_op cc_core_ops[];
static uint8_t rx[LINK_MAX];
static uint8_t tx[LINK_MAX];

static const struct cc_op *find_op(const char *name, size_t n) {
  const struct cc_op *tables[2] = {cc_lib_ops, cc_core_ops};
  for (int t = 0; t < 2; t++)
    for (const struct cc_op *op = tables[t]; op->name; op++)
      if (strlen(op->name) == n && memcmp(op->name, name, n) == 0) return op;
  return 0;
}

static void put32(uint8_t *p, uint32_t v) {
  p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); p[2] = (uint8_t)(v >> 16); p[3] = (uint8_t)(v >> 24);
}

static void send_hello(void) {
  static char buf[512];
  size_t n = 0;
  const char *parts[] = {"proto=1\nboard=", STR(BOARD), "\nlib=", cc_lib_name, "\nlinkmax=", STR(LINK_MAX), "\nops="};
  for (size_t i = 0; i < sizeof parts / sizeof *parts; i++) {
    size_t l = strlen(parts[i]);
    memcpy(buf + n, parts[i], l); n += l;
  }
  const struct cc_op *tables[2] = {cc_lib_ops, cc_core_ops};
  for (int t = 0; t < 2; t++)
    for (const struct cc_op *op = tables[t]; op->name; op++) {
      size_t l = strlen(op->name);
      if (n + l + 2 > sizeof buf) break;
      memcpy(buf + n, op->name, l); n += l;
      buf[n++] = ',';
    }
  buf[n++] = '\n';
  link_send(LINK_HELLO, 0, (const uint8_t *)buf, n);
}

/* OP payload: u8 name_len, name, u8 nargs, { u16 len, bytes }*nargs */
static void run_op(uint8_t seq, const uint8_t *p, size_t n) {
  cc_in_t in[8];
  size_t nin = 0, off = 0;
  uint8_t err = LINK_E_BADOP;
  if (n < 1) goto bad;
  size_t nl = p[0];
  off = 1 + nl;
  if (off + 1 > n) goto bad;
  const struct cc_op *op = find_op((const char *)p + 1, nl);
  nin = p[off++];
  if (nin > 8) goto bad;
  for (size_t i = 0; i < nin; i++) {
    if (off + 2 > n) goto bad;
    size_t l = (size_t)p[off] | ((size_t)p[off + 1] << 8);
    off += 2;
    if (off + l > n) goto bad;
    in[i].p = p + off;
    in[i].n = l;
    off += l;
  }
  if (!op) {
    /* Not built into this image: the harness reports it as unsupported. */
    int32_t st = CC_ERR_UNSUPPORTED;
    uint8_t hdr[14] = {0};
    put32(hdr, (uint32_t)st);
    link_send(LINK_RESULT, seq, hdr, sizeof hdr);
    return;
  }

  /* Each output gets an equal slot of outbuf; they are packed into tx as
   * { u16 len, bytes } after the 14-byte result header. */
  static uint8_t outbuf[LINK_MAX];
  cc_out_t out[CC_NOUT_MAX];
  size_t nout = 0;
  const size_t hdr_len = 14, slot = (sizeof outbuf) / CC_NOUT_MAX;
  for (size_t i = 0; i < CC_NOUT_MAX; i++) { out[i].p = outbuf + i * slot; out[i].cap = slot; out[i].n = 0; }

  /* The contract's shape check, before the figures are reset so that its
   * own stack is not the op's; a refusal still answers with one empty
   * bracket (cc_refuse), as the adapters' own checks did. */
  const struct cc_shape *shape = cc_shape_find((const char *)p + 1, nl);
  int refused = shape ? cc_shape_check(shape, in, nin, out) : CC_OK;

  uint32_t heap_base = measure_heap_now();
  measure_heap_reset();
  measure_op_reset();
  uintptr_t sp;
  __asm__ volatile("mov %0, sp" : "=r"(sp));
  measure_stack_paint(sp);
  int st = refused != CC_OK ? cc_refuse(refused) : op->run(in, nin, out, &nout);
  uint32_t stack = measure_stack_used();
  uint32_t heap = measure_heap_peak() - heap_base;
  uint8_t flags = measure_op_balanced() ? 1 : 0;
  if (measure_heap_now() != heap_base) flags |= 2; /* the op leaked */
  if (measure_heap_corrupt()) flags |= 4; /* wrote past an allocation (canary builds) */

  size_t w = hdr_len;
  if (nout > CC_NOUT_MAX) { st = CC_ERR_OUTPUT; nout = 0; }
  for (size_t i = 0; i < nout; i++) {
    if (out[i].n > out[i].cap || w + 2 + out[i].n > sizeof tx) { st = CC_ERR_OUTPUT; nout = 0; w = hdr_len; break; }
    tx[w++] = (uint8_t)out[i].n;
    tx[w++] = (uint8_t)(out[i].n >> 8);
    memcpy(tx + w, out[i].p, out[i].n);
    w += out[i].n;
  }
  put32(tx, (uint32_t)st);
  put32(tx + 4, stack);
  put32(tx + 8, heap);
  tx[12] = flags;
  tx[13] = (uint8_t)nout;
  link_send(LINK_RESULT, seq, tx, w);
  return;
bad:
  link_send(LINK_ERROR, seq, &err, 1);
}

int main(void) {
  hal_uart_init();
  measure_heap_warm();
  cc_lib_init();
  send_hello();
  for (;;) {
    uint8_t type, seq;
    size_t n = link_recv(&type, &seq, rx, sizeof rx);
    switch (type) {
      case LINK_OP: run_op(seq, rx, n); break;
      case LINK_EXIT: hal_exit(0);
      default: {
        uint8_t e = LINK_E_TYPE;
        link_send(LINK_ERROR, seq, &e, 1);
      }
    }
  }
}
