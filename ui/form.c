/* The form screen: who gets the file and how Kombo should label it. Each field is checked
 * as it is typed, with the same checks the backend applies, so nothing invalid is sent.
 * The form is a column of virtual lines that scrolls to keep the focused field in view. */
#include "screen.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base64.h"
#include "format.h"
#include "history.h"
#include "mime.h"
#include "upload.h"

#define RECENT_MAX 20
#define LABEL_W LAYOUT_LABEL_W   /* "Content type" and a space */

enum form_action { FA_NEXT, FA_PREV, FA_SEND, FA_BACK, FA_ENTER, FA_CYCLE };

#define FORM_COMMON \
    { { '\t', 0 }, "Tab", "next", FA_NEXT }, \
    { { KC(KEY_BTAB), 0 }, "S-Tab", NULL, FA_PREV }, \
    { { CTRL_KEY('s'), KC(KEY_F(2)), 0 }, "^S", "send", FA_SEND }, \
    { { KEY_ESC, 0 }, "Esc", "back to files", FA_BACK }, \
    { { '\r', '\n', KC(KEY_ENTER), 0 }, "Enter", NULL, FA_ENTER }

static const struct binding text_keys[] = { FORM_COMMON };
static const struct binding recent_keys[] = {
    FORM_COMMON,
    { { CTRL_KEY('p'), 0 }, "Up/Down", "recent IDs", FA_CYCLE },
};
static const struct binding type_keys[] = {
    FORM_COMMON,
    { { ' ', KC(KEY_LEFT), KC(KEY_RIGHT), 0 }, "Space", "change type", FA_CYCLE },
};

#define N_OF(t) (sizeof(t) / sizeof((t)[0]))

const struct binding *form_bindings(const struct app *a, size_t *n)
{
    const struct form *f = &a->form;
    if (f->focus == FF_TYPE) {
        *n = N_OF(type_keys);
        return type_keys;
    }
    if (f->focus == FF_CANDIDATE && f->n_recent) {
        *n = N_OF(recent_keys);
        return recent_keys;
    }
    *n = N_OF(text_keys);
    return text_keys;
}

static bool multi(const struct form *f)
{
    return f->n_files > 1;
}

/* Fields the cursor can land on, in order. The "coming soon" lines are skipped until they
 * do something. */
static bool focusable(const struct form *f, int field)
{
    switch (field) {
    case FF_FIND_SOON:
    case FF_APPLICATION_SOON:
        return false;
    case FF_NAME:
        return !multi(f);
    default:
        return field >= 0 && field < FF_COUNT;
    }
}

static void free_files(struct form *f)
{
    for (size_t i = 0; i < f->n_files; i++) {
        free(f->files[i].path);
        free(f->files[i].base);
    }
    free(f->files);
    f->files = NULL;
    f->n_files = 0;
}

void form_init(struct app *a)
{
    struct form *f = &a->form;
    le_init(&f->cand, a->o->candidate_id ? a->o->candidate_id : "", 256);
    le_init(&f->name, "", 255);
    le_init(&f->ctype, "", 127);
    f->type = a->o->default_type;
    f->recent_pos = -1;
    if (!a->o->no_history) {
        /* Recent candidates from earlier runs, oldest first so the newest ends up on top. */
        size_t n = 0;
        char **ids = history_recent_candidates(RECENT_MAX, &n);
        for (size_t i = n; i-- > 0;)
            form_remember_id(f, ids[i]);
        for (size_t i = 0; i < n; i++)
            free(ids[i]);
        free(ids);
    }
}

void form_free(struct app *a)
{
    struct form *f = &a->form;
    free_files(f);
    le_free(&f->cand);
    le_free(&f->name);
    le_free(&f->ctype);
    for (size_t i = 0; i < f->n_recent; i++)
        free(f->recent[i]);
    free(f->recent);
    f->recent = NULL;
    f->n_recent = 0;
    free(f->typed);
    f->typed = NULL;
}

