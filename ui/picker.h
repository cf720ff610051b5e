/* The file picker screen: browse folders, filter, mark several files, pick. The list model
 * is filelist.c. Private to ui/. */
#ifndef KA_UI_PICKER_H
#define KA_UI_PICKER_H

#include <stdbool.h>
#include <stddef.h>

#include "filelist.h"
#include "layout.h"
#include "lineedit.h"
#include "screen.h"
#include "theme.h"

struct picker {
    struct filelist *fl;
    size_t cursor, top;
    bool show_hidden;
    enum fl_sort sort;
    bool filtering;              /* typing a filter */
    struct lineedit filter;
    char status[512];            /* a message for the status line, until the next key */
    enum role status_role;
    char *info_name;             /* entry whose MIME type is cached below */
    char info_mime[128];
    bool info_regular;
    struct rect path, list, stat;
};

/* Open folder dir; -1 with a message when it cannot be read. */
int picker_init(struct picker *p, const char *dir, char *err, size_t errlen);
void picker_free(struct picker *p);

extern const struct screen_ops picker_ops;

#endif
