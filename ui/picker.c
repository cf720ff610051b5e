/* The file picker screen: browse folders, filter, mark several files, pick. The list model
 * (reading, sorting, filtering, marks, lazy stat) is filelist.c; this file only maps keys
 * to it and draws it. */
#include "screen.h"

#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "format.h"
#include "mime.h"

enum picker_action {
    PA_UP, PA_DOWN, PA_PGUP, PA_PGDN, PA_TOP, PA_BOTTOM, PA_ENTER, PA_OPEN_DIR, PA_PARENT,
    PA_HOME, PA_FILTER, PA_HIDDEN, PA_SORT, PA_MARK, PA_ESC, PA_QUIT,
    /* while typing a filter */
    PA_F_KEEP, PA_F_CLEAR, PA_F_BACKSPACE, PA_F_LEFT, PA_F_RIGHT, PA_F_KILL,
};

#define NAV_BINDINGS \
    { { KC(KEY_UP), 'k', CTRL_KEY('p'), 0 }, "k", NULL, PA_UP }, \
    { { KC(KEY_DOWN), 'j', CTRL_KEY('n'), 0 }, "j", NULL, PA_DOWN }, \
    { { KC(KEY_PPAGE), CTRL_KEY('b'), 0 }, "PgUp", NULL, PA_PGUP }, \
    { { KC(KEY_NPAGE), CTRL_KEY('f'), 0 }, "PgDn", NULL, PA_PGDN }, \
    { { KC(KEY_HOME), 'g', 0 }, "g", NULL, PA_TOP }, \
    { { KC(KEY_END), 'G', 0 }, "G", NULL, PA_BOTTOM }, \
    { { KC(KEY_RIGHT), 'l', 0 }, "l", NULL, PA_OPEN_DIR }, \
    { { KC(KEY_LEFT), 'h', KC(KEY_BACKSPACE), 127, 8 }, "h", NULL, PA_PARENT }, \
    { { '~', 0 }, "~", NULL, PA_HOME }, \
    { { 'q', KC(KEY_F(10)), 0 }, "q", NULL, PA_QUIT }

/* The footer shows the rows with a label, in this order. */
static const struct binding list_keys[] = {
    { { '\r', '\n', KC(KEY_ENTER), 0 }, "Enter", "pick", PA_ENTER },
    { { ' ', 0 }, "Space", "mark", PA_MARK },
    { { '/', 0 }, "/", "filter", PA_FILTER },
    { { KC(KEY_BACKSPACE), 0 }, "BkSp", "up", PA_PARENT },
    { { 's', 0 }, "s", "sort", PA_SORT },
    { { '.', 0 }, ".", "hidden", PA_HIDDEN },
    { { 'q', 0 }, "q", "quit", PA_QUIT },
    { { '~', 0 }, "~", "home", PA_HOME },
    { { KEY_ESC, 0 }, "Esc", NULL, PA_ESC },
    NAV_BINDINGS,
};

static const struct binding marked_keys[] = {
    { { '\r', '\n', KC(KEY_ENTER), 0 }, "Enter", "attach marked", PA_ENTER },
    { { ' ', 0 }, "Space", "mark", PA_MARK },
    { { KEY_ESC, 0 }, "Esc", "unmark all", PA_ESC },
    { { '/', 0 }, "/", "filter", PA_FILTER },
    { { 's', 0 }, "s", "sort", PA_SORT },
    { { 'q', 0 }, "q", "quit", PA_QUIT },
    { { '.', 0 }, ".", NULL, PA_HIDDEN },
    NAV_BINDINGS,
};

