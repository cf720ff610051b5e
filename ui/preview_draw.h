/* Drawing the picker's preview pane from preview.h's model. Private to ui/. */
#ifndef KA_UI_PREVIEW_DRAW_H
#define KA_UI_PREVIEW_DRAW_H

#include "layout.h"
#include "preview.h"

/* The pane in r: a line on its left edge, then what pv shows (nothing: a dim hint). */
void preview_draw(const struct preview *pv, struct rect r);

#endif
