/* The upload kind of transfer: the streaming body (body.c) as libcurl's read callback. */
#include "upload.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attachment.h"
#include "body.h"
#include "exitcodes.h"
#include "format.h"
#include "kombo.h"
#include "transfer_priv.h"
#include "xalloc.h"

/* The kind's data: the body and a copy of what was asked (the caller's attachment may be
 * gone by the time the history is written). */
struct upload {
    struct body *body;
    char *path, *name, *type, *content_type, *candidate_id, *candidate_name;
    char *application_id, *job_name;
    char sha256[65];             /* given by the caller, or "" */
    uint64_t size;
    uint64_t handed;             /* body bytes given to libcurl this attempt */
    int (*body_out)(void *cls, char *err, size_t errlen);
    void *body_out_cls;
};

static struct body *body_of(struct transfer *t)
{
    return ((struct upload *)t->kind_data)->body;
}

static size_t read_cb(char *buf, size_t size, size_t nitems, void *userp)
{
    struct transfer *t = userp;
    if (t->cancelled)
        return CURL_READFUNC_ABORT;
    struct upload *u = t->kind_data;
    size_t n = body_read(u->body, buf, size * nitems);
    if (n == BODY_READ_ERROR) {
        t->kind_failed = true;
        snprintf(t->kind_error, sizeof t->kind_error, "%s", body_error(u->body));
        return CURL_READFUNC_ABORT;
    }
    /* The last bytes are handed over only once the caller has noted that they are about
     * to go (the batch's journal): if that note fails, the server gets a short body and
     * acts on nothing. */
    uint64_t before = u->handed;
    u->handed += n;
    if (n && before < t->total && u->handed >= t->total) {
        if (u->body_out && u->body_out(u->body_out_cls, t->kind_error, sizeof t->kind_error) != 0) {
            t->kind_failed = true;
            return CURL_READFUNC_ABORT;
        }
        t->body_handed = true;
    }
    return n;
}

/* libcurl rewinds on its own when it must send the body again on the same attempt
 * (e.g. a reused connection that turned out dead). Only "back to 0" makes sense. */
static int seek_cb(void *userp, curl_off_t offset, int origin)
{
    struct transfer *t = userp;
    if (origin != SEEK_SET || offset != 0)
        return CURL_SEEKFUNC_CANTSEEK;
    if (body_rewind(body_of(t)) != 0) {
        t->kind_failed = true;
        snprintf(t->kind_error, sizeof t->kind_error, "%s", body_error(body_of(t)));
        return CURL_SEEKFUNC_FAIL;
    }
    t->sent = 0;
    t->body_handed = false;
    ((struct upload *)t->kind_data)->handed = 0;
    return CURL_SEEKFUNC_OK;
}

static bool upload_setup(struct transfer *t, CURL *e)
{
    bool ok = true;
    ok = ok && curl_easy_setopt(e, CURLOPT_POST, 1L) == CURLE_OK;
    ok = ok && curl_easy_setopt(e, CURLOPT_READFUNCTION, read_cb) == CURLE_OK;
    ok = ok && curl_easy_setopt(e, CURLOPT_READDATA, t) == CURLE_OK;
    ok = ok && curl_easy_setopt(e, CURLOPT_SEEKFUNCTION, seek_cb) == CURLE_OK;
    ok = ok && curl_easy_setopt(e, CURLOPT_SEEKDATA, t) == CURLE_OK;
    ok = ok && curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)t->total) == CURLE_OK;
    return ok;
}

static int upload_rewind(struct transfer *t, char *err, size_t errlen)
{
    ((struct upload *)t->kind_data)->handed = 0;
    t->body_handed = false;
    if (body_rewind(body_of(t)) == 0)
        return 0;
    snprintf(err, errlen, "%s", body_error(body_of(t)));
    return -1;
}

static void upload_cancelled(struct transfer *t, char *out, size_t outlen)
{
    char sent[32], total[32];
    fmt_bytes(t->sent, sent, sizeof sent);
    fmt_bytes(t->total, total, sizeof total);
    if (t->state == TRANSFER_WAITING_RETRY)
        snprintf(out, outlen, "cancelled while waiting to retry (after %d attempt%s)", t->attempt,
                 t->attempt == 1 ? "" : "s");
    else if (t->state == TRANSFER_WAITING_ANSWER || t->body_handed)   /* retry: said above */
        snprintf(out, outlen, "cancelled while waiting for the answer; the whole file was sent and "
                 "may have been attached");
    else if (t->state == TRANSFER_QUEUED)
        snprintf(out, outlen, "cancelled before sending");
    else
        snprintf(out, outlen, "cancelled after sending %s of %s (attempt %d); the server did not "
                 "get the whole file", sent, total, t->attempt);
}

