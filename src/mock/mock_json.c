/* Structural JSON scanner and chunked base64 decoder for the mock's upload bodies. */
#include "mock_json.h"

#include "base64.h"
#include "hex.h"
#include "xalloc.h"

#include <cjson/cJSON.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* Give back mapped pages every this many bytes. */
#define RELEASE_STEP (4u << 20)

/* Drop the resident pages of a private, never-written file mapping in [base, upto):
 * reading them again simply faults them back in from the file. */
static void release_pages(const unsigned char *base, size_t upto)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    size_t len = upto / page * page;
    if (len)
        madvise((void *)base, len, MADV_DONTNEED);
}

struct scan {
    const unsigned char *p;
    size_t n, i;
    struct mj_span *span;
    bool mapped;
    size_t released;       /* bytes before this were given back */
    bool seen_attachment;
    char *err;
    size_t errlen;
};

enum ctx { CTX_PLAIN, CTX_BODY, CTX_ATTACHMENT };

static int fail(struct scan *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->err, s->errlen, fmt, ap);
    va_end(ap);
    return -1;
}

static void skip_ws(struct scan *s)
{
    while (s->i < s->n && (s->p[s->i] == ' ' || s->p[s->i] == '\t' ||
                           s->p[s->i] == '\n' || s->p[s->i] == '\r'))
        s->i++;
}

/* At an opening quote: move past the closing one, giving the content span. Escapes are
 * checked for form here (what cJSON would misread); their meaning is decoded where it
 * matters (key_is, the base64 decoder). */
static int scan_string(struct scan *s, size_t *cs, size_t *ce)
{
    size_t open = s->i++;
    *cs = s->i;
    while (s->i < s->n) {
        unsigned char c = s->p[s->i];
        if (c == '"') {
            *ce = s->i++;
            return 0;
        }
        if (c == '\\') {
            /* Escapes are checked as a JSON parser checks them: cJSON reads a bad \u escape
             * ("\u{1ta") as \u0000 and so would see "attachment" where this scanner
             * sees another key; refusing them keeps the two views one. */
            unsigned e = s->i + 1 < s->n ? s->p[s->i + 1] : 0;
            if (e == 'u') {
                for (size_t k = 2; k < 6; k++)
                    if (s->i + k >= s->n || hex_value(s->p[s->i + k]) < 0)
                        return fail(s, "invalid \\u escape at byte %zu", s->i);
                s->i += 6;
                continue;
            }
            if (!e || !strchr("\"\\/bfnrt", (int)e))
                return fail(s, "invalid escape at byte %zu", s->i);
            s->i += 2;
            continue;
        }
        if (c < 0x20)
            return fail(s, "control character 0x%02x inside a string at byte %zu", c, s->i);
        s->i++;
        if (s->mapped && s->i - s->released >= RELEASE_STEP) {
            release_pages(s->p, s->i);
            s->released = s->i;
        }
    }
    return fail(s, "unterminated string starting at byte %zu", open);
}

/* Does the raw key p[cs..ce) hold the escape \u0000? cJSON (and any parser that gives keys
 * as C strings) would cut the key there, so "attachment\u0000" would become "attachment"
 * for the rest of the mock while this scanner (rightly) sees another key: such bodies are
 * refused instead of being read two ways. */
static bool key_has_nul(const unsigned char *p, size_t cs, size_t ce)
{
    for (size_t i = cs; i + 1 < ce; i++) {
        if (p[i] != '\\')
            continue;
        if (p[i + 1] == 'u' && i + 6 <= ce && !memcmp(p + i + 2, "0000", 4))
            return true;
        i++;    /* past the escaped character, so "\\\\u0000" (a backslash, then "u0000") is not one */
    }
    return false;
}

