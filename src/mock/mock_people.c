/* GET /v1/ats/candidates with Kombo's meaning: every filter of the contract (ANDed; OR
 * within a comma-separated list), pages in data-set order behind an opaque cursor, and each
 * candidate in the exact shape of the endpoint's schema. Answered from the indexes of
 * mock_data.c: a filter gives a sorted list of candidates, lists are intersected, and only
 * the candidates of one page (plus one, to know whether there is a next) are looked at.
 * Without any list filter the data set itself is walked from the cursor, skipping deleted
 * ones; updated_after uses the candidates ordered by change time when it is selective. */
#include "mock_priv.h"

#include "base64.h"
#include "numparse.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct ulist { uint32_t *v; size_t n, cap; };

static void ul_push(struct ulist *l, uint32_t x)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 64;
        l->v = xrealloc(l->v, l->cap * sizeof *l->v);
    }
    l->v[l->n++] = x;
}

static int u32_cmp(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

static void ul_sort_unique(struct ulist *l)
{
    if (l->n < 2)
        return;        /* also: qsort must not see the NULL of an empty list */
    qsort(l->v, l->n, sizeof *l->v, u32_cmp);
    size_t k = 0;
    for (size_t i = 0; i < l->n; i++)
        if (k == 0 || l->v[k - 1] != l->v[i])
            l->v[k++] = l->v[i];
    l->n = k;
}

/* The candidates one filter value (or, with comma, each value of a list) matches. */
static void filter_list(const struct md_set *s, enum md_index_kind k, const char *value, bool comma,
                        struct ulist *out)
{
    for (const char *p = value; *p;) {
        size_t n = comma ? strcspn(p, ",") : strlen(p);
        size_t lo, hi;
        if (n > 0) {
            mock_data_find(s, k, p, n, &lo, &hi);
            for (size_t i = lo; i < hi; i++)
                if (mock_data_entry_is(s, k, i, p, n))
                    ul_push(out, s->ix[k].e[i].cand);
        }
        p += n;
        if (*p == ',')
            p++;
    }
    ul_sort_unique(out);
}

/* a := a AND b, both sorted. */
static void ul_intersect(struct ulist *a, const struct ulist *b)
{
    size_t i = 0, j = 0, k = 0;
    while (i < a->n && j < b->n) {
        if (a->v[i] < b->v[j])
            i++;
        else if (a->v[i] > b->v[j])
            j++;
        else {
            a->v[k++] = a->v[i];
            i++, j++;
        }
    }
    a->n = k;
}

/* ------------------------------------------------------------------ cursor */

/* 4 bytes of position, 4 of a check over the position, the data set and the filters:
 * base64url without padding, so it survives a query string however a client writes it. */
static uint32_t cursor_check(const struct md_set *s, uint32_t pos, uint64_t qhash)
{
    uint64_t h = (s->fingerprint ^ qhash) + pos * 0x9E3779B97F4A7C15ULL;
    h ^= h >> 31;
    h *= 0xBF58476D1CE4E5B9ULL;
    return (uint32_t)(h >> 29);
}

static void cursor_make(const struct md_set *s, uint32_t pos, uint64_t qhash, char out[16])
{
    unsigned char raw[8];
    uint32_t chk = cursor_check(s, pos, qhash);
    for (int i = 0; i < 4; i++) {
        raw[i] = (unsigned char)(pos >> (8 * i));
        raw[4 + i] = (unsigned char)(chk >> (8 * i));
    }
    char b[16];
    size_t n = b64_encode(raw, sizeof raw, b);
    size_t k = 0;
    for (size_t i = 0; i < n && b[i] != '='; i++)
        out[k++] = b[i] == '+' ? '-' : b[i] == '/' ? '_' : b[i];
    out[k] = '\0';
}

static int cursor_read(const struct md_set *s, const char *c, uint64_t qhash, uint32_t *pos)
{
    char b[16];
    size_t n = strlen(c);
    if (n != 11)
        return -1;
    for (size_t i = 0; i < n; i++)
        b[i] = c[i] == '-' ? '+' : c[i] == '_' ? '/' : c[i] == '+' || c[i] == '/' ? '!' : c[i];
    b[11] = '=';
    unsigned char raw[9];
    if (b64_decode(b, 12, raw) != 8)
        return -1;
    uint32_t p = 0, chk = 0;
    for (int i = 0; i < 4; i++) {
        p |= (uint32_t)raw[i] << (8 * i);
        chk |= (uint32_t)raw[4 + i] << (8 * i);
    }
    if (chk != cursor_check(s, p, qhash) || p > s->n_cands)
        return -1;
    *pos = p;
    return 0;
}

/* ------------------------------------------------------------------ rendering */

static void add_str(const struct md_set *s, cJSON *o, const char *key, uint32_t off)
{
    if (off)
        cJSON_AddStringToObject(o, key, s->str + off);
    else
        cJSON_AddNullToObject(o, key);
}

static void add_time(cJSON *o, const char *key, int64_t ms)
{
    char b[32];
    if (ms == MD_NULL_TIME) {
        cJSON_AddNullToObject(o, key);
        return;
    }
    mock_data_time_format(ms, b);
    cJSON_AddStringToObject(o, key, b);
}

static cJSON *app_json(const struct md_set *s, const struct md_app *a)
{
    static const char *const outcomes[] = { NULL, "PENDING", "HIRED", "DECLINED" };
    cJSON *o = cJSON_CreateObject();
    add_str(s, o, "id", a->id);
    add_str(s, o, "remote_id", a->remote_id);
    if (a->outcome != MD_OUT_NULL)
        cJSON_AddStringToObject(o, "outcome", outcomes[a->outcome]);
    else
        cJSON_AddNullToObject(o, "outcome");
    add_str(s, o, "rejection_reason_name", a->rejection_reason);
    add_time(o, "rejected_at", a->rejected);
    add_str(s, o, "remote_url", a->remote_url);
    add_time(o, "changed_at", a->changed == MD_NULL_TIME ? 0 : a->changed);
    add_time(o, "remote_created_at", a->created);
    add_time(o, "remote_updated_at", a->updated);
    if (a->stage_id) {
        cJSON *st = cJSON_AddObjectToObject(o, "current_stage");
        add_str(s, st, "id", a->stage_id);
        add_str(s, st, "name", a->stage_name);
        add_str(s, st, "remote_id", a->stage_remote_id);
        if (a->stage_index >= 0)
            cJSON_AddNumberToObject(st, "index", a->stage_index);
        else
            cJSON_AddNullToObject(st, "index");
    } else {
        cJSON_AddNullToObject(o, "current_stage");
    }
    if (a->job_id) {
        cJSON *job = cJSON_AddObjectToObject(o, "job");
        add_str(s, job, "id", a->job_id);
        add_str(s, job, "name", a->job_name);
        /* required as a string by the schema: an unknown one is "" rather than null */
        cJSON_AddStringToObject(job, "remote_id", a->job_remote_id ? s->str + a->job_remote_id : "");
    } else {
        cJSON_AddNullToObject(o, "job");
    }
    return o;
}

cJSON *mock_people_json(const struct md_set *s, size_t i)
{
    const struct md_cand *c = &s->cands[i];
    cJSON *o = cJSON_CreateObject();
    add_str(s, o, "id", c->id);
    add_str(s, o, "remote_id", c->remote_id);
    add_str(s, o, "first_name", c->first);
    add_str(s, o, "last_name", c->last);
    add_str(s, o, "company", c->company);
    add_str(s, o, "title", c->title);
    cJSON_AddFalseToObject(o, "confidential");
    add_str(s, o, "source", c->source);
    cJSON *phones = cJSON_AddArrayToObject(o, "phone_numbers");
    if (c->phone) {
        cJSON *p = cJSON_CreateObject();
        add_str(s, p, "phone_number", c->phone);
        add_str(s, p, "type", c->phone_type);
        cJSON_AddItemToArray(phones, p);
    }
    cJSON *emails = cJSON_AddArrayToObject(o, "email_addresses");
    for (uint32_t k = 0; k < c->n_emails; k++) {
        const struct md_email *e = &s->emails[c->emails + k];
        cJSON *j = cJSON_CreateObject();
        add_str(s, j, "email_address", e->addr);
        add_str(s, j, "type", e->type);
        cJSON_AddItemToArray(emails, j);
    }
    cJSON_AddArrayToObject(o, "social_media");
    if (c->city || c->country) {
        cJSON *loc = cJSON_AddObjectToObject(o, "location");
        add_str(s, loc, "city", c->city);
        add_str(s, loc, "country", c->country);
        char raw[256];
        snprintf(raw, sizeof raw, "%s%s%s", c->city ? s->str + c->city : "",
                 c->city && c->country ? ", " : "", c->country ? s->str + c->country : "");
        cJSON_AddStringToObject(loc, "raw", raw);
        static const char *const rest[] = { "state", "street_1", "street_2", "zip_code" };
        for (size_t k = 0; k < 4; k++)
            cJSON_AddNullToObject(loc, rest[k]);
    } else {
        cJSON_AddNullToObject(o, "location");
    }
    cJSON_AddObjectToObject(o, "custom_fields");
    cJSON_AddArrayToObject(o, "integration_fields");
    add_str(s, o, "remote_url", c->remote_url);
    add_time(o, "remote_created_at", c->created);
    add_time(o, "remote_updated_at", c->updated);
    cJSON_AddNullToObject(o, "remote_data");
    add_time(o, "changed_at", c->changed);
    add_time(o, "remote_deleted_at", c->deleted);
    cJSON *apps = cJSON_AddArrayToObject(o, "applications");
    for (uint32_t k = 0; k < c->n_apps; k++)
        cJSON_AddItemToArray(apps, app_json(s, &s->apps[c->apps + k]));
    cJSON_AddArrayToObject(o, "tags");
    return o;
}

/* ------------------------------------------------------------------ the query */

struct query {
    const char *ids, *remote_ids, *job_ids, *email, *first, *last, *cursor;
    bool include_deleted, have_after;
    int64_t after;
    long page;
};

static const char *bool_arg(struct MHD_Connection *c, const char *name, bool *out)
{
    const char *v = mock_route_arg(c, name);
    *out = false;
    if (!v || !strcmp(v, "false"))
        return NULL;
    if (!strcmp(v, "true")) {
        *out = true;
        return NULL;
    }
    return name;
}

/* The query's arguments, checked: NULL, or the message of a 400. */
static const char *read_query(struct MHD_Connection *c, struct query *q, char *msg, size_t len)
{
    memset(q, 0, sizeof *q);
    q->page = 100;
    const char *ps = mock_route_arg(c, "page_size");
    if (ps && num_parse_long(ps, 1, 250, &q->page) < 0)
        return "page_size must be a whole number from 1 to 250";
    const char *after = mock_route_arg(c, "updated_after");
    if (after) {
        if (mock_data_time_parse(after, &q->after) < 0) {
            snprintf(msg, len, "updated_after \"%.60s\" is not a timestamp in the format "
                     "YYYY-MM-DDTHH:mm:ss.sssZ", after);
            return msg;
        }
        q->have_after = true;
    }
    bool ignore;
    const char *badb = bool_arg(c, "include_deleted", &q->include_deleted);
    if (!badb)
        badb = bool_arg(c, "ignore_unsupported_filters", &ignore);
    if (badb) {
        snprintf(msg, len, "%s must be true or false", badb);
        return msg;
    }
    /* An empty value filters nothing, as if it were not given. */
    static const char *const names[] = { "ids", "remote_ids", "job_ids", "email", "first_name",
                                         "last_name" };
    const char **slots[] = { &q->ids, &q->remote_ids, &q->job_ids, &q->email, &q->first, &q->last };
    for (size_t i = 0; i < 6; i++) {
        const char *v = mock_route_arg(c, names[i]);
        *slots[i] = v && *v ? v : NULL;
    }
    q->cursor = mock_route_arg(c, "cursor");
    return NULL;
}

static uint64_t query_hash(const struct query *q)
{
    const char *parts[] = { q->ids, q->remote_ids, q->job_ids, q->email, q->first, q->last };
    uint64_t h = q->include_deleted * 31u + (q->have_after ? (uint64_t)q->after : 7);
    for (size_t i = 0; i < 6; i++) {
        const char *p = parts[i] ? parts[i] : "";
        h = (h ^ mock_fold_hash(p, strlen(p), false)) * 0x100000001b3ULL + i;
    }
    return h;
}

static bool passes(const struct md_set *s, const struct query *q, uint32_t i)
{
    const struct md_cand *c = &s->cands[i];
    if (!q->include_deleted && c->deleted != MD_NULL_TIME)
        return false;
    return !q->have_after || c->touched > q->after;
}

/* The candidates the list filters allow, sorted; false when there is no list filter. */
static bool list_filters(const struct md_set *s, const struct query *q, struct ulist *out)
{
    const struct { const char *v; enum md_index_kind k; bool comma; } f[] = {
        { q->ids, MD_IX_ID, true }, { q->remote_ids, MD_IX_REMOTE_ID, true },
        { q->job_ids, MD_IX_JOB, true }, { q->email, MD_IX_EMAIL, false },
        { q->first, MD_IX_FIRST, false }, { q->last, MD_IX_LAST, false },
    };
    bool any = false;
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
        if (!f[i].v)
            continue;
        struct ulist l = { 0 };
        filter_list(s, f[i].k, f[i].v, f[i].comma, &l);
        if (!any) {
            *out = l;
            any = true;
        } else {
            ul_intersect(out, &l);
            free(l.v);
        }
    }
    if (!any && q->have_after) {
        /* selective enough (a quarter or less): the few candidates changed since */
        size_t a = 0, b = s->n_cands;
        while (a < b) {
            size_t mid = a + (b - a) / 2;
            if (s->cands[s->by_touched[mid]].touched <= q->after)
                a = mid + 1;
            else
                b = mid;
        }
        if ((s->n_cands - a) * 4 <= s->n_cands) {
            for (size_t i = a; i < s->n_cands; i++)
                ul_push(out, s->by_touched[i]);
            ul_sort_unique(out);
            any = true;
        }
    }
    return any;
}

