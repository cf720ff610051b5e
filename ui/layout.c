/* Layout arithmetic (see layout.h): pure functions of the terminal's size. */
#include "layout.h"

#include <math.h>

void layout_screen(int rows, int cols, struct layout *out)
{
    out->too_small = cols < LAYOUT_MIN_COLS || rows < LAYOUT_MIN_ROWS;
    /* Line 0 is the header, the last line the footer. */
    out->body = (struct rect){ .y = 1, .x = 0, .h = rows - 2 > 0 ? rows - 2 : 0, .w = cols };
    const struct rect *b = &out->body;
    out->path = (struct rect){ b->y, 0, 1, b->w };
    out->list = (struct rect){ b->y + 1, 0, b->h - 2 > 0 ? b->h - 2 : 0, b->w };
    out->status = (struct rect){ b->y + b->h - 1, 0, 1, b->w };
}

int layout_banner(struct layout *l, int lines)
{
    if (lines > l->body.h - 4)
        lines = l->body.h - 4 > 0 ? l->body.h - 4 : 0;
    if (lines <= 0)
        return 0;
    struct rect *b = &l->body;
    b->y += lines;
    b->h -= lines;
    l->path = (struct rect){ b->y, 0, 1, b->w };
    l->list = (struct rect){ b->y + 1, 0, b->h - 2 > 0 ? b->h - 2 : 0, b->w };
    l->status = (struct rect){ b->y + b->h - 1, 0, 1, b->w };
    return lines;
}

void layout_scroll(size_t n, size_t h, size_t *cursor, size_t *top)
{
    if (h == 0)
        h = 1;
    if (n == 0) {
        *cursor = *top = 0;
        return;
    }
    if (*cursor >= n)
        *cursor = n - 1;
    if (*cursor < *top)
        *top = *cursor;
    if (*cursor >= *top + h)
        *top = *cursor - h + 1;
    if (*top + h > n)
        *top = n > h ? n - h : 0;
}

void layout_form(int width, struct form_geom *g)
{
    g->label_x = 2;
    g->field_x = g->label_x + LAYOUT_LABEL_W + 1;
    int rest = width - g->field_x - 1;
    if (rest < 1)
        rest = 1;
    /* Beside the field only when both halves stay readable: 40 columns of field, 20+ of message. */
    g->msg_beside = rest >= 60;
    if (g->msg_beside) {
        g->field_w = rest / 2 < 40 ? rest / 2 : 40;
        g->msg_x = g->field_x + g->field_w + 2;
        g->msg_w = width - g->msg_x - 1;
    } else {
        g->field_w = rest;
        g->msg_x = g->field_x;
        g->msg_w = rest;
    }
}

void layout_bar(int w, double frac, int *bar_w, int *full, int *percent)
{
    if (!(frac >= 0)) /* also NaN */
        frac = 0;
    if (frac > 1)
        frac = 1;
    *percent = (int)floor(frac * 100);
    /* " 100%" takes five columns after the bar. */
    *bar_w = w - 5 >= 4 ? w - 5 : 0;
    *full = (int)floor(frac * *bar_w);
}
