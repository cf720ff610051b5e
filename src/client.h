/* The Kombo client: one libcurl multi handle that runs any number of transfers (streaming
 * uploads, JSON requests) from the caller's thread. Front ends drive it with client_poll
 * from their event loop, which also waits on one more descriptor (the UI's terminal): no
 * threads, no sleep(), and every transfer shares one retry policy, one set of timeouts and
 * TLS rules, redaction and answer handling.
 *
 *   struct client *c = client_new(&opts, &code, err, sizeof err);
 *   struct upload *u = upload_start(c, &req, &code, err, sizeof err);     (upload.h)
 *   struct transfer *t = jsonreq_start(c, &get, &code, err, sizeof err);  (jsonreq.h)
 *   while (client_poll(c, 100, STDIN_FILENO, &key_ready) > 0) { ... }
 *
 * Concurrency: Kombo caps the actions in flight per integration. A cap set with
 * client_set_limit keeps transfers that count against it queued (state TRANSFER_QUEUED)
 * until a slot is free; a transfer waiting to retry holds no slot. */
#ifndef KA_CLIENT_H
#define KA_CLIENT_H

#include <stdbool.h>
#include <stddef.h>

struct client;

struct client_options {
    const char *base_url;        /* e.g. https://api.kombo.dev/v1 */
    const char *api_key;         /* Authorization: Bearer; copied, wiped on free */
    const char *integration_id;  /* X-Integration-Id unless a transfer says otherwise */
    const char *cacert;          /* extra CA bundle (PEM) or NULL */
    int max_attempts;            /* per transfer, >= 1; 0 = CLIENT_DEFAULT_ATTEMPTS */
    long timeout_s;              /* whole-attempt limit; 0 = none */
    long connect_timeout_s;      /* 0 = libcurl's default */
    bool verbose;                /* headers both ways on stderr, key redacted */
    const char *label;           /* what people call this server: "eu", "us", "sandbox" or the
                                    base URL (for the history; never a local port) */
    bool sandbox;                /* the local sandbox, not Kombo */
    bool allow_plain_http;       /* http:// to another machine (the key in the clear); else
                                    only loopback may be plain http */
};

#define CLIENT_DEFAULT_ATTEMPTS 4   /* the first attempt and 3 retries, as the SDKs */
#define CLIENT_MAX_ATTEMPTS 100
#define CLIENT_DEFAULT_TIMEOUT_S 300 /* the SDKs' request timeout */

/* Check the options (base URL, key, integration ID, CA file) and make a client. NULL with
 * a one-line message and *code = KA_EXIT_* when refused; nothing is sent either way. */
struct client *client_new(const struct client_options *o, int *code, char *err, size_t errlen);
/* Cancels and frees every transfer still owned by the client. */
void client_free(struct client *c);

/* Run every transfer for at most timeout_ms (less when a retry is due sooner), also waking
 * when extra_fd (>= 0) is readable (*extra_ready set). Returns how many transfers are not
 * finished yet. */
int client_poll(struct client *c, int timeout_ms, int extra_fd, bool *extra_ready);

/* At most max transfers that count against Kombo's concurrency limit in flight at once for
 * this integration (NULL: the client's own); 0 = no cap. */
void client_set_limit(struct client *c, const char *integration_id, int max);
/* Like client_set_limit, but the cap adapts to Kombo (AIMD), never above max: it starts
 * low, rises to the Concurrency-Limit Kombo sends, halves on each 429
 * CONCURRENCY_LIMIT_EXCEEDED (that transfer retries after Retry-After without using up an
 * attempt) and grows by about one per window of clean answers. */
void client_set_adaptive(struct client *c, const char *integration_id, int max);
struct client_concurrency {
    int cap;              /* the cap in force now */
    int in_flight;
    int server_limit;     /* Kombo's Concurrency-Limit, 0 = not seen */
    unsigned rejected;    /* 429 CONCURRENCY_LIMIT_EXCEEDED answers so far */
};
/* false when the integration has no cap yet. */
bool client_get_concurrency(const struct client *c, const char *integration_id,
                            struct client_concurrency *out);
/* Transfers not finished (queued, running or waiting to retry), and of those, in flight. */
size_t client_pending(const struct client *c);
size_t client_in_flight(const struct client *c, const char *integration_id);

/* The base URL the client talks to; its options as given (strings owned by the client). */
const char *client_base_url(const struct client *c);
const struct client_options *client_options(const struct client *c);

#endif
