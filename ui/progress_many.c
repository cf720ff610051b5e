/* The progress screen for several files at once (progress_priv.h): the batch's header and
 * overall numbers in the files' own bytes, how many are in flight and what Kombo allows,
 * one line per file in flight, then every file with its glyph. Reads the batch and the
 * sender only; the rows are given out top to bottom, so a short screen loses the list's
 * tail first, never the numbers. */
#include "progress_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "draw.h"
#include "format.h"

/* The engine works on the file now: it is sent, or what an earlier run did is checked. */
static bool in_flight(const struct sender_live *l)
{
    return l->activity == BULK_SENDING || l->activity == BULK_CHECKING ||
           l->activity == BULK_SETTLING;
}

/* "Sending 7 files to candidate ID" and "3 of 7 done" at the right; on a narrow screen
 * the candidate goes to a line of its own, its ID cut in the middle. Returns the next row. */
static int draw_head(const struct app *a, int y, int x, int w)
{
    const struct batch *b = &a->sender.b;
    char count[64], what[64];
    snprintf(count, sizeof count, "%zu of %zu done", batch_decided_count(b), b->n);
    snprintf(what, sizeof what, "%s %zu files", b->cancelling ? "Cancelling" : "Sending", b->n);
    int rw = text_width(count);
    int ww = text_width(what);
    if (ww + 2 + rw > w)
        rw = 0; /* too narrow for both: the count goes (the list shows it) */
    else
        draw_put_right(y, x + w - rw, rw, count, theme_attr(ROLE_LABEL));
    int room = w - (rw ? rw + 2 : 0);
    int lw = draw_put(y, x, room, what, theme_attr(ROLE_LABEL));
    int idw = text_width(b->candidate);
    if (lw + 14 + idw <= room) {
        draw_put(y, x + lw, room - lw, " to candidate ", theme_attr(ROLE_DIM));
        draw_put(y, x + lw + 14, room - lw - 14, b->candidate, theme_attr(ROLE_NORMAL));
        return y + 1;
    }
    char *to = text_fit_around("to candidate ", b->candidate, "", w, TEXT_CUT_MIDDLE);
    draw_put(y + 1, x, w, to, theme_attr(ROLE_DIM));
    free(to);
    return y + 2;
}

/* Append piece to buf when the line stays within w columns: what does not fit is left
 * out whole, never cut in a word. */
static void put_piece(char *buf, size_t len, int w, const char *piece)
{
    size_t o = strlen(buf);
    if (text_width(buf) + text_width(piece) <= w && o < len)
        snprintf(buf + o, len - o, "%s", piece);
}

/* The bar and "1.2 MiB of 3.0 MiB   200 KiB/s   ETA 9s   elapsed 3s" for the whole batch;
 * a narrow screen keeps the rate and ETA before the elapsed time. */
static int draw_numbers(const struct app *a, int y, int x, int w)
{
    const struct bulk_stats *st = sender_stats(&a->sender);
    char buf[200], piece[64], s1[32], s2[32];
    double frac = st->bytes_total ? (double)st->bytes_done / (double)st->bytes_total : 0;
    progress_bar(y++, x, w, frac > 1 ? 1 : frac);
    fmt_bytes(st->bytes_done, s1, sizeof s1);
    fmt_bytes(st->bytes_total, s2, sizeof s2);
    snprintf(buf, sizeof buf, "%s of %s", s1, s2);
    int cx = x + draw_put(y, x, w, buf, theme_attr(ROLE_NORMAL));
    const char *gap = w >= 60 ? "   " : "  ";
    buf[0] = '\0';
    if (st->rate > 0 && st->eta_s >= 0) {
        fmt_rate(st->rate, s1, sizeof s1);
        snprintf(piece, sizeof piece, "%s%s", gap, s1);
        put_piece(buf, sizeof buf, x + w - cx, piece);
        fmt_duration(st->eta_s, s1, sizeof s1);
        snprintf(piece, sizeof piece, "%sETA %s", gap, s1);
        put_piece(buf, sizeof buf, x + w - cx, piece);
    }
    fmt_duration(st->elapsed_s, s1, sizeof s1);
    snprintf(piece, sizeof piece, "%selapsed %s", gap, s1);
    put_piece(buf, sizeof buf, x + w - cx, piece);
    draw_put(y++, cx, x + w - cx, buf, theme_attr(ROLE_DIM));
    return y;
}

/* Kombo answered at least once: only then is the cap its limit, not the first guess. */
static bool kombo_answered(const struct sender *s)
{
    if (sender_stats(s)->rejected)
        return true;
    for (size_t i = 0; i < s->b.n; i++)
        if (s->b.files[i].state == BF_DONE && s->b.files[i].result &&
            s->b.files[i].result->answer.http_status)
            return true;
    return false;
}

/* "3 in flight, Kombo allows 3": the cap is named when Kombo's limit holds the batch
 * below what was asked, and 429s when there were some. */
static int draw_flight(const struct app *a, int y, int x, int w, size_t flying)
{
    const struct sender *s = &a->sender;
    const struct bulk_stats *st = sender_stats(s);
    char buf[200], piece[80];
    if (s->hashing) {
        snprintf(buf, sizeof buf, "reading the files for the history first");
    } else {
        snprintf(buf, sizeof buf, "%zu in flight", flying);
        if (st->cap > 0 && st->cap < sender_concurrency(s) && kombo_answered(s)) {
            snprintf(piece, sizeof piece, ", Kombo allows %d", st->cap);
            put_piece(buf, sizeof buf, w, piece);
        }
        if (st->rejected) {
            snprintf(piece, sizeof piece, ", %u turned away (429)", st->rejected);
            put_piece(buf, sizeof buf, w, piece);
        }
    }
    draw_put(y++, x, w, buf, theme_attr(s->b.cancelling ? ROLE_WARNING : ROLE_NORMAL));
    return y;
}

