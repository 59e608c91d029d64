/* Core ops for the blob (certcost/blob.h). Inputs are little-endian like
 * set-time: blob-alloc size u32; blob-write offset u32, bytes; blob-free.
 * Writes must cover the buffer exactly once, in any order; the blob is
 * handed out only when complete, so a half-uploaded CRL is never parsed. */
#include <stdlib.h>
#include <string.h>
#include "certcost/blob.h"
#include "certcost/ops.h"

static uint8_t *blob;
static size_t blob_len, blob_written;

static uint32_t le32(const uint8_t *p) { return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24; }

const uint8_t *cc_blob(size_t *n) {
  int whole = blob && blob_written == blob_len;
  *n = whole ? blob_len : 0;
  return whole ? blob : 0;
}

static void drop(void) {
  free(blob);
  blob = 0;
  blob_len = blob_written = 0;
}

/* The counted region is empty: moving bytes over the link is not the
 * device's work. The op's heap figure is the blob's size. */
int cc_op_blob_alloc(const cc_in_t *in, size_t nin, cc_out_t *out, size_t *nout) {
  (void)out;
  *nout = 0;
  cc_measure_begin();
  cc_measure_end();
  if (nin != 1 || in[0].n != 4) return CC_ERR_ARGS;
  drop();
  size_t n = le32(in[0].p);
  if (n == 0) return CC_ERR_ARGS;
  blob = malloc(n);
  if (!blob) return CC_ERR_NOMEM;
  blob_len = n;
  return CC_OK;
}

int cc_op_blob_write(const cc_in_t *in, size_t nin, cc_out_t *out, size_t *nout) {
  (void)out;
  *nout = 0;
  cc_measure_begin();
  cc_measure_end();
  if (nin != 2 || in[0].n != 4 || !blob) return CC_ERR_ARGS;
  size_t off = le32(in[0].p);
  if (off > blob_len || in[1].n > blob_len - off) return CC_ERR_ARGS;
  memcpy(blob + off, in[1].p, in[1].n);
  blob_written += in[1].n;
  if (blob_written > blob_len) { /* overlapping writes: refuse the blob */
    drop();
    return CC_ERR_ARGS;
  }
  return CC_OK;
}

int cc_op_blob_free(const cc_in_t *in, size_t nin, cc_out_t *out, size_t *nout) {
  (void)in; (void)nin; (void)out;
  *nout = 0;
  cc_measure_begin();
  cc_measure_end();
  drop();
  return CC_OK;
}
