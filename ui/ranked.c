/* See ranked.h. Each entry's three keys are packed into one 64-bit number that orders as
 * the comparison does (score turned around so that ascending is best first), and an LSD
 * radix sort of 8-bit digits orders them; digits where every key agrees (the high ones,
 * mostly) cost one counting pass and no move. Keys that do not fit (a score span over
 * 2^19, a name of 8 KiB or more) fall back to qsort. */
#include "ranked.h"

#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

#define SCORE_BITS 19
#define LEN_BITS 13

int ranked_cmp(const void *a, const void *b)
{
    const struct ranked *x = a, *y = b;
    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    if (x->len != y->len)
        return x->len < y->len ? -1 : 1;
    return x->idx < y->idx ? -1 : x->idx > y->idx;
}

struct keyed {
    uint64_t key;
    struct ranked r;
};

void ranked_sort(struct ranked *r, size_t n)
{
    if (n < 2)
        return;
    int lo = r[0].score, hi = r[0].score;
    uint32_t longest = 0;
    for (size_t i = 0; i < n; i++) {
        if (r[i].score < lo)
            lo = r[i].score;
        if (r[i].score > hi)
            hi = r[i].score;
        if (r[i].len > longest)
            longest = r[i].len;
    }
    if (n < 64 || (int64_t)hi - lo >= (1 << SCORE_BITS) || longest >= (1u << LEN_BITS)) {
        qsort(r, n, sizeof *r, ranked_cmp);
        return;
    }
    struct keyed *a = xmalloc(n * sizeof *a), *b = xmalloc(n * sizeof *b);
    for (size_t i = 0; i < n; i++) {
        uint64_t s = (uint64_t)((int64_t)hi - r[i].score);   /* best score: 0 */
        a[i].key = s << (LEN_BITS + 32) | (uint64_t)r[i].len << 32 | r[i].idx;
        a[i].r = r[i];
    }
    for (int shift = 0; shift < 64; shift += 8) {
        size_t count[256] = { 0 };
        for (size_t i = 0; i < n; i++)
            count[(a[i].key >> shift) & 0xff]++;
        if (count[(a[0].key >> shift) & 0xff] == n)
            continue;   /* every key has this digit: already in order by it */
        size_t pos = 0;
        for (int d = 0; d < 256; d++) {
            size_t c = count[d];
            count[d] = pos;
            pos += c;
        }
        for (size_t i = 0; i < n; i++)
            b[count[(a[i].key >> shift) & 0xff]++] = a[i];
        struct keyed *t = a;
        a = b;
        b = t;
    }
    for (size_t i = 0; i < n; i++)
        r[i] = a[i].r;
    free(a);
    free(b);
}
