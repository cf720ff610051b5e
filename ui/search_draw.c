/* Drawing the candidate field's list (search hits, or recent candidates before anything is
 * typed) and, once a candidate is known, their applications to choose from and the files
 * they have. Reads the search, the model and the target; changes nothing. */
#include "form.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "clock.h"
#include "draw.h"
#include "form_canvas.h"
#include "search.h"

#define LIST_RECENT_MAX 8
#define APPS_SHOWN_MAX 8
#define FILES_SHOWN_MAX 4

/* One line of a list at x, highlighted when sel. */
static void list_line(struct form_canvas *cv, int x, const char *text, enum role r, bool sel)
{
    int y = fc_row(cv);
    int w = cv->area->w - x - 1;
    if (cv->draw && y >= 0) {
        if (sel) {
            draw_fill(y, x - 1, w + 1, theme_attr(ROLE_SELECTION));
            draw_put(y, x - 2, 1, theme_glyphs()->focus, theme_attr(ROLE_SELECTION) | A_BOLD);
        }
        draw_put(y, x, w, text, sel ? theme_attr(ROLE_SELECTION) | A_BOLD : theme_attr(r));
    }
    cv->vy++;
}

static void focus_here(struct form_canvas *cv, int lines)
{
    cv->focus_top = cv->vy;
    cv->focus_bottom = cv->vy + lines - 1;
}

/* "2024-03-02" of an ISO 8601 date, or "". */
static void day_of(const char *iso, char *out, size_t len)
{
    snprintf(out, len, "%.10s", iso ? iso : "");
}

static const char *outcome_word(enum app_outcome o)
{
    switch (o) {
    case APP_OUTCOME_PENDING: return "open";
    case APP_OUTCOME_HIRED: return "hired";
    case APP_OUTCOME_DECLINED: return "declined";
    default: return NULL;
    }
}

/* "Backend Engineer · Phone Screen · open · 2024-03-02" */
static void app_text(const struct cand_application *ap, char *out, size_t len)
{
    const char *sep = theme_glyphs()->sep[0] == '|' ? " | " : " \xc2\xb7 ";
    char day[16];
    day_of(ap->remote_created_at, day, sizeof day);
    const char *parts[4] = { ap->job_name ? ap->job_name : "(no job name)", ap->stage, outcome_word(ap->outcome),
                             day[0] ? day : NULL };
    size_t k = 0;
    out[0] = '\0';
    for (int i = 0; i < 4; i++) {
        if (!parts[i])
            continue;
        int n = snprintf(out + k, len - k, "%s%s", k ? sep : "", parts[i]);
        if (n < 0 || (size_t)n >= len - k)
            break;
        k += (size_t)n;
    }
}

/* A hit in two lines: who (name, e-mail), then what (title, company, applications). */
static void hit_rows(struct form_canvas *cv, int x, const struct candidate *c, bool sel)
{
    char buf[1200], apps[700] = "";
    char *name = candidate_display_name(c);
    snprintf(buf, sizeof buf, "%s%s%s%s", name, c->n_emails ? "  <" : "", c->n_emails ? c->emails[0] : "",
             c->n_emails ? ">" : "");
    free(name);
    if (sel)
        focus_here(cv, 2);
    list_line(cv, x, buf, ROLE_NORMAL, sel);
    size_t k = 0;
    for (size_t i = 0; i < c->n_apps && k + 1 < sizeof apps; i++) {
        const struct cand_application *ap = &c->apps[i];
        const char *o = outcome_word(ap->outcome);
        int n = snprintf(apps + k, sizeof apps - k, "%s%s%s%s%s", k ? ", " : "",
                         ap->job_name ? ap->job_name : "application", o ? " (" : "", o ? o : "", o ? ")" : "");
        if (n < 0 || (size_t)n >= sizeof apps - k)
            break;
        k += (size_t)n;
    }
    snprintf(buf, sizeof buf, "  %s%s%s%s%s", c->title ? c->title : "", c->title && c->company ? " at " : "",
             c->company ? c->company : "", (c->title || c->company) && k ? "; " : "",
             k ? apps : c->n_apps ? "" : "no applications");
    list_line(cv, x, buf, ROLE_DIM, sel);
}

