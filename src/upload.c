/* The upload job: one libcurl easy handle driven by its own multi handle, so front ends
 * can run it from their event loop (upload_poll) without threads or sleep().
 *
 * Life of a job:  CONNECTING -> SENDING -> WAITING_ANSWER -> FINISHED
 *                        \___________________________/
 *                          retryable failure: WAITING_RETRY (a timer) -> CONNECTING ...
 * Each attempt streams the body again from byte 0 (body_rewind).
 *
 * Which failures are retried:
 *  - HTTP 429/500/502/503/504, after the wait retry_wait_ms() gives (Retry-After-Ms,
 *    Retry-After, else backoff with jitter), as Kombo's SDKs do;
 *  - connection errors where the server cannot have received the complete body: could
 *    not resolve/connect, TLS handshake failed, or the connection broke or timed out
 *    before the body's last byte left. When the whole body had been sent and the answer
 *    then never came, we do NOT retry: the server may have attached the file, and a blind
 *    retry would attach it twice. The message says so instead.
 * Anything else (4xx, certificate not trusted, bad CA file, the file changing) stops.
 *
 * Secrets: the API key lives only in the request header list and a private copy; both are
 * wiped on free. The verbose log redacts Authorization, messages never include headers,
 * and any server text echoing the key is redacted before it reaches a result. */
#include "upload.h"

#include <curl/curl.h>
#include <errno.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "body.h"
#include "exitcodes.h"
#include "retry.h"

#ifndef KA_VERSION
#define KA_VERSION "dev"
#endif

#define ANSWER_KEEP (256 * 1024)        /* answer bytes kept; the rest is counted only */
#define UPLOAD_BUFFER (512 * 1024)      /* libcurl's upload buffer: fewer, bigger writes */
#define RATE_WINDOW_S 1.5               /* rate is averaged over about this long */
#define RATE_SLOTS 32
#define DEFAULT_ATTEMPTS 4
#define MAX_ATTEMPTS 100

struct rate_sample {
    double t;
    uint64_t sent;
};

struct upload {
    /* the request, copied */
    char *url;
    char *api_key;               /* kept only to redact echoes; wiped on free */
    char *cacert;
    char host[300];              /* "host:port", for messages */
    long timeout_s, connect_timeout_s;
    struct retry_policy policy;

    struct body *body;
    uint64_t total;

    CURLM *multi;
    CURL *easy;
    struct curl_slist *headers;
    bool attached;               /* easy handle is in the multi handle */
    bool in_perform;             /* inside curl_multi_perform (callbacks may run) */
    char errbuf[CURL_ERROR_SIZE];

    /* the current attempt's answer */
    char *resp;
    size_t resp_len, resp_cap;
    uint64_t resp_dropped;
    char resp_ct[128], retry_after[128], retry_after_ms[64], location[512];

    enum upload_state state;
    int attempt;
    bool cancelled, body_failed;
    uint64_t sent;
    double t0, attempt_t0, retry_at;
    struct rate_sample samples[RATE_SLOTS];
    int n_samples, head;         /* ring: head is the next slot to write */
    uint64_t rng;
    char last_problem[512];
    struct upload_result result;
};

