/* The picker's drawing, for the operation table in picker.c. Private to the picker. */
#ifndef KA_UI_PICKER_DRAW_H
#define KA_UI_PICKER_DRAW_H

struct app;

void picker_draw(struct app *a);

#endif
