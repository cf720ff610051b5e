/* Drawing the picker: path bar, rows (name, filter match, mark, size, date) and status
 * line, from what picker.c and filelist.c worked out; nothing here stats or reads a file. */
#include "picker_draw.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "draw.h"
#include "format.h"
#include "preview_draw.h"
#include "treesearch.h"
#include "fuzzy.h"
#include "theme.h"
#include "xalloc.h"

/* 20000 as "20,000": a count read at a glance. */
static void fmt_count(size_t n, char *out, size_t len)
{
    char digits[32];
    int l = snprintf(digits, sizeof digits, "%zu", n);
    size_t o = 0;
    for (int i = 0; i < l && o + 2 < len; i++) {
        if (i && (l - i) % 3 == 0)
            out[o++] = ',';
        out[o++] = digits[i];
    }
    out[o] = '\0';
}

static const char *sort_name(enum fl_sort s)
{
    return s == FL_SORT_SIZE ? "size" : s == FL_SORT_DATE ? "date" : "name";
}

static void draw_path_bar(const struct picker *p)
{
    int y = p->path.y, w = p->path.w;
    char right[64];
    snprintf(right, sizeof right, "sort: %s%s ", sort_name(p->sort), p->show_hidden ? ", hidden shown" : "");
    int rw = text_width(right);
    if (rw > w / 2)
        rw = 0;
    char dir[4096];
    text_tilde(fl_dir(p->fl), getenv("HOME"), dir, sizeof dir);
    draw_put_cut(y, 1, w - 2 - rw - 1, dir, theme_attr(ROLE_LABEL), TEXT_CUT_START);
    if (rw)
        draw_put(y, w - rw, rw, right, theme_attr(ROLE_DIM));
}

/* Draw one row's name, cut in the middle when too long (the extension stays in view), and
 * the letters the filter matched highlighted on either side of the ellipsis. */
static void draw_name(int y, int x, int w, struct filelist *fl, const struct fl_entry *e, attr_t at,
                      attr_t match_at)
{
    int nw = e->is_dir ? w - 1 : w;
    if (nw < 1)
        return;
    struct fz_hits h;
    if (!fl_hits(fl, e->name, &h))
        h.n = 0;
    /* where each matched range lands in the fitted name: one fit per range (the same fit
     * every time), a few short names per frame */
    size_t nl = strlen(e->name), from[2 * FZ_HITS_MAX], to[2 * FZ_HITS_MAX], ns = 0;
    struct text_spans sp;
    char *fit = text_fit_spans(e->name, nl, nw, TEXT_CUT_MIDDLE, 0, 0, &sp);
    for (size_t k = 0; k < h.n; k++) {
        free(fit);
        fit = text_fit_spans(e->name, nl, nw, TEXT_CUT_MIDDLE, h.off[k], h.len[k], &sp);
        for (size_t j = 0; j < sp.n && ns < 2 * FZ_HITS_MAX; j++) {
            if (ns && sp.start[j] < to[ns - 1])
                continue; /* ranges come in order; an overlap is an escape already drawn */
            from[ns] = sp.start[j];
            to[ns++] = sp.end[j];
        }
    }
    size_t done = 0;
    move(y, x);
    for (size_t i = 0; i < ns; i++) {
        attrset(at);
        addnstr(fit + done, (int)(from[i] - done));
        attrset(match_at);
        addnstr(fit + from[i], (int)(to[i] - from[i]));
        done = to[i];
    }
    attrset(at);
    addstr(fit + done);
    if (e->is_dir)
        addstr("/");
    attrset(A_NORMAL);
    free(fit);
}

static void draw_row(const struct picker *p, int y, size_t i, bool selected)
{
    struct fl_entry *e = fl_get(p->fl, i);
    const struct glyphs *g = theme_glyphs();
    int w = p->list.w;
    bool show_date = w >= 64, show_size = true;
    int right = (show_size ? 10 : 0) + (show_date ? 17 : 0);

    /* a file that cannot be sent is dimmed and flagged (not by colour alone); the status
     * line says why when it is highlighted */
    bool blocked = !e->is_dir && !picker_entry_ok(p, e);
    attr_t base = selected ? theme_attr(ROLE_SELECTION) : theme_attr(blocked ? ROLE_DIM : ROLE_NORMAL);
    attr_t name_at = base;
    if (selected) {
        if (e->is_dir || e->marked)
            name_at |= A_BOLD;
    } else if (blocked) {
        name_at = theme_attr(ROLE_DIM);
    } else if (e->is_dir) {
        name_at = theme_attr(ROLE_DIR);
    } else if (e->marked) {
        name_at = theme_attr(ROLE_MARKED);
    }
    attr_t match_at = theme_attr(ROLE_MATCH) | (selected && !theme_has_colour() ? A_REVERSE : 0);
    if (selected)
        draw_fill(y, 0, w, base);
    if (e->marked)
        draw_put(y, 1, 1, g->mark, selected ? base | A_BOLD : theme_attr(ROLE_MARKED));
    else if (blocked)
        draw_put(y, 1, 1, g->warn, selected ? base | A_BOLD : theme_attr(ROLE_DIM) | A_BOLD);
    draw_name(y, 3, w - 3 - right - 1, p->fl, e, name_at, match_at);

    int x = w - right;
    char buf[32] = "";
    if (show_size) {
        if (!e->stat_done)
            buf[0] = '\0';
        else if (e->stat_failed)
            snprintf(buf, sizeof buf, "?");
        else if (!e->is_dir)
            fmt_bytes(e->size, buf, sizeof buf);
        draw_put_right(y, x, 9, buf, base);
        x += 10;
    }
    if (show_date && e->stat_done && !e->stat_failed) {
        struct tm tm;
        if (localtime_r(&e->mtime, &tm)) {
            strftime(buf, sizeof buf, "%Y-%m-%d %H:%M", &tm);
            draw_put(y, x, 16, buf, selected ? base : theme_attr(ROLE_DIM));
        }
    }
}

