/* The progress screen: draws how the batch goes, from the batch and what sender.c says of
 * each file after its last wait. It never touches the network itself. One file has the
 * view below; several files at once have progress_many.c's. */
#include "progress.h"
#include "progress_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "clock.h"
#include "draw.h"
#include "format.h"
#include "theme.h"

#define REDRAW_INTERVAL 0.1   /* seconds: about ten frames a second is plenty for a bar */

enum progress_action { PR_CANCEL };

static const struct binding run_keys[] = {
    { { KEY_ESC, 'c', 0 }, "Esc", "cancel", PR_CANCEL, "stop: the files in flight at once, "
      "the files not started are not sent" },
    { { '?', KC(KEY_F(1)), 0 }, "?", "keys", KEYS_HELP, "this list of keys" },
};

/* Every table of the screen, for the man page's check (help.h). */
const struct help_section progress_doc[] = {
    { "Sending", run_keys, sizeof run_keys / sizeof run_keys[0] },
    { NULL, NULL, 0 },
};

static const struct binding *progress_bindings(const struct app *a, size_t *n)
{
    /* once cancelling, the title says so and there is nothing more to press */
    bool c = a->sender.b.cancelling;
    *n = c ? 1 : 2;
    return c ? run_keys + 1 : run_keys;
}

/* When the send is over (or never got going: every file refused), the result shows. */
static struct ui_intent progress_idle(struct app *a, unsigned sent)
{
    if (!sender_busy(&a->sender))
        return ui_goto(SCR_RESULT);
    /* one file: its end is the news; several end all the time: the clock decides */
    if ((sent & SENDER_FILE_DONE) && a->sender.b.n == 1)
        return ui_intent(UI_INTENT_REDRAW);
    /* redraw at most ~10 times a second however often the network wakes us */
    if (clock_now() - a->progress.last_draw >= REDRAW_INTERVAL)
        return ui_intent(UI_INTENT_REDRAW);
    return ui_intent(UI_INTENT_NONE);
}

static struct ui_intent progress_enter(struct app *a, const struct ui_intent *why)
{
    (void)why;
    a->progress.last_draw = 0;
    return sender_busy(&a->sender) ? ui_intent(UI_INTENT_NONE) : ui_goto(SCR_RESULT);
}

static struct ui_intent progress_key(struct app *a, int key)
{
    (void)a;
    if (keys_find(run_keys, sizeof run_keys / sizeof run_keys[0], key) == PR_CANCEL)
        return ui_intent(UI_INTENT_CANCEL);
    return ui_intent(UI_INTENT_NONE);
}

void progress_bar(int y, int x, int w, double frac)
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

const char *progress_glyph(const struct batch_file *f, bool in_flight, enum role *r)
{
    const struct glyphs *g = theme_glyphs();
    switch (batch_verdict(f)) {
    case BV_RUNNING:
        if (in_flight) {
            *r = ROLE_LABEL;
            return g->focus;
        }
        *r = ROLE_DIM;
        return " ";
    case BV_PENDING: *r = ROLE_DIM; return " ";
    case BV_SKIPPED: *r = ROLE_DIM; return "-";
    case BV_REFUSED: *r = ROLE_ERROR; return g->err;
    case BV_OK:
    case BV_FOUND:
    case BV_ALREADY: *r = ROLE_OK; return g->ok;
    case BV_CANCELLED: *r = ROLE_WARNING; return g->err;
    case BV_UNKNOWN: *r = ROLE_UNKNOWN; return g->unknown;
    case BV_FAILED: *r = ROLE_ERROR; return g->err;
    }
    *r = ROLE_NORMAL;
    return " ";
}

/* The moment an item's interrupted upload is given up on: a clock time people can read. */
static void settle_words(time_t until, bool brief, char *buf, size_t len)
{
    struct tm tm;
    char t[16] = "";
    if (until && localtime_r(&until, &tm))
        strftime(t, sizeof t, "%H:%M:%S", &tm);
    snprintf(buf, len, "%s%s%s", brief ? "settling" : "waiting for an interrupted upload to show",
             t[0] ? (brief ? " until " : ", until ") : "", t);
}

void progress_item_words(const struct sender_live *l, bool brief, char *buf, size_t len)
{
    if (l->hashing) {
        snprintf(buf, len, "%s", brief ? "reading" : "reading the file for the history");
        return;
    }
    switch (l->activity) {
    case BULK_WAITING: snprintf(buf, len, "waiting for its turn"); return;
    case BULK_CHECKING:
        snprintf(buf, len, "%s", brief ? "checking" : "checking the candidate's attachments");
        return;
    case BULK_SETTLING: settle_words(l->settle_until, brief, buf, len); return;
    case BULK_DECIDED: snprintf(buf, len, "done"); return;
    case BULK_SENDING: break;
    }
    switch (l->pr.state) {
    case TRANSFER_QUEUED: snprintf(buf, len, "%s", brief ? "queued" : "waiting for a free slot"); break;
    case TRANSFER_CONNECTING: snprintf(buf, len, "connecting"); break;
    case TRANSFER_SENDING: snprintf(buf, len, "sending"); break;
    case TRANSFER_WAITING_ANSWER:
        snprintf(buf, len, "%s", brief ? "answer..." : "waiting for Kombo's answer");
        break;
    case TRANSFER_WAITING_RETRY:
        snprintf(buf, len, "%s %ld s", brief ? "retry in" : "retrying in", (l->pr.wait_ms + 999) / 1000);
        break;
    case TRANSFER_FINISHED: snprintf(buf, len, "finishing"); break;
    }
}

