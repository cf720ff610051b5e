/* A search: one pager (pager.h) per filter set of the plan, all running at once, the hits
 * merged by Kombo ID (finder.h). */
#include "finder.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"
#include "exitcodes.h"
#include "kread.h"
#include "xalloc.h"

struct fset {
    enum query_filter filter;
    struct pager *pager;     /* NULL once the set is finished */
    size_t pages;
};

struct finder {
    struct client *client;
    struct fset sets[QUERY_PLAN_MAX];
    size_t n_sets, sets_done;
    size_t max_pages, max_results;
    struct finder_hit *hits;
    size_t n, cap;
    struct finder_failure failures[QUERY_PLAN_MAX];
    size_t n_failures;
    bool truncated, cancelled;
};

static int hit_cmp(const void *a, const void *b)
{
    const struct finder_hit *x = a, *y = b;
    if (x->best != y->best)
        return x->best < y->best ? -1 : 1;
    if (x->set != y->set)
        return x->set < y->set ? -1 : 1;
    return x->position < y->position ? -1 : x->position > y->position;
}

/* Does (best, set, position) rank before h's own? */
static bool ranks_before(enum query_filter f, size_t set, size_t pos, const struct finder_hit *h)
{
    struct finder_hit k = {.best = f, .set = set, .position = pos};
    return hit_cmp(&k, h) < 0;
}

/* Merge one page of set s; returns whether the hits changed. */
static bool merge(struct finder *f, size_t s, struct cand_page *page, size_t base)
{
    enum query_filter fl = f->sets[s].filter;
    bool changed = false;
    for (size_t i = 0; i < page->n; i++) {
        struct candidate *c = &page->items[i];
        size_t pos = base + i;
        struct finder_hit *h = NULL;
        for (size_t k = 0; k < f->n && !h; k++)
            if (strcmp(f->hits[k].cand.id, c->id) == 0)
                h = &f->hits[k];
        if (h) {
            h->matched |= 1u << fl;
            if (ranks_before(fl, s, pos, h)) {
                h->best = fl;
                h->set = s;
                h->position = pos;
            }
            changed = true;
            continue;
        }
        if (f->n == f->max_results) {
            f->truncated = true;
            continue;
        }
        if (f->n == f->cap) {
            f->cap = f->cap ? 2 * f->cap : 64;
            f->hits = xrealloc(f->hits, f->cap * sizeof *f->hits);
        }
        h = &f->hits[f->n++];
        h->cand = *c; /* moved: the page no longer owns it */
        memset(c, 0, sizeof *c);
        h->matched = 1u << fl;
        h->best = fl;
        h->set = s;
        h->position = pos;
        changed = true;
    }
    return changed;
}

static void set_finish(struct finder *f, struct fset *s)
{
    pager_free(s->pager);
    s->pager = NULL;
    f->sets_done++;
}

static void record_failure(struct finder *f, struct fset *s, const struct pager_error *e)
{
    struct finder_failure *x = &f->failures[f->n_failures++];
    x->filter = s->filter;
    x->label = query_filter_label(s->filter);
    x->err = *e;
}

/* Take in what one set has ready; returns whether the hits changed. */
static bool step_set(struct finder *f, size_t i)
{
    struct fset *s = &f->sets[i];
    bool changed = false;
    while (s->pager) {
        struct cand_page page;
        enum pager_status st = pager_next(s->pager, &page);
        if (st == PAGER_WAIT)
            break;
        if (st == PAGER_PAGE) {
            changed |= merge(f, i, &page, s->pages * CAND_PAGE_MAX);
            s->pages++;
            bool more = page.next != NULL;
            cand_page_free(&page);
            if (s->pages >= f->max_pages) {
                f->truncated |= more;
                set_finish(f, s);
            }
        } else if (st == PAGER_END) {
            set_finish(f, s);
        } else {
            record_failure(f, s, pager_error(s->pager));
            set_finish(f, s);
        }
    }
    return changed;
}

bool finder_done(struct finder *f)
{
    bool changed = false;
    for (size_t i = 0; i < f->n_sets; i++)
        changed |= step_set(f, i);
    if (changed)
        qsort(f->hits, f->n, sizeof *f->hits, hit_cmp);
    return f->sets_done == f->n_sets;
}

struct finder *finder_start(struct client *c, const struct query_plan *plan,
                            const struct finder_options *o, int *code, char *err, size_t errlen)
{
    static const struct finder_options defaults;
    if (!o)
        o = &defaults;
    if (!plan || plan->n == 0) {
        if (code)
            *code = KA_EXIT_USAGE;
        snprintf(err, errlen, "nothing to search for");
        return NULL;
    }
    struct finder *f = xcalloc(1, sizeof *f);
    f->client = c;
    f->max_pages = o->max_pages ? o->max_pages : 1;
    f->max_results = o->max_results ? o->max_results : FINDER_MAX_RESULTS;
    for (size_t i = 0; i < plan->n && i < QUERY_PLAN_MAX; i++) {
        struct pager_options po = {
            .filter = {
                .pairs = plan->sets[i].query,
                .page_size = o->page_size ? o->page_size : FINDER_PAGE_SIZE,
                .include_deleted = o->include_deleted,
                .job_ids = o->job_ids,
            },
            /* One more than we read, so that the pager's own cap never speaks first. */
            .max_pages = f->max_pages + 1,
        };
        f->sets[i].filter = plan->sets[i].filter;
        f->sets[i].pager = pager_start(c, &po, code, err, errlen);
        f->n_sets++;
        if (!f->sets[i].pager) {
            finder_free(f);
            return NULL;
        }
    }
    if (code)
        *code = KA_EXIT_OK;
    return f;
}

void finder_cancel(struct finder *f)
{
    for (size_t i = 0; i < f->n_sets; i++) {
        if (!f->sets[i].pager)
            continue;
        set_finish(f, &f->sets[i]); /* transfer_free cancels what is in flight */
        f->cancelled = true;
    }
}

void finder_get_results(const struct finder *f, struct finder_results *out)
{
    memset(out, 0, sizeof *out);
    out->hits = f->hits;
    out->n = f->n;
    out->truncated = f->truncated;
    out->failures = f->failures;
    out->n_failures = f->n_failures;
    out->sets = f->n_sets;
    out->sets_done = f->sets_done;
    out->cancelled = f->cancelled;
}

void finder_free(struct finder *f)
{
    if (!f)
        return;
    for (size_t i = 0; i < f->n_sets; i++)
        pager_free(f->sets[i].pager);
    for (size_t i = 0; i < f->n; i++)
        candidate_free(&f->hits[i].cand);
    free(f->hits);
    free(f);
}

struct finder *finder_run(struct client *c, const struct query_plan *plan,
                          const struct finder_options *o, int *code, char *err, size_t errlen)
{
    struct finder *f = finder_start(c, plan, o, code, err, errlen);
    if (!f)
        return NULL;
    while (!finder_done(f))
        client_poll(c, 100, -1, NULL);
    return f;
}
