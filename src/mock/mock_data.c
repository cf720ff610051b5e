/* The mock's data set: the string arena, the record arrays, the indexes and the lookups
 * (see mock_data.h). Generation is mock_gen.c's, loading a file mock_load.c's. */
#include "mock_data.h"

#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Arrays grow by half again: 100,000 candidates must not cost twice their size. */
static void *grow(void *p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return p;
    size_t c = *cap ? *cap : 64;
    while (c < need)
        c += c / 2;
    *cap = c;
    return xrealloc(p, c * size);
}

uint32_t mock_data_strn(struct md_set *s, const char *v, size_t n)
{
    if (!v)
        return 0;
    if (s->str_len + n + 1 > UINT32_MAX)
        xalloc_fatal("mock data: more than 4 GiB of text");
    s->str = grow(s->str, &s->str_cap, s->str_len + n + 1, 1);
    uint32_t off = (uint32_t)s->str_len;
    memcpy(s->str + off, v, n);
    s->str[off + n] = '\0';
    s->str_len += n + 1;
    return off;
}

uint32_t mock_data_str(struct md_set *s, const char *v)
{
    return v ? mock_data_strn(s, v, strlen(v)) : 0;
}

struct md_cand *mock_data_add_cand(struct md_set *s)
{
    s->cands = grow(s->cands, &s->cap_cands, s->n_cands + 1, sizeof *s->cands);
    struct md_cand *c = &s->cands[s->n_cands++];
    memset(c, 0, sizeof *c);
    c->emails = (uint32_t)s->n_emails;
    c->apps = (uint32_t)s->n_apps;
    c->created = c->updated = c->changed = c->deleted = MD_NULL_TIME;
    return c;
}

/* Only for the last candidate added: its runs are contiguous. */
struct md_email *mock_data_add_email(struct md_set *s, struct md_cand *c)
{
    s->emails = grow(s->emails, &s->cap_emails, s->n_emails + 1, sizeof *s->emails);
    struct md_email *e = &s->emails[s->n_emails++];
    memset(e, 0, sizeof *e);
    c->n_emails++;
    return e;
}

struct md_app *mock_data_add_app(struct md_set *s, struct md_cand *c)
{
    s->apps = grow(s->apps, &s->cap_apps, s->n_apps + 1, sizeof *s->apps);
    struct md_app *a = &s->apps[s->n_apps++];
    memset(a, 0, sizeof *a);
    a->stage_index = -1;
    a->created = a->updated = a->changed = a->rejected = MD_NULL_TIME;
    c->n_apps++;
    return a;
}

/* ------------------------------------------------------------------ indexes */

static int entry_cmp(const void *a, const void *b)
{
    const struct md_entry *x = a, *y = b;
    if (x->hash != y->hash)
        return x->hash < y->hash ? -1 : 1;
    return x->cand < y->cand ? -1 : x->cand > y->cand;
}

static void ix_add(struct md_set *s, struct md_index *ix, size_t *cap, uint32_t cand, uint32_t key)
{
    if (!key)
        return;
    const char *k = s->str + key;
    ix->e = grow(ix->e, cap, ix->n + 1, sizeof *ix->e);
    ix->e[ix->n++] = (struct md_entry){ mock_fold_hash(k, strlen(k), ix->fold), cand, key };
}

static int touched_cmp(const void *a, const void *b, void *arg)
{
    const struct md_set *s = arg;
    const struct md_cand *x = &s->cands[*(const uint32_t *)a];
    const struct md_cand *y = &s->cands[*(const uint32_t *)b];
    if (x->touched != y->touched)
        return x->touched < y->touched ? -1 : 1;
    return *(const uint32_t *)a < *(const uint32_t *)b ? -1 : 1;
}

void mock_data_index(struct md_set *s)
{
    size_t cap[MD_IX_COUNT] = { 0 };
    s->ix[MD_IX_EMAIL].fold = s->ix[MD_IX_FIRST].fold = s->ix[MD_IX_LAST].fold = true;
    uint64_t fp = 0x9E3779B97F4A7C15ULL ^ s->n_cands;
    for (size_t i = 0; i < s->n_cands; i++) {
        struct md_cand *c = &s->cands[i];
        uint32_t ci = (uint32_t)i;
        ix_add(s, &s->ix[MD_IX_ID], &cap[MD_IX_ID], ci, c->id);
        ix_add(s, &s->ix[MD_IX_REMOTE_ID], &cap[MD_IX_REMOTE_ID], ci, c->remote_id);
        ix_add(s, &s->ix[MD_IX_FIRST], &cap[MD_IX_FIRST], ci, c->first);
        ix_add(s, &s->ix[MD_IX_LAST], &cap[MD_IX_LAST], ci, c->last);
        for (uint32_t k = 0; k < c->n_emails; k++)
            ix_add(s, &s->ix[MD_IX_EMAIL], &cap[MD_IX_EMAIL], ci, s->emails[c->emails + k].addr);
        c->touched = c->changed;
        for (uint32_t k = 0; k < c->n_apps; k++) {
            const struct md_app *a = &s->apps[c->apps + k];
            ix_add(s, &s->ix[MD_IX_JOB], &cap[MD_IX_JOB], ci, a->job_id);
            ix_add(s, &s->ix[MD_IX_APP], &cap[MD_IX_APP], ci, a->id);
            if (a->changed != MD_NULL_TIME && a->changed > c->touched)
                c->touched = a->changed;
        }
        const char *id = md_str(s, c->id);
        fp = (fp ^ mock_fold_hash(id, strlen(id), false)) * 0x100000001b3ULL;
    }
    for (int k = 0; k < MD_IX_COUNT; k++)
        if (s->ix[k].n > 1)      /* an empty index is NULL, which qsort must not get */
            qsort(s->ix[k].e, s->ix[k].n, sizeof *s->ix[k].e, entry_cmp);
    s->by_touched = xmalloc((s->n_cands ? s->n_cands : 1) * sizeof *s->by_touched);
    for (size_t i = 0; i < s->n_cands; i++)
        s->by_touched[i] = (uint32_t)i;
    /* qsort_r: two mocks may start at once in one process (the tests) */
    if (s->n_cands > 1)
        qsort_r(s->by_touched, s->n_cands, sizeof *s->by_touched, touched_cmp, s);
    s->fingerprint = fp;
}

