/* The file picker screen: browse folders, filter, mark several files, pick. The list model
 * (reading, sorting, filtering, marks, lazy stat) is filelist.c; this file maps keys to it,
 * and picker_draw.c draws it. */
#include "picker.h"

#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app.h"
#include "editkeys.h"
#include "mime.h"
#include "picker_draw.h"
#include "picker_find.h"
#include "picker_keys.h"
#include "selection.h"
#include "sendable.h"
#include "term.h"
#include "text.h"
#include "treesearch.h"
#include "utf8.h"
#include "xalloc.h"

static void picker_layout_parts(struct app *a);

static void set_status(struct picker *p, enum role r, const char *text)
{
    snprintf(p->status, sizeof p->status, "%s", text);
    p->status_role = r;
}

int picker_init(struct picker *p, const char *dir, uint64_t max_size, char *err, size_t errlen)
{
    p->sort = FL_SORT_NAME;
    p->max_size = max_size;
    p->fl = fl_open(dir, p->show_hidden, p->sort, err, errlen);
    if (!p->fl)
        return -1;
    p->sel = sel_new();
    fl_use_selection(p->fl, p->sel);
    le_init(&p->filter, "", 255);
    pv_init(&p->pv);
    p->preview_pref = -1;
    return 0;
}

void picker_free(struct picker *p)
{
    picker_find_stop(p);
    pv_free(&p->pv);
    if (p->fl)
        fl_free(p->fl);
    p->fl = NULL;
    sel_free(p->sel);
    p->sel = NULL;
    le_free(&p->filter);
    free(p->info_name);
    p->info_name = NULL;
}

static void keep_visible(struct picker *p)
{
    layout_scroll(fl_count(p->fl), p->list.h > 0 ? (size_t)p->list.h : 1, &p->cursor, &p->top);
}

/* Replace the list with folder dir, the cursor on entry `select` when given. Stays where
 * it was, with a message, when the folder cannot be read. */
static bool change_dir(struct picker *p, const char *dir, const char *select)
{
    char err[256];
    struct filelist *nl = fl_open(dir, p->show_hidden, p->sort, err, sizeof err);
    if (!nl) {
        set_status(p, ROLE_ERROR, err);
        return false;
    }
    fl_free(p->fl);
    p->fl = nl;
    /* the marks are the picker's, not the folder's: they stay, as in nnn */
    fl_use_selection(nl, p->sel);
    le_set(&p->filter, "");
    p->filtering = false;
    p->cursor = p->top = 0;
    if (select) {
        size_t i = fl_find(nl, select);
        if (i != (size_t)-1)
            p->cursor = i;
    }
    /* the highlighted entry now sits in a new place: centre it rather than pin it to an edge */
    size_t h = p->list.h > 0 ? (size_t)p->list.h : 1;
    p->top = p->cursor > h / 2 ? p->cursor - h / 2 : 0;
    keep_visible(p);
    return true;
}

bool picker_change_dir(struct picker *p, const char *dir, const char *select)
{
    return change_dir(p, dir, select);
}

static void go_parent(struct picker *p)
{
    const char *dir = fl_dir(p->fl);
    if (strcmp(dir, "/") == 0)
        return;
    const char *slash = strrchr(dir, '/');
    char *parent = slash == dir ? xstrdup("/") : xstrndup(dir, (size_t)(slash - dir));
    char *child = xstrdup(slash + 1);
    change_dir(p, parent, child);
    free(parent);
    free(child);
}

static void go_home(struct picker *p)
{
    const char *home = getenv("HOME");
    if (!home || !*home) {
        struct passwd *pw = getpwuid(getuid());
        home = pw ? pw->pw_dir : NULL;
    }
    if (!home) {
        set_status(p, ROLE_ERROR, "no home folder is known");
        return;
    }
    change_dir(p, home, NULL);
}

/* After the list changed under the cursor (sort, hidden, filter): stay on the same entry
 * when it is still there. */
static void reselect(struct picker *p, const char *name)
{
    size_t i = name ? fl_find(p->fl, name) : (size_t)-1;
    p->cursor = i != (size_t)-1 ? i : 0;
    keep_visible(p);
}

static char *current_name(struct picker *p)
{
    if (fl_count(p->fl) == 0)
        return NULL;
    struct fl_entry *e = fl_get(p->fl, p->cursor);
    return e ? xstrdup(e->name) : NULL;
}

static void apply_filter(struct picker *p)
{
    char *name = current_name(p);
    fl_set_filter(p->fl, p->filter.buf);
    reselect(p, name);
    free(name);
}