/* Does the raw key p[cs..ce) spell want, escapes decoded ("d\u0061ta" is "data")? */
static bool key_is(const unsigned char *p, size_t cs, size_t ce, const char *want)
{
    size_t w = 0, wl = strlen(want);
    for (size_t i = cs; i < ce; w++) {
        unsigned c = p[i];
        if (c == '\\' && i + 1 < ce) {
            unsigned e = p[i + 1];
            if (e == 'u' && i + 6 <= ce) {
                int a = hex_value(p[i + 2]), b = hex_value(p[i + 3]), d = hex_value(p[i + 4]),
                    f = hex_value(p[i + 5]);
                if (a < 0 || b < 0 || d < 0 || f < 0)
                    return false;
                c = (unsigned)(a << 12 | b << 8 | d << 4 | f);
                i += 6;
            } else {
                /* \" \\ \/ stand for themselves, the others for control characters
                 * (so "at\tachment" is not "attachment") */
                const char *from = "bfnrt", *to = "\b\f\n\r\t", *at = strchr(from, (int)e);
                c = at && e ? (unsigned char)to[at - from] : e;
                i += 2;
            }
        } else {
            i++;
        }
        if (w >= wl || c != (unsigned char)want[w])
            return false;
    }
    return w == wl;
}

static int scan_value(struct scan *s, int depth, enum ctx ctx);

static int scan_object(struct scan *s, int depth, enum ctx ctx)
{
    bool seen_data = false;
    s->i++;
    skip_ws(s);
    if (s->i < s->n && s->p[s->i] == '}') {
        s->i++;
        return 0;
    }
    for (;;) {
        skip_ws(s);
        if (s->i >= s->n || s->p[s->i] != '"')
            return fail(s, "expected a key in quotes at byte %zu", s->i);
        size_t ks, ke;
        if (scan_string(s, &ks, &ke) < 0)
            return -1;
        if (key_has_nul(s->p, ks, ke))
            return fail(s, "the key at byte %zu holds \\u0000 (a NUL character), which the "
                        "mock refuses in keys", ks - 1);
        skip_ws(s);
        if (s->i >= s->n || s->p[s->i] != ':')
            return fail(s, "expected ':' after a key at byte %zu", s->i);
        s->i++;
        skip_ws(s);
        enum ctx child = CTX_PLAIN;
        if (ctx == CTX_BODY && key_is(s->p, ks, ke, "attachment")) {
            if (s->seen_attachment)
                return fail(s, "duplicate key \"attachment\" at byte %zu", ks);
            s->seen_attachment = true;
            child = CTX_ATTACHMENT;
        }
        if (ctx == CTX_ATTACHMENT && key_is(s->p, ks, ke, "data")) {
            if (seen_data)
                return fail(s, "duplicate key \"attachment.data\" at byte %zu", ks);
            seen_data = true;
            if (s->i < s->n && s->p[s->i] == '"') {
                size_t cs, ce;
                if (scan_string(s, &cs, &ce) < 0)
                    return -1;
                s->span->found = true;
                s->span->start = cs;
                s->span->end = ce;
                goto next;
            }
        }
        if (scan_value(s, depth + 1, child) < 0)
            return -1;
    next:
        skip_ws(s);
        if (s->i < s->n && s->p[s->i] == ',') {
            s->i++;
            continue;
        }
        if (s->i < s->n && s->p[s->i] == '}') {
            s->i++;
            return 0;
        }
        return fail(s, "expected ',' or '}' at byte %zu", s->i);
    }
}

static int scan_array(struct scan *s, int depth)
{
    s->i++;
    skip_ws(s);
    if (s->i < s->n && s->p[s->i] == ']') {
        s->i++;
        return 0;
    }
    for (;;) {
        if (scan_value(s, depth + 1, CTX_PLAIN) < 0)
            return -1;
        skip_ws(s);
        if (s->i < s->n && s->p[s->i] == ',') {
            s->i++;
            continue;
        }
        if (s->i < s->n && s->p[s->i] == ']') {
            s->i++;
            return 0;
        }
        return fail(s, "expected ',' or ']' at byte %zu", s->i);
    }
}

