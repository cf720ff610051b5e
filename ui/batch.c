/* See batch.h. */
#include "batch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exitcodes.h"
#include "sendable.h"
#include "termsafe.h"
#include "xalloc.h"

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

void batch_init(struct batch *b, const struct batch_spec *spec, int max_attempts)
{
    memset(b, 0, sizeof *b);
    b->candidate = xstrdup(spec->candidate);
    b->candidate_name = spec->candidate_name ? xstrdup(spec->candidate_name) : NULL;
    b->application_id = spec->application_id ? xstrdup(spec->application_id) : NULL;
    b->job_name = spec->job_name ? xstrdup(spec->job_name) : NULL;
    b->ctype = spec->ctype ? xstrdup(spec->ctype) : NULL;
    b->max_attempts = max_attempts;
    b->force = spec->force;
    b->files = xcalloc(spec->n, sizeof *b->files);
    b->n = spec->n;
    for (size_t i = 0; i < spec->n; i++) {
        struct batch_file *f = &b->files[i];
        f->path = xstrdup(spec->paths[i]);
        const char *name = spec->name ? spec->name : spec->names ? spec->names[i] : NULL;
        f->name = name ? xstrdup(name) : NULL;
        f->display_name = xstrdup(name ? name : base_name(spec->paths[i]));
        f->type = spec->types ? spec->types[i] : spec->type;
        if (spec->sha256 && spec->sha256[i])
            snprintf(f->sha256, sizeof f->sha256, "%s", spec->sha256[i]);
        if (spec->picked && spec->picked[i]) {
            f->picked = *spec->picked[i];
            f->have_picked = true;
        }
        f->state = BF_PENDING;
    }
}

/* Back to "not sent yet"; the name stays as it was shown. */
static void file_reset(struct batch_file *f)
{
    if (f->att_ok)
        attachment_free(&f->att);
    f->att_ok = false;
    f->state = BF_PENDING;
    f->refused_code = 0;
    f->refused[0] = '\0';
    f->result = NULL;
    f->wire = 0;
    f->elapsed_s = 0;
}

void batch_free(struct batch *b)
{
    for (size_t i = 0; i < b->n; i++) {
        file_reset(&b->files[i]);
        free(b->files[i].path);
        free(b->files[i].display_name);
        free(b->files[i].name);
    }
    free(b->files);
    free(b->candidate);
    free(b->candidate_name);
    free(b->application_id);
    free(b->job_name);
    free(b->ctype);
    memset(b, 0, sizeof *b);
}

void batch_refuse(struct batch_file *f, int code, const char *msg)
{
    f->state = BF_REFUSED;
    f->refused_code = code;
    snprintf(f->refused, sizeof f->refused, "%s", msg);
}

bool batch_prepare(struct batch *b, size_t i, uint64_t max_size)
{
    struct batch_file *f = &b->files[i];
    char err[512];
    /* The UI's own words first (advice the user can follow here: no --name, no chmod on
     * someone else's file); the attachment's checks then catch what is left. */
    if (sendable_check(f->path, max_size, err, sizeof err) != SENDABLE_OK) {
        batch_refuse(f, KA_EXIT_FILE, err);
        return false;
    }
    int code = attachment_init(&f->att, f->path, f->name, f->type, b->ctype, err, sizeof err);
    if (code == 0) {
        f->att_ok = true;
        code = att_check_size(f->att.size, max_size, NULL, err, sizeof err);
    }
    /* What goes out is the file that was picked: a file put in its place since (a symlink
     * to a secret, a rewrite) is refused, not sent. attachment_init's identity is of what
     * it opened, which the upload then holds to. */
    const char *how = code == 0 && f->have_picked ? att_identity_changed(&f->picked, &f->att.id) : NULL;
    if (how) {
        char *shown = ts_escape(f->display_name, strlen(f->display_name), TS_ONE_LINE);
        snprintf(err, sizeof err, "%s was %s since it was picked: nothing sent; pick it again "
                 "(Esc) to send it as it is now", shown, how);
        free(shown);
        code = KA_EXIT_FILE;
    }
    if (code != 0)
        batch_refuse(f, code, err);
    return code == 0;
}

