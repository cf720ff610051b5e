/* See result_priv.h: drawing the result screen (the detail lines of a file and the list). */
#include "result.h"
#include "result_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "clock.h"
#include "draw.h"
#include "failmsg.h"
#include "format.h"
#include "kombo_codes.h"
#include "theme.h"
#include "xalloc.h"

/* ---- detail lines --------------------------------------------------------------------- */

struct dline {
    enum role role;
    bool has_label;
    char label[24];
    char *text;
    const char *url;             /* the whole text is this URL (a link), else NULL */
    bool focused;                /* the focused link */
};

struct dlines {
    struct dline *v;
    size_t n, cap;
    int width;    /* columns for label + text */
};

static void dl_push(struct dlines *d, enum role r, const char *label, const char *text)
{
    if (d->n == d->cap) {
        d->cap = d->cap ? d->cap * 2 : 16;
        d->v = xrealloc(d->v, d->cap * sizeof *d->v);
    }
    struct dline *l = &d->v[d->n++];
    l->role = r;
    l->has_label = label != NULL;
    snprintf(l->label, sizeof l->label, "%s", label ? label : "");
    l->text = xstrdup(text);
    l->url = NULL;
    l->focused = false;
}

/* A labelled value, wrapped under its label. */
static void dl_add(struct dlines *d, enum role r, const char *label, const char *text)
{
    if (!text)
        return;
    int indent = label ? LABEL_W + 1 : 0;
    char **lines;
    size_t n = text_wrap(text, d->width - indent, &lines);
    for (size_t i = 0; i < n; i++)
        dl_push(d, r, i == 0 ? (label ? label : NULL) : (label ? "" : NULL), lines[i]);
    draw_lines_free(lines, n);
}

/* A file's path as the user knows it: the home folder written as "~". */
static void dl_add_path(struct dlines *d, const char *path)
{
    char shown[4096];
    text_tilde(path, getenv("HOME"), shown, sizeof shown);
    dl_add(d, ROLE_NORMAL, "File", shown);
}

/* A URL: a link when it fits on its line whole. */
static void dl_add_link(struct dlines *d, const char *label, const char *url, bool focused)
{
    size_t before = d->n;
    dl_add(d, focused ? ROLE_LABEL : ROLE_NORMAL, label, url);
    if (d->n == before + 1 && strcmp(d->v[before].text, url) == 0) {
        d->v[before].url = url;
        d->v[before].focused = focused;
    }
}

static void dl_free(struct dlines *d)
{
    for (size_t i = 0; i < d->n; i++)
        free(d->v[i].text);
    free(d->v);
}

static void fmt_time(double s, char *out, size_t len)
{
    if (s < 60)
        snprintf(out, len, "%.1f s", s);
    else
        fmt_duration(s, out, len);
}

/* What to do about a refusal or an error: Kombo's advice for its code (the one table,
 * kombo_codes.c), else the advice for the HTTP status; and whether a retry would help. */
static void advice(const struct transfer_result *r, struct dlines *d)
{
    const struct answer *an = &r->answer;
    const struct kombo_code_row *row = kombo_code_find(an->err.code);
    const char *todo = row ? row->todo : an->http_status ? failmsg_hint(an->http_status, an->err.code,
                                                                      "the candidate ID") : NULL;
    dl_add(d, ROLE_LABEL, "What to do", todo);
    if (!r->retry_helps && r->outcome != TRANSFER_CANCELLED)
        dl_add(d, ROLE_DIM, "Retry", "would fail the same way: change what is asked first (e: edit)");
}

/* Whether the listing shows the files now: Kombo's answer alone cannot say. */
static void verified_line(const struct app *a, struct dlines *d)
{
    const struct target *t = &a->target;
    const struct glyphs *g = theme_glyphs();
    char buf[800];
    switch (t->verify) {
    case TV_LOOKING:
        dl_add(d, ROLE_DIM, "Verified", "looking for it in the candidate's files...");
        break;
    case TV_VERIFIED:
        snprintf(buf, sizeof buf, "%s verified: in the candidate's files in the ATS", g->ok);
        dl_add(d, ROLE_OK, "Verified", buf);
        break;
    case TV_NOT_SEEN:
        snprintf(buf, sizeof buf, "%s not in the candidate's files yet (%zu of %zu seen)%s%s; the ATS may "
                 "show it later", g->warn, t->n_found, t->n_names, t->verify_error[0] ? ": " : "",
                 t->verify_error);
        dl_add(d, ROLE_WARNING, "Verified", buf);
        break;
    default:
        break;
    }
}