bool picker_entry_ok(const struct picker *p, const struct fl_entry *e)
{
    if (e->is_dir || !e->stat_done)
        return true;
    struct sendable_facts f;
    sendable_facts_of(e, &f);
    return sendable_judge(&f, p->max_size) == SENDABLE_OK;
}

/* Look at the file now (it may have changed since the row was drawn): true when it can be
 * sent, else the status line says why and what to do. */
static bool sendable_here(struct picker *p, const char *path)
{
    char why[320];
    if (sendable_check(path, p->max_size, why, sizeof why) == SENDABLE_OK)
        return true;
    set_status(p, ROLE_ERROR, why);
    return false;
}

/* The form, with the files it is to attach. */
static struct ui_intent to_form(char **paths, size_t n)
{
    struct ui_intent in = ui_goto(SCR_FORM);
    in.fresh = true; /* new files: new names and types */
    in.paths = paths;
    in.n_paths = n;
    return in;
}

/* Enter: a folder opens (marks stay, so more can be marked in it); on a file, the marked
 * files, else the highlighted one. */
static struct ui_intent pick(struct picker *p)
{
    struct fl_entry *e = fl_count(p->fl) ? fl_get(p->fl, p->cursor) : NULL;
    if (e && e->is_dir) {
        char *path = fl_path(p->fl, p->cursor);
        change_dir(p, path, NULL);
        free(path);
        return ui_intent(UI_INTENT_REDRAW);
    }
    if (fl_marked_count(p->fl) > 0) {
        size_t n = 0;
        char **paths = fl_marked_paths(p->fl, &n);
        return to_form(paths, n);
    }
    if (!e)
        return ui_intent(UI_INTENT_NONE);
    char *path = fl_path(p->fl, p->cursor);
    if (sendable_here(p, path)) {
        char **paths = xmalloc(sizeof *paths);
        paths[0] = path;
        return to_form(paths, 1);
    }
    free(path);
    return ui_intent(UI_INTENT_REDRAW);
}

/* Mark every file shown (the filter's), or when they all are, unmark them. */
static void mark_all(struct picker *p)
{
    size_t n = fl_count(p->fl), files = 0, marked = 0, refused = 0;
    fl_stat_range(p->fl, 0, n); /* whether each can be sent */
    for (size_t i = 0; i < n; i++) {
        struct fl_entry *e = fl_get(p->fl, i);
        if (e->is_dir)
            continue;
        if (!picker_entry_ok(p, e)) {
            refused++;
            continue;
        }
        files++;
        marked += e->marked;
    }
    bool on = marked < files;
    for (size_t i = 0; i < n; i++) {
        struct fl_entry *e = fl_get(p->fl, i);
        if (!e->is_dir && (!on || picker_entry_ok(p, e)))
            fl_set_mark(p->fl, i, on);
    }
    char msg[160];
    if (!files)
        snprintf(msg, sizeof msg, "no file here can be sent");
    else if (on)
        snprintf(msg, sizeof msg, "%zu file%s marked%s", files, files == 1 ? "" : "s",
                 refused ? "; the dimmed ones cannot be sent" : "");
    else
        snprintf(msg, sizeof msg, "%zu file%s unmarked", files, files == 1 ? "" : "s");
    set_status(p, files ? ROLE_NORMAL : ROLE_WARNING, msg);
}

static bool filter_key(struct picker *p, int key)
{
    int act = picker_filter_action(key);
    switch (act) {
    case PA_F_KEEP:
        p->filtering = false;
        return true;
    case PA_F_CLEAR:
        if (p->ts) {
            picker_find_stop(p);
            return true;
        }
        p->filtering = false;
        le_set(&p->filter, "");
        apply_filter(p);
        return true;
    default:
        break;
    }
    if (key == KEY_PASTE) {
        /* pasted while typing: text for the filter, its line ends as spaces */
        const char *t = term_paste_text();
        for (size_t i = 0; t[i];) {
            uint32_t cp;
            size_t l = utf8_decode(t + i, 4, &cp);
            if (!l) {
                i++;
                continue;
            }
            le_insert(&p->filter, cp == '\n' ? L' ' : (wchar_t)cp);
            i += l;
        }
        apply_filter(p);
        return true;
    }
    bool bksp = key == KC(KEY_BACKSPACE) || key == 127 || key == 8;
    if (bksp && p->filter.len == 0) {
        p->filtering = false; /* backspace on an empty filter leaves filter mode, like a shell prompt */
        return true;
    }
    bool changed;
    if (!editkeys_apply(&p->filter, key, &changed))
        return false; /* an Alt chord or a key of no use here: ignored */
    if (changed)
        apply_filter(p);
    return true;
}