static void upload_free_kind(struct transfer *t)
{
    struct upload *u = t->kind_data;
    if (!u)
        return;
    if (u->body)
        body_close(u->body);
    free(u->path);
    free(u->name);
    free(u->type);
    free(u->content_type);
    free(u->candidate_id);
    free(u->candidate_name);
    free(u->application_id);
    free(u->job_name);
    free(u);
}

static const struct transfer_kind upload_kind = {
    .noun = "upload",
    .sends_file = true,
    .answer_keep = 256 * 1024,
    .setup = upload_setup,
    .rewind = upload_rewind,
    .cancelled = upload_cancelled,
    .free = upload_free_kind,
};

char *upload_url(const char *base_url, const char *candidate_id, const char *application_id,
                 char *err, size_t errlen)
{
    bool app = application_id != NULL;
    const char *id = app ? application_id : candidate_id;
    const char *problem = kombo_check_path_id(app ? "application" : "candidate", id);
    const char *segs[] = {"ats", app ? "applications" : "candidates", id, "attachments", NULL};
    char *url = problem ? NULL : kombo_url(base_url, segs, NULL, &problem);
    if (!url)
        snprintf(err, errlen, "%s", problem);
    return url;
}

static struct transfer *refuse(int *code, int value, char *err, size_t errlen, const char *msg)
{
    if (code)
        *code = value;
    snprintf(err, errlen, "%s", msg);
    return NULL;
}

struct transfer *upload_start(struct client *c, const struct upload_request *req, int *code,
                              char *err, size_t errlen)
{
    char buf[600];
    if (!c || !req || !req->att)
        return refuse(code, KA_EXIT_INTERNAL, err, errlen, "internal error: no request");
    char *url = upload_url(client_base_url(c), req->candidate_id, req->application_id, buf,
                           sizeof buf);
    if (!url)
        return refuse(code, KA_EXIT_USAGE, err, errlen, buf);
    int bc = KA_EXIT_FILE;
    struct body *b = body_open(req->att, req->remote_fields, &bc, buf, sizeof buf);
    if (!b) {
        free(url);
        return refuse(code, bc, err, errlen, buf);
    }
    if (req->want_sha256 && body_want_sha256(b) != 0) {
        body_close(b);
        free(url);
        return refuse(code, KA_EXIT_INTERNAL, err, errlen, "could not set up SHA-256");
    }
    struct upload *u = xcalloc(1, sizeof *u);
    u->body = b;
    u->path = xstrdup(req->att->path);
    u->name = xstrdup(req->att->name);
    u->type = xstrdup(att_type_name(req->att->type));
    u->content_type = xstrdup(req->att->content_type);
    u->candidate_id = req->candidate_id ? xstrdup(req->candidate_id) : NULL;
    u->application_id = req->application_id ? xstrdup(req->application_id) : NULL;
    u->job_name = req->job_name ? xstrdup(req->job_name) : NULL;
    u->candidate_name = req->candidate_name ? xstrdup(req->candidate_name) : NULL;
    if (req->sha256)
        snprintf(u->sha256, sizeof u->sha256, "%s", req->sha256);
    u->size = req->att->size;
    u->body_out = req->body_out;
    u->body_out_cls = req->body_out_cls;
    return transfer_launch(c, &upload_kind, u, url, NULL, true, "application/json",
                           body_length(b), code, err, errlen);
}

bool upload_sha256_hex(const struct transfer *t, char out[65])
{
    if (!t || t->kind != &upload_kind)
        return false;
    const struct upload *u = t->kind_data;
    if (u->sha256[0]) {
        memcpy(out, u->sha256, 65);
        return true;
    }
    return body_sha256_hex(u->body, out);
}

bool upload_get_info(const struct transfer *t, struct upload_info *out)
{
    if (!t || t->kind != &upload_kind)
        return false;
    const struct upload *u = t->kind_data;
    const struct client_options *o = client_options(t->client);
    *out = (struct upload_info){
        .path = u->path, .size = u->size, .name = u->name, .type = u->type,
        .content_type = u->content_type, .candidate_id = u->candidate_id,
        .candidate_name = u->candidate_name, .application_id = u->application_id,
        .job_name = u->job_name, .base_url = o->base_url, .server_label = o->label,
        .integration_id = t->integration_id, .sandbox = o->sandbox,
    };
    return true;
}
