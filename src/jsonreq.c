/* The JSON kind of transfer. A GET (or any request without a file) can be repeated
 * safely, so every connection error is retried (failmsg.c). */
#include "jsonreq.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exitcodes.h"
#include "kombo.h"
#include "transfer_priv.h"
#include "xalloc.h"

struct jsonreq {
    char *method;
    char *body;
};

static bool jsonreq_setup(struct transfer *t, CURL *e)
{
    struct jsonreq *j = t->kind_data;
    bool ok = true;
    if (j->body) {
        ok = ok && curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)strlen(j->body)) == CURLE_OK;
        ok = ok && curl_easy_setopt(e, CURLOPT_POSTFIELDS, j->body) == CURLE_OK;
    } else if (strcmp(j->method, "GET") == 0) {
        ok = ok && curl_easy_setopt(e, CURLOPT_HTTPGET, 1L) == CURLE_OK;
    }
    if (strcmp(j->method, "GET") != 0 && strcmp(j->method, "POST") != 0)
        ok = ok && curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, j->method) == CURLE_OK;
    else if (strcmp(j->method, "GET") == 0 && j->body)
        ok = ok && curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, "GET") == CURLE_OK;
    return ok;
}

static void jsonreq_answered(struct transfer *t)
{
    cJSON_Delete(t->result.json);
    t->result.json = cJSON_ParseWithLength(t->resp ? t->resp : "", t->resp_len);
}

static void jsonreq_cancelled(struct transfer *t, char *out, size_t outlen)
{
    struct jsonreq *j = t->kind_data;
    if (t->state == TRANSFER_WAITING_RETRY)
        snprintf(out, outlen, "%s cancelled while waiting to retry (after %d attempt%s)", j->method,
                 t->attempt, t->attempt == 1 ? "" : "s");
    else
        snprintf(out, outlen, "%s cancelled", j->method);
}

static void jsonreq_free(struct transfer *t)
{
    struct jsonreq *j = t->kind_data;
    if (!j)
        return;
    free(j->method);
    free(j->body);
    free(j);
}

static const struct transfer_kind jsonreq_kind = {
    .noun = "request",
    .sends_file = false,
    .answer_keep = JSONREQ_ANSWER_MAX,
    .setup = jsonreq_setup,
    .answered = jsonreq_answered,
    .cancelled = jsonreq_cancelled,
    .free = jsonreq_free,
};

struct transfer *jsonreq_start(struct client *c, const struct json_request *r, int *code,
                               char *err, size_t errlen)
{
    const char *problem = NULL;
    char *url = kombo_url(client_base_url(c), r->segments, r->query, &problem);
    if (!url) {
        if (code)
            *code = KA_EXIT_USAGE;
        snprintf(err, errlen, "%s", problem);
        return NULL;
    }
    struct jsonreq *j = xcalloc(1, sizeof *j);
    j->method = xstrdup(r->method ? r->method : "GET");
    j->body = r->body ? xstrdup(r->body) : NULL;
    return transfer_launch(c, &jsonreq_kind, j, url, r->integration_id, r->counts,
                           j->body ? "application/json" : NULL, j->body ? strlen(j->body) : 0,
                           code, err, errlen);
}
