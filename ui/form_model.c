/* See form_model.h. The files themselves (setting, keeping, hashing, duplicates) are
 * form_files.c; this file holds the fields, their checks, the focus and sending. */
#include "form_model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "batch.h"
#include "body.h"
#include "editkeys.h"
#include "form_files.h"
#include "history.h"
#include "kombo.h"
#include "mime.h"
#include "text.h"
#include "utf8.h"
#include "xalloc.h"

void fm_init(struct form_model *m, const char *candidate, enum att_type type, uint64_t max_size)
{
    memset(m, 0, sizeof *m);
    le_init(&m->cand, candidate ? candidate : "", 256);
    le_init(&m->ctype, "", 127);
    m->type = type;
    m->max_size = max_size;
    m->recent_pos = -1;
    m->app = -1;
    fm_set_files(m, NULL, 0);
}

void fm_set_presets(struct form_model *m, const char *name, const char *content_type,
                    const char *remote_fields)
{
    free(m->preset_name);
    free(m->preset_ctype);
    free(m->preset_rf);
    m->preset_name = name ? xstrdup(name) : NULL;
    m->preset_ctype = content_type ? xstrdup(content_type) : NULL;
    m->preset_rf = remote_fields ? xstrdup(remote_fields) : NULL;
    fm_update(m);
}

void fm_free(struct form_model *m)
{
    fm_target_free(m);
    fm_files_free(m);
    le_free(&m->cand);
    le_free(&m->ctype);
    for (size_t i = 0; i < m->n_recent; i++) {
        free(m->recent[i]);
        free(m->recent_names[i]);
    }
    free(m->recent);
    free(m->recent_names);
    free(m->typed);
    free(m->preset_name);
    free(m->preset_ctype);
    free(m->preset_rf);
    free(m->spec_cand);
    memset(m, 0, sizeof *m);
}

void fm_load_history(struct form_model *m, const char *integration_id)
{
    /* Oldest first, so that the newest ends up on top. */
    size_t n = 0;
    struct history_entry *e = history_recent_candidates_for(integration_id, FM_RECENT_MAX, &n);
    for (size_t i = n; i-- > 0;)
        fm_remember_named(m, e[i].candidate, e[i].candidate_name);
    history_entries_free(e, n);
}

bool fm_multi(const struct form_model *m)
{
    return m->n_files > 1;
}

/* ---- the candidate ID as sent ---------------------------------------------------------- */

/* White space a paste brings along: ASCII's, no-break and other Unicode spaces, BOM. */
static size_t space_at(const char *s, size_t n)
{
    uint32_t cp;
    size_t l = utf8_decode(s, n, &cp);
    if (!l)
        return 0;
    bool sp = cp == ' ' || cp == '\t' || cp == 0xa0 || (cp >= 0x2000 && cp <= 0x200b) || cp == 0x202f ||
              cp == 0x205f || cp == 0x3000 || cp == 0xfeff;
    return sp ? l : 0;
}

/* s without the white space around it, into out (len bytes). */
static void trim_into(const char *s, char *out, size_t len)
{
    size_t n = strlen(s), a = 0, b = 0, l;
    while (a < n && (l = space_at(s + a, n - a)))
        a += l;
    /* b: the end of the last character that is not a space */
    for (size_t i = a; i < n;) {
        if ((l = space_at(s + i, n - i))) {
            i += l;
            continue;
        }
        uint32_t cp;
        l = utf8_decode(s + i, n - i, &cp);
        i += l ? l : 1;
        b = i;
    }
    snprintf(out, len, "%.*s", (int)(b > a ? b - a : 0), s + a);
}

const char *fm_candidate(const struct form_model *m)
{
    return m->cand_id;
}

