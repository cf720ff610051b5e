/* See form_model.h. */
#include "form_model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base64.h"
#include "batch.h"
#include "history.h"
#include "kombo.h"
#include "body.h"
#include "editkeys.h"
#include "mime.h"
#include "text.h"
#include "upload.h"
#include "xalloc.h"

void fm_init(struct form_model *m, const char *candidate, enum att_type type, uint64_t max_size)
{
    memset(m, 0, sizeof *m);
    le_init(&m->cand, candidate ? candidate : "", 256);
    le_init(&m->name, "", 255);
    le_init(&m->ctype, "", 127);
    m->type = type;
    m->max_size = max_size;
    m->recent_pos = -1;
    fm_set_files(m, NULL, 0);
}

static void update(struct form_model *m);

void fm_set_presets(struct form_model *m, const char *name, const char *content_type,
                    const char *remote_fields)
{
    free(m->preset_name);
    free(m->preset_ctype);
    free(m->preset_rf);
    m->preset_name = name ? xstrdup(name) : NULL;
    m->preset_ctype = content_type ? xstrdup(content_type) : NULL;
    m->preset_rf = remote_fields ? xstrdup(remote_fields) : NULL;
    update(m);
}

static void free_files(struct form_model *m)
{
    for (size_t i = 0; i < m->n_files; i++) {
        free(m->files[i].path);
        free(m->files[i].base);
    }
    free(m->files);
    free(m->paths);
    m->files = NULL;
    m->paths = NULL;
    m->n_files = 0;
}

void fm_free(struct form_model *m)
{
    free_files(m);
    le_free(&m->cand);
    le_free(&m->name);
    le_free(&m->ctype);
    for (size_t i = 0; i < m->n_recent; i++)
        free(m->recent[i]);
    free(m->recent);
    free(m->typed);
    free(m->preset_name);
    free(m->preset_ctype);
    free(m->preset_rf);
    memset(m, 0, sizeof *m);
}

void fm_load_history(struct form_model *m, const char *integration_id)
{
    /* Oldest first, so that the newest ends up on top. */
    size_t n = 0;
    struct history_entry *e = history_recent_candidates_for(integration_id, FM_RECENT_MAX, &n);
    for (size_t i = n; i-- > 0;)
        fm_remember_id(m, e[i].candidate);
    history_entries_free(e, n);
}

bool fm_multi(const struct form_model *m)
{
    return m->n_files > 1;
}

/* ---- checks ---------------------------------------------------------------------------- */

static bool set_check(struct fm_check *c, enum fm_level level, const char *msg)
{
    c->level = level;
    snprintf(c->msg, sizeof c->msg, "%s", msg);
    return true;
}

static bool check_candidate(const struct form_model *m, struct fm_check *c)
{
    const char *why;
    if (m->cand.len == 0)
        return set_check(c, m->tried_send ? FM_ERROR : FM_HINT, "required");
    if ((why = kombo_check_path_id("candidate", m->cand.buf)))
        return set_check(c, FM_ERROR, why);
    if (!kombo_id_looks_valid(m->cand.buf))
        return set_check(c, FM_WARNING, "not a Kombo ID (24 base58 characters); sent as typed");
    return false;
}

/* With several files each is sent under its own name: say which ones will be refused. */
static bool check_names(const struct form_model *m, struct fm_check *c)
{
    size_t bad = 0;
    const char *first = NULL, *why = NULL;
    for (size_t i = 0; i < m->n_files; i++) {
        const char *w = att_check_name(m->files[i].base);
        if (w && !bad++) {
            first = m->files[i].base;
            why = w;
        }
    }
    if (!bad)
        return false;
    char *shown = text_fit(first, strlen(first), 30, TEXT_CUT_MIDDLE);
    c->level = FM_WARNING;
    if (bad == 1)
        snprintf(c->msg, sizeof c->msg, "%s will not be sent: %s", shown ? shown : "", why);
    else
        snprintf(c->msg, sizeof c->msg, "%zu files will not be sent, e.g. %s: %s", bad,
                 shown ? shown : "", why);
    free(shown);
    return true;
}

static bool check_ctype(const struct form_model *m, struct fm_check *c)
{
    const char *why;
    if (fm_multi(m) && m->ctype.len == 0) {
        size_t generic = 0;
        for (size_t i = 0; i < m->n_files; i++)
            generic += m->files[i].generic;
        if (!generic)
            return false;
        c->level = FM_WARNING;
        snprintf(c->msg, sizeof c->msg, "generic type for %zu of %zu files; type one here to use for all",
                 generic, m->n_files);
        return true;
    }
    if ((why = att_check_content_type(m->ctype.buf)))
        return set_check(c, FM_ERROR, why);
    if (mime_is_generic(m->ctype.buf))
        return set_check(c, FM_WARNING, "generic: Kombo asks for a specific type, e.g. application/pdf");
    return false;
}

