/* The libcurl side of a transfer (transfer_priv.h): the easy handle's options, the request
 * headers (the key only in them, wiped on free), and the callbacks that keep the answer,
 * the headers acted on and the bytes sent. transfer.c decides what they mean. */
#include "transfer_priv.h"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "clock.h"
#include "httplog.h"
#include "secret.h"
#include "utf8.h"
#include "xalloc.h"

#ifndef KA_VERSION
#define KA_VERSION "dev"
#endif

#define UPLOAD_BUFFER (512 * 1024)      /* libcurl's upload buffer: fewer, bigger writes */

static size_t write_cb(char *data, size_t size, size_t nmemb, void *userp)
{
    struct transfer *t = userp;
    size_t len = size * nmemb;
    if (t->kind->sink) {
        int taken = t->kind->sink(t, data, len);
        if (taken < 0)
            return 0; /* CURLE_WRITE_ERROR; transfer_done reports kind_error */
        if (taken > 0)
            return len;
    }
    size_t cap = t->kind->answer_keep;
    size_t keep = t->resp_len < cap ? cap - t->resp_len : 0;
    if (keep > len)
        keep = len;
    if (keep > 0) {
        if (t->resp_len + keep + 1 > t->resp_cap) {
            size_t nc = t->resp_cap ? t->resp_cap : 4096;
            while (nc < t->resp_len + keep + 1)
                nc *= 2;
            t->resp = xrealloc(t->resp, nc);
            t->resp_cap = nc;
        }
        memcpy(t->resp + t->resp_len, data, keep);
        t->resp_len += keep;
        t->resp[t->resp_len] = '\0';
    }
    t->resp_dropped += len - keep;
    return len;
}

/* Remember the few answer headers we act on; a new status line (e.g. after
 * "100 Continue") starts over. */
static size_t header_cb(char *buf, size_t size, size_t nitems, void *userp)
{
    struct transfer *t = userp;
    size_t len = size * nitems;
    if (len >= 5 && strncmp(buf, "HTTP/", 5) == 0) {
        t->resp_ct[0] = t->retry_after[0] = t->retry_after_ms[0] = t->location[0] = '\0';
        t->conc_limit[0] = t->conc_remaining[0] = '\0';
        t->result.stored_at[0] = '\0';
        return len;
    }
    struct { const char *name; char *dst; size_t cap; } want[] = {
        {"x-mock-stored-path", t->result.stored_at, sizeof t->result.stored_at},
        {"content-type", t->resp_ct, sizeof t->resp_ct},
        {"retry-after", t->retry_after, sizeof t->retry_after},
        {"retry-after-ms", t->retry_after_ms, sizeof t->retry_after_ms},
        {"location", t->location, sizeof t->location},
        {"concurrency-limit", t->conc_limit, sizeof t->conc_limit},
        {"concurrency-remaining", t->conc_remaining, sizeof t->conc_remaining},
    };
    const char *colon = memchr(buf, ':', len);
    if (!colon)
        return len;
    size_t nlen = (size_t)(colon - buf);
    const char *v = colon + 1, *end = buf + len;
    while (v < end && (*v == ' ' || *v == '\t'))
        v++;
    while (end > v && (end[-1] == '\r' || end[-1] == '\n' || end[-1] == ' ' || end[-1] == '\t'))
        end--;
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        if (strlen(want[i].name) == nlen && strncasecmp(buf, want[i].name, nlen) == 0) {
            /* whole, redacted, then cut to fit (a Location may quote the key) */
            char *val = xstrndup(v, (size_t)(end - v));
            secret_redact(&val, client_api_key(t->client));
            utf8_copy_cut(want[i].dst, want[i].cap, val);
            free(val);
        }
    }
    return len;
}

static void add_sample(struct transfer *t, double now)
{
    if (t->n_samples > 0) {
        int last = (t->head + RATE_SLOTS - 1) % RATE_SLOTS;
        if (now - t->samples[last].t < 0.1)
            return; /* ~10 samples a second are plenty */
    }
    t->samples[t->head] = (struct rate_sample){now, t->sent};
    t->head = (t->head + 1) % RATE_SLOTS;
    if (t->n_samples < RATE_SLOTS)
        t->n_samples++;
}

void transfer_note_sent(struct transfer *t, uint64_t sent)
{
    t->sent = sent;
    if (t->state == TRANSFER_CONNECTING && t->sent > 0)
        t->state = TRANSFER_SENDING;
    if (t->state == TRANSFER_SENDING && t->sent >= t->total)
        t->state = TRANSFER_WAITING_ANSWER;
    add_sample(t, clock_now());
}