/* Typing a filter: printable characters go to the filter, not to these. */
static const struct binding filter_keys[] = {
    { { '\r', '\n', KC(KEY_ENTER), 0 }, "Enter", "keep filter", PA_F_KEEP },
    { { KEY_ESC, 0 }, "Esc", "clear filter", PA_F_CLEAR },
    { { KC(KEY_UP), CTRL_KEY('p'), 0 }, "Up/Down", "move", PA_UP },
    { { KC(KEY_DOWN), CTRL_KEY('n'), 0 }, "Down", NULL, PA_DOWN },
    { { KC(KEY_PPAGE), 0 }, "PgUp", NULL, PA_PGUP },
    { { KC(KEY_NPAGE), 0 }, "PgDn", NULL, PA_PGDN },
    { { KC(KEY_BACKSPACE), 127, 8, 0 }, "BkSp", NULL, PA_F_BACKSPACE },
    { { KC(KEY_LEFT), 0 }, "Left", NULL, PA_F_LEFT },
    { { KC(KEY_RIGHT), 0 }, "Right", NULL, PA_F_RIGHT },
    { { CTRL_KEY('u'), 0 }, "^U", NULL, PA_F_KILL },
};

#define N_OF(t) (sizeof(t) / sizeof((t)[0]))

const struct binding *picker_bindings(const struct app *a, size_t *n)
{
    const struct picker *p = &a->picker;
    if (p->filtering) {
        *n = N_OF(filter_keys);
        return filter_keys;
    }
    if (p->fl && fl_marked_count(p->fl) > 0) {
        *n = N_OF(marked_keys);
        return marked_keys;
    }
    *n = N_OF(list_keys);
    return list_keys;
}

static const char *sort_name(enum fl_sort s)
{
    return s == FL_SORT_SIZE ? "size" : s == FL_SORT_DATE ? "date" : "name";
}

static void set_status(struct picker *p, enum role r, const char *fmt, const char *a1, const char *a2)
{
    snprintf(p->status, sizeof p->status, fmt, a1 ? a1 : "", a2 ? a2 : "");
    p->status_role = r;
}

int picker_init(struct app *a, const char *dir, char *err, size_t errlen)
{
    struct picker *p = &a->picker;
    p->sort = FL_SORT_NAME;
    p->fl = fl_open(dir, p->show_hidden, p->sort, err, errlen);
    if (!p->fl)
        return -1;
    le_init(&p->filter, "", 255);
    return 0;
}

void picker_free(struct app *a)
{
    struct picker *p = &a->picker;
    if (p->fl)
        fl_free(p->fl);
    p->fl = NULL;
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
    size_t had_marks = fl_marked_count(p->fl);
    struct filelist *nl = fl_open(dir, p->show_hidden, p->sort, err, sizeof err);
    if (!nl) {
        set_status(p, ROLE_ERROR, "%s%s", err, NULL);
        return false;
    }
    fl_free(p->fl);
    p->fl = nl;
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
    if (had_marks)
        set_status(p, ROLE_WARNING, "marks cleared: marks stay within one folder%s%s", NULL, NULL);
    return true;
}

static void go_parent(struct picker *p)
{
    const char *dir = fl_dir(p->fl);
    if (strcmp(dir, "/") == 0)
        return;
    const char *slash = strrchr(dir, '/');
    char *parent = slash == dir ? strdup("/") : strndup(dir, (size_t)(slash - dir));
    char *child = strdup(slash + 1);
    if (parent && child)
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
        set_status(p, ROLE_ERROR, "no home folder is known%s%s", NULL, NULL);
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
    return e ? strdup(e->name) : NULL;
}

static void apply_filter(struct picker *p)
{
    char *name = current_name(p);
    fl_set_filter(p->fl, p->filter.buf);
    reselect(p, name);
    free(name);
}

