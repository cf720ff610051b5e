/* A mock Kombo server on loopback (libmicrohttpd) that enforces the contract in
 * shared/kombo-api.md, stores what it receives under an inbox folder and can be told to
 * misbehave. Embeddable: the tests and the sandbox mode run it in-process (its own
 * threads; set quiet while curses owns the terminal).
 *
 * Stored files: <inbox>/<integration>/<candidate>/<name>, every part made safe, name
 * collisions become "name (2).ext" (a file sent to an application goes to its candidate's
 * folder); the success answer carries X-Mock-Stored-Path.
 *
 * Its people (struct mock_config's candidates, seed, data_file; the flags --candidates,
 * --seed, --data): a data set generated from the seed, the same on every machine, whose
 * first four candidates are always the fixed ones the README and tests name
 * (4B9bJBkJ6jEGfpdpcCJ7JKJ9 ...), default MOCK_DEFAULT_CANDIDATES in all; or a JSON array
 * of Kombo candidate objects, checked at start. Only they (and their applications) exist:
 * uploads and listings for other IDs get Kombo's 404, unless any_candidate.
 *
 * Besides the uploads it serves, each in the shape of its schema in
 * shared/kombo-openapi-subset.json (tests/test_mock_schema.c checks):
 *   GET /v1/ats/candidates: Kombo's paging (opaque cursor, next null on the last page,
 *     page_size 1..250) and filters (ids, remote_ids, job_ids, email, first_name,
 *     last_name, include_deleted, updated_after, ignore_unsupported_filters), from indexes;
 *   GET /v1/ats/candidates/{id}/attachments (with its applications' files) and
 *     GET /v1/ats/applications/{id}/attachments: what was stored, each data_url a
 *     GET /__mock/files/<token> that serves the bytes without auth;
 *   GET /v1/ats/actions/ats_add_{application,candidate}_attachment (restrictions);
 *   GET /v1/integrations/{id} (integration_id, integration_status, setup_status) and
 *   GET /v1/check-api-key.
 * latency_ms delays every /v1 answer without holding up other connections.
 * And, without auth, POST /__mock/fault?kind=..&status=..&count=..&retry_after=..&retry_after_ms=..
 * &path=..&method=.., GET /__mock/requests (recent requests: method, raw path, header names,
 * status), GET /__mock/stats and GET /logs/<n> (the target of every error's log_url).
 *
 * Which requests a fault hits: without a target, upload requests only (POST
 * .../attachments). With `path` and/or `method` (struct mock_fault's fields, or the query
 * parameters of the same names), any request below /v1 that matches all that is given:
 * `path` is a prefix of the path after /v1 as sent (still percent-encoded), ending at a
 * segment boundary ("/ats/candidates" matches /v1/ats/candidates and
 * /v1/ats/candidates/{id}/attachments, not /v1/ats/candidatesX); `method` is compared
 * ignoring case. So path=/check-api-key&kind=status&status=503&retry_after=1 makes the next
 * GET /v1/check-api-key answer 503 once, and method=GET&kind=stall stalls the next GET.
 * `count` counts only the requests the fault hits; the mock's own endpoints never match. */
#ifndef KA_MOCK_H
#define KA_MOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct mock;

