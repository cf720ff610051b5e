/* Filling the index from GET /ats/candidates: a chain of page requests on the client
 * (pager.h, with prefetch: page k+1 travels while page k is stored). Non-blocking: the
 * front end calls client_poll as it always does and index_sync_step after each poll, so
 * the UI can sync while it answers keys. index_sync_run is the blocking loop for the
 * command line.
 *
 * The first sync reads every candidate (page_size 250, include_deleted=true). Pages are
 * stored in transactions of 1, 2, 4, ... up to 16 pages (at most a second), each together
 * with the cursor after its last page, so whatever stops a sync (Ctrl-C, kill -9, a
 * dropped network, a full disk) leaves an index that is consistent, and the next sync
 * resumes from the stored cursor with the same filters (reading again at most the pages
 * of the transaction it lost).
 * Later syncs are incremental: updated_after = the start of the last complete sync minus
 * INDEX_SYNC_MARGIN_S (clocks differ, Kombo's copy lags). A full sync comes again when the
 * last complete one is older than INDEX_SYNC_FULL_AFTER_S (Kombo anonymises deleted
 * candidates 14 days after they go: an older index could miss a deletion).
 *
 * Deleted candidates (remote_deleted_at set) are removed on every sync; a full sync also
 * removes, at its end, every candidate it did not see. Only one sync per index runs at a
 * time (a lock file; a second one is refused with a message, not queued). */
#ifndef KA_INDEX_SYNC_H
#define KA_INDEX_SYNC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct client;
struct index;
struct index_sync;

#define INDEX_SYNC_MARGIN_S 300.0
#define INDEX_SYNC_FULL_AFTER_S (13.0 * 86400)
#define INDEX_SYNC_PAGE_SIZE 250

struct index_sync_options {
    bool full;            /* read everything even when an incremental sync would do */
    int page_size;        /* 0 = INDEX_SYNC_PAGE_SIZE */
    size_t max_pages;     /* stop (as if interrupted) after this many pages; 0 = no limit.
                             For tests and a UI that syncs in slices. */
};

struct index_sync_progress {
    size_t pages;              /* stored in this run */
    uint64_t candidates;       /* received in this run (stored or removed) */
    uint64_t removed;          /* deleted upstream, removed from the index */
    double elapsed_s;
    double rate;               /* candidates per second so far */
    double eta_s;              /* seconds left, from the last complete sync's count; -1 unknown */
    uint64_t expected;         /* that count (0 unknown) */
    bool incremental;          /* updated_after is set */
    bool resumed;              /* started from a stored cursor */
    bool first;                /* the index was empty: tell the user what is stored */
};

enum index_sync_status {
    INDEX_SYNC_RUNNING,   /* client_poll and step again */
    INDEX_SYNC_DONE,      /* complete (or max_pages reached: index_sync_complete says) */
    INDEX_SYNC_ERROR      /* stopped: index_sync_error; what was stored stays, resumable */
};

/* Start a sync of ix over c (the requests go out at the next client_poll). NULL with a
 * one-line message and *code (KA_EXIT_*) when it cannot start: another sync running, the
 * database refusing. ix must outlive the sync. */
struct index_sync *index_sync_start(struct index *ix, struct client *c,
                                    const struct index_sync_options *o, int *code, char *err,
                                    size_t errlen);
/* Non-blocking: store the pages that arrived. Call after client_poll. */
enum index_sync_status index_sync_step(struct index_sync *s);
void index_sync_get_progress(const struct index_sync *s, struct index_sync_progress *p);
/* Whether the last page was stored (DONE without max_pages stopping it). */
bool index_sync_complete(const struct index_sync *s);
/* The message and exit code (KA_EXIT_*) of INDEX_SYNC_ERROR; "" and 0 otherwise. */
const char *index_sync_error(const struct index_sync *s, int *code);
/* Stop: the request in flight is cancelled; step then answers INDEX_SYNC_ERROR
 * (KA_EXIT_CANCELLED). What was stored stays, and the next sync resumes. */
void index_sync_cancel(struct index_sync *s);
void index_sync_free(struct index_sync *s);

/* Called after each stored page; return non-zero to stop (as index_sync_cancel). */
typedef int (*index_sync_progress_fn)(void *data, const struct index_sync_progress *p);

/* The blocking loop. KA_EXIT_OK, or the exit code with the message in err. *out (may be
 * NULL) gets the last progress. */
int index_sync_run(struct index *ix, struct client *c, const struct index_sync_options *o,
                   index_sync_progress_fn fn, void *data, struct index_sync_progress *out,
                   char *err, size_t errlen);

#endif
