/* Tests for the mock Kombo server: it runs in-process on a free port with a temp inbox
 * and is driven with plain libcurl requests, as a client would. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <curl/curl.h>
#include <cjson/cJSON.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sys/socket.h>
#include <time.h>

#include "base64.h"
#include "exitcodes.h"
#include "helpers.h"
#include "inbox.h"
#include "mock.h"
#include "mock_json.h"

#define KEY "test-key"
#define INTEG "workday:HWUTwvyx2wLoSUHphiWVrp28"
#define CAND "4B7z5qJ8dXcR2mTnWvKpLs9a"
#define EXAMPLE_B64 "SGkgdGhlcmUsIEtvbWJvIGlzIGN1cnJlbnRseSBoaXJpbmcgZW5naW5lZXJzIHRoYXQgbG92ZSB0byB3b3JrIG9uIGRldmVsb3BlciBwcm9kdWN0cy4="
#define EXAMPLE_TEXT "Hi there, Kombo is currently hiring engineers that love to work on developer products."
#define EXAMPLE_BODY "{\"attachment\":{\"name\":\"Frank Doe CV.txt\",\"type\":\"CV\"," \
    "\"content_type\":\"text/plain\",\"data\":\"" EXAMPLE_B64 "\"},\"remote_fields\":{}}"

/* One mock for most tests; some tests start their own with other settings. */
static struct mock *g_mock;
static char *g_inbox;

enum auth_mode { AUTH_OK, AUTH_NONE, AUTH_EMPTY, AUTH_BASIC, AUTH_WRONG };

struct call {
    const char *method;      /* default POST */
    const char *path;        /* below the origin, e.g. /v1/ats/... */
    const char *body;        /* NULL: none */
    size_t body_len;         /* 0: strlen(body) */
    enum auth_mode auth;
    bool no_integration;
    const char *integration; /* default INTEG */
    const char *ctype;       /* default application/json; "" omits the header */
    long timeout_ms;         /* default 20 s */
    bool chunked;
    bool expect100;
};

struct resp {
    CURLcode rc;
    long status;
    char *body;
    size_t len;
    char stored[PATH_MAX];
    char retry_after[64], retry_after_ms[64], ctype[128], allow[64];
    cJSON *json;
};

struct buf {
    char *p;
    size_t n;
};

static size_t on_body(char *p, size_t sz, size_t n, void *ud)
{
    struct buf *b = ud;
    char *np = realloc(b->p, b->n + sz * n + 1);
    if (!np)
        return 0;
    b->p = np;
    memcpy(b->p + b->n, p, sz * n);
    b->n += sz * n;
    b->p[b->n] = '\0';
    return sz * n;
}

static void grab(const char *line, size_t len, const char *name, char *out, size_t outlen)
{
    size_t nl = strlen(name);
    if (len > nl + 1 && strncasecmp(line, name, nl) == 0 && line[nl] == ':') {
        const char *v = line + nl + 1;
        size_t vl = len - nl - 1;
        while (vl && (*v == ' '))
            v++, vl--;
        while (vl && (v[vl - 1] == '\r' || v[vl - 1] == '\n'))
            vl--;
        snprintf(out, outlen, "%.*s", (int)vl, v);
    }
}

static size_t on_header(char *p, size_t sz, size_t n, void *ud)
{
    struct resp *r = ud;
    grab(p, sz * n, "X-Mock-Stored-Path", r->stored, sizeof r->stored);
    grab(p, sz * n, "Retry-After", r->retry_after, sizeof r->retry_after);
    grab(p, sz * n, "Retry-After-Ms", r->retry_after_ms, sizeof r->retry_after_ms);
    grab(p, sz * n, "Content-Type", r->ctype, sizeof r->ctype);
    grab(p, sz * n, "Allow", r->allow, sizeof r->allow);
    return sz * n;
}

struct reader {
    const char *p;
    size_t left;
};

static size_t on_read(char *out, size_t sz, size_t n, void *ud)
{
    struct reader *rd = ud;
    size_t k = sz * n < rd->left ? sz * n : rd->left;
    memcpy(out, rd->p, k);
    rd->p += k;
    rd->left -= k;
    return k;
}

static struct resp call_url(const char *origin, const struct call *c, const char *cainfo)
{
    struct resp r;
    memset(&r, 0, sizeof r);
    CURL *h = curl_easy_init();
    char url[2048];
    snprintf(url, sizeof url, "%s%s", origin, c->path);
    struct curl_slist *hl = NULL;
    switch (c->auth) {
    case AUTH_OK: hl = curl_slist_append(hl, "Authorization: Bearer " KEY); break;
    case AUTH_EMPTY: hl = curl_slist_append(hl, "Authorization: Bearer "); break;
    case AUTH_BASIC: hl = curl_slist_append(hl, "Authorization: Basic dXNlcjpwYXNz"); break;
    case AUTH_WRONG: hl = curl_slist_append(hl, "Authorization: Bearer nope"); break;
    case AUTH_NONE: break;
    }
    char line[512];
    if (!c->no_integration) {
        snprintf(line, sizeof line, "X-Integration-Id: %s", c->integration ? c->integration : INTEG);
        hl = curl_slist_append(hl, line);
    }
    if (!c->ctype)
        hl = curl_slist_append(hl, "Content-Type: application/json");
    else if (*c->ctype) {
        snprintf(line, sizeof line, "Content-Type: %s", c->ctype);
        hl = curl_slist_append(hl, line);
    } else {
        hl = curl_slist_append(hl, "Content-Type:");
    }
    hl = curl_slist_append(hl, c->expect100 ? "Expect: 100-continue" : "Expect:");
    struct reader rd = { 0 };
    if (c->body) {
        size_t len = c->body_len ? c->body_len : strlen(c->body);
        if (c->chunked) {
            rd.p = c->body;
            rd.left = len;
            curl_easy_setopt(h, CURLOPT_POST, 1L);
            curl_easy_setopt(h, CURLOPT_READFUNCTION, on_read);
            curl_easy_setopt(h, CURLOPT_READDATA, &rd);
        } else {
            curl_easy_setopt(h, CURLOPT_POSTFIELDS, c->body);
            curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
        }
    }
    const char *method = c->method ? c->method : "POST";
    if (strcmp(method, "POST") && strcmp(method, "GET"))
        curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
    else if (!strcmp(method, "GET"))
        curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
    else if (!c->body) {
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, "");
        curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)0);
    }
    struct buf b = { 0 };
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hl);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &b);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, &r);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, c->timeout_ms ? c->timeout_ms : 20000L);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    /* Send "." and ".." segments as they are: the mock, not curl, must cope with them. */
    curl_easy_setopt(h, CURLOPT_PATH_AS_IS, 1L);
    if (cainfo)
        curl_easy_setopt(h, CURLOPT_CAINFO, cainfo);
    r.rc = curl_easy_perform(h);
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &r.status);
    curl_easy_cleanup(h);
    curl_slist_free_all(hl);
    r.body = b.p;
    r.len = b.n;
    if (r.body)
        r.json = cJSON_Parse(r.body);
    return r;
}

static struct resp call(const struct call *c)
{
    char origin[64];
    snprintf(origin, sizeof origin, "http://127.0.0.1:%u", mock_port(g_mock));
    return call_url(origin, c, NULL);
}

static void resp_free(struct resp *r)
{
    free(r->body);
    cJSON_Delete(r->json);
    r->body = NULL;
    r->json = NULL;
}

static const char *jstr(const cJSON *j, const char *a, const char *b)
{
    const cJSON *x = cJSON_GetObjectItemCaseSensitive(j, a);
    if (b)
        x = cJSON_GetObjectItemCaseSensitive(x, b);
    return cJSON_IsString(x) ? x->valuestring : NULL;
}

/* The newest entry of /__mock/requests (the key too: a mock with a key guards it). Caller
 * deletes. */
static cJSON *last_record(const char *origin)
{
    struct resp r = call_url(origin, &(struct call){ .method = "GET", .path = "/__mock/requests",
                                                     .auth = AUTH_OK }, NULL);
    const cJSON *list = cJSON_GetObjectItem(cJSON_GetObjectItem(r.json, "data"), "requests");
    int n = cJSON_GetArraySize(list);
    cJSON *last = n ? cJSON_Duplicate(cJSON_GetArrayItem(list, n - 1), 1) : NULL;
    resp_free(&r);
    return last;
}

static char *upload_body(const char *name, const char *type, const char *ctype, const char *data)
{
    cJSON *root = cJSON_CreateObject();
    cJSON *a = cJSON_AddObjectToObject(root, "attachment");
    cJSON_AddStringToObject(a, "name", name);
    cJSON_AddStringToObject(a, "type", type);
    cJSON_AddStringToObject(a, "content_type", ctype);
    cJSON_AddStringToObject(a, "data", data);
    cJSON_AddObjectToObject(root, "remote_fields");
    char *s = cJSON_PrintUnformatted(root);
    cJSON_Delete(root);
    return s;
}

/* Regular files anywhere under dir whose name starts with prefix (NULL: all files). */
static int count_files(const char *dir, const char *prefix)
{
    char cmd[PATH_MAX + 128];
    snprintf(cmd, sizeof cmd, "find '%s' -type f %s%s%s | wc -l", dir,
             prefix ? "-name '" : "", prefix ? prefix : "", prefix ? "*'" : "");
    FILE *p = popen(cmd, "r");
    int n = -1;
    if (p) {
        if (fscanf(p, "%d", &n) != 1)
            n = -1;
        pclose(p);
    }
    return n;
}

/* Temp files go away in MHD's completion callback, just after the answer is sent. */
static int wait_no_temp_files(const char *dir)
{
    int n = -1;
    for (int i = 0; i < 200; i++) {
        n = count_files(dir, ".mock-");
        if (n == 0)
            return 0;
        usleep(10000);
    }
    return n;
}

static char *file_text(const char *path, size_t *len)
{
    return th_slurp(path, len);
}

static int setup_group(void **state)
{
    (void)state;
    curl_global_init(CURL_GLOBAL_DEFAULT);
    g_inbox = th_tempdir();
    struct mock_config cfg = { .inbox = g_inbox, .api_key = KEY, .quiet = true, .any_candidate = true };
    char err[256];
    g_mock = mock_start(&cfg, err, sizeof err);
    if (!g_mock) {
        fprintf(stderr, "mock_start: %s\n", err);
        return -1;
    }
    return 0;
}

static int teardown_group(void **state)
{
    (void)state;
    mock_stop(g_mock);
    th_rmtree(g_inbox);
    free(g_inbox);
    curl_global_cleanup();
    return 0;
}

/* ------------------------------------------------------------- validation */

struct vcase {
    const char *what;
    struct call c;
    long status;
    const char *code;
    const char *word;        /* must appear in error.message */
};

#define UP "/v1/ats/candidates/" CAND "/attachments"
#define ATT(inner) "{\"attachment\":{" inner "}}"
#define GOOD_ATT "\"name\":\"a.txt\",\"type\":\"CV\",\"content_type\":\"text/plain\""

