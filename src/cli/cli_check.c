/* See cli_check.h. Both print to stdout only what Kombo said; failures go to stderr as
 * an upload's do (cli_conn.h). */
#include "cli_check.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"
#include "cli_conn.h"
#include "cli_report.h"
#include "exitcodes.h"
#include "integration.h"
#include "kread.h"
#include "listing.h"
#include "sendopts.h"
#include "transfer.h"
#include "xalloc.h"

/* "label: value" with the value escaped. */
static void line(const char *label, const char *value)
{
    char *v = cli_sanitize(value ? value : "(not given)");
    printf("%-20s %s\n", label, v);
    free(v);
}

static int check_key(const struct cli_options *o, struct client *c, cJSON *j)
{
    int code = 0;
    char err[600];
    struct transfer *t = kread_check_api_key(c, &code, err, sizeof err);
    if (!t)
        return cli_fail(code, "%s", err);
    const struct transfer_result *res = cli_await(c, t);
    struct key_info k = {0};
    if (res->outcome != TRANSFER_OK) {
        char hint[160] = "";
        code = cli_fail(transfer_exit_code(res->outcome), "API key: %s", res->message);
        if (cli_auth_invalid(res) && cli_region_probe(o, hint, sizeof hint))
            fprintf(stderr, "kombo-attach: %s\n", hint);
        if (j) {
            cJSON_AddFalseToObject(j, "key_valid");
            cJSON_AddItemToObject(j, "key_error", cli_json_str(res->message));
            cJSON_AddItemToObject(j, "region_hint", cli_json_str(hint[0] ? hint : NULL));
        }
    } else if (key_info_parse(res->json, &k, err, sizeof err) != 0) {
        code = cli_fail(KA_EXIT_SERVER, "API key: the answer is not Kombo's: %s", err);
    } else if (j) {
        cJSON_AddTrueToObject(j, "key_valid");
        cJSON_AddItemToObject(j, "environment_id", cli_json_str(k.environment_id));
    } else {
        line("API key", "valid");
        line("environment", k.environment_id);
    }
    key_info_free(&k);
    transfer_free(t);
    return code;
}

static int check_integration(struct client *c, cJSON *j)
{
    int code = 0;
    char err[600];
    struct transfer *t = kread_integration(c, NULL, &code, err, sizeof err);
    if (!t)
        return cli_fail(code, "%s", err);
    const struct transfer_result *res = cli_await(c, t);
    struct integration_info in = {0};
    if (res->outcome != TRANSFER_OK) {
        code = cli_fail(transfer_exit_code(res->outcome), "integration: %s", res->message);
        if (j)
            cJSON_AddItemToObject(j, "integration_error", cli_json_str(res->message));
    } else if (integration_parse(res->json, &in, err, sizeof err) != 0) {
        code = cli_fail(KA_EXIT_SERVER, "integration: the answer is not Kombo's: %s", err);
    } else {
        char why[200];
        bool ready = integration_ready(&in, why, sizeof why);
        if (j) {
            cJSON *i = cJSON_AddObjectToObject(j, "integration");
            cJSON_AddItemToObject(i, "id", cli_json_str(in.id));
            cJSON_AddItemToObject(i, "tool", cli_json_str(in.tool_label));
            cJSON_AddItemToObject(i, "tool_id", cli_json_str(in.tool_id));
            cJSON_AddItemToObject(i, "organization", cli_json_str(in.organization_name));
            cJSON_AddItemToObject(i, "category", cli_json_str(in.category));
            cJSON_AddItemToObject(i, "status", cli_json_str(in.status));
            cJSON_AddItemToObject(i, "setup_status", cli_json_str(in.setup_status));
            cJSON_AddStringToObject(i, "add_application_attachment",
                                    action_avail_name(in.add_application_attachment));
            cJSON_AddStringToObject(i, "add_candidate_attachment",
                                    action_avail_name(in.add_candidate_attachment));
            cJSON_AddBoolToObject(i, "ready", ready);
            cJSON_AddItemToObject(i, "not_ready_because", cli_json_str(ready ? NULL : why));
        } else {
            line("integration", in.id);
            line("tool", in.tool_label ? in.tool_label : in.tool_id);
            line("organisation", in.organization_name);
            line("status", in.status);
            line("setup", in.setup_status);
            line("attach to application", action_avail_name(in.add_application_attachment));
            line("attach to candidate", action_avail_name(in.add_candidate_attachment));
            if (!ready)
                line("warning", why);
        }
    }
    integration_free(&in);
    transfer_free(t);
    return code;
}

