/* See picker_find.h. The results are a filelist of relative names (fl_open_names), so
 * marks, the filter, the lazy stat and Enter work on them as on a folder's entries; it is
 * rebuilt from the search's names a few times a second while the search runs, not per
 * entry found. */
#include "picker_find.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "clock.h"
#include "pastepath.h"
#include "selection.h"
#include "treesearch.h"
#include "xalloc.h"

#define ENTRIES_PER_STEP 256     /* a few milliseconds of readdir and lstat at most */
#define REBUILD_EVERY_S 0.25

static void set_status(struct picker *p, enum role r, const char *text)
{
    snprintf(p->status, sizeof p->status, "%s", text);
    p->status_role = r;
}

/* The list from the names found so far, the filter kept, the cursor on the same name. */
static void rebuild(struct picker *p)
{
    char err[256];
    struct fl_entry *e = fl_count(p->fl) ? fl_get(p->fl, p->cursor) : NULL;
    char *name = e ? xstrdup(e->name) : NULL;
    struct filelist *nl = fl_open_names(ts_root(p->ts), ts_names(p->ts), ts_count(p->ts), p->sort,
                                        p->filter.buf, err, sizeof err);
    if (nl) {
        fl_use_selection(nl, p->sel);
        fl_free(p->fl);
        p->fl = nl;
        size_t i = name ? fl_find(nl, name) : (size_t)-1;
        p->cursor = i != (size_t)-1 ? i : 0;
    }
    free(name);
    p->ts_listed = ts_count(p->ts);
    p->ts_listed_at = clock_now();
}

static bool begin(struct picker *p, const char *root)
{
    char err[256];
    struct ts_limits lim = { TS_DEFAULT_DEPTH, TS_DEFAULT_ENTRIES, p->show_hidden };
    p->ts = ts_start(root, &lim, err, sizeof err);
    if (!p->ts) {
        set_status(p, ROLE_ERROR, err);
        return false;
    }
    rebuild(p); /* empty: the idle steps fill it, and the key that started it is answered now */
    return true;
}

void picker_find_start(struct picker *p)
{
    if (p->ts)
        return;
    char *root = xstrdup(fl_dir(p->fl));
    p->folder_fl = p->fl;
    p->folder_cursor = p->cursor;
    p->folder_top = p->top;
    p->fl = fl_open_names(root, NULL, 0, p->sort, "", NULL, 0);
    if (!p->fl || !begin(p, root)) {
        if (p->fl)
            fl_free(p->fl);
        p->fl = p->folder_fl;
        p->folder_fl = NULL;
    } else {
        p->cursor = p->top = 0;
    }
    free(root);
}

void picker_find_stop(struct picker *p)
{
    if (!p->ts)
        return;
    ts_free(p->ts);
    p->ts = NULL;
    fl_free(p->fl);
    p->fl = p->folder_fl;
    p->folder_fl = NULL;
    fl_use_selection(p->fl, p->sel); /* marks made among the results show here too */
    fl_set_filter(p->fl, "");
    le_set(&p->filter, "");
    p->filtering = false;
    p->cursor = p->folder_cursor < fl_count(p->fl) ? p->folder_cursor : 0;
    p->top = p->folder_top;
}

void picker_find_restart(struct picker *p)
{
    if (!p->ts)
        return;
    char *root = xstrdup(ts_root(p->ts));
    ts_free(p->ts);
    p->ts = NULL;
    if (!begin(p, root))
        picker_find_stop(p);
    free(root);
}

bool picker_find_step(struct picker *p, bool *more)
{
    *more = false;
    if (!p->ts)
        return false;
    bool left = ts_step(p->ts, ENTRIES_PER_STEP);
    *more = left;
    p->spin++;
    bool grew = ts_count(p->ts) != p->ts_listed;
    if (grew && (!left || clock_now() - p->ts_listed_at >= REBUILD_EVERY_S))
        rebuild(p);
    /* the counter on the status line moves: a frame now and then, and the last one */
    return !left || (p->spin % 8) == 0;
}

void picker_paste(struct picker *p, const char *text)
{
    char *path = pastepath_parse(text, p->ts ? ts_root(p->ts) : fl_dir(p->fl), getenv("HOME"));
    if (!path) {
        set_status(p, ROLE_WARNING, "the paste is not a path");
        return;
    }
    struct stat st;
    if (stat(path, &st) != 0) {
        char *un = pastepath_unescape(path);
        if (stat(un, &st) == 0) {
            free(path);
            path = un;
        } else {
            free(un);
            char msg[512];
            snprintf(msg, sizeof msg, "no such file: %s", path);
            set_status(p, ROLE_WARNING, msg);
            free(path);
            return;
        }
    }
    picker_find_stop(p);
    size_t l = strlen(path);
    while (l > 1 && path[l - 1] == '/')
        path[--l] = '\0';
    if (S_ISDIR(st.st_mode)) {
        picker_change_dir(p, path, NULL);
    } else {
        char *slash = strrchr(path, '/');
        const char *base = slash ? slash + 1 : path;
        char *dir = slash == path ? xstrdup("/") : slash ? xstrndup(path, (size_t)(slash - path)) : xstrdup(".");
        if (base[0] == '.' && !p->show_hidden) {
            p->show_hidden = true; /* a hidden file was named: show it rather than miss it */
        }
        if (picker_change_dir(p, dir, base)) {
            struct fl_entry *e = fl_count(p->fl) ? fl_get(p->fl, p->cursor) : NULL;
            if (!e || strcmp(e->name, base) != 0)
                set_status(p, ROLE_WARNING, "the file is not in the list");
        }
        free(dir);
    }
    free(path);
}