static void test_validation_errors(void **state)
{
    (void)state;
    static const struct vcase cases[] = {
        { "no auth", { .path = UP, .body = EXAMPLE_BODY, .auth = AUTH_NONE }, 401,
          "PLATFORM.AUTHENTICATION_INVALID", "Authorization" },
        { "empty bearer", { .path = UP, .body = EXAMPLE_BODY, .auth = AUTH_EMPTY }, 401,
          "PLATFORM.AUTHENTICATION_INVALID", "empty" },
        { "basic scheme", { .path = UP, .body = EXAMPLE_BODY, .auth = AUTH_BASIC }, 401,
          "PLATFORM.AUTHENTICATION_INVALID", "Bearer" },
        { "wrong key", { .path = UP, .body = EXAMPLE_BODY, .auth = AUTH_WRONG }, 401,
          "PLATFORM.AUTHENTICATION_INVALID", "not valid" },
        { "wrong key, 100-continue", { .path = UP, .body = EXAMPLE_BODY, .auth = AUTH_WRONG,
          .expect100 = true }, 401, "PLATFORM.AUTHENTICATION_INVALID", "not valid" },
        { "no integration", { .path = UP, .body = EXAMPLE_BODY, .no_integration = true }, 400,
          "PLATFORM.INPUT_INVALID", "X-Integration-Id" },
        { "empty integration", { .path = UP, .body = EXAMPLE_BODY, .integration = "" }, 400,
          "PLATFORM.INPUT_INVALID", "X-Integration-Id" },
        { "no content type", { .path = UP, .body = EXAMPLE_BODY, .ctype = "" }, 400,
          "PLATFORM.INPUT_INVALID", "Content-Type" },
        { "text/plain content type", { .path = UP, .body = EXAMPLE_BODY, .ctype = "text/plain" },
          400, "PLATFORM.INPUT_INVALID", "application/json" },
        { "bad json", { .path = UP, .body = "{\"attachment\":" }, 400,
          "PLATFORM.INPUT_INVALID", "not valid JSON" },
        { "trailing garbage", { .path = UP, .body = "{} x" }, 400,
          "PLATFORM.INPUT_INVALID", "after the JSON" },
        { "bad literal", { .path = UP, .body = "{\"attachment\":nul}" }, 400,
          "PLATFORM.INPUT_INVALID", "not valid JSON" },
        { "empty body", { .path = UP }, 400, "PLATFORM.INPUT_INVALID", "empty" },
        { "array body", { .path = UP, .body = "[1,2]" }, 400,
          "PLATFORM.INPUT_INVALID", "JSON object" },
        { "no attachment", { .path = UP, .body = "{\"remote_fields\":{}}" }, 400,
          "PLATFORM.INPUT_INVALID", "attachment is required" },
        { "attachment string", { .path = UP, .body = "{\"attachment\":\"x\"}" }, 400,
          "PLATFORM.INPUT_INVALID", "must be an object" },
        { "no name", { .path = UP, .body = ATT("\"type\":\"CV\",\"content_type\":\"a/b\",\"data\":\"QQ==\"") },
          400, "PLATFORM.INPUT_INVALID", "attachment.name is required" },
        { "empty name", { .path = UP, .body = ATT("\"name\":\"\",\"type\":\"CV\",\"content_type\":\"a/b\",\"data\":\"QQ==\"") },
          400, "PLATFORM.INPUT_INVALID", "attachment.name must not be empty" },
        { "numeric name", { .path = UP, .body = ATT("\"name\":5,\"type\":\"CV\",\"content_type\":\"a/b\",\"data\":\"QQ==\"") },
          400, "PLATFORM.INPUT_INVALID", "attachment.name must be a string" },
        { "no type", { .path = UP, .body = ATT("\"name\":\"a.txt\",\"content_type\":\"a/b\",\"data\":\"QQ==\"") },
          400, "PLATFORM.INPUT_INVALID", "attachment.type is required" },
        { "unknown type", { .path = UP, .body = ATT("\"name\":\"a.txt\",\"type\":\"RESUME\",\"content_type\":\"a/b\",\"data\":\"QQ==\"") },
          400, "PLATFORM.INPUT_INVALID", "RESUME" },
        { "lower-case type", { .path = UP, .body = ATT("\"name\":\"a.txt\",\"type\":\"cv\",\"content_type\":\"a/b\",\"data\":\"QQ==\"") },
          400, "PLATFORM.INPUT_INVALID", "COVER_LETTER" },
        { "data and data_url", { .path = UP, .body = ATT(GOOD_ATT ",\"data\":\"QQ==\",\"data_url\":\"https://x/y\"") },
          400, "PLATFORM.INPUT_INVALID", "exactly one" },
        { "neither data", { .path = UP, .body = ATT(GOOD_ATT) },
          400, "PLATFORM.INPUT_INVALID", "data_url is required" },
        { "data without content_type", { .path = UP, .body = ATT("\"name\":\"a.txt\",\"type\":\"CV\",\"data\":\"QQ==\"") },
          400, "PLATFORM.INPUT_INVALID", "content_type is required" },
        { "data not a string", { .path = UP, .body = ATT(GOOD_ATT ",\"data\":[1]") },
          400, "PLATFORM.INPUT_INVALID", "base64 string" },
        { "data_url not http", { .path = UP, .body = ATT(GOOD_ATT ",\"data_url\":\"ftp://x\"") },
          400, "PLATFORM.INPUT_INVALID", "http" },
        { "base64 bad char", { .path = UP, .body = ATT(GOOD_ATT ",\"data\":\"QQ*=\"") },
          400, "PLATFORM.INPUT_INVALID", "alphabet" },
        { "base64 url-safe", { .path = UP, .body = ATT(GOOD_ATT ",\"data\":\"a-b_\"") },
          400, "PLATFORM.INPUT_INVALID", "URL-safe" },
        { "base64 line break", { .path = UP, .body = ATT(GOOD_ATT ",\"data\":\"QUJD\\nREVG\"") },
          400, "PLATFORM.INPUT_INVALID", "line break" },
        { "base64 no padding", { .path = UP, .body = ATT(GOOD_ATT ",\"data\":\"QQ\"") },
          400, "PLATFORM.INPUT_INVALID", "multiple of 4" },
        { "base64 padding inside", { .path = UP, .body = ATT(GOOD_ATT ",\"data\":\"QQ==QUJD\"") },
          400, "PLATFORM.INPUT_INVALID", "padding" },
        { "base64 non-canonical bits", { .path = UP, .body = ATT(GOOD_ATT ",\"data\":\"QR==\"") },
          400, "PLATFORM.INPUT_INVALID", "bits" },
        { "remote_fields array", { .path = UP, .body = "{\"attachment\":{" GOOD_ATT ",\"data\":\"QQ==\"},\"remote_fields\":[]}" },
          400, "PLATFORM.INPUT_INVALID", "remote_fields must be an object" },
        { "duplicate data", { .path = UP, .body = ATT(GOOD_ATT ",\"data\":\"QQ==\",\"data\":\"QQ==\"") },
          400, "PLATFORM.INPUT_INVALID", "duplicate" },
        { "NUL in the attachment key", { .path = UP, .body = "{\"attachment\\u0000\":{" GOOD_ATT ",\"data\":\"QQ==\"}}" },
          400, "PLATFORM.INPUT_INVALID", "\\u0000" },
        { "NUL key beside the real one", { .path = UP, .body = "{\"attachment\":{" GOOD_ATT ",\"data\":\"QQ==\"},"
          "\"attachment\\u0000\":{\"name\":\"evil.txt\",\"type\":\"CV\",\"content_type\":\"text/plain\",\"data\":\"QQ==\"}}" },
          400, "PLATFORM.INPUT_INVALID", "NUL" },
        { "NUL in a remote_fields key", { .path = UP, .body = "{\"attachment\":{" GOOD_ATT ",\"data\":\"QQ==\"},"
          "\"remote_fields\":{\"a\\u0000b\":1}}" }, 400, "PLATFORM.INPUT_INVALID", "NUL" },
        { "name twice", { .path = UP, .body = ATT(GOOD_ATT ",\"name\":\"other.txt\",\"data\":\"QQ==\"") },
          400, "PLATFORM.INPUT_INVALID", "\"name\" appears twice" },
        { "escaped name twice", { .path = UP, .body = ATT(GOOD_ATT ",\"n\\u0061me\":\"other.txt\",\"data\":\"QQ==\"") },
          400, "PLATFORM.INPUT_INVALID", "appears twice" },
        { "remote_fields key twice", { .path = UP, .body = "{\"attachment\":{" GOOD_ATT ",\"data\":\"QQ==\"},"
          "\"remote_fields\":{\"g\":{\"x\":1,\"x\":2}}}" }, 400, "PLATFORM.INPUT_INVALID", "\"x\" appears twice" },
        { "bad percent escape", { .path = "/v1/ats/candidates/a%zz/attachments", .body = EXAMPLE_BODY },
          400, "PLATFORM.INPUT_INVALID", "percent" },
        { "unknown path", { .path = "/v1/ats/jobs", .body = EXAMPLE_BODY }, 404,
          "PLATFORM.INPUT_INVALID", "no such endpoint" },
        { "empty id", { .path = "/v1/ats/candidates//attachments", .body = EXAMPLE_BODY }, 404,
          "PLATFORM.INPUT_INVALID", "no such endpoint" },
        { "wrong method", { .method = "DELETE", .path = UP }, 405,
          "PLATFORM.INPUT_INVALID", "not allowed" },
        { "DELETE on application attachments", { .method = "DELETE", .path = "/v1/ats/applications/x/attachments" },
          405, "PLATFORM.INPUT_INVALID", "GET, POST" },
    };
    unsigned stored0 = mock_stored_count(g_mock);
    char prefix[64];
    snprintf(prefix, sizeof prefix, "http://127.0.0.1:%u/logs/", mock_port(g_mock));
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const struct vcase *v = &cases[i];
        struct resp r = call(&v->c);
        const char *code = jstr(r.json, "error", "code");
        const char *msg = jstr(r.json, "error", "message");
        const char *log = jstr(r.json, "error", "log_url");
        const char *title = jstr(r.json, "error", "title");
        if (r.rc != CURLE_OK || r.status != v->status || !code || strcmp(code, v->code) ||
            !msg || !strstr(msg, v->word) || !log || strncmp(log, prefix, strlen(prefix)) ||
            !title || strcmp(jstr(r.json, "status", NULL), "error") ||
            strncmp(r.ctype, "application/json", 16))
            fail_msg("case \"%s\": rc %d status %ld body %s", v->what, r.rc, r.status,
                     r.body ? r.body : "(none)");
        if (v->status == 405 && !strstr(r.allow, "POST"))
            fail_msg("case \"%s\": Allow header \"%s\"", v->what, r.allow);
        resp_free(&r);
    }
    assert_int_equal(mock_stored_count(g_mock), stored0);
    assert_int_equal(wait_no_temp_files(g_inbox), 0);
}

/* ------------------------------------------------------------- success */

static void test_example_body_stored(void **state)
{
    (void)state;
    unsigned before = mock_stored_count(g_mock), req_before = mock_request_count(g_mock);
    struct call c = { .path = "/v1/ats/candidates/frank-example/attachments", .body = EXAMPLE_BODY };
    struct resp r = call(&c);
    assert_int_equal(r.rc, CURLE_OK);
    assert_int_equal(r.status, 200);
    assert_string_equal(jstr(r.json, "status", NULL), "success");
    assert_true(cJSON_IsObject(cJSON_GetObjectItem(r.json, "data")));
    const cJSON *w = cJSON_GetObjectItem(r.json, "warnings");
    assert_true(cJSON_IsArray(w));
    assert_int_equal(cJSON_GetArraySize(w), 0);

    char want[PATH_MAX];
    snprintf(want, sizeof want, "%s/" INTEG "/frank-example/Frank Doe CV.txt", g_inbox);
    assert_string_equal(r.stored, want);
    size_t len = 0;
    char *got = file_text(want, &len);
    assert_non_null(got);
    assert_int_equal(len, strlen(EXAMPLE_TEXT));
    assert_memory_equal(got, EXAMPLE_TEXT, len);
    free(got);
    assert_int_equal(mock_stored_count(g_mock), before + 1);
    assert_int_equal(mock_request_count(g_mock), req_before + 1);
    resp_free(&r);
    assert_int_equal(wait_no_temp_files(g_inbox), 0);
}

/* Random bytes of sizes around the chunk boundaries of the decoder (64 KiB of base64). */
static void test_binary_roundtrip(void **state)
{
    (void)state;
    static const size_t sizes[] = { 0, 1, 2, 3, 49151, 49152, 49153, 300001 };
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        char src[PATH_MAX], name[64];
        snprintf(src, sizeof src, "%s/../ka-src-%zu", g_inbox, i);
        assert_int_equal(th_write_random(src, sizes[i], (unsigned)i + 7), 0);
        size_t n = 0;
        unsigned char *bytes = (unsigned char *)th_slurp(src, &n);
        assert_int_equal(n, sizes[i]);
        char *b64 = malloc(b64_encoded_len(n) + 1);
        b64[b64_encode(bytes, n, b64)] = '\0';
        /* Every other file with "\/" escapes, as PHP's json_encode writes them. */
        if (i % 2) {
            size_t slashes = 0;
            for (char *p = b64; *p; p++)
                slashes += *p == '/';
            char *esc = malloc(strlen(b64) + slashes + 1), *o = esc;
            for (char *p = b64; *p; p++) {
                if (*p == '/')
                    *o++ = '\\';
                *o++ = *p;
            }
            *o = '\0';
            free(b64);
            b64 = esc;
        }
        snprintf(name, sizeof name, "bin-%zu.bin", i);
        char *body = malloc(strlen(b64) + 256);
        sprintf(body, "{\"attachment\":{\"name\":\"%s\",\"type\":\"OTHER\",\"content_type\":"
                "\"application/x-test\",\"data\":\"%s\"}}", name, b64);
        struct call c = { .path = "/v1/ats/candidates/roundtrip/attachments", .body = body };
        struct resp r = call(&c);
        if (r.status != 200)
            fail_msg("size %zu: status %ld %s", sizes[i], r.status, r.body);
        if (th_files_equal(src, r.stored) != 0)
            fail_msg("size %zu: stored file %s differs", sizes[i], r.stored);
        resp_free(&r);
        free(body);
        free(b64);
        free(bytes);
        unlink(src);
    }
}

