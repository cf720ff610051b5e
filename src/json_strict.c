/* A strict RFC 8259 validator: a small recursive-descent walk that builds nothing. */
#include "json_strict.h"

#include <stdint.h>
#include <string.h>

#include "hex.h"
#include "utf8.h"

struct jv {
    const unsigned char *p, *end;
    int depth, max_depth;
    bool long_number;   /* a number cJSON cannot take whole (its buffer is 64 bytes) */
    bool lone_surrogate;/* \uD800-style escapes: valid grammar, not valid Unicode */
};

static void jv_ws(struct jv *j)
{
    while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r'))
        j->p++;
}

static bool jv_hex4(struct jv *j, unsigned *out)
{
    if (j->end - j->p < 4)
        return false;
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        int h = hex_value(j->p[i]);
        if (h < 0)
            return false;
        v = v << 4 | (unsigned)h;
    }
    j->p += 4;
    *out = v;
    return true;
}

static bool jv_string(struct jv *j)
{
    j->p++; /* opening quote */
    while (j->p < j->end) {
        unsigned char c = *j->p++;
        if (c == '"')
            return true;
        if (c < 0x20)
            return false;
        if (c != '\\')
            continue;
        if (j->p >= j->end)
            return false;
        c = *j->p++;
        if (c == 'u') {
            unsigned u, lo;
            if (!jv_hex4(j, &u))
                return false;
            if (u >= 0xDC00 && u <= 0xDFFF) {
                j->lone_surrogate = true;
            } else if (u >= 0xD800 && u <= 0xDBFF) {
                if (j->end - j->p >= 6 && j->p[0] == '\\' && j->p[1] == 'u') {
                    const unsigned char *save = j->p;
                    j->p += 2;
                    if (!jv_hex4(j, &lo))
                        return false;
                    if (lo < 0xDC00 || lo > 0xDFFF) {
                        j->lone_surrogate = true;
                        j->p = save; /* the next escape is checked on its own */
                    }
                } else {
                    j->lone_surrogate = true;
                }
            }
        } else if (!strchr("\"\\/bfnrt", c) || c == '\0') {
            return false;
        }
    }
    return false;
}

static bool jv_digits(struct jv *j)
{
    const unsigned char *s = j->p;
    while (j->p < j->end && *j->p >= '0' && *j->p <= '9')
        j->p++;
    return j->p > s;
}

static bool jv_number(struct jv *j)
{
    const unsigned char *s = j->p;
    if (*j->p == '-')
        j->p++;
    if (j->p < j->end && *j->p == '0')
        j->p++;
    else if (!jv_digits(j))
        return false;
    if (j->p < j->end && *j->p == '.') {
        j->p++;
        if (!jv_digits(j))
            return false;
    }
    if (j->p < j->end && (*j->p == 'e' || *j->p == 'E')) {
        j->p++;
        if (j->p < j->end && (*j->p == '+' || *j->p == '-'))
            j->p++;
        if (!jv_digits(j))
            return false;
    }
    if (j->p - s >= 63)
        j->long_number = true;
    return true;
}

static bool jv_word(struct jv *j, const char *w)
{
    size_t n = strlen(w);
    if ((size_t)(j->end - j->p) < n || memcmp(j->p, w, n) != 0)
        return false;
    j->p += n;
    return true;
}

static bool jv_value(struct jv *j)
{
    jv_ws(j);
    if (j->p >= j->end)
        return false;
    unsigned char c = *j->p;
    if (c == '{' || c == '[') {
        if (++j->depth > JSON_STRICT_MAX_DEPTH)
            return false;
        if (j->depth > j->max_depth)
            j->max_depth = j->depth;
        char close = c == '{' ? '}' : ']';
        j->p++;
        jv_ws(j);
        if (j->p < j->end && *j->p == close) {
            j->p++;
            j->depth--;
            return true;
        }
        for (;;) {
            if (c == '{') {
                jv_ws(j);
                if (j->p >= j->end || *j->p != '"' || !jv_string(j))
                    return false;
                jv_ws(j);
                if (j->p >= j->end || *j->p != ':')
                    return false;
                j->p++;
            }
            if (!jv_value(j))
                return false;
            jv_ws(j);
            if (j->p >= j->end)
                return false;
            if (*j->p == ',') {
                j->p++;
                continue;
            }
            if (*j->p != close)
                return false;
            j->p++;
            j->depth--;
            return true;
        }
    }
    if (c == '"')
        return jv_string(j);
    if (c == '-' || (c >= '0' && c <= '9'))
        return jv_number(j);
    return jv_word(j, "true") || jv_word(j, "false") || jv_word(j, "null");
}

bool json_strict_check(const char *s, size_t n, struct json_strict_info *info)
{
    struct jv j = { (const unsigned char *)s, (const unsigned char *)s + n, 0, 0, false, false };
    bool ok = utf8_valid(s, n);
    bool obj = false;
    if (ok) {
        jv_ws(&j);
        obj = j.p < j.end && *j.p == '{';
        ok = jv_value(&j);
        jv_ws(&j);
        ok = ok && j.p == j.end;
    }
    if (info) {
        info->object = obj;
        info->long_number = j.long_number;
        info->lone_surrogate = j.lone_surrogate;
        info->max_depth = j.max_depth;
        info->error_at = ok ? n : (size_t)(j.p - (const unsigned char *)s);
    }
    return ok;
}
