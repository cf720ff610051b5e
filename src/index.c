/* See index.h: where the database lives, its permissions, its schema, and what happens to
 * a file that is not ours. Syncing is index_sync.c's, searching index_search.c's. */
#include "index.h"
#include "index_priv.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "fsutil.h"

/* The candidates and what finds them (index_row.h has the search text and cand.rk, the
 * FTS row id). cand.rowid only grows (AUTOINCREMENT): a sync tells the rows it inserted
 * itself by their rowid. cand_fts is contentless (the text is stored once, in cand) and
 * detail=none: it keeps which rows hold a trigram, not where, a fraction of the size; the
 * search checks each row's text itself, so no false match gets through; columnsize=0: no
 * bm25, so no per-row token counts. index_sync.c keeps it right (no
 * triggers: it writes each transaction's FTS rows in ascending row id order, as FTS5 wants
 * them, instead of one segment per out-of-order row). */
static const char schema_sql[] =
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;"
    "CREATE TABLE cand("
    " rowid INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, remote_id TEXT,"
    " first_name TEXT, last_name TEXT, title TEXT, company TEXT,"
    " emails BLOB, apps BLOB, remote_url TEXT, changed_at TEXT,"
    " last_app_at TEXT NOT NULL DEFAULT '', rk INTEGER NOT NULL UNIQUE,"
    " search TEXT NOT NULL, seen INTEGER NOT NULL);"
    "CREATE VIRTUAL TABLE cand_fts USING fts5(search, content='', tokenize='trigram',"
    " detail='none', columnsize=0);";

int index_dir(char *out, size_t len)
{
    const char *xdg = getenv("XDG_CACHE_HOME");
    const char *home = getenv("HOME");
    int n;
    if (xdg && xdg[0] == '/')
        n = snprintf(out, len, "%s/kombo-attach", xdg);
    else if (home && home[0] == '/')
        n = snprintf(out, len, "%s/.cache/kombo-attach", home);
    else
        return -1;
    return n < 0 || (size_t)n >= len ? -1 : 0;
}

/* The environment as one string: the file name's hash and meta.env (a file found under
 * this name that says another environment is another's, e.g. after a hash collision). */
static char *env_text(const struct index_env *env)
{
    size_t n = strlen(env->label ? env->label : "") + strlen(env->integration_id ? env->integration_id : "") + 2;
    char *s = malloc(n);
    if (s)
        snprintf(s, n, "%s\n%s", env->label ? env->label : "",
                 env->integration_id ? env->integration_id : "");
    return s;
}

int index_path(const struct index_env *env, char *out, size_t len)
{
    char dir[4000];
    if (index_dir(dir, sizeof dir) != 0)
        return -1;
    char *e = env_text(env);
    if (!e)
        return -1;
    uint64_t h = 0xcbf29ce484222325ULL;
    for (const char *p = e; *p; p++)
        h = (h ^ (unsigned char)*p) * 0x100000001b3ULL;
    free(e);
    int n = snprintf(out, len, "%s/index-%016llx.sqlite", dir, (unsigned long long)h);
    return n < 0 || (size_t)n >= len ? -1 : 0;
}

/* The folder must be ours and private: a folder others can write to lets them swap the
 * database. Ours with a loose mode is fixed (it is only a cache); another user's refused. */
static int check_dir(const char *dir, bool create, char *err, size_t errlen)
{
    if (create && fs_mkdir_p(dir, 0700) != 0) {
        snprintf(err, errlen, "cannot create the index folder %s: %s", dir, strerror(errno));
        return -1;
    }
    struct stat st;
    if (lstat(dir, &st) != 0) {
        snprintf(err, errlen, "no index yet (%s does not exist) — run: kombo-attach index sync",
                 dir);
        return -1;
    }
    if (!S_ISDIR(st.st_mode) || st.st_uid != geteuid()) {
        snprintf(err, errlen, "the index folder %s is not a folder of yours — remove it or set "
                 "XDG_CACHE_HOME", dir);
        return -1;
    }
    if ((st.st_mode & 077) && chmod(dir, 0700) != 0) {
        snprintf(err, errlen, "the index folder %s is open to others and cannot be fixed (%s) "
                 "— run: chmod 700 %s", dir, strerror(errno), dir);
        return -1;
    }
    return 0;
}

