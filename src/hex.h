/* Hex digits, done once. */
#ifndef KA_HEX_H
#define KA_HEX_H

#include <stddef.h>

/* Lower-case hex of n bytes into out (2n+1 bytes, NUL-terminated). */
void hex_encode(const void *in, size_t n, char *out);
/* "0123456789ABCDEF"[v & 15]: for \xNN and %NN escapes. */
char hex_upper_digit(unsigned v);
/* Value of one hex digit (either case), or -1. */
int hex_value(int c);
/* s[0..n) with every %XX turned into its byte (a '%' not followed by two hex digits stays
 * as it is) into out, which has room for n + 1 bytes; NUL-terminated. Returns the length
 * (a decoded %00 counts: the caller checks what it needs). */
size_t hex_percent_decode(const char *s, size_t n, char *out);

#endif
