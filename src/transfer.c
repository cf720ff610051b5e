/* The life of one transfer on the client, whatever its kind:
 *
 *   QUEUED -> CONNECTING -> SENDING -> WAITING_ANSWER -> FINISHED
 *      ^                \____________________________/
 *      |                  retryable failure: WAITING_RETRY (a deadline) --+
 *      +------------------------------------------------------------------+
 *
 * QUEUED only while the integration's cap has no free slot. Each attempt sends the body
 * again from byte 0 (the kind's rewind).
 *
 * Which failures are retried:
 *  - HTTP 429/500/502/503/504, after the wait retry_wait_ms() gives (Retry-After-Ms,
 *    Retry-After, else backoff with jitter), as Kombo's SDKs do;
 *  - connection errors where the server cannot have acted (failmsg.c says which).
 * Anything else (4xx, certificate not trusted, bad CA file, the file changing) stops.
 *
 * Secrets: the key lives only in the header list (wiped on free) and the client; messages
 * never include headers, and server text echoing the key is redacted before it reaches a
 * result. */
#include "transfer_priv.h"

#include <cjson/cJSON.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "exitcodes.h"
#include "failmsg.h"
#include "format.h"
#include "httplog.h"
#include "numparse.h"
#include "secret.h"
#include "utf8.h"
#include "xalloc.h"

#define RATE_WINDOW_S 1.5               /* rate is averaged over about this long */

/* ---- small helpers ------------------------------------------------------------ */

static void redact_answer(struct answer *a, const char *key)
{
    for (size_t i = 0; i < a->n_warnings; i++)
        secret_redact(&a->warnings[i], key);
    secret_redact(&a->err.code, key);
    secret_redact(&a->err.title, key);
    secret_redact(&a->err.message, key);
    secret_redact(&a->err.log_url, key);
    secret_redact(&a->problem, key);
}

/* Escaped copy of network-derived text, as a fixed buffer for messages. */
static void escape_into(char *dst, size_t n, const char *src)
{
    char *e = answer_escape(src, strlen(src));
    utf8_copy_cut(dst, n, e ? e : "(unprintable)");
    free(e);
}

static void set_message(struct transfer *t, const char *f, ...) __attribute__((format(printf, 2, 3)));
static void set_message(struct transfer *t, const char *f, ...)
{
    va_list ap;
    va_start(ap, f);
    char *s = xvasprintf(f, ap);
    va_end(ap);
    secret_redact(&s, client_api_key(t->client));
    utf8_copy_cut(t->result.message, sizeof t->result.message, s);
    free(s);
}

const char *transfer_outcome_name(enum transfer_outcome o)
{
    switch (o) {
    case TRANSFER_OK: return "ok";
    case TRANSFER_REJECTED: return "rejected";
    case TRANSFER_SERVER: return "server";
    case TRANSFER_NETWORK: return "network";
    case TRANSFER_FILE: return "file";
    case TRANSFER_CANCELLED: return "cancelled";
    case TRANSFER_INTERNAL: return "internal";
    case TRANSFER_UNKNOWN: return "unknown";
    }
    return "internal";
}

int transfer_exit_code(enum transfer_outcome o)
{
    switch (o) {
    case TRANSFER_OK: return KA_EXIT_OK;
    case TRANSFER_REJECTED: return KA_EXIT_API;
    case TRANSFER_SERVER: return KA_EXIT_SERVER;
    case TRANSFER_NETWORK: return KA_EXIT_SERVER;
    case TRANSFER_FILE: return KA_EXIT_FILE;
    case TRANSFER_CANCELLED: return KA_EXIT_CANCELLED;
    case TRANSFER_INTERNAL: return KA_EXIT_INTERNAL;
    case TRANSFER_UNKNOWN: return KA_EXIT_UNKNOWN;
    }
    return KA_EXIT_INTERNAL;
}

/* ---- libcurl callbacks: they only record numbers and bytes ---------------------- */

