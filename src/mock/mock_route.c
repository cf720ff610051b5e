/* Which endpoint a request is for, and whether its headers are what the contract asks. */
#include "mock_priv.h"

#include "hex.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

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
void mock_route_parse(struct req *r)
{
    const char *raw = r->raw ? r->raw : "/";
    char *path = xstrndup(raw, strcspn(raw, "?#"));
    r->route = R_NOT_FOUND;
    if (!strcmp(path, "/__mock/fault")) {
        r->control = true;
        r->route = method_is(r, "POST") ? R_CTL_FAULT : R_BAD_METHOD;
        r->allow = "POST";
    } else if (!strcmp(path, "/__mock/candidates/change") ||
               !strcmp(path, "/__mock/candidates/delete")) {
        r->control = true;
        r->route = method_is(r, "POST") ? R_CTL_CHANGE : R_BAD_METHOD;
        r->allow = "POST";
    } else if (!strcmp(path, "/__mock/requests") || !strcmp(path, "/__mock/stats")) {
        r->control = true;
        r->route = !method_is(r, "GET") ? R_BAD_METHOD
                   : path[8] == 'r' ? R_CTL_REQUESTS : R_CTL_STATS;
        r->allow = "GET";
    } else if (!strncmp(path, "/__mock/files/", 14)) {
        /* a stored file's data_url: no auth, as a signed URL (mock_files.c) */
        r->control = true;
        r->route = method_is(r, "GET") ? R_FILE : R_BAD_METHOD;
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
        } else if (n == 2 && SEG(0, "integrations") && len[1] > 0) {
            r->id = pct_decode(seg[1], len[1], &r->id_len);
            r->route = method_is(r, "GET") ? R_INTEGRATION : R_BAD_METHOD;
            r->allow = "GET";
        } else if (n == 3 && SEG(0, "ats") && SEG(1, "actions") &&
                   (SEG(2, "ats_add_application_attachment") ||
                    SEG(2, "ats_add_candidate_attachment"))) {
            r->route = method_is(r, "GET") ? R_ACTIONS : R_BAD_METHOD;
            r->allow = "GET";
        } else if (n == 4 && SEG(0, "ats") && (SEG(1, "candidates") || SEG(1, "applications")) &&
                   len[2] > 0 && SEG(3, "attachments")) {
            r->application = SEG(1, "applications");
            r->id = pct_decode(seg[2], len[2], &r->id_len);
            if (method_is(r, "POST"))
                r->route = R_UPLOAD;
            else if (method_is(r, "GET"))
                r->route = R_LIST;
            else
                r->route = R_BAD_METHOD;
            r->allow = "GET, POST";
        }
#undef SEG
    }
    free(path);
}

const char *mock_route_arg(struct MHD_Connection *c, const char *name)
{
    return MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, name);
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
        mock_respond_later(r, 401, "PLATFORM.AUTHENTICATION_INVALID", "%s", why);
}

static void check_integration(struct req *r, struct MHD_Connection *c)
{
    const char *h = header(c, "X-Integration-Id");
    if (!h || !*h)
        mock_respond_later(r, 400, "PLATFORM.INPUT_INVALID",
                           "missing X-Integration-Id header: send the integration's ID "
                           "(e.g. workday:HWUTwvyx2wLoSUHphiWVrp28)");
    else
        r->integration = xstrdup(h);
}

static void check_content_type(struct req *r, struct MHD_Connection *c)
{
    const char *h = header(c, MHD_HTTP_HEADER_CONTENT_TYPE);
    if (!h) {
        mock_respond_later(r, 400, "PLATFORM.INPUT_INVALID",
                           "missing Content-Type header: send \"Content-Type: application/json\"");
        return;
    }
    while (*h == ' ')
        h++;
    size_t n = strlen("application/json");
    if (strncasecmp(h, "application/json", n) != 0 || (h[n] && h[n] != ';' && h[n] != ' '))
        mock_respond_later(r, 400, "PLATFORM.INPUT_INVALID",
                           "Content-Type must be application/json, got \"%.100s\"", h);
}

void mock_route_check(struct mock *m, struct req *r, struct MHD_Connection *c)
{
    switch (r->route) {
    case R_NOT_FOUND:
        mock_respond_later(r, 404, "PLATFORM.INPUT_INVALID",
                           "no such endpoint: %s %.200s (the mock serves /v1/check-api-key, "
                           "/v1/integrations/{id}, /v1/ats/candidates, "
                           "/v1/ats/candidates/{id}/attachments, "
                           "/v1/ats/applications/{id}/attachments and "
                           "/v1/ats/actions/ats_add_{application,candidate}_attachment)", r->method,
                           r->raw ? r->raw : "");
        break;
    case R_BAD_METHOD:
        mock_respond_later(r, 405, "PLATFORM.INPUT_INVALID", "method %s is not allowed here; use %s",
                           r->method, r->allow);
        break;
    case R_UPLOAD: case R_LIST: case R_CANDIDATES: case R_CHECK: case R_INTEGRATION:
    case R_ACTIONS:
        if (r->have_cl && r->content_length > m->max_body)
            mock_respond_later(r, 413, "PLATFORM.INPUT_INVALID",
                               "the body is %llu bytes; this server accepts at most %llu",
                               (unsigned long long)r->content_length,
                               (unsigned long long)m->max_body);
        check_auth(m, r, c);
        if (r->route != R_CHECK && r->route != R_INTEGRATION)   /* their ID is the path's */
            check_integration(r, c);
        if ((r->route == R_UPLOAD || r->route == R_LIST || r->route == R_INTEGRATION) && !r->id)
            mock_respond_later(r, 400, "PLATFORM.INPUT_INVALID",
                               "the ID in the path has a malformed percent escape");
        if (r->route == R_UPLOAD)
            check_content_type(r, c);
        if ((r->route == R_UPLOAD || r->route == R_LIST) && r->id &&
            !mock_read_known(m, r->application, r->id, r->id_len))
            mock_respond_later(r, 404, "PLATFORM.INPUT_INVALID",
                               "no %s with the ID \"%.*s\" in this integration",
                               r->application ? "application" : "candidate",
                               (int)(r->id_len > 100 ? 100 : r->id_len), r->id);
        break;
    case R_CTL_FAULT: case R_CTL_REQUESTS: case R_CTL_STATS: case R_LOG: case R_CTL_CHANGE:
        /* Open to plain curl for tests, unless the mock has a key of its own (--api-key-file,
         * the sandbox's per-run key): then they need it too, so no other local user can read
         * what was sent or make the mock misbehave. */
        if (m->api_key)
            check_auth(m, r, c);
        break;
    case R_FILE:
        break;     /* the token is the secret, as in a signed URL */
    }
}