/* The name it has in the ATS and where it went. */
static void target_lines(const struct app *a, const struct batch_file *j, struct dlines *d)
{
    const struct batch *b = &a->sender.b;
    const struct cand_application *ap = result_batch_app(a);
    char buf[640];
    dl_add(d, ROLE_NORMAL, "Name", j->att.name);
    if (b->candidate_name)
        snprintf(buf, sizeof buf, "%s (%s)", b->candidate_name, b->candidate);
    else
        snprintf(buf, sizeof buf, "%s", b->candidate);
    dl_add(d, ROLE_NORMAL, "Candidate", buf);
    if (b->application_id) {
        snprintf(buf, sizeof buf, "%s%s%s%s (%s)", b->job_name ? b->job_name : "an application",
                 ap && ap->stage ? ", " : "", ap && ap->stage ? ap->stage : "", "", b->application_id);
        dl_add(d, ROLE_NORMAL, "Application", buf);
    } else {
        dl_add(d, ROLE_NORMAL, "Application", "none: attached to the candidate");
    }
}

static void details(const struct app *a, const struct batch_file *j, struct dlines *d)
{
    const struct batch *b = &a->sender.b;
    const struct glyphs *g = theme_glyphs();
    char buf[640], s1[32], s2[32];

    if (j->state == BF_REFUSED) {
        dl_add(d, ROLE_ERROR, "Not sent", j->refused);
        dl_add(d, ROLE_NORMAL, "File", j->path);
        return;
    }
    if (j->state == BF_FOUND || j->state == BF_ALREADY) {
        /* attached, not by this send: where it is, and why nothing went out */
        dl_add(d, ROLE_OK, NULL, j->state == BF_FOUND
               ? "Already there: an interrupted earlier run sent it, and the candidate's files "
                 "show it. Not sent again."
               : "Already attached: the history says this file was sent to this target since "
                 "the form checked. Not sent again.");
        dl_add(d, ROLE_DIM, "How", j->refused[0] ? j->refused : NULL);
        target_lines(a, j, d);
        verified_line(a, d);
        dl_add(d, ROLE_NORMAL, "Type", att_type_name(j->att.type));
        fmt_bytes(j->att.size, s1, sizeof s1);
        dl_add(d, ROLE_NORMAL, "Size", s1);
        dl_add_path(d, j->path);
        return;
    }
    if (j->state == BF_UNSENT) {
        bool unsure = batch_verdict(j) == BV_UNKNOWN;
        dl_add(d, unsure ? ROLE_UNKNOWN : ROLE_ERROR, "Not sent", j->refused);
        if (unsure)
            dl_add(d, ROLE_LABEL, "What to do", "an earlier run may have attached it: look at the "
                   "candidate in the ATS, or retry (r), which checks the candidate's files first");
        dl_add_path(d, j->path);
        return;
    }
    if (j->state != BF_DONE || !j->result) {
        dl_add(d, ROLE_DIM, "Not sent", "the batch was cancelled before this file's turn");
        dl_add(d, ROLE_NORMAL, "File", j->path);
        return;
    }
    const struct transfer_result *r = j->result;
    const struct answer *an = &r->answer;
    struct rlink links[3];
    size_t n_links = result_file_links(a, j, links);
    size_t focus = a->result.link < n_links ? a->result.link : 0;
    if (r->outcome == TRANSFER_OK) {
        target_lines(a, j, d);
        verified_line(a, d);
        for (size_t i = 0; i < n_links; i++)
            dl_add_link(d, links[i].label, links[i].url, n_links > 1 && i == focus);
        dl_add(d, ROLE_NORMAL, "Type", att_type_name(j->att.type));
        dl_add(d, ROLE_NORMAL, "Content type", j->att.content_type);
        fmt_bytes(j->att.size, s1, sizeof s1);
        fmt_bytes(j->wire, s2, sizeof s2);
        snprintf(buf, sizeof buf, "%s (%s %s on the wire)", s1, g->approx, s2);
        dl_add(d, ROLE_NORMAL, "Size", buf);
        fmt_time(j->elapsed_s, s1, sizeof s1);
        if (r->attempts > 1)
            snprintf(buf, sizeof buf, "%s, %d attempts", s1, r->attempts);
        else
            snprintf(buf, sizeof buf, "%s", s1);
        dl_add(d, ROLE_NORMAL, "Time", buf);
        dl_add_path(d, j->path);
        if (a->o->send->sandbox && r->stored_at[0]) {
            /* where the sandbox put it: the file can be opened to see what Kombo would get */
            char shown[600];
            text_tilde(r->stored_at, getenv("HOME"), shown, sizeof shown);
            dl_add(d, ROLE_NORMAL, "Stored at", shown);
        }
        if (an->n_warnings) {
            dl_push(d, ROLE_NORMAL, NULL, "");
            snprintf(buf, sizeof buf, "Kombo's warnings (%zu)", an->n_warnings);
            dl_add(d, ROLE_LABEL, NULL, buf);
            for (size_t i = 0; i < an->n_warnings; i++) {
                snprintf(buf, sizeof buf, "%s %s", g->warn, an->warnings[i] ? an->warnings[i] : "");
                dl_add(d, ROLE_WARNING, NULL, buf);
            }
        }
        return;
    }
    if (r->outcome == TRANSFER_UNKNOWN) {
        /* neither "attached" nor "not attached": the one honest answer is to look */
        dl_add(d, ROLE_UNKNOWN, NULL, "Kombo may have attached it: the whole file was sent, and "
               "then no answer could be read.");
        dl_add(d, ROLE_NORMAL, NULL, r->message);
        dl_push(d, ROLE_NORMAL, NULL, "");
        dl_add(d, ROLE_LABEL, "What to do", "look at the candidate in the ATS; send it again (r) only "
               "if the file is not there");
    } else if (an->err.code || an->err.message) {
        /* Kombo's own fields follow in full: a short headline, not the same text twice. */
        if (r->outcome == TRANSFER_REJECTED)
            snprintf(buf, sizeof buf, "Kombo refused the upload (HTTP %ld).", an->http_status);
        else
            snprintf(buf, sizeof buf, "Kombo could not take the upload (HTTP %ld) after %d attempt%s.",
                     an->http_status, r->attempts, r->attempts == 1 ? "" : "s");
        dl_add(d, ROLE_ERROR, NULL, buf);
    } else {
        dl_add(d, r->outcome == TRANSFER_CANCELLED ? ROLE_WARNING : ROLE_ERROR, NULL, r->message);
    }
    if (r->outcome != TRANSFER_UNKNOWN)
        advice(r, d);
    dl_push(d, ROLE_NORMAL, NULL, "");
    dl_add(d, ROLE_NORMAL, "Code", an->err.code);
    dl_add(d, ROLE_NORMAL, "Title", an->err.title);
    dl_add(d, ROLE_NORMAL, "Message", an->err.message);
    for (size_t i = 0; i < n_links; i++)
        dl_add_link(d, links[i].label, links[i].url, n_links > 1 && i == focus);
    dl_add(d, ROLE_NORMAL, "Answer", an->problem);
    if (an->http_status) {
        snprintf(buf, sizeof buf, "%ld", an->http_status);
        dl_add(d, ROLE_NORMAL, "HTTP status", buf);
    }
    snprintf(buf, sizeof buf, "%d of %d", r->attempts, b->max_attempts);
    dl_add(d, ROLE_NORMAL, "Attempts", buf);
    fmt_time(j->elapsed_s, s1, sizeof s1);
    dl_add(d, ROLE_NORMAL, "Time", s1);
    dl_add_path(d, j->path);
}