/* ---- small helpers ------------------------------------------------------------ */

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* splitmix64: jitter only needs to differ between clients, not to be secret. */
static double next_random(struct upload *u)
{
    uint64_t z = (u->rng += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    z ^= z >> 31;
    return (double)(z >> 11) * 0x1.0p-53;
}

/* Copy src into dst of size n, cutting on a UTF-8 character boundary. */
static void copy_cut(char *dst, size_t n, const char *src)
{
    size_t len = strlen(src);
    if (len >= n) {
        len = n - 1;
        while (len > 0 && ((unsigned char)src[len] & 0xC0) == 0x80)
            len--;
    }
    memmove(dst, src, len);
    dst[len] = '\0';
}

/* Replace every occurrence of key in the heap string *s by "<redacted>". A server
 * that echoes the key back (or a proxy's error page quoting the request) must not make
 * it appear on screen or in a log. */
static void redact_heap(char **s, const char *key)
{
    if (!*s || !key || strlen(key) < 4 || !strstr(*s, key))
        return;
    static const char mark[] = "<redacted>";
    size_t klen = strlen(key), mlen = sizeof mark - 1;
    size_t cap = strlen(*s) / klen * mlen + strlen(*s) + 1;
    char *out = malloc(cap);
    if (!out) {
        /* cannot build the redacted copy: drop the text rather than leak the key */
        (*s)[0] = '\0';
        return;
    }
    const char *p = *s, *hit;
    size_t o = 0;
    while ((hit = strstr(p, key)) != NULL) {
        memcpy(out + o, p, (size_t)(hit - p));
        o += (size_t)(hit - p);
        memcpy(out + o, mark, mlen);
        o += mlen;
        p = hit + klen;
    }
    strcpy(out + o, p);
    free(*s);
    *s = out;
}

static void redact_answer(struct answer *a, const char *key)
{
    for (size_t i = 0; i < a->n_warnings; i++)
        redact_heap(&a->warnings[i], key);
    redact_heap(&a->err.code, key);
    redact_heap(&a->err.title, key);
    redact_heap(&a->err.message, key);
    redact_heap(&a->err.log_url, key);
    redact_heap(&a->problem, key);
}

/* Escaped copy of network-derived text, as a fixed buffer for messages. */
static void escape_into(char *dst, size_t n, const char *src)
{
    char *e = answer_escape(src, strlen(src));
    copy_cut(dst, n, e ? e : "(unprintable)");
    free(e);
}

static void fmt_size(uint64_t n, char *out, size_t len)
{
    if (n < 1024)
        snprintf(out, len, "%llu B", (unsigned long long)n);
    else if (n < 1024 * 1024)
        snprintf(out, len, "%.1f KiB", (double)n / 1024.0);
    else
        snprintf(out, len, "%.1f MiB", (double)n / (1024.0 * 1024.0));
}

/* ---- validation (shared with the forms) ---------------------------------------- */

const char *upload_check_candidate_id(const char *id)
{
    if (!id || !*id)
        return "the candidate ID is empty";
    if (strcmp(id, ".") == 0 || strcmp(id, "..") == 0)
        return "the candidate ID cannot be \".\" or \"..\": the URL would address another endpoint";
    return NULL;
}

enum hv_problem { HV_EMPTY, HV_CONTROL, HV_NON_ASCII, HV_SPACE_EDGE, HV_N };

/* Static messages naming the field, so callers can keep the pointer. */
static const char *const hv_messages[3][HV_N] = {
    {"the API key is empty",
     "the API key contains a control character or line break",
     "the API key contains a non-ASCII character",
     "the API key starts or ends with a space (copied with extra characters?)"},
    {"the integration ID is empty",
     "the integration ID contains a control character or line break",
     "the integration ID contains a non-ASCII character",
     "the integration ID starts or ends with a space (copied with extra characters?)"},
    {"a header value is empty",
     "a header value contains a control character or line break",
     "a header value contains a non-ASCII character",
     "a header value starts or ends with a space"},
};

const char *upload_check_header_value(const char *what, const char *value)
{
    int kind = 2;
    if (what && (strcasecmp(what, "API key") == 0 || strcasecmp(what, "api_key") == 0))
        kind = 0;
    else if (what && (strcasecmp(what, "integration ID") == 0 ||
                      strcasecmp(what, "integration_id") == 0))
        kind = 1;
    if (!value || !*value)
        return hv_messages[kind][HV_EMPTY];
    for (const unsigned char *p = (const unsigned char *)value; *p; p++) {
        if (*p < 0x20 || *p == 0x7F)
            return hv_messages[kind][HV_CONTROL];
        if (*p >= 0x80)
            return hv_messages[kind][HV_NON_ASCII];
    }
    if (value[0] == ' ' || value[strlen(value) - 1] == ' ')
        return hv_messages[kind][HV_SPACE_EDGE];
    return NULL;
}

bool upload_id_looks_like_kombo(const char *id)
{
    static const char alphabet[] =
        "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    if (!id || strlen(id) != 24)
        return false;
    for (const char *p = id; *p; p++)
        if (!strchr(alphabet, *p))
            return false;
    return true;
}

/* Check a base URL: http(s), a host, no credentials, query or fragment (the path is
 * appended to it). Fills host with "host:port" when given. */
static const char *check_base_url(const char *base, char *host, size_t hostlen)
{
    if (!base || !*base)
        return "the base URL is empty";
    CURLU *h = curl_url();
    if (!h)
        return "out of memory";
    const char *problem = NULL;
    char *scheme = NULL, *hn = NULL, *port = NULL, *user = NULL, *pw = NULL, *q = NULL, *frag = NULL;
    if (curl_url_set(h, CURLUPART_URL, base, 0) != CURLUE_OK) {
        problem = "the base URL is not a valid URL (expected e.g. https://api.kombo.dev/v1)";
        goto out;
    }
    curl_url_get(h, CURLUPART_SCHEME, &scheme, 0);
    curl_url_get(h, CURLUPART_HOST, &hn, 0);
    curl_url_get(h, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT);
    curl_url_get(h, CURLUPART_USER, &user, 0);
    curl_url_get(h, CURLUPART_PASSWORD, &pw, 0);
    curl_url_get(h, CURLUPART_QUERY, &q, 0);
    curl_url_get(h, CURLUPART_FRAGMENT, &frag, 0);
    if (!scheme || (strcasecmp(scheme, "http") != 0 && strcasecmp(scheme, "https") != 0))
        problem = "the base URL must start with https:// (or http:// for a local mock)";
    else if (!hn || !*hn)
        problem = "the base URL has no host name";
    else if (user || pw)
        problem = "the base URL must not contain a user name or password";
    else if (q || frag)
        problem = "the base URL must not contain '?' or '#'";
    else if (host)
        snprintf(host, hostlen, "%s:%s", hn, port ? port : "?");
out:
    curl_free(scheme); curl_free(hn); curl_free(port); curl_free(user);
    curl_free(pw); curl_free(q); curl_free(frag);
    curl_url_cleanup(h);
    return problem;
}

char *upload_url(const char *base_url, const char *candidate_id, char *err, size_t errlen)
{
    const char *problem = upload_check_candidate_id(candidate_id);
    if (!problem)
        problem = check_base_url(base_url, NULL, 0);
    if (problem) {
        snprintf(err, errlen, "%s", problem);
        return NULL;
    }
    /* curl_easy_escape keeps only A-Z a-z 0-9 - . _ ~: '/', '?', '#', '%' and spaces
     * can never leave the one path segment. */
    char *esc = curl_easy_escape(NULL, candidate_id, 0);
    if (!esc) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    size_t blen = strlen(base_url);
    if (blen > 0 && base_url[blen - 1] == '/')
        blen--;
    char *url = NULL;
    if (asprintf(&url, "%.*s/ats/candidates/%s/attachments", (int)blen, base_url, esc) < 0) {
        url = NULL;
        snprintf(err, errlen, "out of memory");
    }
    curl_free(esc);
    return url;
}

int upload_exit_code(enum upload_outcome o)
{
    switch (o) {
    case UPLOAD_OK: return KA_EXIT_OK;
    case UPLOAD_REJECTED: return KA_EXIT_API;
    case UPLOAD_SERVER: return KA_EXIT_SERVER;
    case UPLOAD_NETWORK: return KA_EXIT_SERVER;
    case UPLOAD_FILE: return KA_EXIT_FILE;
    case UPLOAD_CANCELLED: return KA_EXIT_CANCELLED;
    case UPLOAD_INTERNAL: return KA_EXIT_INTERNAL;
    }
    return KA_EXIT_INTERNAL;
}

/* ---- libcurl callbacks: they only record numbers and bytes ---------------------- */

static size_t read_cb(char *buf, size_t size, size_t nitems, void *userp)
{
    struct upload *u = userp;
    if (u->cancelled)
        return CURL_READFUNC_ABORT;
    size_t n = body_read(u->body, buf, size * nitems);
    if (n == BODY_READ_ERROR) {
        u->body_failed = true;
        return CURL_READFUNC_ABORT;
    }
    return n;
}

/* libcurl rewinds on its own when it must send the body again on the same attempt
 * (e.g. a reused connection that turned out dead). Only "back to 0" makes sense. */
static int seek_cb(void *userp, curl_off_t offset, int origin)
{
    struct upload *u = userp;
    if (origin != SEEK_SET || offset != 0)
        return CURL_SEEKFUNC_CANTSEEK;
    if (body_rewind(u->body) != 0) {
        u->body_failed = true;
        return CURL_SEEKFUNC_FAIL;
    }
    u->sent = 0;
    return CURL_SEEKFUNC_OK;
}

static size_t write_cb(char *data, size_t size, size_t nmemb, void *userp)
{
    struct upload *u = userp;
    size_t len = size * nmemb;
    size_t keep = u->resp_len < ANSWER_KEEP ? ANSWER_KEEP - u->resp_len : 0;
    if (keep > len)
        keep = len;
    if (keep > 0) {
        if (u->resp_len + keep + 1 > u->resp_cap) {
            size_t cap = u->resp_cap ? u->resp_cap : 4096;
            while (cap < u->resp_len + keep + 1)
                cap *= 2;
            char *nb = realloc(u->resp, cap);
            if (!nb)
                return 0; /* libcurl turns this into CURLE_WRITE_ERROR */
            u->resp = nb;
            u->resp_cap = cap;
        }
        memcpy(u->resp + u->resp_len, data, keep);
        u->resp_len += keep;
        u->resp[u->resp_len] = '\0';
    }
    u->resp_dropped += len - keep;
    return len;
}

/* Remember the few answer headers we act on; a new status line (e.g. after
 * "100 Continue") starts over. */
static size_t header_cb(char *buf, size_t size, size_t nitems, void *userp)
{
    struct upload *u = userp;
    size_t len = size * nitems;
    if (len >= 5 && strncmp(buf, "HTTP/", 5) == 0) {
        u->resp_ct[0] = u->retry_after[0] = u->retry_after_ms[0] = u->location[0] = '\0';
        return len;
    }
    static const struct { const char *name; size_t off, cap; } want[] = {
        {"content-type", offsetof(struct upload, resp_ct), sizeof ((struct upload *)0)->resp_ct},
        {"retry-after", offsetof(struct upload, retry_after), sizeof ((struct upload *)0)->retry_after},
        {"retry-after-ms", offsetof(struct upload, retry_after_ms),
         sizeof ((struct upload *)0)->retry_after_ms},
        {"location", offsetof(struct upload, location), sizeof ((struct upload *)0)->location},
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
            char *dst = (char *)u + want[i].off;
            size_t n = (size_t)(end - v);
            if (n >= want[i].cap)
                n = want[i].cap - 1;
            memcpy(dst, v, n);
            dst[n] = '\0';
        }
    }
    return len;
}

