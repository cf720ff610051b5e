/* The UI's side of the local candidate index (no curses): opened at start unless turned
 * off, synced in the background on the app's client when it is older than
 * INDEXER_MAX_AGE_S (or new), and again while the UI stays open; what the header says about
 * it; and, on the first sync, a notice of what is stored and where (privacy: said before
 * anyone relies on it). Nothing here waits: the sync runs on a thread of its own with a
 * client of its own (storing a transaction of pages and FTS5's final merge take up to a
 * second at 100,000 candidates, which no frame may wait for); indexer_step only reads its
 * progress. The thread blocks every signal, so keys, SIGWINCH and Ctrl-C stay the loop's.
 *
 * Two connections to the one database: the sync writes on one, the search reads on the
 * other, so a keystroke's query sees the last committed pages (a WAL snapshot) and never
 * the inside of the sync's open transaction. */
#ifndef KA_UI_INDEXER_H
#define KA_UI_INDEXER_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#include "index.h"
#include "index_sync.h"

struct client;

#define INDEXER_MAX_AGE_S 300.0   /* older than this: synced in the background */
#define INDEXER_RETRY_S 60.0      /* after a failed sync */
#define INDEXER_NOTICE_S 20.0     /* the first sync's notice stays at least this long */

enum indexer_state {
    INDEXER_OFF,        /* index = off, --no-index, or it could not be opened (error) */
    INDEXER_IDLE,       /* up to date; the next sync is due at next_due */
    INDEXER_SYNCING,
    INDEXER_FAILED      /* the last sync stopped (error); what was stored is searched */
};

struct indexer {
    struct client *client;       /* the app's: its options are the sync client's */
    struct index *ix;            /* the sync's connection (the thread's while it runs) */
    struct index *rx;            /* the search's */
    enum indexer_state state;
    struct index_sync_progress prog;   /* the thread's last, copied by indexer_step */
    /* the sync thread and what it shares with the loop (under mu) */
    pthread_t thread;
    bool thread_on;
    pthread_mutex_t mu;
    struct client *sync_client;
    struct index_sync *sync;
    struct index_sync_progress shared;
    bool stop, done;
    enum index_sync_status result;
    double next_due;             /* monotonic seconds: when the next sync starts */
    double synced_mono;          /* monotonic time of the last complete sync's start; 0 never */
    unsigned generation;         /* +1 whenever a sync stored pages: the search may ask again */
    char error[1200];            /* why it is OFF or FAILED, raw; "" */
    char notice[1600];           /* raw, shown above the screens until notice_until; "" */
    double notice_until;
    char shown[96];              /* the header text last returned (indexer_step's change) */
};

/* Open env's index (enabled false: stay OFF) and plan the first sync: at once when it is
 * new or older than INDEXER_MAX_AGE_S. now: monotonic seconds (clock_now()). */
void indexer_start(struct indexer *x, struct client *c, const struct index_env *env,
                   bool enabled, double now);
/* Cancel a sync in flight (what it stored stays; the next one goes on from there) and close. */
void indexer_stop(struct indexer *x);
/* After client_poll: start a sync that is due, store the pages that came. True when the
 * header text or the notice changed. */
bool indexer_step(struct indexer *x, double now);
/* The connection for index_search, or NULL (off). */
struct index *indexer_reader(const struct indexer *x);
/* The header's words, raw: "indexing 1,250/3,000", "index: synced 2 min ago",
 * "index: sync failed", "" when off. */
void indexer_status(const struct indexer *x, double now, char *out, size_t len);
/* The notice to show now, or NULL. */
const char *indexer_notice(const struct indexer *x, double now);
/* Milliseconds until indexer_step has something to do by itself (a sync due, the notice
 * going), or -1. */
int indexer_wait_ms(const struct indexer *x, double now);

#endif
