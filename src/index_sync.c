/* See index_sync.h. One page = one transaction: its candidates, the prefixes, and the
 * cursor that continues after it (or, on the last page, the end of the sync). */
#include "index_sync.h"
#include "index_priv.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#include "candidate.h"
#include "client.h"
#include "exitcodes.h"
#include "fold_text.h"
#include "pager.h"
#include "utf8.h"
#include "xalloc.h"

enum { ST_DEL, ST_INS, ST_PFX, ST_N };

static const char *const stmt_sql[ST_N] = {
    "DELETE FROM cand WHERE id = ?",
    "INSERT INTO cand(id, remote_id, first_name, last_name, title, company, emails, apps,"
    " remote_url, changed_at, last_app_at, names_f, emails_f, search, seen)"
    " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
    "INSERT OR IGNORE INTO pfx(p, lad, cand) VALUES (?,?,?)",
};

struct index_sync {
    struct index *ix;
    struct client *client;
    struct pager *pager;
    sqlite3_stmt *st[ST_N];
    int lock_fd;
    struct index_sync_options o;
    long long run_start_ms, gen;
    bool full;
    char after[40];                   /* updated_after of this run, "" for a full one */
    bool retried_fresh;               /* a stored cursor was refused once: started over */
    enum index_sync_status status;
    bool complete;
    double t0;
    struct index_sync_progress prog;
    int code;
    char msg[700];
};

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static double mono(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void iso_ms(long long ms, char out[40])
{
    time_t t = (time_t)(ms / 1000);
    struct tm tm;
    gmtime_r(&t, &tm);
    size_t k = strftime(out, 40, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(out + k, 40 - k, ".%03dZ", (int)(ms % 1000));
}

static int fail(struct index_sync *s, int code, const char *fmt, const char *arg)
{
    snprintf(s->msg, sizeof s->msg, fmt, arg);
    s->code = code;
    s->status = INDEX_SYNC_ERROR;
    return -1;
}

static long long meta_ll(struct index *ix, const char *key, long long def)
{
    char v[64];
    return index_meta_get(ix, key, v, sizeof v) == 0 && v[0] ? strtoll(v, NULL, 10) : def;
}

static int meta_ll_set(struct index *ix, const char *key, long long v)
{
    char b[32];
    snprintf(b, sizeof b, "%lld", v);
    return index_meta_set(ix, key, b);
}

/* ------------------------------------------------------------------ one candidate */

struct sbuf { char *p; size_t n, cap; };

static void sb_add(struct sbuf *b, const char *s, size_t n)
{
    if (b->n + n + 1 > b->cap) {
        b->cap = (b->n + n + 1) * 2;
        b->p = xrealloc(b->p, b->cap);
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = '\0';
}

static void sb_str(struct sbuf *b, const char *s)
{
    sb_add(b, s, strlen(s));
}

/* s folded and appended; '-' becomes a space when `words` (Jean-Luc: two name words). */
static void sb_fold(struct sbuf *b, const char *s, bool words)
{
    if (!s)
        return;
    char *f = fold_text(s, strlen(s));
    if (words)
        for (char *p = f; *p; p++)
            if (*p == '-' || *p == '\n')
                *p = ' ';
    sb_str(b, f);
    free(f);
}

static void bind_opt(sqlite3_stmt *st, int i, const char *v)
{
    if (v)
        sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, i);
}

/* The 1- and 2-character prefixes of every word of names_f (" anna maria schmidt "). */
static int store_prefixes(struct index_sync *s, const char *names, const char *lad,
                          sqlite3_int64 row)
{
    sqlite3_stmt *st = s->st[ST_PFX];
    size_t n = strlen(names);
    for (size_t i = 0; i < n; i++) {
        if (names[i] == ' ' || (i > 0 && names[i - 1] != ' '))
            continue;
        uint32_t cp;
        size_t k1 = utf8_decode(names + i, n - i, &cp);
        if (k1 == 0)
            k1 = 1;
        size_t k2 = 0;
        if (i + k1 < n && names[i + k1] != ' ') {
            k2 = utf8_decode(names + i + k1, n - i - k1, &cp);
            if (k2 == 0)
                k2 = 1;
        }
        for (int pass = 0; pass < (k2 ? 2 : 1); pass++) {
            sqlite3_reset(st);
            sqlite3_bind_text(st, 1, names + i, (int)(pass ? k1 + k2 : k1), SQLITE_STATIC);
            sqlite3_bind_text(st, 2, lad, -1, SQLITE_STATIC);
            sqlite3_bind_int64(st, 3, row);
            if (sqlite3_step(st) != SQLITE_DONE)
                return -1;
        }
    }
    return 0;
}

static char *apps_json(const struct candidate *c, char *lad, size_t ladlen)
{
    cJSON *a = cJSON_CreateArray();
    lad[0] = '\0';
    for (size_t i = 0; i < c->n_apps; i++) {
        const struct cand_application *p = &c->apps[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "id", p->id);
        if (p->job_id) cJSON_AddStringToObject(o, "job_id", p->job_id);
        if (p->job_name) cJSON_AddStringToObject(o, "job", p->job_name);
        if (p->stage) cJSON_AddStringToObject(o, "stage", p->stage);
        cJSON_AddNumberToObject(o, "outcome", p->outcome);
        if (p->remote_created_at) {
            cJSON_AddStringToObject(o, "created", p->remote_created_at);
            if (strcmp(p->remote_created_at, lad) > 0)
                snprintf(lad, ladlen, "%s", p->remote_created_at);
        }
        cJSON_AddItemToArray(a, o);
    }
    char *out = cJSON_PrintUnformatted(a);
    cJSON_Delete(a);
    return out;
}

static char *emails_json(const struct candidate *c)
{
    cJSON *a = cJSON_CreateArray();
    for (size_t i = 0; i < c->n_emails; i++)
        cJSON_AddItemToArray(a, cJSON_CreateString(c->emails[i]));
    char *out = cJSON_PrintUnformatted(a);
    cJSON_Delete(a);
    return out;
}

static int step_done(sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

static int store_candidate(struct index_sync *s, const struct candidate *c)
{
    sqlite3_stmt *del = s->st[ST_DEL], *ins = s->st[ST_INS];
    sqlite3_bind_text(del, 1, c->id, -1, SQLITE_STATIC);
    if (step_done(del))
        return -1;
    if (c->remote_deleted_at) {
        s->prog.removed += (uint64_t)sqlite3_changes(s->ix->db);
        return 0;
    }
    struct sbuf names = { 0 }, emails = { 0 }, search = { 0 };
    sb_str(&names, " ");
    sb_fold(&names, c->first_name, true);
    sb_str(&names, " ");
    sb_fold(&names, c->last_name, true);
    sb_str(&names, " ");
    sb_str(&emails, "\n");
    for (size_t i = 0; i < c->n_emails; i++) {
        sb_fold(&emails, c->emails[i], false);
        sb_str(&emails, "\n");
    }
    /* One field a line: a query (no line breaks) never matches across two fields. */
    sb_add(&search, names.p + 1, names.n - 2);
    sb_add(&search, emails.p, emails.n);
    sb_fold(&search, c->title, true);
    sb_str(&search, "\n");
    sb_fold(&search, c->company, true);
    for (size_t i = 0; i < c->n_apps; i++) {
        sb_str(&search, "\n");
        sb_fold(&search, c->apps[i].job_name, true);
    }
    sb_str(&search, "\n");
    sb_fold(&search, c->id, false);
    sb_str(&search, "\n");
    sb_fold(&search, c->remote_id, false);
    char lad[CAND_TEXT_MAX + 1];
    char *apps = apps_json(c, lad, sizeof lad), *ems = emails_json(c);
    const char *v[] = { c->id, c->remote_id, c->first_name, c->last_name, c->title, c->company,
                        ems, apps, c->remote_url, c->changed_at, lad, names.p, emails.p,
                        search.p };
    for (int i = 0; i < 14; i++)
        bind_opt(ins, i + 1, v[i]);
    sqlite3_bind_int64(ins, 15, s->gen);
    int rc = step_done(ins);
    if (rc == 0)
        rc = store_prefixes(s, names.p, lad, sqlite3_last_insert_rowid(s->ix->db));
    sqlite3_clear_bindings(ins);
    free(apps);
    free(ems);
    free(names.p);
    free(emails.p);
    free(search.p);
    return rc;
}

/* ------------------------------------------------------------------ one page */

/* The run's state in meta: where to continue, and with which filters (a cursor belongs to
 * its query). */
static int save_run(struct index_sync *s, const char *cursor)
{
    if (index_meta_set(s->ix, "cursor", cursor) || meta_ll_set(s->ix, "run_start", s->run_start_ms) ||
        meta_ll_set(s->ix, "run_gen", s->gen) || index_meta_set(s->ix, "run_after", s->after) ||
        meta_ll_set(s->ix, "run_full", s->full))
        return -1;
    return 0;
}

/* The last page: the sync is complete. */
static int finish_run(struct index_sync *s)
{
    struct index *ix = s->ix;
    if (s->full) {
        /* Candidates a full sync did not see are gone upstream (anonymised, or deleted
         * before our last incremental sync could hear of it). */
        sqlite3_stmt *st;
        if (sqlite3_prepare_v2(ix->db, "DELETE FROM cand WHERE seen < ?", -1, &st, NULL))
            return -1;
        sqlite3_bind_int64(st, 1, s->gen);
        int rc = sqlite3_step(st);
        sqlite3_finalize(st);
        if (rc != SQLITE_DONE)
            return -1;
        s->prog.removed += (uint64_t)sqlite3_changes(ix->db);
        if (meta_ll_set(ix, "gen", s->gen))
            return -1;
    }
    long long count = 0;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(ix->db, "SELECT count(*) FROM cand", -1, &st, NULL) == SQLITE_OK) {
        if (sqlite3_step(st) == SQLITE_ROW)
            count = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
    }
    static const char *const run_keys[] = { "cursor", "run_start", "run_gen", "run_after",
                                            "run_full" };
    for (size_t i = 0; i < sizeof run_keys / sizeof run_keys[0]; i++)
        if (index_meta_del(ix, run_keys[i]))
            return -1;
    if (meta_ll_set(ix, "last_start", s->run_start_ms) || meta_ll_set(ix, "last_end", now_ms()) ||
        meta_ll_set(ix, "last_count", count) || (s->full && meta_ll_set(ix, "last_full", s->run_start_ms)))
        return -1;
    return 0;
}

static int store_page(struct index_sync *s, const struct cand_page *page)
{
    char err[300];
    if (index_exec(s->ix, "BEGIN IMMEDIATE", err, sizeof err))
        return fail(s, KA_EXIT_INTERNAL, "%s", err);
    for (size_t i = 0; i < page->n; i++)
        if (store_candidate(s, &page->items[i]) != 0)
            goto bad;
    if (page->next ? save_run(s, page->next) : finish_run(s))
        goto bad;
    if (index_exec(s->ix, "COMMIT", err, sizeof err)) {
        index_exec(s->ix, "ROLLBACK", NULL, 0);
        return fail(s, KA_EXIT_INTERNAL, "%s", err);
    }
    s->prog.pages++;
    s->prog.candidates += page->n;
    if (!page->next)
        s->complete = true;
    return 0;
bad:
    snprintf(err, sizeof err, "cannot store page %zu in the index: %s", s->prog.pages + 1,
             sqlite3_errmsg(s->ix->db));
    index_exec(s->ix, "ROLLBACK", NULL, 0);
    return fail(s, KA_EXIT_INTERNAL, "%s", err);
}

/* ------------------------------------------------------------------ the run */

static int start_pager(struct index_sync *s, const char *cursor)
{
    struct pager_options po = {
        .filter = { .include_deleted = true, .page_size = s->o.page_size,
                    .updated_after = s->after[0] ? s->after : NULL, .cursor = cursor },
        .prefetch = true,
    };
    int code = 0;
    char err[600];
    s->pager = pager_start(s->client, &po, &code, err, sizeof err);
    if (!s->pager)
        return fail(s, code ? code : KA_EXIT_INTERNAL, "%s", err);
    return 0;
}

/* A new run: full or incremental, recorded before the first page so that page's
 * transaction has what it needs. */
static int plan_fresh(struct index_sync *s)
{
    struct index *ix = s->ix;
    long long last = meta_ll(ix, "last_start", 0), last_full = meta_ll(ix, "last_full", 0);
    s->run_start_ms = now_ms();
    s->full = s->o.full || last == 0 || last_full == 0 ||
              (double)(s->run_start_ms - last_full) / 1000.0 > INDEX_SYNC_FULL_AFTER_S;
    s->gen = meta_ll(ix, "gen", 0) + (s->full ? 1 : 0);
    s->after[0] = '\0';
    if (!s->full)
        iso_ms(last - (long long)(INDEX_SYNC_MARGIN_S * 1000), s->after);
    return 0;
}

struct index_sync *index_sync_start(struct index *ix, struct client *c,
                                    const struct index_sync_options *o, int *code, char *err,
                                    size_t errlen)
{
    struct index_sync *s = xcalloc(1, sizeof *s);
    s->ix = ix;
    s->client = c;
    s->lock_fd = -1;
    if (o)
        s->o = *o;
    if (s->o.page_size <= 0)
        s->o.page_size = INDEX_SYNC_PAGE_SIZE;
    s->t0 = mono();
    char lock[4200];
    snprintf(lock, sizeof lock, "%s.lock", ix->path);
    s->lock_fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (s->lock_fd < 0 || flock(s->lock_fd, LOCK_EX | LOCK_NB) != 0) {
        bool busy = s->lock_fd >= 0 && errno == EWOULDBLOCK;
        snprintf(err, errlen, busy ? "another sync of this index is running — wait for it, or "
                 "stop it" : "cannot lock the index (%s)", strerror(errno));
        *code = busy ? KA_EXIT_CONFIG : KA_EXIT_INTERNAL;
        index_sync_free(s);
        return NULL;
    }
    for (int i = 0; i < ST_N; i++)
        if (sqlite3_prepare_v3(ix->db, stmt_sql[i], -1, SQLITE_PREPARE_PERSISTENT, &s->st[i],
                               NULL) != SQLITE_OK) {
            snprintf(err, errlen, "index %s: %s", ix->path, sqlite3_errmsg(ix->db));
            *code = KA_EXIT_INTERNAL;
            index_sync_free(s);
            return NULL;
        }
    char cursor[CAND_CURSOR_MAX + 1];
    s->prog.expected = (uint64_t)meta_ll(ix, "last_count", 0);
    s->prog.first = meta_ll(ix, "last_start", 0) == 0 && meta_ll(ix, "run_start", 0) == 0;
    if (index_meta_get(ix, "cursor", cursor, sizeof cursor) == 0 && cursor[0]) {
        s->prog.resumed = true;
        s->run_start_ms = meta_ll(ix, "run_start", now_ms());
        s->gen = meta_ll(ix, "run_gen", 1);
        s->full = meta_ll(ix, "run_full", 1) != 0;
        index_meta_get(ix, "run_after", s->after, sizeof s->after);
    } else {
        cursor[0] = '\0';
        plan_fresh(s);
    }
    s->prog.incremental = s->after[0] != '\0';
    if (start_pager(s, cursor[0] ? cursor : NULL) != 0) {
        snprintf(err, errlen, "%s", s->msg);
        *code = s->code;
        index_sync_free(s);
        return NULL;
    }
    s->status = INDEX_SYNC_RUNNING;
    return s;
}

static void update_rates(struct index_sync *s)
{
    struct index_sync_progress *p = &s->prog;
    p->elapsed_s = mono() - s->t0;
    p->rate = p->elapsed_s > 0 ? (double)p->candidates / p->elapsed_s : 0;
    p->eta_s = -1;
    if (!p->incremental && p->expected && p->rate > 0)
        p->eta_s = p->candidates >= p->expected ? 0
                   : (double)(p->expected - p->candidates) / p->rate;
}

enum index_sync_status index_sync_step(struct index_sync *s)
{
    while (s->status == INDEX_SYNC_RUNNING) {
        struct cand_page page = { 0 };
        enum pager_status ps = pager_next(s->pager, &page);
        if (ps == PAGER_WAIT)
            break;
        if (ps == PAGER_ERROR) {
            const struct pager_error *e = pager_error(s->pager);
            if (s->prog.resumed && !s->retried_fresh && s->prog.pages == 0 &&
                e->http_status == 400) {
                /* The stored cursor is not accepted any more (the server forgot it):
                 * start this run again from the beginning, once. */
                s->retried_fresh = true;
                pager_free(s->pager);
                s->pager = NULL;
                plan_fresh(s);
                s->prog.incremental = s->after[0] != '\0';
                if (start_pager(s, NULL) != 0)
                    break;
                continue;
            }
            fail(s, e->outcome == TRANSFER_CANCELLED ? KA_EXIT_CANCELLED
                    : transfer_exit_code(e->outcome), "%s", e->message);
            break;
        }
        if (ps == PAGER_END) {       /* not reached: the last page completes the run */
            s->status = INDEX_SYNC_DONE;
            break;
        }
        /* Push page k+1's request (queued by the pager) onto the wire before the work. */
        client_poll(s->client, 0, -1, NULL);
        int rc = store_page(s, &page);
        cand_page_free(&page);
        if (rc != 0)
            break;
        update_rates(s);
        if (s->complete || (s->o.max_pages && s->prog.pages >= s->o.max_pages)) {
            s->status = INDEX_SYNC_DONE;
            pager_cancel(s->pager);
        }
    }
    update_rates(s);
    return s->status;
}

void index_sync_get_progress(const struct index_sync *s, struct index_sync_progress *p)
{
    *p = s->prog;
}

bool index_sync_complete(const struct index_sync *s)
{
    return s->complete;
}

const char *index_sync_error(const struct index_sync *s, int *code)
{
    if (code)
        *code = s->status == INDEX_SYNC_ERROR ? s->code : 0;
    return s->status == INDEX_SYNC_ERROR ? s->msg : "";
}

void index_sync_cancel(struct index_sync *s)
{
    if (s->pager && s->status == INDEX_SYNC_RUNNING)
        pager_cancel(s->pager);
}

void index_sync_free(struct index_sync *s)
{
    if (!s)
        return;
    pager_free(s->pager);
    for (int i = 0; i < ST_N; i++)
        sqlite3_finalize(s->st[i]);
    if (s->lock_fd >= 0)
        close(s->lock_fd);     /* releases the flock */
    free(s);
}

int index_sync_run(struct index *ix, struct client *c, const struct index_sync_options *o,
                   index_sync_progress_fn fn, void *data, struct index_sync_progress *out,
                   char *err, size_t errlen)
{
    int code = 0;
    struct index_sync *s = index_sync_start(ix, c, o, &code, err, errlen);
    if (!s)
        return code;
    size_t reported = 0;
    enum index_sync_status st;
    while ((st = index_sync_step(s)) == INDEX_SYNC_RUNNING) {
        if (fn && s->prog.pages != reported) {
            reported = s->prog.pages;
            if (fn(data, &s->prog) != 0)
                index_sync_cancel(s);
        }
        client_poll(c, 100, -1, NULL);
    }
    if (fn && s->prog.pages != reported)
        fn(data, &s->prog);
    if (out)
        *out = s->prog;
    const char *msg = index_sync_error(s, &code);
    if (st == INDEX_SYNC_ERROR)
        snprintf(err, errlen, "%s", msg);
    index_sync_free(s);
    return st == INDEX_SYNC_ERROR ? code : KA_EXIT_OK;
}