static unsigned pick(struct app *a)
{
    struct picker *p = &a->picker;
    if (fl_marked_count(p->fl) > 0) {
        size_t n = 0;
        char **paths = fl_marked_paths(p->fl, &n);
        if (!paths)
            return UI_NONE;
        form_set_files(a, paths, n);
        for (size_t i = 0; i < n; i++)
            free(paths[i]);
        free(paths);
        app_goto(a, SCR_FORM);
        return UI_REDRAW;
    }
    if (fl_count(p->fl) == 0)
        return UI_NONE;
    struct fl_entry *e = fl_get(p->fl, p->cursor);
    char *path = fl_path(p->fl, p->cursor);
    if (!path)
        return UI_NONE;
    if (e->is_dir) {
        change_dir(p, path, NULL);
    } else {
        struct stat st;
        if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
            char *shown = text_fit(e->name, strlen(e->name), 60, TEXT_CUT_MIDDLE);
            set_status(p, ROLE_ERROR, "%s is not a regular file: only files can be attached%s", shown, NULL);
            free(shown);
        } else {
            form_set_files(a, &path, 1);
            app_goto(a, SCR_FORM);
        }
    }
    free(path);
    return UI_REDRAW;
}

static unsigned filter_key(struct app *a, int key)
{
    struct picker *p = &a->picker;
    int act = keys_find(filter_keys, N_OF(filter_keys), key);
    switch (act) {
    case PA_F_KEEP:
        p->filtering = false;
        return UI_REDRAW;
    case PA_F_CLEAR:
        p->filtering = false;
        le_set(&p->filter, "");
        apply_filter(p);
        return UI_REDRAW;
    case PA_F_BACKSPACE:
        if (p->filter.len == 0) {
            p->filtering = false; /* backspace on an empty filter leaves filter mode, like a shell prompt */
            return UI_REDRAW;
        }
        le_apply(&p->filter, LE_BACKSPACE);
        apply_filter(p);
        return UI_REDRAW;
    case PA_F_LEFT: le_apply(&p->filter, LE_LEFT); return UI_REDRAW;
    case PA_F_RIGHT: le_apply(&p->filter, LE_RIGHT); return UI_REDRAW;
    case PA_F_KILL:
        le_apply(&p->filter, LE_KILL_TO_START);
        apply_filter(p);
        return UI_REDRAW;
    default:
        /* anything else printable is part of the filter */
        if (!KEY_IS_CODE(key) && le_insert(&p->filter, (wchar_t)key)) {
            apply_filter(p);
            return UI_REDRAW;
        }
        return UI_NONE;
    }
}

unsigned picker_key(struct app *a, int key)
{
    struct picker *p = &a->picker;
    int act;
    if (p->filtering) {
        act = keys_find(filter_keys, N_OF(filter_keys), key);
        if (act != PA_UP && act != PA_DOWN && act != PA_PGUP && act != PA_PGDN)
            return filter_key(a, key);
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
        return pick(a);
    case PA_OPEN_DIR:
        if (n && fl_get(p->fl, p->cursor)->is_dir) {
            char *path = fl_path(p->fl, p->cursor);
            if (path)
                change_dir(p, path, NULL);
            free(path);
        }
        break;
    case PA_PARENT: go_parent(p); break;
    case PA_HOME: go_home(p); break;
    case PA_FILTER:
        p->filtering = true;
        break;
    case PA_HIDDEN:
        name = current_name(p);
        p->show_hidden = !p->show_hidden;
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
    case PA_MARK:
        if (n) {
            struct fl_entry *e = fl_get(p->fl, p->cursor);
            if (e->is_dir)
                set_status(p, ROLE_WARNING, "folders cannot be marked: open one with Enter%s%s", NULL, NULL);
            else
                fl_toggle_mark(p->fl, p->cursor);
            if (p->cursor + 1 < n)
                p->cursor++; /* like a file manager: Space marks and moves on */
        }
        break;
    case PA_ESC:
        if (p->filter.len) {
            le_set(&p->filter, "");
            apply_filter(p);
        } else {
            fl_clear_marks(p->fl);
        }
        break;
    case PA_QUIT:
        return UI_QUIT;
    default:
        return UI_NONE;
    }
    free(name);
    keep_visible(p);
    return UI_REDRAW;
}

