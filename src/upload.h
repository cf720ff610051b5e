/* The upload job: the only door from the front ends (CLI, UI) to the network.
 * Single-threaded and non-blocking: the caller drives it with upload_poll. */
#ifndef KA_UPLOAD_H
#define KA_UPLOAD_H

#include <stdbool.h>
#include <stdint.h>

#include "answer.h"

struct attachment;
struct upload;

struct upload_request {
    const char *base_url;        /* e.g. https://api.kombo.dev/v1 (no trailing slash needed) */
    const char *api_key;
    const char *integration_id;
    const char *candidate_id;    /* percent-encoded as one path segment */
    const struct attachment *att;
    const char *remote_fields;   /* JSON object text or NULL */
    int max_attempts;            /* total attempts, >= 1 (default 4) */
    long timeout_s;              /* whole-attempt timeout; 0 = none (default 300) */
    long connect_timeout_s;      /* 0 = libcurl default */
    const char *cacert;          /* extra CA bundle file or NULL */
    bool verbose;                /* libcurl debug to stderr (headers redacted) */
    bool want_sha256;            /* hash the file while sending (for the history) */
};

enum upload_state {
    UPLOAD_CONNECTING,   /* attempt started, nothing sent yet */
    UPLOAD_SENDING,
    UPLOAD_WAITING_ANSWER, /* body sent, waiting for the server */
    UPLOAD_WAITING_RETRY,  /* between attempts: wait_ms left */
    UPLOAD_FINISHED
};

struct upload_progress {
    enum upload_state state;
    uint64_t sent, total;   /* body bytes of the current attempt */
    int attempt, max_attempts;
    long wait_ms;           /* left before the next attempt (WAITING_RETRY) */
    double rate;            /* bytes/s, smoothed; 0 when unknown */
    double eta_s;           /* seconds left, < 0 when unknown */
    double elapsed_s;       /* since upload_start */
    const char *last_problem; /* why the previous attempt failed (for retries), or NULL */
};

enum upload_outcome {
    UPLOAD_OK,
    UPLOAD_REJECTED,    /* Kombo answered 4xx (not 429) */
    UPLOAD_SERVER,      /* 5xx or 429 after all attempts */
    UPLOAD_NETWORK,     /* connection, TLS, timeout after all attempts */
    UPLOAD_FILE,        /* file failed or changed while sending */
    UPLOAD_CANCELLED,
    UPLOAD_INTERNAL
};

struct upload_result {
    enum upload_outcome outcome;
    int attempts;
    struct answer answer;   /* valid when the server answered (answer.http_status != 0) */
    char message[512];      /* one line for humans: what happened and what to do */
};

/* Validate the request (candidate ID, key, integration ID, headers free of control
 * characters) and start the first attempt. NULL with a message (and *code = KA_EXIT_*)
 * when refused; nothing has been sent then. */
struct upload *upload_start(const struct upload_request *req, int *code, char *err, size_t errlen);
/* Run the job for at most timeout_ms, also waking when extra_fd (>= 0) is readable
 * (*extra_ready set). Returns 1 while running, 0 when finished. */
int upload_poll(struct upload *u, int timeout_ms, int extra_fd, bool *extra_ready);
void upload_get_progress(const struct upload *u, struct upload_progress *out);
void upload_cancel(struct upload *u);
const struct upload_result *upload_get_result(const struct upload *u);
void upload_free(struct upload *u);

/* The file's SHA-256 (hex) once a whole pass was read and verified (want_sha256 only). */
bool upload_sha256_hex(const struct upload *u, char out[65]);
/* "ok", "rejected", "server", "network", "file", "cancelled", "internal". */
const char *upload_outcome_name(enum upload_outcome o);

/* The URL a request goes to (candidate ID encoded). Caller frees; NULL if refused. */
char *upload_url(const char *base_url, const char *candidate_id, char *err, size_t errlen);
/* Checks shared with the form: NULL when fine, else a static message. */
const char *upload_check_candidate_id(const char *id);
const char *upload_check_header_value(const char *what, const char *value);
/* True when id looks like a Kombo ID (24 base58 characters); only a warning otherwise. */
bool upload_id_looks_like_kombo(const char *id);
/* Exit code for an outcome. */
int upload_exit_code(enum upload_outcome o);

#endif
