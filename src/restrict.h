/* What an integration accepts: GET /ats/actions/ats_add_application_attachment and
 * .../ats_add_candidate_attachment answer data.attachment_restrictions, null when Kombo has
 * no information, else types.CV, types.COVER_LETTER, types.OTHER, each
 * {"is_supported": false} or {"is_supported": true, "max_file_size_bytes": <number|null>,
 * "accepted_mime_types": [..] | null}. Pure: no I/O.
 *
 * The rule throughout: what is not known never refuses. Null restrictions, a type that is
 * missing or ill-typed, a null or unusable max (not a finite number >= 0), a null or
 * empty list of MIME types (an empty list would refuse everything, which is more likely
 * a gap in Kombo's data than a rule) all leave that check open. */
#ifndef KA_RESTRICT_H
#define KA_RESTRICT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "attachment.h"

struct cJSON;

#define RESTRICT_MIME_MAX 64       /* accepted MIME types kept per type */
#define RESTRICT_MIME_LEN 127      /* bytes of one; longer entries are dropped */
#define RESTRICT_TYPES 3           /* indexed by enum att_type */

struct type_restriction {
    bool known;                /* Kombo described this type */
    bool is_supported;         /* when known */
    bool has_max;              /* max_bytes is a limit */
    uint64_t max_bytes;
    char **mime;               /* n_mime accepted types, lower-cased, as sent otherwise;
                                  n_mime == 0: any type (null, empty or absent) */
    size_t n_mime;
    bool mime_truncated;       /* more than RESTRICT_MIME_MAX were listed */
};

struct restrictions {
    bool known;                /* false: attachment_restrictions was null (no information) */
    struct type_restriction types[RESTRICT_TYPES];  /* [ATT_CV], [ATT_COVER_LETTER], [ATT_OTHER] */
};

/* Parse an actions answer (the result's json). 0, or -1 with a one-line message when the
 * answer is not the success shape (no data object; attachment_restrictions or types of the
 * wrong kind). *out is filled either way (unknown on error); free with restrict_free. */
int restrict_parse(const struct cJSON *answer, struct restrictions *out, char *err, size_t errlen);
void restrict_free(struct restrictions *r);

enum restrict_verdict {
    RESTRICT_OK,        /* allowed, or nothing known says otherwise */
    RESTRICT_REFUSED    /* the integration says it will not take this file */
};

/* Would the integration take a file of this type, size and content type (bare
 * type/subtype; parameters after ';' are ignored; NULL = unknown: the MIME check is
 * skipped)? r NULL = unknown. On RESTRICT_REFUSED, msg holds one line naming the limit,
 * e.g. "this integration accepts CV files up to 10 MiB as application/pdf or
 * application/msword; this file is 12.4 MiB", or "this integration does not accept
 * COVER_LETTER attachments". On RESTRICT_OK msg is "". Matching is case-insensitive;
 * "type/ *" and "* / *" entries (without the spaces) match as wildcards. */
enum restrict_verdict restrict_check(const struct restrictions *r, enum att_type type,
                                     uint64_t size, const char *content_type, char *msg,
                                     size_t msglen);

/* One type for the UI: "CV: PDF, DOCX, up to 10 MiB", "CV: any type, up to 10 MiB",
 * "CV: PDF, DOC, any size", "CV: not supported", "CV: no information". */
void restrict_describe(const struct restrictions *r, enum att_type type, char *out, size_t outlen);
/* All three, joined with "; ". */
void restrict_describe_all(const struct restrictions *r, char *out, size_t outlen);

/* "CV", "COVER_LETTER", "OTHER" (Kombo's names). */
const char *restrict_type_name(enum att_type type);

#endif
