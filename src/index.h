/* The local candidate index: one SQLite database per environment (the server's label and
 * the integration), under $XDG_CACHE_HOME/kombo-attach/ (~/.cache/kombo-attach/), file
 * 0600 in a 0700 folder. It holds what the search needs and nothing else: Kombo ID, ATS ID,
 * names, e-mail addresses, title, company, the applications' IDs, jobs, stages and
 * outcomes, the ATS's URL, the change time and the most recent application date. Never
 * phone numbers, locations, custom fields or tags.
 *
 * Safety: WAL mode and a busy timeout, so a sync (which writes a few pages per transaction,
 * at most a second) and any number of readers (the UI, find) run at once; a sync takes a lock
 * file of its own (<db>.lock, flock) so two syncs never interleave their cursors. A file
 * that is not a database, or another program's, or another environment's, or of another
 * schema version is moved aside (<db>.corrupt-<unix time>) and a new one made, with one
 * message in `note`.
 *
 *   index_expire(30);                                  at start, once (front ends)
 *   struct index *ix = index_open(&env, true, note, sizeof note, err, sizeof err);
 *   index_sync_start / index_sync_run (index_sync.h), index_search (index_search.h)
 *   index_close(ix);
 */
#ifndef KA_INDEX_H
#define KA_INDEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct index;

#define INDEX_SCHEMA_VERSION 2
#define INDEX_EXPIRE_DAYS 30      /* an index not opened for this long is deleted at start */

/* Which index: what the server is called (client_options.label: "eu", "us", a base URL,
 * "sandbox") and the integration. The file name is a hash of both. */
struct index_env {
    const char *label;
    const char *integration_id;
};

/* The folder ($XDG_CACHE_HOME/kombo-attach, else ~/.cache/kombo-attach). 0 or -1. */
int index_dir(char *out, size_t len);
/* The database's path for env. 0 or -1 (no HOME, too long). */
int index_path(const struct index_env *env, char *out, size_t len);

/* Open (create = make the folder and the file when missing) the index of env. NULL with a
 * one-line message in err: no index yet (create false: *err names `index sync`), a folder
 * others may write to, SQLite refusing. note receives one line when a bad file was moved
 * aside ("" otherwise). Opening counts as use (INDEX_EXPIRE_DAYS). */
struct index *index_open(const struct index_env *env, bool create, char *note, size_t notelen,
                         char *err, size_t errlen);
void index_close(struct index *ix);

struct index_status {
    char path[4096];
    uint64_t bytes;            /* database + WAL */
    uint64_t candidates;
    time_t last_complete;      /* start of the last complete sync; 0 = never */
    time_t last_finished;      /* when it finished; 0 = never */
    bool partial;              /* a sync stopped part way (the next one resumes) */
    int schema;                /* PRAGMA user_version */
};
int index_get_status(struct index *ix, struct index_status *st, char *err, size_t errlen);

/* Seconds since the last complete sync started (a large number when never). */
double index_age(struct index *ix);

/* Delete env's index (the database, its WAL, lock and any moved-aside copies). path gets
 * what was removed. 1 = removed, 0 = there was none, -1 = error (err). */
int index_remove(const struct index_env *env, char *path, size_t pathlen, char *err,
                 size_t errlen);

/* Delete every index in the folder not opened for `days` days. Returns how many. */
int index_expire(int days);

#endif
