/* What the mock says about the key, the integration and what it accepts:
 * GET /v1/check-api-key, GET /v1/integrations/{id} (no X-Integration-Id: the ID is in the
 * path) and GET /v1/ats/actions/ats_add_{application,candidate}_attachment with
 * data.attachment_restrictions, each in the shape of its schema in the OpenAPI subset.
 *
 * Which integrations exist: with mock_config.integration_id set, that one only; otherwise
 * every ID of Kombo's form "<tool>:<id>" (tool in lower case letters, digits, '-' or '_';
 * the README's demo:1 and the tests' workday:... included), so any client set-up works
 * while a typo such as a missing tool gets Kombo's 404. */
#include "mock_priv.h"

#include "json_util.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ restrictions */

/* A common ATS's: every type, the usual documents and images, 10 MiB. */
static const char default_restrictions[] =
    "{\"types\":{\"CV\":%s,\"COVER_LETTER\":%s,\"OTHER\":%s}}";
static const char default_type[] =
    "{\"is_supported\":true,\"max_file_size_bytes\":10485760,\"accepted_mime_types\":["
    "\"application/pdf\","
    "\"application/vnd.openxmlformats-officedocument.wordprocessingml.document\","
    "\"application/msword\",\"text/plain\",\"application/rtf\","
    "\"application/vnd.oasis.opendocument.text\",\"image/png\",\"image/jpeg\",\"image/gif\","
    "\"image/webp\"]}";

static int bad(char *err, size_t errlen, const char *what)
{
    snprintf(err, errlen, "mock: restrictions: %s", what);
    return -1;
}

static int check_type(const cJSON *t, const char *name, char *err, size_t errlen)
{
    char m[200];
    if (!cJSON_IsObject(t)) {
        snprintf(m, sizeof m, "types.%s must be an object, not %s", name, json_kind(t));
        return bad(err, errlen, m);
    }
    const cJSON *sup = cJSON_GetObjectItemCaseSensitive(t, "is_supported");
    if (!cJSON_IsBool(sup)) {
        snprintf(m, sizeof m, "types.%s.is_supported must be true or false", name);
        return bad(err, errlen, m);
    }
    if (cJSON_IsFalse(sup))
        return 0;
    const cJSON *max = cJSON_GetObjectItemCaseSensitive(t, "max_file_size_bytes");
    const cJSON *mimes = cJSON_GetObjectItemCaseSensitive(t, "accepted_mime_types");
    if (!max || !(cJSON_IsNull(max) || (cJSON_IsNumber(max) && max->valuedouble >= 0))) {
        snprintf(m, sizeof m, "types.%s.max_file_size_bytes must be a number of bytes or null "
                 "(required when is_supported is true)", name);
        return bad(err, errlen, m);
    }
    if (!mimes || !(cJSON_IsNull(mimes) || cJSON_IsArray(mimes))) {
        snprintf(m, sizeof m, "types.%s.accepted_mime_types must be an array of MIME types or "
                 "null (required when is_supported is true)", name);
        return bad(err, errlen, m);
    }
    const cJSON *it;
    cJSON_ArrayForEach(it, mimes)
        if (!cJSON_IsString(it) || !strchr(it->valuestring, '/')) {
            snprintf(m, sizeof m, "types.%s.accepted_mime_types holds something that is not a "
                     "type/subtype string", name);
            return bad(err, errlen, m);
        }
    return 0;
}

int mock_account_restrictions(struct mock *m, const char *json, char *err, size_t errlen)
{
    char *made = NULL;
    if (!json) {
        made = xasprintf(default_restrictions, default_type, default_type, default_type);
        json = made;
    }
    cJSON *j = cJSON_Parse(json);
    free(made);
    if (!j)
        return bad(err, errlen, "not valid JSON (expected the attachment_restrictions object, "
                   "or null)");
    if (!cJSON_IsNull(j)) {
        const cJSON *types = cJSON_GetObjectItemCaseSensitive(j, "types");
        int rc = 0;
        if (!cJSON_IsObject(j))
            rc = bad(err, errlen, "must be an object {\"types\":{...}} or null");
        else if (!cJSON_IsObject(types))
            rc = bad(err, errlen, "types is required: {\"types\":{\"CV\":...,\"COVER_LETTER\":...,"
                     "\"OTHER\":...}}");
        static const char *const names[] = { "CV", "COVER_LETTER", "OTHER" };
        for (size_t i = 0; rc == 0 && i < 3; i++) {
            const cJSON *t = cJSON_GetObjectItemCaseSensitive(types, names[i]);
            if (!t) {
                char msg[80];
                snprintf(msg, sizeof msg, "types.%s is required", names[i]);
                rc = bad(err, errlen, msg);
            } else {
                rc = check_type(t, names[i], err, errlen);
            }
        }
        if (rc < 0) {
            cJSON_Delete(j);
            return -1;
        }
    }
    m->restrictions = j;
    return 0;
}

static enum MHD_Result answer_action(struct mock *m, struct req *r, struct MHD_Connection *c)
{
    cJSON *data = cJSON_CreateObject();
    cJSON_AddItemToObject(data, "attachment_restrictions", cJSON_Duplicate(m->restrictions, 1));
    return mock_respond_success(m, r, c, data);
}

/* ------------------------------------------------------------ the integration */

static const struct { const char *tool, *label; } tools[] = {
    { "greenhouse", "Greenhouse" }, { "workday", "Workday" }, { "lever", "Lever" },
    { "personio", "Personio" }, { "smartrecruiters", "SmartRecruiters" },
    { "teamtailor", "Teamtailor" }, { "workable", "Workable" }, { "recruitee", "Recruitee" },
    { "join", "JOIN" }, { "successfactors", "SAP SuccessFactors" }, { "oracle", "Oracle Recruiting" },
    { "demo", "Greenhouse" },
};

