/* The blob: one device heap buffer the harness fills in pieces (core ops
 * blob-alloc, blob-write, blob-free) for inputs bigger than a link frame,
 * e.g. a CRL of hundreds of KB. It lives on the same heap the libraries
 * use, as a downloaded file would: if it does not fit, blob-alloc answers
 * CC_ERR_NOMEM, which is a result ("does not fit"), not a crash. */
#ifndef CERTCOST_BLOB_H
#define CERTCOST_BLOB_H
#include <stddef.h>
#include <stdint.h>

/* The blob's bytes once every byte has been written; 0 (and *n = 0) if
 * there is no blob or it is incomplete. */
const uint8_t *cc_blob(size_t *n);
#endif
