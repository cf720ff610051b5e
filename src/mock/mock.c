/* The mock Kombo server: libmicrohttpd on 127.0.0.1, the contract of shared/kombo-api.md,
 * an inbox on disk and injectable faults.
 *
 * Request life: the URI log callback makes a `struct req` with the raw request target;
 * the first access-handler call routes and checks the headers; body chunks are spooled
 * to a temp file in the inbox (never RAM); the last call validates the spooled body
 * (mock_json.c finds attachment.data, which is decoded in chunks into a .partial file,
 * the rest goes through cJSON) and renames the result into place (inbox.c). The
 * completion callback removes whatever temp files are left, so a dropped upload leaves
 * nothing behind. */
#include "mock.h"

#include "clock.h"
#include "exitcodes.h"
#include "format.h"
#include "fsutil.h"
#include "hex.h"
#include "inbox.h"
#include "json_util.h"
#include "kombo.h"
#include "mock_json.h"
#include "numparse.h"
#include "xalloc.h"

#include <arpa/inet.h>
#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MOCK_DEFAULT_MAX_BODY (100ULL << 20)
#define MOCK_RING 64                 /* requests kept for /__mock/requests and /logs/<n> */
#define MOCK_REST_MAX (4u << 20)     /* JSON outside attachment.data: parsed in RAM */
#define MOCK_HUGE_BYTES (8u << 20)   /* size of the HUGE fault's answer */

enum route {
    R_NOT_FOUND, R_BAD_METHOD, R_UPLOAD, R_LIST, R_CANDIDATES, R_CHECK,
    R_CTL_FAULT, R_CTL_REQUESTS, R_CTL_STATS, R_LOG
};

struct fault_state {
    enum mock_fault_kind kind;
    int count;
    int status;
    char *retry_after;
    char *retry_after_ms;
    uint64_t rate;
    char *code, *message;
};

struct stored {
    struct stored *next;
    char id[25];
    char *integration;
    char *candidate;        /* decoded path id the file belongs to (NULL: unknown application) */
    size_t candidate_len;
    char *application;      /* for the applications endpoint */
    char *file_name, *content_type, *type, *data_url, *path;
    time_t created;
};

struct stall {
    struct stall *next;
    struct MHD_Connection *c;
};

struct req;

struct mock {
    struct MHD_Daemon *d;
    unsigned short port;
    bool tls;
    char base_url[64];
    char origin[48];         /* scheme://127.0.0.1:port, for log_url */
    char *inbox;
    uint64_t max_body;
    char *api_key;
    bool quiet;
    char *cert_pem, *key_pem;

    pthread_mutex_t mu;      /* guards everything below */
    struct fault_state fault;
    unsigned seq;            /* every request, control ones included */
    unsigned requests;       /* non-control requests */
    unsigned uploads;
    unsigned stored_n;
    cJSON *ring[MOCK_RING];  /* recent non-control requests, oldest at ring_next */
    unsigned ring_next;
    char *last_raw;
    struct stored *stored, **stored_tail;
    struct stall *stalls;
    bool stopping;
    uint64_t id_state;
    struct req *live;        /* requests not yet completed; freed at stop if MHD forgot them */
};

struct req {
    struct req *prev, *next;
    struct mock *m;
    char *raw;               /* request target exactly as received */
    unsigned seq;
    char method[16];
    bool started, recorded, control, stalled;
    enum route route;
    bool application;
    char *id;                /* decoded path id (may hold any byte) */
    size_t id_len;
    char *integration;
    cJSON *header_names;
    const char *allow;

    int err_status;          /* decided from the headers; the body is drained first */
    const char *err_code;
    char *err_msg;

    struct fault_state fault;

    int spool_fd;
    char *spool_path;
    char *partial_path;
    uint64_t received, content_length;
    uint64_t slow_rate;      /* MOCK_FAULT_SLOW: read the body at this many bytes/s */
    double slow_start;       /* clock_now() at the first chunk of a slow body */
    bool have_cl, too_big;

    int status;
    char *stored_path;
    uint64_t stored_size;
};

/* ---------------------------------------------------------------- small helpers */

/* NULL stays NULL (xstrdup makes it ""): here NULL and "" differ, e.g. Retry-After by
 * default vs. omitted. */
static char *dup_opt(const char *s)
{
    return s ? xstrdup(s) : NULL;
}

static void fault_clear(struct fault_state *f)
{
    free(f->retry_after);
    free(f->retry_after_ms);
    free(f->code);
    free(f->message);
    memset(f, 0, sizeof *f);
}

static const char *fault_name(enum mock_fault_kind k)
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

static int fault_parse(const char *s, enum mock_fault_kind *out)
{
    static const enum mock_fault_kind all[] = {
        MOCK_FAULT_NONE, MOCK_FAULT_STATUS, MOCK_FAULT_STALL, MOCK_FAULT_DROP,
        MOCK_FAULT_HTML, MOCK_FAULT_BAD_JSON, MOCK_FAULT_EMPTY, MOCK_FAULT_HUGE, MOCK_FAULT_SLOW
    };
    for (size_t i = 0; s && i < sizeof all / sizeof all[0]; i++)
        if (strcasecmp(s, fault_name(all[i])) == 0) {
            *out = all[i];
            return 0;
        }
    return -1;
}

/* Real Kombo IDs, so clients that check the shape accept them; a scrambled counter keeps
 * them unique without looking sequential. */
static void make_id(struct mock *m, char out[KOMBO_ID_LEN + 1])
{
    static const char b58[] = KOMBO_BASE58;
    uint64_t x = m->id_state += 0x9E3779B97F4A7C15ULL;
    for (int i = 0; i < KOMBO_ID_LEN; i++) {
        x ^= x >> 12; x ^= x << 25; x ^= x >> 27;
        out[i] = b58[(x * 0x2545F4914F6CDD1DULL >> 32) % (sizeof b58 - 1)];
    }
    out[KOMBO_ID_LEN] = '\0';
}

/* ------------------------------------------------------------------ seeded data */

struct seed_candidate {
    const char *id, *first, *last, *email, *company, *title, *app_id, *job_id, *job;
};

/* Three sample candidates so lookups by e-mail or name have something to find. */
static const struct seed_candidate seeds[] = {
    { "4B7z5qJ8dXcR2mTnWvKpLs9a", "Frank", "Doe", "frank.doe@example.com", "Acme GmbH",
      "Backend Engineer", "A1pp2Bq3Cr4Ds5Et6Fu7Gv8H", "J1ob2Kc3Ld4Me5Nf6Pg7Qh8R", "Backend Engineer" },
    { "7Hx3PqR9tYvW2kZmNbCd8EfG", "Jane", "Smith", "jane.smith@example.org", "Globex",
      "Product Designer", "Ap9Kx8Ly7Mz6Nw5Pv4Qu3Rt2", "J2ob3Kc4Ld5Me6Nf7Pg8Qh9S", "Product Designer" },
    { "9sDf4GhJk2LmN5pQr7StUv3W", "Ada", "Lovelace", "ada@example.net", "Analytical Engines",
      "Mathematician", "Bq2Wc3Xd4Ye5Zf6ag7bh8ci9", "J3ob4Kc5Ld6Me7Nf8Pg9Qh1T", "Research Engineer" },
};

static const struct seed_candidate *seed_by_application(const char *id, size_t len)
{
    for (size_t i = 0; i < sizeof seeds / sizeof seeds[0]; i++)
        if (strlen(seeds[i].app_id) == len && memcmp(seeds[i].app_id, id, len) == 0)
            return &seeds[i];
    return NULL;
}

