/* See index_search.h. Three trigram queries at most, each read in descending FTS row id
 * order (the most recent application first, index_row.h) and stopped as soon as enough
 * rows are shown: the exact ones (the ATS ID or an e-mail address between its markers,
 * plus the Kombo ID through cand.id), then the name prefixes ("\2\2" + each word), then
 * any substring. Every row read is checked against its own text (the trigram index only
 * says it holds each trigram), and only the rows shown are decoded. */
#include "index_search.h"
#include "index_priv.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "index_row.h"
#include "textbuf.h"
#include "xalloc.h"

#define WORDS_MAX 16
/* Rows read at most for the exact step: an e-mail address or ATS ID shared by more
 * candidates than this is not one anyone types to find a person. */
#define EXACT_SCAN_MAX 256

#define COLS "c.id, c.remote_id, c.first_name, c.last_name, c.title, c.company, c.remote_url," \
             " c.changed_at, c.emails, c.apps, c.last_app_at, c.rowid, c.search"
enum { COL_REMOTE_ID = 1, COL_ROWID = 11, COL_SEARCH = 12 };

enum { Q_FTS, Q_ID, Q_N };

static const char *const query_sql[Q_N] = {
    "SELECT " COLS " FROM cand_fts JOIN cand c ON c.rk = cand_fts.rowid"
    " WHERE cand_fts MATCH ?1 ORDER BY cand_fts.rowid DESC",
    "SELECT " COLS " FROM cand c WHERE c.id = ?1",
};

struct index_search_ctx {
    sqlite3_stmt *st[Q_N];
};

/* One search: the query and the hits so far. */
struct run {
    const char *raw;           /* trimmed as typed */
    char *folded;              /* folded, single spaces */
    char *wbuf;
    char *words[WORDS_MAX];
    size_t n_words;
    size_t limit;
    struct index_results *out;
    size_t cap;
};

enum step { STEP_EXACT, STEP_NAME, STEP_OTHER };

static size_t chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

/* A name word of the first line starts with w: "\2\2w". */
static bool starts_name(const char *search, const char *w)
{
    const char *end = strchr(search, '\n');
    size_t n = strlen(w);
    for (const char *p = search; (p = strstr(p, "\2\2")) != NULL && (!end || p < end); p += 2)
        if (strncmp(p + 2, w, n) == 0)
            return true;
    return false;
}

/* INDEX_RANK_NAME, INDEX_RANK_OTHER, or -1 when some word does not match. */
static int rank_row(const struct run *q, const char *search)
{
    bool all_names = true;
    for (size_t i = 0; i < q->n_words; i++) {
        if (starts_name(search, q->words[i]))
            continue;
        /* short words match name starts only */
        if (chars(q->words[i]) < 3 || !strstr(search, q->words[i]))
            return -1;
        all_names = false;
    }
    return all_names ? INDEX_RANK_NAME : INDEX_RANK_OTHER;
}

/* The whole query is the ATS ID (as typed) or one of the e-mail addresses (folded). */
static bool exact_row(const struct run *q, const char *remote_id, const char *search)
{
    if (remote_id && strcmp(remote_id, q->raw) == 0)
        return true;
    if (strchr(q->folded, ' '))
        return false;
    size_t n = strlen(q->folded);
    for (const char *p = search; (p = strstr(p, "\n\3")) != NULL; p += 2)
        if (strncmp(p + 2, q->folded, n) == 0 && p[2 + n] == IXR_EMAIL)
            return true;
    return false;
}

static size_t cp_bytes(const char *s, size_t n)
{
    size_t b = 0;
    while (s[b] && n) {
        b++;
        while (((unsigned char)s[b] & 0xC0) == 0x80)
            b++;
        n--;
    }
    return b;
}

/* Every trigram of prefix + w, quoted, ANDed onto m. The table keeps no positions
 * (detail=none), so a longer phrase cannot be asked for. */
static void add_trigrams(struct textbuf *m, const char *prefix, const char *w)
{
    size_t pl = strlen(prefix), wl = strlen(w);
    char *t = xmalloc(pl + wl + 1);
    memcpy(t, prefix, pl);
    memcpy(t + pl, w, wl + 1);
    for (const char *p = t; chars(p) >= 3; p += cp_bytes(p, 1)) {
        size_t len = cp_bytes(p, 3);
        if (m->n && m->p[m->n - 1] != '(')
            textbuf_add(m, " AND ", 5);
        textbuf_add(m, "\"", 1);
        for (size_t j = 0; j < len; j++)
            textbuf_add(m, p[j] == '"' ? "\"\"" : p + j, p[j] == '"' ? 2 : 1);   /* " doubled */
        textbuf_add(m, "\"", 1);
    }
    free(t);
}

