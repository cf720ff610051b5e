/* Paging through GET /ats/candidates with any filters: a chain of JSON requests (kread.h),
 * one page at a time, following data.next. Non-blocking: the caller runs client_poll and
 * asks pager_next for the next page; pager_run is the blocking loop for the command line.
 *
 * Guards (each stops the pager with PAGER_ERROR and a clear message):
 *  - a cursor that repeats any earlier one (a server going round in circles);
 *  - more pages than max_pages (default PAGER_DEFAULT_MAX_PAGES);
 *  - an answer larger than JSONREQ_ANSWER_MAX (10 MiB) is not parsed: the message says
 *    how large it was and to ask for fewer results per page;
 *  - an answer that is not Kombo's (HTML from a proxy, ...) is described as answer.c
 *    does, with the page number in front.
 * Memory stays flat: the pager holds at most one page it has not handed out yet, one
 * request in flight, and 8 bytes per cursor seen (a 64-bit hash of each: two different
 * cursors would have to collide to stop a sync early).
 *
 * Prefetch (for an index sync): with prefetch set, the request for page k+1 is queued as
 * soon as page k has been parsed and its cursor is known, before pager_next hands page k
 * out, so the network works while the caller stores page k. Without it, page k+1 is asked
 * for when the caller calls pager_next again (it has finished with page k). */
#ifndef KA_PAGER_H
#define KA_PAGER_H

#include <stdbool.h>
#include <stddef.h>

#include "candidate.h"
#include "kread.h"
#include "transfer.h"

struct client;
struct pager;

#define PAGER_DEFAULT_MAX_PAGES 10000

struct pager_options {
    /* Filters and page_size; .cursor = where to start (NULL: the first page). Copied: the
     * strings need not outlive pager_start. */
    struct kread_candidates filter;
    size_t max_pages;          /* 0 = PAGER_DEFAULT_MAX_PAGES */
    bool prefetch;
};

enum pager_status {
    PAGER_WAIT,    /* nothing new yet: client_poll and ask again */
    PAGER_PAGE,    /* a page was handed out */
    PAGER_END,     /* the last page was handed out before (next: null) */
    PAGER_ERROR    /* stopped: pager_error says why (pages handed out before stay valid) */
};

struct pager_error {
    size_t page;                   /* 1-based page that failed (0: before any request) */
    enum transfer_outcome outcome; /* the transfer's; TRANSFER_SERVER for a broken answer or
                                      a guard, TRANSFER_CANCELLED after pager_cancel */
    bool retry_helps;
    long http_status;              /* 0 when the server did not answer */
    char code[96];                 /* Kombo's error code, e.g. PLATFORM.RATE_LIMIT_EXCEEDED;
                                      "" when none */
    char message[640];             /* one line: "page 3: <the transfer's message>" */
};

/* Check the options (kread_candidates_check) and queue the first page's request. NULL
 * with a message and *code = KA_EXIT_* when refused. */
struct pager *pager_start(struct client *c, const struct pager_options *o, int *code, char *err,
                          size_t errlen);
/* Non-blocking; call after client_poll. On PAGER_PAGE, *out receives the page (the caller
 * owns it: cand_page_free). *out is untouched otherwise. */
enum pager_status pager_next(struct pager *p, struct cand_page *out);
/* Why the pager stopped (PAGER_ERROR), else NULL. */
const struct pager_error *pager_error(const struct pager *p);
/* Pages handed out so far. */
size_t pager_pages(const struct pager *p);
/* Stop: the request in flight is cancelled; pager_next then answers PAGER_ERROR
 * (TRANSFER_CANCELLED) unless it had already ended. */
void pager_cancel(struct pager *p);
/* Cancels what is in flight; frees the pager and its transfers. */
void pager_free(struct pager *p);

/* Called with each page (1-based index). The page is the pager's: it is freed after the
 * call, but the callback may move candidates out of it (take items[i] and zero it).
 * Return 0 to go on, anything else to stop. */
typedef int (*pager_page_fn)(void *data, struct cand_page *page, size_t index);

/* The blocking loop: pages until the last one, an error or the callback says stop.
 * 0 = every page read, 1 = the callback stopped it, -1 = error (in *err when err is not
 * NULL; also for a refused start, with err->page 0). */
int pager_run(struct client *c, const struct pager_options *o, pager_page_fn fn, void *data,
              struct pager_error *err);

#endif
