/* The candidate field's live search (no curses): what was typed, a pause in typing (the
 * debounce), then a finder (finder.h) on the app's client, and its hits. A new text
 * cancels and frees the finder of the old one at once, so the answers shown are always
 * the latest query's and nothing outdated keeps a connection busy. Time comes in as an
 * argument (monotonic seconds), so the tests drive the debounce with a fake clock and the
 * real mock; the loop passes clock_now(). Never blocks: search_step only looks at what
 * the loop's client_poll moved.
 *
 * With the local index (search_set_index), every new text is also looked up there at
 * once, synchronously (a few milliseconds, index_search.h): its hits are the list before
 * the pause is over; the finder's answers are merged in when they come (hitmerge.h: exact
 * matches first, one row per candidate, Kombo's copy where it sent one). A row only the
 * index had is marked (from_index): it may be stale, so the form confirms it with Kombo
 * before anything is sent to it (confirm.h). */
#ifndef KA_UI_SEARCH_H
#define KA_UI_SEARCH_H

#include <stdbool.h>
#include <stddef.h>

#include "candidate.h"
#include "finder.h"
#include "index_search.h"

struct client;
struct index;

#define SEARCH_DEBOUNCE_S 0.150   /* about the pause between two keys of a word */
#define SEARCH_SHOWN_MAX 50       /* hits kept for the list (the finder keeps up to 500) */

enum search_state {
    SEARCH_EMPTY,      /* nothing typed: the form offers recent candidates instead */
    SEARCH_WAITING,    /* typed; the pause has not passed yet */
    SEARCH_RUNNING,    /* the finder's requests are in flight */
    SEARCH_DONE,       /* hits (maybe none) for `text` */
    SEARCH_REFUSED,    /* the text cannot be searched (query.h says why: message) */
    SEARCH_FAILED      /* every request failed: message is the transfer's (Kombo's answer
                          and its hint, as for uploads) */
};

struct search {
    struct client *client;
    char *text;                  /* what the hits are for (trimmed by the query module) */
    enum search_state state;
    double due;                  /* WAITING: when the finder starts */
    double started;              /* RUNNING: since when (the spinner) */
    struct finder *finder;
    char description[400];       /* what is searched, raw: "e-mail frank@x.com" */
    struct candidate *hits;      /* n of them, best first (deep copies) */
    bool *from_index;            /* n: hits[i] is the index's copy alone (not yet Kombo's) */
    size_t n;
    bool truncated;              /* more matched than are shown */
    struct index *ix;            /* not owned; NULL: the live search alone */
    struct index_results ixr;    /* the index's hits for text */
    char ix_error[300];          /* the index's query failed: why (the live search goes on) */
    struct finder_hit *live;     /* the finder's last answer for text (deep copies) */
    size_t n_live;
    bool have_live;
    size_t n_indexed;            /* rows of hits the index found (some Kombo's too) */
    size_t failed_sets;          /* filter sets that failed while others answered */
    char message[700];           /* REFUSED / FAILED, or a partial failure's first */
    unsigned generation;         /* +1 each time the hits change */
};

void search_init(struct search *s, struct client *c);
/* Search ix too from the next text on (NULL: no more). Not owned: it outlives s. */
void search_set_index(struct search *s, struct index *ix);
/* The index changed under the text shown (a sync stored pages): ask it again and merge
 * with the live answer held. True when the hits changed. */
bool search_refresh_index(struct search *s);
/* Cancels what is in flight. */
void search_free(struct search *s);
/* The field now holds text: when it differs from the last, the search in flight is
 * cancelled and a new one is due SEARCH_DEBOUNCE_S after now (text empty: EMPTY at
 * once). True when it changed. */
bool search_set_text(struct search *s, const char *text, double now);
/* Start the search when its pause is over; take in the finder's answers when they are
 * all there (call after each client_poll). True when what is shown changed. */
bool search_step(struct search *s, double now);
/* Milliseconds until search_step has something to do by itself (the debounce), -1 when
 * nothing is due: the loop waits no longer than that. */
int search_wait_ms(const struct search *s, double now);
/* The hit with this Kombo ID, or NULL. */
const struct candidate *search_find(const struct search *s, const char *id);
/* Whether that hit is the index's copy alone (to be confirmed before sending). */
bool search_hit_from_index(const struct search *s, size_t i);

#endif
