/* See client.h. The client owns the multi handle, the list of transfers and the caps per
 * integration; transfer.c runs each transfer's attempts. */
#include "transfer_priv.h"

#include <errno.h>
#include <openssl/err.h>
#include <openssl/x509.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "exitcodes.h"
#include "kombo.h"
#include "xalloc.h"

struct limit {
    char *integration_id;
    int max;          /* 0 = no cap */
    int in_flight;
    /* client_set_adaptive: the cap follows Kombo's answers, never above max. */
    bool adaptive;
    bool slow_start;  /* until the first 429 or Concurrency-Limit: +1 per clean answer */
    double window;    /* the current cap (AIMD); its floor counts, at least 1 */
    int server_limit; /* the last Concurrency-Limit seen; 0 = not yet */
    unsigned rejected;/* 429 CONCURRENCY_LIMIT_EXCEEDED answers */
};

#define ADAPTIVE_START 4   /* in flight before Kombo has said its limit: low enough for the
                              "much lower" sensitive integrations, one round trip to grow */

struct client {
    struct client_options o;     /* strings copied */
    char host[300];              /* "host:port", for messages */
    struct retry_policy policy;
    CURLM *multi;
    struct transfer *head, *tail;
    struct limit *limits;
    size_t n_limits;
    uint64_t rng;
};

/* ---- for transfer.c ------------------------------------------------------------- */

CURLM *client_multi(struct client *c) { return c->multi; }
const char *client_api_key(const struct client *c) { return c->o.api_key; }
const char *client_host(const struct client *c) { return c->host; }
const char *client_cacert(const struct client *c) { return c->o.cacert; }
const struct client_options *client_options(const struct client *c) { return &c->o; }
const struct retry_policy *client_policy(const struct client *c) { return &c->policy; }
const char *client_base_url(const struct client *c) { return c->o.base_url; }

