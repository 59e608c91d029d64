/* libFuzzer entry point: one firmware op of one library adapter, run on the
 * host with the fuzz input in place of its untrusted input. What the op is
 * and its other inputs come from a context file the harness writes
 * (harness/fuzz/libfuzzer.ts), named by CERTCOST_FUZZ_CONTEXT:
 *
 *   "CCFZ" u8 version=1
 *   u8 name_len, name            the op, e.g. x509-parse, dtls-client
 *   u8 nin, u8 slot              its input count; the input the fuzz data
 *                                replaces, or 0xFF: a network op, whose fuzz
 *                                data are the server's datagrams
 *   u8 seed_len, seed            the RNG seed (the core op seed-rng)
 *   i64 LE unix time             the device clock (the core op set-time)
 *   nin x { u32 LE len, bytes }  the inputs (the slot's is ignored)
 *
 * A network op's fuzz data: datagrams as { u16 BE len, bytes }, in the
 * order the client reads them; a short last one takes what is left.
 * Every input starts from the same state: RNG reseeded, clocks reset, as the
 * device fuzzer reseeds the device before each run. CERTCOST_FUZZ_VERBOSE=1
 * prints each run's status (to check that the seeds are accepted). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "certcost/ops.h"
#include "shim.h"

#define MAX_IN 8
#define MAX_DGRAMS 64

static const struct cc_op *op;
static uint8_t *ctx_buf;
static cc_in_t ctx_in[MAX_IN];
static size_t ctx_nin;
static int ctx_slot; /* -1: network */
static uint8_t seed[64];
static size_t seed_len;
static int64_t now;
static int verbose;

static void die(const char *why) {
  fprintf(stderr, "certcost fuzz runner: %s\n", why);
  exit(2);
}

static uint32_t le32(const uint8_t *p) { return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24; }

static void load_context(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) die("cannot open CERTCOST_FUZZ_CONTEXT");
  if (fseek(f, 0, SEEK_END) != 0) die("cannot read the context");
  long n = ftell(f);
  if (n < 16 || n > (1 << 24)) die("context file size out of range");
  rewind(f);
  ctx_buf = malloc((size_t)n);
  if (!ctx_buf || fread(ctx_buf, 1, (size_t)n, f) != (size_t)n) die("cannot read the context");
  fclose(f);
  const uint8_t *p = ctx_buf, *end = ctx_buf + n;
#define NEED(k) do { if ((size_t)(end - p) < (size_t)(k)) die("context file truncated"); } while (0)
  NEED(5);
  if (memcmp(p, "CCFZ", 4) != 0 || p[4] != 1) die("not a version 1 context file");
  p += 5;
  NEED(1);
  size_t nl = *p++;
  NEED(nl);
  for (const struct cc_op *o = cc_lib_ops; o->name; o++)
    if (strlen(o->name) == nl && memcmp(o->name, p, nl) == 0) op = o;
  if (!op) die("this build has no such op");
  p += nl;
  NEED(2);
  ctx_nin = *p++;
  ctx_slot = *p == 0xFF ? -1 : *p;
  p++;
  if (ctx_nin > MAX_IN || ctx_slot >= (int)ctx_nin) die("bad input count or slot");
  NEED(1);
  seed_len = *p++;
  if (seed_len > sizeof seed) die("seed too long");
  NEED(seed_len);
  memcpy(seed, p, seed_len);
  p += seed_len;
  NEED(8);
  now = (int64_t)((uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32);
  p += 8;
  for (size_t i = 0; i < ctx_nin; i++) {
    NEED(4);
    size_t l = le32(p);
    p += 4;
    NEED(l);
    ctx_in[i].p = p;
    ctx_in[i].n = l;
    p += l;
  }
#undef NEED
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc; (void)argv;
  const char *path = getenv("CERTCOST_FUZZ_CONTEXT");
  if (!path) die("set CERTCOST_FUZZ_CONTEXT to the context file the harness wrote");
  load_context(path);
  verbose = getenv("CERTCOST_FUZZ_VERBOSE") != NULL;
  cc_lib_init();
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static uint8_t outbuf[LINK_MAX];
  cc_out_t out[CC_NOUT_MAX];
  const size_t slot = sizeof outbuf / CC_NOUT_MAX;
  for (size_t i = 0; i < CC_NOUT_MAX; i++) { out[i].p = outbuf + i * slot; out[i].cap = slot; out[i].n = 0; }
  cc_in_t in[MAX_IN];
  memcpy(in, ctx_in, sizeof in);

  const uint8_t *dg[MAX_DGRAMS];
  size_t dl[MAX_DGRAMS], nd = 0;
  if (ctx_slot >= 0) {
    /* The device receives an input inside one link frame: no bigger here. */
    if (size > LINK_MAX - 64) return -1;
    in[ctx_slot].p = data;
    in[ctx_slot].n = size;
  } else {
    size_t off = 0;
    while (off < size && nd < MAX_DGRAMS) {
      size_t l = off + 2 <= size ? (size_t)data[off] << 8 | data[off + 1] : 0;
      off += 2;
      if (off > size) break;
      if (l > size - off) l = size - off;
      if (l > LINK_MAX - 64) l = LINK_MAX - 64;
      dg[nd] = data + off;
      dl[nd++] = l;
      off += l;
    }
  }
  measure_rng_seed(seed, seed_len);
  shim_set_time(now);
  shim_net_reset(dg, dl, nd);
  size_t nout = 0;
  int st = op->run(in, ctx_nin, out, &nout);
  if (verbose) fprintf(stderr, "certcost fuzz runner: %s status %d\n", op->name, st);
  return 0;
}
