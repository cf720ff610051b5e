/* See preview_draw.h. Every line goes through draw_put, so a file's escape sequences are
 * shown as escapes, never sent to the terminal. */
#include "preview_draw.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "draw.h"
#include "format.h"
#include "theme.h"

static void put_date(int y, int x, int w, const char *label, time_t t)
{
    struct tm tm;
    char buf[64], date[32];
    if (!localtime_r(&t, &tm))
        return;
    strftime(date, sizeof date, "%Y-%m-%d %H:%M", &tm);
    snprintf(buf, sizeof buf, "%s %s", label, date);
    draw_put(y, x, w, buf, theme_attr(ROLE_DIM));
}

void preview_draw(const struct preview *pv, struct rect r)
{
    if (r.w < 4 || r.h < 1)
        return;
    const struct glyphs *g = theme_glyphs();
    for (int i = 0; i < r.h; i++)
        draw_put(r.y + i, r.x, 1, g->sep, theme_attr(ROLE_DIM));
    int x = r.x + 2, w = r.w - 3, y = r.y, end = r.y + r.h;
    const struct pv_item *it = pv_current(pv);
    if (!it) {
        draw_put(y, x, w, "no file to preview", theme_attr(ROLE_DIM));
        return;
    }
    if (it->kind == PV_LOADING) {
        draw_put(y, x, w, "reading…", theme_attr(ROLE_DIM));
        return;
    }
    /* what it is, then size and dates, then the first lines */
    attr_t head = theme_attr(it->kind == PV_ERROR ? ROLE_WARNING : ROLE_LABEL);
    char **wrapped = NULL;
    size_t nw = text_wrap(it->desc, w, &wrapped);
    for (size_t i = 0; i < nw && i < 3 && y < end; i++)
        draw_put(y++, x, w, wrapped[i], head);
    draw_lines_free(wrapped, nw);
    if (it->have_stat && it->kind != PV_ERROR && y < end) {
        char size[32];
        fmt_bytes(it->size, size, sizeof size);
        draw_put(y++, x, w, size, theme_attr(ROLE_NORMAL));
        if (y < end)
            put_date(y++, x, w, "modified", it->mtime);
        if (y < end && it->ctime != it->mtime)
            put_date(y++, x, w, "changed ", it->ctime);
    }
    if (it->kind != PV_TEXT || y + 1 >= end)
        return;
    y++;
    for (size_t i = 0; i < it->nlines && y < end; i++)
        draw_put(y++, x, w, it->lines[i], theme_attr(ROLE_NORMAL));
}
