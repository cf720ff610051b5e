/* See search.h. */
#include "search.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "finder.h"
#include "query.h"
#include "xalloc.h"

void search_init(struct search *s, struct client *c)
{
    memset(s, 0, sizeof *s);
    s->client = c;
    s->text = xstrdup("");
}

static void clear_hits(struct search *s)
{
    for (size_t i = 0; i < s->n; i++)
        candidate_free(&s->hits[i]);
    free(s->hits);
    s->hits = NULL;
    s->n = 0;
    s->truncated = false;
    s->failed_sets = 0;
    s->message[0] = '\0';
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
    clear_hits(s);
    size_t n = r.n < SEARCH_SHOWN_MAX ? r.n : SEARCH_SHOWN_MAX;
    s->hits = n ? xcalloc(n, sizeof *s->hits) : NULL;
    for (size_t i = 0; i < n; i++)
        candidate_copy(&s->hits[i], &r.hits[i].cand);
    s->n = n;
    s->truncated = r.truncated || r.n > n;
    s->failed_sets = r.n_failures;
    if (r.n_failures)
        snprintf(s->message, sizeof s->message, "%s", r.failures[0].err.message);
    s->state = r.n == 0 && r.n_failures > 0 ? SEARCH_FAILED : SEARCH_DONE;
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
