/* Reading fields of Kombo's JSON answers the same way in every parser of the reading layer
 * (candidate.c, listing.c, restrict.c, integration.c): null accepted, unknown fields
 * ignored, every string UTF-8-checked and capped, so memory stays flat whatever a server
 * sends. Pure: no I/O. */
#ifndef KA_JFIELD_H
#define KA_JFIELD_H

#include <stdbool.h>
#include <stddef.h>

struct cJSON;

enum jf_status {
    JF_OK,       /* a value of the wanted kind */
    JF_NULL,     /* JSON null */
    JF_MISSING,  /* no such member (or the object itself is NULL / not an object) */
    JF_TYPE      /* present but of another kind */
};

/* A display string: obj[name] as a new string, cut to at most max bytes at a character
 * boundary, each byte that is not well-formed UTF-8 replaced by U+FFFD. Control
 * characters and bidi marks are kept as sent: front ends escape with termsafe.h when they
 * print. *out is NULL unless JF_OK; an empty string is JF_OK (""). */
enum jf_status jf_text(const struct cJSON *obj, const char *name, size_t max, char **out);

/* An identifier (an ID, a cursor, a URL): obj[name] as a new string, kept exactly or not at
 * all. JF_TYPE also when it is empty, longer than max bytes or not valid UTF-8 (an ID cut
 * or repaired would name something else). */
enum jf_status jf_ident(const struct cJSON *obj, const char *name, size_t max, char **out);

/* obj[name] as a boolean. */
enum jf_status jf_bool(const struct cJSON *obj, const char *name, bool *out);

/* obj[name] when it is an object / an array (NULL otherwise), with its status. */
const struct cJSON *jf_object(const struct cJSON *obj, const char *name, enum jf_status *st);
const struct cJSON *jf_array(const struct cJSON *obj, const char *name, enum jf_status *st);

/* The "data" object of a success answer {"status":"success","data":{...}}: NULL with a
 * one-line message naming what is wrong (not an object, no data, data not an object). */
const struct cJSON *jf_data(const struct cJSON *answer, const char *what, char *err,
                            size_t errlen);

/* "missing", "null", "<kind>" for messages: "results is a string, not an array". */
const char *jf_status_name(enum jf_status st, const struct cJSON *obj, const char *name);

#endif
