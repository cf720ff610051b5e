/* Drawing the form: a column of virtual lines that scrolls to keep the focused field (or the
 * question before sending again) in view. Reads the model; changes nothing but the scroll. */
#include "form.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "draw.h"
#include "form_canvas.h"
#include "format.h"
#include "restrict.h"
#include "theme.h"

#define LABEL_W LAYOUT_LABEL_W   /* "Content type" and a space */

int fc_row(const struct form_canvas *cv)
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
static void draw_check(struct form_canvas *cv, const struct form_geom *g, const struct fm_check *c, int field_row)
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
        int y = fc_row(cv);
        if (cv->draw && y >= 0)
            draw_put(y, g->field_x, w, lines[i], theme_attr(role));
    }
    draw_lines_free(lines, n);
}

/* An editable text: its visible part, "…" when it goes on to the left, the cursor. */
static void edit_text(struct form_canvas *cv, int y, int x, int w, const struct lineedit *cle,
                      const char *placeholder, bool focused)
{
    struct lineedit *le = (struct lineedit *)cle; /* le_view keeps the scroll: the model's own */
    draw_fill(y, x, w, theme_attr(ROLE_FIELD));
    if (le->len == 0 && placeholder)
        draw_put(y, x, w, placeholder, theme_attr(ROLE_FIELD) | A_DIM);
    int col = le_view(le, w);
    if (le->len)
        draw_put(y, x, w, le->buf + le->scroll, theme_attr(ROLE_FIELD));
    if (le->scroll > 0 && col > 0) /* say that the text goes on to the left */
        draw_put(y, x, 1, theme_glyphs()->cut_left, theme_attr(ROLE_FIELD) | A_BOLD);
    if (focused) {
        cv->cur_y = y;
        cv->cur_x = x + col;
    }
}

static void text_field(struct form_canvas *cv, const struct form_geom *g, const struct form_model *m,
                       enum fm_field field, const char *label, const struct lineedit *le,
                       const char *placeholder)
{
    bool focused = m->focus == field;
    int y = fc_row(cv);
    if (focused)
        cv->focus_top = cv->vy;
    if (cv->draw && y >= 0) {
        draw_label(g, y, label, focused);
        edit_text(cv, y, g->field_x, g->field_w, le, placeholder, focused);
    }
    draw_check(cv, g, &m->checks[field], y);
    if (focused)
        cv->focus_bottom = cv->vy;
    cv->vy++;
}