static void draw_details(struct app *a, const struct batch_file *j, int y, int x, int w, int h)
{
    struct result *r = &a->result;
    struct dlines d = { .width = w };
    details(a, j, &d);
    r->max_scroll = (int)d.n > h ? (int)d.n - h : 0;
    if (r->scroll > r->max_scroll)
        r->scroll = r->max_scroll;
    for (int i = 0; i < h && (size_t)(r->scroll + i) < d.n; i++) {
        const struct dline *l = &d.v[r->scroll + i];
        int tx = x;
        if (l->has_label) {
            draw_put(y + i, x, LABEL_W, l->label, theme_attr(ROLE_LABEL));
            tx += LABEL_W + 1;
        }
        draw_put(y + i, tx, w - (tx - x), l->text, theme_attr(l->role) | (l->focused ? A_UNDERLINE : 0));
        if (l->url)
            links_add(&a->links, y + i, tx, l->url);
    }
    if (r->scroll > 0)
        draw_put(y, x + w, 1, theme_glyphs()->up, theme_attr(ROLE_DIM));
    if (r->scroll < r->max_scroll)
        draw_put(y + h - 1, x + w, 1, theme_glyphs()->down, theme_attr(ROLE_DIM));
    dl_free(&d);
}

/* Before a retry sends again what may have been attached: why that could make a second
 * copy, and what to look at first. Returns the next free row. */