static void add_sample(struct upload *u, double t)
{
    if (u->n_samples > 0) {
        int last = (u->head + RATE_SLOTS - 1) % RATE_SLOTS;
        if (t - u->samples[last].t < 0.1)
            return; /* ~10 samples a second are plenty */
    }
    u->samples[u->head] = (struct rate_sample){t, u->sent};
    u->head = (u->head + 1) % RATE_SLOTS;
    if (u->n_samples < RATE_SLOTS)
        u->n_samples++;
}

static int xferinfo_cb(void *userp, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
                       curl_off_t ulnow)
{
    (void)dltotal; (void)dlnow; (void)ultotal;
    struct upload *u = userp;
    if (u->cancelled)
        return 1;
    u->sent = ulnow > 0 ? (uint64_t)ulnow : 0;
    if (u->state == UPLOAD_CONNECTING && u->sent > 0)
        u->state = UPLOAD_SENDING;
    if (u->state == UPLOAD_SENDING && u->sent >= u->total)
        u->state = UPLOAD_WAITING_ANSWER;
    add_sample(u, now_s());
    return 0;
}

/* Verbose log: libcurl's own notes and the headers both ways, never body bytes, with
 * the Authorization value replaced. Everything is escaped (answer headers are the
 * server's text). */
static void debug_lines(const struct upload *u, const char *prefix, const char *data, size_t size)
{
    const char *p = data, *end = data + size;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        const char *te = le;
        if (te > p && te[-1] == '\r')
            te--;
        if (te > p) {
            size_t n = (size_t)(te - p);
            if (n >= 14 && strncasecmp(p, "authorization:", 14) == 0) {
                fprintf(stderr, "%sAuthorization: Bearer <redacted>\n", prefix);
            } else if (n >= 20 && strncasecmp(p, "proxy-authorization:", 20) == 0) {
                fprintf(stderr, "%sProxy-Authorization: <redacted>\n", prefix);
            } else {
                char *e = answer_escape(p, n);
                redact_heap(&e, u->api_key); /* e.g. a server echoing the key in a header */
                fprintf(stderr, "%s%s\n", prefix, e ? e : "");
                free(e);
            }
        }
        p = nl ? nl + 1 : end;
    }
}

