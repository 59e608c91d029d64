/* Concatenated DER certificates (one SEQUENCE after another) into an
 * mbedTLS chain; used by x509.c and dtls.c. copy = 0 parses in place (the
 * op's input buffer outlives the chain), which saves a heap copy of each. */
#ifndef CERTCOST_MBEDTLS_DER_CHAIN_H
#define CERTCOST_MBEDTLS_DER_CHAIN_H
#include <stddef.h>
#include <stdint.h>
#include "mbedtls/asn1.h"
#include "mbedtls/x509_crt.h"

static inline int cc_mbedtls_parse_chain(mbedtls_x509_crt *crt, const uint8_t *p, size_t n, int copy) {
  const uint8_t *end = p + n;
  while (p < end) {
    unsigned char *q = (unsigned char *)p;
    size_t len;
    int ret = mbedtls_asn1_get_tag(&q, end, &len, MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE);
    if (ret != 0) return ret;
    size_t total = (size_t)(q - p) + len;
    ret = copy ? mbedtls_x509_crt_parse_der(crt, p, total) : mbedtls_x509_crt_parse_der_nocopy(crt, p, total);
    if (ret != 0) return ret;
    p += total;
  }
  return 0;
}
#endif