static void check_field(const struct form_model *m, enum fm_field f, struct fm_check *c)
{
    bool said = false;
    switch (f) {
    case FM_CANDIDATE: said = check_candidate(m, c); break;
    case FM_NAME:
        if (fm_multi(m)) {
            said = check_names(m, c);
        } else {
            const char *why = att_check_name(m->name.buf);
            said = why && set_check(c, FM_ERROR, why);
        }
        break;
    case FM_CTYPE: said = check_ctype(m, c); break;
    default: break;
    }
    if (!said)
        set_check(c, FM_FINE, "");
}

/* Exactly what the body will be: the body module says, from the same values. */
static uint64_t wire_size(const struct form_model *m, uint64_t size, const char *name,
                          const char *ctype)
{
    struct attachment att = {.name = (char *)name, .type = m->type, .content_type = (char *)ctype,
                             .size = size};
    return body_length_for(&att, m->preset_rf);
}

/* Everything drawing needs, worked out once per change. */
static void update(struct form_model *m)
{
    for (int f = 0; f < FM_COUNT; f++)
        check_field(m, (enum fm_field)f, &m->checks[f]);
    m->total = m->wire = 0;
    m->too_big = 0;
    for (size_t i = 0; i < m->n_files; i++) {
        const struct fm_file *ff = &m->files[i];
        const char *ct = m->ctype.len ? m->ctype.buf : ff->mime;
        const char *nm = fm_multi(m) ? ff->base : m->name.buf;
        m->total += ff->size;
        m->wire += wire_size(m, ff->size, nm, ct);
        m->too_big += m->max_size && ff->size > m->max_size;
    }
}

/* ---- files and focus ------------------------------------------------------------------- */

void fm_set_files(struct form_model *m, char *const *paths, size_t n)
{
    free_files(m);
    m->files = xcalloc(n, sizeof *m->files);
    m->paths = xcalloc(n, sizeof *m->paths);
    for (size_t i = 0; i < n; i++) {
        struct fm_file *ff = &m->files[i];
        const char *slash = strrchr(paths[i], '/');
        ff->path = xstrdup(paths[i]);
        ff->base = xstrdup(slash ? slash + 1 : paths[i]);
        struct stat st;
        ff->size = stat(paths[i], &st) == 0 ? (uint64_t)st.st_size : 0;
        /* a handful of marked files at most: detecting each once here is cheap */
        mime_detect(paths[i], ff->mime, sizeof ff->mime);
        ff->generic = mime_is_generic(ff->mime);
        m->paths[i] = ff->path;
    }
    m->n_files = n;
    const char *name = m->preset_name ? m->preset_name : n == 1 ? m->files[0].base : "";
    const char *ctype = m->preset_ctype ? m->preset_ctype : n == 1 ? m->files[0].mime : "";
    le_set(&m->name, n == 1 ? name : "");
    le_set(&m->ctype, n >= 1 ? ctype : "");
    m->tried_send = false;
    /* A candidate from the command line may be sent to at once; after a send the ID is the
     * last one's, and two Enters must not send the next file there unread. */
    m->focus = m->cand.len && !m->sent_once ? FM_SEND : FM_CANDIDATE;
    update(m);
}

bool fm_focusable(const struct form_model *m, enum fm_field f)
{
    switch (f) {
    case FM_FIND_SOON:
    case FM_APPLICATION_SOON:
        return false; /* "coming soon" lines: skipped until they do something */
    case FM_NAME:
        return !fm_multi(m);
    default:
        return (unsigned)f < FM_COUNT;
    }
}

void fm_move_focus(struct form_model *m, int dir)
{
    int i = (int)m->focus;
    for (;;) {
        i += dir > 0 ? 1 : -1;
        if (i < 0 || i >= FM_COUNT)
            return; /* no wrap: the ends of the form are its ends */
        if (fm_focusable(m, (enum fm_field)i))
            break;
    }
    m->focus = (enum fm_field)i;
    m->recent_pos = -1;
}