static int xferinfo_cb(void *userp, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
                       curl_off_t ulnow)
{
    (void)dltotal; (void)dlnow; (void)ultotal;
    struct transfer *t = userp;
    if (t->cancelled)
        return 1;
    if (t->total == 0) {
        /* nothing to send: the request is out once connected */
        if (t->state == TRANSFER_CONNECTING && ulnow >= 0 && t->attached) {
            curl_off_t connect_us = 0;
            curl_easy_getinfo(t->easy, CURLINFO_CONNECT_TIME_T, &connect_us);
            if (connect_us > 0)
                t->state = TRANSFER_WAITING_ANSWER;
        }
        return 0;
    }
    transfer_note_sent(t, ulnow > 0 ? (uint64_t)ulnow : 0);
    return 0;
}

/* Add the user's CA bundle to the store libcurl already filled with the system's
 * (libcurl calls this after processing its own CA options), so a private CA is trusted
 * in addition to, not instead of, the default ones. */
static CURLcode ssl_ctx_cb(CURL *curl, void *ssl_ctx, void *userp)
{
    (void)curl;
    const char *cacert = userp;
    X509_STORE *store = SSL_CTX_get_cert_store((SSL_CTX *)ssl_ctx);
    if (!store || X509_STORE_load_file(store, cacert) != 1) {
        ERR_clear_error();
        return CURLE_SSL_CACERT_BADFILE;
    }
    return CURLE_OK;
}


static void add_header(struct curl_slist **list, const char *f, const char *v)
{
    char *line = xasprintf(f, v);
    struct curl_slist *n = curl_slist_append(*list, line);
    explicit_bzero(line, strlen(line));
    free(line);
    if (!n)
        xalloc_fatal("curl_slist_append");
    *list = n;
}

void transfer_wipe_headers(struct curl_slist *h)
{
    for (struct curl_slist *p = h; p; p = p->next)
        explicit_bzero(p->data, strlen(p->data));
    curl_slist_free_all(h);
}

bool transfer_setup_easy(struct transfer *t, const char *content_type)
{
    struct client *c = t->client;
    const struct client_options *o = client_options(c);
    /* The key goes to Kombo's host only: a foreign kind (a download) sends neither. */
    if (!t->kind->foreign) {
        add_header(&t->headers, "Authorization: Bearer %s", client_api_key(c));
        if (t->integration_id)
            add_header(&t->headers, "X-Integration-Id: %s", t->integration_id);
        add_header(&t->headers, "%s", "Accept: application/json");
    }
    if (content_type)
        add_header(&t->headers, "Content-Type: %s", content_type);
    CURL *e = t->easy;
    bool ok = true;
#define SET(opt, val) ok = ok && curl_easy_setopt(e, opt, val) == CURLE_OK
    SET(CURLOPT_URL, t->url);
    SET(CURLOPT_PROTOCOLS_STR, "http,https");
    SET(CURLOPT_HTTPHEADER, t->headers);
    SET(CURLOPT_USERAGENT, "kombo-attach/" KA_VERSION);
    SET(CURLOPT_UPLOAD_BUFFERSIZE, (long)UPLOAD_BUFFER);
    SET(CURLOPT_WRITEFUNCTION, write_cb);
    SET(CURLOPT_WRITEDATA, t);
    SET(CURLOPT_HEADERFUNCTION, header_cb);
    SET(CURLOPT_HEADERDATA, t);
    SET(CURLOPT_NOPROGRESS, 0L);
    SET(CURLOPT_XFERINFOFUNCTION, xferinfo_cb);
    SET(CURLOPT_XFERINFODATA, t);
    SET(CURLOPT_ERRORBUFFER, t->errbuf);
    SET(CURLOPT_PRIVATE, t);
    SET(CURLOPT_NOSIGNAL, 1L);
    SET(CURLOPT_SSL_VERIFYPEER, 1L);
    SET(CURLOPT_SSL_VERIFYHOST, 2L);
    SET(CURLOPT_TCP_KEEPALIVE, 1L); /* an answer can take minutes; keep NATs from dropping us */
    SET(CURLOPT_FOLLOWLOCATION, 0L); /* a request with the key or the file must not wander off */
    if (o->timeout_s > 0)
        SET(CURLOPT_TIMEOUT, o->timeout_s);
    if (o->connect_timeout_s > 0)
        SET(CURLOPT_CONNECTTIMEOUT, o->connect_timeout_s);
    if (client_cacert(c)) {
        SET(CURLOPT_SSL_CTX_FUNCTION, ssl_ctx_cb);
        SET(CURLOPT_SSL_CTX_DATA, (void *)client_cacert(c));
    }
    if (o->verbose) {
        SET(CURLOPT_VERBOSE, 1L);
        t->log.key = client_api_key(c);
        SET(CURLOPT_DEBUGFUNCTION, httplog_debug_cb);
        SET(CURLOPT_DEBUGDATA, &t->log);
    }
#undef SET
    return ok && t->kind->setup(t, e);
}
