/* The hits of the local index (index_search.h) and of a live search (finder.h) as one
 * list, for `find` and the UI's candidate field alike: one row per Kombo ID, exact matches
 * first. Pure: no I/O, nothing copied (the rows point into the two inputs).
 *
 * Order:
 *   1. the live search's exact hits (ids, email, remote_ids), in the finder's order: what
 *      Kombo says about an ID or an e-mail address is never missing, however old the index;
 *   2. the index's hits in its order (exact, name prefixes, other; most recent application
 *      first); a candidate the live search found too is shown with the live copy (fresher);
 *   3. the other live hits (a name spelt exactly), which the index did not have: candidates
 *      new since its last sync. */
#ifndef KA_HITMERGE_H
#define KA_HITMERGE_H

#include <stdbool.h>
#include <stddef.h>

#include "finder.h"
#include "index_search.h"
#include "query.h"

/* In merged_hit.matched next to the finder's bits: the local index found it. */
#define HITMERGE_INDEX (1u << QF_COUNT)

struct merged_hit {
    const struct candidate *c;   /* the live copy when there is one, else the index's */
    unsigned matched;            /* finder bits (1u << enum query_filter) | HITMERGE_INDEX */
    bool live;                   /* the live search returned it (current, not a stale copy) */
    bool exact;                  /* group 1 above, or the index's RANK_EXACT */
};

/* Merge live (may be NULL) and ix (may be NULL) into out, which has room for
 * live->n + ix->n rows. Returns the rows written. */
size_t hitmerge_build(const struct finder_results *live, const struct index_results *ix,
                      struct merged_hit *out);

/* "matched" labels of a row for people and JSON, in query_filter order, "index" last:
 * e.g. "email, index". */
void hitmerge_labels(unsigned matched, char *out, size_t len);

#endif
