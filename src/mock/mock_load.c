/* `--data FILE`: a data set of one's own, a JSON array of candidates in Kombo's shape (what
 * GET /v1/ats/candidates answers in data.results). Checked field by field with a message
 * naming the candidate and the field; the strings are copied into the arena and the cJSON
 * tree freed at once, so a big file costs its size only while it loads. Strings are kept
 * as they are, control characters and bidi overrides included: the mock serves what the
 * ATS holds, and clients must cope. Kept and served: the fields of mock_data.h (one phone
 * number, the location's city and country); others are answered as empty or null. */
#include "mock_data.h"

#include "json_util.h"
#include "xalloc.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define LOAD_MAX_BYTES (1ull << 30)

struct loader {
    struct md_set *s;
    char *err;
    size_t errlen;
    size_t index;               /* of the candidate being read */
    const char *path;
};

static int bad(struct loader *L, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int bad(struct loader *L, const char *fmt, ...)
{
    char what[300];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    snprintf(L->err, L->errlen, "mock: --data %s: candidate %zu: %s", L->path, L->index, what);
    return -1;
}

/* A string, or null / absent (0). required: absent or null is refused. */
static int get_str(struct loader *L, const cJSON *o, const char *field, const char *ctx,
                   bool required, uint32_t *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, field);
    *out = 0;
    if (!v || cJSON_IsNull(v)) {
        if (required)
            return bad(L, "%s%s is required (a string)", ctx, field);
        return 0;
    }
    if (!cJSON_IsString(v))
        return bad(L, "%s%s must be a string%s, not %s", ctx, field, required ? "" : " or null",
                   json_kind(v));
    if (required && !*v->valuestring)
        return bad(L, "%s%s must not be empty", ctx, field);
    *out = mock_data_str(L->s, v->valuestring);
    return 0;
}

static int get_time(struct loader *L, const cJSON *o, const char *field, const char *ctx,
                    int64_t *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, field);
    *out = MD_NULL_TIME;
    if (!v || cJSON_IsNull(v))
        return 0;
    if (!cJSON_IsString(v) || mock_data_time_parse(v->valuestring, out) < 0)
        return bad(L, "%s%s must be a timestamp such as \"2024-01-31T12:00:00.000Z\", or null",
                   ctx, field);
    return 0;
}

/* An array, or null / absent (NULL, fine). */
static int get_array(struct loader *L, const cJSON *o, const char *field, const cJSON **out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, field);
    *out = NULL;
    if (!v || cJSON_IsNull(v))
        return 0;
    if (!cJSON_IsArray(v))
        return bad(L, "%s must be an array or null, not %s", field, json_kind(v));
    if (cJSON_GetArraySize(v) > 255)
        return bad(L, "%s has more than 255 entries (the mock keeps at most 255)", field);
    *out = v;
    return 0;
}

static int get_object(struct loader *L, const cJSON *o, const char *field, const char *ctx,
                      const cJSON **out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, field);
    *out = NULL;
    if (!v || cJSON_IsNull(v))
        return 0;
    if (!cJSON_IsObject(v))
        return bad(L, "%s%s must be an object or null, not %s", ctx, field, json_kind(v));
    *out = v;
    return 0;
}