static void draw_status(struct picker *p)
{
    int y = p->stat.y, w = p->stat.w;
    size_t n = fl_count(p->fl), total = fl_total(p->fl), marks = fl_marked_count(p->fl);
    char right[96];
    if (n != total)
        snprintf(right, sizeof right, " %zu of %zu shown", n, total);
    else
        snprintf(right, sizeof right, " %zu/%zu", n ? p->cursor + 1 : 0, n);
    if (marks) {
        size_t l = strlen(right), here = fl_marked_here(p->fl);
        /* marks stay when the folder changes: say when some are elsewhere */
        if (here < marks)
            snprintf(right + l, sizeof right - l, " %s %zu marked, %zu here", theme_glyphs()->sep, marks, here);
        else
            snprintf(right + l, sizeof right - l, " %s %zu marked", theme_glyphs()->sep, marks);
    }
    int rw = text_width(right) + 1;
    draw_put_right(y, w - rw, rw - 1, right, marks ? theme_attr(ROLE_MARKED) : theme_attr(ROLE_DIM));
    int lw = w - rw - 1;

    if (p->ts) {
        /* the search's progress, right of the query */
        static const char *const spin[] = { "|", "/", "-", "\\" };
        char prog[96], count[32];
        fmt_count(ts_count(p->ts), count, sizeof count);
        if (!ts_done(p->ts))
            snprintf(prog, sizeof prog, " %s searching%s %s files", spin[p->spin / 8 % 4],
                     theme_glyphs()->ellipsis, count);
        else
            snprintf(prog, sizeof prog, " %s files below%s", count, ts_truncated(p->ts) ? " (search bounded)" : "");
        int pw = text_width(prog);
        if (pw < lw / 2) {
            draw_put(y, 1 + lw - pw, pw, prog, theme_attr(ROLE_DIM));
            lw -= pw + 1;
        }
        if (!p->filtering) {
            char buf[320];
            snprintf(buf, sizeof buf, "find below: %s%s", p->filter.buf, p->filter.len ? "" : "(/ to type a name)");
            draw_put(y, 1, lw, buf, theme_attr(ROLE_MATCH));
            return;
        }
    }
    if (p->filtering) {
        int x = draw_put(y, 1, lw, p->ts ? "find below: " : "filter: ", theme_attr(ROLE_LABEL)) + 1;
        int fw = lw - x;
        if (fw < 4)
            return;
        int col = le_view(&p->filter, fw);
        draw_put(y, x, fw, p->filter.buf + p->filter.scroll, theme_attr(ROLE_NORMAL));
        draw_cursor_at(y, x + col);
        return;
    }
    if (p->status[0]) {
        draw_put(y, 1, lw, p->status, theme_attr(p->status_role));
        return;
    }
    if (p->filter.len) {
        char buf[320];
        snprintf(buf, sizeof buf, "filter \"%s\" (Esc clears)", p->filter.buf);
        draw_put(y, 1, lw, buf, theme_attr(ROLE_MATCH));
        return;
    }
    if (n == 0)
        return;
    struct fl_entry *e = fl_get(p->fl, p->cursor);
    char buf[256], size[32];
    if (e->is_dir) {
        snprintf(buf, sizeof buf, "folder%s", e->is_link ? " (link)" : "");
    } else if (!p->info_ok) {
        draw_put(y, 1, lw, p->info_why, theme_attr(ROLE_WARNING));
        return;
    } else {
        if (e->stat_done && !e->stat_failed)
            fmt_bytes(e->size, size, sizeof size);
        else
            snprintf(size, sizeof size, "size unknown");
        snprintf(buf, sizeof buf, "%s %s %s", p->info_mime[0] ? p->info_mime : theme_glyphs()->ellipsis,
                 theme_glyphs()->sep, size);
    }
    draw_put(y, 1, lw, buf, theme_attr(ROLE_NORMAL));
}

void picker_draw(struct app *a)
{
    struct picker *p = &a->picker;
    size_t n = fl_count(p->fl);
    draw_path_bar(p);
    if (p->preview_shown)
        preview_draw(&p->pv, p->pane);
    if (n == 0) {
        const char *msg = fl_total(p->fl) ? "no name matches the filter"
                          : p->ts ? (ts_done(p->ts) ? "no files below this folder" : "searching")
                          : "this folder is empty";
        draw_put(p->list.y + 1, 3, p->list.w - 4, msg, theme_attr(ROLE_DIM));
    }
    for (int r = 0; r < p->list.h; r++) {
        size_t i = p->top + (size_t)r;
        if (i >= n)
            break;
        draw_row(p, p->list.y + r, i, i == p->cursor);
    }
    draw_status(p);
}