void form_remember_id(struct form *f, const char *id)
{
    if (!id || !*id)
        return;
    for (size_t i = 0; i < f->n_recent; i++) {
        if (strcmp(f->recent[i], id) == 0) {
            char *s = f->recent[i];
            memmove(f->recent + 1, f->recent, i * sizeof *f->recent);
            f->recent[0] = s;
            return;
        }
    }
    char *copy = strdup(id);
    if (!copy)
        return;
    if (f->n_recent == RECENT_MAX) {
        free(f->recent[--f->n_recent]);
    } else {
        char **nr = realloc(f->recent, (f->n_recent + 1) * sizeof *nr);
        if (!nr) {
            free(copy);
            return;
        }
        f->recent = nr;
    }
    memmove(f->recent + 1, f->recent, f->n_recent * sizeof *f->recent);
    f->recent[0] = copy;
    f->n_recent++;
    f->recent_pos = -1;
}

void form_set_files(struct app *a, char **paths, size_t n)
{
    struct form *f = &a->form;
    free_files(f);
    f->files = calloc(n ? n : 1, sizeof *f->files);
    if (!f->files)
        return;
    for (size_t i = 0; i < n; i++) {
        struct form_file *ff = &f->files[i];
        ff->path = strdup(paths[i]);
        const char *slash = strrchr(paths[i], '/');
        ff->base = strdup(slash ? slash + 1 : paths[i]);
        struct stat st;
        ff->size = stat(paths[i], &st) == 0 ? (uint64_t)st.st_size : 0;
        /* a handful of marked files at most: detecting each once here is cheap */
        mime_detect(paths[i], ff->mime, sizeof ff->mime);
        ff->generic = mime_is_generic(ff->mime);
        if (!ff->path || !ff->base) {
            free(ff->path);
            free(ff->base);
            break;
        }
        f->n_files++;
    }
    /* Candidate ID and type stay: attaching several documents to one person is the usual case. */
    if (f->n_files == 1) {
        le_set(&f->name, f->files[0].base);
        le_set(&f->ctype, f->files[0].mime);
    } else {
        le_set(&f->name, "");
        le_set(&f->ctype, "");
    }
    f->tried_send = false;
    f->notice[0] = '\0';
    f->scroll = 0;
    f->focus = f->cand.len ? FF_SEND : FF_CANDIDATE;
}

void form_layout(struct app *a)
{
    a->form.area = a->body;
}

/* ---- checks --------------------------------------------------------------------------- */

struct check {
    enum role role;   /* ROLE_ERROR blocks sending, ROLE_WARNING does not, ROLE_DIM is a hint */
    char msg[256];
};

