/* Inside the client: the transfer every kind shares, and the hooks a kind (upload, JSON
 * request, download) fills in. Only client.c, transfer.c and the kinds (upload.c, jsonreq.c,
 * download.c) include this. */
#ifndef KA_TRANSFER_PRIV_H
#define KA_TRANSFER_PRIV_H

#include <curl/curl.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "client.h"
#include "httplog.h"
#include "retry.h"
#include "transfer.h"

#define RATE_SLOTS 32

struct transfer_kind {
    const char *noun;      /* "upload", "request": "Kombo refused the upload" */
    bool sends_file;       /* whether a lost answer after the whole body may have acted */
    size_t answer_keep;    /* answer bytes kept; the rest is counted only */
    bool foreign;          /* another host (a download): no Authorization, no X-Integration-Id,
                              and its 2xx answer is not read as Kombo's */
    /* Optional: answer bytes as they arrive. 1 = taken (not kept), 0 = keep them as usual
     * (e.g. an error page), -1 = stop the transfer (kind_failed, kind_error set). */
    int (*sink)(struct transfer *t, const char *data, size_t len);
    /* Kind-specific easy options (method, body source). false = could not set up. */
    bool (*setup)(struct transfer *t, CURL *e);
    /* Before every attempt after the first: rewind the body. 0, or -1 with a message. */
    int (*rewind)(struct transfer *t, char *err, size_t errlen);
    /* A 2xx answer in Kombo's success shape arrived (e.g. parse the JSON). */
    void (*answered)(struct transfer *t);
    /* The message for a cancel in the current state. */
    void (*cancelled)(struct transfer *t, char *out, size_t outlen);
    void (*free)(struct transfer *t);
};

struct rate_sample {
    double t;
    uint64_t sent;
};

struct transfer {
    struct client *client;
    struct transfer *prev, *next;   /* the client's list, in order of submission */
    const struct transfer_kind *kind;
    void *kind_data;
    void *user;

    char *url;
    char *integration_id;           /* for the concurrency cap; NULL = none sent */
    bool counts;                    /* counts against Kombo's concurrency limit */
    bool holds_slot;
    uint64_t total;                 /* request body length */

    CURL *easy;
    struct curl_slist *headers;
    struct httplog log;             /* -v */
    bool attached;                  /* in the multi handle */
    char errbuf[CURL_ERROR_SIZE];

    /* the current attempt's answer */
    char *resp;
    size_t resp_len, resp_cap;
    uint64_t resp_dropped;
    char resp_ct[128], retry_after[128], retry_after_ms[64], location[512];
    char conc_limit[16], conc_remaining[16];
    int free_retries;               /* 429 CONCURRENCY_LIMIT_EXCEEDED: nothing was done, so
                                       these retries do not use up attempts */

    enum transfer_state state;
    int attempt;
    bool cancelled, kind_failed;    /* kind_failed: the body source failed (message in kind) */
    bool body_handed;               /* this attempt's whole body went to libcurl: it may be
                                       on the wire before the progress callback says so */
    char kind_error[512];
    uint64_t sent;
    double t0, attempt_t0, retry_at;
    struct rate_sample samples[RATE_SLOTS];
    int n_samples, head;
    char last_problem[512];
    struct transfer_result result;
};

/* client.c, for transfer.c */
CURLM *client_multi(struct client *c);
const char *client_api_key(const struct client *c);
const char *client_host(const struct client *c);
const char *client_cacert(const struct client *c);
const struct retry_policy *client_policy(const struct client *c);
double client_random(struct client *c);
void client_link(struct client *c, struct transfer *t);
void client_unlink(struct client *c, struct transfer *t);
/* Take a slot under t's integration cap (true), or false when the cap is reached. */
bool client_take_slot(struct client *c, struct transfer *t);
void client_release_slot(struct client *c, struct transfer *t);
/* An answer's Concurrency-Limit / -Remaining (-1 = absent) and whether it was a 429
 * CONCURRENCY_LIMIT_EXCEEDED, for an adaptive cap; call while t still holds its slot. */
void client_note_concurrency(struct client *c, struct transfer *t, int limit, int remaining,
                             bool rejected);

/* transfer.c, for the kinds and the client */
/* A new transfer of a kind for url on c (not started). integration_id NULL = the client's;
 * "" = send no X-Integration-Id. Returns NULL with a message when libcurl cannot set up. */
struct transfer *transfer_new(struct client *c, const struct transfer_kind *kind, void *kind_data,
                              char *url, const char *integration_id, bool counts,
                              const char *content_type, uint64_t total);
/* Queue it: it starts at the next client_poll (or waits for a slot). */
void transfer_submit(struct transfer *t);
/* What every kind's *_start does last: transfer_new, then transfer_submit. NULL with a
 * message and *code (KA_EXIT_*) when libcurl cannot set up, or when the transfer finished
 * at once (refused before anything was sent: the result's message and exit code); else
 * *code = KA_EXIT_OK. */
struct transfer *transfer_launch(struct client *c, const struct transfer_kind *kind,
                                 void *kind_data, char *url, const char *integration_id,
                                 bool counts, const char *content_type, uint64_t total,
                                 int *code, char *err, size_t errlen);
/* libcurl finished t's current attempt with rc. */
void transfer_done(struct transfer *t, CURLcode rc);
/* Start due retries and queued transfers that now have a slot. */
void transfer_tick(struct transfer *t, double now);
/* transfer_curl.c: t's easy handle set up for its kind (headers, options, callbacks);
 * false when libcurl refuses an option. */
bool transfer_setup_easy(struct transfer *t, const char *content_type);
/* Free a request header list, its lines (the key among them) wiped first. */
void transfer_wipe_headers(struct curl_slist *h);
/* Record bytes sent (the kinds' callbacks). */
void transfer_note_sent(struct transfer *t, uint64_t sent);

#endif