int cli_check_run(const struct cli_options *o)
{
    int code = 0;
    struct client *c = cli_client_new(o, &code);
    if (!c)
        return code;
    cJSON *j = o->json ? cJSON_CreateObject() : NULL;
    if (j)
        cJSON_AddBoolToObject(j, "sandbox", o->send->sandbox);
    else if (o->send->sandbox)
        line("server", "SANDBOX (the local mock)");
    code = check_key(o, c, j);
    /* A key Kombo refused cannot read the integration either: one clear failure is enough. */
    if (code == KA_EXIT_OK)
        code = check_integration(c, j);
    if (j)
        cli_json_line(stdout, j);
    fflush(stdout);
    client_free(c);
    return code;
}

static cJSON *attachment_json(const struct listed_attachment *a)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddItemToObject(o, "id", cli_json_str(a->id));
    cJSON_AddItemToObject(o, "file_name", cli_json_str(a->file_name));
    cJSON_AddItemToObject(o, "type", cli_json_str(a->type_known ? att_type_name(a->type) : a->type_name));
    cJSON_AddItemToObject(o, "content_type", cli_json_str(a->content_type));
    cJSON_AddItemToObject(o, "remote_created_at", cli_json_str(a->remote_created_at));
    cJSON_AddItemToObject(o, "remote_updated_at", cli_json_str(a->remote_updated_at));
    cJSON_AddItemToObject(o, "application_id", cli_json_str(a->application_id));
    cJSON_AddItemToObject(o, "candidate_id", cli_json_str(a->candidate_id));
    cJSON_AddBoolToObject(o, "has_data_url", a->data_url != NULL);
    return o;
}

static void attachment_line(const struct listed_attachment *a)
{
    char *raw = xasprintf("%s  %s  %s  created %s  updated %s  %s%s", a->file_name ? a->file_name : "(no name)",
                          a->type_known ? att_type_name(a->type) : a->type_name ? a->type_name : "?",
                          a->content_type ? a->content_type : "?",
                          a->remote_created_at ? a->remote_created_at : "?",
                          a->remote_updated_at ? a->remote_updated_at : "?",
                          a->application_id ? "application " : "candidate",
                          a->application_id ? a->application_id : "");
    char *s = cli_sanitize(raw);
    printf("%s\n", s);
    free(raw);
    free(s);
}

int cli_attachments_run(const struct cli_options *o)
{
    const struct send_options *so = o->send;
    int code = 0;
    struct client *c = cli_client_new(o, &code);
    if (!c)
        return code;
    char err[600];
    const char *what = so->application_id ? "application" : "candidate";
    const char *id = so->application_id ? so->application_id : so->candidate_id;
    struct transfer *t = so->application_id
                             ? kread_application_attachments(c, id, &code, err, sizeof err)
                             : kread_candidate_attachments(c, id, &code, err, sizeof err);
    if (!t) {
        client_free(c);
        return cli_fail(code, "%s", err);
    }
    const struct transfer_result *res = cli_await(c, t);
    struct listing l = {0};
    if (res->outcome != TRANSFER_OK) {
        code = cli_read_failed(o, "attachments", res);
    } else if (listing_parse(res->json, &l, err, sizeof err) != 0) {
        code = cli_fail(KA_EXIT_SERVER, "attachments: the answer is not Kombo's: %s", err);
    } else {
        for (size_t i = 0; i < l.n; i++) {
            if (o->json) {
                cli_json_line(stdout, attachment_json(&l.items[i]));
            } else {
                attachment_line(&l.items[i]);
            }
        }
        if (l.n == 0 && !o->json) {
            char *sid = cli_sanitize(id);
            printf("the %s %s has no attachments\n", what, sid);
            free(sid);
        }
        if (l.skipped)
            cli_fail(0, "%zu listed attachment%s could not be read: %s", l.skipped,
                     l.skipped == 1 ? "" : "s", l.skip_reason);
        for (size_t i = 0; i < res->answer.n_warnings; i++)
            cli_fail(0, "warning from Kombo: %s", res->answer.warnings[i]);
    }
    fflush(stdout);
    listing_free(&l);
    transfer_free(t);
    client_free(c);
    return code;
}
