/* The upload screen: runs the batch one file after another through the upload job
 * (upload.h, the only door to the network) and shows how it goes. The loop in app.c calls
 * progress_pump, which lets the job run while also waking for the keyboard. */
#include "screen.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "exitcodes.h"
#include "format.h"
#include "history.h"
#include "upload.h"

#define REDRAW_INTERVAL 0.1   /* seconds: about ten frames a second is plenty for a bar */
#define DEFAULT_ATTEMPTS 4
#define DEFAULT_TIMEOUT_S 300

enum progress_action { PR_CANCEL };

static const struct binding run_keys[] = {
    { { KEY_ESC, 'c', 0 }, "Esc", "cancel", PR_CANCEL },
};

const struct binding *progress_bindings(const struct app *a, size_t *n)
{
    /* once cancelling, the title says so and there is nothing more to press */
    *n = a->batch.cancelling ? 0 : 1;
    return run_keys;
}

static void job_reset(struct job_file *j)
{
    if (j->up)
        upload_free(j->up);
    j->up = NULL;
    if (j->att_ok)
        attachment_free(&j->att);
    j->att_ok = false;
    j->state = JOB_PENDING;
    j->refused[0] = '\0';
    j->refused_code = 0;
    j->wire = 0;
    j->elapsed_s = 0;
}

void progress_free(struct app *a)
{
    struct batch *b = &a->batch;
    for (size_t i = 0; i < b->n; i++) {
        job_reset(&b->files[i]);
        free(b->files[i].path);
        free(b->files[i].display_name);
    }
    free(b->files);
    free(b->candidate);
    free(b->name);
    free(b->ctype);
    memset(b, 0, sizeof *b);
}

static void refuse(struct job_file *j, int code, const char *msg)
{
    j->state = JOB_REFUSED;
    j->refused_code = code;
    snprintf(j->refused, sizeof j->refused, "%s", msg);
}

/* Start the next pending file; when none is left, the batch is over and the result shows. */
static void start_next(struct app *a)
{
    struct batch *b = &a->batch;
    const struct ui_options *o = a->o;
    for (; b->cur < b->n; b->cur++) {
        struct job_file *j = &b->files[b->cur];
        if (j->state != JOB_PENDING)
            continue;
        char err[512];
        int code = attachment_init(&j->att, j->path, b->name, b->type, b->ctype, err, sizeof err);
        if (code != 0) {
            refuse(j, code, err);
            continue;
        }
        j->att_ok = true;
        if ((code = att_check_size(j->att.size, o->max_size, NULL, err, sizeof err)) != 0) {
            refuse(j, code, err);
            continue;
        }
        free(j->display_name);
        j->display_name = strdup(j->att.name);
        struct upload_request req = {
            .base_url = o->base_url,
            .api_key = o->api_key,
            .integration_id = o->integration_id,
            .candidate_id = b->candidate,
            .att = &j->att,
            .remote_fields = NULL,
            .max_attempts = o->max_attempts > 0 ? o->max_attempts : DEFAULT_ATTEMPTS,
            .timeout_s = o->timeout_s > 0 ? o->timeout_s : DEFAULT_TIMEOUT_S,
            .cacert = o->cacert,
            .verbose = false, /* libcurl's debug output would land on the screen */
            .want_sha256 = !o->no_history,
        };
        j->up = upload_start(&req, &code, err, sizeof err);
        if (!j->up) {
            refuse(j, code, err);
            continue;
        }
        j->state = JOB_RUNNING;
        b->running = true;
        return;
    }
    b->running = false;
    b->cancelling = false;
    result_init(a);
    app_goto(a, SCR_RESULT);
}

static void run_batch(struct app *a)
{
    struct batch *b = &a->batch;
    b->cur = 0;
    b->cancelling = false;
    b->started = clock_now();
    b->last_draw = 0;
    app_goto(a, SCR_PROGRESS);
    start_next(a);
}

void progress_start(struct app *a)
{
    struct form *f = &a->form;
    struct batch *b = &a->batch;
    progress_free(a);
    b->files = calloc(f->n_files, sizeof *b->files);
    b->candidate = strdup(f->cand.buf);
    b->type = f->type;
    /* With several files each keeps its own name; an empty type means "detect per file". */
    b->name = f->n_files == 1 ? strdup(f->name.buf) : NULL;
    b->ctype = f->ctype.len ? strdup(f->ctype.buf) : NULL;
    if (!b->files || !b->candidate) {
        snprintf(f->notice, sizeof f->notice, "out of memory");
        progress_free(a);
        return;
    }
    for (size_t i = 0; i < f->n_files; i++) {
        b->files[i].path = strdup(f->files[i].path);
        b->files[i].display_name = strdup(b->name ? b->name : f->files[i].base);
        b->files[i].state = JOB_PENDING;
        if (!b->files[i].path || !b->files[i].display_name)
            break;
        b->n++;
    }
    form_remember_id(f, b->candidate);
    run_batch(a);
}