void fm_tab_focus(struct form_model *m, int dir)
{
    enum fm_field before = m->focus;
    fm_move_focus(m, dir);
    if (m->focus != before)
        return;
    /* at an end: start from just outside the other one */
    int i = dir > 0 ? -1 : FM_COUNT;
    for (;;) {
        i += dir > 0 ? 1 : -1;
        if (i < 0 || i >= FM_COUNT)
            return;
        if (fm_focusable(m, (enum fm_field)i))
            break;
    }
    m->focus = (enum fm_field)i;
    m->recent_pos = -1;
}

static struct lineedit *focused_edit(struct form_model *m)
{
    switch (m->focus) {
    case FM_CANDIDATE: return &m->cand;
    case FM_NAME: return &m->name;
    case FM_CTYPE: return &m->ctype;
    default: return NULL;
    }
}

const struct lineedit *fm_focused_edit(const struct form_model *m)
{
    return focused_edit((struct form_model *)m);
}

/* After the text of the focused field changed. */
static void edited(struct form_model *m)
{
    if (m->focus == FM_CANDIDATE)
        m->recent_pos = -1; /* typing leaves the recent list */
    update(m);
}

bool fm_edit(struct form_model *m, enum le_action act)
{
    struct lineedit *le = focused_edit(m);
    if (!le)
        return false;
    bool changed = le_apply(le, act);
    edited(m);
    return changed;
}

bool fm_insert(struct form_model *m, wchar_t wc)
{
    struct lineedit *le = focused_edit(m);
    if (!le)
        return false;
    bool changed = le_insert(le, wc);
    edited(m);
    return changed;
}

bool fm_edit_key(struct form_model *m, int key)
{
    struct lineedit *le = focused_edit(m);
    bool changed = false;
    if (!le || !editkeys_apply(le, key, &changed))
        return false;
    if (changed)
        edited(m);
    return true;
}

void fm_cycle_type(struct form_model *m, int dir)
{
    m->type = (enum att_type)(((int)m->type + (dir < 0 ? 2 : 1)) % 3);
    update(m);
}

/* ---- recent candidate IDs -------------------------------------------------------------- */

void fm_remember_id(struct form_model *m, const char *id)
{
    if (!id || !*id)
        return;
    for (size_t i = 0; i < m->n_recent; i++) {
        if (strcmp(m->recent[i], id) == 0) {
            char *s = m->recent[i];
            memmove(m->recent + 1, m->recent, i * sizeof *m->recent);
            m->recent[0] = s;
            return;
        }
    }
    if (m->n_recent == FM_RECENT_MAX)
        free(m->recent[--m->n_recent]);
    else
        m->recent = xrealloc(m->recent, (m->n_recent + 1) * sizeof *m->recent);
    memmove(m->recent + 1, m->recent, m->n_recent * sizeof *m->recent);
    m->recent[0] = xstrdup(id);
    m->n_recent++;
    m->recent_pos = -1;
}

bool fm_cycle_recent(struct form_model *m, int dir)
{
    if (m->n_recent == 0)
        return false;
    int pos = m->recent_pos + (dir > 0 ? 1 : -1);
    if (pos >= (int)m->n_recent)
        return true; /* at the oldest: stay */
    if (pos < -1)
        return false;
    if (m->recent_pos == -1) {
        free(m->typed);
        m->typed = xstrdup(m->cand.buf);
    }
    m->recent_pos = pos;
    le_set(&m->cand, pos == -1 ? m->typed : m->recent[pos]);
    update(m);
    return true;
}

/* ---- sending --------------------------------------------------------------------------- */

enum fm_block fm_try_send(struct form_model *m, struct batch_spec *spec)
{
    m->tried_send = true;
    update(m); /* "required" is an error from now on */
    for (int f = 0; f < FM_COUNT; f++) {
        if (fm_focusable(m, (enum fm_field)f) && m->checks[f].level == FM_ERROR) {
            m->focus = (enum fm_field)f;
            return FM_SEND_FIX_FIELDS;
        }
    }
    if (m->n_files == 0)
        return FM_SEND_NO_FILE;
    if (m->n_files == 1 && m->too_big)
        return FM_SEND_TOO_BIG;
    fm_remember_id(m, m->cand.buf);
    m->sent_once = true;
    *spec = (struct batch_spec){
        .candidate = m->cand.buf,
        .type = m->type,
        /* With several files each keeps its own name; an empty type means "detect per file". */
        .name = m->n_files == 1 ? m->name.buf : NULL,
        .ctype = m->ctype.len ? m->ctype.buf : NULL,
        .paths = m->paths,
        .n = m->n_files,
    };
    return FM_SEND_OK;
}