static void recent_rows(struct form_canvas *cv, int x, const struct app *a)
{
    const struct form *f = &a->form;
    const struct form_model *m = &f->m;
    size_t n = form_list_rows(a);
    if (!n)
        return;
    fc_line(cv, x, NULL, "Recent candidates (Down, then Enter picks):", ROLE_DIM);
    for (size_t i = 0; i < n; i++) {
        char buf[600];
        snprintf(buf, sizeof buf, "%s  %s", m->recent_names[i] ? m->recent_names[i] : "(name not known)",
                 m->recent[i]);
        bool sel = f->sel == (int)i;
        if (sel)
            focus_here(cv, 1);
        list_line(cv, x, buf, ROLE_NORMAL, sel);
    }
}

void search_draw(struct form_canvas *cv, const struct form_geom *g, const struct app *a)
{
    const struct form *f = &a->form;
    const struct form_model *m = &f->m;
    const struct search *s = &f->search;
    const struct glyphs *gl = theme_glyphs();
    if (m->focus != FM_CANDIDATE || m->have_target)
        return;
    int x = g->field_x;
    if (s->state == SEARCH_EMPTY) {
        recent_rows(cv, x, a);
        return;
    }
    char buf[1200];
    const char *what = s->description[0] ? s->description : s->text;
    switch (s->state) {
    case SEARCH_WAITING:
    case SEARCH_RUNNING: {
        int frame = (int)((clock_now() - s->started) * 10) % gl->spin_n;
        if (frame < 0)
            frame = 0;
        if (s->ix && s->n)
            snprintf(buf, sizeof buf, "%zu%s in the local index %.*s asking Kombo too...", s->n,
                     s->truncated ? "+" : "", gl->spin_bytes, gl->spinner + frame * gl->spin_bytes);
        else
            snprintf(buf, sizeof buf, "%.*s searching %s...", gl->spin_bytes, gl->spinner + frame * gl->spin_bytes,
                     what);
        fc_line(cv, x, NULL, buf, ROLE_DIM);
        break;
    }
    case SEARCH_DONE:
        if (s->n == 0) {
            snprintf(buf, sizeof buf, "%s No candidate found: searched %s.", gl->warn, what);
            fc_para(cv, x, buf, ROLE_WARNING);
            fc_para(cv, x, "Try an e-mail address, or the candidate's ID in the ATS (or the URL of "
                    "their page there).", ROLE_DIM);
        } else {
            if (s->ix)  /* the index matched parts of words: the plan's words would mislead */
                snprintf(buf, sizeof buf, "%zu%s match%s for \"%s\" (%zu in the local index)%s", s->n,
                         s->truncated ? "+" : "", s->n == 1 && !s->truncated ? "" : "es", s->text,
                         s->n_indexed, s->truncated ? ": type more to narrow it" : "");
            else
                snprintf(buf, sizeof buf, "%zu%s match%s for %s%s", s->n, s->truncated ? "+" : "",
                         s->n == 1 && !s->truncated ? "" : "es", what,
                         s->truncated ? ": type more to narrow it" : "");
            fc_line(cv, x, NULL, buf, ROLE_DIM);
        }
        if (s->failed_sets) {
            snprintf(buf, sizeof buf, "%s part of the search failed: %s", gl->warn, s->message);
            fc_para(cv, x, buf, ROLE_WARNING);
        }
        break;
    case SEARCH_FAILED:
        snprintf(buf, sizeof buf, "%s The search failed: %s", gl->err, s->message);
        fc_para(cv, x, buf, ROLE_ERROR);
        break;
    case SEARCH_REFUSED:
        fc_para(cv, x, s->message, ROLE_DIM);
        break;
    default:
        break;
    }
    for (size_t i = 0; i < s->n; i++)
        hit_rows(cv, x, &s->hits[i], f->sel == (int)i);
}

