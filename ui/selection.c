/* See selection.h. The paths are kept sorted for lookups (a folder of 100,000 entries asks
 * about each when it opens), each with the number of its marking for the order of sending. */
#include "selection.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

struct sel_item {
    char *path;
    uint64_t seq;
};

struct selection {
    struct sel_item *v;   /* sorted by path */
    size_t n, cap;
    uint64_t next_seq;
};

struct selection *sel_new(void)
{
    return xcalloc(1, sizeof(struct selection));
}

void sel_clear(struct selection *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->v[i].path);
    s->n = 0;
}

void sel_free(struct selection *s)
{
    if (!s)
        return;
    sel_clear(s);
    free(s->v);
    free(s);
}

/* Index of path, or where it would go (*found false). */
static size_t find(const struct selection *s, const char *path, bool *found)
{
    size_t lo = 0, hi = s->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(s->v[mid].path, path);
        if (c == 0) {
            *found = true;
            return mid;
        }
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    *found = false;
    return lo;
}

bool sel_has(const struct selection *s, const char *path)
{
    bool found;
    find(s, path, &found);
    return found;
}

void sel_add(struct selection *s, const char *path)
{
    bool found;
    size_t i = find(s, path, &found);
    if (found)
        return;
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 16;
        s->v = xrealloc(s->v, s->cap * sizeof *s->v);
    }
    memmove(s->v + i + 1, s->v + i, (s->n - i) * sizeof *s->v);
    s->v[i].path = xstrdup(path);
    s->v[i].seq = s->next_seq++;
    s->n++;
}

void sel_remove(struct selection *s, const char *path)
{
    bool found;
    size_t i = find(s, path, &found);
    if (!found)
        return;
    free(s->v[i].path);
    memmove(s->v + i, s->v + i + 1, (s->n - i - 1) * sizeof *s->v);
    s->n--;
}

size_t sel_count(const struct selection *s)
{
    return s->n;
}

size_t sel_count_in(const struct selection *s, const char *dir)
{
    size_t dl = strlen(dir), k = 0;
    bool root = dl == 1 && dir[0] == '/';
    for (size_t i = 0; i < s->n; i++) {
        const char *p = s->v[i].path;
        if (strncmp(p, dir, dl) != 0)
            continue;
        const char *rest = root ? p + 1 : p[dl] == '/' ? p + dl + 1 : NULL;
        if (rest && *rest && !strchr(rest, '/'))
            k++;
    }
    return k;
}

static int by_seq(const void *a, const void *b)
{
    const struct sel_item *x = a, *y = b;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

char **sel_paths(const struct selection *s, size_t *n)
{
    *n = s->n;
    if (!s->n)
        return NULL;
    struct sel_item *tmp = xmalloc(s->n * sizeof *tmp);
    memcpy(tmp, s->v, s->n * sizeof *tmp);
    qsort(tmp, s->n, sizeof *tmp, by_seq);
    char **v = xmalloc(s->n * sizeof *v);
    for (size_t i = 0; i < s->n; i++)
        v[i] = xstrdup(tmp[i].path);
    free(tmp);
    return v;
}