enum MHD_Result mock_people_answer(struct mock *m, struct req *r, struct MHD_Connection *c)
{
    const struct md_set *s = m->data;
    struct query q;
    char msg[200];
    const char *why = read_query(c, &q, msg, sizeof msg);
    if (why)
        return mock_respond_error(m, r, c, 400, "PLATFORM.INPUT_INVALID", why, NULL);
    uint64_t qh = query_hash(&q);
    uint32_t pos = 0;
    if (q.cursor && cursor_read(s, q.cursor, qh, &pos) < 0)
        return mock_respond_error(m, r, c, 400, "PLATFORM.INPUT_INVALID",
                                  "the cursor is not one this server gave out for this query "
                                  "(pass data.next of the previous page as it came, with the "
                                  "same filters)", NULL);
    struct ulist list = { 0 };
    bool listed = list_filters(s, &q, &list);
    size_t at = 0, end = listed ? list.n : s->n_cands;
    if (listed) {               /* first listed candidate at or after the cursor */
        size_t b = list.n;
        while (at < b) {
            size_t mid = at + (b - at) / 2;
            if (list.v[mid] < pos)
                at = mid + 1;
            else
                b = mid;
        }
    } else {
        at = pos;
    }
    cJSON *data = cJSON_CreateObject();
    cJSON_AddNullToObject(data, "next");
    cJSON *results = cJSON_AddArrayToObject(data, "results");
    long k = 0;
    for (; at < end; at++) {
        uint32_t i = listed ? list.v[at] : (uint32_t)at;
        if (!passes(s, &q, i))
            continue;
        if (k == q.page) {      /* one more exists: it starts the next page */
            char cur[16];
            cursor_make(s, i, qh, cur);
            cJSON_ReplaceItemInObjectCaseSensitive(data, "next", cJSON_CreateString(cur));
            break;
        }
        cJSON_AddItemToArray(results, mock_people_json(s, i));
        k++;
    }
    free(list.v);
    return mock_respond_success(m, r, c, data);
}