struct transfer *transfer_new(struct client *c, const struct transfer_kind *kind, void *kind_data,
                              char *url, const char *integration_id, bool counts,
                              const char *content_type, uint64_t total)
{
    struct transfer *t = xcalloc(1, sizeof *t);
    t->client = c;
    t->kind = kind;
    t->kind_data = kind_data;
    t->url = url;
    if (!integration_id)
        integration_id = client_options(c)->integration_id;
    t->integration_id = integration_id && *integration_id ? xstrdup(integration_id) : NULL;
    t->counts = counts;
    t->total = total;
    t->state = TRANSFER_QUEUED;
    t->easy = curl_easy_init();
    client_link(c, t);
    if (!t->easy || !transfer_setup_easy(t, content_type)) {
        transfer_free(t);
        return NULL;
    }
    return t;
}

/* ---- the machine ---------------------------------------------------------------- */

static void detach(struct transfer *t)
{
    if (t->attached) {
        curl_multi_remove_handle(client_multi(t->client), t->easy);
        t->attached = false;
    }
    if (t->holds_slot)
        client_release_slot(t->client, t);
}

/* Whether sending the same again could succeed, by outcome; the few exceptions (a
 * redirect, a certificate problem) are set after finish. */
static bool retry_helps(enum transfer_outcome o)
{
    switch (o) {
    case TRANSFER_SERVER: case TRANSFER_NETWORK: case TRANSFER_CANCELLED: case TRANSFER_UNKNOWN:
        return true;
    case TRANSFER_OK: case TRANSFER_REJECTED: case TRANSFER_FILE: case TRANSFER_INTERNAL:
        return false;
    }
    return false;
}

static void finish(struct transfer *t, enum transfer_outcome o)
{
    detach(t);
    t->state = TRANSFER_FINISHED;
    t->result.outcome = o;
    t->result.attempts = t->attempt;
    t->result.retry_helps = retry_helps(o);
}

static void start_attempt(struct transfer *t)
{
    t->attempt++;
    t->state = TRANSFER_CONNECTING;
    t->sent = 0;
    t->n_samples = t->head = 0;
    t->resp_len = 0;
    t->resp_dropped = 0;
    t->resp_ct[0] = t->retry_after[0] = t->retry_after_ms[0] = t->location[0] = '\0';
    t->conc_limit[0] = t->conc_remaining[0] = '\0';
    t->result.stored_at[0] = '\0';
    t->errbuf[0] = '\0';
    t->kind_failed = false;
    t->body_handed = false;
    httplog_reset(&t->log);
    answer_free(&t->result.answer); /* the result's answer is always the last attempt's */
    t->attempt_t0 = clock_now();
    char err[512];
    if (t->attempt > 1 && t->kind->rewind && t->kind->rewind(t, err, sizeof err) != 0) {
        set_message(t, "%s", err);
        finish(t, TRANSFER_FILE);
        return;
    }
    if (curl_multi_add_handle(client_multi(t->client), t->easy) != CURLM_OK) {
        set_message(t, "internal error: could not start the transfer");
        finish(t, TRANSFER_INTERNAL);
        return;
    }
    t->attached = true;
}

/* Start now if the integration's cap has room, else stay (or go back) in the queue. */
static void try_start(struct transfer *t)
{
    if (!client_take_slot(t->client, t)) {
        t->state = TRANSFER_QUEUED;
        return;
    }
    start_attempt(t);
}

void transfer_submit(struct transfer *t)
{
    t->t0 = clock_now();
    try_start(t);
}

struct transfer *transfer_launch(struct client *c, const struct transfer_kind *kind,
                                 void *kind_data, char *url, const char *integration_id,
                                 bool counts, const char *content_type, uint64_t total,
                                 int *code, char *err, size_t errlen)
{
    int rc = KA_EXIT_OK;
    struct transfer *t = transfer_new(c, kind, kind_data, url, integration_id, counts,
                                      content_type, total);
    if (!t) {
        rc = KA_EXIT_INTERNAL;
        snprintf(err, errlen, "could not set up libcurl");
    } else {
        transfer_submit(t);
        if (transfer_finished(t)) {
            rc = transfer_exit_code(t->result.outcome);
            snprintf(err, errlen, "%s", t->result.message);
            transfer_free(t);
            t = NULL;
        }
    }
    if (code)
        *code = rc;
    return t;
}

void transfer_tick(struct transfer *t, double now)
{
    if (t->state == TRANSFER_WAITING_RETRY && now >= t->retry_at)
        try_start(t);
    else if (t->state == TRANSFER_QUEUED && t->t0 > 0)
        try_start(t);
}

