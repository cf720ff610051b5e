/* Attachment listings reduced to struct listed_attachment (rules in listing.h). */
#include "listing.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jfield.h"
#include "json_util.h"
#include "xalloc.h"

static void item_free(struct listed_attachment *a)
{
    free(a->id);
    free(a->application_id);
    free(a->candidate_id);
    free(a->type_name);
    free(a->remote_id);
    free(a->data_url);
    free(a->file_name);
    free(a->content_type);
    free(a->remote_created_at);
    free(a->remote_updated_at);
    memset(a, 0, sizeof *a);
}

static int item_parse(const cJSON *j, struct listed_attachment *a, char *why, size_t whylen)
{
    memset(a, 0, sizeof *a);
    if (!cJSON_IsObject(j)) {
        snprintf(why, whylen, "an attachment is %s, not an object", json_kind(j));
        return -1;
    }
    enum jf_status st = jf_ident(j, "id", LISTING_ID_MAX, &a->id);
    if (st != JF_OK) {
        snprintf(why, whylen, "an attachment's id is %s",
                 st == JF_TYPE ? "not a usable ID" : jf_status_name(st, j, "id"));
        return -1;
    }
    jf_ident(j, "application_id", LISTING_ID_MAX, &a->application_id);
    jf_ident(j, "candidate_id", LISTING_ID_MAX, &a->candidate_id);
    jf_ident(j, "remote_id", LISTING_ID_MAX, &a->remote_id);
    jf_ident(j, "data_url", LISTING_URL_MAX, &a->data_url);
    jf_text(j, "type", LISTING_TEXT_MAX, &a->type_name);
    if (a->type_name) {
        static const struct { const char *name; enum att_type type; } types[] = {
            {"CV", ATT_CV}, {"COVER_LETTER", ATT_COVER_LETTER}, {"OTHER", ATT_OTHER}};
        for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
            if (strcmp(a->type_name, types[i].name) == 0) {
                a->type = types[i].type;
                a->type_known = true;
            }
    }
    jf_text(j, "file_name", LISTING_TEXT_MAX, &a->file_name);
    jf_text(j, "content_type", LISTING_TEXT_MAX, &a->content_type);
    jf_text(j, "remote_created_at", LISTING_TEXT_MAX, &a->remote_created_at);
    jf_text(j, "remote_updated_at", LISTING_TEXT_MAX, &a->remote_updated_at);
    return 0;
}

int listing_parse(const cJSON *answer, struct listing *l, char *err, size_t errlen)
{
    memset(l, 0, sizeof *l);
    const cJSON *data = jf_data(answer, "attachments", err, errlen);
    if (!data)
        return -1;
    enum jf_status st;
    const cJSON *results = jf_array(data, "results", &st);
    if (!results) {
        snprintf(err, errlen, "the attachments answer's data.results is %s, not an array",
                 jf_status_name(st, data, "results"));
        return -1;
    }
    int total = cJSON_GetArraySize(results);
    size_t want = (size_t)total < LISTING_MAX ? (size_t)total : LISTING_MAX;
    if (want)
        l->items = xcalloc(want, sizeof *l->items);
    const cJSON *item;
    char why[160];
    cJSON_ArrayForEach(item, results)
    {
        if (l->n == want) {
            l->truncated = true;
            break;
        }
        if (item_parse(item, &l->items[l->n], why, sizeof why) == 0)
            l->n++;
        else if (l->skipped++ == 0)
            snprintf(l->skip_reason, sizeof l->skip_reason, "%s", why);
    }
    return 0;
}

void listing_free(struct listing *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->n; i++)
        item_free(&l->items[i]);
    free(l->items);
    memset(l, 0, sizeof *l);
}

size_t listing_count_for(const struct listing *l, const char *application_id)
{
    size_t n = 0;
    for (size_t i = 0; i < l->n; i++) {
        const char *a = l->items[i].application_id;
        if (application_id ? a && strcmp(a, application_id) == 0 : !a)
            n++;
    }
    return n;
}