static struct ui_intent picker_key(struct app *a, int key)
{
    struct picker *p = &a->picker;
    int act;
    if (key == KEY_PASTE && !p->filtering) {
        p->status[0] = '\0';
        picker_paste(p, term_paste_text());
        keep_visible(p);
        return ui_intent(UI_INTENT_REDRAW);
    }
    if (p->filtering) {
        act = picker_filter_action(key);
        if (act != PA_UP && act != PA_DOWN && act != PA_PGUP && act != PA_PGDN)
            return ui_intent(filter_key(p, key) ? UI_INTENT_REDRAW : UI_INTENT_NONE);
    } else {
        size_t nb;
        const struct binding *t = picker_bindings(a, &nb);
        act = keys_find(t, nb, key);
        p->status[0] = '\0';
    }
    size_t n = fl_count(p->fl);
    size_t page = p->list.h > 1 ? (size_t)p->list.h - 1 : 1;
    char *name = NULL;
    switch (act) {
    case PA_UP:
        if (p->cursor > 0)
            p->cursor--;
        break;
    case PA_DOWN:
        if (p->cursor + 1 < n)
            p->cursor++;
        break;
    case PA_PGUP: p->cursor = p->cursor > page ? p->cursor - page : 0; break;
    case PA_PGDN: p->cursor = n ? (p->cursor + page < n ? p->cursor + page : n - 1) : 0; break;
    case PA_TOP: p->cursor = 0; break;
    case PA_BOTTOM: p->cursor = n ? n - 1 : 0; break;
    case PA_ENTER:
        return pick(p);
    case PA_OPEN_DIR:
        if (!p->ts && n && fl_get(p->fl, p->cursor)->is_dir) {
            char *path = fl_path(p->fl, p->cursor);
            change_dir(p, path, NULL);
            free(path);
        }
        break;
    case PA_PARENT:
        if (p->ts)
            picker_find_stop(p); /* up from the results: the folder they are below */
        else
            go_parent(p);
        break;
    case PA_HOME:
        picker_find_stop(p);
        go_home(p);
        break;
    case PA_FIND:
        if (!p->ts)
            picker_find_start(p);
        p->filtering = p->ts != NULL;
        break;
    case PA_PREVIEW:
        p->preview_pref = !p->preview_shown;
        picker_layout_parts(a);
        break;
    case PA_FILTER:
        p->filtering = true;
        break;
    case PA_HIDDEN:
        name = current_name(p);
        p->show_hidden = !p->show_hidden;
        if (p->ts)
            picker_find_restart(p);
        else
            fl_set_hidden(p->fl, p->show_hidden);
        fl_set_filter(p->fl, p->filter.buf);
        reselect(p, name);
        break;
    case PA_SORT:
        name = current_name(p);
        p->sort = p->sort == FL_SORT_NAME ? FL_SORT_SIZE : p->sort == FL_SORT_SIZE ? FL_SORT_DATE : FL_SORT_NAME;
        fl_set_sort(p->fl, p->sort);
        reselect(p, name);
        break;
    case PA_MARK_ALL:
        mark_all(p);
        break;
    case PA_MARK:
        if (n) {
            struct fl_entry *e = fl_get(p->fl, p->cursor);
            char *path = fl_path(p->fl, p->cursor);
            if (e->is_dir)
                set_status(p, ROLE_WARNING, "folders cannot be marked: open one with Enter");
            else if (e->marked || sendable_here(p, path))
                fl_toggle_mark(p->fl, p->cursor); /* a mark can always be taken back */
            free(path);
            if (p->cursor + 1 < n)
                p->cursor++; /* like a file manager: Space marks and moves on */
        }
        break;
    case PA_ESC:
        if (p->ts) {
            picker_find_stop(p);
        } else if (p->filter.len) {
            le_set(&p->filter, "");
            apply_filter(p);
        } else {
            fl_clear_marks(p->fl);
        }
        break;
    case PA_QUIT:
        return ui_intent(UI_INTENT_QUIT);
    default:
        return ui_intent(UI_INTENT_NONE);
    }
    free(name);
    keep_visible(p);
    return ui_intent(UI_INTENT_REDRAW);
}

/* The status line describes the highlighted file: its MIME type comes from libmagic, which
 * reads the file, so it is worked out for this one entry only and cached by path. */
