/* The order of a folder's entries, for filelist.c (pure: no I/O). Private to the filelist
 * module. */
#ifndef KA_UI_FILELIST_SORT_H
#define KA_UI_FILELIST_SORT_H

#include <stddef.h>

#include "filelist.h"

/* ASCII case folding: the one notion of "same letter" for sorting and filtering. */
static inline unsigned char fl_fold(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') ? (unsigned char)(c + 32) : c;
}

/* Sort n entries: folders first, then by name (case-insensitive, then bytes), by size
 * (biggest first) or by date (newest first), names breaking ties. Sizes and dates must be
 * known for the last two. *ents may be replaced by a new array. */
void fl_sort_entries(struct fl_entry **ents, size_t n, enum fl_sort sort);

#endif
