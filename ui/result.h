/* The result screen: what Kombo said, file by file, and what to do next. Private to ui/. */
#ifndef KA_UI_RESULT_H
#define KA_UI_RESULT_H

#include <stdbool.h>
#include <stddef.h>

#include "screen.h"

struct result {
    size_t sel;                  /* selected file (several files) */
    int scroll;                  /* first line of the details */
    int max_scroll;
    bool confirm_retry;          /* asking before sending again what may have been attached */
    size_t link;                 /* the focused link of the file shown (c copies it) */
    char notice[300];            /* what the last key did ("copied ...") */
};

extern const struct screen_ops result_ops;
/* Every binding table of the screen, titled, ending in a { NULL } row (help_doc). */
extern const struct help_section result_doc[];

#endif