/* The file: ours, a regular file, 0600 (fixed if looser). Made empty when missing. */
static int check_file(const char *path, bool create, char *err, size_t errlen)
{
    int fd = open(path, O_RDWR | O_NOFOLLOW | O_CLOEXEC | (create ? O_CREAT : 0), 0600);
    if (fd < 0) {
        if (errno == ENOENT)
            snprintf(err, errlen, "no index yet — run: kombo-attach index sync");
        else
            snprintf(err, errlen, "cannot open the index %s: %s", path, strerror(errno));
        return -1;
    }
    struct stat st;
    int rc = 0;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_uid != geteuid()) {
        snprintf(err, errlen, "the index %s is not a file of yours — remove it", path);
        rc = -1;
    } else if ((st.st_mode & 077) && fchmod(fd, 0600) != 0) {
        snprintf(err, errlen, "cannot make the index %s private: %s", path, strerror(errno));
        rc = -1;
    }
    close(fd);
    return rc;
}

int index_exec(struct index *ix, const char *sql, char *err, size_t errlen)
{
    char *msg = NULL;
    if (sqlite3_exec(ix->db, sql, NULL, NULL, &msg) == SQLITE_OK)
        return 0;
    if (err)
        snprintf(err, errlen, "index %s: %s", ix->path, msg ? msg : sqlite3_errmsg(ix->db));
    sqlite3_free(msg);
    return -1;
}

int index_meta_get(struct index *ix, const char *key, char *out, size_t len)
{
    sqlite3_stmt *st;
    out[0] = '\0';
    if (sqlite3_prepare_v2(ix->db, "SELECT value FROM meta WHERE key = ?", -1, &st, NULL))
        return -1;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW && sqlite3_column_text(st, 0))
        snprintf(out, len, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? 0 : -1;
}

int index_meta_set(struct index *ix, const char *key, const char *value)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(ix->db, "INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", -1,
                           &st, NULL))
        return -1;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

int index_meta_del(struct index *ix, const char *key)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(ix->db, "DELETE FROM meta WHERE key = ?", -1, &st, NULL))
        return -1;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

static int int_query(sqlite3 *db, const char *sql, long long *v)
{
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
    if (rc != SQLITE_OK)
        return rc;
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *v = sqlite3_column_int64(st, 0);
        rc = SQLITE_OK;
    }
    sqlite3_finalize(st);
    return rc;
}

enum setup { SETUP_OK, SETUP_BAD, SETUP_ERROR };

/* Settings, then the schema: made in an empty file, checked in any other. SETUP_BAD: not
 * ours (garbage, another program's database, another version or environment). */
static enum setup setup(struct index *ix, const char *env, char *why, size_t whylen)
{
    sqlite3_busy_timeout(ix->db, 5000);
    long long ver = 0, tables = 0;
    int rc = int_query(ix->db, "PRAGMA user_version", &ver);
    if (rc == SQLITE_OK)
        rc = int_query(ix->db, "SELECT count(*) FROM sqlite_master", &tables);
    if (rc == SQLITE_NOTADB || rc == SQLITE_CORRUPT) {
        snprintf(why, whylen, "%s", sqlite3_errstr(rc));
        return SETUP_BAD;
    }
    if (rc != SQLITE_OK) {
        snprintf(why, whylen, "%s", sqlite3_errmsg(ix->db));
        return SETUP_ERROR;
    }
    /* WAL: readers never wait for the sync's writes. NORMAL: a crash may lose the last
     * page's transaction, never consistency (it is a cache; the cursor goes with it). */
    if (index_exec(ix, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
                       "PRAGMA cache_size=-4096; PRAGMA temp_store=MEMORY;", why, whylen))
        return SETUP_ERROR;
    if (ver == 0 && tables == 0) {
        char sql[64];
        snprintf(sql, sizeof sql, "PRAGMA user_version=%d;", INDEX_SCHEMA_VERSION);
        if (index_exec(ix, "BEGIN IMMEDIATE", why, whylen))
            return SETUP_ERROR;
        /* Another process may have made it while we waited for the lock. */
        if (int_query(ix->db, "SELECT count(*) FROM sqlite_master", &tables) != SQLITE_OK ||
            (tables == 0 && (index_exec(ix, schema_sql, why, whylen) ||
                             index_exec(ix, sql, why, whylen) ||
                             index_meta_set(ix, "env", env)))) {
            index_exec(ix, "ROLLBACK", NULL, 0);
            return SETUP_ERROR;
        }
        if (index_exec(ix, "COMMIT", why, whylen))
            return SETUP_ERROR;
        if (tables == 0)
            return SETUP_OK;
        int_query(ix->db, "PRAGMA user_version", &ver);
    }
    if (ver != INDEX_SCHEMA_VERSION) {
        snprintf(why, whylen, ver ? "schema version %lld, not %d" : "not an index of this tool",
                 ver, INDEX_SCHEMA_VERSION);
        return SETUP_BAD;
    }
    char have[4096];
    if (index_meta_get(ix, "env", have, sizeof have) != 0 || strcmp(have, env) != 0) {
        snprintf(why, whylen, "the index of another server or integration");
        return SETUP_BAD;
    }
    return SETUP_OK;
}

