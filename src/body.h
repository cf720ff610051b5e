/* The request body, produced on the fly:
 *   {"attachment":{"name":..,"type":..,"content_type":..,"data":"<base64 of file>"}}
 * with ,"remote_fields":{..} before the last brace when they were given.
 * Its exact length is known before sending; memory does not grow with the file. */
#ifndef KA_BODY_H
#define KA_BODY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct attachment;
struct body;

#define BODY_READ_ERROR ((size_t)-1)

/* Open the file and prepare prefix/suffix. The attachment comes from attachment_init and
 * remote_fields from sendopts_check_remote_fields (or NULL: left out), both checked. Returns NULL with a one-line message in err (and *code = KA_EXIT_*). */
struct body *body_open(const struct attachment *att, const char *remote_fields,
                       int *code, char *err, size_t errlen);
uint64_t body_length(const struct body *b);
/* The length body_open would give for att (its name, type, content type and size; the file
 * is not opened) and remote_fields: for estimates that must equal what is sent. */
uint64_t body_length_for(const struct attachment *att, const char *remote_fields);
/* Copy up to len bytes of the body into buf. Returns bytes produced, 0 at the end, or
 * BODY_READ_ERROR when the file failed or changed (size, mtime or identity) while being
 * read; the last byte of the body is never produced in that case. */
size_t body_read(struct body *b, char *buf, size_t len);
/* Start again from byte 0 (for retries); re-checks that the file is unchanged. 0 or -1. */
int body_rewind(struct body *b);
/* Also compute the SHA-256 of the file's bytes while reading (for the history); call
 * before the first body_read. 0 or -1. */
int body_want_sha256(struct body *b);
/* The file's SHA-256 in hex once a whole pass has been read and verified; false before. */
bool body_sha256_hex(const struct body *b, char out[65]);
/* Message for the last error (empty when none). */
const char *body_error(const struct body *b);
void body_close(struct body *b);

/* The JSON text of the body with the data replaced by a summary, for --dry-run.
 * Caller frees. */
char *body_describe(const struct attachment *att, const char *remote_fields);

#endif