static bool has_warning(const cJSON *j, const char *word)
{
    const cJSON *w;
    cJSON_ArrayForEach(w, cJSON_GetObjectItem(j, "warnings")) {
        const char *m = jstr(w, "message", NULL);
        if (m && strstr(m, word))
            return true;
    }
    return false;
}

static void test_content_type_warnings(void **state)
{
    (void)state;
    static const struct { const char *ctype, *word; bool warned; } cases[] = {
        { "application/octet-stream", "generic", true },
        { "text/plain; charset=utf-8", "parameters", true },
        { "application/pdf", "content_type", false },
        { "pdf", "type/subtype", true },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *body = upload_body("w.pdf", "CV", cases[i].ctype, "QUJD");
        struct call c = { .path = "/v1/ats/candidates/warn/attachments", .body = body };
        struct resp r = call(&c);
        assert_int_equal(r.status, 200);
        if (has_warning(r.json, cases[i].word) != cases[i].warned)
            fail_msg("content type \"%s\": %s", cases[i].ctype, r.body);
        resp_free(&r);
        free(body);
    }
}

/* realpath(p) lies inside realpath(dir). */
static bool inside(const char *dir, const char *p)
{
    char a[PATH_MAX], b[PATH_MAX];
    if (!realpath(dir, a) || !realpath(p, b))
        return false;
    size_t n = strlen(a);
    return strncmp(a, b, n) == 0 && b[n] == '/';
}

static void test_path_traversal(void **state)
{
    (void)state;
    static const struct { const char *cand, *integ, *name, *expect_tail; } cases[] = {
        { "c1", INTEG, "../../etc/x", "/c1/_._.._etc_x" },
        { "..%2F..", INTEG, "t.txt", "/_._../t.txt" },
        { "..", INTEG, "t2.txt", "/_./t2.txt" },
        { "%2E%2E", INTEG, "t3.txt", "/_./t3.txt" },
        { "c2", "../x", "t.txt", "/_._x/c2/t.txt" },
        { "c3", "..", "..", "/_./c3/_." },
        { "a%00b%0A", INTEG, "n\\u0001l.txt", "/a_b_/n_l.txt" },
        { "c4", INTEG, "/etc/passwd", "/c4/_etc_passwd" },
        { "c5", INTEG, ".hidden", "/c5/_hidden" },
    };
    /* Something else on the machine may have made these (the inbox's parent is /tmp):
     * then only "not made by us" can be checked, by their inode and change time. */
    char up_x[PATH_MAX], up_etc[PATH_MAX];
    snprintf(up_x, sizeof up_x, "%s/../x", g_inbox);
    snprintf(up_etc, sizeof up_etc, "%s/../etc", g_inbox);
    struct stat before_x, before_etc;
    bool had_x = stat(up_x, &before_x) == 0, had_etc = stat(up_etc, &before_etc) == 0;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char path[256], body[512];
        snprintf(path, sizeof path, "/v1/ats/candidates/%s/attachments", cases[i].cand);
        snprintf(body, sizeof body, "{\"attachment\":{\"name\":\"%s\",\"type\":\"CV\","
                 "\"content_type\":\"text/plain\",\"data\":\"QUJD\"}}", cases[i].name);
        struct call c = { .path = path, .body = body, .integration = cases[i].integ };
        struct resp r = call(&c);
        if (r.status != 200)
            fail_msg("case %zu: status %ld %s", i, r.status, r.body);
        if (!inside(g_inbox, r.stored))
            fail_msg("case %zu: %s is outside the inbox", i, r.stored);
        size_t sl = strlen(r.stored), tl = strlen(cases[i].expect_tail);
        if (sl < tl || strcmp(r.stored + sl - tl, cases[i].expect_tail))
            fail_msg("case %zu: stored as %s, expected ...%s", i, r.stored, cases[i].expect_tail);
        resp_free(&r);
    }
    /* Nothing escaped next to the inbox. */
    struct stat after;
    if (!had_x)
        assert_int_equal(stat(up_x, &after), -1);
    else if (stat(up_x, &after) == 0 && (after.st_ino != before_x.st_ino ||
                                          after.st_ctime != before_x.st_ctime))
        fail_msg("%s changed during the uploads", up_x);
    if (!had_etc)
        assert_int_equal(stat(up_etc, &after), -1);
    else if (stat(up_etc, &after) == 0 && (after.st_ino != before_etc.st_ino ||
                                            after.st_ctime != before_etc.st_ctime))
        fail_msg("%s changed during the uploads", up_etc);
}

static void test_safe_component_table(void **state)
{
    (void)state;
    static const struct { const char *in; size_t len; const char *out; } cases[] = {
        { "", 0, "_" }, { ".", 1, "_" }, { "..", 2, "_." }, { "a/b", 3, "a_b" },
        { "a\\b", 3, "a_b" }, { "a\0b", 3, "a_b" }, { "\x7f", 1, "_" },
        { "caf\xc3\xa9.pdf", 9, "caf\xc3\xa9.pdf" },           /* UTF-8 kept */
        { "bad\xc3(", 5, "bad_(" },                             /* invalid UTF-8 */
        { "\xc2\x85x", 3, "_x" },                               /* C1 control NEL */
        { "\xed\xa0\x80", 3, "___" },                           /* surrogate */
    };
    char out[INBOX_COMPONENT_MAX + 1];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        inbox_safe_component(cases[i].in, cases[i].len, out, sizeof out);
        if (strcmp(out, cases[i].out))
            fail_msg("case %zu: got \"%s\", want \"%s\"", i, out, cases[i].out);
    }
    /* A long name is cut to the cap but keeps its extension and whole characters. */
    char lng[600];
    memset(lng, 'a', sizeof lng);
    memcpy(lng + 300, "\xc3\xa9\xc3\xa9\xc3\xa9", 6);
    memcpy(lng + sizeof lng - 5, ".docx", 5);
    size_t n = inbox_safe_component(lng, sizeof lng, out, sizeof out);
    assert_true(n <= INBOX_COMPONENT_MAX);
    assert_string_equal(out + n - 5, ".docx");
    char small[8];
    assert_int_equal(inbox_safe_component("abcdefghij", 10, small, sizeof small), 7);
    assert_string_equal(small, "abcdefg");
}

static void test_name_collisions(void **state)
{
    (void)state;
    static const char *const want[] = { "CV.pdf", "CV (2).pdf", "CV (3).pdf" };
    static const char *const want_noext[] = { "README", "README (2)" };
    for (int i = 0; i < 3; i++) {
        char *body = upload_body("CV.pdf", "CV", "application/pdf", i == 1 ? "QUJD" : "REVG");
        struct call c = { .path = "/v1/ats/candidates/coll/attachments", .body = body };
        struct resp r = call(&c);
        assert_int_equal(r.status, 200);
        const char *base = strrchr(r.stored, '/');
        assert_non_null(base);
        assert_string_equal(base + 1, want[i]);
        /* The earlier files are untouched. */
        size_t len;
        char *t = file_text(r.stored, &len);
        assert_memory_equal(t, i == 1 ? "ABC" : "DEF", 3);
        free(t);
        resp_free(&r);
        free(body);
    }
    for (int i = 0; i < 2; i++) {
        char *body = upload_body("README", "OTHER", "text/plain", "QUJD");
        struct call c = { .path = "/v1/ats/candidates/coll/attachments", .body = body };
        struct resp r = call(&c);
        assert_int_equal(r.status, 200);
        assert_string_equal(strrchr(r.stored, '/') + 1, want_noext[i]);
        assert_true(has_warning(r.json, "extension"));
        resp_free(&r);
        free(body);
    }
}

/* ------------------------------------------------------------- size limit */

