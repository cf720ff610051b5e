/* See index_sync.h. A transaction holds one or more pages: their candidates, their FTS
 * rows and the cursor that continues after the last of them (or, after the last page, the
 * end of the sync), so a stop anywhere leaves a consistent index that resumes from there.
 *
 * Why several pages per transaction: every commit writes each B-tree page it changed to
 * the WAL, and cand.id's index takes random IDs, so one page of 250 candidates touches
 * ~200 index pages; sixteen pages per commit write each of them about once instead of
 * sixteen times. The first transactions are small (1, 2, 4, ... pages) so an interrupted
 * first sync keeps something at once; none lasts more than TXN_SECONDS. */
#include "index_sync.h"
#include "index_priv.h"

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
#include "index_fts.h"
#include "index_row.h"
#include "pager.h"
#include "xalloc.h"

#define TXN_PAGES_MAX 16
#define TXN_SECONDS 1.0
enum { ST_OLD, ST_DEL, ST_INS, ST_FTS_INS, ST_FTS_DEL, ST_SEQ, ST_NEXT, ST_N };

static const char *const stmt_sql[ST_N] = {
    "SELECT rowid, rk, search FROM cand WHERE id = ?",
    "DELETE FROM cand WHERE rowid = ?",
    "INSERT INTO cand(id, remote_id, first_name, last_name, title, company, emails, apps,"
    " remote_url, changed_at, last_app_at, rk, search, seen, rowid)"
    " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
    "INSERT INTO cand_fts(rowid, search) VALUES (?, ?)",
    "INSERT INTO cand_fts(cand_fts, rowid, search) VALUES ('delete', ?, ?)",
    "SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'cand'), 0)",
    "SELECT rk FROM cand WHERE rk > ? ORDER BY rk",
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
    /* the open transaction */
    bool in_txn;
    size_t txn_pages, txn_limit;
    double txn_t0;
    long long txn_first_rowid;        /* cand rows from here on were inserted in it */
    long long next_rowid;             /* of the next one inserted */
    char *txn_cursor;                 /* next of its last page (NULL: that was the last) */
    struct ixf_list ins, del;
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

/* The next page keeps coming in while a commit writes the FTS rows. */
static void poll_client(void *data)
{
    struct index_sync *s = data;
    if (s->client)
        client_poll(s->client, 0, -1, NULL);
}

/* ------------------------------------------------------------------ one candidate */

static void bind_opt(sqlite3_stmt *st, int i, const char *v)
{
    if (v)
        sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, i);
}

