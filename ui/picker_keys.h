/* The picker's keys: its binding tables (for the footer, the help screen and the man
 * page's check) and which table holds at a given moment. Private to picker.c. */
#ifndef KA_UI_PICKER_KEYS_H
#define KA_UI_PICKER_KEYS_H

#include <stddef.h>

#include "help.h"

struct app;

enum picker_action {
    PA_UP, PA_DOWN, PA_PGUP, PA_PGDN, PA_TOP, PA_BOTTOM, PA_ENTER, PA_OPEN_DIR, PA_PARENT,
    PA_HOME, PA_FILTER, PA_HIDDEN, PA_SORT, PA_MARK, PA_MARK_ALL, PA_ESC, PA_QUIT, PA_FIND,
    PA_PREVIEW,
    /* while typing a filter (the editing keys are editkeys.c's) */
    PA_F_KEEP, PA_F_CLEAR,
};

/* The table in force: the filter's while typing one, the marked list's, else the list's. */
const struct binding *picker_bindings(const struct app *a, size_t *n);
/* What key does while a filter is typed (PA_*), or -1. */
int picker_filter_action(int key);
/* The help screen's sections: that table, and the editing keys while typing a filter. */
size_t picker_help(const struct app *a, struct help_section *out, size_t max);

#endif