static void update_info(struct picker *p)
{
    if (fl_count(p->fl) == 0)
        return;
    struct fl_entry *e = fl_get(p->fl, p->cursor);
    if (e->is_dir)
        return;
    char *path = fl_path(p->fl, p->cursor);
    if (!path)
        return;
    if (p->info_name && strcmp(p->info_name, path) == 0) {
        free(path);
        return;
    }
    free(p->info_name);
    p->info_name = path;
    /* Only a file that can be sent is looked into: a FIFO or device would block libmagic's
     * read, and for the others why they cannot be sent is what to show. */
    p->info_ok = sendable_check(path, p->max_size, p->info_why, sizeof p->info_why) == SENDABLE_OK;
    /* libmagic reads the file: in the idle step, so the frame of this key is not held up */
    p->info_mime[0] = '\0';
    p->info_pending = p->info_ok;
}

/* Before a frame: the rows about to be drawn get their sizes and dates, and the highlighted
 * file its type. Once per frame, not per key: holding j down in a big folder asks libmagic
 * about one file per frame, not about every file passed on the way. The rest of the folder
 * waits for idle time. */
static void picker_update(struct app *a)
{
    struct picker *p = &a->picker;
    keep_visible(p);
    if (fl_count(p->fl))
        fl_stat_range(p->fl, p->top, (size_t)p->list.h);
    update_info(p);
    /* the preview follows the cursor; the reading happens in idle steps */
    char *path = NULL;
    if (p->preview_shown && fl_count(p->fl))
        path = fl_path(p->fl, p->cursor);
    pv_show(&p->pv, path);
    free(path);
}

static struct ui_intent picker_idle(struct app *a, unsigned sent)
{
    (void)sent;
    struct picker *p = &a->picker;
    bool redraw = false, more = false;
    /* the preview first (it is what the user looks at), one small step; then the tree
     * search; the loop comes back at once while either has work (idle_again), and a key
     * that arrives meanwhile is read before the next step */
    if (p->info_pending) {
        p->info_pending = false;
        if (p->info_name)
            mime_detect(p->info_name, p->info_mime, sizeof p->info_mime);
        redraw = more = true;
    } else if (pv_busy(&p->pv)) {
        redraw |= pv_step(&p->pv);
        more |= pv_busy(&p->pv);
    } else if (p->ts) {
        bool left;
        redraw |= picker_find_step(p, &left);
        more |= left;
    }
    if (more)
        a->idle_again = true;
    /* Sizes and dates of rows not on screen, a few milliseconds at a time. Nothing visible
     * changes by it. */
    fl_stat_step(p->fl, more ? 1 : 5);
    return ui_intent(redraw ? UI_INTENT_REDRAW : UI_INTENT_NONE);
}

/* Back from the result screen to pick another file: the marks of the last batch go. */
static struct ui_intent picker_enter(struct app *a, const struct ui_intent *why)
{
    term_paste_as_one(true);
    if (why->fresh)
        fl_clear_marks(a->picker.fl); /* in every folder: the batch was sent */
    return ui_intent(UI_INTENT_NONE);
}

/* The list and, when it is shown, the preview pane on its right (two fifths, at most 60
 * columns): by the width unless toggled, never where the list would be too narrow. */
static void picker_layout_parts(struct app *a)
{
    struct picker *p = &a->picker;
    p->path = a->layout.path;
    p->list = a->layout.list;
    p->stat = a->layout.status;
    int w = p->list.w;
    bool want = p->preview_pref < 0 ? w >= PICKER_PREVIEW_AUTO : p->preview_pref == 1;
    p->preview_shown = want && w >= PICKER_PREVIEW_MIN;
    if (p->preview_shown) {
        int pw = w * 2 / 5 > 60 ? 60 : w * 2 / 5;
        p->list.w = w - pw;
        p->pane = (struct rect){ p->list.y, p->list.x + p->list.w, p->list.h, pw };
    }
    keep_visible(p);
}

static void picker_layout(struct app *a)
{
    /* the picker is the screen: a paste is a path (or the filter's text) */
    term_paste_as_one(true);
    picker_layout_parts(a);
}

static void picker_leave(struct app *a)
{
    (void)a;
    term_paste_as_one(false); /* other screens' fields take a paste as typed keys */
}

const struct screen_ops picker_ops = {
    .enter = picker_enter,
    .leave = picker_leave,
    .layout = picker_layout,
    .update = picker_update,
    .draw = picker_draw,
    .key = picker_key,
    .idle = picker_idle,
    .bindings = picker_bindings,
    .help = picker_help,
};
