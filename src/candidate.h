/* Candidates as GET /ats/candidates answers them ({"status":"success","data":{"next":..,
 * "results":[..]}}), reduced to what a search and its display need. Pure: no I/O.
 *
 * Kept: IDs, names, title, company, the ATS's URL, dates, up to CAND_EMAILS_MAX e-mail
 * addresses and up to CAND_APPS_MAX applications. Never kept (privacy): phone numbers,
 * locations, social media, custom and integration fields, remote_data, tags.
 *
 * Strings:
 *  - IDs (id, remote_id, job and application IDs) are kept exactly as sent or not at all:
 *    an ID that is empty, not valid UTF-8 or longer than CAND_ID_MAX is treated as absent.
 *  - Every other string is display text: cut to CAND_TEXT_MAX bytes (CAND_URL_MAX for
 *    URLs) at a character boundary, and each byte that is not well-formed UTF-8 replaced
 *    by U+FFFD. Control characters, bidi overrides (U+202E) etc. are KEPT as sent: escape
 *    with termsafe.h's ts_escape (or answer_escape) whenever one is shown.
 *  - NULL means null, absent, or of the wrong JSON type (the schema's nullable fields and
 *    a server's mistakes read the same way; unknown fields are ignored).
 *
 * Errors: an answer that is not the success shape (no data object, results not an array,
 * next neither a string nor null) is an error with a one-line message. A single result
 * that is not an object or has no usable "id" is skipped, counted in cand_page.skipped,
 * and the first reason kept: one odd record never hides the others. */
#ifndef KA_CANDIDATE_H
#define KA_CANDIDATE_H

#include <stdbool.h>
#include <stddef.h>

struct cJSON;

#define CAND_ID_MAX 256       /* bytes of an ID (Kombo's are 24; ATS IDs can be longer) */
#define CAND_TEXT_MAX 512     /* bytes of a name, title, company, stage, job name, date */
#define CAND_URL_MAX 2048     /* bytes of remote_url (cut URLs are kept only for display) */
#define CAND_EMAIL_MAX 320    /* bytes of an e-mail address; longer ones are dropped */
#define CAND_EMAILS_MAX 8     /* e-mail addresses kept per candidate */
#define CAND_APPS_MAX 32      /* applications kept per candidate */
#define CAND_PAGE_MAX 1000    /* results kept per page (Kombo sends at most 250) */
#define CAND_CURSOR_MAX 4096  /* bytes of a "next" cursor; longer = error */

enum app_outcome {
    APP_OUTCOME_UNKNOWN,   /* null, absent, or a value this tool does not know */
    APP_OUTCOME_PENDING,
    APP_OUTCOME_HIRED,
    APP_OUTCOME_DECLINED
};

struct cand_application {
    char *id;                  /* never NULL (applications without one are skipped) */
    char *remote_id;           /* may be NULL */
    enum app_outcome outcome;
    char *stage;               /* current_stage.name; may be NULL */
    char *job_id;              /* job.id; may be NULL */
    char *job_name;            /* job.name (the job title); may be NULL */
    char *remote_created_at;   /* dates as sent (ISO 8601 text); may be NULL */
    char *changed_at;
    char *remote_url;
};

struct candidate {
    char *id;                  /* Kombo ID; never NULL in a parsed candidate */
    char *remote_id;           /* the ATS's ID; may be NULL */
    char *first_name, *last_name, *title, *company;   /* may be NULL */
    char *remote_url;          /* may be NULL */
    char *changed_at, *remote_updated_at;             /* may be NULL */
    char *remote_deleted_at;   /* non-NULL: deleted in the ATS */
    char *emails[CAND_EMAILS_MAX];   /* n_emails of them, in the answer's order, non-NULL */
    size_t n_emails;
    bool emails_truncated;     /* the answer had more than CAND_EMAILS_MAX */
    struct cand_application *apps;  /* n_apps of them */
    size_t n_apps;
    bool apps_truncated;       /* the answer had more than CAND_APPS_MAX */
};

struct cand_page {
    struct candidate *items;   /* n of them */
    size_t n;
    char *next;                /* cursor of the next page, or NULL on the last page */
    bool truncated;            /* more than CAND_PAGE_MAX results: the rest were dropped */
    size_t skipped;            /* results skipped (not an object, no usable id) */
    char skip_reason[160];     /* why the first one was skipped; "" when none */
};

/* Parse one candidate object (an element of data.results). 0, or -1 with a one-line reason
 * in why (the item is then empty and needs no candidate_free). */
int candidate_parse(const struct cJSON *item, struct candidate *out, char *why, size_t whylen);

/* Parse a whole GET /ats/candidates answer (the result's json, transfer.h). 0, or -1 with
 * a one-line message in err; *out is filled either way (empty on error) and is freed with
 * cand_page_free. */
int cand_page_parse(const struct cJSON *answer, struct cand_page *out, char *err, size_t errlen);
void cand_page_free(struct cand_page *p);

/* A deep copy of src into *dst (dst's old contents are not freed). */
void candidate_copy(struct candidate *dst, const struct candidate *src);
/* Free what c holds (not c itself) and zero it. */
void candidate_free(struct candidate *c);

/* What to call the candidate, raw (escape before printing): "First Last", one of them
 * when the other is missing or empty, else the first e-mail address, else the ID. Caller
 * frees; never NULL. */
char *candidate_display_name(const struct candidate *c);

/* "PENDING", "HIRED", "DECLINED", "unknown". */
const char *app_outcome_name(enum app_outcome o);

#endif