static void test_max_body(void **state)
{
    (void)state;
    char *inbox = th_tempdir(), err[256];
    struct mock_config cfg = { .inbox = inbox, .max_body = 1000, .quiet = true, .any_candidate = true };
    struct mock *m = mock_start(&cfg, err, sizeof err);
    assert_non_null(m);
    char origin[64];
    snprintf(origin, sizeof origin, "http://127.0.0.1:%u", mock_port(m));

    char data[2000];
    memset(data, 'A', sizeof data);
    snprintf(data + 1200, 10, "AAAA");
    char *big = upload_body("big.bin", "OTHER", "application/pdf", data);   /* ~1.3 kB */
    char *small = upload_body("ok.bin", "OTHER", "application/pdf", "QUJD");
    static const struct { bool chunked, expect100, use_big; long status; } cases[] = {
        { false, false, true, 413 },   /* Content-Length checked up front, body drained */
        { false, true, true, 413 },    /* answered before the body is sent */
        { true, false, true, 413 },    /* chunked: bytes counted */
        { true, false, false, 200 },
        { false, false, false, 200 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct call c = { .path = UP, .body = cases[i].use_big ? big : small,
                          .chunked = cases[i].chunked, .expect100 = cases[i].expect100 };
        struct resp r = call_url(origin, &c, NULL);
        if (r.rc != CURLE_OK || r.status != cases[i].status)
            fail_msg("case %zu: rc %d status %ld %s", i, r.rc, r.status, r.body);
        if (r.status == 413) {
            assert_string_equal(jstr(r.json, "error", "code"), "PLATFORM.INPUT_INVALID");
            assert_non_null(strstr(jstr(r.json, "error", "message"), "1000"));
        }
        resp_free(&r);
        if (cases[i].expect100) {
            /* Refused on its Content-Length: the body was never sent. */
            cJSON *rec = last_record(origin);
            assert_int_equal(cJSON_GetObjectItem(rec, "body_bytes")->valueint, 0);
            cJSON_Delete(rec);
        }
    }
    assert_int_equal(mock_stored_count(m), 2);
    assert_int_equal(wait_no_temp_files(inbox), 0);
    assert_int_equal(count_files(inbox, NULL), 2);
    mock_stop(m);
    free(big);
    free(small);
    th_rmtree(inbox);
    free(inbox);
}

/* ------------------------------------------------------------- faults */

static void test_status_faults(void **state)
{
    (void)state;
    static const struct {
        int status; const char *ra, *ra_ms; const char *code, *want_ra, *want_ra_ms;
    } cases[] = {
        { 503, "1", NULL, "REMOTE.SERVICE_UNAVAILABLE", "1", "" },
        { 429, NULL, NULL, "PLATFORM.RATE_LIMIT_EXCEEDED", "1", "" },
        { 429, NULL, "250", "PLATFORM.RATE_LIMIT_EXCEEDED", "", "250" },
        { 429, "", NULL, "PLATFORM.RATE_LIMIT_EXCEEDED", "", "" },
        { 500, NULL, NULL, "PLATFORM.UNKNOWN_ERROR", "", "" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct mock_fault f = { .kind = MOCK_FAULT_STATUS, .count = 2, .status = cases[i].status,
                                .retry_after = cases[i].ra, .retry_after_ms = cases[i].ra_ms };
        mock_inject(g_mock, &f);
        unsigned stored = mock_stored_count(g_mock);
        for (int k = 0; k < 3; k++) {
            struct call c = { .path = "/v1/ats/candidates/faulty/attachments", .body = EXAMPLE_BODY };
            struct resp r = call(&c);
            if (k < 2) {
                if (r.status != cases[i].status || strcmp(jstr(r.json, "error", "code"), cases[i].code) ||
                    strcmp(r.retry_after, cases[i].want_ra) || strcmp(r.retry_after_ms, cases[i].want_ra_ms))
                    fail_msg("case %zu try %d: %ld %s RA \"%s\" RAM \"%s\"", i, k, r.status, r.body,
                             r.retry_after, r.retry_after_ms);
            } else {
                assert_int_equal(r.status, 200);
            }
            resp_free(&r);
        }
        assert_int_equal(mock_stored_count(g_mock), stored + 1);
    }
    /* Faults count upload requests only: other endpoints pass through. */
    struct mock_fault f = { .kind = MOCK_FAULT_STATUS, .count = 1, .status = 503 };
    mock_inject(g_mock, &f);
    struct call chk = { .method = "GET", .path = "/v1/check-api-key" };
    struct resp r = call(&chk);
    assert_int_equal(r.status, 200);
    resp_free(&r);
    struct call up = { .path = "/v1/ats/candidates/faulty/attachments", .body = EXAMPLE_BODY };
    r = call(&up);
    assert_int_equal(r.status, 503);
    resp_free(&r);
    assert_int_equal(wait_no_temp_files(g_inbox), 0);
}

static void test_body_faults(void **state)
{
    (void)state;
    struct mock_fault f = { .kind = MOCK_FAULT_HTML, .count = 1 };
    struct call c = { .path = "/v1/ats/candidates/faulty/attachments", .body = EXAMPLE_BODY };
    unsigned stored = mock_stored_count(g_mock);

    mock_inject(g_mock, &f);
    struct resp r = call(&c);
    assert_int_equal(r.status, 502);
    assert_true(strncmp(r.ctype, "text/html", 9) == 0);
    assert_non_null(strstr(r.body, "<title>502 Bad Gateway</title>"));
    resp_free(&r);

    f.kind = MOCK_FAULT_BAD_JSON;
    mock_inject(g_mock, &f);
    r = call(&c);
    assert_int_equal(r.status, 200);
    assert_non_null(r.body);
    assert_null(r.json);
    resp_free(&r);

    f.kind = MOCK_FAULT_EMPTY;
    mock_inject(g_mock, &f);
    r = call(&c);
    assert_int_equal(r.status, 500);
    assert_int_equal(r.len, 0);
    resp_free(&r);

    f.kind = MOCK_FAULT_HUGE;
    mock_inject(g_mock, &f);
    r = call(&c);
    assert_int_equal(r.status, 200);
    assert_true(r.len >= 8u << 20);
    assert_non_null(r.json);
    assert_string_equal(jstr(r.json, "status", NULL), "success");
    resp_free(&r);

    assert_int_equal(mock_stored_count(g_mock), stored);
    r = call(&c);   /* faults used up */
    assert_int_equal(r.status, 200);
    resp_free(&r);
    assert_int_equal(wait_no_temp_files(g_inbox), 0);
}

static void test_drop_fault(void **state)
{
    (void)state;
    unsigned stored = mock_stored_count(g_mock);
    int files = count_files(g_inbox, NULL);
    /* Big enough to arrive in several chunks. */
    size_t n = 3 << 20;
    char *data = malloc(n + 1);
    memset(data, 'Q', n);
    data[n] = '\0';
    char *body = upload_body("drop.bin", "OTHER", "application/pdf", data);
    static const bool small[] = { false, true };
    for (size_t i = 0; i < 2; i++) {
        struct mock_fault f = { .kind = MOCK_FAULT_DROP, .count = 1 };
        mock_inject(g_mock, &f);
        struct call c = { .path = "/v1/ats/candidates/dropped/attachments",
                          .body = small[i] ? EXAMPLE_BODY : body };
        struct resp r = call(&c);
        if (r.rc == CURLE_OK)
            fail_msg("case %zu: the connection was not dropped (status %ld)", i, r.status);
        resp_free(&r);
        char origin[64];
        snprintf(origin, sizeof origin, "http://127.0.0.1:%u", mock_port(g_mock));
        cJSON *rec = NULL;
        for (int k = 0; k < 200; k++) {      /* recorded when MHD reports the close */
            cJSON_Delete(rec);
            rec = last_record(origin);
            if (jstr(rec, "fault", NULL) && !strcmp(jstr(rec, "fault", NULL), "drop"))
                break;
            usleep(10000);
        }
        assert_string_equal(jstr(rec, "fault", NULL), "drop");
        assert_int_equal(cJSON_GetObjectItem(rec, "status")->valueint, 0);
        if (!small[i] && cJSON_GetObjectItem(rec, "body_bytes")->valuedouble >= (double)strlen(body))
            fail_msg("the whole body was read before the drop");
        cJSON_Delete(rec);
    }
    assert_int_equal(mock_stored_count(g_mock), stored);
    assert_int_equal(wait_no_temp_files(g_inbox), 0);
    assert_int_equal(count_files(g_inbox, NULL), files);
    free(body);
    free(data);
}

struct stall_arg {
    unsigned short port;
    struct resp r;
};

static void *stalled_client(void *p)
{
    struct stall_arg *a = p;
    char origin[64];
    snprintf(origin, sizeof origin, "http://127.0.0.1:%u", a->port);
    struct call c = { .path = UP, .body = EXAMPLE_BODY, .auth = AUTH_NONE, .timeout_ms = 15000 };
    a->r = call_url(origin, &c, NULL);
    return NULL;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void test_stall_fault(void **state)
{
    (void)state;
    /* A client with a short timeout gives up on a stalled request. */
    struct mock_fault f = { .kind = MOCK_FAULT_STALL, .count = 1 };
    mock_inject(g_mock, &f);
    struct call c = { .path = "/v1/ats/candidates/stalled/attachments", .body = EXAMPLE_BODY,
                      .timeout_ms = 700 };
    struct resp r = call(&c);
    assert_int_equal(r.rc, CURLE_OPERATION_TIMEDOUT);
    resp_free(&r);
    /* Other requests are still served meanwhile. */
    r = call(&(struct call){ .method = "GET", .path = "/v1/check-api-key" });
    assert_int_equal(r.status, 200);
    resp_free(&r);

    /* mock_stop with a client still waiting: returns promptly and the client sees the
     * connection close long before its own 15 s timeout. */
    char *inbox = th_tempdir(), err[256];
    struct mock_config cfg = { .inbox = inbox, .quiet = true, .any_candidate = true };
    struct mock *m = mock_start(&cfg, err, sizeof err);
    assert_non_null(m);
    f.count = -1;
    mock_inject(m, &f);
    struct stall_arg a = { .port = mock_port(m) };
    pthread_t t;
    double t0 = now_s();
    assert_int_equal(pthread_create(&t, NULL, stalled_client, &a), 0);
    while (mock_request_count(m) == 0 && now_s() - t0 < 5)
        usleep(10000);
    assert_int_equal(mock_request_count(m), 1);
    usleep(200000);    /* let the body arrive and the request stall */
    double t1 = now_s();
    mock_stop(m);
    assert_true(now_s() - t1 < 3);
    pthread_join(t, NULL);
    assert_true(now_s() - t0 < 8);
    assert_int_not_equal(a.r.rc, CURLE_OK);
    resp_free(&a.r);
    assert_int_equal(count_files(inbox, NULL), 0);
    th_rmtree(inbox);
    free(inbox);
}

/* kind=slow reads the body at the given rate, then answers and stores as usual. */
static void test_slow_fault(void **state)
{
    (void)state;
    size_t n = 300000;
    char *data = malloc(n + 1);
    memset(data, 'A', n); /* "AAAA" is valid base64 */
    data[n] = '\0';
    char *body = upload_body("slow.bin", "OTHER", "application/x-test", data);
    struct mock_fault f = { .kind = MOCK_FAULT_SLOW, .count = 1, .rate = 200000 };
    mock_inject(g_mock, &f);
    double t0 = now_s();
    struct call c = { .path = "/v1/ats/candidates/slowpoke/attachments", .body = body };
    struct resp r = call(&c);
    double dt = now_s() - t0;
    assert_int_equal(r.status, 200);
    assert_true(r.stored[0] != '\0');
    /* 300 kB at 200 kB/s: about 1.5 s; unthrottled it takes milliseconds. */
    if (dt < 1.2 || dt > 5.0)
        fail_msg("slow upload took %.2f s, want about 1.5 s", dt);
    resp_free(&r);
    /* Only `count` requests are slowed. */
    t0 = now_s();
    r = call(&c);
    assert_int_equal(r.status, 200);
    assert_true(now_s() - t0 < 1.0);
    resp_free(&r);
    free(body);
    free(data);
}

static void test_fault_http_control(void **state)
{
    (void)state;
    static const struct { const char *query; long status; } bad[] = {
        { "?kind=explode", 400 }, { "?kind=status&status=99", 400 }, { "?kind=status&count=x", 400 },
        /* targets that could never match are refused, not silently kept */
        { "?kind=status&path=check-api-key", 400 }, { "?kind=status&path=/v1/check-api-key", 400 },
        { "?kind=drop&method=G3T", 400 }, { "?kind=drop&method=", 400 },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char path[128];
        snprintf(path, sizeof path, "/__mock/fault%s", bad[i].query);
        struct resp r = call(&(struct call){ .path = path, .auth = AUTH_OK });
        if (r.status != bad[i].status)
            fail_msg("%s: %ld", bad[i].query, r.status);
        resp_free(&r);
    }
    struct resp r = call(&(struct call){
        .path = "/__mock/fault?kind=status&status=503&count=2&retry_after=2&retry_after_ms=1500",
        .auth = AUTH_OK });
    assert_int_equal(r.status, 200);
    resp_free(&r);
    r = call(&(struct call){ .method = "GET", .path = "/__mock/stats", .auth = AUTH_OK });
    assert_int_equal(r.status, 200);
    const cJSON *fault = cJSON_GetObjectItem(cJSON_GetObjectItem(r.json, "data"), "fault");
    assert_string_equal(jstr(fault, "kind", NULL), "status");
    assert_int_equal(cJSON_GetObjectItem(fault, "remaining")->valueint, 2);
    resp_free(&r);
    for (int k = 0; k < 3; k++) {
        r = call(&(struct call){ .path = "/v1/ats/candidates/ctl/attachments", .body = EXAMPLE_BODY });
        assert_int_equal(r.status, k < 2 ? 503 : 200);
        if (k < 2) {
            assert_string_equal(r.retry_after, "2");
            assert_string_equal(r.retry_after_ms, "1500");
        }
        resp_free(&r);
    }
    r = call(&(struct call){ .path = "/__mock/fault?kind=drop&count=1", .auth = AUTH_OK });
    assert_int_equal(r.status, 200);
    resp_free(&r);
    r = call(&(struct call){ .path = "/__mock/fault?kind=none", .auth = AUTH_OK });
    assert_int_equal(r.status, 200);
    resp_free(&r);
    r = call(&(struct call){ .path = "/v1/ats/candidates/ctl/attachments", .body = EXAMPLE_BODY });
    assert_int_equal(r.status, 200);    /* kind=none cleared the drop */
    resp_free(&r);
}

/* The pending fault as /__mock/stats shows it. Caller deletes. */
static cJSON *fault_stats(void)
{
    struct resp r = call(&(struct call){ .method = "GET", .path = "/__mock/stats", .auth = AUTH_OK });
    assert_int_equal(r.status, 200);
    cJSON *f = cJSON_Duplicate(cJSON_GetObjectItem(cJSON_GetObjectItem(r.json, "data"), "fault"), 1);
    resp_free(&r);
    return f;
}

static long get_status(const char *path)
{
    struct resp r = call(&(struct call){ .method = "GET", .path = path });
    long st = r.status;
    resp_free(&r);
    return st;
}

static long upload_status(void)
{
    struct resp r = call(&(struct call){ .path = "/v1/ats/candidates/target/attachments",
                                         .body = EXAMPLE_BODY });
    long st = r.status;
    resp_free(&r);
    return st;
}

/* POST /__mock/fault?path=/check-api-key: one GET answers 503 in Kombo's error shape with
 * the Retry-After headers asked for, then the next succeeds; nothing else is hit. */
static void test_get_fault_503_then_success(void **state)
{
    (void)state;
    struct resp r = call(&(struct call){
        .path = "/__mock/fault?kind=status&status=503&retry_after=1&retry_after_ms=250"
                "&path=/check-api-key", .auth = AUTH_OK });
    assert_int_equal(r.status, 200);
    assert_string_equal(jstr(cJSON_GetObjectItem(r.json, "data"), "path", NULL), "/check-api-key");
    resp_free(&r);
    cJSON *f = fault_stats();
    assert_string_equal(jstr(f, "kind", NULL), "status");
    assert_string_equal(jstr(f, "path", NULL), "/check-api-key");
    assert_int_equal(cJSON_GetObjectItem(f, "remaining")->valueint, 1);
    cJSON_Delete(f);

    /* Other requests pass through and do not count. */
    assert_int_equal(upload_status(), 200);
    assert_int_equal(get_status("/v1/ats/candidates"), 200);

    r = call(&(struct call){ .method = "GET", .path = "/v1/check-api-key", .no_integration = true });
    assert_int_equal(r.status, 503);
    assert_string_equal(r.retry_after, "1");
    assert_string_equal(r.retry_after_ms, "250");
    assert_string_equal(jstr(r.json, "status", NULL), "error");
    assert_string_equal(jstr(r.json, "error", "code"), "REMOTE.SERVICE_UNAVAILABLE");
    assert_non_null(jstr(r.json, "error", "log_url"));
    resp_free(&r);

    r = call(&(struct call){ .method = "GET", .path = "/v1/check-api-key", .no_integration = true });
    assert_int_equal(r.status, 200);
    assert_string_equal(jstr(cJSON_GetObjectItem(r.json, "data"), "environment_id", NULL), "mock-env");
    assert_string_equal(r.retry_after, "");
    resp_free(&r);
    f = fault_stats();
    assert_string_equal(jstr(f, "kind", NULL), "none");
    assert_null(cJSON_GetObjectItem(f, "path"));
    cJSON_Delete(f);
}

/* An untargeted fault hits uploads only; a GET-targeted one hits GETs only; count counts
 * only the requests a fault hits; paths match at segment boundaries. */
static void test_fault_targets_do_not_cross(void **state)
{
    (void)state;
    struct mock_fault up = { .kind = MOCK_FAULT_STATUS, .count = 1, .status = 503 };
    mock_inject(g_mock, &up);
    assert_int_equal(get_status("/v1/check-api-key"), 200);
    assert_int_equal(get_status("/v1/ats/candidates?first_name=Ada"), 200);
    assert_int_equal(get_status("/v1/ats/candidates/target/attachments"), 200);
    assert_int_equal(upload_status(), 503);
    assert_int_equal(upload_status(), 200);

    struct mock_fault gets = { .kind = MOCK_FAULT_STATUS, .count = 2, .status = 503,
                               .method = "get" };
    mock_inject(g_mock, &gets);
    assert_int_equal(upload_status(), 200);
    assert_int_equal(get_status("/v1/ats/candidates"), 503);
    assert_int_equal(get_status("/v1/check-api-key"), 503);
    assert_int_equal(get_status("/v1/check-api-key"), 200);
    assert_int_equal(upload_status(), 200);

    /* The mock's own endpoints never match, even a GET-everything fault. */
    struct mock_fault one_get = { .kind = MOCK_FAULT_STATUS, .count = 1, .status = 500,
                                  .method = "GET" };
    mock_inject(g_mock, &one_get);
    cJSON *f = fault_stats();
    assert_int_equal(cJSON_GetObjectItem(f, "remaining")->valueint, 1);
    assert_string_equal(jstr(f, "method", NULL), "GET");
    cJSON_Delete(f);
    assert_int_equal(get_status("/v1/check-api-key"), 500);

    /* A prefix ends at a segment boundary, and covers what lies below it. */
    struct mock_fault cands = { .kind = MOCK_FAULT_STATUS, .count = 2, .status = 503,
                                .path = "/ats/candidates", .method = "GET" };
    mock_inject(g_mock, &cands);
    assert_int_equal(get_status("/v1/check-api-key"), 200);
    assert_int_equal(upload_status(), 200);             /* POST: not this fault's method */
    assert_int_equal(get_status("/v1/ats/candidates/target/attachments"), 503);
    assert_int_equal(get_status("/v1/ats/candidates?email=ada@example.net"), 503);
    assert_int_equal(get_status("/v1/ats/candidates"), 200);

    struct mock_fault partial = { .kind = MOCK_FAULT_STATUS, .count = 1, .status = 503,
                                  .path = "/ats/cand" };
    mock_inject(g_mock, &partial);
    assert_int_equal(get_status("/v1/ats/candidates"), 200);
    f = fault_stats();
    assert_int_equal(cJSON_GetObjectItem(f, "remaining")->valueint, 1);
    cJSON_Delete(f);
    mock_inject(g_mock, &(struct mock_fault){ .kind = MOCK_FAULT_NONE });
    assert_int_equal(wait_no_temp_files(g_inbox), 0);
}

/* A targeted drop closes the connection of a GET; a targeted stall never answers it. */
static void test_get_drop_and_stall(void **state)
{
    (void)state;
    struct resp r = call(&(struct call){ .path = "/__mock/fault?kind=drop&method=GET&path=/check-api-key",
                                         .auth = AUTH_OK });
    assert_int_equal(r.status, 200);
    resp_free(&r);
    r = call(&(struct call){ .method = "GET", .path = "/v1/check-api-key" });
    assert_int_not_equal(r.rc, CURLE_OK);
    resp_free(&r);
    assert_int_equal(get_status("/v1/check-api-key"), 200);

    struct mock_fault stall = { .kind = MOCK_FAULT_STALL, .count = 1, .path = "/ats/candidates" };
    mock_inject(g_mock, &stall);
    r = call(&(struct call){ .method = "GET", .path = "/v1/ats/candidates", .timeout_ms = 700 });
    assert_int_equal(r.rc, CURLE_OPERATION_TIMEDOUT);
    resp_free(&r);
    assert_int_equal(get_status("/v1/ats/candidates"), 200);
}

/* A client that announces more bytes than it sends and hangs up. */
static void test_short_body_leaves_nothing(void **state)
{
    (void)state;
    int files = count_files(g_inbox, NULL);
    unsigned stored = mock_stored_count(g_mock);
    static const size_t sent[] = { 0, 10, 100 };
    for (size_t i = 0; i < sizeof sent / sizeof sent[0]; i++) {
        int fd = socket(AF_INET, SOCK_STREAM, 0);
        struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(mock_port(g_mock)) };
        sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof sa), 0);
        char req[1024];
        int n = snprintf(req, sizeof req,
                         "POST /v1/ats/candidates/short/attachments HTTP/1.1\r\nHost: x\r\n"
                         "Authorization: Bearer " KEY "\r\nX-Integration-Id: " INTEG "\r\n"
                         "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n%.*s",
                         strlen(EXAMPLE_BODY), (int)sent[i], EXAMPLE_BODY);
        assert_int_equal(write(fd, req, (size_t)n), n);
        usleep(100000);
        close(fd);
    }
    assert_int_equal(wait_no_temp_files(g_inbox), 0);
    assert_int_equal(count_files(g_inbox, NULL), files);
    assert_int_equal(mock_stored_count(g_mock), stored);
}

