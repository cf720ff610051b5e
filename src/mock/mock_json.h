/* The mock's streaming view of an upload body: find the attachment.data string in a
 * (possibly huge) JSON text without building a tree, and decode it in chunks to a file.
 * Pure functions over a buffer (the spooled body, mmap'ed), so memory stays small. */
#ifndef KA_MOCK_JSON_H
#define KA_MOCK_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Deepest nesting accepted; deeper bodies are refused as invalid JSON. */
#define MJ_MAX_DEPTH 200

struct mj_span {
    bool found;    /* attachment.data exists and is a string */
    size_t start;  /* first byte of the string's content (after the opening quote) */
    size_t end;    /* the closing quote */
};

/* Scan buf[0..n) as one JSON value. Checks the structure (strings, brackets, commas,
 * nothing after the value), refuses duplicate "attachment" / "attachment.data" keys, and
 * reports where the top-level attachment.data string is. Scalars are only skipped:
 * cJSON checks them when it parses the rest. Returns 0, or -1 with a message in err.
 * mapped: buf is a read-only private file mapping (page-aligned); the pages already
 * scanned are then given back (MADV_DONTNEED) so that resident memory stays small
 * however big the body is. Never set it for ordinary memory: it would be zeroed. */
int mj_find_data(const unsigned char *buf, size_t n, bool mapped, struct mj_span *out,
                 char *err, size_t errlen);

/* Decode the raw content of a JSON string (escapes allowed, e.g. "\/") as standard
 * base64 into fd, in chunks. Returns 0 and the decoded size; -1 with a message naming
 * the first problem (offset counted in base64 characters); -2 when writing failed
 * (errno kept). map_base: start of the read-only file mapping s lies in, whose decoded
 * pages are given back as above; NULL for ordinary memory. */
int mj_decode_base64(const unsigned char *s, size_t n, const unsigned char *map_base, int fd,
                     uint64_t *decoded, char *err, size_t errlen);

/* Refuse an object holding the same key twice, at any depth of v (the parsed body without
 * attachment.data): parsers differ on which one wins, so the mock accepts neither.
 * 0, or -1 with a message naming the key. */
struct cJSON;
int mj_check_unique_keys(const struct cJSON *v, char *err, size_t errlen);

#endif