static cJSON *seed_json(const struct seed_candidate *s)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "id", s->id);
    cJSON_AddStringToObject(o, "remote_id", s->id + 16);
    cJSON_AddStringToObject(o, "first_name", s->first);
    cJSON_AddStringToObject(o, "last_name", s->last);
    cJSON_AddStringToObject(o, "company", s->company);
    cJSON_AddStringToObject(o, "title", s->title);
    cJSON *emails = cJSON_AddArrayToObject(o, "email_addresses");
    cJSON *e = cJSON_CreateObject();
    cJSON_AddStringToObject(e, "email_address", s->email);
    cJSON_AddStringToObject(e, "type", "PERSONAL");
    cJSON_AddItemToArray(emails, e);
    cJSON *apps = cJSON_AddArrayToObject(o, "applications");
    cJSON *a = cJSON_CreateObject();
    cJSON_AddStringToObject(a, "id", s->app_id);
    cJSON *job = cJSON_AddObjectToObject(a, "job");
    cJSON_AddStringToObject(job, "id", s->job_id);
    cJSON_AddStringToObject(job, "name", s->job);
    cJSON_AddItemToArray(apps, a);
    char url[96];
    snprintf(url, sizeof url, "https://ats.example.com/candidates/%s", s->id + 16);
    cJSON_AddStringToObject(o, "remote_url", url);
    return o;
}

/* ------------------------------------------------------------ request records */

static void req_free(struct req *r)
{
    if (!r)
        return;
    if (r->spool_fd >= 0)
        close(r->spool_fd);
    if (r->spool_path)
        unlink(r->spool_path);
    if (r->partial_path)
        unlink(r->partial_path);
    free(r->spool_path);
    free(r->partial_path);
    free(r->raw);
    free(r->id);
    free(r->integration);
    free(r->err_msg);
    free(r->stored_path);
    cJSON_Delete(r->header_names);
    fault_clear(&r->fault);
    free(r);
}

static void live_unlink(struct mock *m, struct req *r)
{
    if (r->prev)
        r->prev->next = r->next;
    else if (m->live == r)
        m->live = r->next;
    if (r->next)
        r->next->prev = r->prev;
    r->prev = r->next = NULL;
}

/* Called once per request with what was answered (0: nothing, e.g. dropped or stalled):
 * adds it to the ring of recent requests and prints the log line. */
static void record(struct mock *m, struct req *r, int status)
{
    if (r->recorded)
        return;
    r->recorded = true;
    r->status = status;
    if (r->control)
        return;

    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "id", r->seq);
    cJSON_AddStringToObject(o, "method", r->method);
    cJSON_AddStringToObject(o, "path", r->raw ? r->raw : "");
    cJSON_AddItemToObject(o, "headers", r->header_names ? cJSON_Duplicate(r->header_names, 1)
                                                        : cJSON_CreateArray());
    cJSON_AddNumberToObject(o, "status", status);
    cJSON_AddNumberToObject(o, "body_bytes", (double)r->received);
    if (r->fault.kind != MOCK_FAULT_NONE)
        cJSON_AddStringToObject(o, "fault", fault_name(r->fault.kind));
    if (r->err_msg && r->err_status == status)
        cJSON_AddStringToObject(o, "message", r->err_msg);
    if (r->stored_path)
        cJSON_AddStringToObject(o, "stored_path", r->stored_path);

    pthread_mutex_lock(&m->mu);
    cJSON_Delete(m->ring[m->ring_next % MOCK_RING]);
    m->ring[m->ring_next++ % MOCK_RING] = o;
    pthread_mutex_unlock(&m->mu);

    if (!m->quiet) {
        char size[32], line[1024];
        size_t k = 0;
        fmt_bytes(r->received, size, sizeof size);
        /* The raw target comes from the network: keep control bytes off the terminal, and
         * write them as the %XX a client would have had to send. */
        for (const char *p = r->raw ? r->raw : ""; *p && k < sizeof line - 3; p++) {
            unsigned char b = (unsigned char)*p;
            if (b < 0x20 || b == 0x7F) {
                line[k++] = '%';
                line[k++] = hex_upper_digit(b >> 4);
                line[k++] = hex_upper_digit(b);
            } else {
                line[k++] = (char)b;
            }
        }
        line[k] = '\0';
        if (status == 0)
            fprintf(stderr, "%s %s --- %s %s\n", r->method, line, size,
                    r->stalled ? "stalled (fault)" : "dropped");
        else
            fprintf(stderr, "%s %s %d %s%s%s\n", r->method, line, status, size,
                    r->stored_path ? " stored " : "", r->stored_path ? r->stored_path : "");
    }
}

/* ------------------------------------------------------------------ responses */

static const char *title_for(const char *code, int status)
{
    if (status == 404) return "Not found";
    if (status == 405) return "Method not allowed";
    if (status == 413) return "Payload too large";
    if (!code) return "Error";
    if (!strcmp(code, "PLATFORM.INPUT_INVALID")) return "Input invalid";
    if (!strcmp(code, "PLATFORM.AUTHENTICATION_INVALID")) return "Authentication invalid";
    if (!strcmp(code, "PLATFORM.RATE_LIMIT_EXCEEDED")) return "Rate limit exceeded";
    if (!strcmp(code, "PLATFORM.UNKNOWN_ERROR")) return "Unknown error";
    if (!strcmp(code, "PLATFORM.TASK_TIMED_OUT")) return "Task timed out";
    if (!strcmp(code, "PLATFORM.INTEGRATION_NOT_FOUND")) return "Integration not found";
    if (!strcmp(code, "REMOTE.SERVICE_UNAVAILABLE")) return "Remote service unavailable";
    if (!strcmp(code, "REMOTE.UNKNOWN_HTTP_ERROR")) return "Remote HTTP error";
    if (!strcmp(code, "INTEGRATION.PERMISSION_MISSING")) return "Permission missing";
    if (!strcmp(code, "ATS.APPLICATION_ALREADY_EXISTS")) return "Application already exists";
    return "Error";
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

/* Queue body (malloc'ed, taken over; may be NULL when len is 0) with extra headers
 * given as a NULL-terminated list of name, value pairs. */
static enum MHD_Result respond(struct mock *m, struct req *r, struct MHD_Connection *c, int status,
                               const char *ctype, char *body, size_t len,
                               const char *const *hdrs)
{
    struct MHD_Response *resp =
        body ? MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE)
             : MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
    if (!resp)
        xalloc_fatal("MHD_create_response_from_buffer");
    if (ctype)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, ctype);
    for (size_t i = 0; hdrs && hdrs[i] && hdrs[i + 1]; i += 2)
        MHD_add_response_header(resp, hdrs[i], hdrs[i + 1]);
    record(m, r, status);
    enum MHD_Result ret = MHD_queue_response(c, (unsigned)status, resp);
    MHD_destroy_response(resp);
    return ret;
}

static enum MHD_Result respond_json(struct mock *m, struct req *r, struct MHD_Connection *c,
                                    int status, cJSON *root, const char *const *hdrs)
{
    char *txt = cJSON_PrintUnformatted(root);
    cJSON_Delete(root);
    if (!txt)
        xalloc_fatal("cJSON_PrintUnformatted");
    return respond(m, r, c, status, "application/json", txt, strlen(txt), hdrs);
}

static enum MHD_Result respond_error(struct mock *m, struct req *r, struct MHD_Connection *c,
                                     int status, const char *code, const char *msg,
                                     const char *const *hdrs)
{
    if (!r->err_msg || r->err_msg != msg) {
        free(r->err_msg);
        r->err_msg = xstrdup(msg);
        r->err_status = status;
    }
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "status", "error");
    cJSON *e = cJSON_AddObjectToObject(root, "error");
    cJSON_AddStringToObject(e, "code", code);
    cJSON_AddStringToObject(e, "title", title_for(code, status));
    cJSON_AddStringToObject(e, "message", msg);
    char url[96];
    snprintf(url, sizeof url, "%s/logs/%u", m->origin, r->seq);
    cJSON_AddStringToObject(e, "log_url", url);
    return respond_json(m, r, c, status, root, hdrs);
}