/* Sockets on the mock's port in a given TCP state (/proc/net/tcp: 08 is CLOSE-WAIT). */
static int sockets_in_state(unsigned short port, const char *state)
{
    FILE *f = fopen("/proc/net/tcp", "r");
    if (!f)
        return -1;
    char line[512];
    int n = 0;
    while (fgets(line, sizeof line, f)) {
        unsigned lport;
        char st[8];
        if (sscanf(line, " %*d: %*[0-9A-Fa-f]:%x %*[0-9A-Fa-f]:%*x %7s", &lport, st) == 2 &&
            lport == port && !strcmp(st, state))
            n++;
    }
    fclose(f);
    return n;
}

/* Ten clients announce 100 MB, send 4 MiB of it and hang up: each spool file goes as soon
 * as its connection is gone (not at a timeout) and no socket is left in CLOSE-WAIT. */
static void test_aborted_uploads_leave_nothing(void **state)
{
    (void)state;
    int files = count_files(g_inbox, NULL);
    unsigned stored = mock_stored_count(g_mock);
    /* earlier tests' stall faults hold their connections until the mock stops, by design */
    int cw0 = sockets_in_state(mock_port(g_mock), "08");
    size_t part = 4u << 20;
    char *chunk = malloc(part);
    assert_non_null(chunk);
    memset(chunk, 'Q', part);
    for (int i = 0; i < 10; i++) {
        int fd = socket(AF_INET, SOCK_STREAM, 0);
        struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(mock_port(g_mock)) };
        sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof sa), 0);
        char req[1024];
        int n = snprintf(req, sizeof req,
                         "POST " UP " HTTP/1.1\r\nHost: x\r\n"
                         "Authorization: Bearer " KEY "\r\nX-Integration-Id: " INTEG "\r\n"
                         "Content-Type: application/json\r\nContent-Length: 100000000\r\n\r\n"
                         "{\"attachment\":{" GOOD_ATT ",\"data\":\"");
        assert_int_equal(write(fd, req, (size_t)n), n);
        for (size_t done = 0; done < part;) {
            ssize_t w = write(fd, chunk + done, part - done);
            assert_true(w > 0);
            done += (size_t)w;
        }
        close(fd);
    }
    free(chunk);
    double t0 = now_s();
    assert_int_equal(wait_no_temp_files(g_inbox), 0);
    if (now_s() - t0 > 1.5)
        fail_msg("spool files lingered %.1f s", now_s() - t0);
    int cw = -1;
    for (int i = 0; i < 100 && cw != cw0; i++) {
        cw = sockets_in_state(mock_port(g_mock), "08");
        if (cw != cw0)
            usleep(10000);
    }
    assert_int_equal(cw, cw0);
    assert_int_equal(count_files(g_inbox, NULL), files);
    assert_int_equal(mock_stored_count(g_mock), stored);
}

/* --upload-latency: an upload whose whole body arrived is stored when it is due even if
 * its client hung up meanwhile (Kombo would not undo it); one whose body never arrived
 * whole is not; a listing is not held as long. */
static void test_upload_latency_outlives_client(void **state)
{
    (void)state;
    char *inbox = th_tempdir();
    struct mock_config cfg = { .inbox = inbox, .api_key = KEY, .quiet = true,
                               .any_candidate = true, .latency_ms = 10,
                               .upload_latency_ms = 400 };
    char err[256];
    struct mock *m = mock_start(&cfg, err, sizeof err);
    assert_non_null(m);
    for (int whole = 1; whole >= 0; whole--) {
        int fd = socket(AF_INET, SOCK_STREAM, 0);
        struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(mock_port(m)) };
        sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof sa), 0);
        char req[1024];
        size_t body = strlen(EXAMPLE_BODY);
        int n = snprintf(req, sizeof req,
                         "POST " UP " HTTP/1.1\r\nHost: x\r\n"
                         "Authorization: Bearer " KEY "\r\nX-Integration-Id: " INTEG "\r\n"
                         "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n%.*s",
                         body, (int)(whole ? body : body - 5), EXAMPLE_BODY);
        assert_int_equal(write(fd, req, (size_t)n), n);
        usleep(100000);
        close(fd);                       /* gone before the 400 ms are up */
        assert_int_equal(mock_stored_count(m), whole ? 0 : 1);
        usleep(500000);
        assert_int_equal(mock_stored_count(m), 1);   /* the whole one, and only it */
    }
    double t0 = now_s();
    char origin[64];
    snprintf(origin, sizeof origin, "http://127.0.0.1:%u", mock_port(m));
    struct resp r = call_url(origin, &(struct call){ .method = "GET",
                             .path = "/v1/ats/candidates/" CAND "/attachments" }, NULL);
    assert_int_equal(r.status, 200);
    resp_free(&r);
    assert_true(now_s() - t0 < 0.3);
    mock_stop(m);
    th_rmtree(inbox);
    free(inbox);
}

/* ------------------------------------------------------------- read-back */

