/* The file picker screen: browse folders, filter, mark several files, pick. The list model
 * is filelist.c. Private to ui/. */
#ifndef KA_UI_PICKER_H
#define KA_UI_PICKER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "filelist.h"
#include "layout.h"
#include "lineedit.h"
#include "preview.h"
#include "screen.h"
#include "theme.h"

struct selection;
struct treesearch;

/* The preview pane: shown from PICKER_PREVIEW_AUTO columns unless toggled; never below
 * PICKER_PREVIEW_MIN (the list needs the room). */
#define PICKER_PREVIEW_AUTO 100
#define PICKER_PREVIEW_MIN 60

struct picker {
    struct filelist *fl;
    struct selection *sel;       /* the marks, across folders */
    uint64_t max_size;           /* --max-size: bigger files cannot be picked */
    size_t cursor, top;
    bool show_hidden;
    enum fl_sort sort;
    bool filtering;              /* typing a filter */
    struct lineedit filter;
    char status[512];            /* a message for the status line, until the next key */
    enum role status_role;
    char *info_name;             /* entry whose MIME type (or why it cannot be sent) is below */
    char info_mime[128];
    bool info_ok;                /* it can be sent; else info_why says why */
    bool info_pending;           /* info_mime still to be found (in the next idle step) */
    char info_why[320];
    struct rect path, list, stat;
    /* preview */
    struct preview pv;
    int preview_pref;            /* -1: by the width; 0 off, 1 on: toggled */
    bool preview_shown;
    struct rect pane;
    /* tree search: while ts is set, fl is its results and folder_fl the folder it left */
    struct treesearch *ts;
    struct filelist *folder_fl;
    size_t folder_cursor, folder_top;
    size_t ts_listed;            /* results in fl */
    double ts_listed_at;         /* when fl was last rebuilt from them */
    unsigned spin;
};

/* Open folder dir; -1 with a message when it cannot be read. Files over max_size (0 = no
 * limit) are shown but cannot be picked. */
int picker_init(struct picker *p, const char *dir, uint64_t max_size, char *err, size_t errlen);
void picker_free(struct picker *p);
/* Whether what the list knows lets the entry be sent (folders and entries not stat'ed yet:
 * true; the rows in view are stat'ed before drawing). */
bool picker_entry_ok(const struct picker *p, const struct fl_entry *e);

/* Show folder dir, the cursor on entry select (may be NULL); false with the status line
 * saying why when it cannot be read (picker_find.c's paste). */
bool picker_change_dir(struct picker *p, const char *dir, const char *select);

extern const struct screen_ops picker_ops;
/* Every binding table of the screen, titled, ending in a { NULL } row (help_doc). */
extern const struct help_section picker_doc[];

#endif
