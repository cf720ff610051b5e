/* Kombo's answers parsed into a result (pure: no I/O).
 *
 * Every string taken from the answer is escaped with answer_escape() before it is stored,
 * so front ends can print any field as is: a hostile or broken server cannot move the
 * cursor, change colours, retitle the terminal or split one line of output into two. */
#include "answer.h"

#include "json_util.h"
#include "termsafe.h"
#include "xalloc.h"

#include <cjson/cJSON.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define SNIPPET_MAX 120 /* bytes of server text quoted in a one-line problem */

/* ---- escaping ------------------------------------------------------------------ */

char *answer_escape(const char *s, size_t n)
{
    return ts_escape(s, n, TS_ONE_LINE);
}

/* Squeeze runs of white space into one space, trim, escape, and cut at max bytes between
 * two characters (or two escapes: never inside one), adding "...". For quoting server text
 * inside a problem line. */
static char *snippet(const char *s, size_t n, size_t max)
{
    char *out = xmalloc(max + 4);
    size_t o = 0;
    bool space = false, cut = false;
    for (size_t i = 0; i < n && !cut;) {
        char c = s[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
            space = o > 0;
            i++;
            continue;
        }
        struct ts_unit u;
        ts_next(s + i, n - i, TS_ONE_LINE, &u);
        const char *shown = u.esc_len ? u.esc : s + i;
        size_t len = u.esc_len ? u.esc_len : u.len;
        if (o + space + len > max) {
            cut = true;
            break;
        }
        if (space)
            out[o++] = ' ';
        space = false;
        memcpy(out + o, shown, len);
        o += len;
        i += u.len;
    }
    if (cut) {
        memcpy(out + o, "...", 3);
        o += 3;
    }
    out[o] = '\0';
    return out;
}

/* ---- small string helpers -------------------------------------------------------- */

static const char *find_ci(const char *hay, size_t n, const char *needle)
{
    size_t m = strlen(needle);
    for (size_t i = 0; i + m <= n; i++)
        if (strncasecmp(hay + i, needle, m) == 0)
            return hay + i;
    return NULL;
}

static char *json_string_or_null(const cJSON *obj, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!cJSON_IsString(v) || !v->valuestring)
        return NULL;
    return answer_escape(v->valuestring, strlen(v->valuestring));
}

/* ---- parsing --------------------------------------------------------------------- */

static bool is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static char *html_problem(long status, const char *body, size_t len)
{
    const char *t = find_ci(body, len, "<title");
    if (t) {
        const char *gt = memchr(t, '>', len - (size_t)(t - body));
        if (gt) {
            const char *start = gt + 1;
            size_t rest = len - (size_t)(start - body);
            const char *end = find_ci(start, rest, "</title");
            size_t tlen = end ? (size_t)(end - start) : rest;
            char *title = snippet(start, tlen, SNIPPET_MAX);
            if (*title) {
                char *p = xasprintf("HTTP %ld with an HTML body: <title>%s</title>", status, title);
                free(title);
                return p;
            }
            free(title);
        }
    }
    return xasprintf("HTTP %ld with an HTML body without a title (%zu bytes)", status, len);
}

static char *shape_problem(long status, const cJSON *j, const char *why)
{
    /* Gateways often answer {"message": "..."}: quote it, it is the best hint we have. */
    const char *hint = NULL;
    if (cJSON_IsObject(j)) {
        const cJSON *m = cJSON_GetObjectItemCaseSensitive(j, "message");
        if (!cJSON_IsString(m))
            m = cJSON_GetObjectItemCaseSensitive(j, "error");
        if (cJSON_IsString(m) && m->valuestring)
            hint = m->valuestring;
    }
    char *h = hint ? snippet(hint, strlen(hint), SNIPPET_MAX) : NULL;
    char *p = h && *h ? xasprintf("HTTP %ld with JSON that is not Kombo's answer (%s): %s", status, why, h)
                      : xasprintf("HTTP %ld with JSON that is not Kombo's answer (%s)", status, why);
    free(h);
    return p;
}

static void parse_warnings(const cJSON *root, struct answer *out)
{
    const cJSON *w = cJSON_GetObjectItemCaseSensitive(root, "warnings");
    if (!cJSON_IsArray(w))
        return;
    int n = cJSON_GetArraySize(w);
    if (n <= 0)
        return;
    out->warnings = xcalloc((size_t)n, sizeof *out->warnings);
    const cJSON *item;
    cJSON_ArrayForEach(item, w) {
        const char *msg = NULL;
        if (cJSON_IsObject(item)) {
            const cJSON *m = cJSON_GetObjectItemCaseSensitive(item, "message");
            if (cJSON_IsString(m))
                msg = m->valuestring;
        } else if (cJSON_IsString(item)) {
            msg = item->valuestring;
        }
        if (!msg)
            continue; /* a warning without text says nothing worth showing */
        out->warnings[out->n_warnings++] = answer_escape(msg, strlen(msg));
    }
}