unsigned picker_idle(struct app *a)
{
    /* Sizes and dates of rows not on screen, a few milliseconds at a time. Nothing visible
     * changes, so no redraw. */
    if (a->picker.fl)
        fl_stat_step(a->picker.fl, 5);
    return UI_NONE;
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
    struct stat st;
    /* A FIFO or device would block libmagic's read: only regular files are looked into. */
    p->info_regular = stat(path, &st) == 0 && S_ISREG(st.st_mode);
    if (p->info_regular)
        mime_detect(path, p->info_mime, sizeof p->info_mime);
    else
        snprintf(p->info_mime, sizeof p->info_mime, "not a regular file");
}

static void draw_path_bar(struct app *a)
{
    struct picker *p = &a->picker;
    int y = p->path.y, w = p->path.w;
    char right[64];
    snprintf(right, sizeof right, "sort: %s%s ", sort_name(p->sort), p->show_hidden ? ", hidden shown" : "");
    int rw = text_width(right);
    if (rw > w / 2)
        rw = 0;
    char dir[4096];
    text_tilde(fl_dir(p->fl), getenv("HOME"), dir, sizeof dir);
    draw_put_cut(y, 1, w - 2 - rw - 1, dir, theme_attr(ROLE_LABEL), TEXT_CUT_START);
    if (rw)
        draw_put(y, w - rw, rw, right, theme_attr(ROLE_DIM));
}

/* Draw one row's name, highlighting the part the filter matched. */
static void draw_name(int y, int x, int w, const struct fl_entry *e, const char *filter, attr_t at,
                      attr_t match_at)
{
    int nw = e->is_dir ? w - 1 : w;
    if (nw < 1)
        return;
    char *fit = text_fit(e->name, strlen(e->name), nw, TEXT_CUT_END);
    if (!fit)
        return;
    int used = text_width(fit);
    size_t off, len;
    if (filter && *filter && fl_match(e->name, filter, &off, &len)) {
        /* Raw byte offsets -> columns in the (sanitised, maybe cut) text. */
        char *pre = strndup(e->name, off);
        char *mid = strndup(e->name + off, len);
        int c0 = pre ? text_width(pre) : 0;
        int c1 = c0 + (mid ? text_width(mid) : 0);
        free(pre);
        free(mid);
        int full = text_width(e->name);
        int limit = used < full ? used - 1 : used; /* never highlight the "…" */
        if (c1 > limit)
            c1 = limit;
        size_t b0 = text_col_to_byte(fit, c0), b1 = text_col_to_byte(fit, c1);
        attrset(at);
        mvaddnstr(y, x, fit, (int)b0);
        if (b1 > b0) {
            attrset(match_at);
            addnstr(fit + b0, (int)(b1 - b0));
        }
        attrset(at);
        addstr(fit + b1);
    } else {
        attrset(at);
        mvaddstr(y, x, fit);
    }
    if (e->is_dir)
        addstr("/");
    attrset(A_NORMAL);
    free(fit);
}

static void draw_row(struct app *a, int y, size_t i, bool selected)
{
    struct picker *p = &a->picker;
    struct fl_entry *e = fl_get(p->fl, i);
    const struct glyphs *g = theme_glyphs();
    int w = p->list.w;
    bool show_date = w >= 64, show_size = true;
    int right = (show_size ? 10 : 0) + (show_date ? 17 : 0);

    attr_t base = selected ? theme_attr(ROLE_SELECTION) : theme_attr(ROLE_NORMAL);
    attr_t name_at = base;
    if (selected) {
        if (e->is_dir || e->marked)
            name_at |= A_BOLD;
    } else if (e->is_dir) {
        name_at = theme_attr(ROLE_DIR);
    } else if (e->marked) {
        name_at = theme_attr(ROLE_MARKED);
    }
    attr_t match_at = theme_attr(ROLE_MATCH) | (selected && !theme_has_colour() ? A_REVERSE : 0);
    if (selected)
        draw_fill(y, 0, w, base);
    if (e->marked)
        draw_put(y, 1, 1, g->mark, selected ? base | A_BOLD : theme_attr(ROLE_MARKED));
    draw_name(y, 3, w - 3 - right - 1, e, fl_get_filter(p->fl), name_at, match_at);

    int x = w - right;
    char buf[32] = "";
    if (show_size) {
        if (!e->stat_done)
            buf[0] = '\0';
        else if (e->stat_failed)
            snprintf(buf, sizeof buf, "?");
        else if (!e->is_dir)
            fmt_bytes(e->size, buf, sizeof buf);
        draw_put_right(y, x, 9, buf, base);
        x += 10;
    }
    if (show_date && e->stat_done && !e->stat_failed) {
        struct tm tm;
        if (localtime_r(&e->mtime, &tm)) {
            strftime(buf, sizeof buf, "%Y-%m-%d %H:%M", &tm);
            draw_put(y, x, 16, buf, selected ? base : theme_attr(ROLE_DIM));
        }
    }
}

