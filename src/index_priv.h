/* The index's insides, shared by index.c, index_sync.c and index_search.c only. */
#ifndef KA_INDEX_PRIV_H
#define KA_INDEX_PRIV_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>

#include "index.h"

struct index {
    sqlite3 *db;
    char path[4096];
    struct index_search_ctx *search;   /* prepared statements of index_search.c */
};

/* meta table: text values by key. */
int index_meta_get(struct index *ix, const char *key, char *out, size_t len);
int index_meta_set(struct index *ix, const char *key, const char *value);
int index_meta_del(struct index *ix, const char *key);
/* Run SQL without results; -1 with SQLite's message in err. */
int index_exec(struct index *ix, const char *sql, char *err, size_t errlen);
/* Free index_search.c's statements (index_close). */
void index_search_forget(struct index *ix);

#endif