/* The length of id's tool when id has Kombo's form, else 0. */
static size_t tool_len(const char *id, size_t len)
{
    size_t k = 0;
    while (k < len && (islower((unsigned char)id[k]) || isdigit((unsigned char)id[k]) ||
                       id[k] == '-' || id[k] == '_'))
        k++;
    return k > 0 && k + 1 < len && id[k] == ':' ? k : 0;
}

bool mock_account_integration_known(const struct mock *m, const char *id, size_t len)
{
    if (m->integration_id)
        return strlen(m->integration_id) == len && !memcmp(m->integration_id, id, len);
    return tool_len(id, len) > 0;
}

static void add_action(cJSON *list, const char *id, const char *label, bool available)
{
    cJSON *a = cJSON_CreateObject();
    cJSON_AddStringToObject(a, "id", id);
    cJSON_AddStringToObject(a, "label", label);
    cJSON_AddBoolToObject(a, "is_available", available);
    cJSON_AddStringToObject(a, "coverage_status", available ? "SUPPORTED" : "UNSUPPORTED");
    cJSON_AddStringToObject(a, "scope_config_setting", "ENABLED");
    cJSON_AddFalseToObject(a, "opted_out_by_customer");
    cJSON_AddArrayToObject(a, "fields");
    cJSON_AddItemToArray(list, a);
}

static enum MHD_Result answer_integration(struct mock *m, struct req *r, struct MHD_Connection *c)
{
    if (!mock_account_integration_known(m, r->id, r->id_len))
        return mock_respond_error(m, r, c, 404, "PLATFORM.INTEGRATION_NOT_FOUND",
                                  "no integration with this ID in this environment (IDs look "
                                  "like greenhouse:HWUTwvyx2wLoSUHphiWVrp28)", NULL);
    size_t tl = tool_len(r->id, r->id_len);
    char tool[64], label[64];
    snprintf(tool, sizeof tool, "%.*s", (int)(tl ? tl : 10), tl ? r->id : "greenhouse");
    snprintf(label, sizeof label, "%c%s", toupper((unsigned char)tool[0]), tool + 1);
    for (size_t i = 0; i < sizeof tools / sizeof tools[0]; i++)
        if (!strcmp(tools[i].tool, tool))
            snprintf(label, sizeof label, "%s", tools[i].label);

    cJSON *d = cJSON_CreateObject();
    cJSON_AddStringToObject(d, "id", r->id);
    cJSON *t = cJSON_AddObjectToObject(d, "tool");
    cJSON_AddStringToObject(t, "id", tool);
    cJSON_AddStringToObject(t, "label", label);
    cJSON_AddNullToObject(t, "internal_label");
    char url[160];
    snprintf(url, sizeof url, "https://storage.googleapis.com/kombo-assets/integrations/%s/logo.svg", tool);
    cJSON_AddStringToObject(t, "logo_url", url);
    snprintf(url, sizeof url, "https://storage.googleapis.com/kombo-assets/integrations/%s/icon.svg", tool);
    cJSON_AddStringToObject(t, "icon_url", url);
    cJSON_AddStringToObject(d, "category", "ATS");
    cJSON_AddStringToObject(d, "status", m->integration_status);
    cJSON_AddStringToObject(d, "setup_status", m->setup_status);
    cJSON *eu = cJSON_AddObjectToObject(d, "end_user");
    cJSON_AddStringToObject(eu, "organization_name", "Acme GmbH");
    cJSON_AddStringToObject(eu, "creator_email", "it-admin@acme.example");
    cJSON_AddStringToObject(eu, "origin_id", "acme-4711");
    cJSON *sc = cJSON_AddObjectToObject(d, "scope_config");
    cJSON_AddStringToObject(sc, "id", "B8cDGfvqmzoVNo5Dw7TxTmqd");
    cJSON_AddStringToObject(sc, "name", "Default ATS scope");
    cJSON_AddNullToObject(d, "data_expired_at");
    cJSON_AddStringToObject(d, "created_at", "2024-03-01T09:30:00.000Z");
    cJSON_AddFalseToObject(d, "beta");
    cJSON *rm = cJSON_AddArrayToObject(d, "read_models");
    static const char *const models[][2] = { { "ats_candidates", "Candidates" },
                                             { "ats_applications", "Applications" },
                                             { "ats_jobs", "Jobs" } };
    for (size_t i = 0; i < 3; i++)
        add_action(rm, models[i][0], models[i][1], true);
    cJSON *wa = cJSON_AddArrayToObject(d, "write_actions");
    add_action(wa, "ats_add_application_attachment", "Add attachment to application", true);
    add_action(wa, "ats_add_candidate_attachment", "Add attachment to candidate", true);
    add_action(wa, "ats_create_candidate", "Create candidate", false);
    return mock_respond_success(m, r, c, d);
}

static enum MHD_Result answer_check(struct mock *m, struct req *r, struct MHD_Connection *c)
{
    cJSON *data = cJSON_CreateObject();
    cJSON_AddStringToObject(data, "environment_id", "mock-env");
    cJSON_AddStringToObject(data, "customer_id", "mock-customer");
    return mock_respond_success(m, r, c, data);
}

enum MHD_Result mock_account_answer(struct mock *m, struct req *r, struct MHD_Connection *c)
{
    if (r->route == R_CHECK)
        return answer_check(m, r, c);
    if (r->route == R_INTEGRATION)
        return answer_integration(m, r, c);
    return answer_action(m, r, c);
}
