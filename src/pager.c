/* Paging through candidates as a chain of JSON requests (guards and prefetch: pager.h).
 * The pager holds no page of its own: a page is parsed when pager_next finds its request
 * finished and is handed out at once, so memory stays at one page plus one in flight. */
#include "pager.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"
#include "exitcodes.h"
#include "xalloc.h"

enum pager_state { P_RUNNING, P_ENDED, P_FAILED };

struct pager {
    struct client *client;
    struct kread_candidates filter;   /* own copies of every string */
    char **pairs;                     /* own copy of filter.pairs */
    size_t max_pages;
    bool prefetch;

    struct transfer *t;               /* the request in flight, for page `requested` */
    size_t requested, delivered;
    char *cursor;                     /* for the next request (NULL: first page / none) */
    bool need_request;                /* ask for the next page on the next pager_next */
    uint64_t *seen;                   /* hashes of every cursor followed */
    size_t n_seen, cap_seen;
    enum pager_state state;
    struct pager_error err;
};

static char *dup0(const char *s)
{
    return s ? xstrdup(s) : NULL;
}

static void filter_copy(struct pager *p, const struct kread_candidates *f)
{
    p->filter = *f;
    p->filter.ids = dup0(f->ids);
    p->filter.remote_ids = dup0(f->remote_ids);
    p->filter.email = dup0(f->email);
    p->filter.first_name = dup0(f->first_name);
    p->filter.last_name = dup0(f->last_name);
    p->filter.job_ids = dup0(f->job_ids);
    p->filter.updated_after = dup0(f->updated_after);
    p->filter.cursor = NULL;
    p->filter.pairs = NULL;
    if (f->pairs) {
        size_t n = 0;
        while (f->pairs[n])
            n += 2;
        p->pairs = xcalloc(n + 1, sizeof *p->pairs);
        for (size_t i = 0; i < n; i++)
            p->pairs[i] = dup0(f->pairs[i]);
        p->filter.pairs = (const char *const *)p->pairs;
    }
}

static void filter_free(struct pager *p)
{
    free((char *)p->filter.ids);
    free((char *)p->filter.remote_ids);
    free((char *)p->filter.email);
    free((char *)p->filter.first_name);
    free((char *)p->filter.last_name);
    free((char *)p->filter.job_ids);
    free((char *)p->filter.updated_after);
    for (size_t i = 0; p->pairs && p->pairs[i]; i += 2) {
        free(p->pairs[i]);
        free(p->pairs[i + 1]);
    }
    free(p->pairs);
}

/* FNV-1a: cursors are compared by a 64-bit hash so that 10,000 pages cost 80 KB. */
static uint64_t hash(const char *s)
{
    uint64_t h = 14695981039346656037ull;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ull;
    }
    return h;
}

/* The page (1-based) that first brought this cursor, or 0 when it is new (then noted). */
static size_t seen_before(struct pager *p, const char *cursor)
{
    uint64_t h = hash(cursor);
    for (size_t i = 0; i < p->n_seen; i++)
        if (p->seen[i] == h)
            return i + 1;
    if (p->n_seen == p->cap_seen) {
        p->cap_seen = p->cap_seen ? 2 * p->cap_seen : 64;
        p->seen = xrealloc(p->seen, p->cap_seen * sizeof *p->seen);
    }
    p->seen[p->n_seen++] = h;
    return 0;
}

static void fail(struct pager *p, size_t page, enum transfer_outcome o, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void fail(struct pager *p, size_t page, enum transfer_outcome o, const char *fmt, ...)
{
    if (p->state == P_FAILED)
        return;
    p->state = P_FAILED;
    p->err.page = page;
    p->err.outcome = o;
    int w = page ? snprintf(p->err.message, sizeof p->err.message, "page %zu: ", page) : 0;
    if (w < 0)
        w = 0;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->err.message + w, sizeof p->err.message - (size_t)w, fmt, ap);
    va_end(ap);
}

static void request(struct pager *p)
{
    p->need_request = false;
    p->filter.cursor = p->cursor;
    int code;
    char err[512];
    p->t = kread_candidates(p->client, &p->filter, &code, err, sizeof err);
    p->filter.cursor = NULL;
    p->requested++;
    if (!p->t)
        fail(p, p->requested, TRANSFER_INTERNAL, "%s", err);
}

struct pager *pager_start(struct client *c, const struct pager_options *o, int *code, char *err,
                          size_t errlen)
{
    if (kread_candidates_check(&o->filter, err, errlen)) {
        if (code)
            *code = KA_EXIT_USAGE;
        return NULL;
    }
    struct pager *p = xcalloc(1, sizeof *p);
    p->client = c;
    filter_copy(p, &o->filter);
    p->max_pages = o->max_pages ? o->max_pages : PAGER_DEFAULT_MAX_PAGES;
    p->prefetch = o->prefetch;
    if (o->filter.cursor) {
        p->cursor = xstrdup(o->filter.cursor);
        seen_before(p, p->cursor);
    }
    request(p);
    if (!p->t) {
        snprintf(err, errlen, "%s", p->err.message);
        if (code)
            *code = KA_EXIT_USAGE;
        pager_free(p);
        return NULL;
    }
    if (code)
        *code = KA_EXIT_OK;
    return p;
}

