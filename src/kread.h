/* The read requests of Kombo's API as JSON requests on the client (jsonreq.h): each
 * function checks its arguments, queues one GET (sent at the next client_poll) and returns
 * the transfer; read its result (transfer.h) when transfer_finished, parse result->json
 * with candidate.h, listing.h, restrict.h or integration.h, and transfer_free it.
 *
 * All return NULL with a one-line message in err and *code = KA_EXIT_* (exitcodes.h)
 * when refused (nothing is sent then): KA_EXIT_USAGE for a bad argument.
 *
 * Kombo's concurrency limit (client_set_limit) counts the "unified actions" that run
 * against the ATS itself. Of these reads ONLY the attachment listings count; candidate
 * reads come from Kombo's synced copy, and the key check, the integration and the actions'
 * metadata are Kombo's own data. */
#ifndef KA_KREAD_H
#define KA_KREAD_H

#include <stdbool.h>
#include <stddef.h>

struct client;
struct transfer;

#define KREAD_PAGE_SIZE_MAX 250

/* GET /ats/candidates. Every field is optional (NULL / 0 / false = not sent). */
struct kread_candidates {
    const char *ids;             /* comma-separated Kombo IDs */
    const char *remote_ids;      /* comma-separated ATS IDs */
    const char *email;
    const char *first_name;
    const char *last_name;
    const char *job_ids;         /* comma-separated */
    bool include_deleted;
    bool ignore_unsupported_filters;
    const char *updated_after;   /* YYYY-MM-DDTHH:mm:ss.sssZ (checked: digits and separators
                                    where they belong, the milliseconds and Z optional) */
    int page_size;               /* 1..KREAD_PAGE_SIZE_MAX; 0 = Kombo's default (100) */
    const char *cursor;          /* data.next of the previous page */
    /* More filters as name/value pairs, NULL-ended (a NULL value skips its pair), e.g. a
     * query_set's (query.h). Names must be among ids, remote_ids, email, first_name,
     * last_name, job_ids, and not also set above. */
    const char *const *pairs;
};

/* Does not count against the concurrency limit. */
struct transfer *kread_candidates(struct client *c, const struct kread_candidates *q, int *code,
                                  char *err, size_t errlen);
/* Only the checks of kread_candidates: NULL when fine, else the message in err. */
const char *kread_candidates_check(const struct kread_candidates *q, char *err, size_t errlen);

/* GET /ats/candidates/{candidate_id}/attachments. COUNTS against the concurrency limit. */
struct transfer *kread_candidate_attachments(struct client *c, const char *candidate_id,
                                             int *code, char *err, size_t errlen);
/* GET /ats/applications/{application_id}/attachments. COUNTS against the limit. */
struct transfer *kread_application_attachments(struct client *c, const char *application_id,
                                               int *code, char *err, size_t errlen);

/* GET /check-api-key, without X-Integration-Id. Does not count. */
struct transfer *kread_check_api_key(struct client *c, int *code, char *err, size_t errlen);
/* GET /integrations/{integration_id} (NULL = the client's), without X-Integration-Id.
 * Does not count. */
struct transfer *kread_integration(struct client *c, const char *integration_id, int *code,
                                   char *err, size_t errlen);

enum kread_target {
    KREAD_TO_APPLICATION,  /* ats_add_application_attachment */
    KREAD_TO_CANDIDATE     /* ats_add_candidate_attachment */
};
/* GET /ats/actions/ats_add_{application,candidate}_attachment (with X-Integration-Id):
 * what the integration accepts (restrict.h). Does not count. */
struct transfer *kread_restrictions(struct client *c, enum kread_target target, int *code,
                                    char *err, size_t errlen);

#endif
