/* Shared by the reading layer's harnesses: the oracle for strings the parsers hand out. */
#ifndef KA_FUZZ_READ_H
#define KA_FUZZ_READ_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"

/* s is NULL, or valid UTF-8 of at most max bytes (non-empty when it is an ID). */
static inline void fr_check(const char *who, const char *s, size_t max, int id)
{
    if (!s)
        return;
    size_t n = strlen(s);
    if (n > max || !utf8_valid(s, n) || (id && n == 0)) {
        fprintf(stderr, "%s: bad string (%zu bytes, max %zu): \"%.80s\"\n", who, n, max, s);
        abort();
    }
}

#endif
