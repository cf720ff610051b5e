/* GET /integrations/{id} and GET /check-api-key reduced to what the tool shows and
 * decides on (integration.h). */
#include "integration.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jfield.h"
#include "xalloc.h"

#define ID_MAX 256

static enum action_avail action_find(const cJSON *actions, const char *id)
{
    const cJSON *a;
    cJSON_ArrayForEach(a, actions)
    {
        const cJSON *aid = cJSON_IsObject(a) ? cJSON_GetObjectItemCaseSensitive(a, "id") : NULL;
        if (!cJSON_IsString(aid) || !aid->valuestring || strcmp(aid->valuestring, id) != 0)
            continue;
        bool avail;
        if (jf_bool(a, "is_available", &avail) != JF_OK)
            return ACTION_UNKNOWN;
        return avail ? ACTION_AVAILABLE : ACTION_UNAVAILABLE;
    }
    return ACTION_UNKNOWN;
}

int integration_parse(const cJSON *answer, struct integration_info *i, char *err, size_t errlen)
{
    memset(i, 0, sizeof *i);
    const cJSON *data = jf_data(answer, "integration", err, errlen);
    if (!data)
        return -1;
    enum jf_status st = jf_ident(data, "id", ID_MAX, &i->id);
    if (st != JF_OK) {
        snprintf(err, errlen, "the integration answer's data.id is %s",
                 st == JF_TYPE ? "not a usable ID" : jf_status_name(st, data, "id"));
        return -1;
    }
    const cJSON *tool = jf_object(data, "tool", NULL);
    jf_text(tool, "id", INTEGRATION_TEXT_MAX, &i->tool_id);
    jf_text(tool, "label", INTEGRATION_TEXT_MAX, &i->tool_label);
    const cJSON *user = jf_object(data, "end_user", NULL);
    jf_text(user, "organization_name", INTEGRATION_TEXT_MAX, &i->organization_name);
    jf_text(data, "category", INTEGRATION_TEXT_MAX, &i->category);
    jf_text(data, "status", INTEGRATION_TEXT_MAX, &i->status);
    jf_text(data, "setup_status", INTEGRATION_TEXT_MAX, &i->setup_status);
    jf_text(data, "created_at", INTEGRATION_TEXT_MAX, &i->created_at);
    jf_bool(data, "beta", &i->beta);
    const cJSON *actions = jf_array(data, "write_actions", NULL);
    i->add_application_attachment = action_find(actions, "ats_add_application_attachment");
    i->add_candidate_attachment = action_find(actions, "ats_add_candidate_attachment");
    return 0;
}

void integration_free(struct integration_info *i)
{
    if (!i)
        return;
    free(i->id);
    free(i->tool_id);
    free(i->tool_label);
    free(i->organization_name);
    free(i->category);
    free(i->status);
    free(i->setup_status);
    free(i->created_at);
    memset(i, 0, sizeof *i);
}

bool integration_ready(const struct integration_info *i, char *why, size_t whylen)
{
    if (whylen)
        why[0] = '\0';
    if (!i->status || strcmp(i->status, "ACTIVE") != 0) {
        snprintf(why, whylen, "status %s", i->status ? i->status : "unknown");
        return false;
    }
    if (!i->setup_status || strcmp(i->setup_status, "COMPLETED") != 0) {
        snprintf(why, whylen, "setup %s", i->setup_status ? i->setup_status : "unknown");
        return false;
    }
    if (!i->category || strcmp(i->category, "ATS") != 0) {
        snprintf(why, whylen, "category %s, not ATS", i->category ? i->category : "unknown");
        return false;
    }
    return true;
}

const char *action_avail_name(enum action_avail a)
{
    switch (a) {
    case ACTION_AVAILABLE:
        return "available";
    case ACTION_UNAVAILABLE:
        return "not available";
    case ACTION_UNKNOWN:
        break;
    }
    return "unknown";
}

int key_info_parse(const cJSON *answer, struct key_info *k, char *err, size_t errlen)
{
    memset(k, 0, sizeof *k);
    const cJSON *data = jf_data(answer, "check-api-key", err, errlen);
    if (!data)
        return -1;
    enum jf_status st = jf_ident(data, "environment_id", ID_MAX, &k->environment_id);
    if (st != JF_OK) {
        snprintf(err, errlen, "the check-api-key answer's data.environment_id is %s",
                 st == JF_TYPE ? "not a usable ID" : jf_status_name(st, data, "environment_id"));
        return -1;
    }
    jf_ident(data, "customer_id", ID_MAX, &k->customer_id);
    return 0;
}

void key_info_free(struct key_info *k)
{
    if (!k)
        return;
    free(k->environment_id);
    free(k->customer_id);
    memset(k, 0, sizeof *k);
}
