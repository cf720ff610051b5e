/* What a person typed into a search, turned into Kombo's candidate filters (GET
 * /ats/candidates has no free-text search: only exact ids, remote_ids, email, first_name,
 * last_name). Pure: no I/O.
 *
 * After trimming white space:
 *   a Kombo ID (24 base58 characters)          ids
 *   an e-mail address (one @, a dot after it)  email
 *   an http(s) URL                             remote_ids = its last non-empty path
 *                                              segment (query and fragment stripped,
 *                                              percent-decoded)
 *   one token of letters, digits and - _ . :   remote_ids; when it is also a plain word
 *   with a digit in it, or digits only         (letters, ' and - only) also first_name,
 *   one plain word                             then last_name
 *   two or more words                          first_name + last_name split after the
 *                                              first word and before the last one, each
 *                                              split in both orders ("Anna Maria Schmidt":
 *                                              (Anna | Maria Schmidt), (Anna Maria |
 *                                              Schmidt), then the swapped ones)
 * Refused, with a message: empty, longer than QUERY_MAX_BYTES, control characters, not
 * valid UTF-8, a URL without a usable last segment. */
#ifndef KA_QUERY_H
#define KA_QUERY_H

#include <stdbool.h>
#include <stddef.h>

#define QUERY_MAX_BYTES 256
#define QUERY_PLAN_MAX 8

/* In the order of how exact a match is: a smaller value ranks first (finder.h). */
enum query_filter {
    QF_IDS,
    QF_EMAIL,
    QF_REMOTE_IDS,
    QF_FIRST_LAST,       /* first_name = first part, last_name = second part */
    QF_LAST_FIRST,       /* the same words read the other way round */
    QF_FIRST,
    QF_LAST,
    QF_COUNT
};

struct query_set {
    enum query_filter filter;
    const char *label;          /* query_filter_label(filter) */
    char *value[2];             /* the filter values (value[1] NULL when one) */
    /* For json_request.query or kread_candidates.pairs: name, value, ..., NULL (points
     * into value[]). */
    const char *query[5];
};

struct query_plan {
    struct query_set sets[QUERY_PLAN_MAX];   /* n of them, most exact first */
    size_t n;
    char *text;                 /* the trimmed input */
    /* One line saying what is searched, raw (escape before printing): "e-mail
     * frank@x.com", "Kombo ID 4B9b...", "ATS ID 12345 (from the URL)", "name Frank Doe
     * (both orders)", "name Anna Maria Schmidt (4 ways)", "first or last name Schmidt, or
     * ATS ID Schmidt" */
    char description[400];
};

/* Classify input. 0 with *out filled, or -1 with a one-line message in err (*out then
 * empty; query_plan_free is safe either way). */
int query_plan_build(const char *input, struct query_plan *out, char *err, size_t errlen);
void query_plan_free(struct query_plan *p);

/* "ids", "email", "remote_ids", "first_name+last_name", "last_name+first_name",
 * "first_name", "last_name". */
const char *query_filter_label(enum query_filter f);

#endif