static void remove_siblings(const char *path)
{
    static const char *const ext[] = { "-wal", "-shm", "-journal" };
    char p[4200];
    for (size_t i = 0; i < sizeof ext / sizeof ext[0]; i++) {
        snprintf(p, sizeof p, "%s%s", path, ext[i]);
        unlink(p);
    }
}

static int open_db(struct index *ix, bool create)
{
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
    if (sqlite3_open_v2(ix->path, &ix->db, flags, NULL) == SQLITE_OK)
        return 0;
    sqlite3_close(ix->db);
    ix->db = NULL;
    return -1;
}

struct index *index_open(const struct index_env *env, bool create, char *note, size_t notelen,
                         char *err, size_t errlen)
{
    if (note && notelen)
        note[0] = '\0';
    struct index *ix = calloc(1, sizeof *ix);
    char dir[4000];
    char *envs = env_text(env);
    if (!ix || !envs || index_dir(dir, sizeof dir) || index_path(env, ix->path, sizeof ix->path)) {
        snprintf(err, errlen, "no folder for the index: set HOME or XDG_CACHE_HOME");
        goto fail;
    }
    if (check_dir(dir, create, err, errlen) || check_file(ix->path, create, err, errlen))
        goto fail;
    for (int attempt = 0; attempt < 2; attempt++) {
        char why[600];
        if (open_db(ix, create) != 0) {
            snprintf(err, errlen, "cannot open the index %s", ix->path);
            goto fail;
        }
        enum setup s = setup(ix, envs, why, sizeof why);
        if (s == SETUP_OK)
            break;
        sqlite3_close(ix->db);
        ix->db = NULL;
        if (s == SETUP_ERROR || attempt == 1 || !create) {
            snprintf(err, errlen, "cannot use the index %s: %s%s", ix->path, why,
                     s == SETUP_BAD ? " — run: kombo-attach index sync (it starts a new one)" : "");
            goto fail;
        }
        /* Not ours: keep it for whoever wants to look (still 0600 in our folder), and
         * start again. index_remove deletes these copies too. */
        char aside[4200];
        snprintf(aside, sizeof aside, "%s.corrupt-%lld", ix->path, (long long)time(NULL));
        if (rename(ix->path, aside) != 0) {
            snprintf(err, errlen, "the index %s is unusable (%s) and cannot be moved aside: %s",
                     ix->path, why, strerror(errno));
            goto fail;
        }
        remove_siblings(ix->path);
        if (note && notelen)
            snprintf(note, notelen, "the index %s was unusable (%s): moved it to %s and "
                     "starting a new one", ix->path, why, aside);
        if (check_file(ix->path, true, err, errlen))
            goto fail;
    }
    /* Opening is using: index_expire goes by the file's time. */
    utimensat(AT_FDCWD, ix->path, NULL, 0);
    free(envs);
    return ix;
fail:
    free(envs);
    index_close(ix);
    return NULL;
}

void index_close(struct index *ix)
{
    if (!ix)
        return;
    index_search_forget(ix);
    sqlite3_close(ix->db);
    free(ix);
}

static uint64_t file_size(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (uint64_t)st.st_size : 0;
}

