/* Searching the whole tree below a folder for files, in small steps so the picker answers
 * keys meanwhile (no curses). Breadth first, so the shallow files come first; bounded in
 * depth and in entries looked at; hidden entries skipped unless asked for; a link to a
 * folder is never followed and a folder is never entered twice (a bind mount loop), so it
 * always ends. Private to ui/. */
#ifndef KA_UI_TREESEARCH_H
#define KA_UI_TREESEARCH_H

#include <stdbool.h>
#include <stddef.h>

struct ts_limits {
    int max_depth;          /* folders below the root entered: 1 = the root's files only */
    size_t max_entries;     /* entries looked at, files and folders */
    bool show_hidden;
};
#define TS_DEFAULT_DEPTH 8
#define TS_DEFAULT_ENTRIES 20000

struct treesearch;

/* Start below root (nothing is read yet); NULL with a message when root cannot be opened. */
struct treesearch *ts_start(const char *root, const struct ts_limits *lim, char *err, size_t errlen);
void ts_free(struct treesearch *ts);
/* Look at up to `entries` more entries; returns true while some are left. */
bool ts_step(struct treesearch *ts, size_t entries);
bool ts_done(const struct treesearch *ts);
/* A bound was reached: some of the tree was not looked at. */
bool ts_truncated(const struct treesearch *ts);
size_t ts_scanned(const struct treesearch *ts);   /* entries looked at */
size_t ts_count(const struct treesearch *ts);     /* files found */
/* The files found, relative to the root ("a/b/cv.pdf"), in the order found; valid until
 * the next ts_step or ts_free. */
char *const *ts_names(const struct treesearch *ts);
const char *ts_root(const struct treesearch *ts);

#endif
