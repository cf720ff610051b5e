/* GET /ats/candidates answers reduced to struct candidate. What is kept, and how strings
 * are treated, is explained in candidate.h; jfield.c applies the rules. */
#include "candidate.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jfield.h"
#include "json_util.h"
#include "xalloc.h"

static enum app_outcome outcome_of(const cJSON *app)
{
    const cJSON *o = cJSON_GetObjectItemCaseSensitive(app, "outcome");
    if (!cJSON_IsString(o) || !o->valuestring)
        return APP_OUTCOME_UNKNOWN;
    if (strcmp(o->valuestring, "PENDING") == 0)
        return APP_OUTCOME_PENDING;
    if (strcmp(o->valuestring, "HIRED") == 0)
        return APP_OUTCOME_HIRED;
    if (strcmp(o->valuestring, "DECLINED") == 0)
        return APP_OUTCOME_DECLINED;
    return APP_OUTCOME_UNKNOWN;
}

static void app_free(struct cand_application *a)
{
    free(a->id);
    free(a->remote_id);
    free(a->stage);
    free(a->job_id);
    free(a->job_name);
    free(a->remote_created_at);
    free(a->changed_at);
    free(a->remote_url);
    memset(a, 0, sizeof *a);
}

/* false when the application has no usable id: it is left out. */
static bool app_parse(const cJSON *j, struct cand_application *a)
{
    memset(a, 0, sizeof *a);
    if (jf_ident(j, "id", CAND_ID_MAX, &a->id) != JF_OK)
        return false;
    jf_ident(j, "remote_id", CAND_ID_MAX, &a->remote_id);
    a->outcome = outcome_of(j);
    const cJSON *stage = jf_object(j, "current_stage", NULL);
    jf_text(stage, "name", CAND_TEXT_MAX, &a->stage);
    const cJSON *job = jf_object(j, "job", NULL);
    jf_ident(job, "id", CAND_ID_MAX, &a->job_id);
    jf_text(job, "name", CAND_TEXT_MAX, &a->job_name);
    jf_text(j, "remote_created_at", CAND_TEXT_MAX, &a->remote_created_at);
    jf_text(j, "changed_at", CAND_TEXT_MAX, &a->changed_at);
    jf_text(j, "remote_url", CAND_URL_MAX, &a->remote_url);
    return true;
}

static void emails_parse(const cJSON *item, struct candidate *c)
{
    const cJSON *arr = jf_array(item, "email_addresses", NULL);
    const cJSON *e;
    cJSON_ArrayForEach(e, arr)
    {
        char *addr = NULL;
        /* An address cut short would be another address: too long ones are left out. */
        if (jf_ident(e, "email_address", CAND_EMAIL_MAX, &addr) != JF_OK)
            continue;
        if (c->n_emails == CAND_EMAILS_MAX) {
            c->emails_truncated = true;
            free(addr);
            break;
        }
        c->emails[c->n_emails++] = addr;
    }
}

static void apps_parse(const cJSON *item, struct candidate *c)
{
    const cJSON *arr = jf_array(item, "applications", NULL);
    int total = arr ? cJSON_GetArraySize(arr) : 0;
    if (total <= 0)
        return;
    size_t want = (size_t)total < CAND_APPS_MAX ? (size_t)total : CAND_APPS_MAX;
    c->apps = xcalloc(want, sizeof *c->apps);
    const cJSON *a;
    cJSON_ArrayForEach(a, arr)
    {
        if (c->n_apps == want) {
            c->apps_truncated = true;
            break;
        }
        if (app_parse(a, &c->apps[c->n_apps]))
            c->n_apps++;
    }
    if (c->n_apps == 0) {
        free(c->apps);
        c->apps = NULL;
    }
}

int candidate_parse(const cJSON *item, struct candidate *c, char *why, size_t whylen)
{
    memset(c, 0, sizeof *c);
    if (!cJSON_IsObject(item)) {
        snprintf(why, whylen, "a result is %s, not an object", json_kind(item));
        return -1;
    }
    enum jf_status st = jf_ident(item, "id", CAND_ID_MAX, &c->id);
    if (st != JF_OK) {
        snprintf(why, whylen, "a candidate's id is %s",
                 st == JF_TYPE ? "not a usable ID (empty, too long, not UTF-8 or not a string)"
                               : jf_status_name(st, item, "id"));
        return -1;
    }
    jf_ident(item, "remote_id", CAND_ID_MAX, &c->remote_id);
    jf_text(item, "first_name", CAND_TEXT_MAX, &c->first_name);
    jf_text(item, "last_name", CAND_TEXT_MAX, &c->last_name);
    jf_text(item, "title", CAND_TEXT_MAX, &c->title);
    jf_text(item, "company", CAND_TEXT_MAX, &c->company);
    jf_text(item, "remote_url", CAND_URL_MAX, &c->remote_url);
    jf_text(item, "changed_at", CAND_TEXT_MAX, &c->changed_at);
    jf_text(item, "remote_updated_at", CAND_TEXT_MAX, &c->remote_updated_at);
    jf_text(item, "remote_deleted_at", CAND_TEXT_MAX, &c->remote_deleted_at);
    emails_parse(item, c);
    apps_parse(item, c);
    return 0;
}

