/* Field reading shared by the reading layer's parsers: one place decides what null, a
 * wrong type, an over-long string or bad UTF-8 mean. */
#include "jfield.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <string.h>

#include "json_util.h"
#include "utf8.h"
#include "xalloc.h"

static const cJSON *member(const cJSON *obj, const char *name, enum jf_status *st)
{
    if (!cJSON_IsObject(obj)) {
        *st = JF_MISSING;
        return NULL;
    }
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);
    if (!v)
        *st = JF_MISSING;
    else if (cJSON_IsNull(v))
        *st = JF_NULL;
    else
        *st = JF_OK;
    return *st == JF_OK ? v : NULL;
}

/* Copy s, at most max bytes, cut only between characters; each invalid byte becomes
 * U+FFFD (3 bytes), which also counts against max. */
static char *repair(const char *s, size_t max)
{
    static const char rep[] = "\xef\xbf\xbd";
    size_t n = strlen(s);
    size_t cap = (n <= max / 3 ? 3 * n : max) + 1;  /* worst case: every byte replaced */
    char *out = xmalloc(cap);
    size_t o = 0, i = 0;
    while (i < n) {
        uint32_t cp;
        size_t len = utf8_decode(s + i, n - i, &cp);
        size_t out_len = len ? len : 3;
        if (o + out_len > max)
            break;
        memcpy(out + o, len ? s + i : rep, out_len);
        o += out_len;
        i += len ? len : 1;
    }
    out[o] = '\0';
    return out;
}

enum jf_status jf_text(const cJSON *obj, const char *name, size_t max, char **out)
{
    enum jf_status st;
    const cJSON *v = member(obj, name, &st);
    *out = NULL;
    if (!v)
        return st;
    if (!cJSON_IsString(v) || !v->valuestring)
        return JF_TYPE;
    *out = repair(v->valuestring, max);
    return JF_OK;
}

enum jf_status jf_ident(const cJSON *obj, const char *name, size_t max, char **out)
{
    enum jf_status st;
    const cJSON *v = member(obj, name, &st);
    *out = NULL;
    if (!v)
        return st;
    if (!cJSON_IsString(v) || !v->valuestring)
        return JF_TYPE;
    size_t n = strlen(v->valuestring);
    if (n == 0 || n > max || !utf8_valid(v->valuestring, n))
        return JF_TYPE;
    *out = xstrdup(v->valuestring);
    return JF_OK;
}

enum jf_status jf_bool(const cJSON *obj, const char *name, bool *out)
{
    enum jf_status st;
    const cJSON *v = member(obj, name, &st);
    if (!v)
        return st;
    if (!cJSON_IsBool(v))
        return JF_TYPE;
    *out = cJSON_IsTrue(v);
    return JF_OK;
}

const cJSON *jf_object(const cJSON *obj, const char *name, enum jf_status *st)
{
    enum jf_status s;
    const cJSON *v = member(obj, name, &s);
    if (v && !cJSON_IsObject(v)) {
        s = JF_TYPE;
        v = NULL;
    }
    if (st)
        *st = s;
    return v;
}

const cJSON *jf_array(const cJSON *obj, const char *name, enum jf_status *st)
{
    enum jf_status s;
    const cJSON *v = member(obj, name, &s);
    if (v && !cJSON_IsArray(v)) {
        s = JF_TYPE;
        v = NULL;
    }
    if (st)
        *st = s;
    return v;
}

const cJSON *jf_data(const cJSON *answer, const char *what, char *err, size_t errlen)
{
    if (!cJSON_IsObject(answer)) {
        snprintf(err, errlen, "the %s answer is %s, not an object", what, json_kind(answer));
        return NULL;
    }
    enum jf_status st;
    const cJSON *data = jf_object(answer, "data", &st);
    if (!data)
        snprintf(err, errlen, "the %s answer's data is %s, not an object", what,
                 jf_status_name(st, answer, "data"));
    return data;
}

const char *jf_status_name(enum jf_status st, const cJSON *obj, const char *name)
{
    switch (st) {
    case JF_OK:
        return "present";
    case JF_NULL:
        return "null";
    case JF_MISSING:
        return "missing";
    case JF_TYPE:
        break;
    }
    return json_kind(cJSON_IsObject(obj) ? cJSON_GetObjectItemCaseSensitive(obj, name) : NULL);
}
