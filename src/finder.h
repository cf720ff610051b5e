/* A search: a query plan (query.h) run on the client, one chain of candidate reads per
 * filter set, all at once (candidate reads do not count against Kombo's concurrency
 * limit). Non-blocking, for the UI as for the command line:
 *
 *   struct finder *f = finder_start(client, &plan, &opts, &code, err, sizeof err);
 *   while (!finder_done(f)) client_poll(client, 100, fd, &key);   (or finder_run)
 *   finder_get_results(f, &r); ... finder_free(f);
 *
 * The UI starts one on a keystroke and finder_cancel/finder_free's it when the query
 * changes; the finder owns its transfers and never outlives its client.
 *
 * Results are merged by Kombo ID: one hit per candidate, remembering every filter that
 * found it. Order: the hits of exact filters (ids, email, remote_ids) first, then names
 * (query_filter order of the best filter that found it), then by the plan's order and
 * the answer's order. Filters that failed are reported one by one, with the transfer's
 * outcome and message (Kombo's answer and hint, as for uploads); the others' hits are
 * kept (partial results). */
#ifndef KA_FINDER_H
#define KA_FINDER_H

#include <stdbool.h>
#include <stddef.h>

#include "candidate.h"
#include "pager.h"
#include "query.h"

struct client;
struct finder;

#define FINDER_PAGE_SIZE 50
#define FINDER_MAX_RESULTS 500

struct finder_options {
    int page_size;          /* per filter set, 1..250; 0 = FINDER_PAGE_SIZE */
    size_t max_pages;       /* pages followed per filter set; 0 = 1 (the first page only) */
    size_t max_results;     /* hits kept; 0 = FINDER_MAX_RESULTS; more set truncated */
    bool include_deleted;
    const char *job_ids;    /* only candidates who applied to any of these; NULL = any */
};

struct finder_hit {
    struct candidate cand;
    unsigned matched;            /* bit (1u << enum query_filter) per filter that found it */
    enum query_filter best;      /* the most exact of them */
    size_t set;                  /* index in the plan of the first set that found it with
                                    that filter, and its place in that set's answers (the
                                    order of hits; a table may show it) */
    size_t position;
};

struct finder_failure {
    enum query_filter filter;
    const char *label;           /* query_filter_label(filter) */
    struct pager_error err;      /* outcome, HTTP status, Kombo's code, message */
};

struct finder_results {
    const struct finder_hit *hits;     /* n of them, in the order above */
    size_t n;
    bool truncated;              /* more than max_results, or a filter set had more pages
                                    than max_pages (Kombo said next) */
    const struct finder_failure *failures;   /* n_failures of them, in the plan's order */
    size_t n_failures;
    size_t sets, sets_done;      /* filter sets in the plan, and finished (ok or not) */
    bool cancelled;
};

/* Queue the first page of every filter set. NULL with a message and *code = KA_EXIT_*
 * when refused (an empty plan, bad options). The plan may be freed after this call. */
struct finder *finder_start(struct client *c, const struct query_plan *plan,
                            const struct finder_options *o, int *code, char *err,
                            size_t errlen);
/* Take in what finished since the last call (call after each client_poll); true once
 * every filter set is finished, failed or cancelled. */
bool finder_done(struct finder *f);
/* Stop every request still running; finder_done is then true. Hits so far stay. */
void finder_cancel(struct finder *f);
/* The results so far (valid until the next finder_done, finder_cancel or finder_free). */
void finder_get_results(const struct finder *f, struct finder_results *out);
void finder_free(struct finder *f);

/* The blocking loop for the command line: start, client_poll until done. The finished
 * finder (read it with finder_get_results, then finder_free), or NULL when refused. */
struct finder *finder_run(struct client *c, const struct query_plan *plan,
                          const struct finder_options *o, int *code, char *err, size_t errlen);

#endif
