/* See hitmerge.h. The lists are short (the finder keeps at most 500 hits, a keystroke's
 * index query 50), so duplicates are found by walking what was written: no table. */
#include "hitmerge.h"

#include <stdio.h>
#include <string.h>

static bool is_exact_filter(enum query_filter f)
{
    return f == QF_IDS || f == QF_EMAIL || f == QF_REMOTE_IDS;
}

static struct merged_hit *find_row(struct merged_hit *out, size_t n, const char *id)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(out[i].c->id, id) == 0)
            return &out[i];
    return NULL;
}

static const struct finder_hit *find_live(const struct finder_results *live, const char *id)
{
    for (size_t i = 0; live && i < live->n; i++)
        if (strcmp(live->hits[i].cand.id, id) == 0)
            return &live->hits[i];
    return NULL;
}

size_t hitmerge_build(const struct finder_results *live, const struct index_results *ix,
                      struct merged_hit *out)
{
    size_t n = 0;
    for (size_t i = 0; live && i < live->n; i++) {
        const struct finder_hit *h = &live->hits[i];
        if (is_exact_filter(h->best) && !find_row(out, n, h->cand.id))
            out[n++] = (struct merged_hit){ .c = &h->cand, .matched = h->matched, .live = true,
                                            .exact = true };
    }
    for (size_t i = 0; ix && i < ix->n; i++) {
        const struct index_hit *h = &ix->hits[i];
        struct merged_hit *row = find_row(out, n, h->c.id);
        if (row) {
            row->matched |= HITMERGE_INDEX;
            continue;
        }
        const struct finder_hit *l = find_live(live, h->c.id);
        out[n++] = (struct merged_hit){ .c = l ? &l->cand : &h->c,
                                        .matched = HITMERGE_INDEX | (l ? l->matched : 0),
                                        .live = l != NULL, .exact = h->rank == INDEX_RANK_EXACT };
    }
    for (size_t i = 0; live && i < live->n; i++) {
        const struct finder_hit *h = &live->hits[i];
        if (!find_row(out, n, h->cand.id))
            out[n++] = (struct merged_hit){ .c = &h->cand, .matched = h->matched, .live = true };
    }
    return n;
}

void hitmerge_labels(unsigned matched, char *out, size_t len)
{
    size_t pos = 0;
    out[0] = '\0';
    for (int f = 0; f <= QF_COUNT; f++) {
        if (!(matched & (1u << f)))
            continue;
        const char *l = f == QF_COUNT ? "index" : query_filter_label((enum query_filter)f);
        int k = snprintf(out + pos, pos < len ? len - pos : 0, "%s%s", pos ? ", " : "", l);
        if (k > 0)
            pos += (size_t)k;
    }
}
