/* The picker filter's ranking order (no curses): best score first, then the shorter name
 * (fzf's tie-break), then the list's own order. A radix sort: on 100,000 matches a
 * comparison sort alone took most of a keystroke's 16 ms. */
#ifndef KA_UI_RANKED_H
#define KA_UI_RANKED_H

#include <stddef.h>
#include <stdint.h>

/* One name that passed the filter: what ranks it. */
struct ranked {
    int score;
    uint32_t len;
    uint32_t idx;
};

/* The order itself, as a qsort comparison: score descending, len ascending, idx ascending. */
int ranked_cmp(const void *a, const void *b);
/* Sort r[0..n) best first, as qsort with ranked_cmp would. */
void ranked_sort(struct ranked *r, size_t n);

#endif
