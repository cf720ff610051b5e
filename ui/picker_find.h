/* The picker's ways to a file elsewhere: the search of the whole tree below the folder
 * shown (treesearch.h, its results shown as the list), and a pasted path. Private to ui/. */
#ifndef KA_UI_PICKER_FIND_H
#define KA_UI_PICKER_FIND_H

#include <stdbool.h>

#include "picker.h"

/* Search below the folder shown; the list becomes the results, found so far, filtered by
 * the filter being typed. */
void picker_find_start(struct picker *p);
/* Back to the folder view, the cursor where it was. */
void picker_find_stop(struct picker *p);
/* Search with hidden files shown or not (the "." key during a search). */
void picker_find_restart(struct picker *p);
/* A step of the search from the idle time; true when the list changed. *more: work left. */
bool picker_find_step(struct picker *p, bool *more);
/* Go to the file a paste names (its folder, the cursor on it), or say why not. */
void picker_paste(struct picker *p, const char *text);

#endif