/* The files the candidate has: name, type, date. */
static void files_there(struct form_canvas *cv, const struct form_geom *g, const struct app *a)
{
    const struct target *t = &a->target;
    const struct glyphs *gl = theme_glyphs();
    char buf[800];
    if (!t->have_listing) {
        if (t->list_error[0]) {
            snprintf(buf, sizeof buf, "%s could not list them: %s", gl->warn, t->list_error);
            fc_line(cv, g->label_x, "Files there", buf, ROLE_WARNING);
        } else {
            fc_line(cv, g->label_x, "Files there", "reading...", ROLE_DIM);
        }
        return;
    }
    const struct listing *l = &t->listing;
    if (l->n == 0) {
        fc_line(cv, g->label_x, "Files there", "none yet", ROLE_DIM);
        return;
    }
    for (size_t i = 0; i < l->n && i < FILES_SHOWN_MAX; i++) {
        const struct listed_attachment *la = &l->items[i];
        char day[16];
        day_of(la->remote_created_at, day, sizeof day);
        snprintf(buf, sizeof buf, "%-12s %s  %s", la->type_known ? att_type_name(la->type) :
                 la->type_name ? la->type_name : "?", day, la->file_name ? la->file_name : "(no name)");
        fc_line(cv, g->label_x, i == 0 ? "Files there" : "", buf, ROLE_NORMAL);
    }
    if (l->n > FILES_SHOWN_MAX) {
        snprintf(buf, sizeof buf, "and %zu more", l->n - FILES_SHOWN_MAX);
        fc_line(cv, g->field_x, NULL, buf, ROLE_DIM);
    }
}

void target_draw(struct form_canvas *cv, const struct form_geom *g, const struct app *a)
{
    const struct form_model *m = &a->form.m;
    const struct glyphs *gl = theme_glyphs();
    if (!m->have_target)
        return;
    bool focused = m->focus == FM_APPLICATION;
    size_t n = m->target.n_apps;
    char buf[900], text[800];
    if (n == 0) {
        fc_line(cv, g->label_x, "Application", "the candidate (no applications in the ATS)", ROLE_NORMAL);
    } else {
        size_t shown = n < APPS_SHOWN_MAX ? n : APPS_SHOWN_MAX;
        if (focused)
            focus_here(cv, (int)shown + 1);
        for (int i = -1; i < (int)shown; i++) {
            if (i < 0)
                snprintf(text, sizeof text, "the candidate (no application)");
            else
                app_text(&m->target.apps[i], text, sizeof text);
            bool chosen = m->app == i;
            snprintf(buf, sizeof buf, "%s %s", chosen ? gl->pick : gl->unpicked, text);
            int y = fc_row(cv);
            if (cv->draw && y >= 0) {
                if (i < 0) {
                    attr_t la = focused ? theme_attr(ROLE_SELECTION) | A_BOLD : theme_attr(ROLE_LABEL);
                    if (focused)
                        draw_put(y, 0, 1, gl->focus, la);
                    draw_put(y, g->label_x, LAYOUT_LABEL_W, "Application", la);
                }
                attr_t at = chosen ? (focused ? theme_attr(ROLE_SELECTION) | A_BOLD : theme_attr(ROLE_LABEL) | A_BOLD)
                                   : theme_attr(ROLE_NORMAL);
                draw_put(y, g->field_x, cv->area->w - g->field_x - 1, buf, at);
            }
            cv->vy++;
        }
        if (n > shown) {
            snprintf(buf, sizeof buf, "and %zu more (Space goes through all)", n - shown);
            fc_line(cv, g->field_x, NULL, buf, ROLE_DIM);
        }
        if (m->app >= (int)shown) {
            app_text(&m->target.apps[m->app], text, sizeof text);
            snprintf(buf, sizeof buf, "%s %s", gl->pick, text);
            fc_line(cv, g->field_x, NULL, buf, ROLE_LABEL);
        }
    }
    files_there(cv, g, a);
}