static enum MHD_Result respond_success(struct mock *m, struct req *r, struct MHD_Connection *c,
                                       cJSON *data)
{
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "status", "success");
    cJSON_AddItemToObject(root, "data", data ? data : cJSON_CreateObject());
    return respond_json(m, r, c, 200, root, NULL);
}

/* Decide an error now; it is answered once the body has been drained (see begin()). */
static void decide_error(struct req *r, int status, const char *code, const char *fmt, ...)
{
    va_list ap;
    if (r->err_status)
        return;            /* the first problem found is the one reported */
    va_start(ap, fmt);
    char *s = xvasprintf(fmt, ap);
    va_end(ap);
    r->err_status = status;
    r->err_code = code;
    free(r->err_msg);
    r->err_msg = s;
}

/* ------------------------------------------------------------------ routing */

/* Percent-decode one path segment; NULL when an escape is malformed. */
static char *pct_decode(const char *s, size_t n, size_t *outlen)
{
    char *o = xmalloc(n + 1);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '%') {
            int a = i + 2 < n ? hex_value(s[i + 1]) : -1;
            int b = a >= 0 ? hex_value(s[i + 2]) : -1;
            if (a < 0 || b < 0) {
                free(o);
                return NULL;
            }
            o[k++] = (char)(a << 4 | b);
            i += 2;
        } else {
            o[k++] = s[i];
        }
    }
    o[k] = '\0';
    *outlen = k;
    return o;
}

static bool method_is(const struct req *r, const char *m)
{
    return strcmp(r->method, m) == 0;
}

/* Route by the raw target so that an encoded "/" inside an ID ("..%2F..") stays part
 * of the ID instead of becoming a path separator, as MHD's decoded URL would make it. */
static void route(struct req *r)
{
    const char *raw = r->raw ? r->raw : "/";
    size_t plen = strcspn(raw, "?#");
    char *path = xstrndup(raw, plen);
    r->route = R_NOT_FOUND;
    if (!strcmp(path, "/__mock/fault")) {
        r->control = true;
        r->route = method_is(r, "POST") ? R_CTL_FAULT : R_BAD_METHOD;
        r->allow = "POST";
    } else if (!strcmp(path, "/__mock/requests") || !strcmp(path, "/__mock/stats")) {
        r->control = true;
        r->route = !method_is(r, "GET") ? R_BAD_METHOD
                   : path[8] == 'r' ? R_CTL_REQUESTS : R_CTL_STATS;
        r->allow = "GET";
    } else if (!strncmp(path, "/logs/", 6)) {
        r->control = true;
        r->route = method_is(r, "GET") ? R_LOG : R_BAD_METHOD;
        r->allow = "GET";
    } else if (!strncmp(path, "/v1/", 4)) {
        const char *seg[6];
        size_t len[6];
        int n = 0;
        const char *p = path + 4;
        for (;;) {
            size_t l = strcspn(p, "/");
            if (n == 6)
                break;
            seg[n] = p;
            len[n++] = l;
            if (!p[l])
                break;
            p += l + 1;
        }
#define SEG(i, s) (len[i] == strlen(s) && !memcmp(seg[i], s, len[i]))
        if (n == 1 && SEG(0, "check-api-key")) {
            r->route = method_is(r, "GET") ? R_CHECK : R_BAD_METHOD;
            r->allow = "GET";
        } else if (n == 2 && SEG(0, "ats") && SEG(1, "candidates")) {
            r->route = method_is(r, "GET") ? R_CANDIDATES : R_BAD_METHOD;
            r->allow = "GET";
        } else if (n == 4 && SEG(0, "ats") && (SEG(1, "candidates") || SEG(1, "applications")) &&
                   len[2] > 0 && SEG(3, "attachments")) {
            r->application = SEG(1, "applications");
            r->id = pct_decode(seg[2], len[2], &r->id_len);
            if (method_is(r, "POST"))
                r->route = R_UPLOAD;
            else if (method_is(r, "GET") && !r->application)
                r->route = R_LIST;
            else
                r->route = R_BAD_METHOD;
            r->allow = r->application ? "POST" : "GET, POST";
        }
#undef SEG
    }
    free(path);
}

/* --------------------------------------------------------------- header checks */

static enum MHD_Result collect_header(void *cls, enum MHD_ValueKind kind, const char *key,
                                      const char *value)
{
    (void)kind;
    (void)value;   /* names only: values may hold the API key */
    cJSON_AddItemToArray(cls, cJSON_CreateString(key));
    return MHD_YES;
}

static const char *header(struct MHD_Connection *c, const char *name)
{
    return MHD_lookup_connection_value(c, MHD_HEADER_KIND, name);
}

static void check_auth(struct mock *m, struct req *r, struct MHD_Connection *c)
{
    const char *h = header(c, MHD_HTTP_HEADER_AUTHORIZATION);
    const char *why = NULL;
    if (!h)
        why = "missing Authorization header: send \"Authorization: Bearer <API key>\"";
    else if (strncasecmp(h, "Bearer ", 7) != 0)
        why = "the Authorization header must use the Bearer scheme: \"Bearer <API key>\"";
    else {
        const char *k = h + 7;
        while (*k == ' ')
            k++;
        if (!*k)
            why = "the Bearer API key in the Authorization header is empty";
        else if (m->api_key && strcmp(k, m->api_key) != 0)
            why = "the API key is not valid (wrong key, or a key of the other region?)";
    }
    if (why)
        decide_error(r, 401, "PLATFORM.AUTHENTICATION_INVALID", "%s", why);
}

static void check_integration(struct req *r, struct MHD_Connection *c)
{
    const char *h = header(c, "X-Integration-Id");
    if (!h || !*h)
        decide_error(r, 400, "PLATFORM.INPUT_INVALID",
                     "missing X-Integration-Id header: send the integration's ID "
                     "(e.g. workday:HWUTwvyx2wLoSUHphiWVrp28)");
    else
        r->integration = xstrdup(h);
}

static void check_content_type(struct req *r, struct MHD_Connection *c)
{
    const char *h = header(c, MHD_HTTP_HEADER_CONTENT_TYPE);
    if (!h) {
        decide_error(r, 400, "PLATFORM.INPUT_INVALID",
                     "missing Content-Type header: send \"Content-Type: application/json\"");
        return;
    }
    while (*h == ' ')
        h++;
    size_t n = strlen("application/json");
    if (strncasecmp(h, "application/json", n) != 0 || (h[n] && h[n] != ';' && h[n] != ' '))
        decide_error(r, 400, "PLATFORM.INPUT_INVALID",
                     "Content-Type must be application/json, got \"%.100s\"", h);
}

static int open_temp(struct mock *m, const char *suffix, char **path)
{
    *path = xasprintf("%s/.mock-XXXXXX%s", m->inbox, suffix);
    int fd = mkostemps(*path, (int)strlen(suffix), O_CLOEXEC);
    if (fd < 0) {
        free(*path);
        *path = NULL;
    }
    return fd;
}