static bool check_field(const struct form *f, int field, struct check *c)
{
    const char *m = NULL;
    c->msg[0] = '\0';
    c->role = ROLE_ERROR;
    switch (field) {
    case FF_CANDIDATE:
        if (f->cand.len == 0) {
            c->role = f->tried_send ? ROLE_ERROR : ROLE_DIM;
            snprintf(c->msg, sizeof c->msg, "required");
            return true;
        }
        if ((m = upload_check_candidate_id(f->cand.buf)))
            break;
        if (!upload_id_looks_like_kombo(f->cand.buf)) {
            c->role = ROLE_WARNING;
            snprintf(c->msg, sizeof c->msg, "not a Kombo ID (24 base58 characters); sent as typed");
            return true;
        }
        return false;
    case FF_NAME:
        if (multi(f)) {
            /* Each file is sent under its own name: say which ones will be refused. */
            size_t bad = 0;
            const char *first = NULL, *why = NULL;
            for (size_t i = 0; i < f->n_files; i++) {
                const char *w = att_check_name(f->files[i].base);
                if (w && !bad++) {
                    first = f->files[i].base;
                    why = w;
                }
            }
            if (!bad)
                return false;
            c->role = ROLE_WARNING;
            char *shown = text_fit(first, strlen(first), 30, TEXT_CUT_MIDDLE);
            if (bad == 1)
                snprintf(c->msg, sizeof c->msg, "%s will not be sent: %s", shown ? shown : "", why);
            else
                snprintf(c->msg, sizeof c->msg, "%zu files will not be sent, e.g. %s: %s", bad, shown ? shown : "", why);
            free(shown);
            return true;
        }
        m = att_check_name(f->name.buf);
        break;
    case FF_CTYPE:
        if (multi(f) && f->ctype.len == 0) {
            size_t generic = 0;
            for (size_t i = 0; i < f->n_files; i++)
                generic += f->files[i].generic;
            if (!generic)
                return false;
            c->role = ROLE_WARNING;
            snprintf(c->msg, sizeof c->msg, "generic type for %zu of %zu files; type one here to use for all",
                     generic, f->n_files);
            return true;
        }
        if ((m = att_check_content_type(f->ctype.buf)))
            break;
        if (mime_is_generic(f->ctype.buf)) {
            c->role = ROLE_WARNING;
            snprintf(c->msg, sizeof c->msg, "generic: Kombo asks for a specific type, e.g. application/pdf");
            return true;
        }
        return false;
    default:
        return false;
    }
    if (!m)
        return false;
    snprintf(c->msg, sizeof c->msg, "%s", m);
    return true;
}

static int first_error(const struct form *f)
{
    struct check c;
    for (int i = 0; i < FF_COUNT; i++)
        if (focusable(f, i) && check_field(f, i, &c) && c.role == ROLE_ERROR)
            return i;
    return -1;
}

/* ---- keys ----------------------------------------------------------------------------- */

static void move_focus(struct form *f, int dir)
{
    int i = f->focus;
    for (;;) {
        i += dir;
        if (i < 0 || i >= FF_COUNT)
            return; /* no wrap: the ends of the form are its ends */
        if (focusable(f, i))
            break;
    }
    f->focus = i;
    f->recent_pos = -1;
}

static void try_send(struct app *a)
{
    struct form *f = &a->form;
    f->tried_send = true;
    int bad = first_error(f);
    if (bad >= 0) {
        f->focus = bad;
        snprintf(f->notice, sizeof f->notice, "fix the fields marked %s first", theme_glyphs()->err);
        return;
    }
    if (f->n_files == 0) {
        snprintf(f->notice, sizeof f->notice, "no file to send: go back with Esc and pick one");
        return;
    }
    if (f->n_files == 1 && a->o->max_size && f->files[0].size > a->o->max_size) {
        char lim[32];
        fmt_bytes(a->o->max_size, lim, sizeof lim);
        snprintf(f->notice, sizeof f->notice, "the file is over the limit of %s: pick a smaller "
                 "one (Esc), or start with a larger --max-size", lim);
        return;
    }
    f->notice[0] = '\0';
    progress_start(a);
}

/* Walk the session's recent IDs: dir > 0 older, < 0 newer. Returns false when there is
 * nowhere to go (the caller then moves between fields instead). */
static bool cycle_recent(struct form *f, int dir)
{
    if (f->n_recent == 0)
        return false;
    int pos = f->recent_pos + (dir > 0 ? 1 : -1);
    if (pos >= (int)f->n_recent)
        return true; /* at the oldest: stay */
    if (pos < -1)
        return false;
    if (f->recent_pos == -1) {
        free(f->typed);
        f->typed = strdup(f->cand.buf);
    }
    f->recent_pos = pos;
    le_set(&f->cand, pos == -1 ? (f->typed ? f->typed : "") : f->recent[pos]);
    return true;
}

static struct lineedit *field_edit(struct form *f)
{
    switch (f->focus) {
    case FF_CANDIDATE: return &f->cand;
    case FF_NAME: return &f->name;
    case FF_CTYPE: return &f->ctype;
    default: return NULL;
    }
}