/* The FTS5 query of a step; NULL when the step cannot match. */
static char *match_of(const struct run *q, enum step step)
{
    struct textbuf m = { 0 };
    if (step == STEP_EXACT) {
        char e[2] = { IXR_EMAIL, 0 }, r[2] = { IXR_RID, 0 };
        char *a = xmalloc(strlen(q->folded) + 2);
        textbuf_add(&m, "(", 1);
        snprintf(a, strlen(q->folded) + 2, "%s%c", q->folded, IXR_EMAIL);
        add_trigrams(&m, e, a);
        textbuf_add(&m, ") OR (", 6);
        a[strlen(q->folded)] = IXR_RID;
        add_trigrams(&m, r, a);
        textbuf_add(&m, ")", 1);
        free(a);
        return m.p;
    }
    bool any_long = false;
    for (size_t i = 0; i < q->n_words; i++) {
        bool lng = chars(q->words[i]) >= 3;
        any_long = any_long || lng;
        add_trigrams(&m, step == STEP_OTHER && lng ? "" : "\2\2", q->words[i]);
    }
    if (step == STEP_OTHER && !any_long) {
        free(m.p);
        return NULL;
    }
    return m.p;
}

static char *dup_col(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return t && *t ? xstrdup((const char *)t) : NULL;
}

static void row_to_hit(sqlite3_stmt *st, struct index_hit *h, enum index_rank rank)
{
    memset(h, 0, sizeof *h);
    struct candidate *c = &h->c;
    c->id = dup_col(st, 0);
    c->remote_id = dup_col(st, 1);
    c->first_name = dup_col(st, 2);
    c->last_name = dup_col(st, 3);
    c->title = dup_col(st, 4);
    c->company = dup_col(st, 5);
    c->remote_url = dup_col(st, 6);
    c->changed_at = dup_col(st, 7);
    index_row_read_emails(sqlite3_column_blob(st, 8), (size_t)sqlite3_column_bytes(st, 8), c);
    index_row_read_apps(sqlite3_column_blob(st, 9), (size_t)sqlite3_column_bytes(st, 9), c);
    h->last_application = dup_col(st, 10);
    h->rank = rank;
}

static bool have(const struct run *q, const char *id)
{
    for (size_t i = 0; i < q->out->n; i++)
        if (strcmp(q->out->hits[i].c.id, id) == 0)
            return true;
    return false;
}

static void add_hit(struct run *q, sqlite3_stmt *st, enum index_rank rank)
{
    struct index_results *out = q->out;
    if (out->n == q->cap) {
        q->cap = q->cap ? q->cap * 2 : 16;
        out->hits = xrealloc(out->hits, q->cap * sizeof *out->hits);
    }
    row_to_hit(st, &out->hits[out->n++], rank);
}

