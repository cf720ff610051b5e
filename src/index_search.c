/* See index_search.h. The ranking is a SQL function (ka_rank) that sees the folded query:
 * SQLite then keeps only the best `limit` rows while it reads the matches. */
#include "index_search.h"
#include "index_priv.h"

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fold_text.h"
#include "utf8.h"
#include "xalloc.h"

#define WORDS_MAX 16
#define NOT_A_MATCH 9

#define COLS "c.id, c.remote_id, c.first_name, c.last_name, c.title, c.company, c.remote_url," \
             " c.changed_at, c.emails, c.apps, c.last_app_at"
#define RANK "ka_rank(c.id, c.remote_id, c.names_f, c.emails_f, c.search)"

enum { Q_FTS, Q_PFX, Q_ID, Q_N };

static const char *const query_sql[Q_N] = {
    "SELECT " COLS ", " RANK " AS rk FROM cand_fts JOIN cand c ON c.rowid = cand_fts.rowid"
    " WHERE cand_fts MATCH ?1 AND rk < 9 ORDER BY rk, c.last_app_at DESC, c.rowid LIMIT ?2",
    "SELECT " COLS ", " RANK " AS rk FROM pfx JOIN cand c ON c.rowid = pfx.cand"
    " WHERE pfx.p = ?1 AND rk < 9 ORDER BY pfx.lad DESC, pfx.cand LIMIT ?2",
    "SELECT " COLS ", 0 FROM cand c WHERE c.id = ?1",
};

/* The query being run, for ka_rank. */
struct index_search_ctx {
    sqlite3_stmt *st[Q_N];
    const char *raw;           /* trimmed as typed */
    char *folded;              /* folded, single spaces */
    char *words[WORDS_MAX];    /* pointers into a copy of folded */
    size_t n_words;
    char *wbuf;
};

static size_t chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

/* " w" in " anna maria " */
static bool starts_word(const char *names, const char *w)
{
    size_t n = strlen(w);
    for (const char *p = names; (p = strchr(p, ' ')) != NULL; p++)
        if (strncmp(p + 1, w, n) == 0 && p[1])
            return true;
    return false;
}

static void ka_rank(sqlite3_context *cx, int argc, sqlite3_value **v)
{
    (void)argc;
    const struct index_search_ctx *q = sqlite3_user_data(cx);
    const char *id = (const char *)sqlite3_value_text(v[0]);
    const char *rid = (const char *)sqlite3_value_text(v[1]);
    const char *names = (const char *)sqlite3_value_text(v[2]);
    const char *emails = (const char *)sqlite3_value_text(v[3]);
    const char *search = (const char *)sqlite3_value_text(v[4]);
    bool all_names = true;
    for (size_t i = 0; i < q->n_words; i++) {
        bool name = names && starts_word(names, q->words[i]);
        /* Short words match name starts only; long ones anywhere, checked here because
         * the trigram index (detail=none) only says the row has each trigram. */
        if (!name && (chars(q->words[i]) < 3 || !search || !strstr(search, q->words[i]))) {
            sqlite3_result_int(cx, NOT_A_MATCH);
            return;
        }
        all_names = all_names && name;
    }
    bool exact = (id && strcmp(id, q->raw) == 0) || (rid && strcmp(rid, q->raw) == 0);
    if (!exact && emails && !strchr(q->folded, ' ')) {
        size_t n = strlen(q->folded);
        for (const char *p = emails; (p = strchr(p, '\n')) != NULL && p[1]; p++)
            if (strncmp(p + 1, q->folded, n) == 0 && p[1 + n] == '\n') {
                exact = true;
                break;
            }
    }
    sqlite3_result_int(cx, exact ? INDEX_RANK_EXACT : all_names ? INDEX_RANK_NAME : INDEX_RANK_OTHER);
}