static int step_done(sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

/* Remove the stored row of this cand.rowid (its FTS row at commit). */
static int remove_row(struct index_sync *s, long long rowid, long long rk, const char *search)
{
    if (rowid >= s->txn_first_rowid) {
        /* inserted in this transaction: its FTS row is not written yet */
        ixf_drop(&s->ins, rk);
    } else {
        ixf_push(&s->del, rk, xstrdup(search ? search : ""));
    }
    sqlite3_stmt *del = s->st[ST_DEL];
    sqlite3_bind_int64(del, 1, rowid);
    return step_done(del);
}

/* The first rk after `taken` that no row has (one index range read). */
static long long free_rk_after(struct index_sync *s, long long taken)
{
    sqlite3_stmt *st = s->st[ST_NEXT];
    sqlite3_bind_int64(st, 1, taken);
    while (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int64(st, 0) == taken + 1)
        taken++;
    sqlite3_reset(st);
    return taken + 1;
}

static int store_candidate(struct index_sync *s, const struct candidate *c)
{
    sqlite3_stmt *old = s->st[ST_OLD], *ins = s->st[ST_INS];
    sqlite3_bind_text(old, 1, c->id, -1, SQLITE_STATIC);
    int rc = sqlite3_step(old);
    if (rc == SQLITE_ROW) {
        rc = remove_row(s, sqlite3_column_int64(old, 0), sqlite3_column_int64(old, 1),
                        (const char *)sqlite3_column_text(old, 2));
        sqlite3_reset(old);
        if (rc)
            return -1;
        if (c->remote_deleted_at)
            s->prog.removed++;
    } else {
        sqlite3_reset(old);
        if (rc != SQLITE_DONE)
            return -1;
    }
    if (c->remote_deleted_at)
        return 0;
    struct index_row r;
    index_row_make(c, &r);
    const char *v[] = { c->id, c->remote_id, c->first_name, c->last_name, c->title, c->company };
    for (int i = 0; i < 6; i++)
        bind_opt(ins, i + 1, v[i]);
    sqlite3_bind_blob(ins, 7, r.emails.p, (int)r.emails.n, SQLITE_STATIC);
    sqlite3_bind_blob(ins, 8, r.apps.p, (int)r.apps.n, SQLITE_STATIC);
    bind_opt(ins, 9, c->remote_url);
    bind_opt(ins, 10, c->changed_at);
    sqlite3_bind_text(ins, 11, r.lad, -1, SQLITE_STATIC);
    sqlite3_bind_text(ins, 13, r.search, -1, SQLITE_STATIC);
    sqlite3_bind_int64(ins, 14, s->gen);
    long long rowid = s->next_rowid;
    sqlite3_bind_int64(ins, 15, rowid);
    long long rk = r.lad[0] ? r.lad_s : IXR_RK_NOAPP(rowid);
    sqlite3_bind_int64(ins, 12, rk);
    rc = sqlite3_step(ins);
    sqlite3_reset(ins);
    if (rc == SQLITE_CONSTRAINT) {
        /* rk is unique (cand.id cannot clash: it was removed above): a tie with a
         * candidate already there takes the next free second */
        rk = free_rk_after(s, rk);
        sqlite3_bind_int64(ins, 12, rk);
        rc = sqlite3_step(ins);
        sqlite3_reset(ins);
    }
    sqlite3_clear_bindings(ins);
    rc = rc == SQLITE_DONE ? 0 : -1;
    if (rc == 0) {
        s->next_rowid++;
        ixf_push(&s->ins, rk, r.search);
        r.search = NULL;
    }
    index_row_free(&r);
    return rc;
}

/* ------------------------------------------------------------------ transactions */

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

/* Candidates a full sync did not see are gone upstream (anonymised, or deleted before our
 * last incremental sync could hear of it). */
static int remove_unseen(struct index_sync *s)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->ix->db, "SELECT rowid, rk, search FROM cand WHERE seen < ?", -1,
                           &st, NULL))
        return -1;
    sqlite3_bind_int64(st, 1, s->gen);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (remove_row(s, sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1),
                       (const char *)sqlite3_column_text(st, 2)))
            break;
        s->prog.removed++;
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