/* Read st's rows (in ranking order) until the limit; keep those of this step's rank. */
static int scan(struct run *q, sqlite3_stmt *st, enum step step)
{
    int rc = SQLITE_DONE;
    size_t read = 0;
    while (q->out->n < q->limit && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *search = (const char *)sqlite3_column_text(st, COL_SEARCH);
        const char *id = (const char *)sqlite3_column_text(st, 0);
        if (!search || !id)
            continue;
        int rank;
        if (step == STEP_EXACT) {
            if (++read > EXACT_SCAN_MAX)
                break;
            rank = exact_row(q, (const char *)sqlite3_column_text(st, COL_REMOTE_ID), search)
                   ? INDEX_RANK_EXACT : -1;
        } else {
            rank = rank_row(q, search);
            if (rank != (step == STEP_NAME ? INDEX_RANK_NAME : INDEX_RANK_OTHER))
                continue;
        }
        if (rank >= 0 && !have(q, id))
            add_hit(q, st, (enum index_rank)rank);
    }
    if (q->out->n >= q->limit || read > EXACT_SCAN_MAX)
        rc = SQLITE_DONE;
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

static struct index_search_ctx *ctx(struct index *ix, char *err, size_t errlen)
{
    if (ix->search)
        return ix->search;
    struct index_search_ctx *q = xcalloc(1, sizeof *q);
    for (int i = 0; i < Q_N; i++)
        if (sqlite3_prepare_v3(ix->db, query_sql[i], -1, SQLITE_PREPARE_PERSISTENT, &q->st[i],
                               NULL) != SQLITE_OK) {
            snprintf(err, errlen, "index search: %s", sqlite3_errmsg(ix->db));
            for (int k = 0; k < Q_N; k++)
                sqlite3_finalize(q->st[k]);
            free(q);
            return NULL;
        }
    ix->search = q;
    return q;
}

void index_search_forget(struct index *ix)
{
    struct index_search_ctx *q = ix->search;
    if (!q)
        return;
    for (int i = 0; i < Q_N; i++)
        sqlite3_finalize(q->st[i]);
    free(q);
    ix->search = NULL;
}

/* Fold, squeeze white space, split into words. false: nothing to search for. */
static bool prepare(struct run *q, const char *query, char **raw)
{
    while (*query == ' ' || *query == '\t' || *query == '\n' || *query == '\r')
        query++;
    size_t n = strlen(query);
    while (n && (query[n - 1] == ' ' || query[n - 1] == '\t' || query[n - 1] == '\n' ||
                 query[n - 1] == '\r'))
        n--;
    *raw = xstrndup(query, n);
    char *f = index_row_fold(query, n), *o = f;
    for (const char *p = f; *p; p++) {
        if (*p == ' ' && (o == f || o[-1] == ' '))
            continue;
        *o++ = *p;
    }
    if (o > f && o[-1] == ' ')
        o--;
    *o = '\0';
    q->raw = *raw;
    q->folded = f;
    q->wbuf = xstrdup(f);
    q->n_words = 0;
    for (char *save = NULL, *w = strtok_r(q->wbuf, " ", &save); w && q->n_words < WORDS_MAX;
         w = strtok_r(NULL, " ", &save))
        q->words[q->n_words++] = w;
    return q->n_words > 0;
}

static int run_step(struct run *q, sqlite3_stmt *st, enum step step)
{
    if (q->out->n >= q->limit)
        return 0;
    char *m = match_of(q, step);
    if (!m)
        return 0;
    sqlite3_bind_text(st, 1, m, -1, SQLITE_TRANSIENT);
    free(m);
    return scan(q, st, step);
}

int index_search(struct index *ix, const char *query, size_t limit, struct index_results *out,
                 char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    struct index_search_ctx *cx = ctx(ix, err, errlen);
    if (!cx)
        return -1;
    struct run q = { .limit = limit ? limit : INDEX_SEARCH_DEFAULT_LIMIT, .out = out };
    char *raw = NULL;
    int rc = 0;
    if (prepare(&q, query ? query : "", &raw)) {
        /* the Kombo ID, whole */
        sqlite3_stmt *st = cx->st[Q_ID];
        sqlite3_bind_text(st, 1, q.raw, -1, SQLITE_STATIC);
        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW)
            add_hit(&q, st, INDEX_RANK_EXACT);
        rc = rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
        sqlite3_reset(st);
        sqlite3_clear_bindings(st);
        for (enum step s = STEP_EXACT; rc == 0 && s <= STEP_OTHER; s++)
            rc = run_step(&q, cx->st[Q_FTS], s);
        if (rc) {
            snprintf(err, errlen, "index search: %s", sqlite3_errmsg(ix->db));
            index_results_free(out);
        }
    }
    free(raw);
    free(q.folded);
    free(q.wbuf);
    return rc;
}

int index_lookup(struct index *ix, const char *id, struct index_hit *out, char *err,
                 size_t errlen)
{
    memset(out, 0, sizeof *out);
    struct index_search_ctx *cx = ctx(ix, err, errlen);
    if (!cx)
        return -1;
    sqlite3_stmt *st = cx->st[Q_ID];
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        row_to_hit(st, out, INDEX_RANK_EXACT);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        snprintf(err, errlen, "index lookup: %s", sqlite3_errmsg(ix->db));
        return -1;
    }
    return rc == SQLITE_ROW;
}

void index_hit_free(struct index_hit *h)
{
    candidate_free(&h->c);
    free(h->last_application);
    h->last_application = NULL;
}

void index_results_free(struct index_results *r)
{
    for (size_t i = 0; i < r->n; i++)
        index_hit_free(&r->hits[i]);
    free(r->hits);
    r->hits = NULL;
    r->n = 0;
}
