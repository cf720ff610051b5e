/* See textbuf.h. */
#include "textbuf.h"

#include <string.h>

#include "xalloc.h"

void textbuf_add(struct textbuf *b, const void *s, size_t n)
{
    if (b->n + n + 1 > b->cap) {
        b->cap = (b->n + n + 1) * 2 + 64;
        b->p = xrealloc(b->p, b->cap);
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = '\0';
}

void textbuf_byte(struct textbuf *b, unsigned char c)
{
    textbuf_add(b, &c, 1);
}

void textbuf_str(struct textbuf *b, const char *s)
{
    textbuf_add(b, s, strlen(s));
}
