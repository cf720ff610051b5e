/* Small UTF-8 helpers shared by the backend and the UI. */
#ifndef KA_UTF8_H
#define KA_UTF8_H

#include <stdbool.h>
#include <stddef.h>

/* True when s[0..n) is well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF). */
bool utf8_valid(const char *s, size_t n);

#endif