static int debug_cb(CURL *h, curl_infotype type, char *data, size_t size, void *userp)
{
    (void)h;
    struct upload *u = userp;
    switch (type) {
    case CURLINFO_TEXT: {
        char *e = answer_escape(data, size);
        if (e) {
            /* libcurl 7.x logs HTTP/2 request headers as text ("h2h3 [authorization: ...]") */
            redact_heap(&e, u->api_key);
            /* libcurl's notes end with "\n", which the escape turned into "\\n" */
            size_t n = strlen(e);
            if (n >= 2 && strcmp(e + n - 2, "\\n") == 0)
                e[n - 2] = '\0';
            fprintf(stderr, "* %s\n", e);
        }
        free(e);
        break;
    }
    case CURLINFO_HEADER_OUT:
        debug_lines(u, "> ", data, size);
        break;
    case CURLINFO_HEADER_IN:
        debug_lines(u, "< ", data, size);
        break;
    default:
        break; /* body and TLS bytes: never logged */
    }
    return 0;
}

/* Add the user's CA bundle to the store libcurl already filled with the system's
 * (libcurl calls this after processing its own CA options), so a private CA is trusted
 * in addition to, not instead of, the default ones. */
static CURLcode ssl_ctx_cb(CURL *curl, void *ssl_ctx, void *userp)
{
    (void)curl;
    struct upload *u = userp;
    X509_STORE *store = SSL_CTX_get_cert_store((SSL_CTX *)ssl_ctx);
    if (!store || X509_STORE_load_file(store, u->cacert) != 1) {
        ERR_clear_error();
        return CURLE_SSL_CACERT_BADFILE;
    }
    return CURLE_OK;
}

/* ---- the job ------------------------------------------------------------------- */

static void set_message(struct upload *u, const char *f, ...) __attribute__((format(printf, 2, 3)));
static void set_message(struct upload *u, const char *f, ...)
{
    char tmp[1024];
    va_list ap;
    va_start(ap, f);
    vsnprintf(tmp, sizeof tmp, f, ap);
    va_end(ap);
    char *s = strdup(tmp);
    if (s) {
        redact_heap(&s, u->api_key);
        copy_cut(u->result.message, sizeof u->result.message, s);
        free(s);
    } else {
        copy_cut(u->result.message, sizeof u->result.message, tmp);
    }
}

static void finish(struct upload *u, enum upload_outcome o)
{
    u->state = UPLOAD_FINISHED;
    u->result.outcome = o;
    u->result.attempts = u->attempt;
}

static void detach(struct upload *u)
{
    if (u->attached) {
        curl_multi_remove_handle(u->multi, u->easy);
        u->attached = false;
    }
}

static void start_attempt(struct upload *u)
{
    u->attempt++;
    u->state = UPLOAD_CONNECTING;
    u->sent = 0;
    u->n_samples = u->head = 0;
    u->resp_len = 0;
    u->resp_dropped = 0;
    u->resp_ct[0] = u->retry_after[0] = u->retry_after_ms[0] = u->location[0] = '\0';
    u->errbuf[0] = '\0';
    u->body_failed = false;
    answer_free(&u->result.answer); /* the result's answer is always the last attempt's */
    u->attempt_t0 = now_s();
    if (u->attempt > 1 && body_rewind(u->body) != 0) {
        set_message(u, "%s", body_error(u->body));
        finish(u, UPLOAD_FILE);
        return;
    }
    if (curl_multi_add_handle(u->multi, u->easy) != CURLM_OK) {
        set_message(u, "internal error: could not start the transfer");
        finish(u, UPLOAD_INTERNAL);
        return;
    }
    u->attached = true;
}

/* Either schedule another attempt (problem becomes last_problem) or finish with outcome,
 * saying how many attempts were made. */
static void retry_or_give_up(struct upload *u, enum upload_outcome outcome, const char *problem)
{
    copy_cut(u->last_problem, sizeof u->last_problem, problem);
    if (u->attempt < u->policy.max_attempts) {
        long wait = retry_wait_ms(&u->policy, u->attempt,
                                  u->retry_after_ms[0] ? u->retry_after_ms : NULL,
                                  u->retry_after[0] ? u->retry_after : NULL, time(NULL),
                                  next_random(u));
        u->retry_at = now_s() + (double)wait / 1000.0;
        u->state = UPLOAD_WAITING_RETRY;
        return;
    }
    if (u->attempt > 1)
        set_message(u, "gave up after %d attempts; the last one: %s", u->attempt, problem);
    else
        set_message(u, "%s", problem);
    finish(u, outcome);
}

