/* The form screen: lays out the form model (form_model.c: values, checks, sizes) and maps
 * keys to it. The form is a column of virtual lines that scrolls to keep the focused field
 * in view. */
#include "form.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "draw.h"
#include "editkeys.h"
#include "format.h"
#include "theme.h"

#define LABEL_W LAYOUT_LABEL_W   /* "Content type" and a space */

enum form_action {
    FA_NEXT, FA_PREV, FA_UP, FA_DOWN, FA_SEND, FA_BACK, FA_ENTER, FA_OLDER, FA_NEWER, FA_TYPE_NEXT,
    FA_TYPE_PREV
};

/* Every field has these; a field's own rows come first in its table, so they win. */
#define FORM_COMMON \
    { { '\t', 0 }, "Tab", "next", FA_NEXT, "next field (after [Send], the first again)" }, \
    { { KC(KEY_BTAB), 0 }, "S-Tab", NULL, FA_PREV, "previous field" }, \
    { { CTRL_KEY('s'), KC(KEY_F(2)), 0 }, "^S", "send", FA_SEND, "send, from any field" }, \
    { { KEY_ESC, 0 }, "Esc", "back to files", FA_BACK, "back to the files (what you typed stays)" }, \
    { { '\r', '\n', KC(KEY_ENTER), 0 }, "Enter", NULL, FA_ENTER, "next field; on [Send]: send" }, \
    { { KC(KEY_UP), 0 }, "Up", NULL, FA_UP, "previous field" }, \
    { { KC(KEY_DOWN), 0 }, "Down", NULL, FA_DOWN, "next field" }

/* In a text field `?` is a character: F1 opens the help there. The candidate ID is base58,
 * which has no `?`, so there `?` is the help too. */
#define HELP_F1 { { KC(KEY_F(1)), 0 }, "F1", "keys", KEYS_HELP, "this list of keys" }
#define HELP_ANY { { '?', KC(KEY_F(1)), 0 }, "?", "keys", KEYS_HELP, "this list of keys" }

static const struct binding text_keys[] = { FORM_COMMON, HELP_F1 };
static const struct binding cand_keys[] = { FORM_COMMON, HELP_ANY };
static const struct binding recent_keys[] = {
    { { KC(KEY_UP), CTRL_KEY('p'), 0 }, "Up/Down", "recent IDs", FA_OLDER,
      "an older candidate ID of earlier uploads" },
    { { KC(KEY_DOWN), CTRL_KEY('n'), 0 }, "Down", NULL, FA_NEWER,
      "a newer one; past the newest, the next field" },
    FORM_COMMON,
    HELP_ANY,
};
static const struct binding type_keys[] = {
    { { ' ', KC(KEY_RIGHT), 0 }, "Space", "change type", FA_TYPE_NEXT, "the next type" },
    { { KC(KEY_LEFT), 0 }, "Left", NULL, FA_TYPE_PREV, "the previous type" },
    FORM_COMMON,
    HELP_ANY,
};
static const struct binding send_keys[] = { FORM_COMMON, HELP_ANY };

#define N_OF(t) (sizeof(t) / sizeof((t)[0]))

static const struct binding *form_bindings(const struct app *a, size_t *n)
{
    const struct form_model *m = &a->form.m;
    switch (m->focus) {
    case FM_TYPE:
        *n = N_OF(type_keys);
        return type_keys;
    case FM_CANDIDATE:
        if (m->n_recent) {
            *n = N_OF(recent_keys);
            return recent_keys;
        }
        *n = N_OF(cand_keys);
        return cand_keys;
    case FM_SEND:
        *n = N_OF(send_keys);
        return send_keys;
    default:
        *n = N_OF(text_keys);
        return text_keys;
    }
}

/* The help screen: the field's keys, and the editing keys when it is a text field. */
static size_t form_help(const struct app *a, struct help_section *out, size_t max)
{
    size_t k = 0;
    if (max < 2)
        return 0;
    out[k].title = "Form";
    out[k].t = form_bindings(a, &out[k].n);
    k++;
    if (fm_focused_edit(&a->form.m)) {
        out[k].title = "Editing a field";
        out[k].t = editkeys_table(&out[k].n);
        k++;
    }
    return k;
}

