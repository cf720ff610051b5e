/* Injected faults: one pending fault per mock, set by mock_inject or POST /__mock/fault,
 * handed to the next `count` requests it targets (see mock.h) and answered in place of
 * the real answer. A fault hits a request whatever it holds, before any check, as a proxy
 * in front of Kombo would. */
#include "mock_priv.h"

#include "numparse.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const enum mock_fault_kind all_kinds[] = {
    MOCK_FAULT_NONE, MOCK_FAULT_STATUS, MOCK_FAULT_STALL, MOCK_FAULT_DROP, MOCK_FAULT_HTML,
    MOCK_FAULT_BAD_JSON, MOCK_FAULT_EMPTY, MOCK_FAULT_HUGE, MOCK_FAULT_SLOW
};

const char *mock_fault_name(enum mock_fault_kind k)
{
    switch (k) {
    case MOCK_FAULT_STATUS: return "status";
    case MOCK_FAULT_STALL: return "stall";
    case MOCK_FAULT_DROP: return "drop";
    case MOCK_FAULT_HTML: return "html";
    case MOCK_FAULT_BAD_JSON: return "bad_json";
    case MOCK_FAULT_EMPTY: return "empty";
    case MOCK_FAULT_HUGE: return "huge";
    case MOCK_FAULT_SLOW: return "slow";
    case MOCK_FAULT_NONE: break;
    }
    return "none";
}

static int parse_kind(const char *s, enum mock_fault_kind *out)
{
    for (size_t i = 0; s && i < sizeof all_kinds / sizeof all_kinds[0]; i++)
        if (strcasecmp(s, mock_fault_name(all_kinds[i])) == 0) {
            *out = all_kinds[i];
            return 0;
        }
    return -1;
}

void mock_fault_clear(struct mock_fault_state *f)
{
    free(f->retry_after);
    free(f->retry_after_ms);
    free(f->code);
    free(f->message);
    free(f->path);
    free(f->method);
    memset(f, 0, sizeof *f);
}

static void assign(struct mock_fault_state *d, const struct mock_fault *f)
{
    mock_fault_clear(d);
    d->kind = f->kind;
    d->count = f->count;
    d->status = f->status;
    d->retry_after = mock_dup_opt(f->retry_after);
    d->retry_after_ms = mock_dup_opt(f->retry_after_ms);
    d->rate = f->rate;
    d->code = mock_dup_opt(f->code);
    d->message = mock_dup_opt(f->message);
    d->path = mock_dup_opt(f->path);
    d->method = mock_dup_opt(f->method);
}

/* Injecting and taking then share one copy routine, so no field can be forgotten in one. */
static struct mock_fault view(const struct mock_fault_state *s)
{
    return (struct mock_fault){
        .kind = s->kind, .count = s->count, .status = s->status, .retry_after = s->retry_after,
        .retry_after_ms = s->retry_after_ms, .rate = s->rate, .code = s->code,
        .message = s->message, .path = s->path, .method = s->method,
    };
}

void mock_inject(struct mock *m, const struct mock_fault *f)
{
    pthread_mutex_lock(&m->mu);
    mock_fault_clear(&m->fault);
    if (f && f->kind != MOCK_FAULT_NONE && f->count != 0)
        assign(&m->fault, f);
    pthread_mutex_unlock(&m->mu);
}

/* raw is "/v1/..."; a prefix counts only where a segment ends, so path=/ats/cand never
 * hits /ats/candidates by accident. */
static bool path_has_prefix(const char *raw, const char *prefix)
{
    const char *p = raw + 3;                    /* "/..." after "/v1" */
    size_t n = strlen(prefix), len = strcspn(p, "?#");
    if (n > len || strncmp(p, prefix, n) != 0)
        return false;
    return n == len || (n > 0 && prefix[n - 1] == '/') || p[n] == '/';
}

static bool targets(const struct mock_fault_state *f, const struct req *r)
{
    if (f->kind == MOCK_FAULT_NONE || f->count == 0)
        return false;
    if (!f->path && !f->method)
        return r->route == R_UPLOAD;    /* what faults hit before they had targets */
    if (r->control || !r->raw || strncmp(r->raw, "/v1/", 4) != 0)
        return false;
    if (f->method && strcasecmp(f->method, r->method) != 0)
        return false;
    return !f->path || path_has_prefix(r->raw, f->path);
}