static void test_raw_path_recorded(void **state)
{
    (void)state;
    static const char *const paths[] = {
        "/v1/ats/candidates/a%20b%2Fc%3F/attachments",
        "/v1/ats/candidates/..%2F../attachments",
        "/v1/ats/applications/%E2%9C%93/attachments?x=%41",
    };
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        struct resp r = call(&(struct call){ .path = paths[i], .body = EXAMPLE_BODY });
        assert_int_equal(r.status, 200);
        resp_free(&r);
        char *raw = mock_last_raw_path(g_mock);
        assert_string_equal(raw, paths[i]);
        free(raw);
    }
    struct resp r = call(&(struct call){ .method = "GET", .path = "/__mock/requests", .auth = AUTH_OK });
    assert_int_equal(r.status, 200);
    assert_null(strstr(r.body, KEY));      /* header names only, never the key */
    const cJSON *list = cJSON_GetObjectItem(cJSON_GetObjectItem(r.json, "data"), "requests");
    int n = cJSON_GetArraySize(list);
    assert_true(n >= 3);
    const cJSON *last = cJSON_GetArrayItem(list, n - 1);
    assert_string_equal(jstr(last, "path", NULL), paths[2]);
    assert_string_equal(jstr(last, "method", NULL), "POST");
    assert_int_equal(cJSON_GetObjectItem(last, "status")->valueint, 200);
    bool auth = false;
    const cJSON *h;
    cJSON_ArrayForEach(h, cJSON_GetObjectItem(last, "headers"))
        auth |= cJSON_IsString(h) && !strcasecmp(h->valuestring, "Authorization");
    assert_true(auth);
    resp_free(&r);

    /* The log_url of an error answer leads to that request's record. */
    r = call(&(struct call){ .path = UP, .body = "{}" });
    assert_int_equal(r.status, 400);
    const char *log = jstr(r.json, "error", "log_url");
    assert_non_null(log);
    char logpath[64];
    snprintf(logpath, sizeof logpath, "%s", strstr(log, "/logs/"));
    resp_free(&r);
    r = call(&(struct call){ .method = "GET", .path = logpath, .auth = AUTH_OK });
    assert_int_equal(r.status, 200);
    assert_string_equal(jstr(cJSON_GetObjectItem(r.json, "data"), "path", NULL), UP);
    resp_free(&r);
}

static void test_check_api_key(void **state)
{
    (void)state;
    static const struct { enum auth_mode auth; long status; } cases[] = {
        { AUTH_OK, 200 }, { AUTH_NONE, 401 }, { AUTH_WRONG, 401 }, { AUTH_EMPTY, 401 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct resp r = call(&(struct call){ .method = "GET", .path = "/v1/check-api-key",
                                             .auth = cases[i].auth, .no_integration = true });
        assert_int_equal(r.status, cases[i].status);
        if (r.status == 200)
            assert_string_equal(jstr(cJSON_GetObjectItem(r.json, "data"), "environment_id", NULL),
                                "mock-env");
        else
            assert_string_equal(jstr(r.json, "error", "code"), "PLATFORM.AUTHENTICATION_INVALID");
        resp_free(&r);
    }
    struct resp r = call(&(struct call){ .path = "/v1/check-api-key" });
    assert_int_equal(r.status, 405);
    resp_free(&r);
}

static bool kombo_id(const char *s)
{
    static const char b58[] = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    return s && strlen(s) == 24 && strspn(s, b58) == 24;
}

static void test_list_attachments(void **state)
{
    (void)state;
    static const char *const names[] = { "one.pdf", "two.docx" };
    for (int i = 0; i < 2; i++) {
        char *body = upload_body(names[i], i ? "COVER_LETTER" : "CV",
                                 i ? "application/msword" : "application/pdf", "QUJD");
        struct resp r = call(&(struct call){ .path = "/v1/ats/candidates/lister/attachments", .body = body });
        assert_int_equal(r.status, 200);
        resp_free(&r);
        free(body);
    }
    struct resp r = call(&(struct call){ .method = "GET", .path = "/v1/ats/candidates/lister/attachments" });
    assert_int_equal(r.status, 200);
    const cJSON *res = cJSON_GetObjectItem(cJSON_GetObjectItem(r.json, "data"), "results");
    assert_int_equal(cJSON_GetArraySize(res), 2);
    for (int i = 0; i < 2; i++) {
        const cJSON *a = cJSON_GetArrayItem(res, i);
        assert_string_equal(jstr(a, "file_name", NULL), names[i]);
        assert_string_equal(jstr(a, "type", NULL), i ? "COVER_LETTER" : "CV");
        assert_string_equal(jstr(a, "content_type", NULL), i ? "application/msword" : "application/pdf");
        assert_string_equal(jstr(a, "candidate_id", NULL), "lister");
        assert_true(kombo_id(jstr(a, "id", NULL)));
        assert_non_null(jstr(a, "remote_created_at", NULL));
    }
    resp_free(&r);
    /* Another integration, another candidate: nothing. */
    r = call(&(struct call){ .method = "GET", .path = "/v1/ats/candidates/lister/attachments",
                             .integration = "other:1" });
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(cJSON_GetObjectItem(r.json, "data"), "results")), 0);
    resp_free(&r);
    r = call(&(struct call){ .method = "GET", .path = "/v1/ats/candidates/nobody/attachments" });
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(cJSON_GetObjectItem(r.json, "data"), "results")), 0);
    resp_free(&r);
    r = call(&(struct call){ .method = "GET", .path = "/v1/ats/candidates/lister/attachments",
                             .auth = AUTH_NONE });
    assert_int_equal(r.status, 401);
    resp_free(&r);

    /* An upload through a seeded application lands with its candidate. */
    r = call(&(struct call){ .path = "/v1/ats/candidates?first_name=Jane", .method = "GET" });
    const cJSON *jane = cJSON_GetArrayItem(cJSON_GetObjectItem(cJSON_GetObjectItem(r.json, "data"), "results"), 0);
    char cand[32], app[32], path[128];
    snprintf(cand, sizeof cand, "%s", jstr(jane, "id", NULL));
    snprintf(app, sizeof app, "%s",
             jstr(cJSON_GetArrayItem(cJSON_GetObjectItem(jane, "applications"), 0), "id", NULL));
    resp_free(&r);
    snprintf(path, sizeof path, "/v1/ats/applications/%s/attachments", app);
    r = call(&(struct call){ .path = path, .body = EXAMPLE_BODY });
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.stored, cand));
    resp_free(&r);
    snprintf(path, sizeof path, "/v1/ats/candidates/%s/attachments", cand);
    r = call(&(struct call){ .method = "GET", .path = path });
    res = cJSON_GetObjectItem(cJSON_GetObjectItem(r.json, "data"), "results");
    assert_int_equal(cJSON_GetArraySize(res), 1);
    assert_string_equal(jstr(cJSON_GetArrayItem(res, 0), "application_id", NULL), app);
    resp_free(&r);
}

static void test_candidates(void **state)
{
    (void)state;
    /* The four fixed candidates come first in the default data set (40 people; the others
     * are generated and have none of these names: test_mock_data checks them). */
#define FIXED4 "?ids=4B7z5qJ8dXcR2mTnWvKpLs9a,7Hx3PqR9tYvW2kZmNbCd8EfG,9sDf4GhJk2LmN5pQr7StUv3W," \
               "4B9bJBkJ6jEGfpdpcCJ7JKJ9"
    static const struct { const char *query; int count; const char *first; bool more; } cases[] = {
        { FIXED4, 4, "Frank", false },  /* the fourth is the README's example candidate */
        { "?email=frank.doe@example.com", 1, "Frank", false },
        { "?email=FRANK.DOE@EXAMPLE.COM", 1, "Frank", false },
        { "?email=nobody@example.com", 0, NULL, false },
        { "?first_name=Jane", 1, "Jane", false },
        { "?last_name=lovelace", 1, "Ada", false },
        { "?first_name=Jane&last_name=Doe", 0, NULL, false },
        { FIXED4 "&page_size=2", 2, "Frank", true },
        { "?first_name=frank", 2, "Frank", false },
        { "?ids=9sDf4GhJk2LmN5pQr7StUv3W,nope", 1, "Ada", false },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char path[256];
        snprintf(path, sizeof path, "/v1/ats/candidates%s", cases[i].query);
        struct resp r = call(&(struct call){ .method = "GET", .path = path });
        assert_int_equal(r.status, 200);
        const cJSON *data = cJSON_GetObjectItem(r.json, "data");
        assert_true(cJSON_IsNull(cJSON_GetObjectItem(data, "next")) == !cases[i].more);
        const cJSON *res = cJSON_GetObjectItem(data, "results");
        if (cJSON_GetArraySize(res) != cases[i].count)
            fail_msg("%s: %d results", cases[i].query, cJSON_GetArraySize(res));
        const cJSON *c;
        cJSON_ArrayForEach(c, res) {
            assert_true(kombo_id(jstr(c, "id", NULL)));
            const cJSON *apps = cJSON_GetObjectItem(c, "applications");
            assert_int_equal(cJSON_GetArraySize(apps), 1);
            assert_true(kombo_id(jstr(cJSON_GetArrayItem(apps, 0), "id", NULL)));
            assert_non_null(jstr(cJSON_GetArrayItem(cJSON_GetObjectItem(c, "email_addresses"), 0),
                                 "email_address", NULL));
        }
        if (cases[i].first)
            assert_string_equal(jstr(cJSON_GetArrayItem(res, 0), "first_name", NULL), cases[i].first);
        resp_free(&r);
    }
    struct resp r = call(&(struct call){ .method = "GET", .path = "/v1/ats/candidates?page_size=0" });
    assert_int_equal(r.status, 400);
    assert_non_null(strstr(jstr(r.json, "error", "message"), "page_size"));
    resp_free(&r);
    r = call(&(struct call){ .method = "GET", .path = "/v1/ats/candidates", .no_integration = true });
    assert_int_equal(r.status, 400);
    resp_free(&r);
}

/* ------------------------------------------------------------- pure parts */

static void test_scanner_table(void **state)
{
    (void)state;
    static const struct { const char *json; int rc; bool found; const char *data; } cases[] = {
        { "{\"attachment\":{\"data\":\"QUJD\"}}", 0, true, "QUJD" },
        { " {\"a\":[1,{\"data\":\"x\"}],\"attachment\":{\"n\":{\"data\":\"no\"},\"data\":\"yes\"}} ", 0, true, "yes" },
        { "{\"data\":\"top\",\"attachment\":{}}", 0, false, NULL },
        { "{\"attachment\":{\"d\\u0061ta\":\"esc\"}}", 0, true, "esc" },
        { "{\"attachment\":{\"data\":\"a\\\"b\"}}", 0, true, "a\\\"b" },
        { "{\"attachment\":{\"data\":5}}", 0, false, NULL },
        { "{\"attachment\":{},\"attachment\":{}}", -1, false, NULL },
        { "{\"attachment\":{\"data\":\"x\"", -1, false, NULL },
        { "{\"attachment\" {}}", -1, false, NULL },
        { "{\"a\":\"\x01\"}", -1, false, NULL },
        { "{} {}", -1, false, NULL },
        { "", -1, false, NULL },
        { "[1,2", -1, false, NULL },
        { "{'a':1}", -1, false, NULL },
        { "{\"attachment\\u0000\":{\"data\":\"QUJD\"}}", -1, false, NULL },
        { "{\"x\":{\"k\\u0000\":1}}", -1, false, NULL },
        /* found by fuzz_mock_body: cJSON reads a bad \u escape as \u0000, and \t is a tab */
        { "{\"attachment\\u{1ta0000\":{\"data\":\"QUJD\"}}", -1, false, NULL },
        { "{\"at\\tachment\":{\"data\":\"QUJD\"}}", 0, false, NULL },
        { "{\"a\\x\":1}", -1, false, NULL },
        { "{\"attachment\":{\"data\\u0000\":\"QUJD\"}}", -1, false, NULL },
        { "{\"a\\\\u0000\":1,\"attachment\":{\"data\":\"QUJD\"}}", 0, true, "QUJD" },

    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct mj_span sp;
        char err[200];
        const char *j = cases[i].json;
        int rc = mj_find_data((const unsigned char *)j, strlen(j), false, &sp, err, sizeof err);
        if (rc != cases[i].rc || (rc == 0 && sp.found != cases[i].found))
            fail_msg("case %zu (%s): rc %d found %d err %s", i, j, rc, sp.found, err);
        if (rc < 0 && !*err)
            fail_msg("case %zu: no message", i);
        if (cases[i].data && (sp.end - sp.start != strlen(cases[i].data) ||
                              memcmp(j + sp.start, cases[i].data, sp.end - sp.start)))
            fail_msg("case %zu: span %.*s", i, (int)(sp.end - sp.start), j + sp.start);
    }
    /* Deep nesting is refused without exhausting the stack. */
    size_t depth = 100000;
    char *deep = malloc(depth * 2 + 1);
    memset(deep, '[', depth);
    memset(deep + depth, ']', depth);
    deep[depth * 2] = '\0';
    struct mj_span sp;
    char err[200];
    assert_int_equal(mj_find_data((unsigned char *)deep, depth * 2, false, &sp, err, sizeof err), -1);
    assert_non_null(strstr(err, "nested"));
    free(deep);
}