void progress_retry(struct app *a)
{
    struct batch *b = &a->batch;
    bool any = false;
    for (size_t i = 0; i < b->n; i++) {
        struct job_file *j = &b->files[i];
        const struct upload_result *r = j->up ? upload_get_result(j->up) : NULL;
        if (j->state == JOB_DONE && r && r->outcome == UPLOAD_OK)
            continue; /* attached already: sending it again would make a duplicate */
        job_reset(j);
        any = true;
    }
    if (any)
        run_batch(a);
}

void progress_cancel(struct app *a)
{
    struct batch *b = &a->batch;
    if (!b->running || b->cancelling)
        return;
    b->cancelling = true;
    /* The job stops at its next poll; pump keeps polling until it reports it is finished. */
    upload_cancel(b->files[b->cur].up);
}

unsigned progress_pump(struct app *a, int timeout_ms)
{
    struct batch *b = &a->batch;
    if (!b->running)
        return UI_NONE;
    struct job_file *j = &b->files[b->cur];
    bool ready = false;
    if (upload_poll(j->up, timeout_ms, STDIN_FILENO, &ready)) {
        /* redraw at most ~10 times a second however often the network wakes us */
        return clock_now() - b->last_draw >= REDRAW_INTERVAL ? UI_REDRAW : UI_NONE;
    }
    struct upload_progress pr;
    upload_get_progress(j->up, &pr);
    j->wire = pr.total;
    j->elapsed_s = pr.elapsed_s;
    j->state = JOB_DONE;
    if (!a->o->no_history) {
        /* Failing to write the history must not spoil the upload: note it, go on. */
        struct upload_request req = { .base_url = a->o->base_url, .candidate_id = b->candidate,
                                      .att = &j->att };
        char err[300];
        if (history_record(&req, j->up, err, sizeof err) != 0)
            fprintf(stderr, "kombo-attach: history not written: %s\n", err);
    }
    if (b->cancelling) {
        for (size_t i = b->cur + 1; i < b->n; i++)
            if (b->files[i].state == JOB_PENDING)
                b->files[i].state = JOB_SKIPPED;
    }
    b->cur++;
    start_next(a);
    return UI_REDRAW;
}

unsigned progress_key(struct app *a, int key)
{
    if (keys_find(run_keys, 1, key) == PR_CANCEL) {
        progress_cancel(a);
        return UI_REDRAW;
    }
    return UI_NONE;
}

static void draw_bar(int y, int x, int w, double frac)
{
    const struct glyphs *g = theme_glyphs();
    char pct[8];
    int bw, full, percent;
    layout_bar(w, frac, &bw, &full, &percent);
    if (bw == 0)
        return;
    snprintf(pct, sizeof pct, "%3d%%", percent);
    attrset(theme_attr(ROLE_BAR));
    for (int i = 0; i < full; i++)
        mvaddstr(y, x + i, g->bar_full);
    attrset(theme_attr(ROLE_BAR_EMPTY));
    for (int i = full; i < bw; i++)
        mvaddstr(y, x + i, g->bar_empty);
    attrset(A_NORMAL);
    draw_put(y, x + bw + 1, 4, pct, theme_attr(ROLE_LABEL));
}

static const char *state_glyph(const struct job_file *j, enum role *r)
{
    const struct glyphs *g = theme_glyphs();
    const struct upload_result *res = j->up && j->state == JOB_DONE ? upload_get_result(j->up) : NULL;
    switch (j->state) {
    case JOB_RUNNING: *r = ROLE_LABEL; return g->focus;
    case JOB_PENDING: *r = ROLE_DIM; return " ";
    case JOB_SKIPPED: *r = ROLE_DIM; return "-";
    case JOB_REFUSED: *r = ROLE_ERROR; return g->err;
    case JOB_DONE:
        if (res && res->outcome == UPLOAD_OK) {
            *r = ROLE_OK;
            return g->ok;
        }
        *r = res && res->outcome == UPLOAD_CANCELLED ? ROLE_WARNING : ROLE_ERROR;
        return g->err;
    }
    *r = ROLE_NORMAL;
    return " ";
}