void form_init(struct form *f, const struct ui_options *o)
{
    memset(f, 0, sizeof *f);
    fm_init(&f->m, o->send->candidate_id, o->send->type, o->send->max_size);
    fm_set_presets(&f->m, o->send->name, o->send->content_type, o->send->remote_fields);
    if (!o->send->no_history)
        fm_load_history(&f->m, o->send->client.integration_id);
}

void form_free(struct form *f)
{
    fm_free(&f->m);
}

static struct ui_intent form_enter(struct app *a, const struct ui_intent *why)
{
    struct form *f = &a->form;
    if (why->paths) {
        fm_set_files(&f->m, why->paths, why->n_paths);
        f->scroll = 0;
        f->notice[0] = '\0';
    }
    return ui_intent(UI_INTENT_NONE);
}

/* A notice answers the key that caused it: it does not wait for the user's return. */
static void form_leave(struct app *a)
{
    a->form.notice[0] = '\0';
}

/* ---- keys ----------------------------------------------------------------------------- */

static struct ui_intent try_send(struct app *a)
{
    struct form *f = &a->form;
    char lim[32];
    switch (fm_try_send(&f->m, &f->spec)) {
    case FM_SEND_OK:
        f->notice[0] = '\0';
        return (struct ui_intent){ .kind = UI_INTENT_SEND, .spec = &f->spec };
    case FM_SEND_FIX_FIELDS:
        snprintf(f->notice, sizeof f->notice, "fix the fields marked %s first", theme_glyphs()->err);
        break;
    case FM_SEND_NO_FILE:
        snprintf(f->notice, sizeof f->notice, "no file to send: go back with Esc and pick one");
        break;
    case FM_SEND_TOO_BIG:
        fmt_bytes(f->m.max_size, lim, sizeof lim);
        snprintf(f->notice, sizeof f->notice, "the file is over the limit of %s: pick a smaller "
                 "one (Esc), or start with a larger --max-size", lim);
        break;
    }
    return ui_intent(UI_INTENT_REDRAW);
}

static struct ui_intent form_key(struct app *a, int key)
{
    struct form *f = &a->form;
    struct form_model *m = &f->m;
    const struct ui_intent redraw = ui_intent(UI_INTENT_REDRAW);
    f->notice[0] = '\0';