static int scan_value(struct scan *s, int depth, enum ctx ctx)
{
    skip_ws(s);
    if (s->i >= s->n)
        return fail(s, "unexpected end of the body at byte %zu", s->i);
    if (depth > MJ_MAX_DEPTH)
        return fail(s, "nested deeper than %d levels at byte %zu", MJ_MAX_DEPTH, s->i);
    unsigned char c = s->p[s->i];
    size_t cs, ce;
    switch (c) {
    case '{':
        return scan_object(s, depth, ctx);
    case '[':
        return scan_array(s, depth);
    case '"':
        return scan_string(s, &cs, &ce);
    default:
        if (c == '-' || (c >= '0' && c <= '9') || c == 't' || c == 'f' || c == 'n') {
            while (s->i < s->n && (s->p[s->i] == '-' || s->p[s->i] == '+' || s->p[s->i] == '.' ||
                                   (s->p[s->i] >= '0' && s->p[s->i] <= '9') ||
                                   (s->p[s->i] >= 'a' && s->p[s->i] <= 'z') ||
                                   (s->p[s->i] >= 'A' && s->p[s->i] <= 'Z')))
                s->i++;
            return 0;
        }
        if (c >= 0x20 && c < 0x7F)
            return fail(s, "unexpected character '%c' at byte %zu", c, s->i);
        return fail(s, "unexpected byte 0x%02x at byte %zu", c, s->i);
    }
}

int mj_find_data(const unsigned char *buf, size_t n, bool mapped, struct mj_span *out,
                 char *err, size_t errlen)
{
    struct scan s = { .p = buf, .n = n, .mapped = mapped, .span = out, .err = err,
                      .errlen = errlen };
    memset(out, 0, sizeof *out);
    if (errlen)
        err[0] = '\0';
    if (scan_value(&s, 0, CTX_BODY) < 0)
        return -1;
    skip_ws(&s);
    if (s.i != n)
        return fail(&s, "unexpected data after the JSON value at byte %zu", s.i);
    return 0;
}

static bool b64_alpha(unsigned c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
           c == '+' || c == '/';
}

#define DEC_IN 65536  /* base64 characters per chunk: a multiple of 4 */

struct dec {
    char *in;
    unsigned char *out;
    size_t il;
    uint64_t pos;      /* base64 characters seen so far */
    uint64_t total;
    int fd;
    char *err;
    size_t errlen;
};

static int dec_fail(struct dec *d, const char *fmt, ...)
{
    va_list ap;
    int k = snprintf(d->err, d->errlen, "attachment.data is not valid standard base64: ");
    va_start(ap, fmt);
    if (k > 0 && (size_t)k < d->errlen)
        vsnprintf(d->err + k, d->errlen - (size_t)k, fmt, ap);
    va_end(ap);
    return -1;
}

static int dec_flush(struct dec *d)
{
    if (d->il == 0)
        return 0;
    long long k = b64_decode(d->in, d->il, d->out);
    if (k < 0)
        return dec_fail(d, "bad padding bits in the last group (ending at character %llu)",
                        (unsigned long long)d->pos);
    size_t done = 0;
    while (done < (size_t)k) {
        ssize_t w = write(d->fd, d->out + done, (size_t)k - done);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return -2;
        }
        done += (size_t)w;
    }
    d->total += (uint64_t)k;
    d->il = 0;
    return 0;
}

/* Why character c is not base64, in words a client developer recognises. */
static int bad_char(struct dec *d, unsigned c)
{
    unsigned long long at = (unsigned long long)d->pos;
    if (c == '\n' || c == '\r')
        return dec_fail(d, "line break at character %llu (send base64 without line breaks)", at);
    if (c == '-' || c == '_')
        return dec_fail(d, "'%c' at character %llu belongs to the URL-safe alphabet, not the "
                        "standard one", (int)c, at);
    if (c == ' ' || c == '\t')
        return dec_fail(d, "whitespace at character %llu", at);
    if (c > 0x7F)
        return dec_fail(d, "non-ASCII character U+%04X at character %llu", c, at);
    if (c >= 0x21 && c < 0x7F)
        return dec_fail(d, "character '%c' at character %llu is not in the base64 alphabet",
                        (int)c, at);
    return dec_fail(d, "byte 0x%02x at character %llu is not in the base64 alphabet", c, at);
}