void mock_fault_take(struct mock *m, struct req *r)
{
    if (!targets(&m->fault, r))
        return;
    struct mock_fault one = view(&m->fault);
    assign(&r->fault, &one);
    if (m->fault.count > 0 && --m->fault.count == 0)
        mock_fault_clear(&m->fault);
    /* A slow request is otherwise an ordinary one: only its reading is throttled. */
    if (r->fault.kind == MOCK_FAULT_SLOW) {
        r->slow_rate = r->fault.rate ? r->fault.rate : MOCK_SLOW_DEFAULT_RATE;
        r->fault.kind = MOCK_FAULT_NONE;
    }
}

/* The code Kombo uses for an HTTP status, for injected STATUS faults. */
static const char *code_for_status(int status)
{
    switch (status) {
    case 400: case 404: case 413: case 422: return "PLATFORM.INPUT_INVALID";
    case 401: return "PLATFORM.AUTHENTICATION_INVALID";
    case 403: return "INTEGRATION.PERMISSION_MISSING";
    case 409: return "ATS.APPLICATION_ALREADY_EXISTS";
    case 429: return "PLATFORM.RATE_LIMIT_EXCEEDED";
    case 502: return "REMOTE.UNKNOWN_HTTP_ERROR";
    case 503: return "REMOTE.SERVICE_UNAVAILABLE";
    case 504: return "PLATFORM.TASK_TIMED_OUT";
    default: return "PLATFORM.UNKNOWN_ERROR";
    }
}

/* Made up as it is sent: 8 MiB never sit in memory. */
static ssize_t huge_reader(void *cls, uint64_t pos, char *buf, size_t max)
{
    static const char head[] = "{\"status\":\"success\",\"data\":{},\"warnings\":[{\"message\":\"";
    static const char tail[] = "\"}]}";
    const uint64_t hl = sizeof head - 1, tl = sizeof tail - 1, total = MOCK_HUGE_BYTES;
    (void)cls;
    size_t k = 0;
    while (k < max && pos < total) {
        if (pos < hl)
            buf[k] = head[pos];
        else if (pos >= total - tl)
            buf[k] = tail[pos - (total - tl)];
        else
            buf[k] = 'x';
        k++;
        pos++;
    }
    return k ? (ssize_t)k : MHD_CONTENT_READER_END_OF_STREAM;
}

static enum MHD_Result answer_status(struct mock *m, struct req *r, struct MHD_Connection *c)
{
    const struct mock_fault_state *f = &r->fault;
    int st = f->status >= 100 && f->status <= 599 ? f->status : 503;
    const char *ra = f->retry_after;
    if (!ra && !f->retry_after_ms && st == 429)
        ra = "1";      /* Kombo sends Retry-After on rate limits; "" omits it */
    const char *hdrs[5];
    int k = 0;
    if (ra && *ra) {
        hdrs[k++] = "Retry-After";
        hdrs[k++] = ra;
    }
    if (f->retry_after_ms && *f->retry_after_ms) {
        hdrs[k++] = "Retry-After-Ms";
        hdrs[k++] = f->retry_after_ms;
    }
    hdrs[k] = NULL;
    char msg[512];
    if (f->message)
        snprintf(msg, sizeof msg, "%s", f->message);
    else
        snprintf(msg, sizeof msg, "mock fault: injected HTTP %d", st);
    return mock_respond_error(m, r, c, st, f->code ? f->code : code_for_status(st), msg, hdrs);
}

static enum MHD_Result answer_stall(struct mock *m, struct req *r, struct MHD_Connection *c)
{
    struct mock_stall *s = xmalloc(sizeof *s);
    pthread_mutex_lock(&m->mu);
    if (m->stopping) {
        pthread_mutex_unlock(&m->mu);
        free(s);
        return MHD_NO;
    }
    s->c = c;
    s->next = m->stalls;
    m->stalls = s;
    r->stalled = true;
    /* Suspended until mock_stop resumes it; the next call then closes it. */
    MHD_suspend_connection(c);
    pthread_mutex_unlock(&m->mu);
    mock_respond_record(m, r, 0);
    return MHD_YES;
}