void answer_parse(long http_status, const char *content_type, const char *body, size_t len,
                  struct answer *out)
{
    memset(out, 0, sizeof *out);
    out->http_status = http_status;
    if (!body)
        len = 0;
    bool is_2xx = http_status >= 200 && http_status <= 299;

    size_t skip = 0;
    while (skip < len && is_ws(body[skip]))
        skip++;
    if (skip == len) {
        out->problem = xasprintf("HTTP %ld with an empty body", http_status);
        return;
    }

    cJSON *root = cJSON_ParseWithLength(body, len);
    if (!root) {
        char first = body[skip];
        bool html = (content_type && find_ci(content_type, strlen(content_type), "html")) ||
                    first == '<';
        if (html) {
            out->problem = html_problem(http_status, body, len);
        } else if (first == '{' || first == '[') {
            out->problem = xasprintf("HTTP %ld with invalid or truncated JSON (%zu bytes)", http_status, len);
        } else {
            char *s = snippet(body, len, SNIPPET_MAX);
            char *ct = content_type && *content_type
                           ? snippet(content_type, strlen(content_type), 60) : NULL;
            out->problem = xasprintf("HTTP %ld with a non-JSON body (%s): %s", http_status,
                                     ct ? ct : "no content type", s);
            free(s);
            free(ct);
        }
        return;
    }

    const cJSON *st = cJSON_IsObject(root) ? cJSON_GetObjectItemCaseSensitive(root, "status") : NULL;
    if (!cJSON_IsObject(root)) {
        out->problem = shape_problem(http_status, root, json_kind(root));
    } else if (!cJSON_IsString(st) || !st->valuestring) {
        out->problem = shape_problem(http_status, root, "no \"status\"");
    } else if (strcmp(st->valuestring, "success") == 0) {
        parse_warnings(root, out);
        if (is_2xx)
            out->ok = true;
        else
            out->problem = xasprintf("HTTP %ld with a success answer", http_status);
    } else if (strcmp(st->valuestring, "error") == 0) {
        const cJSON *e = cJSON_GetObjectItemCaseSensitive(root, "error");
        if (cJSON_IsObject(e)) {
            out->err.code = json_string_or_null(e, "code");
            out->err.title = json_string_or_null(e, "title");
            out->err.message = json_string_or_null(e, "message");
            out->err.log_url = json_string_or_null(e, "log_url");
        }
    } else {
        char *s = snippet(st->valuestring, strlen(st->valuestring), 40);
        char *why = xasprintf("status \"%s\"", s);
        out->problem = shape_problem(http_status, root, why);
        free(why);
        free(s);
    }
    cJSON_Delete(root);
}

void answer_free(struct answer *a)
{
    if (!a)
        return;
    for (size_t i = 0; i < a->n_warnings; i++)
        free(a->warnings[i]);
    free(a->warnings);
    free(a->err.code);
    free(a->err.title);
    free(a->err.message);
    free(a->err.log_url);
    free(a->problem);
    memset(a, 0, sizeof *a);
}

char *answer_summary(const struct answer *a)
{
    if (a->ok) {
        if (a->n_warnings == 0)
            return xasprintf("success (HTTP %ld)", a->http_status);
        char *s = xasprintf("success (HTTP %ld) with %zu warning%s:", a->http_status,
                            a->n_warnings, a->n_warnings == 1 ? "" : "s");
        for (size_t i = 0; i < a->n_warnings; i++) {
            char *n = xasprintf("%s%s %s", s, i ? ";" : "", a->warnings[i]);
            free(s);
            s = n;
        }
        return s;
    }
    if (a->problem)
        return xstrdup(a->problem);

    /* "CODE (title): message [log: url]", leaving out what Kombo did not send. */
    const struct kombo_error *e = &a->err;
    char *s = xstrdup(e->code ? e->code : "");
    static const char *const joined[] = { "%s (%s)", "%s: %s", "%s [log: %s]" };
    static const char *const alone[] = { "%s%s", "%s%s", "%s[log: %s]" };
    const char *const parts[] = { e->title, e->message, e->log_url };
    for (size_t i = 0; i < 3; i++) {
        if (!parts[i])
            continue;
        char *n = xasprintf(*s ? joined[i] : alone[i], s, parts[i]);
        free(s);
        s = n;
    }
    if (!*s) {
        free(s);
        s = xasprintf("HTTP %ld error without details", a->http_status);
    }
    return s;
}
