#include "kombo.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "xalloc.h"

bool kombo_id_looks_valid(const char *id)
{
    if (!id || strlen(id) != KOMBO_ID_LEN)
        return false;
    return strspn(id, KOMBO_BASE58) == KOMBO_ID_LEN;
}

const char *kombo_check_path_id(const char *what, const char *id)
{
    bool app = what && strcmp(what, "application") == 0;
    if (!id || !*id)
        return app ? "the application ID is empty" : "the candidate ID is empty";
    if (strcmp(id, ".") == 0 || strcmp(id, "..") == 0)
        return app ? "the application ID cannot be \".\" or \"..\": the URL would address another "
                     "endpoint"
                   : "the candidate ID cannot be \".\" or \"..\": the URL would address another "
                     "endpoint";
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

const char *kombo_check_header_value(const char *what, const char *value)
{
    int kind = 2;
    if (what && (strcasecmp(what, "API key") == 0 || strcasecmp(what, "api_key") == 0))
        kind = 0;
    else if (what && (strcasecmp(what, "integration ID") == 0 ||
                      strcasecmp(what, "integration_id") == 0))
        kind = 1;
    if (!value || !*value)
        return hv_messages[kind][HV_EMPTY];
    if (kind == 0 && strlen(value) > KOMBO_KEY_MAX)
        return "the API key is longer than any real one (over 512 characters): check what the key "
               "file or api_key_command prints";
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

const char *kombo_check_base_url(const char *base, char *host, size_t hostlen)
{
    if (!base || !*base)
        return "the base URL is empty";
    CURLU *h = curl_url();
    if (!h)
        xalloc_fatal("curl_url");
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

bool kombo_url_is_plain_remote(const char *base)
{
    CURLU *h = curl_url();
    if (!h)
        xalloc_fatal("curl_url");
    bool remote = false;
    char *scheme = NULL, *host = NULL;
    if (curl_url_set(h, CURLUPART_URL, base, 0) == CURLUE_OK &&
        curl_url_get(h, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
        curl_url_get(h, CURLUPART_HOST, &host, 0) == CURLUE_OK && strcasecmp(scheme, "http") == 0)
        remote = !(strncmp(host, "127.", 4) == 0 || strcmp(host, "[::1]") == 0 ||
                   strcasecmp(host, "localhost") == 0);
    curl_free(scheme);
    curl_free(host);
    curl_url_cleanup(h);
    return remote;
}

/* curl_easy_escape keeps only A-Z a-z 0-9 - . _ ~: what encodeURIComponent does, less its
 * five extra marks (harmless either way for Kombo's values). */
static char *escape(const char *s)
{
    char *e = curl_easy_escape(NULL, s, 0);
    if (!e)
        xalloc_fatal("curl_easy_escape");
    char *copy = xstrdup(e);
    curl_free(e);
    return copy;
}

char *kombo_url(const char *base, const char *const *segments, const char *const *query,
                const char **problem)
{
    const char *p = kombo_check_base_url(base, NULL, 0);
    for (size_t i = 0; !p && segments && segments[i]; i++)
        if (!*segments[i] || !strcmp(segments[i], ".") || !strcmp(segments[i], ".."))
            p = "a path segment is empty, \".\" or \"..\": the URL would address another endpoint";
    if (p) {
        *problem = p;
        return NULL;
    }
    /* The path is ours to write: base (without a trailing slash) and encoded segments. */
    size_t blen = strlen(base);
    if (blen > 0 && base[blen - 1] == '/')
        blen--;
    char *path = xstrndup(base, blen);
    for (size_t i = 0; segments && segments[i]; i++) {
        char *e = escape(segments[i]);
        char *np = xasprintf("%s/%s", path, e);
        free(e);
        free(path);
        path = np;
    }
    /* The query is encoded pair by pair and handed to CURLU with the rest in one piece:
     * setting CURLUPART_QUERY on its own would lower-case some escapes ("%2b"), and the
     * SDKs send upper case. */
    char sep = '?';
    for (size_t i = 0; query && query[i]; i += 2) {
        if (!query[i + 1])
            continue;
        char *n = escape(query[i]), *v = escape(query[i + 1]);
        char *np = xasprintf("%s%c%s=%s", path, sep, n, v);
        free(n);
        free(v);
        free(path);
        path = np;
        sep = '&';
    }
    CURLU *h = curl_url();
    if (!h)
        xalloc_fatal("curl_url");
    char *url = NULL, *u = NULL;
    CURLUcode rc = curl_url_set(h, CURLUPART_URL, path, 0);
    if (rc == CURLUE_OUT_OF_MEMORY)
        xalloc_fatal("curl_url_set");
    if (rc != CURLUE_OK || curl_url_get(h, CURLUPART_URL, &u, 0) != CURLUE_OK) {
        *problem = "the URL could not be built from the base URL (expected e.g. "
                   "https://api.kombo.dev/v1)";
        goto out;
    }
    url = xstrdup(u);
    curl_free(u);
out:
    curl_url_cleanup(h);
    free(path);
    return url;
}
