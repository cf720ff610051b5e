/* The progress screen: how the send goes (the sending itself is sender.c). Private to ui/. */
#ifndef KA_UI_PROGRESS_H
#define KA_UI_PROGRESS_H

#include "screen.h"

struct progress {
    double last_draw;            /* monotonic seconds of the last frame */
};

extern const struct screen_ops progress_ops;
/* Every binding table of the screen, titled, ending in a { NULL } row (help_doc). */
extern const struct help_section progress_doc[];

#endif
