/* Strict JSON validation (RFC 8259) for JSON text a user hands us to send as is
 * (--remote-fields). cJSON is lenient: it takes bad \u escapes, leading zeros, "1.", a
 * byte-order mark or raw control bytes as white space, all of which a strict server refuses. */
#ifndef KA_JSON_STRICT_H
#define KA_JSON_STRICT_H

#include <stdbool.h>
#include <stddef.h>

struct json_strict_info {
    bool object;          /* the value is an object */
    bool long_number;     /* a number of 63+ characters (cJSON cannot hold it whole) */
    bool lone_surrogate;  /* a \uD800-style escape without its pair: not valid Unicode */
    int max_depth;
    size_t error_at;      /* byte offset where the text stopped being JSON */
};

#define JSON_STRICT_MAX_DEPTH 64

/* True when s[0..n) is exactly one JSON value in valid UTF-8, nested at most
 * JSON_STRICT_MAX_DEPTH deep. info may be NULL. */
bool json_strict_check(const char *s, size_t n, struct json_strict_info *info);

#endif
