/* Upload history: one JSON line per upload attempt in $XDG_STATE_HOME/kombo-attach/history.jsonl.
 * Never holds the API key or the file's content. */
#ifndef KA_HISTORY_H
#define KA_HISTORY_H

#include <stdbool.h>
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
    char *server;         /* "eu", "us", "sandbox" or the base URL: never a local port */
    char *integration;    /* the integration ID */
    bool sandbox;         /* sent to the local sandbox, not to Kombo */
    char *candidate_name; /* the candidate's name when it was known, else NULL */
    char *application;    /* sent to this application of the candidate, else NULL */
    char *job;            /* that application's job name, when known */
    char *outcome;        /* "ok", "rejected", "server", "network", "file", "cancelled", ...,
                             or HISTORY_STARTED (the journal's line before the first byte) */
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
/* The newest upload to each of the most recently used candidates of an integration
 * (integration_id NULL: any), newest first, at most max; the ID is e->candidate, the name
 * e->candidate_name when known. Free with history_entries_free. */
struct history_entry *history_recent_candidates_for(const char *integration_id, size_t max,
                                                    size_t *n);

/* The newest successful upload of the same content (SHA-256, hex) to the same candidate of
 * the same integration on the same server (its label: "eu", "sandbox", a base URL; NULL =
 * any): 1 with *out filled (free with history_entry_free), 0 when there is none, -1 with
 * err when the history cannot be read. Reads the file line by line: memory does not grow
 * with the history. */
int history_find_success(const char *sha256, const char *server, const char *integration_id,
                         const char *candidate, struct history_entry *out, char *err,
                         size_t errlen);
void history_entry_free(struct history_entry *e);
/* Every readable line, oldest first, lent to fn (valid during the call only); one line in
 * memory at a time. 0 (also without a file) or -1 with err. */
int history_scan(void (*fn)(const struct history_entry *e, void *ctx), void *ctx, char *err,
                 size_t errlen);
/* The same for the lines whose SHA-256 want accepts (the hex from the line; ctx as fn's):
 * the others are skipped without being parsed. Lines without a hash in history_append's
 * form are parsed and given to fn, so fn still checks what it needs. */
int history_scan_sha(bool (*want)(const char *sha256, void *ctx),
                     void (*fn)(const struct history_entry *e, void *ctx), void *ctx, char *err,
                     size_t errlen);
/* The outcome of the journal line a batch writes before an upload's first byte (the
 * outcome line follows when it is known): a row whose newest line is this one may have
 * been attached (the run was killed) and is checked before it is sent again. */
#define HISTORY_STARTED "started"
/* The journal's line written just before an upload's last body bytes leave (each attempt):
 * from then on Kombo may store the file whatever becomes of the client. A row whose newest
 * line is "started" never got its whole body out, so nothing can have been stored; one
 * whose newest line is this may still be being stored when the next run looks. */
#define HISTORY_SENT "sent"
/* Whether a duplicate is possible at all: a successful upload of a file of this size to this
 * candidate (same integration and server) is in the history. Same content means same size,
 * so without one there is no need to hash before sending. */
bool history_may_have(uint64_t size, const char *server, const char *integration_id,
                      const char *candidate);

#endif