static const char *hint_for_status(long status, const struct answer *a)
{
    const char *code = a->err.code ? a->err.code : "";
    if (status == 401 || strstr(code, "AUTHENTICATION_INVALID"))
        return " (check the API key; EU keys do not work on the US server and the other way round)";
    if (strstr(code, "INTEGRATION_NOT_FOUND"))
        return " (check the integration ID)";
    if (status == 404)
        return " (check the candidate ID, the integration ID and the base URL)";
    if (status == 413)
        return " (the file is too large for the server)";
    return "";
}

static void handle_answer(struct upload *u)
{
    long status = 0;
    curl_easy_getinfo(u->easy, CURLINFO_RESPONSE_CODE, &status);
    answer_free(&u->result.answer);
    answer_parse(status, u->resp_ct[0] ? u->resp_ct : NULL, u->resp, u->resp_len, &u->result.answer);
    struct answer *a = &u->result.answer;
    if (u->resp_dropped) {
        /* Only the start of a very large answer is kept: say so instead of calling the JSON
         * broken. Kombo's answers are small; this is a proxy or a misbehaving server. */
        char kept[32], all[32];
        fmt_size(u->resp_len, kept, sizeof kept);
        fmt_size(u->resp_len + u->resp_dropped, all, sizeof all);
        answer_free(a);
        a->http_status = status;
        a->problem = NULL;
        if (asprintf(&a->problem, "HTTP %ld with an answer of %s, far larger than Kombo's; only "
                     "the first %s were read", status, all, kept) < 0)
            a->problem = NULL;
    }
    redact_answer(a, u->api_key);
    char *sum = answer_summary(a);
    const char *s = sum ? sum : "(out of memory)";
    char problem[768];

    if (a->ok) {
        char attempts[48] = "";
        if (u->attempt > 1)
            snprintf(attempts, sizeof attempts, " after %d attempts", u->attempt);
        if (a->n_warnings)
            set_message(u, "attached (HTTP %ld)%s with %zu warning%s: %s", status, attempts,
                        a->n_warnings, a->n_warnings == 1 ? "" : "s", a->warnings[0]);
        else
            set_message(u, "attached (HTTP %ld)%s", status, attempts);
        finish(u, UPLOAD_OK);
    } else if (status >= 200 && status <= 299 && a->problem) {
        set_message(u, "%s; the file may have been attached: check before sending it again", s);
        finish(u, UPLOAD_SERVER);
    } else if (status >= 200 && status <= 299) {
        set_message(u, "Kombo refused the upload (HTTP %ld): %s", status, s);
        finish(u, UPLOAD_REJECTED);
    } else if (retry_status_retryable(status)) {
        snprintf(problem, sizeof problem, "HTTP %ld: %s", status, s);
        retry_or_give_up(u, UPLOAD_SERVER, problem);
    } else if (status >= 300 && status <= 399) {
        char loc[400];
        escape_into(loc, sizeof loc, u->location[0] ? u->location : "(no Location)");
        set_message(u, "the server redirected (HTTP %ld) to %s: check --base-url", status, loc);
        finish(u, UPLOAD_SERVER);
    } else if (status >= 400 && status <= 499) {
        set_message(u, "Kombo refused the upload (HTTP %ld): %s%s", status, s, hint_for_status(status, a));
        finish(u, UPLOAD_REJECTED);
    } else {
        set_message(u, "HTTP %ld: %s", status, s);
        finish(u, UPLOAD_SERVER);
    }
    free(sum);
}

/* A clear one-line description of a transfer error. *retryable says whether another
 * attempt is safe (see the top of the file). */