/* The name column: as wide as the longest name shown, at most half the width. */
static int name_width(const struct batch *b, int w)
{
    int nw = 0, most = w / 2;
    for (size_t i = 0; i < b->n && nw < most; i++) {
        int t = text_width(b->files[i].display_name);
        if (t > nw)
            nw = t;
    }
    if (nw > most)
        nw = most;
    return nw < 4 ? 4 : nw;
}

/* One line per file in flight: glyph, name, percent, what it does. */
static int draw_items(const struct app *a, int y, int x, int w, int rows, int nw)
{
    const struct batch *b = &a->sender.b;
    for (size_t i = 0; i < b->n && rows > 0; i++) {
        struct sender_live l;
        sender_live(&a->sender, i, &l);
        if (!in_flight(&l))
            continue;
        const struct batch_file *f = &b->files[i];
        char words[200], pct[8] = "";
        enum role r;
        const char *gl = progress_glyph(f, true, &r); /* sets r: not in the same call */
        draw_put(y, x, 1, gl, theme_attr(r));
        draw_put_cut(y, x + 2, nw, f->display_name, theme_attr(ROLE_NORMAL), TEXT_CUT_MIDDLE);
        if (l.activity == BULK_SENDING) {
            struct batch_numbers num;
            batch_numbers(f->att_ok ? f->att.size : 0, &l.pr, &num);
            snprintf(pct, sizeof pct, "%3d%%", (int)(num.frac * 100));
        }
        int px = x + 2 + nw + 1;
        draw_put(y, px, 4, pct, theme_attr(ROLE_LABEL));
        int ww = x + w - px - 6;
        progress_item_words(&l, false, words, sizeof words);
        if (text_width(words) > ww) /* a narrow screen: fewer words, not words cut off */
            progress_item_words(&l, true, words, sizeof words);
        bool warn = l.activity == BULK_SENDING && l.pr.state == TRANSFER_WAITING_RETRY;
        draw_put(y, px + 6, ww, words, theme_attr(warn ? ROLE_WARNING : ROLE_DIM));
        y++;
        rows--;
    }
    return y;
}

/* Every file with its glyph, what came of it or that it waits; the window keeps the first
 * file not decided yet in view, arrows say there is more. */
static void draw_list(const struct app *a, int y, int x, int w, int rows, int nw)
{
    const struct batch *b = &a->sender.b;
    const struct glyphs *g = theme_glyphs();
    if (rows <= 0)
        return;
    size_t fu = 0;
    while (fu < b->n && b->files[fu].state != BF_RUNNING && b->files[fu].state != BF_PENDING)
        fu++;
    size_t r = (size_t)rows;
    size_t first = fu > r / 2 ? fu - r / 2 : 0;
    if (first + r > b->n)
        first = b->n > r ? b->n - r : 0;
    for (size_t i = first; i < b->n && i < first + r; i++, y++) {
        const struct batch_file *f = &b->files[i];
        struct sender_live l;
        sender_live(&a->sender, i, &l);
        enum role gr;
        const char *gl = progress_glyph(f, in_flight(&l), &gr);
        draw_put(y, x, 1, gl, theme_attr(gr));
        bool waiting = f->state == BF_RUNNING || f->state == BF_PENDING;
        draw_put_cut(y, x + 2, nw, f->display_name, theme_attr(waiting && !in_flight(&l) ? ROLE_DIM : ROLE_NORMAL),
                     TEXT_CUT_MIDDLE);
        char out[640];
        if (waiting)
            snprintf(out, sizeof out, "%s", in_flight(&l) ? "" : "waiting");
        else
            batch_file_outcome(f, out, sizeof out);
        int ox = x + 2 + nw + 2;
        draw_put(y, ox, x + w - ox - 1, out, theme_attr(waiting || batch_file_ok(f) ? ROLE_DIM : gr));
        if (i == first && first > 0)
            draw_put(y, x + w - 1, 1, g->up, theme_attr(ROLE_DIM));
        if (i + 1 == first + r && i + 1 < b->n)
            draw_put(y, x + w - 1, 1, g->down, theme_attr(ROLE_DIM));
    }
}

void progress_draw_many(struct app *a)
{
    const struct batch *b = &a->sender.b;
    const struct rect *ar = &a->layout.body;
    int x = 2, w = ar->w - 4, y = ar->y + 1, bottom = ar->y + ar->h;
    bool roomy = ar->h >= 16; /* blank lines between the parts only when there is room */

    y = draw_head(a, y, x, w);
    if (roomy)
        y++;
    if (y + 2 > bottom)
        return;
    y = draw_numbers(a, y, x, w);
    size_t flying = sender_in_flight(&a->sender);
    if (y < bottom)
        y = draw_flight(a, y, x, w, flying);
    int nw = name_width(b, w - 2 - 8);
    if (flying && roomy)
        y++;
    if (flying && y < bottom)
        y = draw_items(a, y, x, w, bottom - y, nw);
    if (roomy)
        y++;
    draw_list(a, y, x, w, bottom - y, nw);
}