const char *fm_candidate_name(const struct form_model *m)
{
    const char *id = fm_candidate(m);
    if (m->have_target && strcmp(m->target.id, id) == 0)
        return m->target_name;
    for (size_t i = 0; i < m->n_recent; i++)
        if (strcmp(m->recent[i], id) == 0)
            return m->recent_names[i];
    return NULL;
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
    const char *why, *id = fm_candidate(m), *name;
    if (!*id)
        return set_check(c, m->tried_send ? FM_ERROR : FM_HINT, "required");
    if ((why = kombo_check_path_id("candidate", id)))
        return set_check(c, FM_ERROR, why);
    if (m->have_target) {
        /* who it is, as Kombo knows them: the search found this ID */
        char buf[256];
        const char *mail = m->target.n_emails ? m->target.emails[0] : NULL;
        if (m->confirm == FM_GONE)
            return set_check(c, FM_ERROR, "this candidate was deleted in the ATS: pick another one");
        snprintf(buf, sizeof buf, "%s%s%s%s%s", m->target_name, mail ? " <" : "", mail ? mail : "",
                 mail ? ">" : "", m->confirm == FM_CONFIRMING ? " - confirming with Kombo..." : "");
        if (m->confirm == FM_CONFIRM_FAILED) {
            snprintf(buf, sizeof buf, "could not confirm the candidate with Kombo (%.150s): ^S asks again",
                     m->confirm_msg);
            return set_check(c, FM_WARNING, buf);
        }
        return set_check(c, FM_HINT, buf);
    }
    /* a name, an e-mail or a URL is what to search for, never an ID to send to */
    if (strpbrk(id, " @") || strstr(id, "://"))
        return set_check(c, m->tried_send ? FM_ERROR : FM_HINT,
                         "pick the candidate from the matches below (Down, Enter)");
    if (!kombo_id_looks_valid(id))
        return set_check(c, FM_WARNING, "not a Kombo ID (24 base58 characters): pick a match "
                         "below, or it is sent as typed");
    if ((name = fm_candidate_name(m))) {
        /* who it is, as an earlier upload knew it: a typo shows as no name */
        char buf[256];
        snprintf(buf, sizeof buf, "%s (from earlier uploads)", name);
        return set_check(c, FM_HINT, buf);
    }
    return false;
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
        if (m->n_files == 1) {
            *c = m->files[0].check;
            said = c->level != FM_FINE;
            if (!said && m->files[0].same_name_date)
                said = set_check(c, FM_WARNING, "a file of this name is already there (see above)");
        }
        break;
    case FM_TYPE:
        /* what the integration refuses cannot be sent: the reason is the message */
        if (m->n_files == 1 && m->files[0].refusal[0])
            said = set_check(c, FM_ERROR, m->files[0].refusal);
        break;
    case FM_CTYPE: said = check_ctype(m, c); break;
    default: break;
    }
    if (!said)
        set_check(c, FM_FINE, "");
}

/* Exactly what the body will be: the body module says, from the same values. */
static uint64_t wire_size(const struct form_model *m, const struct fm_file *ff, const char *ctype)
{
    struct attachment att = {.name = ff->name.buf, .type = ff->type, .content_type = (char *)ctype,
                             .size = ff->size};
    return body_length_for(&att, m->preset_rf);
}

void fm_update(struct form_model *m)
{
    trim_into(m->cand.buf, m->cand_id, sizeof m->cand_id);
    m->total = m->wire = 0;
    m->too_big = 0;
    for (size_t i = 0; i < m->n_files; i++) {
        struct fm_file *ff = &m->files[i];
        fm_file_check(ff);
        const char *ct = m->ctype.len ? m->ctype.buf : ff->mime;
        m->total += ff->size;
        m->wire += wire_size(m, ff, ct);
        m->too_big += m->max_size && ff->size > m->max_size;
    }
    fm_target_checks(m);
    for (int f = 0; f < FM_COUNT; f++)
        check_field(m, (enum fm_field)f, &m->checks[f]);
}

/* ---- focus ----------------------------------------------------------------------------- */

bool fm_focusable(const struct form_model *m, enum fm_field f)
{
    switch (f) {
    case FM_APPLICATION:
        return m->have_target && m->target.n_apps > 0; /* something to choose */
    case FM_NAME:
        return m->n_files == 1; /* several files: each row holds its name */
    case FM_FILE:
        return fm_multi(m);
    default:
        return (unsigned)f < FM_COUNT;
    }
}