static int load_app(struct loader *L, struct md_cand *c, const cJSON *j, int k)
{
    char ctx[48];
    snprintf(ctx, sizeof ctx, "applications[%d].", k);
    if (!cJSON_IsObject(j))
        return bad(L, "applications[%d] must be an object, not %s", k, json_kind(j));
    struct md_app *a = mock_data_add_app(L->s, c);
    const cJSON *out = cJSON_GetObjectItemCaseSensitive(j, "outcome"), *job, *stage;
    if (get_str(L, j, "id", ctx, true, &a->id) || get_str(L, j, "remote_id", ctx, false, &a->remote_id) ||
        get_str(L, j, "remote_url", ctx, false, &a->remote_url) ||
        get_str(L, j, "rejection_reason_name", ctx, false, &a->rejection_reason) ||
        get_time(L, j, "remote_created_at", ctx, &a->created) ||
        get_time(L, j, "remote_updated_at", ctx, &a->updated) ||
        get_time(L, j, "changed_at", ctx, &a->changed) ||
        get_time(L, j, "rejected_at", ctx, &a->rejected) ||
        get_object(L, j, "job", ctx, &job) || get_object(L, j, "current_stage", ctx, &stage))
        return -1;
    if (out && !cJSON_IsNull(out)) {
        const char *v = cJSON_IsString(out) ? out->valuestring : "";
        a->outcome = !strcmp(v, "PENDING") ? MD_OUT_PENDING : !strcmp(v, "HIRED") ? MD_OUT_HIRED
                     : !strcmp(v, "DECLINED") ? MD_OUT_DECLINED : MD_OUT_NULL;
        if (a->outcome == MD_OUT_NULL)
            return bad(L, "%soutcome must be PENDING, HIRED, DECLINED or null", ctx);
    }
    if (a->changed == MD_NULL_TIME)
        a->changed = a->updated != MD_NULL_TIME ? a->updated : c->changed;
    char sub[64];
    if (job) {
        snprintf(sub, sizeof sub, "%sjob.", ctx);
        if (get_str(L, job, "id", sub, true, &a->job_id) || get_str(L, job, "name", sub, false, &a->job_name) ||
            get_str(L, job, "remote_id", sub, false, &a->job_remote_id))
            return -1;
    }
    if (stage) {
        snprintf(sub, sizeof sub, "%scurrent_stage.", ctx);
        if (get_str(L, stage, "id", sub, true, &a->stage_id) ||
            get_str(L, stage, "name", sub, false, &a->stage_name) ||
            get_str(L, stage, "remote_id", sub, false, &a->stage_remote_id))
            return -1;
        const cJSON *ix = cJSON_GetObjectItemCaseSensitive(stage, "index");
        if (ix && !cJSON_IsNull(ix)) {
            if (!cJSON_IsNumber(ix) || ix->valuedouble < 0 || ix->valuedouble > 1e6 ||
                ix->valuedouble != (double)(int32_t)ix->valuedouble)
                return bad(L, "%sindex must be a whole number from 0 or null", sub);
            a->stage_index = (int32_t)ix->valuedouble;
        }
    }
    return 0;
}

static int load_cand(struct loader *L, const cJSON *j)
{
    if (!cJSON_IsObject(j))
        return bad(L, "must be an object, not %s", json_kind(j));
    struct md_cand *c = mock_data_add_cand(L->s);
    const cJSON *emails, *apps, *phones, *loc;
    if (get_str(L, j, "id", "", true, &c->id) || get_str(L, j, "remote_id", "", true, &c->remote_id) ||
        get_str(L, j, "first_name", "", false, &c->first) ||
        get_str(L, j, "last_name", "", false, &c->last) ||
        get_str(L, j, "company", "", false, &c->company) ||
        get_str(L, j, "title", "", false, &c->title) ||
        get_str(L, j, "source", "", false, &c->source) ||
        get_str(L, j, "remote_url", "", false, &c->remote_url) ||
        get_time(L, j, "remote_created_at", "", &c->created) ||
        get_time(L, j, "remote_updated_at", "", &c->updated) ||
        get_time(L, j, "changed_at", "", &c->changed) ||
        get_time(L, j, "remote_deleted_at", "", &c->deleted) ||
        get_array(L, j, "email_addresses", &emails) || get_array(L, j, "applications", &apps) ||
        get_array(L, j, "phone_numbers", &phones) || get_object(L, j, "location", "", &loc))
        return -1;
    if (c->changed == MD_NULL_TIME)   /* required by Kombo; a file may lack it */
        c->changed = c->updated != MD_NULL_TIME ? c->updated : c->created != MD_NULL_TIME
                     ? c->created : 0;
    if (loc && (get_str(L, loc, "city", "location.", false, &c->city) ||
                get_str(L, loc, "country", "location.", false, &c->country)))
        return -1;
    const cJSON *it;
    int k = 0;
    cJSON_ArrayForEach(it, phones) {
        char ctx[32];
        snprintf(ctx, sizeof ctx, "phone_numbers[%d].", k++);
        uint32_t num, type;
        if (!cJSON_IsObject(it))
            return bad(L, "%s must be an object", ctx);
        if (get_str(L, it, "phone_number", ctx, true, &num) || get_str(L, it, "type", ctx, false, &type))
            return -1;
        if (!c->phone) {
            c->phone = num;
            c->phone_type = type;
        }
    }
    k = 0;
    cJSON_ArrayForEach(it, emails) {
        char ctx[32];
        snprintf(ctx, sizeof ctx, "email_addresses[%d].", k++);
        uint32_t addr, type;
        if (!cJSON_IsObject(it))
            return bad(L, "%s must be an object", ctx);
        if (get_str(L, it, "email_address", ctx, false, &addr) || get_str(L, it, "type", ctx, false, &type))
            return -1;
        struct md_email *e = mock_data_add_email(L->s, c);
        e->addr = addr;
        e->type = type;
    }
    k = 0;
    cJSON_ArrayForEach(it, apps)
        if (load_app(L, c, it, k++) < 0)
            return -1;
    return 0;
}

