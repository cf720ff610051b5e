/* Entry point of the terminal UI; the only UI header the rest of the program includes.
 * No curses types here. */
#ifndef KA_UI_H
#define KA_UI_H

#include <stdbool.h>
#include <stdint.h>

#include "sendopts.h"

struct ui_options {
    const struct send_options *send; /* what to send and where (the command line gets the same) */
    const char *start_dir;       /* picker starts here (NULL = current folder) */
    bool use_index;              /* keep and search the local candidate index (index.h) */
};

/* Run the UI until the user quits. Returns a KA_EXIT_* code. */
int ui_run(const struct ui_options *o);

#endif