/* What the file's upload is doing, in words (before it runs: what the engine does first). */
static void state_text(const struct sender_live *l, char *buf, size_t len)
{
    const struct transfer_progress *pr = &l->pr;
    double waited = l->answer_wait;
    char t[32];
    if (l->hashing || l->activity == BULK_CHECKING || l->activity == BULK_SETTLING) {
        progress_item_words(l, false, buf, len);
        return;
    }
    switch (pr->state) {
    case TRANSFER_QUEUED: snprintf(buf, len, "waiting for a free slot"); break;
    case TRANSFER_CONNECTING: snprintf(buf, len, "connecting"); break;
    case TRANSFER_SENDING: snprintf(buf, len, "sending"); break;
    case TRANSFER_WAITING_ANSWER:
        /* the bar is full: what is left is Kombo's, and how long that takes is news */
        fmt_duration(waited, t, sizeof t);
        snprintf(buf, len, "all sent, waiting for Kombo's answer (%s so far)", t);
        break;
    case TRANSFER_WAITING_RETRY:
        snprintf(buf, len, "retrying in %.1f s %s previous attempt: %s", (double)pr->wait_ms / 1000.0,
                 theme_glyphs()->dash, pr->last_problem ? pr->last_problem : "failed");
        break;
    case TRANSFER_FINISHED: snprintf(buf, len, "finishing"); break;
    }
}

/* One file: its name, its bar and numbers, what its upload does. */
static void draw_one(struct app *a)
{
    const struct batch *b = &a->sender.b;
    struct sender_live live;
    sender_live(&a->sender, 0, &live);
    const struct transfer_progress *pr = &live.pr;
    const struct rect *ar = &a->layout.body;
    const struct batch_file *f = &b->files[0];

    int x = 2, w = ar->w - 4, y = ar->y + 1;
    int bottom = ar->y + ar->h;
    char buf[600], s1[32], s2[32], s3[32];

    int lw = draw_put(y, x, w, b->cancelling ? "Cancelling " : "Sending ", theme_attr(ROLE_LABEL));
    draw_put_cut(y, x + lw, w - lw, f->display_name, theme_attr(ROLE_NORMAL), TEXT_CUT_MIDDLE);
    y++;
    /* on a narrow screen the ID is cut in its middle, not the words around it */
    snprintf(buf, sizeof buf, " as %s", att_type_name(f->type));
    char *to = text_fit_around("to candidate ", b->candidate, buf, w, TEXT_CUT_MIDDLE);
    draw_put(y++, x, w, to, theme_attr(ROLE_DIM));
    free(to);
    y++;

    /* one unit everywhere: the file's bytes, as the picker and the form show its size */
    struct batch_numbers num;
    batch_numbers(f->att_ok ? f->att.size : 0, pr, &num);
    progress_bar(y++, x, w, num.frac);

    fmt_bytes(num.done, s1, sizeof s1);
    fmt_bytes(num.of, s2, sizeof s2);
    snprintf(buf, sizeof buf, "%s of %s", s1, s2);
    int cx = x + draw_put(y, x, w, buf, theme_attr(ROLE_NORMAL));
    fmt_duration(pr->elapsed_s, s3, sizeof s3);
    if (num.sending) {
        fmt_rate(num.rate, s1, sizeof s1);
        fmt_duration(pr->eta_s, s2, sizeof s2);
        snprintf(buf, sizeof buf, "   %s   ETA %s   elapsed %s", s1, s2, s3);
    } else {
        snprintf(buf, sizeof buf, "   elapsed %s", s3);
    }
    draw_put(y++, cx, x + w - cx, buf, theme_attr(ROLE_DIM));
    y++;

    if (pr->attempt > 1 || pr->state == TRANSFER_WAITING_RETRY) {
        snprintf(buf, sizeof buf, "attempt %d of %d",
                 pr->state == TRANSFER_WAITING_RETRY ? pr->attempt + 1 : pr->attempt, pr->max_attempts);
        draw_put(y++, x, w, buf, theme_attr(ROLE_WARNING));
    }
    state_text(&live, buf, sizeof buf);
    char **lines;
    size_t n = text_wrap(buf, w, &lines);
    for (size_t i = 0; i < n && y < bottom; i++)
        draw_put(y++, x, w, lines[i], theme_attr(pr->state == TRANSFER_WAITING_RETRY ? ROLE_WARNING : ROLE_NORMAL));
    draw_lines_free(lines, n);
}

static void progress_draw(struct app *a)
{
    a->progress.last_draw = clock_now();
    if (!a->sender.b.running)
        return;
    if (a->sender.b.n == 1)
        draw_one(a);
    else
        progress_draw_many(a);
}

const struct screen_ops progress_ops = {
    .enter = progress_enter,
    .draw = progress_draw,
    .key = progress_key,
    .idle = progress_idle,
    .bindings = progress_bindings,
};