int index_get_status(struct index *ix, struct index_status *st, char *err, size_t errlen)
{
    memset(st, 0, sizeof *st);
    snprintf(st->path, sizeof st->path, "%s", ix->path);
    char wal[4200], v[64];
    snprintf(wal, sizeof wal, "%s-wal", ix->path);
    st->bytes = file_size(ix->path) + file_size(wal);
    long long n = 0, ver = 0;
    if (int_query(ix->db, "SELECT count(*) FROM cand", &n) != SQLITE_OK ||
        int_query(ix->db, "PRAGMA user_version", &ver) != SQLITE_OK) {
        snprintf(err, errlen, "index %s: %s", ix->path, sqlite3_errmsg(ix->db));
        return -1;
    }
    st->candidates = (uint64_t)n;
    st->schema = (int)ver;
    if (index_meta_get(ix, "last_start", v, sizeof v) == 0)
        st->last_complete = (time_t)(strtoll(v, NULL, 10) / 1000);
    if (index_meta_get(ix, "last_end", v, sizeof v) == 0)
        st->last_finished = (time_t)(strtoll(v, NULL, 10) / 1000);
    st->partial = index_meta_get(ix, "cursor", v, sizeof v) == 0;
    return 0;
}

double index_age(struct index *ix)
{
    char v[64];
    if (index_meta_get(ix, "last_start", v, sizeof v) != 0)
        return 1e12;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    /* last_start is in milliseconds: now's too, or an index synced a moment ago would be
     * up to a second younger than now (a negative age) */
    double age = (double)ts.tv_sec + ts.tv_nsec / 1e9 - (double)strtoll(v, NULL, 10) / 1000.0;
    return age < 0 ? 0 : age;
}

/* Remove base and everything named base-wal, base-shm, base.lock, base.corrupt-*. */
static int remove_all(const char *dir, const char *base)
{
    DIR *d = opendir(dir);
    if (!d)
        return errno == ENOENT ? 0 : -1;
    size_t bl = strlen(base);
    int removed = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strncmp(e->d_name, base, bl) != 0)
            continue;
        const char *rest = e->d_name + bl;
        if (*rest && strcmp(rest, "-wal") && strcmp(rest, "-shm") && strcmp(rest, "-journal") &&
            strcmp(rest, ".lock") && strncmp(rest, ".corrupt-", 9))
            continue;
        char p[4400];
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        if (unlink(p) == 0 && !*rest)
            removed = 1;
    }
    closedir(d);
    return removed;
}

int index_remove(const struct index_env *env, char *path, size_t pathlen, char *err,
                 size_t errlen)
{
    char dir[4000], p[4096];
    if (index_dir(dir, sizeof dir) || index_path(env, p, sizeof p)) {
        snprintf(err, errlen, "no folder for the index: set HOME or XDG_CACHE_HOME");
        return -1;
    }
    snprintf(path, pathlen, "%s", p);
    struct stat st;
    bool had = lstat(p, &st) == 0;
    int rc = remove_all(dir, strrchr(p, '/') + 1);
    if (rc < 0) {
        snprintf(err, errlen, "cannot remove the index %s: %s", p, strerror(errno));
        return -1;
    }
    if (had && lstat(p, &st) == 0) {
        snprintf(err, errlen, "cannot remove the index %s: %s", p, strerror(errno));
        return -1;
    }
    return had ? 1 : 0;
}

int index_expire(int days)
{
    char dir[4000];
    if (index_dir(dir, sizeof dir) != 0)
        return 0;
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    time_t limit = time(NULL) - (time_t)days * 86400;
    char old[64][64];
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL && n < 64) {
        size_t len = strlen(e->d_name);
        if (strncmp(e->d_name, "index-", 6) || len < 8 || len >= sizeof old[0] ||
            strcmp(e->d_name + len - 7, ".sqlite"))
            continue;
        char p[sizeof dir + sizeof e->d_name + 1];   /* room for any name: no truncation */
        struct stat st;
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        if (lstat(p, &st) == 0 && S_ISREG(st.st_mode) && st.st_mtime < limit)
            memcpy(old[n++], e->d_name, len + 1);     /* len < sizeof old[0], checked */
    }
    closedir(d);
    int removed = 0;
    for (int i = 0; i < n; i++)
        removed += remove_all(dir, old[i]) > 0;
    return removed;
}