static void test_decoder_table(void **state)
{
    (void)state;
    static const struct { const char *in; int rc; const char *out; const char *word; } cases[] = {
        { "", 0, "", NULL },
        { "QQ==", 0, "A", NULL },
        { "QUI=", 0, "AB", NULL },
        { "QUJD", 0, "ABC", NULL },
        { "Pz8\\/", 0, "??\x3f", NULL },           /* "\/" is "/" */
        { "\\u0051UJD", 0, "ABC", NULL },           /* \u0051 is 'Q' */
        { "QUJ", -1, NULL, "multiple of 4" },
        { "Q===", -1, NULL, "more than two" },
        { "QQ=A", -1, NULL, "padding" },
        { "QU D", -1, NULL, "whitespace" },
        { "QUJD\\n", -1, NULL, "line break" },
        { "QUJ\\u00e9", -1, NULL, "non-ASCII" },
        { "QUJ\\x", -1, NULL, "escape" },
        { "QR==", -1, NULL, "bits" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char path[] = "/tmp/ka-dec-XXXXXX";
        int fd = mkstemp(path);
        uint64_t n = 99;
        char err[300] = "";
        int rc = mj_decode_base64((const unsigned char *)cases[i].in, strlen(cases[i].in), NULL,
                                  fd, &n, err, sizeof err);
        close(fd);
        size_t len = 0;
        char *got = th_slurp(path, &len);
        unlink(path);
        if (rc != cases[i].rc)
            fail_msg("case %zu (%s): rc %d err %s", i, cases[i].in, rc, err);
        if (rc == 0 && (n != strlen(cases[i].out) || len != n || memcmp(got, cases[i].out, len)))
            fail_msg("case %zu: decoded %zu bytes", i, len);
        if (rc < 0 && !strstr(err, cases[i].word))
            fail_msg("case %zu: message \"%s\" lacks \"%s\"", i, err, cases[i].word);
        free(got);
    }
}

/* ------------------------------------------------------------- HTTPS, main */

static void test_https(void **state)
{
    (void)state;
    if (system("command -v openssl >/dev/null 2>&1") != 0)
        skip();
    char *dir = th_tempdir(), cmd[3 * PATH_MAX], cert[PATH_MAX], key[PATH_MAX], err[256];
    snprintf(cert, sizeof cert, "%s/cert.pem", dir);
    snprintf(key, sizeof key, "%s/key.pem", dir);
    snprintf(cmd, sizeof cmd, "openssl req -x509 -newkey rsa:2048 -nodes -keyout '%s' -out '%s' "
             "-days 2 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 >/dev/null 2>&1",
             key, cert);
    assert_int_equal(system(cmd), 0);
    char inbox[PATH_MAX];
    snprintf(inbox, sizeof inbox, "%s/inbox", dir);
    struct mock_config cfg = { .inbox = inbox, .tls_cert = cert, .tls_key = key, .quiet = true, .any_candidate = true };
    struct mock *m = mock_start(&cfg, err, sizeof err);
    if (!m)
        fail_msg("mock_start: %s", err);
    assert_true(strncmp(mock_base_url(m), "https://127.0.0.1:", 18) == 0);
    char origin[64];
    snprintf(origin, sizeof origin, "https://127.0.0.1:%u", mock_port(m));
    struct resp r = call_url(origin, &(struct call){ .path = UP, .body = EXAMPLE_BODY }, cert);
    assert_int_equal(r.rc, CURLE_OK);
    assert_int_equal(r.status, 200);
    assert_int_equal(th_files_equal(r.stored, r.stored), 0);
    resp_free(&r);
    /* Plain HTTP to the HTTPS port gets no answer in Kombo's shape. */
    snprintf(origin, sizeof origin, "http://127.0.0.1:%u", mock_port(m));
    r = call_url(origin, &(struct call){ .path = UP, .body = EXAMPLE_BODY, .timeout_ms = 3000 }, NULL);
    assert_true(r.rc != CURLE_OK || r.status != 200);
    resp_free(&r);
    mock_stop(m);
    /* A key that is not PEM is refused at start. */
    th_write_text(key, "not a key\n");
    assert_null(mock_start(&cfg, err, sizeof err));
    th_rmtree(dir);
    free(dir);
}

static void test_start_errors(void **state)
{
    (void)state;
    char err[256];
    struct mock_config none = { .inbox = NULL };
    assert_null(mock_start(&none, err, sizeof err));
    assert_non_null(strstr(err, "inbox"));
    struct mock_config half = { .inbox = g_inbox, .tls_cert = "x" };
    assert_null(mock_start(&half, err, sizeof err));
    /* The port in use by the group's mock. */
    struct mock_config busy = { .inbox = g_inbox, .port = mock_port(g_mock), .quiet = true };
    assert_null(mock_start(&busy, err, sizeof err));
    assert_non_null(strstr(err, "127.0.0.1"));
}

static void test_mock_main_bad_flags(void **state)
{
    (void)state;
    static const char *const cases[][5] = {
        { "mock", "--bogus", NULL },
        { "mock", "--port", NULL },
        { "mock", "--port", "70000", NULL },
        { "mock", "--port", "abc", NULL },
        { "mock", "--max-body", "0", NULL },
        { "mock", "--max-body", "-5", NULL },
        { "mock", "--tls-cert", "a.pem", NULL },
        { "mock", "--fail-status", "42", NULL },
        { "mock", "--fail-next", "0", NULL },
        { "mock", "--api-key-file", "/nonexistent/key", NULL },
        { "mock", "--retry-after", "3", NULL },
        /* stops inside a cluster of short options: the next call must start afresh */
        { "mock", "-xh", NULL },
        { "mock", "--quiet=yes", NULL },
        { "mock", "--api-key", "k", NULL },
        { "mock", "--port", "0", "stray" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int argc = 0;
        while (cases[i][argc])
            argc++;
        int rc = mock_main(argc, (char **)cases[i]);
        if (rc != KA_EXIT_USAGE)
            fail_msg("case %zu (%s %s): exit %d", i, cases[i][1], cases[i][2] ? cases[i][2] : "", rc);
    }
}

/* `kombo-attach mock` with bad flags, through the real binary: exit code 2 and one line
 * naming the problem, never the value of an unknown option or a key given on the line. */
static void test_mock_main_flag_messages(void **state)
{
    (void)state;
    const char *bin = getenv("KA_BIN");
    if (!bin || access(bin, X_OK) != 0)
        skip();
#define SECRET "s3cr3t-k3y-value"
    static const struct { const char *args[4]; const char *want; } cases[] = {
        { { "--bogus=" SECRET }, "unknown or ambiguous option --bogus" },
        { { "--bogus", SECRET }, "unknown or ambiguous option --bogus" },
        { { "-x" }, "unknown option -x" },
        { { "--tls=" SECRET }, "ambiguous option --tls" },
        { { "--port" }, "--port needs a value" },
        { { "--inbox" }, "--inbox needs a value" },
        { { "--port=abc" }, "--port must be a number" },
        { { "--po=70000" }, "--port must be a number" },
        { { "--max-body=0" }, "--max-body" },
        { { "--fail-status=42" }, "--fail-status" },
        { { "--quiet=" SECRET }, "--quiet takes no value" },
        { { "--api-key", SECRET }, "no --api-key flag" },
        { { "--api-key=" SECRET }, "no --api-key flag" },
        { { "--port", "0", SECRET }, "unexpected argument" },
        { { "--tls-cert=a.pem" }, "--tls-cert and --tls-key go together" },
        { { "--retry-after=3" }, "--retry-after needs" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *argv[7] = { (char *)bin, "mock" };
        int n = 2;
        for (int k = 0; k < 4 && cases[i].args[k]; k++)
            argv[n++] = (char *)cases[i].args[k];
        argv[n] = NULL;
        struct run_result rr = th_run(argv, NULL);
        const char *err = rr.err ? rr.err : "";
        const char *nl = strchr(err, '\n');
        if (rr.status != KA_EXIT_USAGE || !strstr(err, cases[i].want) || strstr(err, SECRET) ||
            strncmp(err, "kombo-attach mock: ", 19) || !nl || nl[1])
            fail_msg("case %zu (%s): exit %d, stderr \"%s\"", i, cases[i].args[0], rr.status, err);
        th_run_free(&rr);
    }
#undef SECRET
}

/* Start the real binary as `kombo-attach mock ARGS` (a shell fragment); its port, or 0. */
static unsigned start_bin_mock(const char *bin, const char *args, const char *out, int *pid)
{
    char cmd[PATH_MAX * 3];
    snprintf(cmd, sizeof cmd, "'%s' mock %s > '%s' 2>&1 & echo $!", bin, args, out);
    FILE *p = popen(cmd, "r");
    *pid = 0;
    if (!p || fscanf(p, "%d", pid) != 1)
        *pid = 0;
    if (p)
        pclose(p);
    char *text = NULL;
    unsigned port = 0;
    for (int i = 0; i < 300 && !port && *pid > 0; i++) {
        usleep(10000);
        free(text);
        text = th_slurp(out, NULL);
        const char *at = text ? strstr(text, "http://127.0.0.1:") : NULL;
        if (at)
            sscanf(at, "http://127.0.0.1:%u", &port);
    }
    if (port && (!strstr(text, "mock Kombo server on") || !strstr(text, "(Ctrl-C to stop)")))
        port = 0;
    if (!port)
        fprintf(stderr, "kombo-attach mock %s: no banner: %s\n", args, text ? text : "");
    free(text);
    return port;
}

static void stop_bin_mock(int pid)
{
    kill(pid, SIGTERM);
    for (int i = 0; i < 300 && kill(pid, 0) == 0; i++)
        usleep(10000);
    assert_int_not_equal(kill(pid, 0), 0);
}

/* The standalone server, run as `kombo-attach mock`, answers and stops on SIGTERM. */
static void test_mock_main_runs(void **state)
{
    (void)state;
    const char *bin = getenv("KA_BIN");
    if (!bin || access(bin, X_OK) != 0)
        skip();
    char *inbox = th_tempdir();
    char args[PATH_MAX + 64], out[PATH_MAX];
    snprintf(out, sizeof out, "%s.out", inbox);
    snprintf(args, sizeof args, "--port 0 --inbox '%s' --quiet", inbox);
    int pid;
    unsigned port = start_bin_mock(bin, args, out, &pid);
    if (!port) {
        if (pid > 0)
            kill(pid, SIGKILL);
        fail_msg("kombo-attach mock did not start");
    }
    char origin[64];
    snprintf(origin, sizeof origin, "http://127.0.0.1:%u", port);
    struct resp r = call_url(origin, &(struct call){ .path = UP, .body = EXAMPLE_BODY }, NULL);
    assert_int_equal(r.status, 200);
    assert_true(inside(inbox, r.stored));
    resp_free(&r);
    stop_bin_mock(pid);
    unlink(out);
    th_rmtree(inbox);
    free(inbox);
}

/* Every value in the --flag=value form reaches the server: the inbox, a 1 KiB body limit
 * and one 503 with Retry-After 2. */
static void test_mock_main_equals_form(void **state)
{
    (void)state;
    const char *bin = getenv("KA_BIN");
    if (!bin || access(bin, X_OK) != 0)
        skip();
    char *inbox = th_tempdir();
    char args[PATH_MAX + 128], out[PATH_MAX];
    snprintf(out, sizeof out, "%s.out", inbox);
    snprintf(args, sizeof args, "--port=0 --inbox='%s' --quiet --max-body=1K --fail-next=1 "
             "--fail-status=503 --retry-after=2", inbox);
    int pid;
    unsigned port = start_bin_mock(bin, args, out, &pid);
    if (!port) {
        if (pid > 0)
            kill(pid, SIGKILL);
        fail_msg("kombo-attach mock did not start");
    }
    char origin[64];
    snprintf(origin, sizeof origin, "http://127.0.0.1:%u", port);
    struct resp r = call_url(origin, &(struct call){ .path = UP, .body = EXAMPLE_BODY }, NULL);
    assert_int_equal(r.status, 503);
    assert_string_equal(r.retry_after, "2");
    resp_free(&r);
    r = call_url(origin, &(struct call){ .path = UP, .body = EXAMPLE_BODY }, NULL);
    assert_int_equal(r.status, 200);
    assert_true(inside(inbox, r.stored));
    resp_free(&r);
    char data[1500];
    memset(data, 'A', sizeof data - 1);
    data[sizeof data - 1] = '\0';
    char *big = upload_body("big.bin", "OTHER", "application/pdf", data);
    r = call_url(origin, &(struct call){ .path = UP, .body = big }, NULL);
    assert_int_equal(r.status, 413);
    assert_non_null(strstr(jstr(r.json, "error", "message"), "1024"));
    resp_free(&r);
    free(big);
    stop_bin_mock(pid);
    unlink(out);
    th_rmtree(inbox);
    free(inbox);
}

/* A mock of the test's own with a key, strict about candidates, and its origin. */
struct own {
    char *inbox;
    struct mock *m;
    char origin[64];
};

static void own_start_log(struct own *o, bool quiet)
{
    char err[256];
    o->inbox = th_tempdir();
    struct mock_config cfg = { .inbox = o->inbox, .api_key = KEY, .quiet = quiet };
    o->m = mock_start(&cfg, err, sizeof err);
    if (!o->m)
        fail_msg("mock_start: %s", err);
    snprintf(o->origin, sizeof o->origin, "http://127.0.0.1:%u", mock_port(o->m));
}

static void own_start(struct own *o)
{
    own_start_log(o, true);
}

static void own_stop(struct own *o)
{
    mock_stop(o->m);
    th_rmtree(o->inbox);
    free(o->inbox);
}

/* The mock's request log (stderr) shows what came from the network escaped: a raw target
 * with C1 controls, bidi overrides and escape bytes, and a stored name with U+202E. */
static void test_log_escapes_network_text(void **state)
{
    (void)state;
    char *dir = th_tempdir(), logpath[600];
    snprintf(logpath, sizeof logpath, "%s/log", dir);
    int logfd = open(logpath, O_WRONLY | O_CREAT | O_TRUNC, 0600), saved = dup(2);
    assert_true(logfd >= 0 && saved >= 0);
    fflush(stderr);
    dup2(logfd, 2);
    struct own o;
    own_start_log(&o, false);

    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(mock_port(o.m)) };
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof sa), 0);
    static const char req[] = "GET /v1/ats/candidates/ab\xe2\x80\xae\xc2\x9b\x1b[2J/attachments HTTP/1.1\r\n"
                              "Host: x\r\nConnection: close\r\n\r\n";
    assert_int_equal(write(fd, req, sizeof req - 1), (ssize_t)(sizeof req - 1));
    char answer[4096];
    while (read(fd, answer, sizeof answer) > 0)
        ;
    close(fd);
    char *body = upload_body("cv\xe2\x80\xae" "fdp.txt", "CV", "text/plain", "QQ==");
    struct resp r = call_url(o.origin, &(struct call){ .path = UP, .body = body, .auth = AUTH_OK }, NULL);
    assert_int_equal(r.status, 200);
    resp_free(&r);
    free(body);
    own_stop(&o);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    close(logfd);

    size_t n;
    char *log = file_text(logpath, &n);
    assert_non_null(log);
    if (strstr(log, "\xe2\x80\xae") || strstr(log, "\xc2\x9b") || strchr(log, 0x1b))
        fail_msg("raw bytes in the log: %s", log);
    if (!strstr(log, "ab%E2%80%AE%C2%9B%1B[2J") || !strstr(log, "cv\\u202efdp.txt"))
        fail_msg("log: %s", log);
    free(log);
    th_rmtree(dir);
    free(dir);
}