void fc_line(struct form_canvas *cv, int x, const char *label, const char *text, enum role r)
{
    int y = fc_row(cv);
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

/* The three types, the chosen one in brackets (the choice without colour). Several files
 * of different types: none is in brackets, and Space sets them all. */
static void type_field(struct form_canvas *cv, const struct form_geom *g, const struct form_model *m)
{
    bool focused = m->focus == FM_TYPE, mixed = fm_types_mixed(m);
    int y = fc_row(cv);
    if (focused)
        cv->focus_top = cv->focus_bottom = cv->vy;
    if (cv->draw && y >= 0) {
        draw_label(g, y, "Type", focused);
        int x = g->field_x, right = g->field_x + g->field_w;
        for (int t = 0; t < 3; t++) {
            const char *name = att_type_name((enum att_type)t);
            bool sel = !mixed && (int)m->type == t;
            attr_t at = sel ? (focused ? theme_attr(ROLE_SELECTION) | A_BOLD : theme_attr(ROLE_LABEL)) : theme_attr(ROLE_DIM);
            char buf[32];
            snprintf(buf, sizeof buf, sel ? "[%s]" : "%s", name);
            x += draw_put(y, x, right - x, buf, at);
            x += 1;
        }
        if (fm_multi(m))
            draw_put(y, x + 1, cv->area->w - x - 2, mixed ? "mixed: Space sets all" : "for every file",
                     theme_attr(ROLE_DIM));
    }
    draw_check(cv, g, &m->checks[FM_TYPE], y);
    cv->vy++;
}

/* Several files: a row each, its type where a label goes and its name as a text field. */
static void file_rows(struct form_canvas *cv, const struct form_geom *g, const struct form_model *m)
{
    for (size_t i = 0; i < m->n_files; i++) {
        const struct fm_file *ff = &m->files[i];
        bool focused = m->focus == FM_FILE && m->focus_file == i;
        int y = fc_row(cv);
        if (focused)
            cv->focus_top = cv->vy;
        if (cv->draw && y >= 0) {
            draw_label(g, y, att_type_name(ff->type), focused);
            edit_text(cv, y, g->field_x, g->field_w, &ff->name, NULL, focused);
            if (g->msg_beside && ff->check.level == FM_FINE) {
                char sz[32], buf[200];
                fmt_bytes(ff->size, sz, sizeof sz);
                snprintf(buf, sizeof buf, "%s  %s", ff->mime, sz);
                draw_put(y, g->msg_x, g->msg_w, buf, theme_attr(ff->generic && !m->ctype.len ? ROLE_WARNING : ROLE_DIM));
            }
        }
        draw_check(cv, g, &ff->check, y);
        if (focused)
            cv->focus_bottom = cv->vy;
        cv->vy++;
    }
}

/* The files, their sizes, and what the size limit and Kombo's advice say about them. */
static void files_block(struct form_canvas *cv, const struct form_geom *g, const struct form_model *m)
{
    const struct glyphs *gl = theme_glyphs();
    char buf[512], s1[32], s2[32];
    if (m->n_files == 1) {
        char shown[4096];
        text_tilde(m->files[0].path, getenv("HOME"), shown, sizeof shown);
        fc_line(cv, g->label_x, "File", shown, ROLE_NORMAL);
    }
    fmt_bytes(m->total, s1, sizeof s1);
    fmt_bytes(m->wire, s2, sizeof s2);
    snprintf(buf, sizeof buf, "%s (%s %s on the wire)", s1, gl->approx, s2);
    fc_line(cv, g->label_x, "Size", buf, ROLE_NORMAL);
    if (m->too_big) {
        fmt_bytes(m->max_size, s1, sizeof s1);
        if (m->n_files == 1)
            snprintf(buf, sizeof buf, "%s over the limit of %s (--max-size): it will not be sent",
                     gl->err, s1);
        else
            snprintf(buf, sizeof buf, "%s %zu file%s over the limit of %s (--max-size) will not be sent",
                     gl->err, m->too_big, m->too_big == 1 ? "" : "s", s1);
        fc_line(cv, g->field_x, NULL, buf, ROLE_ERROR);
    } else if (m->total > ATT_ADVISED_MAX) {
        snprintf(buf, sizeof buf, "%s over 10 MB: many ATSs refuse files this big", gl->warn);
        fc_line(cv, g->field_x, NULL, buf, ROLE_WARNING);
    }
}

/* Wrapped lines at x in role r. */
void fc_para(struct form_canvas *cv, int x, const char *text, enum role r)
{
    char **lines;
    size_t n = text_wrap(text, cv->area->w - x - 1, &lines);
    for (size_t i = 0; i < n; i++)
        fc_line(cv, x, NULL, lines[i], r);
    draw_lines_free(lines, n);
}

/* Before sending content the history says this candidate has: which files, since when. */
static void confirm_block(struct form_canvas *cv, const struct form *f, const struct form_geom *g)
{
    const struct form_model *m = &f->m;
    cv->focus_top = cv->vy;
    char buf[600];
    size_t dups = 0;
    for (size_t i = 0; i < m->n_files; i++)
        dups += m->files[i].dup;
    snprintf(buf, sizeof buf, "%s %s attached to this candidate before (the same content):",
             theme_glyphs()->warn, dups == 1 && m->n_files == 1 ? "This file was" :
             dups == 1 ? "One file was" : "These files were");
    fc_para(cv, g->label_x, buf, ROLE_WARNING);
    for (size_t i = 0; i < m->n_files; i++) {
        const struct fm_file *ff = &m->files[i];
        if (!ff->dup)
            continue;
        char when[64] = "?";
        struct tm tm;
        if (localtime_r(&ff->dup_time, &tm))
            strftime(when, sizeof when, "%Y-%m-%d %H:%M", &tm);
        /* the date is what matters: the name gets what is left, cut in its middle */
        int x = g->label_x + 2;
        char *line = text_fit_around("", ff->name.buf, "", cv->area->w - x - 21, TEXT_CUT_MIDDLE);
        snprintf(buf, sizeof buf, "%s on %s", line, when);
        free(line);
        fc_line(cv, x, NULL, buf, ROLE_NORMAL);
    }
    fc_para(cv, g->label_x, dups < m->n_files ? "Send again anyway? y: all of them  s: skip those  n: back"
                                           : "Send again anyway? y: yes  n: back", ROLE_LABEL);
    cv->focus_bottom = cv->vy - 1;
}

static void send_line(struct form_canvas *cv, const struct form *f, const struct form_geom *g)
{
    const struct form_model *m = &f->m;
    bool focused = m->focus == FM_SEND && !f->confirm;
    if (focused)
        cv->focus_top = cv->focus_bottom = cv->vy;
    int y = fc_row(cv);
    if (cv->draw && y >= 0) {
        attr_t at = focused ? theme_attr(ROLE_SELECTION) | A_BOLD : theme_attr(ROLE_LABEL);
        if (focused)
            draw_put(y, 0, 1, theme_glyphs()->focus, at);
        int x = g->field_x + draw_put(y, g->field_x, 8, "[ Send ]", at) + 2;
        char buf[160];
        uint64_t done, of;
        if (f->checking) {
            fm_hash_progress(m, &done, &of);
            snprintf(buf, sizeof buf, "checking earlier uploads of %s... %d%%",
                     m->n_files == 1 ? "this file" : "these files", of ? (int)(done * 100 / of) : 100);
            draw_put(y, x, cv->area->w - x - 1, buf, theme_attr(ROLE_NORMAL));
        } else if (f->notice[0]) {
            draw_put(y, x, cv->area->w - x - 1, f->notice, theme_attr(ROLE_ERROR));
        } else {
            draw_put(y, x, cv->area->w - x - 1, "Ctrl-S or F2 sends from any field", theme_attr(ROLE_DIM));
        }
    }
    cv->vy++;
}

static int render(struct app *a, struct form_canvas *cv)
{
    struct form *f = &a->form;
    struct form_model *m = &f->m;
    struct form_geom g;
    layout_form(cv->area->w, &g);
    char buf[64];

    /* the title names the file, cut in its middle: its extension stays in view */
    char *title;
    if (m->n_files == 1) {
        title = text_fit_around("Attach ", m->files[0].base, "", cv->area->w - 2, TEXT_CUT_MIDDLE);
    } else {
        snprintf(buf, sizeof buf, "Attach %zu files", m->n_files);
        title = text_fit_around(buf, "", "", cv->area->w - 2, TEXT_CUT_END);
    }
    fc_line(cv, 1, NULL, title, ROLE_LABEL);
    free(title);
    cv->vy++;

    text_field(cv, &g, m, FM_CANDIDATE, "Candidate ID", &m->cand, "name, e-mail, ATS ID or URL, Kombo ID");
    /* the matches live right under the field they fill in; then who was picked */
    search_draw(cv, &g, a);
    target_draw(cv, &g, a);
    type_field(cv, &g, m);
    if (m->restr) {
        /* what the integration takes of this type: "CV: PDF, DOCX, up to 10 MiB" */
        char rd[300];
        restrict_describe(m->restr, fm_types_mixed(m) ? ATT_OTHER : m->type, rd, sizeof rd);
        if (!fm_types_mixed(m))
            fc_line(cv, g.field_x, NULL, rd, ROLE_DIM);
    }
    if (m->n_files == 1)
        text_field(cv, &g, m, FM_NAME, "Name", &m->files[0].name, NULL);
    text_field(cv, &g, m, FM_CTYPE, "Content type", &m->ctype, fm_multi(m) ? "(detected for each file)" : NULL);
    if (fm_multi(m)) {
        cv->vy++;
        snprintf(buf, sizeof buf, "%zu files: type and name of each (^T changes the type)", m->n_files);
        fc_line(cv, g.label_x, NULL, buf, ROLE_DIM);
        file_rows(cv, &g, m);
    }
    cv->vy++;
    files_block(cv, &g, m);
    cv->vy++;
    send_line(cv, f, &g);
    if (f->confirm) {
        cv->vy++;
        confirm_block(cv, f, &g);
    }
    return cv->vy;
}

void form_draw(struct app *a)
{
    struct form *f = &a->form;
    const struct rect *area = &a->layout.body;
    struct form_canvas cv = { .area = area, .scroll = 0, .draw = false, .cur_y = -1 };
    /* First pass measures, second draws with the focused field in view. */
    int total = render(a, &cv);
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
    cv = (struct form_canvas){ .area = area, .scroll = f->scroll, .draw = true, .cur_y = -1 };
    render(a, &cv);
    if (f->scroll > 0)
        draw_put(area->y, area->w - 1, 1, theme_glyphs()->up, theme_attr(ROLE_DIM));
    if (total - f->scroll > h)
        draw_put(area->y + h - 1, area->w - 1, 1, theme_glyphs()->down, theme_attr(ROLE_DIM));
    if (cv.cur_y >= 0 && !f->confirm)
        draw_cursor_at(cv.cur_y, cv.cur_x);
}
