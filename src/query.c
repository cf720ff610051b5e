/* What a person typed, classified into Kombo's candidate filters (rules in query.h). */
#include "query.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "hex.h"
#include "kombo.h"
#include "termsafe.h"
#include "utf8.h"
#include "xalloc.h"

static const char *const labels[QF_COUNT] = {
    [QF_IDS] = "ids",
    [QF_EMAIL] = "email",
    [QF_REMOTE_IDS] = "remote_ids",
    [QF_FIRST_LAST] = "first_name+last_name",
    [QF_LAST_FIRST] = "last_name+first_name",
    [QF_FIRST] = "first_name",
    [QF_LAST] = "last_name",
};

const char *query_filter_label(enum query_filter f)
{
    return (unsigned)f < QF_COUNT ? labels[f] : "?";
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t';
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Add a set; b NULL for one value. The strings are copied. */
static void add_set(struct query_plan *p, enum query_filter f, const char *a, size_t alen,
                    const char *b, size_t blen)
{
    if (p->n == QUERY_PLAN_MAX)
        return;
    struct query_set *s = &p->sets[p->n++];
    s->filter = f;
    s->label = labels[f];
    s->value[0] = xstrndup(a, alen);
    s->value[1] = b ? xstrndup(b, blen) : NULL;
    size_t k = 0;
    switch (f) {
    case QF_IDS:
    case QF_EMAIL:
    case QF_REMOTE_IDS:
    case QF_FIRST:
    case QF_LAST:
        s->query[k++] = f == QF_IDS ? "ids" : f == QF_EMAIL ? "email"
                        : f == QF_REMOTE_IDS ? "remote_ids" : f == QF_FIRST ? "first_name"
                        : "last_name";
        s->query[k++] = s->value[0];
        break;
    case QF_FIRST_LAST:
    case QF_LAST_FIRST:
    case QF_COUNT:
        s->query[k++] = "first_name";
        s->query[k++] = s->value[0];
        s->query[k++] = "last_name";
        s->query[k++] = s->value[1];
        break;
    }
    s->query[k] = NULL;
}

static bool looks_like_email(const char *s)
{
    const char *at = strchr(s, '@');
    if (!at || at == s || strchr(at + 1, '@'))
        return false;
    const char *dot = strrchr(at + 1, '.');
    return dot && dot > at + 1 && dot[1] != '\0' && !strpbrk(s, " \t,");
}

/* The last non-empty path segment of an http(s) URL, percent-decoded into out (which has
 * room for strlen(url) + 1). 0, or -1 with a message. */
static int url_last_segment(const char *url, char *out, char *err, size_t errlen)
{
    const char *p = strstr(url, "://") + 3;
    size_t path_at = strcspn(p, "/?#");
    p += path_at;
    size_t path_len = *p == '/' ? strcspn(p, "?#") : 0;
    const char *end = p + path_len;
    while (end > p && end[-1] == '/')
        end--;
    const char *seg = end;
    while (seg > p && seg[-1] != '/')
        seg--;
    if (seg == end) {
        snprintf(err, errlen, "that URL has no path to take an ATS ID from: paste the "
                 "candidate's page address, or type the ID");
        return -1;
    }
    size_t o = hex_percent_decode(seg, (size_t)(end - seg), out);
    uint32_t cp;
    for (size_t i = 0; i < o;) {
        size_t l = utf8_decode(out + i, o - i, &cp);
        if (!l || ts_cp_unsafe(cp) || cp == ',') {
            snprintf(err, errlen, "the URL's last segment decodes to something that is not an "
                     "ID (a control character, a comma or broken UTF-8)");
            return -1;
        }
        i += l;
    }
    return 0;
}

/* Checks on the trimmed text: valid UTF-8 without anything a terminal or a filter should
 * not see. */
static int check_text(const char *s, size_t n, char *err, size_t errlen)
{
    if (n == 0) {
        snprintf(err, errlen, "nothing to search for: type a name, an e-mail address, an ID "
                 "or the candidate's URL");
        return -1;
    }
    if (n > QUERY_MAX_BYTES) {
        snprintf(err, errlen, "the search text is too long (%zu bytes; at most %d)", n,
                 QUERY_MAX_BYTES);
        return -1;
    }
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t l = utf8_decode(s + i, n - i, &cp);
        if (!l) {
            snprintf(err, errlen, "the search text is not valid UTF-8 (byte %zu)", i + 1);
            return -1;
        }
        if (cp != '\t' && ts_cp_unsafe(cp)) {
            char esc[TS_ESC_MAX];
            ts_escape_cp(cp, esc);
            snprintf(err, errlen, "the search text has a control or invisible character (%s)",
                     esc);
            return -1;
        }
        i += l;
    }
    return 0;
}