static char *slurp(const char *path, size_t *len, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    struct stat st;
    if (!f || fstat(fileno(f), &st) < 0) {
        snprintf(err, errlen, "mock: --data: cannot read %s: %s", path, strerror(errno));
        if (f)
            fclose(f);
        return NULL;
    }
    if (!S_ISREG(st.st_mode) || (uint64_t)st.st_size > LOAD_MAX_BYTES) {
        snprintf(err, errlen, "mock: --data: %s is not a regular file of at most 1 GiB", path);
        fclose(f);
        return NULL;
    }
    char *buf = xmalloc((size_t)st.st_size + 1);
    *len = fread(buf, 1, (size_t)st.st_size, f);
    buf[*len] = '\0';
    fclose(f);
    return buf;
}

/* IDs must be unique (a lookup by ID finds one candidate): equal keys sit side by side in
 * the sorted indexes, so index once, look, and leave the indexes to mock_data_load. */
static int check_unique(struct loader *L)
{
    struct md_set *s = L->s;
    mock_data_index(s);
    static const struct { enum md_index_kind k; const char *what; } kinds[] = {
        { MD_IX_ID, "candidate id" }, { MD_IX_APP, "application id" },
    };
    for (size_t q = 0; q < sizeof kinds / sizeof kinds[0]; q++) {
        const struct md_index *ix = &s->ix[kinds[q].k];
        for (size_t i = 1; i < ix->n; i++) {
            const struct md_entry *a = &ix->e[i - 1], *b = &ix->e[i];
            if (a->hash == b->hash && !strcmp(s->str + a->key, s->str + b->key)) {
                L->index = b->cand;
                return bad(L, "%s \"%.60s\" is used twice", kinds[q].what, s->str + b->key);
            }
        }
    }
    /* mock_data_load indexes again: start from nothing. */
    for (int k = 0; k < MD_IX_COUNT; k++) {
        free(s->ix[k].e);
        s->ix[k].e = NULL;
        s->ix[k].n = 0;
    }
    free(s->by_touched);
    s->by_touched = NULL;
    return 0;
}

int mock_load_file(struct md_set *s, const char *path, char *err, size_t errlen)
{
    size_t len = 0;
    char *text = slurp(path, &len, err, errlen);
    if (!text)
        return -1;
    const char *end = NULL;
    /* len + 1: with require_null_terminated cJSON wants to see the NUL itself */
    cJSON *root = cJSON_ParseWithLengthOpts(text, len + 1, &end, 1);
    if (!root) {
        size_t at = end ? (size_t)(end - text) : 0;
        snprintf(err, errlen, "mock: --data %s: not valid JSON near byte %zu", path, at);
        free(text);
        return -1;
    }
    free(text);
    struct loader L = { .s = s, .err = err, .errlen = errlen, .path = path };
    int rc = 0;
    if (!cJSON_IsArray(root)) {
        snprintf(err, errlen, "mock: --data %s: must be a JSON array of candidates, not %s", path,
                 json_kind(root));
        rc = -1;
    } else if (cJSON_GetArraySize(root) > (int)MD_MAX_CANDIDATES) {
        snprintf(err, errlen, "mock: --data %s: more than %u candidates", path, MD_MAX_CANDIDATES);
        rc = -1;
    }
    const cJSON *it;
    if (rc == 0)
        cJSON_ArrayForEach(it, root) {
            if (load_cand(&L, it) < 0) {
                rc = -1;
                break;
            }
            L.index++;
        }
    cJSON_Delete(root);
    return rc < 0 ? -1 : check_unique(&L);
}