/* Editing keys of a text field; true when the key was one. */
static bool edit_key(struct lineedit *le, int key)
{
    static const struct { int key; enum le_action act; } map[] = {
        { KC(KEY_LEFT), LE_LEFT }, { KC(KEY_RIGHT), LE_RIGHT },
        { KC(KEY_HOME), LE_HOME }, { CTRL_KEY('a'), LE_HOME },
        { KC(KEY_END), LE_END }, { CTRL_KEY('e'), LE_END },
        { KC(KEY_BACKSPACE), LE_BACKSPACE }, { 127, LE_BACKSPACE }, { 8, LE_BACKSPACE },
        { KC(KEY_DC), LE_DELETE }, { CTRL_KEY('d'), LE_DELETE },
        { CTRL_KEY('u'), LE_KILL_TO_START }, { CTRL_KEY('w'), LE_KILL_WORD },
        { CTRL_KEY('k'), LE_KILL_TO_END },
        { KC(KEY_SLEFT), LE_WORD_LEFT }, { KC(KEY_SRIGHT), LE_WORD_RIGHT },
    };
    for (size_t i = 0; i < N_OF(map); i++) {
        if (map[i].key == key) {
            le_apply(le, map[i].act);
            return true;
        }
    }
    if (!KEY_IS_CODE(key) && key >= 0x20 && key != 0x7f) {
        le_insert(le, (wchar_t)key);
        return true;
    }
    return false;
}

unsigned form_key(struct app *a, int key)
{
    struct form *f = &a->form;
    f->notice[0] = '\0';

    /* Keys whose meaning depends on the field come first. */
    if (f->focus == FF_CANDIDATE) {
        if (key == KC(KEY_UP) || key == CTRL_KEY('p')) {
            cycle_recent(f, +1);
            return UI_REDRAW;
        }
        if (key == KC(KEY_DOWN) || key == CTRL_KEY('n')) {
            if (!cycle_recent(f, -1))
                move_focus(f, +1);
            return UI_REDRAW;
        }
    }
    if (f->focus == FF_TYPE && (key == ' ' || key == KC(KEY_LEFT) || key == KC(KEY_RIGHT))) {
        int d = key == KC(KEY_LEFT) ? 2 : 1;
        f->type = (enum att_type)(((int)f->type + d) % 3);
        return UI_REDRAW;
    }
    if (key == KC(KEY_UP)) {
        move_focus(f, -1);
        return UI_REDRAW;
    }
    if (key == KC(KEY_DOWN)) {
        move_focus(f, +1);
        return UI_REDRAW;
    }

    size_t nb;
    const struct binding *t = form_bindings(a, &nb);
    switch (keys_find(t, nb, key)) {
    case FA_NEXT: move_focus(f, +1); return UI_REDRAW;
    case FA_PREV: move_focus(f, -1); return UI_REDRAW;
    case FA_SEND: try_send(a); return UI_REDRAW;
    case FA_BACK:
        app_goto(a, SCR_PICKER);
        return UI_REDRAW;
    case FA_ENTER:
        if (f->focus == FF_SEND)
            try_send(a);
        else
            move_focus(f, +1);
        return UI_REDRAW;
    default:
        break;
    }

    struct lineedit *le = field_edit(f);
    if (le && edit_key(le, key)) {
        if (le == &f->cand)
            f->recent_pos = -1;
        return UI_REDRAW;
    }
    return UI_NONE;
}

/* ---- drawing -------------------------------------------------------------------------- */

/* Lines are produced in order into a window: line number vy is drawn on screen row
 * area.y + vy - scroll when that row is inside the area. */
struct canvas {
    const struct rect *area;
    int scroll;
    int vy;
    bool draw;
    int cur_y, cur_x;       /* where the terminal cursor goes (-1 = hidden) */
    int focus_top, focus_bottom;
};