/* First call for a request: route, check headers, decide how the body is consumed. */
static enum MHD_Result begin(struct mock *m, struct req *r, struct MHD_Connection *c,
                             const char *method)
{
    snprintf(r->method, sizeof r->method, "%s", method);
    r->header_names = cJSON_CreateArray();
    MHD_get_connection_values(c, MHD_HEADER_KIND, collect_header, r->header_names);
    route(r);

    pthread_mutex_lock(&m->mu);
    if (!r->control) {
        m->requests++;
        free(m->last_raw);
        m->last_raw = dup_opt(r->raw);
    }
    if (r->route == R_UPLOAD) {
        m->uploads++;
        /* Faults hit the next `count` upload requests whatever they hold, like a proxy. */
        if (m->fault.kind != MOCK_FAULT_NONE && m->fault.count != 0) {
            r->fault.kind = m->fault.kind;
            r->fault.status = m->fault.status;
            r->fault.retry_after = dup_opt(m->fault.retry_after);
            r->fault.retry_after_ms = dup_opt(m->fault.retry_after_ms);
            r->fault.rate = m->fault.rate;
            r->fault.code = dup_opt(m->fault.code);
            r->fault.message = dup_opt(m->fault.message);
            if (m->fault.count > 0 && --m->fault.count == 0)
                fault_clear(&m->fault);
            /* A slow request is otherwise an ordinary one: only its reading is throttled. */
            if (r->fault.kind == MOCK_FAULT_SLOW) {
                r->slow_rate = r->fault.rate ? r->fault.rate : 1024 * 1024;
                r->fault.kind = MOCK_FAULT_NONE;
            }
        }
    }
    pthread_mutex_unlock(&m->mu);

    const char *cl = header(c, MHD_HTTP_HEADER_CONTENT_LENGTH);
    if (cl && num_parse_u64(cl, UINT64_MAX, &r->content_length) == 0)
        r->have_cl = true;
    if (r->fault.kind != MOCK_FAULT_NONE)
        return MHD_YES;    /* body drained (or dropped); the fault answers at the end */

    switch (r->route) {
    case R_NOT_FOUND:
        decide_error(r, 404, "PLATFORM.INPUT_INVALID",
                     "no such endpoint: %s %.200s (the mock serves /v1/check-api-key, "
                     "/v1/ats/candidates, /v1/ats/candidates/{id}/attachments and "
                     "/v1/ats/applications/{id}/attachments)", r->method, r->raw ? r->raw : "");
        break;
    case R_BAD_METHOD:
        decide_error(r, 405, "PLATFORM.INPUT_INVALID", "method %s is not allowed here; use %s",
                     r->method, r->allow);
        break;
    case R_UPLOAD: case R_LIST: case R_CANDIDATES: case R_CHECK:
        if (r->have_cl && r->content_length > m->max_body)
            decide_error(r, 413, "PLATFORM.INPUT_INVALID",
                         "the body is %llu bytes; this server accepts at most %llu",
                         (unsigned long long)r->content_length, (unsigned long long)m->max_body);
        check_auth(m, r, c);
        if (r->route != R_CHECK)
            check_integration(r, c);
        if (r->route == R_UPLOAD) {
            if (!r->id)
                decide_error(r, 400, "PLATFORM.INPUT_INVALID",
                             "the ID in the path has a malformed percent escape");
            check_content_type(r, c);
        }
        break;
    default:
        break;
    }

    if (r->err_status) {
        /* A client that waits for "100 Continue" gets the answer instead and never sends
         * the body. Others are drained and answered at the end: answering early and
         * closing with unread data makes TCP reset the connection, and the client may
         * never see the answer. */
        const char *expect = header(c, MHD_HTTP_HEADER_EXPECT);
        if (expect && strcasecmp(expect, "100-continue") == 0) {
            const char *hdrs[] = { "Allow", r->allow, NULL };
            return respond_error(m, r, c, r->err_status, r->err_code,
                                 r->err_msg ? r->err_msg : "error",
                                 r->err_status == 405 ? hdrs : NULL);
        }
        return MHD_YES;
    }
    if (r->route == R_UPLOAD) {
        r->spool_fd = open_temp(m, ".spool", &r->spool_path);
        if (r->spool_fd < 0)
            decide_error(r, 500, "PLATFORM.UNKNOWN_ERROR", "mock: cannot create a file in %s: %s",
                         m->inbox, strerror(errno));
    }
    return MHD_YES;
}

static void drop_spool(struct req *r)
{
    if (r->spool_fd >= 0)
        close(r->spool_fd);
    r->spool_fd = -1;
    if (r->spool_path)
        unlink(r->spool_path);
    free(r->spool_path);
    r->spool_path = NULL;
}

/* A chunk of body: spool it, or count and forget it. */
static enum MHD_Result consume(struct mock *m, struct req *r, const char *data, size_t n)
{
    r->received += n;
    if (r->fault.kind == MOCK_FAULT_DROP)
        return MHD_NO;      /* part of the body has arrived: hang up on the client */
    if (r->received > m->max_body && !r->too_big) {
        /* Chunked bodies have no Content-Length to check up front: count. */
        r->too_big = true;
        drop_spool(r);
        decide_error(r, 413, "PLATFORM.INPUT_INVALID",
                     "the body is larger than %llu bytes, the most this server accepts",
                     (unsigned long long)m->max_body);
    }
    if (r->spool_fd < 0)
        return MHD_YES;
    while (n > 0) {
        ssize_t w = write(r->spool_fd, data, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            int e = w < 0 ? errno : ENOSPC;
            drop_spool(r);
            decide_error(r, 500, "PLATFORM.UNKNOWN_ERROR", "mock: cannot spool the body: %s",
                         strerror(e));
            return MHD_YES;
        }
        data += w;
        n -= (size_t)w;
    }
    return MHD_YES;
}

/* ------------------------------------------------------------------ faults */

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

static enum MHD_Result answer_fault(struct mock *m, struct req *r, struct MHD_Connection *c)
{
    const struct fault_state *f = &r->fault;
    switch (f->kind) {
    case MOCK_FAULT_STATUS: {
        int st = f->status >= 100 && f->status <= 599 ? f->status : 503;
        const char *ra = f->retry_after;
        if (!ra && !f->retry_after_ms && st == 429)
            ra = "1";      /* Kombo sends Retry-After on rate limits; "" omits it */
        const char *hdrs[5];
        int k = 0;
        if (ra && *ra) { hdrs[k++] = "Retry-After"; hdrs[k++] = ra; }
        if (f->retry_after_ms && *f->retry_after_ms) {
            hdrs[k++] = "Retry-After-Ms";
            hdrs[k++] = f->retry_after_ms;
        }
        hdrs[k] = NULL;
        char msg[512];
        snprintf(msg, sizeof msg, "%s", f->message ? f->message : "");
        if (!f->message)
            snprintf(msg, sizeof msg, "mock fault: injected HTTP %d", st);
        return respond_error(m, r, c, st, f->code ? f->code : code_for_status(st), msg, hdrs);
    }
    case MOCK_FAULT_HTML: {
        char *page = xstrdup("<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
                            "<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n");
        return respond(m, r, c, 502, "text/html", page, strlen(page), NULL);
    }
    case MOCK_FAULT_BAD_JSON: {
        char *txt = xstrdup("{\"status\":\"success\",\"data\":{\"warn");
        return respond(m, r, c, f->status ? f->status : 200, "application/json", txt,
                       strlen(txt), NULL);
    }
    case MOCK_FAULT_EMPTY:
        return respond(m, r, c, f->status ? f->status : 500, NULL, NULL, 0, NULL);
    case MOCK_FAULT_HUGE: {
        struct MHD_Response *resp = MHD_create_response_from_callback(MOCK_HUGE_BYTES, 65536,
                                                                      huge_reader, NULL, NULL);
        if (!resp)
            xalloc_fatal("MHD_create_response_from_callback");
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json");
        int st = f->status ? f->status : 200;
        record(m, r, st);
        enum MHD_Result ret = MHD_queue_response(c, (unsigned)st, resp);
        MHD_destroy_response(resp);
        return ret;
    }
    case MOCK_FAULT_STALL: {
        struct stall *s = xmalloc(sizeof *s);
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
        record(m, r, 0);
        return MHD_YES;
    }
    case MOCK_FAULT_DROP:
    case MOCK_FAULT_SLOW:   /* turned into slow_rate when the request began */
    case MOCK_FAULT_NONE:
        break;
    }
    return MHD_NO;
}

