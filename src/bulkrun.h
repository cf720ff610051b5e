/* The batch engine: many uploads on one client (client.h), up to a cap in flight that
 * adapts to Kombo's concurrency limit (client_set_adaptive), each file streamed from disk
 * as a single upload is, and each outcome written to the history the moment it is known.
 * Shared by `kombo-attach batch` and the command line's several files.
 *
 * Exactly once (DESIGN.md, "Batches"): the history is the journal. Before an upload's
 * first byte the engine appends a HISTORY_STARTED line, just before its last body bytes a
 * HISTORY_SENT line, then the outcome line. A run first reads the journal for every item's
 * content (SHA-256) and target:
 *   - an "ok" line: skipped, BULK_ALREADY;
 *   - the newest line HISTORY_STARTED, HISTORY_SENT or "unknown" (killed, or the connection
 *     broke after the whole body went out): the target's attachments are listed first; an
 *     attachment of the same name and type (and, when it has a data_url, the same SHA-256)
 *     means it arrived, BULK_FOUND, and an "ok" line is written;
 *   - not listed after "started": sent (its whole body never left, nothing was stored);
 *   - not listed after "sent"/"unknown": Kombo may still be storing it. BULK_SETTLING: listed
 *     again now and then until the line is older than an attempt may take (the client's
 *     timeout), then sent;
 *   - anything else: sent.
 *
 *   struct bulk_item *items = ... (bulk_item_init each, after the caller's checks)
 *   bulk_run(client, items, n, &opts);   then read each item's status and message
 * or, from a loop that waits on more than the network (the UI):
 *   j = bulk_begin(client, items, n, &opts);
 *   while (bulk_step(j)) client_poll(...);     (one step after each of the loop's waits)
 *   rc = bulk_end(j); */
#ifndef KA_BULKRUN_H
#define KA_BULKRUN_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "attachment.h"

struct client;
struct transfer;

#define BULK_DEFAULT_CONCURRENCY 8
#define BULK_MAX_CONCURRENCY 64

enum bulk_status {
    BULK_PENDING,     /* not decided yet (or not run: cancelled before its turn) */
    BULK_ATTACHED,    /* sent now, Kombo said success */
    BULK_ALREADY,     /* the journal says this content reached this target before */
    BULK_FOUND,       /* an earlier run's outcome was unknown; the listing shows it arrived */
    BULK_FAILED       /* message says why; code is its exit code */
};

struct bulk_item {
    size_t row;                  /* manifest line, or the file's place on the command line */
    char *shown;                 /* the file as the user wrote it (raw) */
    struct attachment att;       /* checked by the caller (owned: freed by bulk_item_free) */
    char *candidate_id;          /* the target: candidate, or application (of candidate_id
                                    when known) */
    char *application_id;
    char *candidate_name, *job_name;   /* for the history, when known */
    char sha256[65];             /* hex; "" until hashed (bulk_run hashes what is missing) */

    enum bulk_status status;
    int code;                    /* KA_EXIT_* for BULK_FAILED, else 0 */
    const char *outcome;         /* "ok", "duplicate", "found", or the transfer's outcome */
    char message[800];
    int attempts;
    long http_status;

    time_t done_at;              /* BULK_ALREADY: when the journal's "ok" line was written */

    /* the engine's */
    int prior;                   /* what the journal said (enum bulk_prior) */
    time_t prior_at;             /* and when its newest started/sent line was written */
    int phase;
    struct transfer *t;
    void *probe;
    time_t settle_until;         /* BULK_SETTLING: when it is sent anyway if still not listed */
    double settle_next, settle_wait;   /* the next listing (monotonic s), the last pause */
    struct client *client;
};

struct bulk_stats {
    size_t total, done;          /* items; done = decided */
    size_t attached, already, found, failed;
    uint64_t bytes_total, bytes_done;   /* file bytes of the items to send */
    size_t in_flight;            /* uploads and listings running now */
    size_t checking;             /* items whose target is being listed (BULK_CHECKING) */
    size_t settling;             /* items waiting for an interrupted run's upload to show */
    time_t settle_until;         /* the latest of their deadlines (0: none settling) */
    int cap;                     /* the concurrency cap in force */
    unsigned rejected;           /* 429 CONCURRENCY_LIMIT_EXCEEDED so far */
    double elapsed_s, rate, eta_s;      /* rate in file bytes/s; eta < 0 = unknown */
};