static void describe_error(struct upload *u, CURLcode rc, char *out, size_t outlen, bool *retryable)
{
    curl_off_t up = 0, connect_us = 0;
    long os_errno = 0;
    curl_easy_getinfo(u->easy, CURLINFO_SIZE_UPLOAD_T, &up);
    curl_easy_getinfo(u->easy, CURLINFO_CONNECT_TIME_T, &connect_us);
    curl_easy_getinfo(u->easy, CURLINFO_OS_ERRNO, &os_errno);
    bool complete = up >= 0 && (uint64_t)up >= u->total;
    char detail[CURL_ERROR_SIZE * 2];
    escape_into(detail, sizeof detail, u->errbuf[0] ? u->errbuf : curl_easy_strerror(rc));
    char sent[32], total[32];
    fmt_size(up > 0 ? (uint64_t)up : 0, sent, sizeof sent);
    fmt_size(u->total, total, sizeof total);
    long took = (long)(now_s() - u->attempt_t0 + 0.5);
    const char *unanswered = "; the server received the whole file and may have attached it: "
                             "check before sending it again";
    *retryable = false;

    switch (rc) {
    case CURLE_COULDNT_CONNECT:
        snprintf(out, outlen, "could not connect to %s: %s; is the server up? check --base-url",
                 u->host, os_errno ? strerror((int)os_errno) : detail);
        *retryable = true;
        break;
    case CURLE_COULDNT_RESOLVE_HOST:
        snprintf(out, outlen, "could not resolve the host of %s; check --base-url (or --server) "
                 "and the network", u->host);
        *retryable = true;
        break;
    case CURLE_COULDNT_RESOLVE_PROXY:
        snprintf(out, outlen, "could not resolve the proxy (%s); check https_proxy", detail);
        *retryable = true;
        break;
    case CURLE_OPERATION_TIMEDOUT:
        if (connect_us == 0)
            snprintf(out, outlen, "timed out after %ld s connecting to %s (--connect-timeout)",
                     took, u->host);
        else if (!complete)
            snprintf(out, outlen, "timed out after %ld s while sending (%s of %s sent) (--timeout)",
                     took, sent, total);
        else
            snprintf(out, outlen, "timed out after %ld s waiting for the server (--timeout)%s",
                     took, unanswered);
        *retryable = !complete;
        break;
    case CURLE_PEER_FAILED_VERIFICATION:
        /* A certificate for another name is not fixed by trusting more CAs. */
        if (strstr(detail, "subject name") || strstr(detail, "host name"))
            snprintf(out, outlen, "TLS certificate of %s is for another host name (%s); check "
                     "--base-url: the address must match the certificate", u->host, detail);
        else
            snprintf(out, outlen, "TLS certificate of %s not trusted (%s); if the server uses a "
                     "private CA, use --cacert FILE", u->host, detail);
        break;
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
        snprintf(out, outlen, "could not load the CA bundle %s (--cacert): %s",
                 u->cacert ? u->cacert : "(default)", detail);
        break;
    case CURLE_SSL_CONNECT_ERROR:
        snprintf(out, outlen, "TLS handshake with %s failed: %s", u->host, detail);
        *retryable = true;
        break;
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
        if (!complete)
            snprintf(out, outlen, "connection lost while sending (%s of %s sent): %s", sent, total,
                     detail);
        else
            snprintf(out, outlen, "connection lost while waiting for the answer: %s%s", detail,
                     unanswered);
        *retryable = !complete;
        break;
    case CURLE_GOT_NOTHING:
        snprintf(out, outlen, "the server closed the connection without answering (%s of %s sent)%s",
                 sent, total, complete ? unanswered : "");
        *retryable = !complete;
        break;
    case CURLE_PARTIAL_FILE:
        snprintf(out, outlen, "the answer was cut off: %s%s", detail, unanswered);
        break;
    case CURLE_WEIRD_SERVER_REPLY:
    case CURLE_UNSUPPORTED_PROTOCOL:
        snprintf(out, outlen, "the server at %s did not answer in HTTP (%s); check --base-url "
                 "(http or https?)", u->host, detail);
        break;
    default:
        snprintf(out, outlen, "network error talking to %s: %s (curl error %d)", u->host, detail,
                 (int)rc);
        break;
    }
}

static void handle_done(struct upload *u, CURLcode rc)
{
    detach(u);
    if (u->state == UPLOAD_FINISHED)
        return; /* cancelled from inside a callback: already settled */
    if (u->body_failed) {
        set_message(u, "%s", *body_error(u->body) ? body_error(u->body)
                                                 : "the file could not be read while sending");
        finish(u, UPLOAD_FILE);
        return;
    }
    if (rc == CURLE_OK) {
        handle_answer(u);
        return;
    }
    if (rc == CURLE_OUT_OF_MEMORY) {
        set_message(u, "out of memory while sending");
        finish(u, UPLOAD_INTERNAL);
        return;
    }
    char problem[1536]; /* room for host + libcurl's text; cut later to the result */
    bool retryable;
    describe_error(u, rc, problem, sizeof problem, &retryable);
    if (retryable) {
        retry_or_give_up(u, UPLOAD_NETWORK, problem);
    } else {
        set_message(u, "%s", problem);
        finish(u, UPLOAD_NETWORK);
    }
}

static void perform(struct upload *u)
{
    int running = 0;
    u->in_perform = true;
    curl_multi_perform(u->multi, &running);
    u->in_perform = false;
    CURLMsg *m;
    int left;
    while ((m = curl_multi_info_read(u->multi, &left)) != NULL) {
        if (m->msg == CURLMSG_DONE && m->easy_handle == u->easy)
            handle_done(u, m->data.result);
    }
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

static bool add_header(struct curl_slist **list, const char *f, const char *v)
{
    char *line = NULL;
    if (asprintf(&line, f, v) < 0)
        return false;
    struct curl_slist *n = curl_slist_append(*list, line);
    explicit_bzero(line, strlen(line));
    free(line);
    if (!n)
        return false;
    *list = n;
    return true;
}

static void wipe_headers(struct curl_slist *h)
{
    for (struct curl_slist *p = h; p; p = p->next)
        explicit_bzero(p->data, strlen(p->data));
    curl_slist_free_all(h);
}

static bool setup_easy(struct upload *u, const struct upload_request *req)
{
    if (!add_header(&u->headers, "Authorization: Bearer %s", req->api_key) ||
        !add_header(&u->headers, "X-Integration-Id: %s", req->integration_id) ||
        !add_header(&u->headers, "%s", "Content-Type: application/json") ||
        !add_header(&u->headers, "%s", "Accept: application/json"))
        return false;
    CURL *e = u->easy;
    bool ok = true;
#define SET(opt, val) ok = ok && curl_easy_setopt(e, opt, val) == CURLE_OK
    SET(CURLOPT_URL, u->url);
    SET(CURLOPT_PROTOCOLS_STR, "http,https");
    SET(CURLOPT_HTTPHEADER, u->headers);
    SET(CURLOPT_USERAGENT, "kombo-attach/" KA_VERSION);
    SET(CURLOPT_POST, 1L);
    SET(CURLOPT_READFUNCTION, read_cb);
    SET(CURLOPT_READDATA, u);
    SET(CURLOPT_SEEKFUNCTION, seek_cb);
    SET(CURLOPT_SEEKDATA, u);
    SET(CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)u->total);
    SET(CURLOPT_UPLOAD_BUFFERSIZE, (long)UPLOAD_BUFFER);
    SET(CURLOPT_WRITEFUNCTION, write_cb);
    SET(CURLOPT_WRITEDATA, u);
    SET(CURLOPT_HEADERFUNCTION, header_cb);
    SET(CURLOPT_HEADERDATA, u);
    SET(CURLOPT_NOPROGRESS, 0L);
    SET(CURLOPT_XFERINFOFUNCTION, xferinfo_cb);
    SET(CURLOPT_XFERINFODATA, u);
    SET(CURLOPT_ERRORBUFFER, u->errbuf);
    SET(CURLOPT_NOSIGNAL, 1L);
    SET(CURLOPT_SSL_VERIFYPEER, 1L);
    SET(CURLOPT_SSL_VERIFYHOST, 2L);
    SET(CURLOPT_TCP_KEEPALIVE, 1L); /* the answer can take minutes; keep NATs from dropping us */
    SET(CURLOPT_FOLLOWLOCATION, 0L); /* a POST with the file must not wander off */
    if (u->timeout_s > 0)
        SET(CURLOPT_TIMEOUT, u->timeout_s);
    if (u->connect_timeout_s > 0)
        SET(CURLOPT_CONNECTTIMEOUT, u->connect_timeout_s);
    if (u->cacert) {
        SET(CURLOPT_SSL_CTX_FUNCTION, ssl_ctx_cb);
        SET(CURLOPT_SSL_CTX_DATA, u);
    }
    if (req->verbose) {
        SET(CURLOPT_VERBOSE, 1L);
        SET(CURLOPT_DEBUGFUNCTION, debug_cb);
        SET(CURLOPT_DEBUGDATA, u);
    }
#undef SET
    return ok;
}