/* splitmix64: jitter only needs to differ between clients, not to be secret. */
double client_random(struct client *c)
{
    uint64_t z = (c->rng += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    z ^= z >> 31;
    return (double)(z >> 11) * 0x1.0p-53;
}

void client_link(struct client *c, struct transfer *t)
{
    t->prev = c->tail;
    t->next = NULL;
    if (c->tail)
        c->tail->next = t;
    else
        c->head = t;
    c->tail = t;
}

void client_unlink(struct client *c, struct transfer *t)
{
    if (t->prev)
        t->prev->next = t->next;
    else if (c->head == t)
        c->head = t->next;
    if (t->next)
        t->next->prev = t->prev;
    else if (c->tail == t)
        c->tail = t->prev;
    t->prev = t->next = NULL;
}

static struct limit *limit_for(struct client *c, const char *integration_id, bool create)
{
    if (!integration_id)
        return NULL;
    for (size_t i = 0; i < c->n_limits; i++)
        if (strcmp(c->limits[i].integration_id, integration_id) == 0)
            return &c->limits[i];
    if (!create)
        return NULL;
    c->limits = xrealloc(c->limits, (c->n_limits + 1) * sizeof *c->limits);
    struct limit *l = &c->limits[c->n_limits++];
    *l = (struct limit){.integration_id = xstrdup(integration_id)};
    return l;
}

/* The cap in force: the fixed one, or the adaptive window inside it and Kombo's limit. */
static int limit_max(const struct limit *l)
{
    if (!l->adaptive)
        return l->max;
    int m = (int)l->window;
    if (l->server_limit > 0 && m > l->server_limit)
        m = l->server_limit;
    if (m > l->max)
        m = l->max;
    return m < 1 ? 1 : m;
}

void client_note_concurrency(struct client *c, struct transfer *t, int limit, int remaining,
                             bool rejected)
{
    struct limit *l = t->counts ? limit_for(c, t->integration_id, false) : NULL;
    if (!l || !l->adaptive)
        return;
    if (limit > 0)
        l->server_limit = limit;
    int others = l->in_flight - (t->holds_slot ? 1 : 0);
    if (rejected) {
        l->rejected++;
        l->slow_start = false;
        if (limit > 0 && remaining == 0) {
            /* The headers explain it: every slot is taken, ours among them. What we hold is
             * what we may have (e.g. our first guess overshot a limit of 3 by one). */
            l->window = others < 1 ? 1 : others > limit ? limit : others;
        } else {
            /* Multiplicative decrease: someone else holds slots, or the limit dropped. */
            l->window = l->window / 2 < 1 ? 1 : l->window / 2;
        }
        return;
    }
    if (remaining == 0 && others + 1 < (int)l->window) {
        /* Nothing left although we hold fewer than our window: another client of this
         * integration uses the rest. Shrink to what we have, without a 429. */
        l->window = others + 1;
        l->slow_start = false;
        return;
    }
    if (l->slow_start) {
        if (limit > 0) {
            /* Kombo said its limit: take all of it (remaining says how much is free). */
            int free_now = remaining >= 0 ? others + remaining : limit;
            l->window = free_now < limit ? (free_now < 1 ? 1 : free_now) : limit;
            l->slow_start = false;
        } else {
            l->window += 1;
        }
    } else {
        l->window += 1.0 / (l->window < 1 ? 1 : l->window);   /* additive increase */
    }
    if (l->window > l->max)
        l->window = l->max;
}

bool client_take_slot(struct client *c, struct transfer *t)
{
    if (!t->counts || t->holds_slot)
        return true;
    struct limit *l = limit_for(c, t->integration_id, true);
    if (!l)
        return true;
    if (l->max > 0 && l->in_flight >= limit_max(l))
        return false;
    l->in_flight++;
    t->holds_slot = true;
    return true;
}

void client_release_slot(struct client *c, struct transfer *t)
{
    if (!t->holds_slot)
        return;
    struct limit *l = limit_for(c, t->integration_id, false);
    if (l && l->in_flight > 0)
        l->in_flight--;
    t->holds_slot = false;
}

/* ---- the public side ------------------------------------------------------------ */

/* Refuse a --cacert file that is missing or holds no certificate, before any traffic. */
static const char *check_cacert(const char *path, char *buf, size_t len)
{
    if (access(path, R_OK) != 0) {
        snprintf(buf, len, "cannot read the CA bundle %s (--cacert): %s", path, strerror(errno));
        return buf;
    }
    const curl_version_info_data *vi = curl_version_info(CURLVERSION_NOW);
    if (!vi->ssl_version || strncmp(vi->ssl_version, "OpenSSL", 7) != 0) {
        snprintf(buf, len, "--cacert needs libcurl built with OpenSSL (this one uses %s)",
                 vi->ssl_version ? vi->ssl_version : "no TLS");
        return buf;
    }
    X509_STORE *st = X509_STORE_new();
    int ok = st && X509_STORE_load_file(st, path) == 1;
    X509_STORE_free(st);
    ERR_clear_error();
    if (!ok) {
        snprintf(buf, len, "the CA bundle %s (--cacert) holds no PEM certificate", path);
        return buf;
    }
    return NULL;
}

static bool global_ready(void)
{
    static bool done = false, ok = false;
    if (!done) {
        ok = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
        done = true;
    }
    return ok;
}

static struct client *refuse(struct client *c, int *code, int value, char *err, size_t errlen,
                             const char *msg)
{
    if (code)
        *code = value;
    snprintf(err, errlen, "%s", msg);
    client_free(c);
    return NULL;
}

struct client *client_new(const struct client_options *o, int *code, char *err, size_t errlen)
{
    char buf[600];
    const char *p;
    if ((p = kombo_check_header_value("API key", o->api_key)) ||
        (o->integration_id && (p = kombo_check_header_value("integration ID", o->integration_id))))
        return refuse(NULL, code, KA_EXIT_USAGE, err, errlen, p);
    if (!global_ready())
        return refuse(NULL, code, KA_EXIT_INTERNAL, err, errlen, "could not initialise libcurl");
    struct client *c = xcalloc(1, sizeof *c);
    if ((p = kombo_check_base_url(o->base_url, c->host, sizeof c->host)))
        return refuse(c, code, KA_EXIT_USAGE, err, errlen, p);
    if (!o->allow_plain_http && kombo_url_is_plain_remote(o->base_url)) {
        snprintf(buf, sizeof buf, "the base URL is http:// to %s: the API key would cross the "
                 "network unencrypted — use https://, or pass --allow-plain-http if you mean it",
                 c->host);
        return refuse(c, code, KA_EXIT_USAGE, err, errlen, buf);
    }
    if (o->cacert && (p = check_cacert(o->cacert, buf, sizeof buf)))
        return refuse(c, code, KA_EXIT_USAGE, err, errlen, p);
    c->o = *o;
    c->o.base_url = xstrdup(o->base_url);
    c->o.api_key = xstrdup(o->api_key);
    c->o.integration_id = o->integration_id ? xstrdup(o->integration_id) : NULL;
    c->o.cacert = o->cacert ? xstrdup(o->cacert) : NULL;
    c->o.label = xstrdup(o->label ? o->label : o->base_url);
    c->o.timeout_s = o->timeout_s > 0 ? o->timeout_s : 0;
    c->o.connect_timeout_s = o->connect_timeout_s > 0 ? o->connect_timeout_s : 0;
    retry_policy_default(&c->policy);
    c->policy.max_attempts = o->max_attempts <= 0 ? CLIENT_DEFAULT_ATTEMPTS
                           : o->max_attempts > CLIENT_MAX_ATTEMPTS ? CLIENT_MAX_ATTEMPTS
                           : o->max_attempts;
    c->o.max_attempts = c->policy.max_attempts;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    c->rng = (uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 20) ^ ((uint64_t)getpid() << 40) ^
             (uint64_t)(uintptr_t)c;
    c->multi = curl_multi_init();
    if (!c->multi)
        return refuse(c, code, KA_EXIT_INTERNAL, err, errlen, "could not set up libcurl");
    if (code)
        *code = KA_EXIT_OK;
    return c;
}

void client_free(struct client *c)
{
    if (!c)
        return;
    while (c->head)
        transfer_free(c->head);
    if (c->multi)
        curl_multi_cleanup(c->multi);
    free((char *)c->o.base_url);
    if (c->o.api_key) {
        explicit_bzero((char *)c->o.api_key, strlen(c->o.api_key));
        free((char *)c->o.api_key);
    }
    free((char *)c->o.integration_id);
    free((char *)c->o.cacert);
    free((char *)c->o.label);
    for (size_t i = 0; i < c->n_limits; i++)
        free(c->limits[i].integration_id);
    free(c->limits);
    free(c);
}

void client_set_limit(struct client *c, const char *integration_id, int max)
{
    struct limit *l = limit_for(c, integration_id ? integration_id : c->o.integration_id, true);
    if (l) {
        l->max = max > 0 ? max : 0;
        l->adaptive = false;
    }
}

void client_set_adaptive(struct client *c, const char *integration_id, int max)
{
    struct limit *l = limit_for(c, integration_id ? integration_id : c->o.integration_id, true);
    if (!l)
        return;
    l->max = max > 0 ? max : 1;
    l->adaptive = true;
    /* A limit Kombo already said (an earlier run on this client, e.g. the UI's last send)
     * is where to start; else a guess low enough for the sensitive integrations. */
    l->slow_start = l->server_limit <= 0;
    int start = l->server_limit > 0 ? l->server_limit : ADAPTIVE_START;
    l->window = l->max < start ? l->max : start;
}

bool client_get_concurrency(const struct client *c, const char *integration_id,
                            struct client_concurrency *out)
{
    const char *id = integration_id ? integration_id : c->o.integration_id;
    *out = (struct client_concurrency){0};
    for (size_t i = 0; id && i < c->n_limits; i++) {
        const struct limit *l = &c->limits[i];
        if (strcmp(l->integration_id, id) == 0) {
            out->cap = limit_max(l);
            out->in_flight = l->in_flight;
            out->server_limit = l->server_limit;
            out->rejected = l->rejected;
            return true;
        }
    }
    return false;
}

size_t client_pending(const struct client *c)
{
    size_t n = 0;
    for (const struct transfer *t = c->head; t; t = t->next)
        n += t->state != TRANSFER_FINISHED;
    return n;
}

size_t client_in_flight(const struct client *c, const char *integration_id)
{
    const char *id = integration_id ? integration_id : c->o.integration_id;
    for (size_t i = 0; id && i < c->n_limits; i++)
        if (strcmp(c->limits[i].integration_id, id) == 0)
            return (size_t)c->limits[i].in_flight;
    return 0;
}

/* Due retries and queued transfers, oldest first, so a freed slot goes to the one that
 * has waited longest. A transfer may finish (and its slot free up) while we walk. */
static void tick_all(struct client *c)
{
    double now = clock_now();
    for (struct transfer *t = c->head; t; t = t->next)
        if (t->state == TRANSFER_QUEUED || t->state == TRANSFER_WAITING_RETRY)
            transfer_tick(t, now);
}

/* Returns how many transfers finished. */
static int perform(struct client *c)
{
    int running = 0, done = 0;
    curl_multi_perform(c->multi, &running);
    CURLMsg *m;
    int left;
    while ((m = curl_multi_info_read(c->multi, &left)) != NULL) {
        if (m->msg != CURLMSG_DONE)
            continue;
        struct transfer *t = NULL;
        curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&t);
        CURLcode rc = m->data.result;
        if (t)
            transfer_done(t, rc); /* may remove the handle: m is not used after this */
        done++;
    }
    return done;
}