void batch_hand_over(struct batch_file *f)
{
    f->state = BF_RUNNING;
}

void batch_begin(struct batch *b)
{
    b->running = true;
    b->cancelling = false;
}

void batch_finish(struct batch_file *f, const struct transfer_result *r, uint64_t wire,
                  double elapsed_s)
{
    f->state = BF_DONE;
    f->result = r;
    f->wire = wire;
    f->elapsed_s = elapsed_s;
}

void batch_decide(struct batch_file *f, enum bf_state s, int code, const char *msg)
{
    f->state = s;
    f->refused_code = code;
    snprintf(f->refused, sizeof f->refused, "%s", msg ? msg : "");
}

bool batch_cancel(struct batch *b)
{
    if (!b->running || b->cancelling)
        return false;
    b->cancelling = true;
    return true;
}

void batch_end(struct batch *b)
{
    for (size_t i = 0; i < b->n; i++)
        if (b->files[i].state == BF_RUNNING)
            b->files[i].state = BF_SKIPPED;
    b->running = false;
    b->cancelling = false;
}

size_t batch_decided_count(const struct batch *b)
{
    size_t n = 0;
    for (size_t i = 0; i < b->n; i++)
        n += b->files[i].state != BF_PENDING && b->files[i].state != BF_RUNNING;
    return n;
}

enum bf_verdict batch_verdict(const struct batch_file *f)
{
    switch (f->state) {
    case BF_PENDING: return BV_PENDING;
    case BF_RUNNING: return BV_RUNNING;
    case BF_SKIPPED: return BV_SKIPPED;
    case BF_REFUSED: return BV_REFUSED;
    case BF_FOUND: return BV_FOUND;
    case BF_ALREADY: return BV_ALREADY;
    /* the engine's checks of what an earlier run did could not finish: it may be there */
    case BF_UNSENT: return f->refused_code == KA_EXIT_UNKNOWN ? BV_UNKNOWN : BV_FAILED;
    case BF_DONE: break;
    }
    if (f->result && f->result->outcome == TRANSFER_OK)
        return BV_OK;
    if (f->result && f->result->outcome == TRANSFER_UNKNOWN)
        return BV_UNKNOWN;
    return f->result && f->result->outcome == TRANSFER_CANCELLED ? BV_CANCELLED : BV_FAILED;
}

bool batch_file_ok(const struct batch_file *f)
{
    enum bf_verdict v = batch_verdict(f);
    return v == BV_OK || v == BV_FOUND || v == BV_ALREADY;
}

size_t batch_ok_count(const struct batch *b)
{
    size_t ok = 0;
    for (size_t i = 0; i < b->n; i++)
        ok += batch_file_ok(&b->files[i]);
    return ok;
}

bool batch_has_failures(const struct batch *b)
{
    return batch_ok_count(b) < b->n;
}

size_t batch_first_problem(const struct batch *b)
{
    for (size_t i = 0; i < b->n; i++)
        if (!batch_file_ok(&b->files[i]))
            return i;
    return 0;
}

static const char *outcome_text(enum transfer_outcome o)
{
    switch (o) {
    case TRANSFER_OK: return "attached";
    case TRANSFER_REJECTED: return "rejected by Kombo";
    case TRANSFER_SERVER: return "server error";
    case TRANSFER_NETWORK: return "network error";
    case TRANSFER_FILE: return "file problem";
    case TRANSFER_CANCELLED: return "cancelled";
    case TRANSFER_INTERNAL: return "internal error";
    case TRANSFER_UNKNOWN: return "may have been attached";
    }
    return "unknown";
}