/* The finished request for page `requested`, parsed into *out (0) or failed (-1). */
static int harvest(struct pager *p, struct cand_page *out)
{
    const struct transfer_result *r = transfer_get_result(p->t);
    size_t page = p->requested;
    int rc = -1;
    if (r->outcome != TRANSFER_OK) {
        /* transfer.c describes an answer cut at JSONREQ_ANSWER_MAX as "far larger than
         * Kombo's"; for a page the cure is a smaller page. */
        bool huge = r->answer.problem && strstr(r->answer.problem, "far larger than Kombo's");
        fail(p, page, r->outcome, "%s%s", r->message,
             huge ? " — a page of candidates over 10 MiB is not read: ask for fewer per page "
                    "(page size)" : "");
        p->err.retry_helps = r->retry_helps && !huge;
        p->err.http_status = r->answer.http_status;
        if (r->answer.err.code)
            snprintf(p->err.code, sizeof p->err.code, "%s", r->answer.err.code);
    } else {
        char err[256];
        if (cand_page_parse(r->json, out, err, sizeof err) != 0) {
            fail(p, page, TRANSFER_SERVER, "%s", err);
            p->err.http_status = r->answer.http_status;
        } else {
            rc = 0;
        }
    }
    transfer_free(p->t);
    p->t = NULL;
    return rc;
}

enum pager_status pager_next(struct pager *p, struct cand_page *out)
{
    if (p->state == P_FAILED)
        return PAGER_ERROR;
    if (p->state == P_ENDED)
        return PAGER_END;
    if (p->need_request) {
        request(p);
        return p->state == P_FAILED ? PAGER_ERROR : PAGER_WAIT;
    }
    if (!p->t || !transfer_finished(p->t))
        return PAGER_WAIT;
    struct cand_page page;
    if (harvest(p, &page) != 0)
        return PAGER_ERROR;
    size_t k = p->requested;
    free(p->cursor);
    p->cursor = NULL;
    if (!page.next) {
        p->state = P_ENDED;
    } else {
        size_t before = seen_before(p, page.next);
        if (before) {
            fail(p, k + 1, TRANSFER_SERVER, "Kombo sent the cursor of page %zu again after page "
                 "%zu: stopped, as the pages would go round in circles", before + 1, k);
        } else if (k >= p->max_pages) {
            fail(p, k + 1, TRANSFER_SERVER, "stopped after %zu pages, the most this tool reads "
                 "in one go: use filters (e.g. updated after) to read fewer", p->max_pages);
        } else {
            p->cursor = xstrdup(page.next);
            if (p->prefetch)
                request(p); /* page k+1 travels while the caller stores page k */
            else
                p->need_request = true;
        }
    }
    *out = page;
    p->delivered++;
    return PAGER_PAGE;
}

const struct pager_error *pager_error(const struct pager *p)
{
    return p->state == P_FAILED ? &p->err : NULL;
}

size_t pager_pages(const struct pager *p)
{
    return p->delivered;
}

void pager_cancel(struct pager *p)
{
    if (p->state != P_RUNNING)
        return;
    if (p->t)
        transfer_cancel(p->t);
    fail(p, p->t ? p->requested : 0, TRANSFER_CANCELLED, "cancelled");
}

void pager_free(struct pager *p)
{
    if (!p)
        return;
    transfer_free(p->t);
    filter_free(p);
    free(p->cursor);
    free(p->seen);
    free(p);
}

int pager_run(struct client *c, const struct pager_options *o, pager_page_fn fn, void *data,
              struct pager_error *err)
{
    char msg[512];
    struct pager *p = pager_start(c, o, NULL, msg, sizeof msg);
    if (!p) {
        if (err) {
            memset(err, 0, sizeof *err);
            err->outcome = TRANSFER_INTERNAL;
            snprintf(err->message, sizeof err->message, "%s", msg);
        }
        return -1;
    }
    int rc = 0;
    for (;;) {
        struct cand_page page;
        enum pager_status s = pager_next(p, &page);
        if (s == PAGER_WAIT) {
            client_poll(c, 100, -1, NULL);
        } else if (s == PAGER_PAGE) {
            int stop = fn(data, &page, pager_pages(p));
            cand_page_free(&page);
            if (stop) {
                rc = 1;
                break;
            }
        } else if (s == PAGER_END) {
            break;
        } else {
            if (err)
                *err = p->err;
            rc = -1;
            break;
        }
    }
    pager_free(p);
    return rc;
}