static int row_of(const struct canvas *cv)
{
    int r = cv->vy - cv->scroll;
    return r >= 0 && r < cv->area->h ? cv->area->y + r : -1;
}

static void form_geom_of(const struct rect *ar, struct form_geom *g)
{
    layout_form(ar->w, g);
}

static void draw_label(struct canvas *cv, const struct form_geom *g, int y, const char *label, bool focused)
{
    if (focused) {
        draw_put(y, 0, 1, theme_glyphs()->focus, theme_attr(ROLE_SELECTION) | A_BOLD);
        draw_put(y, g->label_x, LABEL_W, label, theme_attr(ROLE_SELECTION) | A_BOLD);
    } else {
        draw_put(y, g->label_x, LABEL_W, label, theme_attr(ROLE_LABEL));
    }
    (void)cv;
}

/* The message of a field: beside it on wide screens, on its own line(s) below otherwise. */
static void draw_check(struct canvas *cv, const struct form_geom *g, const struct check *c, int field_row)
{
    const struct glyphs *gl = theme_glyphs();
    char buf[300];
    const char *glyph = c->role == ROLE_ERROR ? gl->err : c->role == ROLE_WARNING ? gl->warn : "";
    snprintf(buf, sizeof buf, "%s%s%s", glyph, *glyph ? " " : "", c->msg);
    /* beside the field when it fits there whole, else wrapped on lines of its own */
    if (g->msg_beside && text_width(buf) <= g->msg_w) {
        if (cv->draw && field_row >= 0)
            draw_put(field_row, g->msg_x, g->msg_w, buf, theme_attr(c->role));
        return;
    }
    int w = cv->area->w - g->field_x - 1;
    char **lines;
    size_t n = text_wrap(buf, w, &lines);
    for (size_t i = 0; i < n; i++) {
        cv->vy++;
        int y = row_of(cv);
        if (cv->draw && y >= 0)
            draw_put(y, g->field_x, w, lines[i], theme_attr(c->role));
    }
    draw_lines_free(lines, n);
}

static void text_field(struct canvas *cv, const struct form_geom *g, struct form *f, int field, const char *label,
                       struct lineedit *le, const char *placeholder)
{
    bool focused = f->focus == field;
    int y = row_of(cv);
    if (focused)
        cv->focus_top = cv->vy;
    if (cv->draw && y >= 0) {
        draw_label(cv, g, y, label, focused);
        draw_fill(y, g->field_x, g->field_w, theme_attr(ROLE_FIELD));
        if (le->len == 0 && placeholder)
            draw_put(y, g->field_x, g->field_w, placeholder, theme_attr(ROLE_FIELD) | A_DIM);
        int col = le_view(le, g->field_w);
        if (le->len)
            draw_put(y, g->field_x, g->field_w, le->buf + le->scroll, theme_attr(ROLE_FIELD));
        if (le->scroll > 0 && col > 0) /* say that the text goes on to the left */
            draw_put(y, g->field_x, 1, "\xe2\x80\xa6", theme_attr(ROLE_FIELD) | A_BOLD);
        if (focused) {
            cv->cur_y = y;
            cv->cur_x = g->field_x + col;
        }
    }
    struct check c;
    if (check_field(f, field, &c))
        draw_check(cv, g, &c, y);
    if (focused)
        cv->focus_bottom = cv->vy;
    cv->vy++;
}

static void plain_line(struct canvas *cv, int x, const char *label, const char *text, enum role r)
{
    int y = row_of(cv);
    if (cv->draw && y >= 0) {
        int w = cv->area->w - x - 1;
        if (label) {
            draw_put(y, x, LABEL_W, label, theme_attr(ROLE_LABEL));
            draw_put_cut(y, x + LABEL_W + 1, w - LABEL_W - 1, text, theme_attr(r), TEXT_CUT_MIDDLE);
        } else {
            draw_put(y, x, w, text, theme_attr(r));
        }
    }
    cv->vy++;
}