/* Either schedule another attempt (problem becomes last_problem) or finish with outcome,
 * saying how many attempts were made. */
static void retry_or_give_up(struct transfer *t, enum transfer_outcome outcome, const char *problem)
{
    utf8_copy_cut(t->last_problem, sizeof t->last_problem, problem);
    const struct retry_policy *p = client_policy(t->client);
    if (t->attempt < p->max_attempts + t->free_retries) {
        long wait = retry_wait_ms(p, t->attempt, t->retry_after_ms[0] ? t->retry_after_ms : NULL,
                                  t->retry_after[0] ? t->retry_after : NULL, time(NULL),
                                  client_random(t->client));
        detach(t);
        t->retry_at = clock_now() + (double)wait / 1000.0;
        t->state = TRANSFER_WAITING_RETRY;
        return;
    }
    if (t->attempt > 1)
        set_message(t, "gave up after %d attempts; the last one: %s", t->attempt, problem);
    else
        set_message(t, "%s", problem);
    finish(t, outcome);
}

static int header_int(const char *v)
{
    long n = -1;
    return v[0] && num_parse_long(v, 0, 1000000, &n) == 0 ? (int)n : -1;
}

#define FREE_RETRIES_MAX 50   /* a server that answers 429 forever still ends */

/* Kombo's concurrency headers feed the client's adaptive cap. A 429
 * CONCURRENCY_LIMIT_EXCEEDED means nothing was done: its retry is free of charge. */
static void note_concurrency(struct transfer *t, long status, const struct answer *a)
{
    bool rejected = status == 429 && a->err.code &&
                    !strcmp(a->err.code, "PLATFORM.CONCURRENCY_LIMIT_EXCEEDED");
    if (rejected && t->free_retries < FREE_RETRIES_MAX)
        t->free_retries++;
    client_note_concurrency(t->client, t, header_int(t->conc_limit),
                            header_int(t->conc_remaining), rejected);
}

static void handle_answer(struct transfer *t)
{
    long status = 0;
    curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &status);
    struct answer *a = &t->result.answer;
    answer_free(a);
    /* Redact before anything is cut to fit a message: a key split by a cut would leave its
     * start behind. */
    if (t->resp) {
        secret_redact_n(&t->resp, &t->resp_len, client_api_key(t->client));
        t->resp_cap = t->resp_len + 1;
    }
    answer_parse(status, t->resp_ct[0] ? t->resp_ct : NULL, t->resp, t->resp_len, a);
    if (t->resp_dropped) {
        /* Only the start of a very large answer is kept: say so instead of calling the JSON
         * broken. Kombo's answers are small; this is a proxy or a misbehaving server. */
        char kept[32], all[32];
        fmt_bytes(t->resp_len, kept, sizeof kept);
        fmt_bytes(t->resp_len + t->resp_dropped, all, sizeof all);
        answer_free(a);
        a->http_status = status;
        a->problem = xasprintf("HTTP %ld with an answer of %s, far larger than Kombo's; only the "
                               "first %s were read", status, all, kept);
    }
    redact_answer(a, client_api_key(t->client));
    note_concurrency(t, status, a);
    char *sum = answer_summary(a);
    const char *s = sum ? sum : "(out of memory)";
    const char *noun = t->kind->noun;
    char problem[768];

    if (t->kind->foreign && status >= 200 && status <= 299) {
        /* Not Kombo's answer: any 2xx with its whole body is the file. */
        set_message(t, "downloaded (HTTP %ld)", status);
        if (t->kind->answered)
            t->kind->answered(t);
        if (t->state != TRANSFER_FINISHED)
            finish(t, TRANSFER_OK);
    } else if (t->kind->foreign && status >= 400 && status <= 499 &&
               !retry_status_retryable(status)) {
        set_message(t, "the server refused the %s (HTTP %ld): %s", noun, status, s);
        finish(t, TRANSFER_REJECTED);
    } else if (t->kind->foreign && status >= 300 && status <= 399) {
        char loc[400];
        escape_into(loc, sizeof loc, t->location[0] ? t->location : "(no Location)");
        set_message(t, "the %s's server redirected (HTTP %ld) to %s: not followed", noun,
                    status, loc);
        finish(t, TRANSFER_SERVER);
        t->result.retry_helps = false;
    } else if (a->ok) {
        char attempts[48] = "";
        if (t->attempt > 1)
            snprintf(attempts, sizeof attempts, " after %d attempts", t->attempt);
        const char *done = t->kind->sends_file ? "attached" : "answered";
        if (a->n_warnings)
            set_message(t, "%s (HTTP %ld)%s with %zu warning%s: %s", done, status, attempts,
                        a->n_warnings, a->n_warnings == 1 ? "" : "s", a->warnings[0]);
        else
            set_message(t, "%s (HTTP %ld)%s", done, status, attempts);
        if (t->kind->answered)
            t->kind->answered(t);
        if (t->state != TRANSFER_FINISHED)
            finish(t, TRANSFER_OK);
    } else if (status >= 200 && status <= 299 && a->problem) {
        if (t->kind->sends_file) {
            set_message(t, "%s; the file may have been attached: check before sending it again", s);
            finish(t, TRANSFER_UNKNOWN);
        } else {
            set_message(t, "%s", s);
            finish(t, TRANSFER_SERVER);
        }
    } else if (status >= 200 && status <= 299) {
        set_message(t, "Kombo refused the %s (HTTP %ld): %s", noun, status, s);
        finish(t, TRANSFER_REJECTED);
    } else if (retry_status_retryable(status)) {
        snprintf(problem, sizeof problem, "HTTP %ld: %s", status, s);
        retry_or_give_up(t, TRANSFER_SERVER, problem);
    } else if (status >= 300 && status <= 399) {
        char loc[400];
        escape_into(loc, sizeof loc, t->location[0] ? t->location : "(no Location)");
        set_message(t, "the server redirected (HTTP %ld) to %s: check --base-url", status, loc);
        finish(t, TRANSFER_SERVER);
        t->result.retry_helps = false;
    } else if (status >= 400 && status <= 499) {
        const char *hint = failmsg_hint(status, a->err.code,
                                        t->kind->sends_file ? "the candidate ID" : NULL);
        set_message(t, "Kombo refused the %s (HTTP %ld): %s%s%s", noun, status, s,
                    hint ? " — " : "", hint ? hint : "");
        finish(t, TRANSFER_REJECTED);
    } else {
        set_message(t, "HTTP %ld: %s", status, s);
        finish(t, TRANSFER_SERVER);
    }
    free(sum);
}

