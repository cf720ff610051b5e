/* Whole numbers from people and from servers, parsed one way: decimal digits only (no sign
 * for the unsigned form, no spaces, no trailing text), within [min, max]. */
#ifndef KA_NUMPARSE_H
#define KA_NUMPARSE_H

#include <stdint.h>

/* 0 and *out set, or -1 (not a number, or out of range). An optional leading '-'. */
int num_parse_long(const char *s, long min, long max, long *out);
/* 0 and *out set, or -1. Digits only. */
int num_parse_u64(const char *s, uint64_t max, uint64_t *out);

#endif
