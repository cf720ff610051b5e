/* The read requests: arguments checked here once, then one jsonreq each. Which of them
 * count against Kombo's concurrency limit is decided here and only here (kread.h). */
#include "kread.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "client.h"
#include "exitcodes.h"
#include "jsonreq.h"
#include "kombo.h"

static const char *const filter_names[] = {"ids", "remote_ids", "email", "first_name",
                                           "last_name", "job_ids"};
#define N_FILTERS (sizeof filter_names / sizeof filter_names[0])

/* YYYY-MM-DDTHH:mm:ss, then optionally .s to .sss... and Z: what Kombo documents, with
 * the parts people leave out accepted. */
static bool date_ok(const char *s)
{
    static const char shape[] = "dddd-dd-ddTdd:dd:dd";
    size_t i = 0;
    for (; shape[i]; i++) {
        if (shape[i] == 'd' ? !isdigit((unsigned char)s[i]) : s[i] != shape[i])
            return false;
    }
    if (s[i] == '.') {
        size_t d = 0;
        for (i++; isdigit((unsigned char)s[i]); i++)
            d++;
        if (d == 0 || d > 9)
            return false;
    }
    if (s[i] == 'Z')
        i++;
    return s[i] == '\0';
}

static const char *fields_of(const struct kread_candidates *q, size_t k)
{
    const char *v[N_FILTERS] = {q->ids, q->remote_ids, q->email, q->first_name, q->last_name,
                                q->job_ids};
    return v[k];
}

const char *kread_candidates_check(const struct kread_candidates *q, char *err, size_t errlen)
{
    if (q->page_size < 0 || q->page_size > KREAD_PAGE_SIZE_MAX) {
        snprintf(err, errlen, "page size %d: Kombo takes 1 to %d", q->page_size,
                 KREAD_PAGE_SIZE_MAX);
        return err;
    }
    if (q->updated_after && !date_ok(q->updated_after)) {
        snprintf(err, errlen, "updated-after must look like 2024-05-01T12:00:00.000Z");
        return err;
    }
    if (q->cursor && !*q->cursor) {
        snprintf(err, errlen, "an empty cursor");
        return err;
    }
    for (size_t k = 0; k < N_FILTERS; k++)
        if (fields_of(q, k) && !*fields_of(q, k)) {
            /* Kombo would match nothing (or everything): say so instead. */
            snprintf(err, errlen, "the %s filter is empty", filter_names[k]);
            return err;
        }
    for (size_t p = 0; q->pairs && q->pairs[p]; p += 2) {
        size_t k = 0;
        while (k < N_FILTERS && strcmp(q->pairs[p], filter_names[k]) != 0)
            k++;
        if (k == N_FILTERS) {
            snprintf(err, errlen, "%.60s is not a candidate filter", q->pairs[p]);
            return err;
        }
        if (fields_of(q, k)) {
            snprintf(err, errlen, "the %s filter is given twice", filter_names[k]);
            return err;
        }
        if (q->pairs[p + 1] && !*q->pairs[p + 1]) {
            snprintf(err, errlen, "the %s filter is empty", filter_names[k]);
            return err;
        }
    }
    return NULL;
}

static struct transfer *start(struct client *c, const char *const *segments,
                              const char *const *query, const char *integration_id, bool counts,
                              int *code, char *err, size_t errlen)
{
    struct json_request r = {
        .segments = segments,
        .query = query,
        .integration_id = integration_id,
        .counts = counts,
    };
    return jsonreq_start(c, &r, code, err, errlen);
}

static struct transfer *refuse(int *code, char *err, size_t errlen, const char *msg)
{
    if (code)
        *code = KA_EXIT_USAGE;
    if (msg != err)
        snprintf(err, errlen, "%s", msg);
    return NULL;
}

#define PAIRS_MAX 16 /* pairs given as pairs, beyond the named fields */

struct transfer *kread_candidates(struct client *c, const struct kread_candidates *q, int *code,
                                  char *err, size_t errlen)
{
    const char *bad = kread_candidates_check(q, err, errlen);
    if (bad)
        return refuse(code, err, errlen, bad);
    char page_size[16] = "";
    if (q->page_size)
        snprintf(page_size, sizeof page_size, "%d", q->page_size);
    const char *query[2 * (N_FILTERS + PAIRS_MAX + 5) + 1];
    size_t n = 0;
#define PAIR(name, value) (query[n++] = (name), query[n++] = (value))
    for (size_t k = 0; k < N_FILTERS; k++)
        PAIR(filter_names[k], fields_of(q, k));
    for (size_t p = 0; q->pairs && q->pairs[p]; p += 2) {
        if (p / 2 == PAIRS_MAX)
            return refuse(code, err, errlen, "too many filters");
        PAIR(q->pairs[p], q->pairs[p + 1]);
    }
    PAIR("include_deleted", q->include_deleted ? "true" : NULL);
    PAIR("ignore_unsupported_filters", q->ignore_unsupported_filters ? "true" : NULL);
    PAIR("updated_after", q->updated_after);
    PAIR("page_size", q->page_size ? page_size : NULL);
    PAIR("cursor", q->cursor);
#undef PAIR
    query[n] = NULL;
    static const char *const segments[] = {"ats", "candidates", NULL};
    return start(c, segments, query, NULL, false, code, err, errlen);
}

static struct transfer *attachments(struct client *c, const char *what, const char *coll,
                                    const char *id, int *code, char *err, size_t errlen)
{
    const char *bad = kombo_check_path_id(what, id);
    if (bad)
        return refuse(code, err, errlen, bad);
    const char *const segments[] = {"ats", coll, id, "attachments", NULL};
    /* These run against the ATS itself: they count (kombo-api.md). */
    return start(c, segments, NULL, NULL, true, code, err, errlen);
}

struct transfer *kread_candidate_attachments(struct client *c, const char *candidate_id,
                                             int *code, char *err, size_t errlen)
{
    return attachments(c, "candidate", "candidates", candidate_id, code, err, errlen);
}

struct transfer *kread_application_attachments(struct client *c, const char *application_id,
                                               int *code, char *err, size_t errlen)
{
    return attachments(c, "application", "applications", application_id, code, err, errlen);
}

struct transfer *kread_check_api_key(struct client *c, int *code, char *err, size_t errlen)
{
    static const char *const segments[] = {"check-api-key", NULL};
    return start(c, segments, NULL, "", false, code, err, errlen);
}

struct transfer *kread_integration(struct client *c, const char *integration_id, int *code,
                                   char *err, size_t errlen)
{
    if (!integration_id)
        integration_id = client_options(c)->integration_id;
    /* kombo_check_path_id's messages name candidates and applications only. */
    if (!integration_id || !*integration_id)
        return refuse(code, err, errlen, "no integration ID");
    if (strcmp(integration_id, ".") == 0 || strcmp(integration_id, "..") == 0)
        return refuse(code, err, errlen, "the integration ID cannot be \".\" or \"..\"");
    const char *const segments[] = {"integrations", integration_id, NULL};
    return start(c, segments, NULL, "", false, code, err, errlen);
}

struct transfer *kread_restrictions(struct client *c, enum kread_target target, int *code,
                                    char *err, size_t errlen)
{
    const char *const segments[] = {"ats", "actions",
                                    target == KREAD_TO_CANDIDATE ? "ats_add_candidate_attachment"
                                                                 : "ats_add_application_attachment",
                                    NULL};
    return start(c, segments, NULL, NULL, false, code, err, errlen);
}
