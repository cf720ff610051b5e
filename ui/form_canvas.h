/* The form's column of virtual lines, shared by the parts that draw into it
 * (form_draw.c, search_draw.c): line vy is drawn on screen row area.y + vy - scroll when
 * that row is inside the area; a first pass only measures (draw false). Private to ui/. */
#ifndef KA_UI_FORM_CANVAS_H
#define KA_UI_FORM_CANVAS_H

#include <stdbool.h>

#include "layout.h"
#include "theme.h"

struct form_canvas {
    const struct rect *area;
    int scroll;
    int vy;
    bool draw;
    int cur_y, cur_x;       /* where the terminal cursor goes (-1 = hidden) */
    int focus_top, focus_bottom;
};

/* The screen row of the current line, or -1 when it is out of view. */
int fc_row(const struct form_canvas *cv);
/* One line at x (a label first when given), then the next line. */
void fc_line(struct form_canvas *cv, int x, const char *label, const char *text, enum role r);
/* Text wrapped at x in role r. */
void fc_para(struct form_canvas *cv, int x, const char *text, enum role r);

#endif
