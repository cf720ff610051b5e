/* Layout arithmetic of the UI, kept free of curses so that it is unit-tested: where each
 * region goes for a terminal of a given size, list scrolling, the form's columns, and the
 * progress bar's split. */
#ifndef KA_LAYOUT_H
#define KA_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>

#define LAYOUT_MIN_COLS 40
#define LAYOUT_MIN_ROWS 12

struct rect {
    int y, x, h, w;
};

/* The screen: header line, body, footer line; and the picker's parts of the body. */
struct layout {
    bool too_small;      /* below LAYOUT_MIN_COLS x LAYOUT_MIN_ROWS: show a notice instead */
    struct rect body;    /* between header and footer */
    struct rect path;    /* picker: the path bar */
    struct rect list;    /* picker: the entries */
    struct rect status;  /* picker: MIME type, size, position */
};
void layout_screen(int rows, int cols, struct layout *out);
/* Make room for `lines` lines of a notice under the header: the body and its parts move
 * down (at most what leaves the body 4 lines). Returns the lines given. */
int layout_banner(struct layout *l, int lines);

/* Scroll a list of n entries shown h at a time so that the cursor is visible, without empty
 * rows below the last entry when the list could fill them. Adjusts *cursor (< n) and *top. */
void layout_scroll(size_t n, size_t h, size_t *cursor, size_t *top);

/* The form's columns for a body `width` wide: labels, fields, and field messages beside the
 * field when there is room for a readable message, else under it. */
struct form_geom {
    int label_x, field_x, field_w, msg_x, msg_w;
    bool msg_beside;
};
#define LAYOUT_LABEL_W 13
void layout_form(int width, struct form_geom *g);

/* A progress bar `w` columns wide (percentage included): the bar's width and how much of it
 * is full for frac (clamped to 0..1). bar_w is 0 when there is no room for a bar. */
void layout_bar(int w, double frac, int *bar_w, int *full, int *percent);

#endif
