/* MIME type of a file: libmagic first, the file name's extension when libmagic is generic. */
#ifndef KA_MIME_H
#define KA_MIME_H

#include <stdbool.h>
#include <stddef.h>

/* Detect the MIME type of path (bare type/subtype) into out. Never fails: falls back to
 * application/octet-stream. The libmagic cookie is opened once and reused. */
void mime_detect(const char *path, char *out, size_t outlen);
/* Type for a file name's extension (pdf, docx, png, ...), or NULL when unknown. */
const char *mime_from_extension(const char *name);
/* Generic types Kombo asks clients not to send (application/octet-stream, text/plain for
 * binary-looking data is NOT generic; see mime.c). */
bool mime_is_generic(const char *content_type);
/* Release the libmagic cookie (at exit; optional). */
void mime_cleanup(void);

#endif