struct mock_config {
    unsigned short port;      /* 0 = pick a free port */
    const char *inbox;        /* folder for received files (created); required */
    uint64_t max_body;        /* bytes; 0 = default 100 MiB */
    const char *tls_cert;     /* PEM files: serve HTTPS when both are set */
    const char *tls_key;
    const char *api_key;      /* when set, only this Bearer key is accepted; else any non-empty */
    bool quiet;               /* no request log on stderr */
    bool any_candidate;       /* accept any candidate ID (tests of odd IDs); by default only
                                 the data set's candidates exist and others get Kombo's 404 */
    /* The data set (see the top of this file). */
    unsigned candidates;      /* generated candidates, the four fixed ones first;
                                 0 = MOCK_DEFAULT_CANDIDATES */
    uint64_t seed;            /* the generator's seed: the same seed, the same people */
    const char *data_file;    /* a JSON array of Kombo candidates instead (checked) */
    /* GET /v1/ats/actions/ats_add_*_attachment: the attachment_restrictions object as JSON
     * text, or "null"; NULL = a common ATS's (every type; PDF, Word, text, RTF, ODT and
     * images; 10 MiB). Checked at start. */
    const char *restrictions;
    /* GET /v1/integrations/{id}: NULL = any ID of the form tool:id exists; else only this. */
    const char *integration_id;
    const char *integration_status;   /* NULL = "ACTIVE"; or "INVALID", "INACTIVE" */
    const char *setup_status;         /* NULL = "COMPLETED"; or "INCOMPLETE",
                                         "FINAL_SYNC_PENDING" */
    unsigned latency_ms;      /* every /v1 answer waits this long (others are not held up);
                                 at most 60000 */
    unsigned upload_latency_ms;   /* uploads wait this long instead, when set: an ATS takes
                                     longer to store a file than to list, and an upload whose
                                     client left is still stored when it is due */
    /* Kombo's concurrency limit: beyond this many attachment actions (uploads, attachment
     * listings) in flight per integration, 429 PLATFORM.CONCURRENCY_LIMIT_EXCEEDED; with
     * it set every answer carries Concurrency-Limit / Concurrency-Remaining, and
     * /__mock/stats peak_in_flight. 0 = no limit, no headers. (mock_limit.c) */
    unsigned concurrency_limit;
};

#define MOCK_DEFAULT_CANDIDATES 40

enum mock_fault_kind {
    MOCK_FAULT_NONE,
    MOCK_FAULT_STATUS,     /* answer `status` in Kombo's error shape (429 with Retry-After:
                              1 unless retry_after / retry_after_ms say otherwise; "" omits) */
    MOCK_FAULT_STALL,      /* never answer (until stopped) */
    MOCK_FAULT_DROP,       /* close the connection mid-body */
    MOCK_FAULT_HTML,       /* answer 502 with an HTML page */
    MOCK_FAULT_BAD_JSON,   /* answer 200 with truncated JSON */
    MOCK_FAULT_EMPTY,      /* answer 500 with an empty body */
    MOCK_FAULT_HUGE,       /* answer 200 with a valid but very large (8 MiB) JSON body */
    MOCK_FAULT_SLOW        /* read the body at `rate` bytes/s, then answer as usual */
};

struct mock_fault {
    enum mock_fault_kind kind;
    int count;              /* how many of the next targeted requests get it (-1 = all) */
    int status;             /* for MOCK_FAULT_STATUS: 429, 500, 503 ... */
    const char *retry_after;    /* Retry-After header value or NULL */
    const char *retry_after_ms; /* Retry-After-Ms header value or NULL */
    uint64_t rate;          /* for MOCK_FAULT_SLOW: bytes per second (0 = 1 MiB/s) */
    const char *code;       /* for MOCK_FAULT_STATUS: Kombo error code (NULL = by status) */
    const char *message;    /* for MOCK_FAULT_STATUS: error message (NULL = a generic one) */
    /* The target (see the top of this file); both NULL = upload requests only. */
    const char *path;       /* prefix of the path after /v1, e.g. "/check-api-key"; NULL = any */
    const char *method;     /* "GET", "POST", ... (any case); NULL = any */
};

struct mock *mock_start(const struct mock_config *cfg, char *err, size_t errlen);
unsigned short mock_port(const struct mock *m);
/* Base URL clients should use, e.g. http://127.0.0.1:PORT/v1 */
const char *mock_base_url(const struct mock *m);
void mock_inject(struct mock *m, const struct mock_fault *f);
/* Counters for tests. */
unsigned mock_request_count(const struct mock *m);   /* upload requests seen */
unsigned mock_stored_count(const struct mock *m);    /* attachments stored */
/* Raw path (as received, still percent-encoded) of the last request; caller frees. */
char *mock_last_raw_path(const struct mock *m);
void mock_stop(struct mock *m);

/* Change the people while the mock runs (the index's tests; also POST
 * /__mock/candidates/change?count=N and /__mock/candidates/delete?count=N): N candidates
 * that are not deleted, never the four fixed ones, get another first name and title and
 * changed_at = now, or (delete) remote_deleted_at = now. Returns how many changed. */
unsigned mock_change_candidates(struct mock *m, unsigned count, bool delete);

/* `kombo-attach mock [--port N] [--inbox DIR] ...`: runs until SIGINT/SIGTERM. */
int mock_main(int argc, char **argv);

#endif
