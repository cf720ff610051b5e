/* The read endpoints: GET /v1/check-api-key, GET /v1/ats/candidates (three seeded
 * candidates, each with one application, so lookups by e-mail or name and uploads through
 * an application have something to find), GET /v1/ats/candidates/{id}/attachments (what
 * this mock stored), and the mock's own /__mock/requests, /__mock/stats and /logs/<n>. */
#include "mock_priv.h"

#include "numparse.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct seed_candidate {
    const char *id, *first, *last, *email, *company, *title, *app_id, *job_id, *job;
};

/* The README's example candidate (4B9b…) is here too, so what the docs show works in the
 * sandbox as written. */
static const struct seed_candidate seeds[] = {
    { "4B7z5qJ8dXcR2mTnWvKpLs9a", "Frank", "Doe", "frank.doe@example.com", "Acme GmbH",
      "Backend Engineer", "A1pp2Bq3Cr4Ds5Et6Fu7Gv8H", "J1ob2Kc3Ld4Me5Nf6Pg7Qh8R", "Backend Engineer" },
    { "7Hx3PqR9tYvW2kZmNbCd8EfG", "Jane", "Smith", "jane.smith@example.org", "Globex",
      "Product Designer", "Ap9Kx8Ly7Mz6Nw5Pv4Qu3Rt2", "J2ob3Kc4Ld5Me6Nf7Pg8Qh9S", "Product Designer" },
    { "9sDf4GhJk2LmN5pQr7StUv3W", "Ada", "Lovelace", "ada@example.net", "Analytical Engines",
      "Mathematician", "Bq2Wc3Xd4Ye5Zf6ag7bh8ci9", "J3ob4Kc5Ld6Me7Nf8Pg9Qh1T", "Research Engineer" },
    { "4B9bJBkJ6jEGfpdpcCJ7JKJ9", "Frank", "Doe", "frank@example.com", "Kombo Demo Ltd",
      "Software Engineer", "Cr5Xd6Ye7Zf8ag9bh1ci2dj3", "J4ob5Kc6Ld7Me8Nf9Pg1Qh2U", "Software Engineer" },
};

bool mock_read_known(const struct mock *m, bool application, const char *id, size_t len)
{
    if (m->any_candidate)
        return true;
    for (size_t i = 0; i < sizeof seeds / sizeof seeds[0]; i++) {
        const char *s = application ? seeds[i].app_id : seeds[i].id;
        if (strlen(s) == len && memcmp(s, id, len) == 0)
            return true;
    }
    return false;
}

const char *mock_read_application_owner(const char *id, size_t len)
{
    for (size_t i = 0; i < sizeof seeds / sizeof seeds[0]; i++)
        if (strlen(seeds[i].app_id) == len && memcmp(seeds[i].app_id, id, len) == 0)
            return seeds[i].id;
    return NULL;
}

static cJSON *seed_json(const struct seed_candidate *s)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "id", s->id);
    cJSON_AddStringToObject(o, "remote_id", s->id + 16);
    cJSON_AddStringToObject(o, "first_name", s->first);
    cJSON_AddStringToObject(o, "last_name", s->last);
    cJSON_AddStringToObject(o, "company", s->company);
    cJSON_AddStringToObject(o, "title", s->title);
    cJSON *emails = cJSON_AddArrayToObject(o, "email_addresses");
    cJSON *e = cJSON_CreateObject();
    cJSON_AddStringToObject(e, "email_address", s->email);
    cJSON_AddStringToObject(e, "type", "PERSONAL");
    cJSON_AddItemToArray(emails, e);
    cJSON *apps = cJSON_AddArrayToObject(o, "applications");
    cJSON *a = cJSON_CreateObject();
    cJSON_AddStringToObject(a, "id", s->app_id);
    cJSON *job = cJSON_AddObjectToObject(a, "job");
    cJSON_AddStringToObject(job, "id", s->job_id);
    cJSON_AddStringToObject(job, "name", s->job);
    cJSON_AddItemToArray(apps, a);
    char url[96];
    snprintf(url, sizeof url, "https://ats.example.com/candidates/%s", s->id + 16);
    cJSON_AddStringToObject(o, "remote_url", url);
    return o;
}

/* Kombo writes null, never "", for what it does not know. */
static void add_string_or_null(cJSON *o, const char *key, const char *value)
{
    if (value)
        cJSON_AddStringToObject(o, key, value);
    else
        cJSON_AddNullToObject(o, key);
}

static cJSON *stored_json(const struct mock_stored *s)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "id", s->id);
    add_string_or_null(o, "application_id", s->application);
    cJSON_AddStringToObject(o, "candidate_id", s->candidate ? s->candidate : "");
    cJSON_AddStringToObject(o, "type", s->type);
    cJSON_AddNullToObject(o, "remote_id");
    add_string_or_null(o, "data_url", s->data_url);
    cJSON_AddStringToObject(o, "file_name", s->file_name);
    add_string_or_null(o, "content_type", s->content_type);
    char when[32];
    struct tm tm;
    gmtime_r(&s->created, &tm);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%S.000Z", &tm);
    cJSON_AddStringToObject(o, "remote_created_at", when);
    cJSON_AddStringToObject(o, "remote_updated_at", when);
    return o;
}

