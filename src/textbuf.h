/* A growable byte buffer, always NUL-ended after its n bytes (so it reads as a string when
 * it holds text): for text built piece by piece (the index's search text, an FTS query)
 * and for blobs. Zero-initialised is empty; free p when done. */
#ifndef KA_TEXTBUF_H
#define KA_TEXTBUF_H

#include <stddef.h>

struct textbuf {
    char *p;
    size_t n, cap;
};

void textbuf_add(struct textbuf *b, const void *s, size_t n);
void textbuf_byte(struct textbuf *b, unsigned char c);
void textbuf_str(struct textbuf *b, const char *s);

#endif