/* The last page: the sync is complete. */
static int finish_run(struct index_sync *s)
{
    struct index *ix = s->ix;
    if (s->full && meta_ll_set(ix, "gen", s->gen))
        return -1;
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

static int txn_begin(struct index_sync *s)
{
    char err[300];
    if (index_exec(s->ix, "BEGIN IMMEDIATE", err, sizeof err))
        return fail(s, KA_EXIT_INTERNAL, "%s", err);
    sqlite3_stmt *seq = s->st[ST_SEQ];
    s->txn_first_rowid = sqlite3_step(seq) == SQLITE_ROW ? sqlite3_column_int64(seq, 0) + 1 : 1;
    s->next_rowid = s->txn_first_rowid;
    sqlite3_reset(seq);
    s->in_txn = true;
    s->txn_pages = 0;
    s->txn_t0 = mono();
    return 0;
}

static void txn_drop(struct index_sync *s)
{
    if (s->in_txn)
        index_exec(s->ix, "ROLLBACK", NULL, 0);
    s->in_txn = false;
    ixf_clear(&s->ins);
    ixf_clear(&s->del);
}

/* Commit what is stored: the FTS rows, then the cursor of the last page stored or, when
 * that was the last page, the end of the sync. */
static int txn_commit(struct index_sync *s)
{
    if (!s->in_txn)
        return 0;
    char err[300];
    bool last = s->complete;
    if ((last && s->full && remove_unseen(s)) || ixf_write(&s->del, s->st[ST_FTS_DEL], poll_client, s) ||
        ixf_write(&s->ins, s->st[ST_FTS_INS], poll_client, s) ||
        (last ? finish_run(s) : save_run(s, s->txn_cursor))) {
        snprintf(err, sizeof err, "cannot store page %zu in the index: %s", s->prog.pages,
                 sqlite3_errmsg(s->ix->db));
        txn_drop(s);
        return fail(s, KA_EXIT_INTERNAL, "%s", err);
    }
    if (index_exec(s->ix, "COMMIT", err, sizeof err)) {
        txn_drop(s);
        return fail(s, KA_EXIT_INTERNAL, "%s", err);
    }
    s->in_txn = false;
    s->txn_limit = s->txn_limit * 2 > TXN_PAGES_MAX ? TXN_PAGES_MAX : s->txn_limit * 2;
    if (last && s->full) {
        /* The sync wrote the trigram index as dozens of segments; a query reads every
         * segment's list of each of its trigrams, so merging them into one makes a
         * keystroke several times faster (p99 at 100,000: ~27 ms -> ~7 ms, for ~1 s once
         * per full sync). A failure only leaves it slower. */
        index_exec(s->ix, "INSERT INTO cand_fts(cand_fts) VALUES('optimize');"
                   "INSERT INTO cand_fts(cand_fts, rank) VALUES('automerge', 4)", NULL, 0);
    }
    return 0;
}

static int store_page(struct index_sync *s, const struct cand_page *page)
{
    if (!s->in_txn && txn_begin(s))
        return -1;
    for (size_t i = 0; i < page->n; i++) {
        int rc = store_candidate(s, &page->items[i]);
        if (rc != 0) {
            char err[300];
            snprintf(err, sizeof err, "cannot store page %zu in the index: %s",
                     s->prog.pages + 1, sqlite3_errmsg(s->ix->db));
            txn_drop(s);
            return fail(s, KA_EXIT_INTERNAL, "%s", err);
        }
    }
    free(s->txn_cursor);
    s->txn_cursor = page->next ? xstrdup(page->next) : NULL;
    s->txn_pages++;
    s->prog.pages++;
    s->prog.candidates += page->n;
    if (!page->next)
        s->complete = true;
    if (s->complete || s->txn_pages >= s->txn_limit || mono() - s->txn_t0 >= TXN_SECONDS)
        return txn_commit(s);
    return 0;
}


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
    s->txn_limit = 1;
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
    /* A full sync rewrites everything: FTS5's merging as it goes (automerge) would rewrite
     * each segment several times, and the end merges them all in one go anyway (optimize,
     * txn_commit). Other syncs add a few rows: FTS5 merges those itself. The setting is
     * stored in the index, so a full sync killed part way leaves it off until the next
     * sync ends or starts incremental: slower searches meanwhile, never wrong ones. */
    index_exec(ix, s->full ? "INSERT INTO cand_fts(cand_fts, rank) VALUES('automerge', 0)"
                           : "INSERT INTO cand_fts(cand_fts, rank) VALUES('automerge', 4)",
               NULL, 0);
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
            /* what was stored so far stays (and the next sync resumes after it) */
            if (txn_commit(s) == 0)
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
            pager_cancel(s->pager);
            if (txn_commit(s) == 0)
                s->status = INDEX_SYNC_DONE;
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
    if (s->in_txn && s->status != INDEX_SYNC_ERROR)
        txn_commit(s);     /* stopped between two pages: keep what is stored */
    txn_drop(s);
    ixf_free(&s->ins);
    ixf_free(&s->del);
    free(s->txn_cursor);
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