static enum MHD_Result answer_list(struct mock *m, struct req *r, struct MHD_Connection *c)
{
    cJSON *data = cJSON_CreateObject();
    cJSON_AddNullToObject(data, "next");
    cJSON *results = cJSON_AddArrayToObject(data, "results");
    pthread_mutex_lock(&m->mu);
    for (const struct mock_stored *s = m->stored; s; s = s->next)
        if (s->candidate && s->candidate_len == r->id_len &&
            !memcmp(s->candidate, r->id, r->id_len) && !strcmp(s->integration, r->integration))
            cJSON_AddItemToArray(results, stored_json(s));
    pthread_mutex_unlock(&m->mu);
    return mock_respond_success(m, r, c, data);
}

static bool matches(const char *want, const char *have)
{
    return !want || !strcasecmp(want, have);
}

/* The filters of shared/kombo-api.md that make sense on three candidates: email,
 * first_name, last_name (case-insensitive, exact), ids, page_size. */
static enum MHD_Result answer_candidates(struct mock *m, struct req *r, struct MHD_Connection *c)
{
    const char *email = mock_route_arg(c, "email"), *first = mock_route_arg(c, "first_name");
    const char *last = mock_route_arg(c, "last_name"), *ids = mock_route_arg(c, "ids");
    const char *ps = mock_route_arg(c, "page_size");
    long page = 100;
    if (ps && num_parse_long(ps, 1, 250, &page) < 0)
        return mock_respond_error(m, r, c, 400, "PLATFORM.INPUT_INVALID",
                                  "page_size must be a whole number from 1 to 250", NULL);
    cJSON *data = cJSON_CreateObject();
    cJSON_AddNullToObject(data, "next");
    cJSON *results = cJSON_AddArrayToObject(data, "results");
    long k = 0;
    for (size_t i = 0; i < sizeof seeds / sizeof seeds[0] && k < page; i++) {
        const struct seed_candidate *s = &seeds[i];
        if (ids) {
            bool hit = false;
            size_t idl = strlen(s->id);
            for (const char *p = ids; *p; p += strcspn(p, ","), p += *p == ',')
                if (strcspn(p, ",") == idl && !strncmp(p, s->id, idl))
                    hit = true;
            if (!hit)
                continue;
        }
        if (matches(email, s->email) && matches(first, s->first) && matches(last, s->last)) {
            cJSON_AddItemToArray(results, seed_json(s));
            k++;
        }
    }
    return mock_respond_success(m, r, c, data);
}

static enum MHD_Result answer_requests(struct mock *m, struct req *r, struct MHD_Connection *c)
{
    cJSON *data = cJSON_CreateObject();
    cJSON *list = cJSON_AddArrayToObject(data, "requests");
    pthread_mutex_lock(&m->mu);
    for (unsigned i = 0; i < MOCK_RING; i++) {   /* oldest first */
        const cJSON *o = m->ring[(m->ring_next + i) % MOCK_RING];
        if (o)
            cJSON_AddItemToArray(list, cJSON_Duplicate(o, 1));
    }
    pthread_mutex_unlock(&m->mu);
    return mock_respond_success(m, r, c, data);
}

static enum MHD_Result answer_stats(struct mock *m, struct req *r, struct MHD_Connection *c)
{
    cJSON *data = cJSON_CreateObject();
    pthread_mutex_lock(&m->mu);
    unsigned stalled = 0;
    for (const struct mock_stall *s = m->stalls; s; s = s->next)
        stalled++;
    cJSON_AddNumberToObject(data, "requests", m->requests);
    cJSON_AddNumberToObject(data, "uploads", m->uploads);
    cJSON_AddNumberToObject(data, "stored", m->stored_n);
    cJSON_AddNumberToObject(data, "stalled", stalled);
    mock_fault_describe(&m->fault, cJSON_AddObjectToObject(data, "fault"));
    pthread_mutex_unlock(&m->mu);
    return mock_respond_success(m, r, c, data);
}

static enum MHD_Result answer_log(struct mock *m, struct req *r, struct MHD_Connection *c)
{
    char *digits = xstrndup(r->raw + 6, strcspn(r->raw + 6, "?"));
    uint64_t n;
    cJSON *found = NULL;
    if (num_parse_u64(digits, UINT_MAX, &n) == 0) {
        pthread_mutex_lock(&m->mu);
        for (int i = 0; i < MOCK_RING && !found; i++) {
            const cJSON *id = cJSON_GetObjectItemCaseSensitive(m->ring[i], "id");
            if (id && (uint64_t)id->valuedouble == n)
                found = cJSON_Duplicate(m->ring[i], 1);
        }
        pthread_mutex_unlock(&m->mu);
    }
    free(digits);
    if (!found)
        return mock_respond_error(m, r, c, 404, "PLATFORM.INPUT_INVALID",
                                  "no such log entry (the mock keeps the last 64 requests)", NULL);
    return mock_respond_success(m, r, c, found);
}

static enum MHD_Result answer_check(struct mock *m, struct req *r, struct MHD_Connection *c)
{
    cJSON *data = cJSON_CreateObject();
    cJSON_AddStringToObject(data, "environment_id", "mock-env");
    return mock_respond_success(m, r, c, data);
}

enum MHD_Result mock_read_answer(struct mock *m, struct req *r, struct MHD_Connection *c)
{
    switch (r->route) {
    case R_LIST: return answer_list(m, r, c);
    case R_CANDIDATES: return answer_candidates(m, r, c);
    case R_CHECK: return answer_check(m, r, c);
    case R_CTL_REQUESTS: return answer_requests(m, r, c);
    case R_CTL_STATS: return answer_stats(m, r, c);
    case R_LOG: return answer_log(m, r, c);
    case R_NOT_FOUND: case R_BAD_METHOD: case R_UPLOAD: case R_CTL_FAULT: break;
    }
    return MHD_NO;
}