/* The next stop from (field, row) in direction dir, or false at an end. */
static bool step_focus(const struct form_model *m, enum fm_field *field, size_t *row, int dir)
{
    if (*field == FM_FILE) {
        if (dir > 0 && *row + 1 < m->n_files) {
            (*row)++;
            return true;
        }
        if (dir < 0 && *row > 0) {
            (*row)--;
            return true;
        }
    }
    int i = (int)*field;
    for (;;) {
        i += dir > 0 ? 1 : -1;
        if (i < 0 || i >= FM_COUNT)
            return false;
        if (fm_focusable(m, (enum fm_field)i))
            break;
    }
    *field = (enum fm_field)i;
    if (*field == FM_FILE)
        *row = dir > 0 ? 0 : m->n_files - 1; /* the rows are entered from the side one comes */
    return true;
}

static void focus_moved(struct form_model *m)
{
    m->recent_pos = -1;
    /* what is sent is what is shown: a pasted ID's spaces go once the field is left */
    if (m->focus != FM_CANDIDATE && strcmp(m->cand_id, m->cand.buf) != 0) {
        le_set(&m->cand, m->cand_id);
        fm_update(m);
    }
}

void fm_move_focus(struct form_model *m, int dir)
{
    if (step_focus(m, &m->focus, &m->focus_file, dir))
        focus_moved(m);
}

void fm_tab_focus(struct form_model *m, int dir)
{
    if (!step_focus(m, &m->focus, &m->focus_file, dir)) {
        /* at an end: on from just outside the other one */
        enum fm_field f = dir > 0 ? FM_CANDIDATE : FM_SEND;
        m->focus = f;
        m->focus_file = 0;
        if (!fm_focusable(m, f))
            step_focus(m, &m->focus, &m->focus_file, dir);
    }
    focus_moved(m);
}

