/* Upload history: one JSON line per upload attempt in $XDG_STATE_HOME/kombo-attach/history.jsonl.
 * Never holds the API key or the file's content. */
#ifndef KA_HISTORY_H
#define KA_HISTORY_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct history_entry {
    time_t time;
    char *path;
    uint64_t size;
    char *sha256;         /* hex, or NULL when the content was not read */
    char *candidate;
    char *type;
    char *name;
    char *content_type;
    char *server;         /* base URL */
    char *outcome;        /* "ok", "rejected", "server", "network", "file", "cancelled", ... */
    int http_status;      /* 0 when no answer */
    int attempts;
    char **warnings;
    size_t n_warnings;
    char *error_code;
    char *error_message;
    char *log_url;
};

/* The history file's path (caller frees), from XDG_STATE_HOME or ~/.local/state. */
char *history_path(void);
/* Append one line atomically (O_APPEND, one write, advisory lock). 0 or -1 with err. */
int history_append(const struct history_entry *e, char *err, size_t errlen);
/* Read the last `max` entries (newest last). Corrupt lines are skipped and counted in
 * *skipped (may be NULL). Returns 0 (also when there is no file yet) or -1 with err. */
int history_read(size_t max, struct history_entry **out, size_t *n, size_t *skipped,
                 char *err, size_t errlen);
void history_entries_free(struct history_entry *e, size_t n);
/* One entry as a JSON object text (no newline). Caller frees. */
char *history_entry_json(const struct history_entry *e);

struct transfer;
/* Append the line for a finished upload (whatever its outcome), shared by the command line
 * and the UI: what was sent comes from the upload itself. 0 or -1 with err. */
int history_record(const struct transfer *upload, char *err, size_t errlen);
/* Distinct candidate IDs, most recent first, at most max. Caller frees each and the array. */
char **history_recent_candidates(size_t max, size_t *n);

#endif
