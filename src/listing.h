/* Attachment listings: GET /ats/candidates/{id}/attachments (the candidate's own and all
 * of their applications') and GET /ats/applications/{id}/attachments, answered as
 * {"status":"success","data":{"results":[..]},"warnings":[..]} (warnings: the transfer's
 * result.answer). Pure: no I/O.
 *
 * Strings follow candidate.h's rules: IDs and data_url exactly as sent or absent; file
 * names, content types and dates are display text (cut, invalid UTF-8 replaced by U+FFFD,
 * control characters kept: escape with termsafe.h when shown). Only id is guaranteed;
 * every other field may be NULL (null, absent or ill-typed), whatever the schema says.
 *
 * Errors: an answer not of the success shape (no data object, results not an array) is an
 * error with a one-line message; a result that is not an object or has no usable id is
 * skipped and counted, with the first reason kept. */
#ifndef KA_LISTING_H
#define KA_LISTING_H

#include <stdbool.h>
#include <stddef.h>

#include "attachment.h"

struct cJSON;

#define LISTING_MAX 1000           /* attachments kept from one listing */
#define LISTING_ID_MAX 256         /* bytes of an ID */
#define LISTING_URL_MAX 8192       /* bytes of a data_url (signed URLs are long); longer = absent */
#define LISTING_TEXT_MAX 512       /* bytes of file_name, content_type, type, dates */

struct listed_attachment {
    char *id;                  /* never NULL */
    char *application_id;      /* NULL: it belongs to the candidate (or was not sent) */
    char *candidate_id;        /* may be NULL */
    enum att_type type;        /* valid when type_known */
    bool type_known;           /* "CV", "COVER_LETTER" or "OTHER" */
    char *type_name;           /* the type as sent (for display when unknown); may be NULL */
    char *remote_id;           /* may be NULL */
    char *data_url;            /* where to download it (download.h); may be NULL */
    char *file_name;           /* may be NULL */
    char *content_type;        /* may be NULL */
    char *remote_created_at;   /* may be NULL */
    char *remote_updated_at;   /* may be NULL */
};

struct listing {
    struct listed_attachment *items;   /* n of them, in the answer's order */
    size_t n;
    bool truncated;            /* more than LISTING_MAX: the rest were dropped */
    size_t skipped;
    char skip_reason[160];     /* why the first one was skipped; "" when none */
};

/* Parse a listing answer (the result's json). 0, or -1 with a one-line message in err;
 * *out is filled either way (empty on error) and freed with listing_free. */
int listing_parse(const struct cJSON *answer, struct listing *out, char *err, size_t errlen);
void listing_free(struct listing *l);

/* How many of l's attachments belong to application_id (NULL: to the candidate itself). */
size_t listing_count_for(const struct listing *l, const char *application_id);

#endif
