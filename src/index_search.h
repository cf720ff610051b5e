/* Searching the index: what a list row needs, ranked, in a few milliseconds per keystroke.
 *
 * Matches: the query is folded (fold_text.h: case, accents, Greek, Cyrillic) and split into
 * words; every word must match. A word of 3+ characters matches any substring of the first
 * and last name, the e-mail addresses, the title, the company, the applications' job titles
 * or the ATS ID (FTS5 trigram index); a word of 1 or 2 characters matches the start of a
 * name word only ("jo" finds Johanna and Anna-Jolie, not Marjorie). The Kombo ID matches
 * whole only.
 * Ranking: RANK_EXACT (the whole query is the Kombo ID, the ATS ID or an e-mail address),
 * then RANK_NAME (every word starts a name word), then RANK_OTHER; within a rank, the most
 * recent application first (to the second; candidates without one last, the newest first).
 *
 * Synchronous and quick (p50 < 5 ms, p99 < 16 ms at 100,000 candidates: BENCHMARKS.md), so
 * the UI may call it on every keystroke from its loop; it reads a snapshot (WAL) and never
 * waits for a running sync. */
#ifndef KA_INDEX_SEARCH_H
#define KA_INDEX_SEARCH_H

#include <stddef.h>

#include "candidate.h"

struct index;

#define INDEX_SEARCH_DEFAULT_LIMIT 50

enum index_rank { INDEX_RANK_EXACT, INDEX_RANK_NAME, INDEX_RANK_OTHER };

struct index_hit {
    struct candidate c;        /* id, remote_id, names, title, company, remote_url,
                                  changed_at, e-mails and applications (id, job_id, job_name,
                                  stage, outcome, remote_created_at); the rest NULL */
    enum index_rank rank;
    char *last_application;    /* the most recent remote_created_at; NULL when none */
};

struct index_results {
    struct index_hit *hits;
    size_t n;
};

/* Up to limit (0 = INDEX_SEARCH_DEFAULT_LIMIT) hits for query, best first. An empty query
 * gives none. 0, or -1 with a one-line message (results empty). */
int index_search(struct index *ix, const char *query, size_t limit, struct index_results *out,
                 char *err, size_t errlen);
void index_results_free(struct index_results *r);

/* The candidate with this Kombo ID, as a hit of RANK_EXACT. 1 found, 0 not, -1 error. */
int index_lookup(struct index *ix, const char *id, struct index_hit *out, char *err,
                 size_t errlen);
void index_hit_free(struct index_hit *h);

#endif