void progress_draw(struct app *a)
{
    struct batch *b = &a->batch;
    const struct rect *ar = &a->body;
    const struct glyphs *g = theme_glyphs();
    b->last_draw = clock_now();
    if (!b->running || b->cur >= b->n)
        return;
    struct job_file *j = &b->files[b->cur];
    struct upload_progress pr;
    upload_get_progress(j->up, &pr);

    int x = 2, w = ar->w - 4, y = ar->y + 1;
    int bottom = ar->y + ar->h;
    char buf[600], s1[32], s2[32], s3[32];

    int rw = 0;
    if (b->n > 1) {
        snprintf(buf, sizeof buf, "file %zu of %zu", b->cur + 1, b->n);
        rw = text_width(buf);
        draw_put_right(y, x + w - rw, rw, buf, theme_attr(ROLE_LABEL));
        rw += 2;
    }
    int lw = draw_put(y, x, w - rw, b->cancelling ? "Cancelling " : "Sending ", theme_attr(ROLE_LABEL));
    draw_put_cut(y, x + lw, w - rw - lw, j->display_name, theme_attr(ROLE_NORMAL), TEXT_CUT_MIDDLE);
    y++;
    snprintf(buf, sizeof buf, "to candidate %s as %s", b->candidate, att_type_name(b->type));
    draw_put(y++, x, w, buf, theme_attr(ROLE_DIM));
    y++;

    double frac = pr.total ? (double)pr.sent / (double)pr.total : 0;
    if (pr.state == UPLOAD_WAITING_ANSWER)
        frac = 1; /* everything is sent: always show the 100% */
    draw_bar(y++, x, w, frac);

    /* In the file's bytes, as the picker and the command line show them: the body is the
     * base64 of the file, a third bigger, which the user never sees. */
    uint64_t size = j->att_ok ? j->att.size : 0;
    double scale = pr.total && size ? (double)size / (double)pr.total : 1.0;
    uint64_t shown = pr.total && pr.sent >= pr.total ? (size ? size : pr.total)
                                                    : (uint64_t)((double)pr.sent * scale);
    fmt_bytes(shown, s1, sizeof s1);
    fmt_bytes(size ? size : pr.total, s2, sizeof s2);
    snprintf(buf, sizeof buf, "%s of %s", s1, s2);
    int cx = x + draw_put(y, x, w, buf, theme_attr(ROLE_NORMAL));
    fmt_rate(pr.rate * scale, s1, sizeof s1);
    fmt_duration(pr.eta_s, s2, sizeof s2);
    fmt_duration(pr.elapsed_s, s3, sizeof s3);
    snprintf(buf, sizeof buf, "   %s   ETA %s   elapsed %s", s1, s2, s3);
    draw_put(y++, cx, x + w - cx, buf, theme_attr(ROLE_DIM));
    y++;

    if (pr.attempt > 1 || pr.state == UPLOAD_WAITING_RETRY) {
        snprintf(buf, sizeof buf, "attempt %d of %d", pr.state == UPLOAD_WAITING_RETRY ? pr.attempt + 1 : pr.attempt,
                 pr.max_attempts);
        draw_put(y++, x, w, buf, theme_attr(ROLE_WARNING));
    }
    switch (pr.state) {
    case UPLOAD_CONNECTING: snprintf(buf, sizeof buf, "connecting"); break;
    case UPLOAD_SENDING: snprintf(buf, sizeof buf, "sending"); break;
    case UPLOAD_WAITING_ANSWER: snprintf(buf, sizeof buf, "all sent, waiting for Kombo's answer"); break;
    case UPLOAD_WAITING_RETRY:
        snprintf(buf, sizeof buf, "retrying in %.1f s %s previous attempt: %s", (double)pr.wait_ms / 1000.0, g->dash,
                 pr.last_problem ? pr.last_problem : "failed");
        break;
    case UPLOAD_FINISHED: snprintf(buf, sizeof buf, "finishing"); break;
    }
    char **lines;
    size_t n = text_wrap(buf, w, &lines);
    for (size_t i = 0; i < n && y < bottom; i++)
        draw_put(y++, x, w, lines[i], theme_attr(pr.state == UPLOAD_WAITING_RETRY ? ROLE_WARNING : ROLE_NORMAL));
    draw_lines_free(lines, n);

    if (b->n > 1 && y + 2 < bottom) {
        y++;
        /* Keep the current file in view in a long list. */
        int rows = bottom - y;
        size_t first = b->cur + 1 > (size_t)rows ? b->cur + 1 - (size_t)rows : 0;
        for (size_t i = first; i < b->n && y < bottom; i++, y++) {
            enum role r;
            const char *gl = state_glyph(&b->files[i], &r);
            draw_put(y, x, 1, gl, theme_attr(r));
            draw_put_cut(y, x + 2, w - 2, b->files[i].display_name,
                       theme_attr(i == b->cur ? ROLE_LABEL : b->files[i].state == JOB_PENDING ? ROLE_DIM : ROLE_NORMAL),
                       TEXT_CUT_MIDDLE);
        }
    }
}
