#include "httplog.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "answer.h"
#include "secret.h"
#include "xalloc.h"

static void log_lines(const char *key, const char *prefix, const char *data, size_t size)
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
                secret_redact(&e, key); /* e.g. a server echoing the key in a header */
                fprintf(stderr, "%s%s\n", prefix, e ? e : "");
                free(e);
            }
        }
        p = nl ? nl + 1 : end;
    }
}

void httplog_reset(struct httplog *l)
{
    l->body_seen = 0;
}

/* The answer's body, up to HTTPLOG_BODY_MAX bytes of each attempt: enough for Kombo's
 * answers and a proxy's error page, never a flood. */
static void log_body(struct httplog *l, const char *data, size_t size)
{
    size_t before = l->body_seen;
    l->body_seen += size;
    if (before >= HTTPLOG_BODY_MAX) {
        return;
    }
    /* redacted whole, then cut */
    char *raw = xmalloc(size + 1);
    memcpy(raw, data, size);
    size_t rn = size;
    secret_redact_n(&raw, &rn, l->key);
    size_t n = rn < HTTPLOG_BODY_MAX - before ? rn : HTTPLOG_BODY_MAX - before;
    char *e = answer_escape(raw, n);
    explicit_bzero(raw, rn);
    free(raw);
    fprintf(stderr, "< [body] %s%s\n", e ? e : "",
            l->body_seen > HTTPLOG_BODY_MAX ? " … (the rest of the answer is not shown)" : "");
    free(e);
}

int httplog_debug_cb(CURL *h, curl_infotype type, char *data, size_t size, void *log)
{
    (void)h;
    struct httplog *l = log;
    const char *key = l->key;
    switch (type) {
    case CURLINFO_TEXT: {
        char *e = answer_escape(data, size);
        /* libcurl 7.x logs HTTP/2 request headers as text ("h2h3 [authorization: ...]") */
        secret_redact(&e, key);
        /* libcurl's notes end with "\n", which the escape turned into "\\n" */
        size_t n = e ? strlen(e) : 0;
        if (n >= 2 && strcmp(e + n - 2, "\\n") == 0)
            e[n - 2] = '\0';
        fprintf(stderr, "* %s\n", e ? e : "");
        free(e);
        break;
    }
    case CURLINFO_HEADER_OUT:
        log_lines(key, "> ", data, size);
        break;
    case CURLINFO_HEADER_IN:
        log_lines(key, "< ", data, size);
        break;
    case CURLINFO_DATA_IN:
        log_body(l, data, size);
        break;
    default:
        break; /* the request's body (the file) and TLS bytes: never logged */
    }
    return 0;
}