static struct upload *refuse(struct upload *u, int *code, int c, char *err, size_t errlen,
                             const char *msg)
{
    if (code)
        *code = c;
    snprintf(err, errlen, "%s", msg);
    upload_free(u);
    return NULL;
}

struct upload *upload_start(const struct upload_request *req, int *code, char *err, size_t errlen)
{
    char buf[600];
    const char *p;
    if (!req || !req->att)
        return refuse(NULL, code, KA_EXIT_INTERNAL, err, errlen, "internal error: no request");
    if ((p = upload_check_candidate_id(req->candidate_id)) ||
        (p = upload_check_header_value("API key", req->api_key)) ||
        (p = upload_check_header_value("integration ID", req->integration_id)))
        return refuse(NULL, code, KA_EXIT_USAGE, err, errlen, p);
    if (!global_ready())
        return refuse(NULL, code, KA_EXIT_INTERNAL, err, errlen, "could not initialise libcurl");

    struct upload *u = calloc(1, sizeof *u);
    if (!u)
        return refuse(NULL, code, KA_EXIT_INTERNAL, err, errlen, "out of memory");
    if ((p = check_base_url(req->base_url, u->host, sizeof u->host)))
        return refuse(u, code, KA_EXIT_USAGE, err, errlen, p);
    if (req->cacert && (p = check_cacert(req->cacert, buf, sizeof buf)))
        return refuse(u, code, KA_EXIT_USAGE, err, errlen, p);
    u->url = upload_url(req->base_url, req->candidate_id, buf, sizeof buf);
    if (!u->url)
        return refuse(u, code, KA_EXIT_USAGE, err, errlen, buf);
    u->api_key = strdup(req->api_key);
    u->cacert = req->cacert ? strdup(req->cacert) : NULL;
    if (!u->api_key || (req->cacert && !u->cacert))
        return refuse(u, code, KA_EXIT_INTERNAL, err, errlen, "out of memory");
    u->timeout_s = req->timeout_s > 0 ? req->timeout_s : 0;
    u->connect_timeout_s = req->connect_timeout_s > 0 ? req->connect_timeout_s : 0;
    retry_policy_default(&u->policy);
    u->policy.max_attempts = req->max_attempts <= 0 ? DEFAULT_ATTEMPTS
                           : req->max_attempts > MAX_ATTEMPTS ? MAX_ATTEMPTS : req->max_attempts;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    u->rng = (uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 20) ^ ((uint64_t)getpid() << 40) ^
             (uint64_t)(uintptr_t)u;

    int c = KA_EXIT_FILE;
    u->body = body_open(req->att, req->remote_fields, &c, buf, sizeof buf);
    if (!u->body)
        return refuse(u, code, c, err, errlen, buf);
    u->total = body_length(u->body);
    if (req->want_sha256 && body_want_sha256(u->body) != 0)
        return refuse(u, code, KA_EXIT_INTERNAL, err, errlen, "could not set up SHA-256");

    u->multi = curl_multi_init();
    u->easy = curl_easy_init();
    if (!u->multi || !u->easy || !setup_easy(u, req))
        return refuse(u, code, KA_EXIT_INTERNAL, err, errlen, "could not set up libcurl");

    u->t0 = now_s();
    start_attempt(u);
    if (u->state == UPLOAD_FINISHED)
        return refuse(u, code, upload_exit_code(u->result.outcome), err, errlen, u->result.message);
    if (code)
        *code = KA_EXIT_OK;
    return u;
}

