/* attachment_restrictions parsed and applied. The rule that shapes every branch: what is
 * not known never refuses (restrict.h). */
#include "restrict.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "format.h"
#include "jfield.h"
#include "xalloc.h"

static const char *const type_names[RESTRICT_TYPES] = {
    [ATT_CV] = "CV", [ATT_COVER_LETTER] = "COVER_LETTER", [ATT_OTHER] = "OTHER"};

const char *restrict_type_name(enum att_type type)
{
    return (unsigned)type < RESTRICT_TYPES ? type_names[type] : "OTHER";
}

/* A MIME type worth keeping: printable ASCII without spaces (a type that is not one can
 * never equal a real content type, and would only clutter messages). */
static bool mime_usable(const char *s, size_t n)
{
    if (n == 0 || n > RESTRICT_MIME_LEN)
        return false;
    for (size_t i = 0; i < n; i++)
        if (s[i] <= ' ' || s[i] > '~')
            return false;
    return true;
}

static void type_parse(const cJSON *j, struct type_restriction *t)
{
    memset(t, 0, sizeof *t);
    bool sup;
    if (jf_bool(j, "is_supported", &sup) != JF_OK)
        return; /* ill-typed or missing: unknown */
    t->known = true;
    t->is_supported = sup;
    const cJSON *max = cJSON_GetObjectItemCaseSensitive(j, "max_file_size_bytes");
    /* 2^63 and up cannot be a real limit; also keeps the cast defined. */
    if (cJSON_IsNumber(max) && isfinite(max->valuedouble) && max->valuedouble >= 0 &&
        max->valuedouble < 9.2e18) {
        t->has_max = true;
        t->max_bytes = (uint64_t)max->valuedouble;
    }
    const cJSON *arr = jf_array(j, "accepted_mime_types", NULL);
    const cJSON *m;
    cJSON_ArrayForEach(m, arr)
    {
        if (!cJSON_IsString(m) || !m->valuestring)
            continue;
        size_t n = strlen(m->valuestring);
        if (!mime_usable(m->valuestring, n))
            continue;
        if (t->n_mime == RESTRICT_MIME_MAX) {
            t->mime_truncated = true;
            break;
        }
        if (!t->mime)
            t->mime = xcalloc(RESTRICT_MIME_MAX, sizeof *t->mime);
        char *s = xstrdup(m->valuestring);
        for (char *p = s; *p; p++)
            *p = (char)tolower((unsigned char)*p);
        t->mime[t->n_mime++] = s;
    }
}

int restrict_parse(const cJSON *answer, struct restrictions *r, char *err, size_t errlen)
{
    memset(r, 0, sizeof *r);
    const cJSON *data = jf_data(answer, "restrictions", err, errlen);
    if (!data)
        return -1;
    enum jf_status st;
    const cJSON *ar = jf_object(data, "attachment_restrictions", &st);
    if (st == JF_NULL || st == JF_MISSING)
        return 0; /* Kombo has no information */
    if (!ar) {
        snprintf(err, errlen, "the restrictions answer's attachment_restrictions is %s, not an "
                 "object or null", jf_status_name(st, data, "attachment_restrictions"));
        return -1;
    }
    const cJSON *types = jf_object(ar, "types", &st);
    if (!types) {
        if (st == JF_NULL || st == JF_MISSING)
            return 0;
        snprintf(err, errlen, "the restrictions answer's attachment_restrictions.types is %s, "
                 "not an object", jf_status_name(st, ar, "types"));
        return -1;
    }
    r->known = true;
    for (int i = 0; i < RESTRICT_TYPES; i++)
        type_parse(jf_object(types, type_names[i], NULL), &r->types[i]);
    return 0;
}

void restrict_free(struct restrictions *r)
{
    if (!r)
        return;
    for (int i = 0; i < RESTRICT_TYPES; i++) {
        for (size_t k = 0; k < r->types[i].n_mime; k++)
            free(r->types[i].mime[k]);
        free(r->types[i].mime);
    }
    memset(r, 0, sizeof *r);
}

/* "10 MiB" for round sizes, else fmt_bytes' "12.4 MiB". */
static void size_words(uint64_t n, char *out, size_t outlen)
{
    static const char *const units[] = {"GiB", "MiB", "KiB"};
    for (int i = 0; i < 3; i++) {
        uint64_t u = (uint64_t)1 << (10 * (3 - i));
        if (n >= u && n % u == 0) {
            snprintf(out, outlen, "%llu %s", (unsigned long long)(n / u), units[i]);
            return;
        }
    }
    fmt_bytes(n, out, outlen);
}

static bool mime_match(const char *pattern, const char *ct, size_t ct_len)
{
    if (strcmp(pattern, "*/*") == 0)
        return true;
    size_t pl = strlen(pattern);
    if (pl >= 2 && strcmp(pattern + pl - 2, "/*") == 0)
        return ct_len >= pl - 1 && strncasecmp(pattern, ct, pl - 1) == 0;
    return pl == ct_len && strncasecmp(pattern, ct, ct_len) == 0;
}