void transfer_done(struct transfer *t, CURLcode rc)
{
    if (t->state == TRANSFER_FINISHED) {
        detach(t); /* cancelled from inside a callback: already settled */
        return;
    }
    if (t->kind_failed) {
        set_message(t, "%s", t->kind_error[0] ? t->kind_error : "the file could not be read while sending");
        finish(t, TRANSFER_FILE);
        return;
    }
    if (rc == CURLE_OK) {
        handle_answer(t);
        return;
    }
    if (rc == CURLE_OUT_OF_MEMORY) {
        /* What libcurl 7.x says for an answer header over its 100 KiB limit (8.x says
         * CURLE_TOO_LARGE): our own allocations end the program through xalloc instead. */
        bool complete = !t->kind->sends_file || t->sent >= t->total;
        set_message(t, "the server's answer had a header too large to read (over 100 KiB): not "
                    "Kombo's answer — check --base-url and any proxy%s",
                    t->kind->sends_file && complete ? "; the whole file was sent and may have "
                    "been attached: check before sending it again" : "");
        finish(t, t->kind->sends_file && complete ? TRANSFER_UNKNOWN : TRANSFER_SERVER);
        t->result.retry_helps = false;
        return;
    }
    curl_off_t up = 0, connect_us = 0;
    long os_errno = 0;
    curl_easy_getinfo(t->easy, CURLINFO_SIZE_UPLOAD_T, &up);
    curl_easy_getinfo(t->easy, CURLINFO_CONNECT_TIME_T, &connect_us);
    curl_easy_getinfo(t->easy, CURLINFO_OS_ERRNO, &os_errno);
    char detail[CURL_ERROR_SIZE * 2];
    escape_into(detail, sizeof detail, t->errbuf[0] ? t->errbuf : curl_easy_strerror(rc));
    struct fail_facts f = {
        .curl_code = (int)rc,
        .detail = detail,
        .os_errno = os_errno,
        .sends_file = t->kind->sends_file,
        .sent = up > 0 ? (uint64_t)up : 0,
        .total = t->total,
        /* A reused connection reports no connect time: bytes sent prove it too. */
        .connected = connect_us > 0 || up > 0,
        .took_s = (long)(clock_now() - t->attempt_t0 + 0.5),
        .host = client_host(t->client),
        .cacert = client_cacert(t->client),
    };
    char problem[1536]; /* room for host + libcurl's text; cut later to the result */
    enum fail_verdict v = failmsg_network(&f, problem, sizeof problem);
    if (v == FAIL_RETRY) {
        retry_or_give_up(t, TRANSFER_NETWORK, problem);
    } else {
        set_message(t, "%s", problem);
        finish(t, v == FAIL_UNKNOWN ? TRANSFER_UNKNOWN : TRANSFER_NETWORK);
        if (v == FAIL_STOP)
            t->result.retry_helps = false; /* a certificate, a CA file, not HTTP at all */
    }
}

