/* Plain libcurl requests to an in-process mock, for the tests of its read endpoints
 * (test_mock_data, test_mock_files, test_mock_schema): one call, the status, the body
 * parsed, the Content-Type. Header-only: each test program is one translation unit.
 * Include after helpers.h. */
#ifndef KA_TEST_MOCK_HTTP_H
#define KA_TEST_MOCK_HTTP_H

#include <curl/curl.h>
#include <cjson/cJSON.h>

#include "mock.h"

#define MH_KEY "test-key"
#define MH_INTEG "greenhouse:HWUTwvyx2wLoSUHphiWVrp28"

struct mh_resp {
    long status;
    char *body;
    size_t len;
    cJSON *json;          /* NULL unless the body is JSON */
    char ctype[128];
    double seconds;       /* the whole request */
};

struct mh_opts {
    const char *method;   /* default GET */
    const char *body;     /* POST body (JSON) */
    bool no_auth, no_integration;
};

static inline size_t mh_on_body(char *p, size_t sz, size_t n, void *ud)
{
    struct mh_resp *r = ud;
    r->body = xrealloc(r->body, r->len + sz * n + 1);
    memcpy(r->body + r->len, p, sz * n);
    r->len += sz * n;
    r->body[r->len] = '\0';
    return sz * n;
}

static inline size_t mh_on_header(char *p, size_t sz, size_t n, void *ud)
{
    struct mh_resp *r = ud;
    size_t len = sz * n;
    if (len > 13 && !strncasecmp(p, "Content-Type:", 13)) {
        const char *v = p + 13;
        while (*v == ' ')
            v++;
        size_t vl = (size_t)(p + len - v);
        while (vl && (v[vl - 1] == '\r' || v[vl - 1] == '\n'))
            vl--;
        snprintf(r->ctype, sizeof r->ctype, "%.*s", (int)vl, v);
    }
    return len;
}

/* A request to url (a whole URL) or, when it starts with '/', to the mock's origin. */
static inline struct mh_resp mh_call(const struct mock *m, const char *path, const struct mh_opts *o)
{
    struct mh_resp r;
    memset(&r, 0, sizeof r);
    char url[4096];
    if (path[0] == '/')
        snprintf(url, sizeof url, "http://127.0.0.1:%u%s", mock_port(m), path);
    else
        snprintf(url, sizeof url, "%s", path);
    CURL *h = curl_easy_init();
    struct curl_slist *hl = NULL;
    if (!o || !o->no_auth)
        hl = curl_slist_append(hl, "Authorization: Bearer " MH_KEY);
    if (!o || !o->no_integration)
        hl = curl_slist_append(hl, "X-Integration-Id: " MH_INTEG);
    if (o && o->body) {
        hl = curl_slist_append(hl, "Content-Type: application/json");
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, o->body);
    }
    if (o && o->method)
        curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, o->method);
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hl);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, mh_on_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &r);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, mh_on_header);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, &r);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, 30000L);
    curl_easy_setopt(h, CURLOPT_NOPROXY, "*");
    double t0 = clock_now();
    CURLcode rc = curl_easy_perform(h);
    r.seconds = clock_now() - t0;
    if (rc != CURLE_OK)
        fail_msg("GET %s: %s", url, curl_easy_strerror(rc));
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &r.status);
    curl_slist_free_all(hl);
    curl_easy_cleanup(h);
    if (r.body)
        r.json = cJSON_ParseWithLength(r.body, r.len);
    return r;
}

static inline struct mh_resp mh_get(const struct mock *m, const char *path)
{
    return mh_call(m, path, NULL);
}

static inline void mh_free(struct mh_resp *r)
{
    free(r->body);
    cJSON_Delete(r->json);
    memset(r, 0, sizeof *r);
}

/* data (or data.<key>) of a success answer. */
static inline const cJSON *mh_data(const struct mh_resp *r, const char *key)
{
    const cJSON *d = cJSON_GetObjectItemCaseSensitive(r->json, "data");
    return key ? cJSON_GetObjectItemCaseSensitive(d, key) : d;
}

static inline const char *mh_str(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* A mock of its own for a test, quiet, in dir/inbox. */
static inline struct mock *mh_start(struct mock_config cfg, const char *dir)
{
    static char inbox[1024];
    snprintf(inbox, sizeof inbox, "%s/inbox", dir);
    cfg.inbox = inbox;
    cfg.quiet = true;
    char err[512];
    struct mock *m = mock_start(&cfg, err, sizeof err);
    if (!m)
        fail_msg("mock_start: %s", err);
    return m;
}

#endif