int cand_page_parse(const cJSON *answer, struct cand_page *p, char *err, size_t errlen)
{
    memset(p, 0, sizeof *p);
    const cJSON *data = jf_data(answer, "candidates", err, errlen);
    if (!data)
        return -1;
    enum jf_status st;
    const cJSON *results = jf_array(data, "results", &st);
    if (!results) {
        snprintf(err, errlen, "the candidates answer's data.results is %s, not an array",
                 jf_status_name(st, data, "results"));
        return -1;
    }
    st = jf_ident(data, "next", CAND_CURSOR_MAX, &p->next);
    if (st == JF_TYPE) {
        snprintf(err, errlen, "the candidates answer's data.next is not a cursor (a non-empty "
                 "string of at most %d bytes) or null", CAND_CURSOR_MAX);
        return -1;
    }
    int total = cJSON_GetArraySize(results);
    size_t want = (size_t)total < CAND_PAGE_MAX ? (size_t)total : CAND_PAGE_MAX;
    if (want)
        p->items = xcalloc(want, sizeof *p->items);
    const cJSON *item;
    char why[160];
    cJSON_ArrayForEach(item, results)
    {
        if (p->n == want) {
            p->truncated = true;
            break;
        }
        if (candidate_parse(item, &p->items[p->n], why, sizeof why) == 0) {
            p->n++;
        } else if (p->skipped++ == 0) {
            snprintf(p->skip_reason, sizeof p->skip_reason, "%s", why);
        }
    }
    return 0;
}

void cand_page_free(struct cand_page *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->n; i++)
        candidate_free(&p->items[i]);
    free(p->items);
    free(p->next);
    memset(p, 0, sizeof *p);
}

static char *dup_or_null(const char *s)
{
    return s ? xstrdup(s) : NULL;
}

void candidate_copy(struct candidate *d, const struct candidate *s)
{
    memset(d, 0, sizeof *d);
    d->id = dup_or_null(s->id);
    d->remote_id = dup_or_null(s->remote_id);
    d->first_name = dup_or_null(s->first_name);
    d->last_name = dup_or_null(s->last_name);
    d->title = dup_or_null(s->title);
    d->company = dup_or_null(s->company);
    d->remote_url = dup_or_null(s->remote_url);
    d->changed_at = dup_or_null(s->changed_at);
    d->remote_updated_at = dup_or_null(s->remote_updated_at);
    d->remote_deleted_at = dup_or_null(s->remote_deleted_at);
    for (size_t i = 0; i < s->n_emails; i++)
        d->emails[i] = xstrdup(s->emails[i]);
    d->n_emails = s->n_emails;
    d->emails_truncated = s->emails_truncated;
    if (s->n_apps) {
        d->apps = xcalloc(s->n_apps, sizeof *d->apps);
        for (size_t i = 0; i < s->n_apps; i++) {
            const struct cand_application *a = &s->apps[i];
            struct cand_application *b = &d->apps[i];
            b->id = dup_or_null(a->id);
            b->remote_id = dup_or_null(a->remote_id);
            b->outcome = a->outcome;
            b->stage = dup_or_null(a->stage);
            b->job_id = dup_or_null(a->job_id);
            b->job_name = dup_or_null(a->job_name);
            b->remote_created_at = dup_or_null(a->remote_created_at);
            b->changed_at = dup_or_null(a->changed_at);
            b->remote_url = dup_or_null(a->remote_url);
        }
    }
    d->n_apps = s->n_apps;
    d->apps_truncated = s->apps_truncated;
}

void candidate_free(struct candidate *c)
{
    if (!c)
        return;
    free(c->id);
    free(c->remote_id);
    free(c->first_name);
    free(c->last_name);
    free(c->title);
    free(c->company);
    free(c->remote_url);
    free(c->changed_at);
    free(c->remote_updated_at);
    free(c->remote_deleted_at);
    for (size_t i = 0; i < c->n_emails; i++)
        free(c->emails[i]);
    for (size_t i = 0; i < c->n_apps; i++)
        app_free(&c->apps[i]);
    free(c->apps);
    memset(c, 0, sizeof *c);
}

/* A name part counts when it has something besides white space. */
static bool has_text(const char *s)
{
    if (!s)
        return false;
    for (; *s; s++)
        if (*s != ' ' && *s != '\t')
            return true;
    return false;
}

char *candidate_display_name(const struct candidate *c)
{
    bool f = has_text(c->first_name), l = has_text(c->last_name);
    if (f && l)
        return xasprintf("%s %s", c->first_name, c->last_name);
    if (f)
        return xstrdup(c->first_name);
    if (l)
        return xstrdup(c->last_name);
    if (c->n_emails)
        return xstrdup(c->emails[0]);
    return xstrdup(c->id ? c->id : "(no ID)");
}

const char *app_outcome_name(enum app_outcome o)
{
    switch (o) {
    case APP_OUTCOME_PENDING:
        return "PENDING";
    case APP_OUTCOME_HIRED:
        return "HIRED";
    case APP_OUTCOME_DECLINED:
        return "DECLINED";
    case APP_OUTCOME_UNKNOWN:
        break;
    }
    return "unknown";
}