static void type_field(struct canvas *cv, const struct form_geom *g, struct form *f)
{
    bool focused = f->focus == FF_TYPE;
    int y = row_of(cv);
    if (focused)
        cv->focus_top = cv->focus_bottom = cv->vy;
    if (cv->draw && y >= 0) {
        draw_label(cv, g, y, "Type", focused);
        int x = g->field_x;
        for (int t = 0; t < 3; t++) {
            const char *name = att_type_name((enum att_type)t);
            bool sel = (int)f->type == t;
            /* brackets carry the choice without colour; reverse adds it when focused */
            attr_t at = sel ? (focused ? theme_attr(ROLE_SELECTION) | A_BOLD : theme_attr(ROLE_LABEL)) : theme_attr(ROLE_DIM);
            char buf[32];
            snprintf(buf, sizeof buf, sel ? "[%s]" : "%s", name);
            x += draw_put(y, x, g->field_x + g->field_w - x, buf, at);
            x += 1;
        }
    }
    cv->vy++;
}

static uint64_t wire_size(uint64_t size, const char *name, const char *ctype, enum att_type t)
{
    /* {"attachment":{"name":"","type":"","content_type":"","data":""},"remote_fields":{}} */
    return b64_encoded_len(size) + 84 + strlen(name) + strlen(ctype) + strlen(att_type_name(t));
}

static int render(struct app *a, struct canvas *cv)
{
    struct form *f = &a->form;
    struct form_geom g;
    const struct glyphs *gl = theme_glyphs();
    form_geom_of(cv->area, &g);
    char buf[512], s1[32], s2[32];

    if (f->n_files == 1)
        snprintf(buf, sizeof buf, "Attach %s", f->files[0].base);
    else
        snprintf(buf, sizeof buf, "Attach %zu files", f->n_files);
    plain_line(cv, 1, NULL, buf, ROLE_LABEL);
    cv->vy++;

    text_field(cv, &g, f, FF_CANDIDATE, "Candidate ID", &f->cand, NULL);
    /* What comes next lives right under the ID it will fill in. */
    plain_line(cv, g.field_x, NULL, "Find candidate by e-mail or name (coming soon)", ROLE_DIM);
    plain_line(cv, g.field_x, NULL, "Attach to an application (coming soon)", ROLE_DIM);
    type_field(cv, &g, f);
    if (multi(f)) {
        int y = row_of(cv);
        if (cv->draw && y >= 0) {
            draw_label(cv, &g, y, "Name", false);
            draw_put(y, g.field_x, g.field_w, "(each file's own name)", theme_attr(ROLE_DIM));
        }
        struct check c;
        if (check_field(f, FF_NAME, &c))
            draw_check(cv, &g, &c, y);
        cv->vy++;
    } else {
        text_field(cv, &g, f, FF_NAME, "Name", &f->name, NULL);
    }
    text_field(cv, &g, f, FF_CTYPE, "Content type", &f->ctype, multi(f) ? "(detected for each file)" : NULL);
    cv->vy++;

    uint64_t total = 0, wire = 0;
    for (size_t i = 0; i < f->n_files; i++) {
        const struct form_file *ff = &f->files[i];
        const char *ct = f->ctype.len ? f->ctype.buf : ff->mime;
        const char *nm = multi(f) ? ff->base : f->name.buf;
        total += ff->size;
        wire += wire_size(ff->size, nm, ct, f->type);
    }
    fmt_bytes(total, s1, sizeof s1);
    fmt_bytes(wire, s2, sizeof s2);
    if (f->n_files == 1) {
        char shown[4096];
        text_tilde(f->files[0].path, getenv("HOME"), shown, sizeof shown);
        plain_line(cv, g.label_x, "File", shown, ROLE_NORMAL);
    } else {
        snprintf(buf, sizeof buf, "%zu files", f->n_files);
        plain_line(cv, g.label_x, "Files", buf, ROLE_NORMAL);
        for (size_t i = 0; i < f->n_files; i++) {
            const struct form_file *ff = &f->files[i];
            char sz[32];
            fmt_bytes(ff->size, sz, sizeof sz);
            snprintf(buf, sizeof buf, "%s%s  %s  %s", ff->generic && !f->ctype.len ? "! " : "", ff->base,
                     ff->mime, sz);
            plain_line(cv, g.field_x, NULL, buf, ff->generic && !f->ctype.len ? ROLE_WARNING : ROLE_NORMAL);
        }
    }
    snprintf(buf, sizeof buf, "%s (%s %s on the wire)", s1, gl->approx, s2);
    plain_line(cv, g.label_x, "Size", buf, ROLE_NORMAL);
    size_t too_big = 0;
    for (size_t i = 0; i < f->n_files; i++)
        too_big += a->o->max_size && f->files[i].size > a->o->max_size;
    if (too_big) {
        fmt_bytes(a->o->max_size, s1, sizeof s1);
        if (f->n_files == 1)
            snprintf(buf, sizeof buf, "%s over the limit of %s (--max-size): it will not be sent",
                     gl->err, s1);
        else
            snprintf(buf, sizeof buf, "%s %zu file%s over the limit of %s (--max-size) will not be sent",
                     gl->err, too_big, too_big == 1 ? "" : "s", s1);
        plain_line(cv, g.field_x, NULL, buf, ROLE_ERROR);
    } else if (total > ATT_ADVISED_MAX) {
        snprintf(buf, sizeof buf, "%s over 10 MB: many ATSs refuse files this big", gl->warn);
        plain_line(cv, g.field_x, NULL, buf, ROLE_WARNING);
    }
    cv->vy++;

    bool focused = f->focus == FF_SEND;
    if (focused)
        cv->focus_top = cv->focus_bottom = cv->vy;
    int y = row_of(cv);
    if (cv->draw && y >= 0) {
        attr_t at = focused ? theme_attr(ROLE_SELECTION) | A_BOLD : theme_attr(ROLE_LABEL);
        if (focused)
            draw_put(y, 0, 1, gl->focus, at);
        int x = g.field_x + draw_put(y, g.field_x, 8, "[ Send ]", at) + 2;
        if (f->notice[0])
            draw_put(y, x, cv->area->w - x - 1, f->notice, theme_attr(ROLE_ERROR));
        else
            draw_put(y, x, cv->area->w - x - 1, "Ctrl-S or F2 sends from any field", theme_attr(ROLE_DIM));
    }
    cv->vy++;
    return cv->vy;
}