/* ---------------------------------------------------------------- the upload */

struct fields {
    const char *name, *type, *content_type, *data_url;
    bool has_data;
};

/* The contract's checks on the parsed body (data replaced by ""). NULL when fine,
 * else msg filled. */
static const char *check_fields(const cJSON *root, bool data_is_string, struct fields *f,
                                char *msg, size_t len)
{
    memset(f, 0, sizeof *f);
#define BAD(...) (snprintf(msg, len, __VA_ARGS__), msg)
    if (!cJSON_IsObject(root))
        return BAD("the request body must be a JSON object, not %s", json_kind(root));
    const cJSON *att = cJSON_GetObjectItemCaseSensitive(root, "attachment");
    if (!att)
        return BAD("attachment is required: {\"attachment\":{\"name\":...,\"type\":...,"
                   "\"content_type\":...,\"data\":...}}");
    if (!cJSON_IsObject(att))
        return BAD("attachment must be an object, not %s", json_kind(att));

    const cJSON *name = cJSON_GetObjectItemCaseSensitive(att, "name");
    if (!name)
        return BAD("attachment.name is required");
    if (!cJSON_IsString(name))
        return BAD("attachment.name must be a string, not %s", json_kind(name));
    if (!*name->valuestring)
        return BAD("attachment.name must not be empty");
    f->name = name->valuestring;

    const cJSON *type = cJSON_GetObjectItemCaseSensitive(att, "type");
    if (!type)
        return BAD("attachment.type is required: one of CV, COVER_LETTER, OTHER");
    if (!cJSON_IsString(type))
        return BAD("attachment.type must be a string, not %s", json_kind(type));
    if (strcmp(type->valuestring, "CV") && strcmp(type->valuestring, "COVER_LETTER") &&
        strcmp(type->valuestring, "OTHER"))
        return BAD("attachment.type \"%.40s\" is unknown: use CV, COVER_LETTER or OTHER",
                   type->valuestring);
    f->type = type->valuestring;

    const cJSON *data = cJSON_GetObjectItemCaseSensitive(att, "data");
    const cJSON *url = cJSON_GetObjectItemCaseSensitive(att, "data_url");
    if (data && url)
        return BAD("attachment.data and attachment.data_url are both set: send exactly one");
    if (!data && !url)
        return BAD("attachment.data or attachment.data_url is required (exactly one)");
    if (data && (!data_is_string || !cJSON_IsString(data)))
        return BAD("attachment.data must be a base64 string, not %s", json_kind(data));
    f->has_data = data != NULL;

    const cJSON *ct = cJSON_GetObjectItemCaseSensitive(att, "content_type");
    if (ct && !cJSON_IsString(ct))
        return BAD("attachment.content_type must be a string, not %s", json_kind(ct));
    if (data && !ct)
        return BAD("attachment.content_type is required when attachment.data is sent");
    if (ct && !*ct->valuestring)
        return BAD("attachment.content_type must not be empty");
    f->content_type = ct ? ct->valuestring : NULL;

    if (url) {
        if (!cJSON_IsString(url))
            return BAD("attachment.data_url must be a string, not %s", json_kind(url));
        if (strncmp(url->valuestring, "http://", 7) && strncmp(url->valuestring, "https://", 8))
            return BAD("attachment.data_url must be an http:// or https:// URL");
        f->data_url = url->valuestring;
    }

    const cJSON *rf = cJSON_GetObjectItemCaseSensitive(root, "remote_fields");
    if (rf && !cJSON_IsObject(rf))
        return BAD("remote_fields must be an object, not %s", json_kind(rf));
#undef BAD
    return NULL;
}

static void warn(cJSON *warnings, const char *fmt, ...)
{
    va_list ap;
    char buf[512];
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    cJSON *w = cJSON_CreateObject();
    cJSON_AddStringToObject(w, "message", buf);
    cJSON_AddItemToArray(warnings, w);
}

static void content_type_warnings(cJSON *warnings, const char *ct)
{
    size_t bare = strcspn(ct, ";");
    if (ct[bare])
        warn(warnings, "attachment.content_type \"%.100s\" has parameters; send a bare "
             "type/subtype such as \"%.*s\"", ct, (int)(bare > 100 ? 100 : bare), ct);
    char *t = xstrndup(ct, bare);
    size_t e = strlen(t);
    while (e > 0 && t[e - 1] == ' ')
        t[--e] = '\0';
    if (!strcasecmp(t, "application/octet-stream") || !strcasecmp(t, "binary/octet-stream"))
        warn(warnings, "attachment.content_type is the generic %s: send the file's real MIME "
             "type so the ATS can show it", t);
    else if (!strchr(t, '/'))
        warn(warnings, "attachment.content_type \"%.100s\" is not a type/subtype", t);
    free(t);
}

static enum MHD_Result store_upload(struct mock *m, struct req *r, struct MHD_Connection *c,
                                    const struct fields *f, cJSON *warnings)
{
    char integ[INBOX_COMPONENT_MAX + 1], cand[INBOX_COMPONENT_MAX + 1], name[INBOX_COMPONENT_MAX + 1];
    char dir[PATH_MAX], final[PATH_MAX];
    const struct seed_candidate *seed = r->application ? seed_by_application(r->id, r->id_len) : NULL;
    const char *owner = seed ? seed->id : r->id;
    size_t owner_len = seed ? strlen(seed->id) : r->id_len;

    inbox_safe_component(r->integration, strlen(r->integration), integ, sizeof integ);
    inbox_safe_component(owner, owner_len, cand, sizeof cand);
    inbox_safe_component(f->name, strlen(f->name), name, sizeof name);
    if (strcmp(name, f->name))
        warn(warnings, "mock: the file name was made safe for the disk: \"%s\"", name);

    if (f->has_data) {
        if (inbox_make_dir(m->inbox, integ, cand, dir, sizeof dir) < 0 ||
            inbox_place(r->partial_path, dir, name, final, sizeof final) < 0) {
            char msg[PATH_MAX + 100];
            snprintf(msg, sizeof msg, "mock: cannot store the file in %s: %s", m->inbox,
                     strerror(errno));
            cJSON_Delete(warnings);
            return respond_error(m, r, c, 500, "PLATFORM.UNKNOWN_ERROR", msg, NULL);
        }
        free(r->partial_path);
        r->partial_path = NULL;
        r->stored_path = xstrdup(final);
    } else {
        warn(warnings, "mock: data_url is not downloaded; nothing was stored");
    }

    struct stored *s = xcalloc(1, sizeof *s);
    s->integration = xstrdup(r->integration);
    s->candidate = xmalloc(owner_len + 1);
    memcpy(s->candidate, owner, owner_len);
    s->candidate[owner_len] = '\0';
    s->candidate_len = owner_len;
    s->application = r->application ? xstrdup(r->id) : NULL;
    s->file_name = xstrdup(f->name);
    s->content_type = dup_opt(f->content_type);
    s->type = xstrdup(f->type);
    s->data_url = dup_opt(f->data_url);
    s->path = dup_opt(r->stored_path);
    s->created = time(NULL);
    pthread_mutex_lock(&m->mu);
    make_id(m, s->id);
    *m->stored_tail = s;
    m->stored_tail = &s->next;
    if (f->has_data)
        m->stored_n++;
    pthread_mutex_unlock(&m->mu);

    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "status", "success");
    cJSON_AddObjectToObject(root, "data");
    cJSON_AddItemToObject(root, "warnings", warnings);
    const char *hdrs[] = { "X-Mock-Stored-Path", r->stored_path, NULL };
    return respond_json(m, r, c, 200, root, r->stored_path ? hdrs : NULL);
}