    size_t nb;
    const struct binding *t = form_bindings(a, &nb);
    switch (keys_find(t, nb, key)) {
    case FA_NEXT: fm_tab_focus(m, +1); return redraw;
    case FA_PREV: fm_tab_focus(m, -1); return redraw;
    case FA_DOWN: fm_move_focus(m, +1); return redraw;
    case FA_UP: fm_move_focus(m, -1); return redraw;
    case FA_OLDER: fm_cycle_recent(m, +1); return redraw;
    case FA_NEWER:
        if (!fm_cycle_recent(m, -1))
            fm_move_focus(m, +1);
        return redraw;
    case FA_TYPE_NEXT: fm_cycle_type(m, +1); return redraw;
    case FA_TYPE_PREV: fm_cycle_type(m, -1); return redraw;
    case FA_SEND: return try_send(a);
    case FA_BACK: return ui_goto(SCR_PICKER);
    case FA_ENTER:
        if (m->focus == FM_SEND)
            return try_send(a);
        fm_move_focus(m, +1);
        return redraw;
    default:
        break;
    }
    /* the focused text field's editing keys and characters; anything else is ignored */
    return fm_edit_key(m, key) ? redraw : ui_intent(UI_INTENT_NONE);
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

static void draw_label(const struct form_geom *g, int y, const char *label, bool focused)
{
    if (focused) {
        draw_put(y, 0, 1, theme_glyphs()->focus, theme_attr(ROLE_SELECTION) | A_BOLD);
        draw_put(y, g->label_x, LABEL_W, label, theme_attr(ROLE_SELECTION) | A_BOLD);
    } else {
        draw_put(y, g->label_x, LABEL_W, label, theme_attr(ROLE_LABEL));
    }
}

/* The message of a field (when it has one): beside it on wide screens, on its own line(s)
 * below otherwise. */
static void draw_check(struct canvas *cv, const struct form_geom *g, const struct fm_check *c, int field_row)
{
    if (c->level == FM_FINE)
        return;
    const struct glyphs *gl = theme_glyphs();
    enum role role = c->level == FM_ERROR ? ROLE_ERROR : c->level == FM_WARNING ? ROLE_WARNING : ROLE_DIM;
    const char *glyph = c->level == FM_ERROR ? gl->err : c->level == FM_WARNING ? gl->warn : "";
    char buf[300];
    snprintf(buf, sizeof buf, "%s%s%s", glyph, *glyph ? " " : "", c->msg);
    /* beside the field when it fits there whole, else wrapped on lines of its own */
    if (g->msg_beside && text_width(buf) <= g->msg_w) {
        if (cv->draw && field_row >= 0)
            draw_put(field_row, g->msg_x, g->msg_w, buf, theme_attr(role));
        return;
    }
    int w = cv->area->w - g->field_x - 1;
    char **lines;
    size_t n = text_wrap(buf, w, &lines);
    for (size_t i = 0; i < n; i++) {
        cv->vy++;
        int y = row_of(cv);
        if (cv->draw && y >= 0)
            draw_put(y, g->field_x, w, lines[i], theme_attr(role));
    }
    draw_lines_free(lines, n);
}

static void text_field(struct canvas *cv, const struct form_geom *g, const struct form_model *m,
                       enum fm_field field, const char *label, struct lineedit *le, const char *placeholder)
{
    bool focused = m->focus == field;
    int y = row_of(cv);
    if (focused)
        cv->focus_top = cv->vy;
    if (cv->draw && y >= 0) {
        draw_label(g, y, label, focused);
        draw_fill(y, g->field_x, g->field_w, theme_attr(ROLE_FIELD));
        if (le->len == 0 && placeholder)
            draw_put(y, g->field_x, g->field_w, placeholder, theme_attr(ROLE_FIELD) | A_DIM);
        int col = le_view(le, g->field_w);
        if (le->len)
            draw_put(y, g->field_x, g->field_w, le->buf + le->scroll, theme_attr(ROLE_FIELD));
        if (le->scroll > 0 && col > 0) /* say that the text goes on to the left */
            draw_put(y, g->field_x, 1, theme_glyphs()->ellipsis, theme_attr(ROLE_FIELD) | A_BOLD);
        if (focused) {
            cv->cur_y = y;
            cv->cur_x = g->field_x + col;
        }
    }
    draw_check(cv, g, &m->checks[field], y);
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

static void type_field(struct canvas *cv, const struct form_geom *g, const struct form_model *m)
{
    bool focused = m->focus == FM_TYPE;
    int y = row_of(cv);
    if (focused)
        cv->focus_top = cv->focus_bottom = cv->vy;
    if (cv->draw && y >= 0) {
        draw_label(g, y, "Type", focused);
        int x = g->field_x;
        for (int t = 0; t < 3; t++) {
            const char *name = att_type_name((enum att_type)t);
            bool sel = (int)m->type == t;
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

/* The files, their sizes, and what the size limit and Kombo's advice say about them. */
static void files_block(struct canvas *cv, const struct form_geom *g, const struct form_model *m)
{
    const struct glyphs *gl = theme_glyphs();
    char buf[512], s1[32], s2[32];
    if (m->n_files == 1) {
        char shown[4096];
        text_tilde(m->files[0].path, getenv("HOME"), shown, sizeof shown);
        plain_line(cv, g->label_x, "File", shown, ROLE_NORMAL);
    } else {
        snprintf(buf, sizeof buf, "%zu files", m->n_files);
        plain_line(cv, g->label_x, "Files", buf, ROLE_NORMAL);
        for (size_t i = 0; i < m->n_files; i++) {
            const struct fm_file *ff = &m->files[i];
            bool flag = ff->generic && !m->ctype.len;
            char sz[32];
            fmt_bytes(ff->size, sz, sizeof sz);
            snprintf(buf, sizeof buf, "%s%s  %s  %s", flag ? "! " : "", ff->base, ff->mime, sz);
            plain_line(cv, g->field_x, NULL, buf, flag ? ROLE_WARNING : ROLE_NORMAL);
        }
    }
    fmt_bytes(m->total, s1, sizeof s1);
    fmt_bytes(m->wire, s2, sizeof s2);
    snprintf(buf, sizeof buf, "%s (%s %s on the wire)", s1, gl->approx, s2);
    plain_line(cv, g->label_x, "Size", buf, ROLE_NORMAL);
    if (m->too_big) {
        fmt_bytes(m->max_size, s1, sizeof s1);
        if (m->n_files == 1)
            snprintf(buf, sizeof buf, "%s over the limit of %s (--max-size): it will not be sent",
                     gl->err, s1);
        else
            snprintf(buf, sizeof buf, "%s %zu file%s over the limit of %s (--max-size) will not be sent",
                     gl->err, m->too_big, m->too_big == 1 ? "" : "s", s1);
        plain_line(cv, g->field_x, NULL, buf, ROLE_ERROR);
    } else if (m->total > ATT_ADVISED_MAX) {
        snprintf(buf, sizeof buf, "%s over 10 MB: many ATSs refuse files this big", gl->warn);
        plain_line(cv, g->field_x, NULL, buf, ROLE_WARNING);
    }
}

static int render(struct form *f, struct canvas *cv)
{
    struct form_model *m = &f->m;
    struct form_geom g;
    const struct glyphs *gl = theme_glyphs();
    layout_form(cv->area->w, &g);
    char buf[512];

    if (m->n_files == 1)
        snprintf(buf, sizeof buf, "Attach %s", m->files[0].base);
    else
        snprintf(buf, sizeof buf, "Attach %zu files", m->n_files);
    plain_line(cv, 1, NULL, buf, ROLE_LABEL);
    cv->vy++;

    text_field(cv, &g, m, FM_CANDIDATE, "Candidate ID", &m->cand, NULL);
    /* What comes next lives right under the ID it will fill in. */
    plain_line(cv, g.field_x, NULL, "Find candidate by e-mail or name (coming soon)", ROLE_DIM);
    plain_line(cv, g.field_x, NULL, "Attach to an application (coming soon)", ROLE_DIM);
    type_field(cv, &g, m);
    if (fm_multi(m)) {
        int y = row_of(cv);
        if (cv->draw && y >= 0) {
            draw_label(&g, y, "Name", false);
            draw_put(y, g.field_x, g.field_w, "(each file's own name)", theme_attr(ROLE_DIM));
        }
        draw_check(cv, &g, &m->checks[FM_NAME], y);
        cv->vy++;
    } else {
        text_field(cv, &g, m, FM_NAME, "Name", &m->name, NULL);
    }
    text_field(cv, &g, m, FM_CTYPE, "Content type", &m->ctype, fm_multi(m) ? "(detected for each file)" : NULL);
    cv->vy++;
    files_block(cv, &g, m);
    cv->vy++;

    bool focused = m->focus == FM_SEND;
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

static void form_draw(struct app *a)
{
    struct form *f = &a->form;
    const struct rect *area = &a->layout.body;
    struct canvas cv = { .area = area, .scroll = 0, .draw = false, .cur_y = -1 };
    /* First pass measures, second draws with the focused field in view. */
    int total = render(f, &cv);
    int h = area->h;
    if (cv.focus_bottom - f->scroll >= h)
        f->scroll = cv.focus_bottom - h + 1;
    if (cv.focus_top < f->scroll)
        f->scroll = cv.focus_top;
    /* the field's own label line wins over its message when both cannot fit */
    if (f->scroll > total - h)
        f->scroll = total - h > 0 ? total - h : 0;
    if (cv.focus_top < f->scroll)
        f->scroll = cv.focus_top;
    cv = (struct canvas){ .area = area, .scroll = f->scroll, .draw = true, .cur_y = -1 };
    render(f, &cv);
    if (f->scroll > 0)
        draw_put(area->y, area->w - 1, 1, theme_glyphs()->up, theme_attr(ROLE_DIM));
    if (total - f->scroll > h)
        draw_put(area->y + h - 1, area->w - 1, 1, theme_glyphs()->down, theme_attr(ROLE_DIM));
    if (cv.cur_y >= 0)
        draw_cursor_at(cv.cur_y, cv.cur_x);
}

const struct screen_ops form_ops = {
    .enter = form_enter,
    .leave = form_leave,
    .draw = form_draw,
    .key = form_key,
    .bindings = form_bindings,
    .help = form_help,
};