enum MHD_Result mock_fault_answer(struct mock *m, struct req *r, struct MHD_Connection *c)
{
    const struct mock_fault_state *f = &r->fault;
    switch (f->kind) {
    case MOCK_FAULT_STATUS:
        return answer_status(m, r, c);
    case MOCK_FAULT_HTML: {
        char *page = xstrdup("<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
                             "<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n");
        return mock_respond(m, r, c, 502, "text/html", page, strlen(page), NULL);
    }
    case MOCK_FAULT_BAD_JSON: {
        char *txt = xstrdup("{\"status\":\"success\",\"data\":{\"warn");
        return mock_respond(m, r, c, f->status ? f->status : 200, "application/json", txt,
                            strlen(txt), NULL);
    }
    case MOCK_FAULT_EMPTY:
        return mock_respond(m, r, c, f->status ? f->status : 500, NULL, NULL, 0, NULL);
    case MOCK_FAULT_HUGE: {
        struct MHD_Response *resp = MHD_create_response_from_callback(MOCK_HUGE_BYTES, 65536,
                                                                      huge_reader, NULL, NULL);
        if (!resp)
            xalloc_fatal("MHD_create_response_from_callback");
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json");
        int st = f->status ? f->status : 200;
        mock_respond_record(m, r, st);
        enum MHD_Result ret = MHD_queue_response(c, (unsigned)st, resp);
        MHD_destroy_response(resp);
        return ret;
    }
    case MOCK_FAULT_STALL:
        return answer_stall(m, r, c);
    case MOCK_FAULT_DROP:   /* hung up on in mock_server.c, never answered */
    case MOCK_FAULT_SLOW:   /* turned into slow_rate when the request began */
    case MOCK_FAULT_NONE:
        break;
    }
    return MHD_NO;
}

/* Why a target given to POST /__mock/fault could never match, or NULL. A fault that
 * silently never fires would make a test pass for the wrong reason. */
static const char *target_problem(const char *path, const char *method)
{
    if (path && (path[0] != '/' || strpbrk(path, "?#")))
        return "path must be a path below /v1 starting with '/', without a query, "
               "e.g. path=/check-api-key or path=/ats/candidates";
    if (path && (!strncmp(path, "/v1/", 4) || !strcmp(path, "/v1")))
        return "path is the part after /v1: write path=/check-api-key, not "
               "path=/v1/check-api-key";
    size_t n = method ? strlen(method) : 1;
    if (method && (n == 0 || n >= MOCK_METHOD_MAX ||
                   strspn(method, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz") != n))
        return "method must be an HTTP method such as GET or POST";
    return NULL;
}

/* Only when set: without a target the answer looks as it always did. */
static void add_target(cJSON *o, const char *path, const char *method)
{
    if (path)
        cJSON_AddStringToObject(o, "path", path);
    if (method)
        cJSON_AddStringToObject(o, "method", method);
}

enum MHD_Result mock_fault_control(struct mock *m, struct req *r, struct MHD_Connection *c)
{
    const char *count = mock_route_arg(c, "count"), *status = mock_route_arg(c, "status");
    const char *rate = mock_route_arg(c, "rate");
    struct mock_fault f = { .count = 1 };
    long v;
    if (parse_kind(mock_route_arg(c, "kind"), &f.kind) < 0)
        return mock_respond_error(m, r, c, 400, "PLATFORM.INPUT_INVALID",
                                  "kind must be one of none, status, stall, drop, html, bad_json, "
                                  "empty, huge, slow", NULL);
    if (count) {
        if (!strcmp(count, "all"))
            v = -1;
        else if (num_parse_long(count, -1, 1000000, &v) < 0)
            return mock_respond_error(m, r, c, 400, "PLATFORM.INPUT_INVALID",
                                      "count must be a number of requests, or -1/all", NULL);
        f.count = (int)v;
    }
    if (status) {
        if (num_parse_long(status, 100, 599, &v) < 0)
            return mock_respond_error(m, r, c, 400, "PLATFORM.INPUT_INVALID",
                                      "status must be an HTTP status from 100 to 599", NULL);
        f.status = (int)v;
    }
    if (rate && (num_parse_u64(rate, UINT64_MAX, &f.rate) < 0 || f.rate == 0))
        return mock_respond_error(m, r, c, 400, "PLATFORM.INPUT_INVALID",
                                  "rate must be a number of bytes per second", NULL);
    f.retry_after = mock_route_arg(c, "retry_after");
    f.retry_after_ms = mock_route_arg(c, "retry_after_ms");
    f.code = mock_route_arg(c, "code");
    f.message = mock_route_arg(c, "message");
    f.path = mock_route_arg(c, "path");
    f.method = mock_route_arg(c, "method");
    const char *why = target_problem(f.path, f.method);
    if (why)
        return mock_respond_error(m, r, c, 400, "PLATFORM.INPUT_INVALID", why, NULL);
    mock_inject(m, &f);
    cJSON *data = cJSON_CreateObject();
    cJSON_AddStringToObject(data, "kind", mock_fault_name(f.kind));
    cJSON_AddNumberToObject(data, "count", f.count);
    add_target(data, f.path, f.method);
    return mock_respond_success(m, r, c, data);
}

void mock_fault_describe(const struct mock_fault_state *f, cJSON *into)
{
    cJSON_AddStringToObject(into, "kind", mock_fault_name(f->kind));
    cJSON_AddNumberToObject(into, "remaining", f->count);
    add_target(into, f->path, f->method);
}
