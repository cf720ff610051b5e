/* Small UTF-8 helpers shared by the backend and the UI. */
#ifndef KA_UTF8_H
#define KA_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Length of the well-formed character at s (n bytes available) with its code point in *cp,
 * or 0 when s does not start with one (also when n == 0). */
size_t utf8_decode(const char *s, size_t n, uint32_t *cp);
/* Encode cp into out; returns 1..4, or 0 for surrogates and values above U+10FFFF. */
size_t utf8_encode(uint32_t cp, char out[4]);

/* True when s[0..n) is well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF). */
bool utf8_valid(const char *s, size_t n);

/* Copy src into dst (n bytes, n > 0), cut to fit on a character boundary, NUL-ended. */
void utf8_copy_cut(char *dst, size_t n, const char *src);

#endif
