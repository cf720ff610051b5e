/* See draw.h. */
#include "draw.h"

#include <stdlib.h>
#include <string.h>

void draw_fill(int y, int x, int w, attr_t at)
{
    if (w <= 0)
        return;
    attrset(at);
    mvhline(y, x, ' ', w);
    attrset(A_NORMAL);
}

int draw_put_cut(int y, int x, int w, const char *s, attr_t at, enum text_cut cut)
{
    if (w <= 0 || !s)
        return 0;
    char *f = text_fit(s, strlen(s), w, cut);
    if (!f)
        return 0;
    attrset(at);
    mvaddstr(y, x, f);
    attrset(A_NORMAL);
    int used = text_width(f);
    free(f);
    return used;
}

int draw_put(int y, int x, int w, const char *s, attr_t at)
{
    return draw_put_cut(y, x, w, s, at, TEXT_CUT_END);
}

int draw_put_right(int y, int x, int w, const char *s, attr_t at)
{
    int sw = text_width(s);
    if (sw > w)
        sw = w;
    return draw_put(y, x + w - sw, sw, s, at);
}

void draw_lines_free(char **lines, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(lines[i]);
    free(lines);
}

static int cursor_y = -1, cursor_x;

void draw_cursor_at(int y, int x)
{
    cursor_y = y;
    cursor_x = x;
}

void draw_frame_begin(void)
{
    erase();
    cursor_y = -1;
}

void draw_frame_end(void)
{
    /* Visibility is set once per frame, not toggled while drawing: no cursor flicker. */
    if (cursor_y >= 0) {
        move(cursor_y, cursor_x);
        curs_set(1);
    } else {
        curs_set(0);
    }
    refresh();
}
