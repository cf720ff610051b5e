/* The form model's target (see form_model.h): the candidate picked from the search, the
 * application chosen among theirs, and the checks of each file against what the
 * integration accepts (restrict.h) and what the target already has (listing.h). */
#include "form_files.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "listing.h"
#include "mime.h"
#include "restrict.h"
#include "xalloc.h"

int fm_default_app(const struct candidate *c)
{
    int open = -1, n_open = 0;
    for (size_t i = 0; c && i < c->n_apps; i++) {
        if (c->apps[i].outcome == APP_OUTCOME_PENDING) {
            open = (int)i;
            n_open++;
        }
    }
    /* two open applications: which one is the user's call, never a guess */
    return n_open == 1 ? open : -1;
}

void fm_target_free(struct form_model *m)
{
    if (m->have_target)
        candidate_free(&m->target);
    free(m->target_name);
    m->target_name = NULL;
    m->have_target = false;
    m->app = -1;
    m->confirm = FM_CONFIRMED;
    m->confirm_msg[0] = '\0';
    m->existing = NULL; /* it was the old target's */
}

void fm_set_target(struct form_model *m, const struct candidate *c)
{
    fm_target_free(m);
    if (c) {
        candidate_copy(&m->target, c);
        m->target_name = candidate_display_name(c);
        m->have_target = true;
        m->app = fm_default_app(c);
        if (strcmp(m->cand.buf, c->id) != 0)
            le_set(&m->cand, c->id);
    }
    fm_update(m);
}

void fm_set_confirm(struct form_model *m, enum fm_confirm c, const char *msg)
{
    m->confirm = c;
    snprintf(m->confirm_msg, sizeof m->confirm_msg, "%s", msg ? msg : "");
    fm_update(m);
}

void fm_replace_target(struct form_model *m, const struct candidate *live)
{
    const struct cand_application *was = fm_application(m);
    char app_id[CAND_ID_MAX + 1] = "";
    bool chose = m->app != fm_default_app(&m->target);
    if (was)
        snprintf(app_id, sizeof app_id, "%s", was->id);
    int app = m->app;
    fm_set_target(m, live);
    if (chose) {
        /* what the user chose while Kombo was asked stays chosen, if it is still there */
        m->app = app < 0 ? -1 : fm_default_app(live);
        for (size_t i = 0; app_id[0] && i < live->n_apps; i++)
            if (strcmp(live->apps[i].id, app_id) == 0)
                m->app = (int)i;
        fm_update(m);
    }
}

void fm_cycle_app(struct form_model *m, int dir)
{
    if (!m->have_target)
        return;
    int n = (int)m->target.n_apps + 1; /* the candidate itself is the first choice */
    m->app = ((m->app + 1 + (dir < 0 ? n - 1 : 1)) % n) - 1;
    fm_update(m);
}

const struct cand_application *fm_application(const struct form_model *m)
{
    if (!m->have_target || m->app < 0 || (size_t)m->app >= m->target.n_apps)
        return NULL;
    return &m->target.apps[m->app];
}

void fm_set_restrictions(struct form_model *m, const struct restrictions *r)
{
    m->restr = r;
    fm_update(m);
}

void fm_set_existing(struct form_model *m, const struct listing *l)
{
    m->existing = l;
    fm_update(m);
}

static const char *same_name(const struct listing *l, const char *name)
{
    for (size_t i = 0; l && i < l->n; i++) {
        const struct listed_attachment *la = &l->items[i];
        if (la->file_name && strcmp(la->file_name, name) == 0)
            return la->remote_created_at ? la->remote_created_at : "";
    }
    return NULL;
}

void fm_target_checks(struct form_model *m)
{
    /* the target was found for another ID than the field now holds */
    if (m->have_target && strcmp(m->target.id, m->cand_id) != 0)
        fm_target_free(m);
    for (size_t i = 0; i < m->n_files; i++) {
        struct fm_file *ff = &m->files[i];
        /* a generic detected type (application/octet-stream) says nothing about the file:
         * what is not known never refuses (restrict.h); the form warns about it anyway */
        const char *ct = m->ctype.len ? m->ctype.buf : ff->mime;
        if (mime_is_generic(ct))
            ct = NULL;
        restrict_check(m->restr, ff->type, ff->size, ct, ff->refusal, sizeof ff->refusal);
        ff->same_name_date = same_name(m->existing, ff->name.buf);
        if (!fm_multi(m))
            continue; /* one file: the Type and Name fields say it (check_field) */
        if (ff->refusal[0] && ff->check.level != FM_ERROR) {
            ff->check.level = FM_ERROR;
            snprintf(ff->check.msg, sizeof ff->check.msg, "%s", ff->refusal);
        } else if (ff->same_name_date && ff->check.level == FM_FINE) {
            ff->check.level = FM_WARNING;
            snprintf(ff->check.msg, sizeof ff->check.msg, "a file of this name is already there");
        }
    }
}
