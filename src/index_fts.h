/* FTS rows waiting for a commit (index_sync.c), private to the index. FTS5 keeps the rows
 * of a transaction in memory and starts a new segment whenever a row id is lower than the
 * one before; the index's row ids follow the application dates, not the order candidates
 * arrive in, so a transaction's FTS rows are gathered here and written sorted at commit. */
#ifndef KA_INDEX_FTS_H
#define KA_INDEX_FTS_H

#include <sqlite3.h>
#include <stddef.h>

struct ixf_row {
    long long rk;
    char *search;              /* NULL: dropped (inserted and deleted in one transaction) */
};

struct ixf_list {
    struct ixf_row *v;
    size_t n, cap;
};

/* Takes search (malloc'd). */
void ixf_push(struct ixf_list *l, long long rk, char *search);
/* Drop the row rk if the list has it (1), else 0. */
int ixf_drop(struct ixf_list *l, long long rk);
void ixf_clear(struct ixf_list *l);
void ixf_free(struct ixf_list *l);
/* Sort, then step st (?1 = rk, ?2 = search) for each row, calling poll(data) every few
 * rows; the list is emptied. 0 or -1 (SQLite's message on the connection). */
int ixf_write(struct ixf_list *l, sqlite3_stmt *st, void (*poll)(void *), void *data);

#endif
