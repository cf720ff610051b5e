/* The result screen: what Kombo said, file by file, and what to do next. Private to ui/. */
#ifndef KA_UI_RESULT_H
#define KA_UI_RESULT_H

#include <stddef.h>

#include "screen.h"

struct result {
    size_t sel;                  /* selected file (several files) */
    int scroll;                  /* first line of the details */
    int max_scroll;
};

extern const struct screen_ops result_ops;

#endif