/* Milliseconds until the nearest retry is due, capped at cap. */
static int next_deadline_ms(const struct client *c, int cap)
{
    double now = clock_now();
    int ms = cap;
    for (const struct transfer *t = c->head; t; t = t->next) {
        if (t->state != TRANSFER_WAITING_RETRY)
            continue;
        double left = t->retry_at - now;
        int w = left <= 0 ? 0 : (int)(left * 1000.0 + 0.999);
        if (w < ms)
            ms = w;
    }
    return ms;
}

int client_poll(struct client *c, int timeout_ms, int extra_fd, bool *extra_ready)
{
    if (extra_ready)
        *extra_ready = false;
    if (timeout_ms < 0)
        timeout_ms = 0;
    tick_all(c);
    int finished = perform(c);
    tick_all(c);
    struct curl_waitfd wfd = {.fd = extra_fd, .events = CURL_WAIT_POLLIN, .revents = 0};
    unsigned nfds = extra_fd >= 0 ? 1 : 0;
    int wait = client_pending(c) ? next_deadline_ms(c, timeout_ms) : timeout_ms;
    /* A transfer that just finished is news for the caller (a pager queues its next page
     * on it): return now instead of waiting out the timeout with nothing in flight. */
    if (finished)
        wait = 0;
    /* With no transfer in the multi handle this only waits on extra_fd (or the time). */
    curl_multi_poll(c->multi, nfds ? &wfd : NULL, nfds, wait, NULL);
    if (extra_ready && nfds && (wfd.revents & CURL_WAIT_POLLIN))
        *extra_ready = true;
    perform(c);
    tick_all(c);
    return (int)client_pending(c);
}