void batch_file_outcome(const struct batch_file *f, char *out, size_t len)
{
    switch (f->state) {
    case BF_REFUSED:
    case BF_UNSENT: snprintf(out, len, "not sent: %s", f->refused); return;
    case BF_SKIPPED: snprintf(out, len, "not sent (cancelled)"); return;
    case BF_FOUND: snprintf(out, len, "already there: an interrupted run sent it"); return;
    case BF_ALREADY: snprintf(out, len, "already attached"); return;
    case BF_PENDING:
    case BF_RUNNING: snprintf(out, len, "not sent"); return;
    case BF_DONE: break;
    }
    const struct transfer_result *r = f->result;
    if (!r)
        snprintf(out, len, "no result");
    else if (r->outcome != TRANSFER_OK && r->answer.err.code)
        snprintf(out, len, "%s: %s", outcome_text(r->outcome), r->answer.err.code);
    else
        snprintf(out, len, "%s", outcome_text(r->outcome));
}

int batch_file_exit_code(const struct batch_file *f)
{
    switch (f->state) {
    case BF_REFUSED: return f->refused_code ? f->refused_code : KA_EXIT_FILE;
    case BF_UNSENT: return f->refused_code ? f->refused_code : KA_EXIT_INTERNAL;
    case BF_FOUND:
    case BF_ALREADY: return KA_EXIT_OK;
    case BF_SKIPPED:
    case BF_PENDING:
    case BF_RUNNING: return KA_EXIT_CANCELLED;
    case BF_DONE: break;
    }
    return f->result ? transfer_exit_code(f->result->outcome) : KA_EXIT_INTERNAL;
}

bool batch_file_retry_helps(const struct batch_file *f)
{
    switch (f->state) {
    case BF_SKIPPED: return true;  /* cancelled before its turn */
    case BF_PENDING: return true;
    case BF_RUNNING:
    case BF_REFUSED:
    case BF_FOUND:
    case BF_ALREADY: return false;
    /* a listing that failed is asked again; a journal that cannot be written would fail again */
    case BF_UNSENT: return f->refused_code == KA_EXIT_UNKNOWN;
    case BF_DONE: break;
    }
    return f->result && f->result->outcome != TRANSFER_OK && f->result->retry_helps;
}

size_t batch_retry_count(const struct batch *b, size_t *unknown)
{
    size_t n = 0, u = 0;
    for (size_t i = 0; i < b->n; i++) {
        if (!batch_file_retry_helps(&b->files[i]))
            continue;
        n++;
        /* only a body that went out whole risks a second copy: a check that failed did not */
        u += batch_verdict(&b->files[i]) == BV_UNKNOWN && b->files[i].result;
    }
    if (unknown)
        *unknown = u;
    return n;
}

size_t batch_retry(struct batch *b)
{
    size_t again = 0;
    for (size_t i = 0; i < b->n; i++) {
        if (!batch_file_retry_helps(&b->files[i]))
            continue;
        if (batch_verdict(&b->files[i]) == BV_UNKNOWN)
            b->files[i].was_unknown = true;
        file_reset(&b->files[i]);
        again++;
    }
    b->cancelling = false;
    return again;
}

void batch_file_bytes(uint64_t file_size, uint64_t sent, uint64_t total, uint64_t *done,
                      uint64_t *of, double *scale)
{
    *scale = total && file_size ? (double)file_size / (double)total : 1.0;
    *of = file_size ? file_size : total;
    /* all of the body sent is all of the file, whatever the rounding of the scale */
    *done = total && sent >= total ? *of : (uint64_t)((double)sent * *scale);
}

void batch_numbers(uint64_t file_size, const struct transfer_progress *pr, struct batch_numbers *out)
{
    double scale;
    memset(out, 0, sizeof *out);
    batch_file_bytes(file_size, pr->sent, pr->total, &out->done, &out->of, &scale);
    switch (pr->state) {
    case TRANSFER_QUEUED:
    case TRANSFER_CONNECTING:
    case TRANSFER_WAITING_RETRY:
        out->done = 0; /* this attempt has sent nothing (yet) */
        break;
    case TRANSFER_SENDING:
        out->sending = true;
        out->rate = pr->rate * scale;
        break;
    case TRANSFER_WAITING_ANSWER:
        out->done = out->of; /* everything is out: always the 100% */
        break;
    case TRANSFER_FINISHED:
        break;
    }
    out->frac = out->of ? (double)out->done / (double)out->of : 0;
    if (pr->state == TRANSFER_WAITING_ANSWER)
        out->frac = 1;
}