static struct index_search_ctx *ctx(struct index *ix, char *err, size_t errlen)
{
    if (ix->search)
        return ix->search;
    struct index_search_ctx *q = xcalloc(1, sizeof *q);
    if (sqlite3_create_function(ix->db, "ka_rank", 5, SQLITE_UTF8, q, ka_rank, NULL, NULL) !=
        SQLITE_OK)
        goto bad;
    for (int i = 0; i < Q_N; i++)
        if (sqlite3_prepare_v3(ix->db, query_sql[i], -1, SQLITE_PREPARE_PERSISTENT, &q->st[i],
                               NULL) != SQLITE_OK)
            goto bad;
    ix->search = q;
    return q;
bad:
    snprintf(err, errlen, "index search: %s", sqlite3_errmsg(ix->db));
    for (int i = 0; i < Q_N; i++)
        sqlite3_finalize(q->st[i]);
    free(q);
    return NULL;
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

static char *dup_col(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return t && *t ? xstrdup((const char *)t) : NULL;
}

static const char *jstr(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static char *dup_opt(const char *s)
{
    return s ? xstrdup(s) : NULL;
}

static void row_to_hit(sqlite3_stmt *st, struct index_hit *h)
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
    cJSON *e = cJSON_Parse((const char *)sqlite3_column_text(st, 8));
    const cJSON *it;
    cJSON_ArrayForEach(it, e)
        if (cJSON_IsString(it) && c->n_emails < CAND_EMAILS_MAX)
            c->emails[c->n_emails++] = xstrdup(it->valuestring);
    cJSON_Delete(e);
    cJSON *a = cJSON_Parse((const char *)sqlite3_column_text(st, 9));
    int na = cJSON_GetArraySize(a);
    if (na > 0) {
        c->apps = xcalloc((size_t)na, sizeof *c->apps);
        cJSON_ArrayForEach(it, a) {
            if (!jstr(it, "id"))
                continue;
            struct cand_application *p = &c->apps[c->n_apps++];
            p->id = xstrdup(jstr(it, "id"));
            p->job_id = dup_opt(jstr(it, "job_id"));
            p->job_name = dup_opt(jstr(it, "job"));
            p->stage = dup_opt(jstr(it, "stage"));
            p->remote_created_at = dup_opt(jstr(it, "created"));
            const cJSON *o = cJSON_GetObjectItemCaseSensitive(it, "outcome");
            p->outcome = cJSON_IsNumber(o) && o->valueint >= 0 && o->valueint <= APP_OUTCOME_DECLINED
                         ? (enum app_outcome)o->valueint : APP_OUTCOME_UNKNOWN;
        }
    }
    cJSON_Delete(a);
    h->last_application = dup_col(st, 10);
    int rk = sqlite3_column_int(st, 11);
    h->rank = rk == 0 ? INDEX_RANK_EXACT : rk == 1 ? INDEX_RANK_NAME : INDEX_RANK_OTHER;
}

/* Byte length of the n code points at s (fewer when s ends first). */
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

/* FTS5 query: every trigram of every word of 3+ characters, quoted, ANDed. The table keeps
 * no positions (detail=none), so a longer phrase cannot be asked for; ka_rank checks the
 * whole word in the row's text. NULL when no word is long enough. */
static char *fts_query(const struct index_search_ctx *q)
{
    size_t cap = 8;
    for (size_t i = 0; i < q->n_words; i++)
        cap += 12 * strlen(q->words[i]) + 8;
    char *m = xmalloc(cap), *o = m;
    bool any = false;
    for (size_t i = 0; i < q->n_words; i++) {
        size_t n = chars(q->words[i]);
        const char *w = q->words[i];
        for (size_t k = 0; n >= 3 && k + 3 <= n; k++) {
            size_t len = cp_bytes(w, 3);
            if (any)
                o += sprintf(o, " AND ");
            *o++ = '"';
            for (size_t j = 0; j < len; j++) {
                if (w[j] == '"')
                    *o++ = '"';
                *o++ = w[j];
            }
            *o++ = '"';
            any = true;
            w += cp_bytes(w, 1);
        }
    }
    *o = '\0';
    if (!any) {
        free(m);
        return NULL;
    }
    return m;
}

/* Fold, squeeze white space, split into words. false: nothing to search for. */
static bool prepare(struct index_search_ctx *q, const char *query, char **raw)
{
    while (*query == ' ' || *query == '\t' || *query == '\n' || *query == '\r')
        query++;
    size_t n = strlen(query);
    while (n && (query[n - 1] == ' ' || query[n - 1] == '\t' || query[n - 1] == '\n' ||
                 query[n - 1] == '\r'))
        n--;
    *raw = xstrndup(query, n);
    char *f = fold_text(query, n), *o = f;
    for (const char *p = f; *p; p++) {
        bool sp = *p == ' ' || *p == '\t' || *p == '\n' || *p == '\r';
        if (sp && (o == f || o[-1] == ' '))
            continue;
        *o++ = sp ? ' ' : *p;
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

static int collect(struct index *ix, sqlite3_stmt *st, struct index_results *out, char *err,
                   size_t errlen)
{
    int rc;
    size_t cap = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (out->n == cap) {
            cap = cap ? cap * 2 : 16;
            out->hits = xrealloc(out->hits, cap * sizeof *out->hits);
        }
        row_to_hit(st, &out->hits[out->n++]);
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    if (rc != SQLITE_DONE) {
        snprintf(err, errlen, "index search: %s", sqlite3_errmsg(ix->db));
        index_results_free(out);
        return -1;
    }
    return 0;
}

int index_search(struct index *ix, const char *query, size_t limit, struct index_results *out,
                 char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    struct index_search_ctx *q = ctx(ix, err, errlen);
    if (!q)
        return -1;
    char *raw = NULL;
    int rc = 0;
    if (prepare(q, query ? query : "", &raw)) {
        char *m = fts_query(q);
        sqlite3_stmt *st = q->st[m ? Q_FTS : Q_PFX];
        if (m)
            sqlite3_bind_text(st, 1, m, -1, SQLITE_TRANSIENT);
        else
            sqlite3_bind_text(st, 1, q->words[0], -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, (sqlite3_int64)(limit ? limit : INDEX_SEARCH_DEFAULT_LIMIT));
        rc = collect(ix, st, out, err, errlen);
        free(m);
    }
    free(raw);
    free(q->folded);
    free(q->wbuf);
    q->folded = q->wbuf = NULL;
    q->raw = NULL;
    q->n_words = 0;
    return rc;
}

int index_lookup(struct index *ix, const char *id, struct index_hit *out, char *err,
                 size_t errlen)
{
    memset(out, 0, sizeof *out);
    struct index_search_ctx *q = ctx(ix, err, errlen);
    if (!q)
        return -1;
    struct index_results r = { 0 };
    sqlite3_bind_text(q->st[Q_ID], 1, id, -1, SQLITE_STATIC);
    if (collect(ix, q->st[Q_ID], &r, err, errlen) != 0)
        return -1;
    if (r.n == 0)
        return 0;
    *out = r.hits[0];
    for (size_t i = 1; i < r.n; i++)
        index_hit_free(&r.hits[i]);
    free(r.hits);
    return 1;
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