static struct lineedit *focused_edit(struct form_model *m)
{
    switch (m->focus) {
    case FM_CANDIDATE: return &m->cand;
    case FM_NAME: return m->n_files == 1 ? &m->files[0].name : NULL;
    case FM_FILE: return m->focus_file < m->n_files ? &m->files[m->focus_file].name : NULL;
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
    fm_update(m);
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

static enum att_type next_type(enum att_type t, int dir)
{
    return (enum att_type)(((int)t + (dir < 0 ? 2 : 1)) % 3);
}

void fm_cycle_type(struct form_model *m, int dir)
{
    if (m->focus == FM_FILE && m->focus_file < m->n_files) {
        struct fm_file *ff = &m->files[m->focus_file];
        ff->type = next_type(ff->type, dir);
    } else {
        /* the Type field: every file's, and the next files' */
        m->type = fm_types_mixed(m) ? m->type : next_type(m->type, dir);
        for (size_t i = 0; i < m->n_files; i++)
            m->files[i].type = m->type;
    }
    fm_update(m);
}

bool fm_types_mixed(const struct form_model *m)
{
    for (size_t i = 1; i < m->n_files; i++)
        if (m->files[i].type != m->files[0].type)
            return true;
    return false;
}

/* ---- recent candidate IDs -------------------------------------------------------------- */

void fm_remember_id(struct form_model *m, const char *id)
{
    fm_remember_named(m, id, NULL);
}

void fm_remember_named(struct form_model *m, const char *id, const char *name)
{
    if (!id || !*id)
        return;
    for (size_t i = 0; i < m->n_recent; i++) {
        if (strcmp(m->recent[i], id) == 0) {
            char *s = m->recent[i], *nm = m->recent_names[i];
            memmove(m->recent + 1, m->recent, i * sizeof *m->recent);
            memmove(m->recent_names + 1, m->recent_names, i * sizeof *m->recent_names);
            m->recent[0] = s;
            m->recent_names[0] = nm ? nm : name ? xstrdup(name) : NULL;
            return;
        }
    }
    if (m->n_recent == FM_RECENT_MAX) {
        m->n_recent--;
        free(m->recent[m->n_recent]);
        free(m->recent_names[m->n_recent]);
    } else {
        m->recent = xrealloc(m->recent, (m->n_recent + 1) * sizeof *m->recent);
        m->recent_names = xrealloc(m->recent_names, (m->n_recent + 1) * sizeof *m->recent_names);
    }
    memmove(m->recent + 1, m->recent, m->n_recent * sizeof *m->recent);
    memmove(m->recent_names + 1, m->recent_names, m->n_recent * sizeof *m->recent_names);
    m->recent[0] = xstrdup(id);
    m->recent_names[0] = name ? xstrdup(name) : NULL;
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
    fm_update(m);
    return true;
}

/* ---- sending --------------------------------------------------------------------------- */

void fm_spec(struct form_model *m, bool skip_dups, struct batch_spec *spec)
{
    size_t k = 0;
    for (size_t i = 0; i < m->n_files; i++) {
        const struct fm_file *ff = &m->files[i];
        if (skip_dups && ff->dup)
            continue;
        m->spec_paths[k] = ff->path;
        m->spec_names[k] = ff->name.buf;
        m->spec_types[k] = ff->type;
        m->spec_sha[k] = ff->sha256[0] ? ff->sha256 : NULL;
        m->spec_picked[k] = ff->picked_ok ? &ff->picked : NULL;
        k++;
    }
    const struct cand_application *app = fm_application(m);
    *spec = (struct batch_spec){
        .candidate = m->spec_cand,
        .candidate_name = fm_candidate_name(m),
        .application_id = app ? app->id : NULL,
        .job_name = app ? app->job_name : NULL,
        .type = m->type,
        .types = m->spec_types,
        .names = m->spec_names,
        /* an empty type means "detect for each file" */
        .ctype = m->ctype.len ? m->ctype.buf : NULL,
        .sha256 = m->spec_sha,
        .picked = m->spec_picked,
        .paths = m->spec_paths,
        .n = k,
    };
}

enum fm_block fm_try_send(struct form_model *m, struct batch_spec *spec)
{
    m->tried_send = true;
    fm_update(m);
    /* what is sent is what the checks saw: the ID without the spaces around it */
    le_set(&m->cand, m->cand_id);
    fm_update(m); /* "required" is an error from now on */
    for (int f = 0; f < FM_COUNT; f++) {
        if (f == FM_FILE && fm_multi(m)) {
            for (size_t i = 0; i < m->n_files; i++) {
                if (m->files[i].check.level == FM_ERROR) {
                    m->focus = FM_FILE;
                    m->focus_file = i;
                    return FM_SEND_FIX_FIELDS;
                }
            }
        } else if (fm_focusable(m, (enum fm_field)f) && m->checks[f].level == FM_ERROR) {
            m->focus = (enum fm_field)f;
            return FM_SEND_FIX_FIELDS;
        }
    }
    if (m->n_files == 0)
        return FM_SEND_NO_FILE;
    /* A name that reads otherwise than it is ("cv\u202efdp.exe") is worth one stop: said
     * once, with the focus on it; the next try sends it as it is. */
    for (size_t i = 0; i < m->n_files && !m->odd_names_said; i++) {
        if (m->files[i].odd_name) {
            m->odd_names_said = true;
            m->focus = fm_multi(m) ? FM_FILE : FM_NAME;
            m->focus_file = i;
            return FM_SEND_ODD_NAME;
        }
    }
    if (m->n_files == 1 && m->too_big)
        return FM_SEND_TOO_BIG;
    /* a candidate from the local index may be gone: Kombo says so before a byte is sent */
    if (m->have_target && (m->confirm == FM_CONFIRMING || m->confirm == FM_CONFIRM_FAILED))
        return FM_SEND_UNCONFIRMED;
    fm_remember_named(m, m->cand.buf, fm_candidate_name(m));
    m->sent_once = true;
    free(m->spec_cand);
    m->spec_cand = xstrdup(m->cand.buf);
    fm_spec(m, false, spec);
    return FM_SEND_OK;
}