static enum MHD_Result process_upload(struct mock *m, struct req *r, struct MHD_Connection *c)
{
    char msg[700], why[400];
    size_t n = (size_t)r->received;
    unsigned char *map = NULL;
    char *rest = NULL;
    cJSON *root = NULL, *warnings = NULL;
    enum MHD_Result ret;
    int status = 400;
    const char *code = "PLATFORM.INPUT_INVALID";

    if (r->have_cl && r->received != r->content_length) {
        snprintf(msg, sizeof msg, "the body has %llu bytes, not the %llu of its Content-Length",
                 (unsigned long long)r->received, (unsigned long long)r->content_length);
        goto fail;
    }
    if (n == 0) {
        snprintf(msg, sizeof msg, "the request body is empty: expected a JSON object");
        goto fail;
    }
    map = mmap(NULL, n, PROT_READ, MAP_PRIVATE, r->spool_fd, 0);
    if (map == MAP_FAILED) {
        map = NULL;
        status = 500;
        code = "PLATFORM.UNKNOWN_ERROR";
        snprintf(msg, sizeof msg, "mock: cannot map the spooled body: %s", strerror(errno));
        goto fail;
    }
    struct mj_span sp;
    if (mj_find_data(map, n, true, &sp, why, sizeof why) < 0) {
        snprintf(msg, sizeof msg, "the request body is not valid JSON: %s", why);
        goto fail;
    }
    size_t dl = sp.found ? sp.end - sp.start : 0, rl = n - dl;
    if (rl > MOCK_REST_MAX) {
        status = 413;
        snprintf(msg, sizeof msg, "the JSON besides attachment.data is %zu bytes; the mock "
                 "accepts at most %u", rl, MOCK_REST_MAX);
        goto fail;
    }
    rest = xmalloc(rl + 1);
    if (sp.found) {
        memcpy(rest, map, sp.start);
        memcpy(rest + sp.start, map + sp.end, n - sp.end);
    } else {
        memcpy(rest, map, n);
    }
    rest[rl] = '\0';
    const char *end = NULL;
    root = cJSON_ParseWithOpts(rest, &end, 1);
    if (!root) {
        size_t at = end ? (size_t)(end - rest) : 0;
        if (sp.found && at >= sp.start)
            at += dl;      /* back to an offset in what the client sent */
        snprintf(msg, sizeof msg, "the request body is not valid JSON near byte %zu", at);
        goto fail;
    }
    struct fields f;
    if (check_fields(root, sp.found, &f, msg, sizeof msg))
        goto fail;

    warnings = cJSON_CreateArray();
    if (f.content_type)
        content_type_warnings(warnings, f.content_type);
    if (!strrchr(f.name, '.') || strrchr(f.name, '.') == f.name)
        warn(warnings, "attachment.name \"%.100s\" has no extension; ATSs use it to pick a viewer",
             f.name);

    if (f.has_data) {
        int pfd = open_temp(m, ".partial", &r->partial_path);
        if (pfd < 0) {
            status = 500;
            code = "PLATFORM.UNKNOWN_ERROR";
            snprintf(msg, sizeof msg, "mock: cannot create a file in %s: %s", m->inbox,
                     strerror(errno));
            goto fail;
        }
        uint64_t decoded = 0;
        int drc = mj_decode_base64(map + sp.start, dl, map, pfd, &decoded, msg, sizeof msg);
        int e = errno;
        close(pfd);
        if (drc == -2) {
            status = 500;
            code = "PLATFORM.UNKNOWN_ERROR";
            snprintf(msg, sizeof msg, "mock: cannot write the file: %s", strerror(e));
        }
        if (drc < 0)
            goto fail;
        r->stored_size = decoded;
        if (decoded == 0)
            warn(warnings, "attachment.data is empty: the file has 0 bytes");
    }
    munmap(map, n);
    map = NULL;
    drop_spool(r);     /* free the disk before the file is placed */
    ret = store_upload(m, r, c, &f, warnings);
    cJSON_Delete(root);
    free(rest);
    return ret;

fail:
    cJSON_Delete(warnings);
    cJSON_Delete(root);
    free(rest);
    if (map)
        munmap(map, n);
    return respond_error(m, r, c, status, code, msg, NULL);
}

/* ------------------------------------------------------------ other endpoints */

static cJSON *stored_json(const struct stored *s)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "id", s->id);
    if (s->application)
        cJSON_AddStringToObject(o, "application_id", s->application);
    else
        cJSON_AddNullToObject(o, "application_id");
    cJSON_AddStringToObject(o, "candidate_id", s->candidate ? s->candidate : "");
    cJSON_AddStringToObject(o, "type", s->type);
    cJSON_AddNullToObject(o, "remote_id");
    if (s->data_url)
        cJSON_AddStringToObject(o, "data_url", s->data_url);
    else
        cJSON_AddNullToObject(o, "data_url");
    cJSON_AddStringToObject(o, "file_name", s->file_name);
    if (s->content_type)
        cJSON_AddStringToObject(o, "content_type", s->content_type);
    else
        cJSON_AddNullToObject(o, "content_type");
    char when[32];
    struct tm tm;
    gmtime_r(&s->created, &tm);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%S.000Z", &tm);
    cJSON_AddStringToObject(o, "remote_created_at", when);
    cJSON_AddStringToObject(o, "remote_updated_at", when);
    return o;
}

static enum MHD_Result answer_list(struct mock *m, struct req *r, struct MHD_Connection *c)
{
    cJSON *data = cJSON_CreateObject();
    cJSON_AddNullToObject(data, "next");
    cJSON *results = cJSON_AddArrayToObject(data, "results");
    pthread_mutex_lock(&m->mu);
    for (const struct stored *s = m->stored; s; s = s->next)
        if (s->candidate && s->candidate_len == r->id_len &&
            !memcmp(s->candidate, r->id, r->id_len) && !strcmp(s->integration, r->integration))
            cJSON_AddItemToArray(results, stored_json(s));
    pthread_mutex_unlock(&m->mu);
    return respond_success(m, r, c, data);
}

static bool matches(const char *want, const char *have)
{
    return !want || !strcasecmp(want, have);
}

static enum MHD_Result answer_candidates(struct mock *m, struct req *r, struct MHD_Connection *c)
{
    const char *email = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "email");
    const char *first = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "first_name");
    const char *last = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "last_name");
    const char *ids = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "ids");
    const char *ps = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "page_size");
    long page = 100;
    if (ps && num_parse_long(ps, 1, 250, &page) < 0)
            return respond_error(m, r, c, 400, "PLATFORM.INPUT_INVALID",
                                 "page_size must be a whole number from 1 to 250", NULL);
    cJSON *data = cJSON_CreateObject();
    cJSON_AddNullToObject(data, "next");
    cJSON *results = cJSON_AddArrayToObject(data, "results");
    long k = 0;
    for (size_t i = 0; i < sizeof seeds / sizeof seeds[0] && k < page; i++) {
        const struct seed_candidate *s = &seeds[i];
        if (ids) {
            bool hit = false;
            size_t idl = strlen(s->id);
            for (const char *p = ids; *p; p += strcspn(p, ","), p += *p == ',')
                if (strcspn(p, ",") == idl && !strncmp(p, s->id, idl))
                    hit = true;
            if (!hit)
                continue;
        }
        if (matches(email, s->email) && matches(first, s->first) && matches(last, s->last)) {
            cJSON_AddItemToArray(results, seed_json(s));
            k++;
        }
    }
    return respond_success(m, r, c, data);
}