static int draw_confirm(int y, int x, int w, int bottom)
{
    static const char *const text[] = {
        "Send again what may have been attached?",
        "",
        "Kombo received the whole file, but its answer never came (the connection broke, the "
        "answer could not be read, or you cancelled while waiting for it). The file may be in "
        "the ATS already: sending it again could attach it twice.",
        "",
        "Look at the candidate in the ATS first. y: send it again   n: do not",
    };
    for (size_t i = 0; i < sizeof text / sizeof *text && y < bottom; i++) {
        char **lines;
        size_t n = text_wrap(text[i], w, &lines);
        for (size_t k = 0; k < n && y < bottom; k++)
            draw_put(y++, x, w, lines[k], theme_attr(i == 0 ? ROLE_UNKNOWN : i == 4 ? ROLE_LABEL : ROLE_NORMAL));
        draw_lines_free(lines, n);
    }
    return y;
}

void result_draw(struct app *a)
{
    struct result *r = &a->result;
    const struct batch *b = &a->sender.b;
    const struct rect *ar = &a->layout.body;
    const struct glyphs *g = theme_glyphs();
    int x = 2, w = ar->w - 4, y = ar->y + 1, bottom = ar->y + ar->h;
    char buf[640];
    if (b->n == 0)
        return;

    size_t ok = batch_ok_count(b), maybe = 0;
    for (size_t i = 0; i < b->n; i++)
        maybe += batch_verdict(&b->files[i]) == BV_UNKNOWN;
    enum role head_role = ok == b->n ? ROLE_OK : ok ? ROLE_WARNING : ROLE_ERROR;
    const char *glyph = ok == b->n ? g->ok : g->err;
    if (b->n == 1) {
        enum bf_verdict v = batch_verdict(&b->files[0]);
        bool cancelled = v == BV_CANCELLED;
        if (ok && (v == BV_FOUND || v == BV_ALREADY)) /* true, though not by this send */
            snprintf(buf, sizeof buf, "%s Already attached to candidate %s", glyph, b->candidate);
        else if (ok)
            snprintf(buf, sizeof buf, "%s Attached to candidate %s", glyph, b->candidate);
        else if (v == BV_UNKNOWN) /* never "not attached": the server may have it */
            snprintf(buf, sizeof buf, "%s May have been attached to candidate %s", g->unknown, b->candidate);
        else if (cancelled)
            snprintf(buf, sizeof buf, "%s Not attached: cancelled", glyph);
        else
            snprintf(buf, sizeof buf, "%s Not attached", glyph);
        if (cancelled)
            head_role = ROLE_WARNING;
        if (v == BV_UNKNOWN)
            head_role = ROLE_UNKNOWN;
    } else {
        char more[96] = "";
        size_t there = 0, o = 0;
        for (size_t i = 0; i < b->n; i++)
            there += b->files[i].state == BF_FOUND || b->files[i].state == BF_ALREADY;
        if (there) /* counted as attached: they are, though this send did not send them */
            o += (size_t)snprintf(more, sizeof more, ", %zu of them already there", there);
        if (maybe)
            snprintf(more + o, sizeof more - o, ", %zu may have been", maybe);
        snprintf(buf, sizeof buf, "%s %zu of %zu files attached to candidate %s%s", maybe && !ok ? g->unknown : glyph,
                 ok, b->n, b->candidate, more);
        if (maybe && ok + maybe == b->n)
            head_role = ROLE_UNKNOWN;
    }
    /* a narrow screen cuts the candidate ID in its middle, not the words before it */
    char *cand = strstr(buf, b->candidate), *head;
    if (cand) {
        char *after = cand + strlen(b->candidate);
        char before[640];
        snprintf(before, sizeof before, "%.*s", (int)(cand - buf), buf);
        head = text_fit_around(before, b->candidate, after, w, TEXT_CUT_MIDDLE);
    } else {
        head = text_fit(buf, strlen(buf), w, TEXT_CUT_END);
    }
    draw_put(y, x, w, head, theme_attr(head_role) | A_BOLD);
    free(head);
    y += 1;
    /* who and where, in words, and whether the listing shows it: under the headline */
    if (r->notice[0]) {
        draw_put(y, x, w, r->notice, theme_attr(ROLE_LABEL));
    } else if (ok) {
        const struct target *t = &a->target;
        snprintf(buf, sizeof buf, "%s%s%s%s", b->candidate_name ? b->candidate_name : "",
                 b->candidate_name ? (b->application_id ? ", application for " : ", no application")
                                   : (b->application_id ? "application for " : ""),
                 b->application_id ? (b->job_name ? b->job_name : b->application_id) : "",
                 t->verify == TV_VERIFIED ? " - verified" : t->verify == TV_LOOKING ? " - verifying..." :
                 t->verify == TV_NOT_SEEN ? " - not seen in the listing yet" : "");
        draw_put(y, x, w, buf, theme_attr(t->verify == TV_VERIFIED ? ROLE_OK : ROLE_DIM));
    }
    y += ar->h >= 16 ? 2 : 1;
    if (r->confirm_retry) {
        y = draw_confirm(y, x, w, bottom);
        return;
    }

    if (b->n > 1) {
        /* The list takes up to half the room; the selected file's details get the rest. */
        int room = bottom - y;
        int lh = (int)b->n < room / 2 ? (int)b->n : room / 2;
        if (lh < 1)
            lh = 1;
        size_t first = r->sel >= (size_t)lh ? r->sel - (size_t)lh + 1 : 0;
        for (int i = 0; i < lh && first + (size_t)i < b->n; i++) {
            size_t k = first + (size_t)i;
            const struct batch_file *j = &b->files[k];
            bool sel = k == r->sel;
            bool good = batch_file_ok(j), unsure = batch_verdict(j) == BV_UNKNOWN;
            enum role vr = good ? ROLE_OK : unsure ? ROLE_UNKNOWN : ROLE_ERROR;
            attr_t base = sel ? theme_attr(ROLE_SELECTION) : theme_attr(ROLE_NORMAL);
            if (sel)
                draw_fill(y + i, x - 1, w + 2, base);
            draw_put(y + i, x, 1, good ? g->ok : unsure ? g->unknown : g->err,
                     sel ? base | A_BOLD : theme_attr(vr));
            char out[600];
            batch_file_outcome(j, out, sizeof out);
            int nw = (w - 2) / 2;
            draw_put_cut(y + i, x + 2, nw, j->display_name, base, TEXT_CUT_MIDDLE);
            draw_put(y + i, x + 3 + nw, w - 3 - nw, out, sel ? base : theme_attr(good ? ROLE_NORMAL : vr));
        }
        y += lh;
        if (y < bottom) {
            attrset(theme_attr(ROLE_DIM));
            for (int i = 0; i < w; i++)
                mvaddstr(y, x + i, g->hline);
            attrset(A_NORMAL);
            y++;
        }
    }
    if (y < bottom)
        draw_details(a, &b->files[r->sel], y, x, w, bottom - y);
}