/* Words of a name: runs of non-blank bytes. Returns how many (up to max). */
static size_t split_words(const char *s, const char *w[], size_t wl[], size_t max)
{
    size_t n = 0;
    while (*s && n < max) {
        while (is_space(*s))
            s++;
        if (!*s)
            break;
        w[n] = s;
        while (*s && !is_space(*s))
            s++;
        wl[n] = (size_t)(s - w[n]);
        n++;
    }
    return n;
}

static void plan_names(struct query_plan *p, const char *text)
{
    const char *w[QUERY_MAX_BYTES];
    size_t wl[QUERY_MAX_BYTES];
    size_t n = split_words(text, w, wl, QUERY_MAX_BYTES);
    /* One space between words, as a person would write the name in the ATS. */
    char joined[QUERY_MAX_BYTES + 1];
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        if (i)
            joined[o++] = ' ';
        memcpy(joined + o, w[i], wl[i]);
        o += wl[i];
    }
    joined[o] = '\0';
    size_t first_len = wl[0];
    const char *rest = joined + first_len + 1;
    size_t rest_len = o - first_len - 1;
    size_t init_len = o - wl[n - 1] - 1; /* all but the last word */
    const char *last = joined + o - wl[n - 1];
    add_set(p, QF_FIRST_LAST, joined, first_len, rest, rest_len);
    if (n > 2)
        add_set(p, QF_FIRST_LAST, joined, init_len, last, wl[n - 1]);
    add_set(p, QF_LAST_FIRST, rest, rest_len, joined, first_len);
    if (n > 2)
        add_set(p, QF_LAST_FIRST, last, wl[n - 1], joined, init_len);
    if (n == 2)
        snprintf(p->description, sizeof p->description, "name %s (both orders)", joined);
    else
        snprintf(p->description, sizeof p->description, "name %s (4 ways: first word or last "
                 "word apart, both orders)", joined);
}

static void plan_token(struct query_plan *p, const char *t, size_t n)
{
    bool digit = false, comma = false;
    for (size_t i = 0; i < n; i++) {
        digit = digit || is_digit(t[i]);
        comma = comma || t[i] == ',';
    }
    /* A comma would make Kombo read a list of IDs. */
    if (!comma)
        add_set(p, QF_REMOTE_IDS, t, n, NULL, 0);
    if (digit && !comma) {
        snprintf(p->description, sizeof p->description, "ATS ID %s", t);
        return;
    }
    add_set(p, QF_FIRST, t, n, NULL, 0);
    add_set(p, QF_LAST, t, n, NULL, 0);
    if (comma)
        snprintf(p->description, sizeof p->description, "first or last name %s", t);
    else
        snprintf(p->description, sizeof p->description, "first or last name %s, or ATS ID %s",
                 t, t);
}

int query_plan_build(const char *input, struct query_plan *p, char *err, size_t errlen)
{
    memset(p, 0, sizeof *p);
    if (!input)
        input = "";
    const char *s = input;
    while (is_space(*s) || *s == '\n' || *s == '\r')
        s++;
    size_t n = strlen(s);
    while (n && (is_space(s[n - 1]) || s[n - 1] == '\n' || s[n - 1] == '\r'))
        n--;
    if (check_text(s, n, err, errlen) != 0)
        return -1;
    p->text = xstrndup(s, n);
    const char *t = p->text;
    bool blank = strpbrk(t, " \t") != NULL;

    if (kombo_id_looks_valid(t)) {
        add_set(p, QF_IDS, t, n, NULL, 0);
        snprintf(p->description, sizeof p->description, "Kombo ID %s", t);
    } else if (!blank && (strncasecmp(t, "http://", 7) == 0 || strncasecmp(t, "https://", 8) == 0)) {
        char *seg = xmalloc(n + 1);
        if (url_last_segment(t, seg, err, errlen) != 0) {
            free(seg);
            query_plan_free(p);
            return -1;
        }
        add_set(p, QF_REMOTE_IDS, seg, strlen(seg), NULL, 0);
        snprintf(p->description, sizeof p->description, "ATS ID %s (from the URL)", seg);
        free(seg);
    } else if (!blank && looks_like_email(t)) {
        add_set(p, QF_EMAIL, t, n, NULL, 0);
        snprintf(p->description, sizeof p->description, "e-mail %s", t);
    } else if (!blank) {
        plan_token(p, t, n);
    } else {
        plan_names(p, t);
    }
    return 0;
}

void query_plan_free(struct query_plan *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->n; i++) {
        free(p->sets[i].value[0]);
        free(p->sets[i].value[1]);
    }
    free(p->text);
    memset(p, 0, sizeof *p);
}