static enum MHD_Result answer_fault_control(struct mock *m, struct req *r, struct MHD_Connection *c)
{
    const char *kind = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "kind");
    const char *count = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "count");
    const char *status = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "status");
    struct mock_fault f = { .count = 1 };
    if (fault_parse(kind, &f.kind) < 0)
        return respond_error(m, r, c, 400, "PLATFORM.INPUT_INVALID",
                             "kind must be one of none, status, stall, drop, html, bad_json, "
                             "empty, huge, slow", NULL);
    long v;
    if (count) {
        if (!strcmp(count, "all"))
            v = -1;
        else if (num_parse_long(count, -1, 1000000, &v) < 0)
            return respond_error(m, r, c, 400, "PLATFORM.INPUT_INVALID",
                                 "count must be a number of requests, or -1/all", NULL);
        f.count = (int)v;
    }
    if (status) {
        if (num_parse_long(status, 100, 599, &v) < 0)
            return respond_error(m, r, c, 400, "PLATFORM.INPUT_INVALID",
                                 "status must be an HTTP status from 100 to 599", NULL);
        f.status = (int)v;
    }
    f.retry_after = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "retry_after");
    f.retry_after_ms = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "retry_after_ms");
    f.code = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "code");
    f.message = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "message");
    const char *rate = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "rate");
    if (rate && (num_parse_u64(rate, UINT64_MAX, &f.rate) < 0 || f.rate == 0))
        return respond_error(m, r, c, 400, "PLATFORM.INPUT_INVALID",
                             "rate must be a number of bytes per second", NULL);
    mock_inject(m, &f);
    cJSON *data = cJSON_CreateObject();
    cJSON_AddStringToObject(data, "kind", fault_name(f.kind));
    cJSON_AddNumberToObject(data, "count", f.count);
    return respond_success(m, r, c, data);
}

static enum MHD_Result answer_requests(struct mock *m, struct req *r, struct MHD_Connection *c)
{
    cJSON *data = cJSON_CreateObject();
    cJSON *list = cJSON_AddArrayToObject(data, "requests");
    pthread_mutex_lock(&m->mu);
    for (unsigned i = 0; i < MOCK_RING; i++) {   /* oldest first */
        const cJSON *o = m->ring[(m->ring_next + i) % MOCK_RING];
        if (o)
            cJSON_AddItemToArray(list, cJSON_Duplicate(o, 1));
    }
    pthread_mutex_unlock(&m->mu);
    return respond_success(m, r, c, data);
}

static enum MHD_Result answer_stats(struct mock *m, struct req *r, struct MHD_Connection *c)
{
    cJSON *data = cJSON_CreateObject();
    pthread_mutex_lock(&m->mu);
    unsigned stalled = 0;
    for (const struct stall *s = m->stalls; s; s = s->next)
        stalled++;
    cJSON_AddNumberToObject(data, "requests", m->requests);
    cJSON_AddNumberToObject(data, "uploads", m->uploads);
    cJSON_AddNumberToObject(data, "stored", m->stored_n);
    cJSON_AddNumberToObject(data, "stalled", stalled);
    cJSON *fault = cJSON_AddObjectToObject(data, "fault");
    cJSON_AddStringToObject(fault, "kind", fault_name(m->fault.kind));
    cJSON_AddNumberToObject(fault, "remaining", m->fault.count);
    pthread_mutex_unlock(&m->mu);
    return respond_success(m, r, c, data);
}

static enum MHD_Result answer_log(struct mock *m, struct req *r, struct MHD_Connection *c)
{
    char *digits = xstrndup(r->raw + 6, strcspn(r->raw + 6, "?"));
    uint64_t n;
    cJSON *found = NULL;
    if (num_parse_u64(digits, UINT_MAX, &n) == 0) {
        pthread_mutex_lock(&m->mu);
        for (int i = 0; i < MOCK_RING && !found; i++) {
            const cJSON *id = cJSON_GetObjectItemCaseSensitive(m->ring[i], "id");
            if (id && (uint64_t)id->valuedouble == n)
                found = cJSON_Duplicate(m->ring[i], 1);
        }
        pthread_mutex_unlock(&m->mu);
    }
    free(digits);
    if (!found)
        return respond_error(m, r, c, 404, "PLATFORM.INPUT_INVALID",
                             "no such log entry (the mock keeps the last 64 requests)", NULL);
    return respond_success(m, r, c, found);
}

/* Last call for a request: the body is complete. */
static enum MHD_Result finish(struct mock *m, struct req *r, struct MHD_Connection *c)
{
    if (r->fault.kind != MOCK_FAULT_NONE)
        return answer_fault(m, r, c);
    if (r->err_status) {
        const char *hdrs[] = { "Allow", r->allow, NULL };
        return respond_error(m, r, c, r->err_status, r->err_code,
                             r->err_msg ? r->err_msg : "error", r->err_status == 405 ? hdrs : NULL);
    }
    switch (r->route) {
    case R_UPLOAD: return process_upload(m, r, c);
    case R_LIST: return answer_list(m, r, c);
    case R_CANDIDATES: return answer_candidates(m, r, c);
    case R_CHECK: {
        cJSON *data = cJSON_CreateObject();
        cJSON_AddStringToObject(data, "environment_id", "mock-env");
        return respond_success(m, r, c, data);
    }
    case R_CTL_FAULT: return answer_fault_control(m, r, c);
    case R_CTL_REQUESTS: return answer_requests(m, r, c);
    case R_CTL_STATS: return answer_stats(m, r, c);
    case R_LOG: return answer_log(m, r, c);
    case R_NOT_FOUND: case R_BAD_METHOD: break;
    }
    return MHD_NO;
}

/* ------------------------------------------------------------ MHD callbacks */

static struct req *req_new(struct mock *m, const char *uri)
{
    struct req *r = xcalloc(1, sizeof *r);
    r->m = m;
    r->spool_fd = -1;
    r->raw = xstrdup(uri);
    pthread_mutex_lock(&m->mu);
    r->seq = ++m->seq;
    r->next = m->live;
    if (m->live)
        m->live->prev = r;
    m->live = r;
    pthread_mutex_unlock(&m->mu);
    return r;
}

/* MHD hands the access handler a decoded URL; this callback sees the target as sent. */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *c)
{
    (void)c;
    return req_new(cls, uri);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_data_size,
                                  void **con_cls)
{
    struct mock *m = cls;
    struct req *r = *con_cls;
    (void)version;
    if (!r) {
        r = req_new(m, url);
        *con_cls = r;
    }
    if (!r->started) {
        r->started = true;
        return begin(m, r, c, method);
    }
    if (*upload_data_size) {
        size_t n = *upload_data_size;
        if (r->slow_rate) {
            /* Hold the thread until these bytes are due at slow_rate: the client then sees a
             * link of that speed. Due times count from the first chunk, so the time spent
             * reading is not added on top. This blocks one of the pool's threads; fine for a
             * test fault. */
            double now = clock_now();
            if (r->slow_start == 0)
                r->slow_start = now;
            double wait = r->slow_start + (double)(r->received + n) / (double)r->slow_rate - now;
            if (wait > 0)
                usleep((useconds_t)((wait < 5 ? wait : 5) * 1e6));
        }
        enum MHD_Result rc = consume(m, r, upload_data, n);
        *upload_data_size = 0;
        return rc;
    }
    if (r->stalled)
        return MHD_NO;     /* resumed by mock_stop: close */
    if (r->fault.kind == MOCK_FAULT_DROP)
        return MHD_NO;     /* no body to hang up in: hang up now */
    return finish(m, r, c);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    struct mock *m = cls;
    struct req *r = *con_cls;
    (void)c;
    (void)toe;
    if (!r)
        return;
    record(m, r, 0);   /* no-op when an answer was recorded */
    pthread_mutex_lock(&m->mu);
    live_unlink(m, r);
    pthread_mutex_unlock(&m->mu);
    req_free(r);       /* removes spool and .partial files of unfinished uploads */
    *con_cls = NULL;
}