int mj_decode_base64(const unsigned char *s, size_t n, const unsigned char *map_base, int fd,
                     uint64_t *decoded, char *err, size_t errlen)
{
    struct dec d = { .fd = fd, .err = err, .errlen = errlen };
    int rc = -1, pad = 0;
    d.in = xmalloc(DEC_IN);
    d.out = xmalloc(DEC_IN / 4 * 3);
    for (size_t i = 0; i < n;) {
        unsigned c = s[i];
        if (c == '\\') {
            unsigned e = i + 1 < n ? s[i + 1] : 0;
            switch (e) {
            case '/': case '"': case '\\': c = e; i += 2; break;
            case 'n': c = '\n'; i += 2; break;
            case 'r': c = '\r'; i += 2; break;
            case 't': c = '\t'; i += 2; break;
            case 'b': c = '\b'; i += 2; break;
            case 'f': c = '\f'; i += 2; break;
            case 'u': {
                int a = i + 5 < n ? hex_value(s[i + 2]) : -1, b = a >= 0 ? hex_value(s[i + 3]) : -1,
                    g = b >= 0 ? hex_value(s[i + 4]) : -1, h = g >= 0 ? hex_value(s[i + 5]) : -1;
                if (h < 0) {
                    dec_fail(&d, "invalid \\u escape at character %llu", (unsigned long long)d.pos);
                    goto out;
                }
                c = (unsigned)(a << 12 | b << 8 | g << 4 | h);
                i += 6;
                break;
            }
            default:
                dec_fail(&d, "invalid escape in the JSON string at character %llu",
                         (unsigned long long)d.pos);
                goto out;
            }
        } else {
            i++;
        }
        if (c == '=') {
            if (++pad > 2) {
                dec_fail(&d, "more than two '=' at character %llu", (unsigned long long)d.pos);
                goto out;
            }
        } else if (b64_alpha(c)) {
            if (pad) {
                dec_fail(&d, "'=' padding before the end (data continues at character %llu)",
                         (unsigned long long)d.pos);
                goto out;
            }
        } else {
            bad_char(&d, c);
            goto out;
        }
        d.in[d.il++] = (char)c;
        d.pos++;
        if (d.il == DEC_IN) {
            if ((rc = dec_flush(&d)) < 0)
                goto out;
            if (map_base && (d.pos & (RELEASE_STEP - 1)) == 0)
                release_pages(map_base, (size_t)(s + i - map_base));
        }
        rc = -1;
    }
    if (d.pos % 4) {
        dec_fail(&d, "length %llu is not a multiple of 4 (missing '=' padding?)",
                 (unsigned long long)d.pos);
        goto out;
    }
    rc = dec_flush(&d);
    if (rc == 0)
        *decoded = d.total;
out:
    free(d.in);
    free(d.out);
    return rc;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Sorting the names finds a repeat in n log n: a hostile body of 64 KiB holds thousands of
 * keys, and comparing each with every other would cost seconds. */
static const char *repeated_name(const cJSON *obj)
{
    size_t n = 0, k = 0;
    for (const cJSON *c = obj->child; c; c = c->next)
        n++;
    if (n < 2)
        return NULL;
    const char **names = xcalloc(n, sizeof *names);
    for (const cJSON *c = obj->child; c; c = c->next)
        names[k++] = c->string ? c->string : "";
    qsort(names, n, sizeof *names, cmp_names);
    const char *dup = NULL;
    for (size_t i = 1; i < n && !dup; i++)
        if (!strcmp(names[i - 1], names[i]))
            dup = names[i];
    free(names);
    return dup;
}

int mj_check_unique_keys(const cJSON *v, char *err, size_t errlen)
{
    if (cJSON_IsObject(v)) {
        const char *dup = repeated_name(v);
        if (dup) {
            snprintf(err, errlen, "the key \"%.60s\" appears twice in one object; JSON parsers "
                     "disagree on which one counts, so the mock refuses it", dup);
            return -1;
        }
    }
    for (const cJSON *c = v->child; c; c = c->next)
        if (mj_check_unique_keys(c, err, errlen) < 0)
            return -1;
    return 0;
}