void mock_data_find(const struct md_set *s, enum md_index_kind k, const char *key, size_t len,
                    size_t *lo, size_t *hi)
{
    const struct md_index *ix = &s->ix[k];
    uint64_t h = mock_fold_hash(key, len, ix->fold);
    size_t a = 0, b = ix->n;
    while (a < b) {                  /* first entry with hash >= h */
        size_t mid = a + (b - a) / 2;
        if (ix->e[mid].hash < h)
            a = mid + 1;
        else
            b = mid;
    }
    size_t end = a;
    while (end < ix->n && ix->e[end].hash == h)
        end++;
    *lo = a;
    *hi = end;
}

bool mock_data_entry_is(const struct md_set *s, enum md_index_kind k, size_t i, const char *key,
                        size_t len)
{
    const struct md_index *ix = &s->ix[k];
    const char *have = s->str + ix->e[i].key;
    return mock_fold_equal(have, strlen(have), key, len, ix->fold);
}

static long cand_by(const struct md_set *s, enum md_index_kind k, const char *id, size_t len)
{
    size_t lo, hi;
    mock_data_find(s, k, id, len, &lo, &hi);
    for (size_t i = lo; i < hi; i++)
        if (mock_data_entry_is(s, k, i, id, len))
            return (long)s->ix[k].e[i].cand;
    return -1;
}

long mock_data_cand_by_id(const struct md_set *s, const char *id, size_t len)
{
    return cand_by(s, MD_IX_ID, id, len);
}

long mock_data_cand_by_app(const struct md_set *s, const char *id, size_t len)
{
    return cand_by(s, MD_IX_APP, id, len);
}

/* ------------------------------------------------------------------ time */

void mock_data_time_format(int64_t ms, char out[32])
{
    time_t t = (time_t)(ms >= 0 ? ms / 1000 : (ms - 999) / 1000);
    int frac = (int)(ms - (int64_t)t * 1000);
    struct tm tm;
    gmtime_r(&t, &tm);
    size_t k = strftime(out, 32, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(out + k, 32 - k, ".%03dZ", frac);
}

static int digits(const char *s, int n, int *v)
{
    *v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        *v = *v * 10 + (s[i] - '0');
    }
    return 0;
}

int mock_data_time_parse(const char *s, int64_t *ms)
{
    int y, mo, d, h = 0, mi = 0, sec = 0, frac = 0;
    if (digits(s, 4, &y) || s[4] != '-' || digits(s + 5, 2, &mo) || s[7] != '-' ||
        digits(s + 8, 2, &d))
        return -1;
    const char *p = s + 10;
    if (*p == 'T') {
        if (digits(p + 1, 2, &h) || p[3] != ':' || digits(p + 4, 2, &mi) || p[6] != ':' ||
            digits(p + 7, 2, &sec))
            return -1;
        p += 9;
        if (*p == '.') {
            int n = 0;
            for (p++; *p >= '0' && *p <= '9'; p++, n++)
                if (n < 3)
                    frac = frac * 10 + (*p - '0');
            if (n == 0)
                return -1;
            for (; n < 3; n++)
                frac *= 10;
        }
    }
    if (*p == 'Z')
        p++;
    if (*p || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60)
        return -1;
    struct tm tm = { .tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d, .tm_hour = h,
                     .tm_min = mi, .tm_sec = sec };
    *ms = (int64_t)timegm(&tm) * 1000 + frac;
    return 0;
}

/* ------------------------------------------------------------------ life */

struct md_set *mock_data_load(const char *path, unsigned n, uint64_t seed, char *err,
                              size_t errlen)
{
    struct md_set *s = xcalloc(1, sizeof *s);
    mock_data_strn(s, "", 0);       /* offset 0: the null string */
    if (path) {
        if (mock_load_file(s, path, err, errlen) < 0) {
            mock_data_free(s);
            return NULL;
        }
    } else {
        if (n > MD_MAX_CANDIDATES) {
            snprintf(err, errlen, "mock: at most %u candidates", MD_MAX_CANDIDATES);
            mock_data_free(s);
            return NULL;
        }
        mock_gen_fill(s, n ? n : MD_DEFAULT_CANDIDATES, seed);
    }
    mock_data_index(s);
    return s;
}

void mock_data_free(struct md_set *s)
{
    if (!s)
        return;
    for (int k = 0; k < MD_IX_COUNT; k++)
        free(s->ix[k].e);
    free(s->by_touched);
    free(s->str);
    free(s->cands);
    free(s->emails);
    free(s->apps);
    free(s);
}
