/* One request on the client (client.h), whatever its kind: its state, progress, outcome and
 * Kombo's answer. Uploads (upload.h) and JSON requests (jsonreq.h) are transfers. */
#ifndef KA_TRANSFER_H
#define KA_TRANSFER_H

#include <stdbool.h>
#include <stdint.h>

#include "answer.h"

struct transfer;
struct cJSON;

enum transfer_state {
    TRANSFER_QUEUED,         /* waiting for a free slot under the integration's cap */
    TRANSFER_CONNECTING,     /* attempt started, nothing sent yet */
    TRANSFER_SENDING,
    TRANSFER_WAITING_ANSWER, /* request sent, waiting for the server */
    TRANSFER_WAITING_RETRY,  /* between attempts: wait_ms left */
    TRANSFER_FINISHED
};

enum transfer_outcome {
    TRANSFER_OK,
    TRANSFER_REJECTED,    /* Kombo answered 4xx (not 429) */
    TRANSFER_SERVER,      /* 5xx or 429 after all attempts, or an answer we cannot read */
    TRANSFER_NETWORK,     /* connection, TLS, timeout after all attempts */
    TRANSFER_FILE,        /* the file failed or changed while sending */
    TRANSFER_CANCELLED,
    TRANSFER_INTERNAL,
    TRANSFER_UNKNOWN      /* an upload the server may have attached: the whole body went out
                             and then the connection broke, the answer was unreadable, or the
                             user cancelled while waiting for it. Check before sending again. */
};

struct transfer_progress {
    enum transfer_state state;
    uint64_t sent, total;   /* request body bytes of the current attempt */
    int attempt, max_attempts;
    long wait_ms;           /* left before the next attempt (WAITING_RETRY) */
    double rate;            /* bytes/s, smoothed; 0 when unknown */
    double eta_s;           /* seconds left, < 0 when unknown */
    double elapsed_s;       /* since the transfer started */
    const char *last_problem; /* why the previous attempt failed (for retries), or NULL */
};

struct transfer_result {
    enum transfer_outcome outcome;
    int attempts;
    struct answer answer;   /* valid when the server answered (answer.http_status != 0) */
    struct cJSON *json;     /* a JSON request's whole answer when it parsed, else NULL */
    bool retry_helps;       /* sending the same again could succeed (not for a changed file,
                               a refusal that would repeat, a certificate problem ...) */
    char stored_at[512];    /* where the sandbox's mock stored the file (its
                               X-Mock-Stored-Path), raw; empty otherwise */
    char message[512];      /* one line for humans: what happened and what to do */
};

bool transfer_finished(const struct transfer *t);
void transfer_get_progress(const struct transfer *t, struct transfer_progress *out);
/* Stop this transfer alone: no further byte leaves; the others go on. */
void transfer_cancel(struct transfer *t);
const struct transfer_result *transfer_get_result(const struct transfer *t);
/* Remove it from its client (cancelled first if running) and free it. */
void transfer_free(struct transfer *t);
/* A pointer of the caller's, for completion handling. */
void transfer_set_data(struct transfer *t, void *data);
void *transfer_data(const struct transfer *t);

/* "ok", "rejected", "server", "network", "file", "cancelled", "internal", "unknown". */
const char *transfer_outcome_name(enum transfer_outcome o);
/* The exit code (exitcodes.h) for an outcome. */
int transfer_exit_code(enum transfer_outcome o);

#endif
