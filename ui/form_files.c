/* The form model's files: setting and keeping them, the name each is sent under, and their
 * SHA-256, worked out a little at a time while the form is open so that the duplicate check
 * costs nothing when Ctrl-S comes (see form_model.h). */
#include "form_files.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "filehash.h"
#include "termsafe.h"
#include "history.h"
#include "mime.h"
#include "utf8.h"
#include "xalloc.h"

#define REPLACEMENT "\xef\xbf\xbd" /* U+FFFD, where a name's bytes are not text */

static void file_free(struct fm_file *ff)
{
    free(ff->path);
    free(ff->base);
    le_free(&ff->name);
    filehash_free(ff->hash);
    memset(ff, 0, sizeof *ff);
}

void fm_files_free(struct form_model *m)
{
    for (size_t i = 0; i < m->n_files; i++)
        file_free(&m->files[i]);
    free(m->files);
    free(m->spec_paths);
    free(m->spec_names);
    free(m->spec_sha);
    free(m->spec_types);
    free(m->spec_picked);
    m->spec_picked = NULL;
    m->files = NULL;
    m->spec_paths = m->spec_names = m->spec_sha = NULL;
    m->spec_types = NULL;
    m->n_files = 0;
}

/* A file name as a name to edit: what is not text (invalid bytes, control characters),
 * which a text field cannot hold, becomes U+FFFD, so the field shows that something is
 * there to fix instead of silently dropping it. Caller frees. */
static char *editable_name(const char *s)
{
    size_t n = strlen(s), o = 0;
    char *out = xmalloc(n * 3 + 1);
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t l = utf8_decode(s + i, n - i, &cp);
        if (l == 0 || cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) {
            memcpy(out + o, REPLACEMENT, 3);
            o += 3;
            i += l ? l : 1;
            continue;
        }
        memcpy(out + o, s + i, l);
        o += l;
        i += l;
    }
    out[o] = '\0';
    return out;
}

/* The first character of s a terminal must not get as it is (a bidi override such as
 * U+202E that makes "cv\u202efdp.exe" read "cvexe.pdf", a zero-width space...), as its
 * escape in esc; false when there is none. Control characters are att_check_name's. */
static bool odd_character(const char *s, char esc[TS_ESC_MAX])
{
    size_t n = strlen(s);
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t l = utf8_decode(s + i, n - i, &cp);
        if (l == 0)
            return false;
        if (cp >= 0xa0 && ts_cp_unsafe(cp)) {
            ts_escape_cp(cp, esc);
            return true;
        }
        i += l;
    }
    return false;
}

void fm_file_check(struct fm_file *ff)
{
    char esc[TS_ESC_MAX];
    const char *why = att_check_name(ff->name.buf);
    ff->check.level = FM_FINE;
    ff->check.msg[0] = '\0';
    if (strstr(ff->name.buf, REPLACEMENT)) {
        ff->check.level = FM_ERROR;
        snprintf(ff->check.msg, sizeof ff->check.msg,
                 "the file's name is not all text (" REPLACEMENT " marks what is not): "
                 "type the name the ATS should show");
    } else if (why) {
        ff->check.level = FM_ERROR;
        snprintf(ff->check.msg, sizeof ff->check.msg, "%s", why);
    } else if (odd_character(ff->name.buf, esc)) {
        ff->check.level = FM_WARNING;
        snprintf(ff->check.msg, sizeof ff->check.msg, "holds an invisible or direction-changing "
                 "character (%s): the ATS will show the name otherwise; retype it", esc);
    }
    ff->odd_name = ff->check.level == FM_WARNING;
    ff->name_error = ff->check.level == FM_ERROR;
}

static void file_init(struct form_model *m, struct fm_file *ff, const char *path, const char *name)
{
    memset(ff, 0, sizeof *ff);
    const char *slash = strrchr(path, '/');
    ff->path = xstrdup(path);
    ff->base = xstrdup(slash ? slash + 1 : path);
    struct stat st;
    if (stat(path, &st) == 0) {
        ff->size = (uint64_t)st.st_size;
        att_identity_of(&st, &ff->picked);
        ff->picked_ok = true;
    }
    /* a handful of marked files at most: detecting each once here is cheap */
    mime_detect(path, ff->mime, sizeof ff->mime);
    ff->generic = mime_is_generic(ff->mime);
    char *shown = editable_name(name ? name : ff->base);
    le_init(&ff->name, shown, 255);
    free(shown);
    ff->type = m->type;
}

static void alloc_spec(struct form_model *m, size_t n)
{
    size_t k = n ? n : 1;
    m->spec_paths = xcalloc(k, sizeof *m->spec_paths);
    m->spec_names = xcalloc(k, sizeof *m->spec_names);
    m->spec_sha = xcalloc(k, sizeof *m->spec_sha);
    m->spec_types = xcalloc(k, sizeof *m->spec_types);
    m->spec_picked = xcalloc(k, sizeof *m->spec_picked);
}

/* Where the form opens: on a name to fix first; else on [Send] when the candidate came
 * from the command line and nothing was sent yet, else on the candidate ID. */