/* ---- the public side ------------------------------------------------------------ */

bool transfer_finished(const struct transfer *t)
{
    return !t || t->state == TRANSFER_FINISHED;
}

void transfer_get_progress(const struct transfer *t, struct transfer_progress *out)
{
    memset(out, 0, sizeof *out);
    out->eta_s = -1;
    if (!t)
        return;
    double now = clock_now();
    out->state = t->state;
    out->sent = t->sent;
    out->total = t->total;
    out->attempt = t->attempt;
    out->max_attempts = client_policy(t->client)->max_attempts;
    out->elapsed_s = t->t0 > 0 ? now - t->t0 : 0;
    out->last_problem = t->last_problem[0] ? t->last_problem : NULL;
    if (t->state == TRANSFER_WAITING_RETRY) {
        double left = t->retry_at - now;
        out->wait_ms = left > 0 ? (long)(left * 1000.0 + 0.5) : 0;
    }
    if (t->state != TRANSFER_SENDING)
        return;
    /* Bytes sent since the oldest sample inside the window, over the time since then:
     * steady enough to read, and it falls to 0 when the connection stalls. */
    const struct rate_sample *old = NULL;
    for (int i = 0; i < t->n_samples; i++) {
        const struct rate_sample *s = &t->samples[(t->head - t->n_samples + i + RATE_SLOTS) % RATE_SLOTS];
        if (now - s->t <= RATE_WINDOW_S) {
            old = s;
            break;
        }
    }
    if (old && now - old->t >= 0.2 && t->sent >= old->sent)
        out->rate = (double)(t->sent - old->sent) / (now - old->t);
    if (out->rate > 0)
        out->eta_s = (double)(t->total - t->sent) / out->rate;
}

void transfer_cancel(struct transfer *t)
{
    if (!t || t->state == TRANSFER_FINISHED)
        return;
    t->cancelled = true;
    char msg[512];
    if (t->kind->cancelled)
        t->kind->cancelled(t, msg, sizeof msg);
    else
        snprintf(msg, sizeof msg, "cancelled");
    set_message(t, "%s", msg);
    /* Removing the handle closes an unfinished connection at once: no further byte leaves
     * and the server sees a short body. Once a file's whole body is out, the server may act
     * on it whatever we do now. */
    bool out = t->kind->sends_file && (t->state == TRANSFER_WAITING_ANSWER ||
                                       (t->body_handed && t->state != TRANSFER_WAITING_RETRY));
    finish(t, out ? TRANSFER_UNKNOWN : TRANSFER_CANCELLED);
}

const struct transfer_result *transfer_get_result(const struct transfer *t)
{
    return t ? &t->result : NULL;
}

void transfer_set_data(struct transfer *t, void *data)
{
    t->user = data;
}

void *transfer_data(const struct transfer *t)
{
    return t->user;
}

void transfer_free(struct transfer *t)
{
    if (!t)
        return;
    detach(t);
    client_unlink(t->client, t);
    if (t->easy)
        curl_easy_cleanup(t->easy);
    transfer_wipe_headers(t->headers);
    if (t->kind->free)
        t->kind->free(t);
    answer_free(&t->result.answer);
    cJSON_Delete(t->result.json);
    free(t->resp);
    free(t->url);
    free(t->integration_id);
    free(t);
}
