/* Changing the mock's people at run time, for the index's tests and benchmarks: N
 * candidates get a new first name and title (taken from other candidates, so the string
 * arena never moves under a reader) and changed_at = now; or N get remote_deleted_at = now.
 * Only the indexes that depend on what changed are rebuilt (first and last names, the
 * change-time order); IDs never change, so the lock-free lookups of uploads and listings
 * (mock_read_known) stay right. GET /v1/ats/candidates reads under m->data_rw. */
#include "mock_priv.h"

#include "numparse.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int entry_cmp(const void *a, const void *b)
{
    const struct md_entry *x = a, *y = b;
    if (x->hash != y->hash)
        return x->hash < y->hash ? -1 : 1;
    return x->cand < y->cand ? -1 : x->cand > y->cand;
}

static int touched_cmp(const void *a, const void *b, void *arg)
{
    const struct md_set *s = arg;
    uint32_t i = *(const uint32_t *)a, j = *(const uint32_t *)b;
    if (s->cands[i].touched != s->cands[j].touched)
        return s->cands[i].touched < s->cands[j].touched ? -1 : 1;
    return i < j ? -1 : 1;
}

static void rebuild_names(struct md_set *s, enum md_index_kind k)
{
    struct md_index *ix = &s->ix[k];
    size_t n = 0;
    struct md_entry *e = xmalloc((s->n_cands ? s->n_cands : 1) * sizeof *e);
    for (size_t i = 0; i < s->n_cands; i++) {
        uint32_t key = k == MD_IX_FIRST ? s->cands[i].first : s->cands[i].last;
        if (!key)
            continue;
        const char *v = s->str + key;
        e[n++] = (struct md_entry){ mock_fold_hash(v, strlen(v), true), (uint32_t)i, key };
    }
    if (n > 1)
        qsort(e, n, sizeof *e, entry_cmp);
    free(ix->e);
    ix->e = e;
    ix->n = n;
}

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

unsigned mock_change_candidates(struct mock *m, unsigned count, bool delete)
{
    struct md_set *s = m->data;
    pthread_rwlock_wrlock(&m->data_rw);
    int64_t now = now_ms();
    unsigned done = 0;
    size_t n = s->n_cands;
    /* A walk with a stride prime to n spreads the changes over the data set; the fixed
     * candidates the tests name are left alone. */
    size_t stride = 7919;
    while (n && stride > 1 && n % stride == 0)
        stride--;
    for (size_t tries = 0; n > MD_SEEDS && done < count && tries < 2 * n; tries++) {
        size_t i = (size_t)(m->change_pos++ % n);
        i = (i * stride + 13) % n;
        struct md_cand *c = &s->cands[i];
        if (i < MD_SEEDS || c->deleted != MD_NULL_TIME)
            continue;
        if (delete) {
            c->deleted = now;
        } else {
            /* Another candidate's first name and title: a real change of both. */
            for (size_t k = 1; k < 50; k++) {
                const struct md_cand *o = &s->cands[(i + k * 31) % n];
                if (o->first && o->first != c->first &&
                    strcmp(s->str + o->first, c->first ? s->str + c->first : "")) {
                    c->first = o->first;
                    break;
                }
            }
            for (size_t k = 1; k < 50; k++) {
                const struct md_cand *o = &s->cands[(i + k * 17) % n];
                if (o->title && o->title != c->title) {
                    c->title = o->title;
                    break;
                }
            }
            c->updated = now;
        }
        c->changed = c->touched = now;
        done++;
    }
    if (done) {
        if (!delete)
            rebuild_names(s, MD_IX_FIRST);
        if (n > 1)
            qsort_r(s->by_touched, n, sizeof *s->by_touched, touched_cmp, s);
    }
    pthread_rwlock_unlock(&m->data_rw);
    return done;
}

enum MHD_Result mock_change_control(struct mock *m, struct req *r, struct MHD_Connection *c)
{
    const char *v = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "count");
    uint64_t count = 1;
    if (v && num_parse_u64(v, 1000000, &count) != 0)
        return mock_respond_error(m, r, c, 400, "PLATFORM.INPUT_INVALID",
                                  "count must be a number from 0 to 1000000", NULL);
    bool del = strstr(r->raw, "/delete") != NULL;
    unsigned done = mock_change_candidates(m, (unsigned)count, del);
    cJSON *data = cJSON_CreateObject();
    cJSON_AddNumberToObject(data, del ? "deleted" : "changed", done);
    return mock_respond_success(m, r, c, data);
}
