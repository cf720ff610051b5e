/* See index_fts.h. */
#include "index_fts.h"

#include <stdlib.h>

#include "xalloc.h"

/* Rows written between two polls: ~1 ms of work, so a page in flight keeps moving. */
#define POLL_EVERY 128

void ixf_push(struct ixf_list *l, long long rk, char *search)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 1024;
        l->v = xrealloc(l->v, l->cap * sizeof *l->v);
    }
    l->v[l->n++] = (struct ixf_row){ rk, search };
}

int ixf_drop(struct ixf_list *l, long long rk)
{
    /* newest first: a candidate sent twice in one transaction is usually close by */
    for (size_t i = l->n; i-- > 0;)
        if (l->v[i].rk == rk && l->v[i].search) {
            free(l->v[i].search);
            l->v[i].search = NULL;
            return 1;
        }
    return 0;
}

void ixf_clear(struct ixf_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i].search);
    l->n = 0;
}

void ixf_free(struct ixf_list *l)
{
    ixf_clear(l);
    free(l->v);
    l->v = NULL;
    l->cap = 0;
}

static int by_rk(const void *a, const void *b)
{
    long long x = ((const struct ixf_row *)a)->rk, y = ((const struct ixf_row *)b)->rk;
    return x < y ? -1 : x > y;
}

int ixf_write(struct ixf_list *l, sqlite3_stmt *st, void (*poll)(void *), void *data)
{
    if (l->n)
        qsort(l->v, l->n, sizeof *l->v, by_rk);
    for (size_t i = 0; i < l->n; i++) {
        if (!l->v[i].search)
            continue;
        sqlite3_bind_int64(st, 1, l->v[i].rk);
        sqlite3_bind_text(st, 2, l->v[i].search, -1, SQLITE_STATIC);
        int rc = sqlite3_step(st);
        sqlite3_reset(st);
        if (rc != SQLITE_DONE)
            return -1;
        if (poll && i % POLL_EVERY == POLL_EVERY - 1)
            poll(data);
    }
    ixf_clear(l);
    return 0;
}