int upload_poll(struct upload *u, int timeout_ms, int extra_fd, bool *extra_ready)
{
    if (extra_ready)
        *extra_ready = false;
    if (!u || u->state == UPLOAD_FINISHED)
        return 0;
    if (timeout_ms < 0)
        timeout_ms = 0;
    struct curl_waitfd wfd = {.fd = extra_fd, .events = CURL_WAIT_POLLIN, .revents = 0};
    unsigned nfds = extra_fd >= 0 ? 1 : 0;

    if (u->state == UPLOAD_WAITING_RETRY) {
        double left = u->retry_at - now_s();
        if (left > 0) {
            int ms = (int)(left * 1000.0 + 0.999);
            if (ms > timeout_ms)
                ms = timeout_ms;
            /* No transfer is in the multi handle: this only waits on extra_fd. */
            curl_multi_poll(u->multi, nfds ? &wfd : NULL, nfds, ms, NULL);
        }
        if (extra_ready && nfds && (wfd.revents & CURL_WAIT_POLLIN))
            *extra_ready = true;
        if (now_s() >= u->retry_at)
            start_attempt(u);
        return u->state != UPLOAD_FINISHED;
    }

    perform(u);
    if (u->state == UPLOAD_FINISHED || u->state == UPLOAD_WAITING_RETRY)
        return u->state != UPLOAD_FINISHED;
    curl_multi_poll(u->multi, nfds ? &wfd : NULL, nfds, timeout_ms, NULL);
    if (extra_ready && nfds && (wfd.revents & CURL_WAIT_POLLIN))
        *extra_ready = true;
    perform(u);
    return u->state != UPLOAD_FINISHED;
}

void upload_get_progress(const struct upload *u, struct upload_progress *out)
{
    memset(out, 0, sizeof *out);
    out->eta_s = -1;
    if (!u)
        return;
    double t = now_s();
    out->state = u->state;
    out->sent = u->sent;
    out->total = u->total;
    out->attempt = u->attempt;
    out->max_attempts = u->policy.max_attempts;
    out->elapsed_s = t - u->t0;
    out->last_problem = u->last_problem[0] ? u->last_problem : NULL;
    if (u->state == UPLOAD_WAITING_RETRY) {
        double left = u->retry_at - t;
        out->wait_ms = left > 0 ? (long)(left * 1000.0 + 0.5) : 0;
    }
    if (u->state != UPLOAD_SENDING)
        return;
    /* Bytes sent since the oldest sample inside the window, over the time since then:
     * steady enough to read, and it falls to 0 when the connection stalls. */
    const struct rate_sample *old = NULL;
    for (int i = 0; i < u->n_samples; i++) {
        const struct rate_sample *s = &u->samples[(u->head - u->n_samples + i + RATE_SLOTS) % RATE_SLOTS];
        if (t - s->t <= RATE_WINDOW_S) {
            old = s;
            break;
        }
    }
    if (old && t - old->t >= 0.2 && u->sent >= old->sent)
        out->rate = (double)(u->sent - old->sent) / (t - old->t);
    if (out->rate > 0)
        out->eta_s = (double)(u->total - u->sent) / out->rate;
}

void upload_cancel(struct upload *u)
{
    if (!u || u->state == UPLOAD_FINISHED)
        return;
    u->cancelled = true;
    /* Removing the handle closes an unfinished connection at once: no further byte
     * leaves and the server sees a short body. From inside a callback we cannot remove
     * it; the callbacks then abort the transfer and handle_done cleans up. */
    if (!u->in_perform)
        detach(u);
    char sent[32], total[32];
    fmt_size(u->sent, sent, sizeof sent);
    fmt_size(u->total, total, sizeof total);
    if (u->state == UPLOAD_WAITING_RETRY)
        set_message(u, "cancelled while waiting to retry (after %d attempt%s)", u->attempt,
                    u->attempt == 1 ? "" : "s");
    else if (u->state == UPLOAD_WAITING_ANSWER)
        set_message(u, "cancelled while waiting for the answer; the whole file was sent and "
                    "may have been attached");
    else
        set_message(u, "cancelled after sending %s of %s (attempt %d); the server did not get "
                    "the whole file", sent, total, u->attempt);
    finish(u, UPLOAD_CANCELLED);
}

const struct upload_result *upload_get_result(const struct upload *u)
{
    return u ? &u->result : NULL;
}

void upload_free(struct upload *u)
{
    if (!u)
        return;
    if (u->multi && u->easy)
        detach(u);
    if (u->easy)
        curl_easy_cleanup(u->easy);
    if (u->multi)
        curl_multi_cleanup(u->multi);
    wipe_headers(u->headers);
    if (u->api_key) {
        explicit_bzero(u->api_key, strlen(u->api_key));
        free(u->api_key);
    }
    if (u->body)
        body_close(u->body);
    answer_free(&u->result.answer);
    free(u->resp);
    free(u->url);
    free(u->cacert);
    free(u);
}

bool upload_sha256_hex(const struct upload *u, char out[65])
{
    return u->body && body_sha256_hex(u->body, out);
}

const char *upload_outcome_name(enum upload_outcome o)
{
    switch (o) {
    case UPLOAD_OK: return "ok";
    case UPLOAD_REJECTED: return "rejected";
    case UPLOAD_SERVER: return "server";
    case UPLOAD_NETWORK: return "network";
    case UPLOAD_FILE: return "file";
    case UPLOAD_CANCELLED: return "cancelled";
    case UPLOAD_INTERNAL: return "internal";
    }
    return "internal";
}
