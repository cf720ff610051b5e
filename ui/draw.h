/* Drawing helpers for the screens: text fitted by display width, fills, the cursor, and
 * the frame the loop wraps around each redraw. Private to ui/. */
#ifndef KA_UI_DRAW_H
#define KA_UI_DRAW_H

#include <stddef.h>

#include "text.h"
#include "theme.h"

/* Blank w columns at (y, x) with attribute at. */
void draw_fill(int y, int x, int w, attr_t at);
/* Raw bytes s fitted into w columns (sanitised, cut with "…" where asked); returns the
 * columns used. */
int draw_put_cut(int y, int x, int w, const char *s, attr_t at, enum text_cut cut);
int draw_put(int y, int x, int w, const char *s, attr_t at);   /* cut at the end */
int draw_put_right(int y, int x, int w, const char *s, attr_t at);   /* right-aligned */
/* Free what text_wrap returned. */
void draw_lines_free(char **lines, size_t n);
/* Show the terminal cursor there once the frame is drawn (text input); hidden otherwise. */
void draw_cursor_at(int y, int x);

/* Only the loop calls these: clear for a new frame; then put the cursor where a screen
 * asked (or hide it) and send the frame to the terminal. */
void draw_frame_begin(void);
void draw_frame_end(void);

#endif
