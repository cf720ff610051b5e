/* See account.h. */
#include "account.h"

#include <stdio.h>
#include <string.h>

#include "region.h"
#include "transfer.h"

void account_start(struct account *a, struct client *c, const struct client_options *o)
{
    memset(a, 0, sizeof *a);
    a->client = c;
    char err[300];
    int code;
    a->key_t = kread_check_api_key(c, &code, err, sizeof err);
    a->integ_t = kread_integration(c, NULL, &code, err, sizeof err);
    a->restr_t[KREAD_TO_APPLICATION] = kread_restrictions(c, KREAD_TO_APPLICATION, &code, err, sizeof err);
    a->restr_t[KREAD_TO_CANDIDATE] = kread_restrictions(c, KREAD_TO_CANDIDATE, &code, err, sizeof err);
    /* only Kombo's own two servers have another region to try; the sandbox and a custom
     * base URL do not */
    a->other_region = o->sandbox ? NULL : region_other(o->base_url);
    if (a->other_region) {
        struct client_options po = *o;
        po.base_url = region_other_url(o->base_url);
        po.verbose = false;
        po.max_attempts = 1;
        a->probe = client_new(&po, &code, err, sizeof err);
    }
}

static void drop(struct transfer **t)
{
    if (*t)
        transfer_free(*t);
    *t = NULL;
}

void account_free(struct account *a)
{
    drop(&a->key_t);
    drop(&a->integ_t);
    drop(&a->restr_t[0]);
    drop(&a->restr_t[1]);
    drop(&a->probe_t);
    if (a->probe)
        client_free(a->probe);
    if (a->have_info)
        integration_free(&a->info);
    for (int i = 0; i < 2; i++)
        if (a->have_restr[i])
            restrict_free(&a->restr[i]);
    memset(a, 0, sizeof *a);
}

/* A finished transfer's result, or NULL while it runs. */
static const struct transfer_result *done(struct transfer *t)
{
    return t && transfer_finished(t) ? transfer_get_result(t) : NULL;
}

static void say_refused(struct account *a, const struct transfer_result *r)
{
    a->problem_is_error = true;
    if (a->other_region_ok) {
        char hint[128];
        region_hint(a->other_region, hint, sizeof hint);
        snprintf(a->problem, sizeof a->problem, "Kombo's %s server refused the API key: %s "
                 "(or KOMBO_SERVER=%s, or server = %s in the config).",
                 a->other_region[0] == 'u' ? "EU" : "US", hint, a->other_region, a->other_region);
    } else
        /* the fix first: a banner of three lines may not show all of Kombo's words */
        snprintf(a->problem, sizeof a->problem, "Kombo refused the API key. Fix: make a key on the "
                 "Secrets page of Kombo's dashboard (and check --server). Kombo said: %s",
                 !r ? "" : r->answer.err.message ? r->answer.err.message : r->message);
}

static bool step_key(struct account *a)
{
    const struct transfer_result *r = done(a->key_t);
    if (!r)
        return false;
    if (r->outcome == TRANSFER_OK) {
        a->key = ACCOUNT_KEY_OK;
    } else if (r->outcome == TRANSFER_REJECTED && (r->answer.http_status == 401 || r->answer.http_status == 403)) {
        a->key = ACCOUNT_KEY_REFUSED;
        if (a->probe) {
            char err[300];
            int code;
            a->probe_t = kread_check_api_key(a->probe, &code, err, sizeof err);
            a->probing = a->probe_t != NULL;
        }
        if (a->probing)
            snprintf(a->problem, sizeof a->problem, "Kombo refused the API key; asking the %s "
                     "server whether it is a key of that region...", a->other_region);
        else
            say_refused(a, r);
        a->problem_is_error = true;
    } else {
        a->key = ACCOUNT_KEY_UNCHECKED;
        if (!a->problem[0])
            snprintf(a->problem, sizeof a->problem, "The API key could not be checked: %s", r->message);
    }
    /* the key's answer is kept for the message of a refusal after the probe */
    if (!a->probing)
        drop(&a->key_t);
    return true;
}

static bool step_probe(struct account *a)
{
    if (!a->probing)
        return false;
    client_poll(a->probe, 0, -1, NULL);
    const struct transfer_result *r = done(a->probe_t);
    if (!r)
        return false;
    a->probing = false;
    a->other_region_ok = r->outcome == TRANSFER_OK;
    say_refused(a, done(a->key_t));
    drop(&a->probe_t);
    drop(&a->key_t);
    return true;
}

static bool step_integration(struct account *a)
{
    const struct transfer_result *r = done(a->integ_t);
    if (!r)
        return false;
    char why[300];
    if (r->outcome == TRANSFER_OK && integration_parse(r->json, &a->info, why, sizeof why) == 0) {
        a->have_info = true;
        const char *tool = a->info.tool_label ? a->info.tool_label : a->info.tool_id;
        const char *org = a->info.organization_name;
        snprintf(a->tool, sizeof a->tool, "%s", tool ? tool : "");
        snprintf(a->org, sizeof a->org, "%s", org ? org : "");
        if (!integration_ready(&a->info, why, sizeof why) && a->key != ACCOUNT_KEY_REFUSED)
            snprintf(a->problem, sizeof a->problem, "The integration is not ready (%s): uploads may "
                     "fail until it is set up or reconnected in Kombo's dashboard.", why);
    } else if (r->outcome == TRANSFER_OK) {
        integration_free(&a->info);
    } else if (r->answer.http_status == 404 && a->key != ACCOUNT_KEY_REFUSED && !a->problem[0]) {
        snprintf(a->problem, sizeof a->problem, "Kombo does not know this integration ID: %s",
                 r->message);
    }
    drop(&a->integ_t);
    return true;
}

static bool step_restrictions(struct account *a, int i)
{
    const struct transfer_result *r = done(a->restr_t[i]);
    if (!r)
        return false;
    char err[200];
    /* what cannot be read is not known, and what is not known never refuses */
    if (r->outcome == TRANSFER_OK && restrict_parse(r->json, &a->restr[i], err, sizeof err) == 0)
        a->have_restr[i] = true;
    else if (r->outcome == TRANSFER_OK)
        restrict_free(&a->restr[i]);
    drop(&a->restr_t[i]);
    return true;
}

bool account_step(struct account *a)
{
    bool changed = false;
    if (a->key_t && !a->probing)
        changed |= step_key(a);
    changed |= step_probe(a);
    changed |= step_integration(a);
    changed |= step_restrictions(a, KREAD_TO_APPLICATION);
    changed |= step_restrictions(a, KREAD_TO_CANDIDATE);
    return changed;
}

const struct restrictions *account_restrictions(const struct account *a, enum kread_target t)
{
    return a->have_restr[t] ? &a->restr[t] : NULL;
}