struct bulk_options {
    int concurrency;             /* 1..BULK_MAX_CONCURRENCY; 0 = BULK_DEFAULT_CONCURRENCY */
    const char *remote_fields;   /* JSON object text for every upload, or NULL */
    bool no_history;             /* no journal: nothing skipped, nothing written */
    bool force;                  /* send even what the journal says arrived */
    long settle_s;               /* how long after an upload's "sent" line Kombo may still
                                    store it; 0 = the client's attempt timeout (or 300 s) */
    bool keep_uploads;           /* a decided item keeps its finished upload (its result, for
                                    a screen to show) until bulk_item_free */
    volatile sig_atomic_t *interrupted;   /* set (Ctrl-C): stop starting, cancel, end */
    /* Called after every poll (the caller limits its redraws) and once at the end. */
    void (*progress)(const struct bulk_stats *s, void *cls);
    /* Called once per item when it is decided, with its upload (NULL when none was sent)
     * still alive, e.g. to print its line. */
    void (*done)(struct bulk_item *it, const struct transfer *upload, void *cls);
    void *cls;
};

/* Give an item its fields (copied; att is moved in and *att zeroed). */
void bulk_item_init(struct bulk_item *it, size_t row, const char *shown, struct attachment *att,
                    const char *candidate_id, const char *application_id,
                    const char *candidate_name, const char *job_name);
void bulk_item_free(struct bulk_item *it);

/* Run every item. Returns KA_EXIT_OK when each is attached, already there or found, else
 * the worst item's code (KA_EXIT_CANCELLED when interrupted). */
int bulk_run(struct client *c, struct bulk_item *items, size_t n, const struct bulk_options *o);

/* The same, a step at a time: bulk_begin hashes what is missing and reads the journal
 * (local work, no network); each bulk_step looks at what the last client_poll finished,
 * starts what the cap allows and reports progress, and returns false once every item is
 * decided (or, cancelled, every running one has ended). bulk_end waits for any still
 * running (cancelled first), frees the job and returns what bulk_run would. */
struct bulk_job;
struct bulk_job *bulk_begin(struct client *c, struct bulk_item *items, size_t n,
                            const struct bulk_options *o);
bool bulk_step(struct bulk_job *j);
/* Stop: nothing more is started, what runs is cancelled (its outcome still journalled). */
void bulk_cancel(struct bulk_job *j);
const struct bulk_stats *bulk_get_stats(const struct bulk_job *j);
int bulk_end(struct bulk_job *j);

/* What an item is doing now, for a screen's list of what is in flight. */
enum bulk_activity {
    BULK_WAITING,     /* not started yet */
    BULK_CHECKING,    /* an earlier run's outcome is unknown: its target's attachments are
                         being listed (or a listed copy downloaded) to compare */
    BULK_SENDING,     /* its upload runs: bulk_item_upload gives its progress */
    BULK_SETTLING,    /* an interrupted run's upload of it may still be being stored by
                         Kombo: its target is listed again now and then (bulk_item_settle_until) */
    BULK_DECIDED
};
enum bulk_activity bulk_item_activity(const struct bulk_item *it);
/* BULK_SETTLING: the moment it is sent after all if the listing still lacks it. */
time_t bulk_item_settle_until(const struct bulk_item *it);
/* The item's upload while it runs, and after it with keep_uploads; else NULL. */
const struct transfer *bulk_item_upload(const struct bulk_item *it);

/* "attached", "already done", "found", "failed", "not run". */
const char *bulk_status_name(enum bulk_status s);

/* bulkjournal.c: the journal (the history file). Read every item's prior state in one pass
 * (items hashed); write an item's started line and its "found" line. 0 or -1 with err. */
enum bulk_prior {
    BULK_PRIOR_NONE,
    BULK_PRIOR_OK,        /* an "ok" line */
    BULK_PRIOR_STARTED,   /* newest: started, its whole body never went out */
    BULK_PRIOR_SENT       /* newest: sent or "unknown", Kombo may have it or still store it */
};
int bulk_journal_read(struct client *c, struct bulk_item *items, size_t n, char *err,
                      size_t errlen);
int bulk_journal_started(struct client *c, const struct bulk_item *it, char *err, size_t errlen);
int bulk_journal_sent(struct client *c, const struct bulk_item *it, char *err, size_t errlen);
int bulk_journal_found(struct client *c, const struct bulk_item *it, char *err, size_t errlen);

#endif