static void draw_status(struct app *a)
{
    struct picker *p = &a->picker;
    int y = p->stat.y, w = p->stat.w;
    size_t n = fl_count(p->fl), total = fl_total(p->fl), marks = fl_marked_count(p->fl);
    char right[96];
    if (n != total)
        snprintf(right, sizeof right, " %zu of %zu shown", n, total);
    else
        snprintf(right, sizeof right, " %zu/%zu", n ? p->cursor + 1 : 0, n);
    if (marks) {
        size_t l = strlen(right);
        snprintf(right + l, sizeof right - l, " %s %zu marked", theme_glyphs()->sep, marks);
    }
    int rw = text_width(right) + 1;
    draw_put_right(y, w - rw, rw - 1, right, marks ? theme_attr(ROLE_MARKED) : theme_attr(ROLE_DIM));
    int lw = w - rw - 1;

    if (p->filtering) {
        int x = draw_put(y, 1, lw, "filter: ", theme_attr(ROLE_LABEL)) + 1;
        int fw = lw - x;
        if (fw < 4)
            return;
        int col = le_view(&p->filter, fw);
        draw_put(y, x, fw, p->filter.buf + p->filter.scroll, theme_attr(ROLE_NORMAL));
        draw_cursor_at(y, x + col);
        return;
    }
    if (p->status[0]) {
        draw_put(y, 1, lw, p->status, theme_attr(p->status_role));
        return;
    }
    if (p->filter.len) {
        char buf[320];
        snprintf(buf, sizeof buf, "filter \"%s\" (Esc clears)", p->filter.buf);
        draw_put(y, 1, lw, buf, theme_attr(ROLE_MATCH));
        return;
    }
    if (n == 0)
        return;
    struct fl_entry *e = fl_get(p->fl, p->cursor);
    char buf[256], size[32];
    if (e->is_dir) {
        snprintf(buf, sizeof buf, "folder%s", e->is_link ? " (link)" : "");
    } else if (!p->info_regular) {
        snprintf(buf, sizeof buf, "%s", p->info_mime);
    } else {
        if (e->stat_done && !e->stat_failed)
            fmt_bytes(e->size, size, sizeof size);
        else
            snprintf(size, sizeof size, "size unknown");
        snprintf(buf, sizeof buf, "%s %s %s", p->info_mime, theme_glyphs()->sep, size);
    }
    draw_put(y, 1, lw, buf, theme_attr(ROLE_NORMAL));
}

void picker_draw(struct app *a)
{
    struct picker *p = &a->picker;
    keep_visible(p);
    /* What is about to be shown gets its sizes, dates and type now; the rest waits for idle time. */
    size_t n = fl_count(p->fl);
    if (n)
        fl_stat_range(p->fl, p->top, (size_t)p->list.h);
    update_info(p);

    draw_path_bar(a);
    if (n == 0) {
        const char *msg = fl_total(p->fl) ? "no name matches the filter" : "this folder is empty";
        draw_put(p->list.y + 1, 3, p->list.w - 4, msg, theme_attr(ROLE_DIM));
    }
    for (int r = 0; r < p->list.h; r++) {
        size_t i = p->top + (size_t)r;
        if (i >= n)
            break;
        draw_row(a, p->list.y + r, i, i == p->cursor);
    }
    draw_status(a);
}