static void initial_focus(struct form_model *m)
{
    m->focus_file = 0;
    for (size_t i = 0; i < m->n_files; i++) {
        if (m->files[i].name_error) { /* the name: a refusal is fixed on the Type field */
            m->focus = fm_multi(m) ? FM_FILE : FM_NAME;
            m->focus_file = i;
            return;
        }
    }
    /* after a send the ID is the last one's: two Enters must not send the next file there */
    m->focus = m->cand.len && !m->sent_once ? FM_SEND : FM_CANDIDATE;
}

void fm_set_files(struct form_model *m, char *const *paths, size_t n)
{
    fm_files_free(m);
    m->files = xcalloc(n ? n : 1, sizeof *m->files);
    alloc_spec(m, n);
    for (size_t i = 0; i < n; i++)
        file_init(m, &m->files[i], paths[i], n == 1 ? m->preset_name : NULL);
    m->n_files = n;
    const char *ctype = m->preset_ctype ? m->preset_ctype : n == 1 ? m->files[0].mime : "";
    le_set(&m->ctype, n >= 1 ? ctype : "");
    m->tried_send = false;
    m->odd_names_said = false;
    fm_update(m);
    initial_focus(m);
}

void fm_keep_files(struct form_model *m, char *const *paths, size_t n)
{
    struct fm_file *files = xcalloc(n ? n : 1, sizeof *files);
    for (size_t i = 0; i < n; i++) {
        size_t j = 0;
        while (j < m->n_files && !(m->files[j].path && strcmp(m->files[j].path, paths[i]) == 0))
            j++;
        if (j < m->n_files) {
            files[i] = m->files[j]; /* moved, with its name, type and hash */
            memset(&m->files[j], 0, sizeof m->files[j]);
        } else {
            file_init(m, &files[i], paths[i], NULL);
        }
    }
    bool was_multi = fm_multi(m);
    fm_files_free(m);
    m->files = files;
    m->n_files = n;
    alloc_spec(m, n);
    if (was_multi && n == 1 && m->ctype.len == 0)
        le_set(&m->ctype, files[0].mime); /* one file shows its own type, as fm_set_files does */
    m->tried_send = false;
    m->odd_names_said = false;
    fm_update(m);
    initial_focus(m);
}

/* ---- hashes ------------------------------------------------------------------------------ */

bool fm_hash_step(struct form_model *m, size_t budget)
{
    bool left = false;
    for (size_t i = 0; i < m->n_files; i++) {
        struct fm_file *ff = &m->files[i];
        if (ff->sha256[0] || ff->hash_failed)
            continue;
        if (budget == 0) {
            left = true;
            break;
        }
        if (!ff->hash) {
            char err[256];
            struct stat st;
            if (stat(ff->path, &st) == 0) {
                ff->hash_size = (uint64_t)st.st_size;
                ff->hash_mtime = st.st_mtime;
            }
            if (!(ff->hash = filehash_open(ff->path, err, sizeof err))) {
                ff->hash_failed = true; /* the batch says why when it gets to the file */
                continue;
            }
        }
        uint64_t before = filehash_done(ff->hash);
        int r = filehash_step(ff->hash, budget);
        uint64_t did = filehash_done(ff->hash) - before;
        budget = did < budget ? budget - did : 0;
        if (r == 0 && filehash_hex(ff->hash, ff->sha256)) {
            filehash_free(ff->hash);
            ff->hash = NULL;
        } else if (r < 0) {
            ff->hash_failed = true;
            filehash_free(ff->hash);
            ff->hash = NULL;
        } else {
            left = true;
            break; /* the budget is spent */
        }
    }
    return left;
}

void fm_hash_recheck(struct form_model *m)
{
    for (size_t i = 0; i < m->n_files; i++) {
        struct fm_file *ff = &m->files[i];
        struct stat st;
        if (!ff->sha256[0] || stat(ff->path, &st) != 0)
            continue;
        if ((uint64_t)st.st_size != ff->hash_size || st.st_mtime != ff->hash_mtime) {
            ff->sha256[0] = '\0';
            ff->size = (uint64_t)st.st_size;
        }
    }
    fm_update(m);
}

void fm_hash_progress(const struct form_model *m, uint64_t *done, uint64_t *of)
{
    *done = *of = 0;
    for (size_t i = 0; i < m->n_files; i++) {
        const struct fm_file *ff = &m->files[i];
        *of += ff->size;
        if (ff->sha256[0] || ff->hash_failed)
            *done += ff->size;
        else if (ff->hash)
            *done += filehash_done(ff->hash);
    }
}

size_t fm_find_duplicates(struct form_model *m, const char *server_label, const char *integration_id)
{
    size_t dups = 0;
    for (size_t i = 0; i < m->n_files; i++) {
        struct fm_file *ff = &m->files[i];
        ff->dup = false;
        if (!ff->sha256[0])
            continue;
        struct history_entry e;
        char err[256];
        /* a history that cannot be read stops nothing: the check is a courtesy */
        if (history_find_success(ff->sha256, server_label, integration_id, m->cand_id, &e, err,
                                 sizeof err) == 1) {
            ff->dup = true;
            ff->dup_time = e.time;
            history_entry_free(&e);
            dups++;
        }
    }
    return dups;
}