/* ------------------------------------------------------------------ public API */

static char *read_file(const char *path, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "cannot read %s: %s", path, strerror(errno));
        return NULL;
    }
    size_t cap = 8192, n = 0, k;
    char *buf = xmalloc(cap);
    while ((k = fread(buf + n, 1, cap - n - 1, f)) > 0) {
        n += k;
        if (n + 1 == cap) {
            if (cap > (1u << 20))
                break;      /* a PEM or key file is never this big */
            buf = xrealloc(buf, cap * 2);
            cap *= 2;
        }
    }
    fclose(f);
    buf[n] = '\0';
    return buf;
}

static void mock_free(struct mock *m)
{
    if (!m)
        return;
    while (m->live) {
        struct req *r = m->live;
        live_unlink(m, r);
        req_free(r);
    }
    while (m->stored) {
        struct stored *s = m->stored;
        m->stored = s->next;
        free(s->integration); free(s->candidate); free(s->application); free(s->file_name);
        free(s->content_type); free(s->type); free(s->data_url); free(s->path);
        free(s);
    }
    while (m->stalls) {
        struct stall *s = m->stalls;
        m->stalls = s->next;
        free(s);
    }
    for (int i = 0; i < MOCK_RING; i++)
        cJSON_Delete(m->ring[i]);
    fault_clear(&m->fault);
    free(m->last_raw);
    free(m->inbox);
    free(m->api_key);
    free(m->cert_pem);
    free(m->key_pem);
    pthread_mutex_destroy(&m->mu);
    free(m);
}

struct mock *mock_start(const struct mock_config *cfg, char *err, size_t errlen)
{
    if (!cfg || !cfg->inbox || !*cfg->inbox) {
        snprintf(err, errlen, "mock: an inbox folder is required");
        return NULL;
    }
    if (!cfg->tls_cert != !cfg->tls_key) {
        snprintf(err, errlen, "mock: HTTPS needs both a certificate and a key");
        return NULL;
    }
    if (fs_mkdir_p(cfg->inbox, 0755) < 0) {
        snprintf(err, errlen, "mock: cannot create the inbox %s: %s", cfg->inbox, strerror(errno));
        return NULL;
    }
    struct mock *m = xcalloc(1, sizeof *m);
    pthread_mutex_init(&m->mu, NULL);
    m->inbox = xstrdup(cfg->inbox);
    size_t il = strlen(m->inbox);
    while (il > 1 && m->inbox[il - 1] == '/')
        m->inbox[--il] = '\0';
    m->max_body = cfg->max_body ? cfg->max_body : MOCK_DEFAULT_MAX_BODY;
    m->api_key = dup_opt(cfg->api_key);
    m->quiet = cfg->quiet;
    m->stored_tail = &m->stored;
    m->id_state = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
    if (cfg->tls_cert) {
        m->tls = true;
        if (!(m->cert_pem = read_file(cfg->tls_cert, err, errlen)) ||
            !(m->key_pem = read_file(cfg->tls_key, err, errlen))) {
            mock_free(m);
            return NULL;
        }
    }

    struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(cfg->port) };
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    struct MHD_OptionItem opts[] = {
        { MHD_OPTION_SOCK_ADDR, 0, &sa },
        { MHD_OPTION_URI_LOG_CALLBACK, (intptr_t)on_uri, m },
        { MHD_OPTION_NOTIFY_COMPLETED, (intptr_t)on_completed, m },
        { MHD_OPTION_THREAD_POOL_SIZE, 2, NULL },
        { MHD_OPTION_CONNECTION_MEMORY_LIMIT, 256 * 1024, NULL },
        { MHD_OPTION_CONNECTION_TIMEOUT, 120, NULL },
        { m->tls ? MHD_OPTION_HTTPS_MEM_CERT : MHD_OPTION_END, 0, m->cert_pem },
        { MHD_OPTION_HTTPS_MEM_KEY, 0, m->key_pem },
        { MHD_OPTION_END, 0, NULL },
    };
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO | MHD_ALLOW_SUSPEND_RESUME |
                     (m->quiet ? 0 : MHD_USE_ERROR_LOG) | (m->tls ? MHD_USE_TLS : 0);
    m->d = MHD_start_daemon(flags, 0, NULL, NULL, on_request, m,
                            MHD_OPTION_ARRAY, opts, MHD_OPTION_END);
    if (!m->d) {
        /* MHD does not say why; a bind of our own usually does. */
        const char *why = "libmicrohttpd refused to start";
        int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd >= 0 && bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0)
            why = strerror(errno);
        else if (m->tls)
            why = "libmicrohttpd refused to start (is the certificate/key pair valid PEM?)";
        if (fd >= 0)
            close(fd);
        snprintf(err, errlen, "mock: cannot serve on 127.0.0.1:%u: %s", cfg->port, why);
        mock_free(m);
        return NULL;
    }
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(m->d, MHD_DAEMON_INFO_BIND_PORT);
    m->port = di ? di->port : cfg->port;
    snprintf(m->origin, sizeof m->origin, "%s://127.0.0.1:%u", m->tls ? "https" : "http", m->port);
    snprintf(m->base_url, sizeof m->base_url, "%s/v1", m->origin);
    return m;
}

unsigned short mock_port(const struct mock *m)
{
    return m->port;
}

const char *mock_base_url(const struct mock *m)
{
    return m->base_url;
}

void mock_inject(struct mock *m, const struct mock_fault *f)
{
    pthread_mutex_lock(&m->mu);
    fault_clear(&m->fault);
    if (f && f->kind != MOCK_FAULT_NONE && f->count != 0) {
        m->fault.kind = f->kind;
        m->fault.count = f->count;
        m->fault.status = f->status;
        m->fault.retry_after = dup_opt(f->retry_after);
        m->fault.retry_after_ms = dup_opt(f->retry_after_ms);
        m->fault.rate = f->rate;
        m->fault.code = dup_opt(f->code);
        m->fault.message = dup_opt(f->message);
    }
    pthread_mutex_unlock(&m->mu);
}

/* The counters are read under the lock: the server threads write them. */
unsigned mock_request_count(const struct mock *m)
{
    struct mock *mm = (struct mock *)m;
    pthread_mutex_lock(&mm->mu);
    unsigned v = mm->uploads;
    pthread_mutex_unlock(&mm->mu);
    return v;
}

unsigned mock_stored_count(const struct mock *m)
{
    struct mock *mm = (struct mock *)m;
    pthread_mutex_lock(&mm->mu);
    unsigned v = mm->stored_n;
    pthread_mutex_unlock(&mm->mu);
    return v;
}

char *mock_last_raw_path(const struct mock *m)
{
    struct mock *mm = (struct mock *)m;
    pthread_mutex_lock(&mm->mu);
    char *v = dup_opt(mm->last_raw);
    pthread_mutex_unlock(&mm->mu);
    return v;
}

void mock_stop(struct mock *m)
{
    if (!m)
        return;
    /* MHD refuses to stop with suspended connections: wake the stalled ones first; their
     * handler call then closes them. */
    pthread_mutex_lock(&m->mu);
    m->stopping = true;
    while (m->stalls) {
        struct stall *s = m->stalls;
        m->stalls = s->next;
        MHD_resume_connection(s->c);
        free(s);
    }
    pthread_mutex_unlock(&m->mu);
    MHD_stop_daemon(m->d);
    mock_free(m);
}
