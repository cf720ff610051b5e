/* See search.h. */
#include "search.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "finder.h"
#include "hitmerge.h"
#include "query.h"
#include "xalloc.h"

void search_init(struct search *s, struct client *c)
{
    memset(s, 0, sizeof *s);
    s->client = c;
    s->text = xstrdup("");
}

void search_set_index(struct search *s, struct index *ix)
{
    s->ix = ix;
}

/* The list's rows only (what the index and the finder said stays). */
static void clear_rows(struct search *s)
{
    for (size_t i = 0; i < s->n; i++)
        candidate_free(&s->hits[i]);
    free(s->hits);
    free(s->from_index);
    s->hits = NULL;
    s->from_index = NULL;
    s->n = s->n_indexed = 0;
    s->truncated = false;
}

static void clear_live(struct search *s)
{
    for (size_t i = 0; i < s->n_live; i++)
        candidate_free(&s->live[i].cand);
    free(s->live);
    s->live = NULL;
    s->n_live = 0;
    s->have_live = false;
}

static void clear_hits(struct search *s)
{
    clear_rows(s);
    clear_live(s);
    index_results_free(&s->ixr);
    s->failed_sets = 0;
    s->message[0] = '\0';
}

/* The rows from what the index and the finder said (hitmerge.h), copied, at most
 * SEARCH_SHOWN_MAX. live_more: the finder had more than it kept. */
static void merge_rows(struct search *s, bool live_more)
{
    clear_rows(s);
    struct finder_results lr = { .hits = s->live, .n = s->n_live };
    size_t cap = s->n_live + s->ixr.n;
    struct merged_hit *m = xcalloc(cap ? cap : 1, sizeof *m);
    size_t total = hitmerge_build(s->have_live ? &lr : NULL, &s->ixr, m);
    size_t n = total < SEARCH_SHOWN_MAX ? total : SEARCH_SHOWN_MAX;
    s->hits = n ? xcalloc(n, sizeof *s->hits) : NULL;
    s->from_index = n ? xcalloc(n, sizeof *s->from_index) : NULL;
    for (size_t i = 0; i < n; i++) {
        candidate_copy(&s->hits[i], m[i].c);
        s->from_index[i] = !m[i].live;
        s->n_indexed += (m[i].matched & HITMERGE_INDEX) != 0;
    }
    s->n = n;
    /* a full answer of the index may have left others out */
    s->truncated = live_more || total > n || s->ixr.n >= SEARCH_SHOWN_MAX;
    free(m);
}

/* The index's hits for the text, at once (a few milliseconds). */
static void ask_index(struct search *s)
{
    index_results_free(&s->ixr);
    s->ix_error[0] = '\0';
    if (!s->ix)
        return;
    if (index_search(s->ix, s->text, SEARCH_SHOWN_MAX, &s->ixr, s->ix_error,
                     sizeof s->ix_error) != 0)
        index_results_free(&s->ixr);
}

bool search_refresh_index(struct search *s)
{
    if (!s->ix || s->state == SEARCH_EMPTY || s->state == SEARCH_REFUSED)
        return false;
    ask_index(s);
    merge_rows(s, false);
    s->generation++;
    return true;
}

/* The old query's requests go at once: their answers could only be shown wrongly. */
static void drop_finder(struct search *s)
{
    if (s->finder) {
        finder_cancel(s->finder);
        finder_free(s->finder);
        s->finder = NULL;
    }
}

void search_free(struct search *s)
{
    drop_finder(s);
    clear_hits(s);
    free(s->text);
    memset(s, 0, sizeof *s);
}

static bool blank(const char *t)
{
    for (; *t; t++)
        if (*t != ' ' && *t != '\t' && *t != '\n' && *t != '\r')
            return false;
    return true;
}

bool search_set_text(struct search *s, const char *text, double now)
{
    if (strcmp(text, s->text) == 0)
        return false;
    drop_finder(s);
    free(s->text);
    s->text = xstrdup(text);
    s->description[0] = '\0';
    if (blank(text)) {
        clear_hits(s);
        s->state = SEARCH_EMPTY;
    } else if (s->ix) {
        /* the index answers at once; Kombo's answer for the old text is no answer for this */
        clear_hits(s);
        ask_index(s);
        merge_rows(s, false);
        s->state = SEARCH_WAITING;
        s->due = now + SEARCH_DEBOUNCE_S;
    } else {
        /* the old hits stay on screen until the new ones come: no flicker while typing */
        s->state = SEARCH_WAITING;
        s->due = now + SEARCH_DEBOUNCE_S;
    }
    s->generation++;
    return true;
}

static void start(struct search *s, double now)
{
    struct query_plan plan;
    char err[400];
    if (query_plan_build(s->text, &plan, err, sizeof err) != 0) {
        clear_hits(s);
        snprintf(s->message, sizeof s->message, "%s", err);
        s->state = SEARCH_REFUSED;
        query_plan_free(&plan);
        return;
    }
    snprintf(s->description, sizeof s->description, "%s", plan.description);
    /* one page per filter set: a person types until the list is short */
    struct finder_options fo = { .page_size = 25, .max_pages = 1 };
    int code;
    s->finder = finder_start(s->client, &plan, &fo, &code, err, sizeof err);
    query_plan_free(&plan);
    if (!s->finder) {
        clear_hits(s);
        snprintf(s->message, sizeof s->message, "%s", err);
        s->state = SEARCH_FAILED;
        return;
    }
    s->state = SEARCH_RUNNING;
    s->started = now;
}

static void take_results(struct search *s)
{
    struct finder_results r;
    finder_get_results(s->finder, &r);
    clear_live(s);
    size_t n = r.n < SEARCH_SHOWN_MAX ? r.n : SEARCH_SHOWN_MAX;
    s->live = n ? xcalloc(n, sizeof *s->live) : NULL;
    for (size_t i = 0; i < n; i++) {
        s->live[i] = r.hits[i];
        candidate_copy(&s->live[i].cand, &r.hits[i].cand);
    }
    s->n_live = n;
    s->have_live = true;
    merge_rows(s, r.truncated || r.n > n);
    s->failed_sets = r.n_failures;
    s->message[0] = '\0';
    if (r.n_failures)
        snprintf(s->message, sizeof s->message, "%s", r.failures[0].err.message);
    /* with hits of the index, a failed live search is a part that failed, not the whole */
    s->state = s->n == 0 && r.n_failures > 0 ? SEARCH_FAILED : SEARCH_DONE;
    finder_free(s->finder);
    s->finder = NULL;
}

bool search_step(struct search *s, double now)
{
    switch (s->state) {
    case SEARCH_WAITING:
        if (now < s->due)
            return false;
        start(s, now);
        s->generation++;
        return true;
    case SEARCH_RUNNING:
        if (!finder_done(s->finder))
            return false;
        take_results(s);
        s->generation++;
        return true;
    default:
        return false;
    }
}

int search_wait_ms(const struct search *s, double now)
{
    if (s->state != SEARCH_WAITING)
        return -1;
    double left = (s->due - now) * 1000.0;
    return left <= 0 ? 0 : (int)left + 1;
}

const struct candidate *search_find(const struct search *s, const char *id)
{
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->hits[i].id, id) == 0)
            return &s->hits[i];
    return NULL;
}

bool search_hit_from_index(const struct search *s, size_t i)
{
    return i < s->n && s->from_index && s->from_index[i];
}