void form_draw(struct app *a)
{
    struct form *f = &a->form;
    struct canvas cv = { .area = &f->area, .scroll = 0, .draw = false, .cur_y = -1 };
    /* First pass measures, second draws with the focused field in view. */
    int total = render(a, &cv);
    int h = f->area.h;
    if (cv.focus_bottom - f->scroll >= h)
        f->scroll = cv.focus_bottom - h + 1;
    if (cv.focus_top < f->scroll)
        f->scroll = cv.focus_top;
    /* the field's own label line wins over its message when both cannot fit */
    if (f->scroll > total - h)
        f->scroll = total - h > 0 ? total - h : 0;
    if (cv.focus_top < f->scroll)
        f->scroll = cv.focus_top;
    cv = (struct canvas){ .area = &f->area, .scroll = f->scroll, .draw = true, .cur_y = -1 };
    render(a, &cv);
    if (f->scroll > 0)
        draw_put(f->area.y, f->area.w - 1, 1, theme_glyphs()->up, theme_attr(ROLE_DIM));
    if (total - f->scroll > h)
        draw_put(f->area.y + h - 1, f->area.w - 1, 1, theme_glyphs()->down, theme_attr(ROLE_DIM));
    if (cv.cur_y >= 0)
        draw_cursor_at(cv.cur_y, cv.cur_x);
}