/* The types joined: "a, b or c"; cut with "..." when out is too small. */
static void list_types(const struct type_restriction *t, const char *last_sep, char *out,
                       size_t outlen)
{
    size_t o = 0;
    out[0] = '\0';
    for (size_t i = 0; i < t->n_mime && o < outlen; i++) {
        const char *sep = i == 0 ? "" : i + 1 == t->n_mime ? last_sep : ", ";
        int w = snprintf(out + o, outlen - o, "%s%s", sep, t->mime[i]);
        if (w < 0 || (size_t)w >= outlen - o) {
            if (outlen > 4)
                memcpy(out + outlen - 4, "...", 4);
            return;
        }
        o += (size_t)w;
    }
    if (t->mime_truncated && o + 5 < outlen)
        snprintf(out + o, outlen - o, ", ...");
}

enum restrict_verdict restrict_check(const struct restrictions *r, enum att_type type,
                                     uint64_t size, const char *content_type, char *msg,
                                     size_t msglen)
{
    if (msglen)
        msg[0] = '\0';
    if (!r || !r->known || (unsigned)type >= RESTRICT_TYPES)
        return RESTRICT_OK;
    const struct type_restriction *t = &r->types[type];
    const char *name = type_names[type];
    if (!t->known)
        return RESTRICT_OK;
    if (!t->is_supported) {
        snprintf(msg, msglen, "this integration does not accept %s attachments", name);
        return RESTRICT_REFUSED;
    }
    bool too_big = t->has_max && size > t->max_bytes;
    bool wrong_type = false;
    size_t ct_len = 0;
    if (content_type && t->n_mime) {
        ct_len = strcspn(content_type, ";");
        while (ct_len && (content_type[ct_len - 1] == ' ' || content_type[ct_len - 1] == '\t'))
            ct_len--;
        wrong_type = true;
        for (size_t i = 0; i < t->n_mime && wrong_type; i++)
            if (mime_match(t->mime[i], content_type, ct_len))
                wrong_type = false;
    }
    if (!too_big && !wrong_type)
        return RESTRICT_OK;
    char limit[32] = "", have[32] = "", types[384] = "";
    if (t->has_max)
        size_words(t->max_bytes, limit, sizeof limit);
    fmt_bytes(size, have, sizeof have);
    list_types(t, " or ", types, sizeof types);
    /* The content type came from the user or libmagic: show it escaped-free by keeping only
     * printable ASCII (a MIME type is ASCII). */
    char ct[96];
    size_t k = 0;
    for (size_t i = 0; i < ct_len && k + 1 < sizeof ct; i++)
        ct[k++] = content_type[i] > ' ' && content_type[i] <= '~' ? content_type[i] : '?';
    ct[k] = '\0';
    snprintf(msg, msglen, "this integration accepts %s files%s%s%s%s; this file is %s%s%s",
             name, t->has_max ? " up to " : "", limit, t->n_mime ? " as " : "", types,
             too_big ? have : "", too_big && wrong_type ? " and " : "",
             wrong_type ? ct : "");
    return RESTRICT_REFUSED;
}

/* A short word for a well-known MIME type, else the type itself. */
static const char *mime_short(const char *m)
{
    static const char *const map[][2] = {
        {"application/pdf", "PDF"},
        {"application/msword", "DOC"},
        {"application/vnd.openxmlformats-officedocument.wordprocessingml.document", "DOCX"},
        {"application/rtf", "RTF"},
        {"text/rtf", "RTF"},
        {"text/plain", "TXT"},
        {"text/html", "HTML"},
        {"image/png", "PNG"},
        {"image/jpeg", "JPEG"},
        {"image/gif", "GIF"},
        {"application/vnd.oasis.opendocument.text", "ODT"},
        {"application/zip", "ZIP"},
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (strcmp(m, map[i][0]) == 0)
            return map[i][1];
    return m;
}

void restrict_describe(const struct restrictions *r, enum att_type type, char *out, size_t outlen)
{
    const char *name = restrict_type_name(type);
    if (!r || !r->known || (unsigned)type >= RESTRICT_TYPES || !r->types[type].known) {
        snprintf(out, outlen, "%s: no information", name);
        return;
    }
    const struct type_restriction *t = &r->types[type];
    if (!t->is_supported) {
        snprintf(out, outlen, "%s: not supported", name);
        return;
    }
    char types[256] = "any type";
    if (t->n_mime) {
        size_t o = 0;
        for (size_t i = 0; i < t->n_mime && o + 1 < sizeof types; i++) {
            int w = snprintf(types + o, sizeof types - o, "%s%s", i ? ", " : "",
                             mime_short(t->mime[i]));
            if (w < 0)
                break;
            o += (size_t)w;
        }
        if (o >= sizeof types)
            memcpy(types + sizeof types - 4, "...", 4);
    }
    char limit[32];
    if (t->has_max)
        size_words(t->max_bytes, limit, sizeof limit);
    snprintf(out, outlen, "%s: %s, %s%s", name, types, t->has_max ? "up to " : "any size",
             t->has_max ? limit : "");
}

void restrict_describe_all(const struct restrictions *r, char *out, size_t outlen)
{
    size_t o = 0;
    if (outlen)
        out[0] = '\0';
    for (int i = 0; i < RESTRICT_TYPES && o < outlen; i++) {
        char one[320];
        restrict_describe(r, (enum att_type)i, one, sizeof one);
        int w = snprintf(out + o, outlen - o, "%s%s", i ? "; " : "", one);
        if (w < 0)
            break;
        o += (size_t)w;
    }
}