/* A symlink planted in the inbox (where the next upload's candidate folder would be) does
 * not redirect the write outside it: refused, and nothing lands at the link's target. */
static void test_inbox_symlink(void **state)
{
    (void)state;
    struct own o;
    own_start(&o);
    char *outside = th_tempdir();
    char integ[600], link_at[700];
    snprintf(integ, sizeof integ, "%s/%s", o.inbox, INTEG);
    assert_int_equal(mkdir(integ, 0755), 0);
    snprintf(link_at, sizeof link_at, "%s/4B7z5qJ8dXcR2mTnWvKpLs9a", integ);
    assert_int_equal(symlink(outside, link_at), 0);
    struct call cl = { .path = "/v1/ats/candidates/4B7z5qJ8dXcR2mTnWvKpLs9a/attachments",
                       .body = EXAMPLE_BODY };
    struct resp r = call_url(o.origin, &cl, NULL);
    if (r.status == 200 || !r.body || !strstr(r.body, "symlink"))
        fail_msg("status %ld: %s", r.status, r.body ? r.body : "");
    resp_free(&r);
    assert_int_equal(count_files(outside, NULL), 0);
    own_stop(&o);
    th_rmtree(outside);
    free(outside);
}

/* A small hostile body: 4 MiB of remote_fields as one long array. Refused with 413 in
 * Kombo's shape before it is parsed, so the mock's memory does not follow it. */
static void test_hostile_remote_fields(void **state)
{
    (void)state;
    size_t n = 4u << 20;
    char *body = malloc(n + 200);
    assert_non_null(body);
    int o = snprintf(body, 200, "{\"attachment\":{\"name\":\"a.txt\",\"type\":\"CV\","
                     "\"content_type\":\"text/plain\",\"data\":\"QQ==\"},\"remote_fields\":{\"x\":[");
    size_t p = (size_t)o;
    while (p < n) {
        body[p++] = '1';
        body[p++] = ',';
    }
    memcpy(body + p, "1]}}", 5);
    struct resp r = call(&(struct call){ .path = "/v1/ats/candidates/4B7z5qJ8dXcR2mTnWvKpLs9a/attachments",
                                         .body = body });
    if (r.status != 413 || !r.body || !strstr(r.body, "\"status\":\"error\""))
        fail_msg("status %ld: %.300s", r.status, r.body ? r.body : "");
    resp_free(&r);
    free(body);
}

/* A mock with a key of its own (--api-key-file, the sandbox's per-run key) also guards its
 * control endpoints: without the key nobody can read what was sent or set a fault. */
static void test_control_needs_key(void **state)
{
    (void)state;
    struct own o;
    own_start(&o);
    const char *origin = o.origin;
    static const struct { const char *method, *path; } rows[] = {
        { "GET", "/__mock/requests" }, { "GET", "/__mock/stats" },
        { "POST", "/__mock/fault?kind=stall" }, { "GET", "/logs/1" },
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        struct call cl = { .method = rows[i].method, .path = rows[i].path, .auth = AUTH_NONE,
                           .no_integration = true, .ctype = "" };
        struct resp r = call_url(origin, &cl, NULL);
        if (r.status != 401)
            fail_msg("%s %s without the key: %ld", rows[i].method, rows[i].path, r.status);
        resp_free(&r);
        cl.auth = AUTH_WRONG;
        r = call_url(origin, &cl, NULL);
        assert_int_equal(r.status, 401);
        resp_free(&r);
    }
    struct call ok = { .method = "GET", .path = "/__mock/stats", .auth = AUTH_OK,
                       .no_integration = true, .ctype = "" };
    struct resp r = call_url(origin, &ok, NULL);
    assert_int_equal(r.status, 200);
    resp_free(&r);
    own_stop(&o);
}

/* Without --any-candidate only the seeded candidates exist: an upload or a listing for
 * another ID gets Kombo's 404 naming the ID (before the body is looked at), a seeded one
 * and a seeded application are served. */
static void test_unknown_candidate(void **state)
{
    (void)state;
    struct own o;
    own_start(&o);
    static const struct { const char *method, *path; int status; const char *says; } rows[] = {
        { "POST", "/v1/ats/candidates/4gR7uLk8J2bXw9QmZ3sTn6Vd/attachments", 404,
          "no candidate with the ID \\\"4gR7uLk8J2bXw9QmZ3sTn6Vd\\\"" },
        { "GET", "/v1/ats/candidates/nobody/attachments", 404, "no candidate with the ID \\\"nobody\\\"" },
        { "POST", "/v1/ats/applications/Zz9Yy8Xx7Ww6Vv5Uu4Tt3Ss2/attachments", 404,
          "no application with the ID" },
        { "POST", "/v1/ats/candidates/4B9bJBkJ6jEGfpdpcCJ7JKJ9/attachments", 200, NULL }, /* README's */
        { "POST", "/v1/ats/candidates/4B7z5qJ8dXcR2mTnWvKpLs9a/attachments", 200, NULL },
        { "POST", "/v1/ats/applications/A1pp2Bq3Cr4Ds5Et6Fu7Gv8H/attachments", 200, NULL },
        { "GET", "/v1/ats/candidates/4B7z5qJ8dXcR2mTnWvKpLs9a/attachments", 200, NULL },
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        bool post = !strcmp(rows[i].method, "POST");
        struct call cl = { .method = rows[i].method, .path = rows[i].path,
                           .body = post ? EXAMPLE_BODY : NULL, .ctype = post ? NULL : "" };
        struct resp r = call_url(o.origin, &cl, NULL);
        if (r.status != rows[i].status)
            fail_msg("row %zu: %s %s: %ld %s", i, rows[i].method, rows[i].path, r.status, r.body);
        if (rows[i].says) {
            if (!r.body || !strstr(r.body, rows[i].says) || !strstr(r.body, "\"status\":\"error\""))
                fail_msg("row %zu: %s", i, r.body ? r.body : "(no body)");
        }
        resp_free(&r);
    }
    own_stop(&o);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scanner_table),
        cmocka_unit_test(test_decoder_table),
        cmocka_unit_test(test_safe_component_table),
        cmocka_unit_test(test_validation_errors),
        cmocka_unit_test(test_example_body_stored),
        cmocka_unit_test(test_unknown_candidate),
        cmocka_unit_test(test_control_needs_key),
        cmocka_unit_test(test_hostile_remote_fields),
        cmocka_unit_test(test_inbox_symlink),
        cmocka_unit_test(test_log_escapes_network_text),
        cmocka_unit_test(test_binary_roundtrip),
        cmocka_unit_test(test_content_type_warnings),
        cmocka_unit_test(test_path_traversal),
        cmocka_unit_test(test_name_collisions),
        cmocka_unit_test(test_max_body),
        cmocka_unit_test(test_status_faults),
        cmocka_unit_test(test_body_faults),
        cmocka_unit_test(test_drop_fault),
        cmocka_unit_test(test_stall_fault),
        cmocka_unit_test(test_slow_fault),
        cmocka_unit_test(test_fault_http_control),
        cmocka_unit_test(test_get_fault_503_then_success),
        cmocka_unit_test(test_fault_targets_do_not_cross),
        cmocka_unit_test(test_get_drop_and_stall),
        cmocka_unit_test(test_short_body_leaves_nothing),
        cmocka_unit_test(test_aborted_uploads_leave_nothing),
        cmocka_unit_test(test_upload_latency_outlives_client),
        cmocka_unit_test(test_raw_path_recorded),
        cmocka_unit_test(test_check_api_key),
        cmocka_unit_test(test_list_attachments),
        cmocka_unit_test(test_candidates),
        cmocka_unit_test(test_https),
        cmocka_unit_test(test_start_errors),
        cmocka_unit_test(test_mock_main_bad_flags),
        cmocka_unit_test(test_mock_main_flag_messages),
        cmocka_unit_test(test_mock_main_runs),
        cmocka_unit_test(test_mock_main_equals_form),
    };
    return cmocka_run_group_tests(tests, setup_group, teardown_group);
}
