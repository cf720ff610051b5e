/* Sending a batch on the batch engine (bulkrun.h): the one place in ui/ that starts uploads.
 * No curses. The engine runs several files at once on the app's client (its adaptive cap
 * follows Kombo's Concurrency-Limit) and writes the history (started line and outcome);
 * the UI's loop stays single-threaded: its one wait (client_poll on the network and the
 * keyboard) moves the uploads, then sender_step takes one engine step and writes back into
 * the batch what the engine decided. */
#ifndef KA_UI_SENDER_H
#define KA_UI_SENDER_H

#include <stdbool.h>
#include <time.h>

#include "batch.h"
#include "bulkrun.h"
#include "ui.h"
#include "upload.h"

struct client;
struct filehash;
struct sender_run;

struct sender {
    const struct ui_options *o;
    struct client *client;           /* the app's: every upload runs on it */
    struct batch b;
    struct bulk_item **item_of;      /* b.n: file i's engine item (it owns the upload whose
                                        result the batch points at), or NULL */
    double *answer_since;            /* b.n: when file i's last byte went out (monotonic
                                        seconds) while its answer is awaited; else 0 */
    struct sender_run *runs;         /* every job's items, kept for their results */
    size_t n_runs;
    struct bulk_job *job;            /* the engine's job while it runs */
    struct bulk_options bo;          /* the job's options (the engine keeps a pointer) */
    struct bulk_stats stats;         /* as of the last step (kept after the job ends) */
    bool hashing;                    /* reading the files' SHA-256 before the job starts */
    size_t hash_file;                /* the file being hashed */
    struct filehash *hash;
    unsigned events;                 /* SENDER_* seen since the last sender_step returned */
};

/* What sender_step saw happen. */
enum {
    SENDER_FILE_DONE = 1 << 0,     /* a file was decided (or the batch is over) */
    SENDER_MORE = 1 << 1,          /* local work is left (hashing): do not wait for a key */
};

/* What one file is doing now, for the progress screen. */
struct sender_live {
    enum bulk_activity activity;     /* BULK_WAITING .. BULK_DECIDED */
    bool hashing;                    /* read for the history's SHA-256 before it can go */
    struct transfer_progress pr;     /* BULK_SENDING: its upload's numbers; else zero */
    double answer_wait;              /* seconds since its last byte while the answer is
                                        awaited, else 0 */
    time_t settle_until;             /* BULK_SETTLING: sent then if still not listed */
};

void sender_init(struct sender *s, const struct ui_options *o, struct client *client);
/* Ends a job still running (cancelled, waited for) and frees everything. */
void sender_free(struct sender *s);

/* Start sending spec: every file is checked (the UI's checks, the file still the one
 * picked); the ones that cannot be sent are refused at once, the others go to one engine
 * job (the batch may be over when this returns: see sender_busy). */
void sender_start(struct sender *s, const struct batch_spec *spec);
/* Send the files a retry helps again, with the same values, as a new job. False when there
 * is none. */
bool sender_retry(struct sender *s);
/* Stop: the uploads in flight are cancelled, the files not started are skipped. */
void sender_cancel(struct sender *s);
/* Files are being sent (or read for their hashes first). */
bool sender_busy(const struct sender *s);
/* After the loop's wait (client_poll): one engine step (never blocks), then what it decided
 * goes into the batch. Returns SENDER_* flags. */
unsigned sender_step(struct sender *s);

/* File i as it is now. */
void sender_live(const struct sender *s, size_t i, struct sender_live *out);
/* The batch's numbers as of the last step (file bytes, rate, ETA, the cap). */
const struct bulk_stats *sender_stats(const struct sender *s);
/* Files being sent or checked now. */
size_t sender_in_flight(const struct sender *s);
/* The concurrency asked of the engine (the cap may be lower: Kombo's limit). */
int sender_concurrency(const struct sender *s);

#endif
