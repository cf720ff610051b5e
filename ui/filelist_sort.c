/* See filelist_sort.h. Nothing here is locale-aware on purpose: strcoll on 100,000 names
 * takes far longer than a keystroke may. */
#include "filelist_sort.h"

#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

/* Case-insensitive (ASCII) byte order, then plain bytes so the order is total and stable
 * across runs ("Readme" before "readme"). */
static int cmp_names(const char *a, const char *b)
{
    const unsigned char *x = (const unsigned char *)a, *y = (const unsigned char *)b;
    for (;; x++, y++) {
        unsigned char cx = fl_fold(*x), cy = fl_fold(*y);
        if (cx != cy)
            return cx < cy ? -1 : 1;
        if (!cx)
            break;
    }
    return strcmp(a, b);
}

static int cmp_by_name(const void *pa, const void *pb)
{
    const struct fl_entry *a = pa, *b = pb;
    if (a->is_dir != b->is_dir)
        return a->is_dir ? -1 : 1;
    return cmp_names(a->name, b->name);
}

/* Biggest first; folders (whose size says nothing) keep name order at the top. */
static int cmp_by_size(const void *pa, const void *pb)
{
    const struct fl_entry *a = pa, *b = pb;
    if (a->is_dir != b->is_dir)
        return a->is_dir ? -1 : 1;
    if (!a->is_dir && a->size != b->size)
        return a->size > b->size ? -1 : 1;
    return cmp_names(a->name, b->name);
}

/* Newest first, folders too (still above files). */
static int cmp_by_date(const void *pa, const void *pb)
{
    const struct fl_entry *a = pa, *b = pb;
    if (a->is_dir != b->is_dir)
        return a->is_dir ? -1 : 1;
    if (a->mtime != b->mtime)
        return a->mtime > b->mtime ? -1 : 1;
    return cmp_names(a->name, b->name);
}

/* Sorting by name compares a folder flag and 15 folded bytes as two integers before
 * touching the names: most pairs differ there, so the sort runs on a small array in cache
 * instead of chasing name pointers (about twice as fast on 100,000 names). */
struct name_key {
    uint64_t k0;  /* top byte: 0 for folders, 1 for files; then folded bytes 0-6 */
    uint64_t k1;  /* folded bytes 7-14; both big-endian and zero-padded */
    const struct fl_entry *e;
};

static uint64_t pack(const unsigned char *s, size_t len, size_t from, size_t count)
{
    uint64_t v = 0;
    for (size_t i = from; i < from + count; i++)
        v = (v << 8) | (i < len ? fl_fold(s[i]) : 0);
    return v;
}

static int cmp_key(const void *pa, const void *pb)
{
    const struct name_key *a = pa, *b = pb;
    if (a->k0 != b->k0)
        return a->k0 < b->k0 ? -1 : 1;
    if (a->k1 != b->k1)
        return a->k1 < b->k1 ? -1 : 1;
    return cmp_by_name(a->e, b->e);
}

static void sort_by_name_keys(struct fl_entry **ents, size_t n)
{
    struct name_key *keys = xmalloc(n * sizeof *keys);
    struct fl_entry *sorted = xmalloc(n * sizeof *sorted);
    for (size_t i = 0; i < n; i++) {
        const unsigned char *s = (const unsigned char *)(*ents)[i].name;
        size_t len = strnlen((const char *)s, 15);
        /* names hold no NUL, so zero padding sorts a prefix first, as cmp_names does; equal
         * keys fall back to cmp_by_name, so the order is exactly cmp_by_name's */
        keys[i].k0 = ((uint64_t)!(*ents)[i].is_dir << 56) | pack(s, len, 0, 7);
        keys[i].k1 = pack(s, len, 7, 8);
        keys[i].e = &(*ents)[i];
    }
    qsort(keys, n, sizeof *keys, cmp_key);
    for (size_t i = 0; i < n; i++)
        sorted[i] = *keys[i].e;
    free(keys);
    free(*ents);
    *ents = sorted;
}

void fl_sort_entries(struct fl_entry **ents, size_t n, enum fl_sort sort)
{
    if (sort == FL_SORT_NAME)
        sort_by_name_keys(ents, n);
    else
        qsort(*ents, n, sizeof **ents, sort == FL_SORT_SIZE ? cmp_by_size : cmp_by_date);
}
