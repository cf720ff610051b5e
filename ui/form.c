/* The form screen: maps keys to the form model (form_model.c: values, checks, sizes) and
 * runs a send's last steps: the files' hashes (worked out while the form is open, a few
 * megabytes each idle moment), then the history's duplicate check, which asks before the
 * same content goes to the same candidate again. Drawing is form_draw.c. */
#include "form.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "clock.h"
#include "editkeys.h"
#include "form_files.h"
#include "format.h"
#include "theme.h"

/* Bytes hashed per idle moment: a few milliseconds, so a key never waits on it. */
#define HASH_STEP (4u << 20)

enum form_action {
    FA_NEXT, FA_PREV, FA_UP, FA_DOWN, FA_SEND, FA_BACK, FA_ENTER, FA_OLDER, FA_NEWER, FA_TYPE_NEXT,
    FA_TYPE_PREV, FA_YES, FA_SKIP, FA_NO, FA_LIST_DOWN, FA_LIST_UP, FA_PICK, FA_APP_NEXT, FA_APP_PREV
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

/* In a text field `?` is a character: F1 opens the help there. An empty candidate field
 * takes `?` for the help too: no search starts with it (a URL may hold one later). */
#define HELP_F1 { { KC(KEY_F(1)), 0 }, "F1", "keys", KEYS_HELP, "this list of keys" }
#define HELP_ANY { { '?', KC(KEY_F(1)), 0 }, "?", "keys", KEYS_HELP, "this list of keys" }

static const struct binding text_keys[] = { FORM_COMMON, HELP_F1 };
/* The candidate field is a search box: the list under it is walked with the arrows. */
#define CAND_ROWS \
    { { '\r', '\n', KC(KEY_ENTER), 0 }, "Enter", "pick", FA_PICK, \
      "pick the highlighted candidate; with none highlighted, the next field" }, \
    { { KC(KEY_DOWN), 0 }, "Down", "matches", FA_LIST_DOWN, \
      "the next match (or recent candidate) below; without a list, the next field" }, \
    { { KC(KEY_UP), 0 }, "Up", NULL, FA_LIST_UP, "the previous match; from the first, the field again" }, \
    { { CTRL_KEY('p'), 0 }, "^P", NULL, FA_OLDER, "an older candidate ID of earlier uploads, into the field" }, \
    { { CTRL_KEY('n'), 0 }, "^N", NULL, FA_NEWER, "a newer one; past the newest, the next field" }
static const struct binding cand_keys[] = { CAND_ROWS, FORM_COMMON, HELP_F1 };
static const struct binding cand_empty_keys[] = { CAND_ROWS, FORM_COMMON, HELP_ANY };
static const struct binding app_keys[] = {
    { { ' ', KC(KEY_RIGHT), 0 }, "Space", "change application", FA_APP_NEXT,
      "the next of the candidate's applications (or the candidate alone)" },
    { { KC(KEY_LEFT), 0 }, "Left", NULL, FA_APP_PREV, "the previous one" },
    FORM_COMMON,
    HELP_ANY,
};
static const struct binding type_keys[] = {
    { { ' ', KC(KEY_RIGHT), 0 }, "Space", "change type", FA_TYPE_NEXT, "the next type (several files: for all)" },
    { { KC(KEY_LEFT), 0 }, "Left", NULL, FA_TYPE_PREV, "the previous type" },
    FORM_COMMON,
    HELP_ANY,
};
/* A file's row (several files): its name is a text field, so the type has a control key. */
static const struct binding file_keys[] = {
    { { CTRL_KEY('t'), KC(KEY_F(3)), 0 }, "^T", "type", FA_TYPE_NEXT, "this file's next type" },
    FORM_COMMON,
    HELP_F1,
};
static const struct binding send_keys[] = { FORM_COMMON, HELP_ANY };
/* The question before sending content this candidate already has. */
static const struct binding confirm_keys[] = {
    { { 'y', 0 }, "y", "send anyway", FA_YES, "send every file, also those attached before" },
    { { 's', 0 }, "s", "skip those", FA_SKIP, "send only the files not attached before" },
    { { 'n', KEY_ESC, 0 }, "n", "back", FA_NO, "send nothing, back to the form" },
    HELP_ANY,
};

#define N_OF(t) (sizeof(t) / sizeof((t)[0]))

/* Every table of the screen, for the man page's check (help.h). */
const struct help_section form_doc[] = {
    { "Form: a text field", text_keys, N_OF(text_keys) },
    { "Form: the candidate (a search)", cand_keys, N_OF(cand_keys) },
    { "Form: the candidate, empty", cand_empty_keys, N_OF(cand_empty_keys) },
    { "Form: the application", app_keys, N_OF(app_keys) },
    { "Form: the type", type_keys, N_OF(type_keys) },
    { "Form: a file's row", file_keys, N_OF(file_keys) },
    { "Form: sending content attached before", confirm_keys, N_OF(confirm_keys) },
    { NULL, NULL, 0 },
};

static const struct binding *form_bindings(const struct app *a, size_t *n)
{
    const struct form_model *m = &a->form.m;
    if (a->form.confirm) {
        size_t dups = 0;
        for (size_t i = 0; i < m->n_files; i++)
            dups += m->files[i].dup;
        /* "skip those" only when something would be left to send */
        if (dups < m->n_files) {
            *n = N_OF(confirm_keys);
            return confirm_keys;
        }
        static const struct binding all_dup[] = { confirm_keys[0], confirm_keys[2], confirm_keys[3] };
        *n = N_OF(all_dup);
        return all_dup;
    }
    switch (m->focus) {
    case FM_TYPE:
        *n = N_OF(type_keys);
        return type_keys;
    case FM_FILE:
        *n = N_OF(file_keys);
        return file_keys;
    case FM_CANDIDATE:
        if (m->cand.len == 0) {
            *n = N_OF(cand_empty_keys);
            return cand_empty_keys;
        }
        *n = N_OF(cand_keys);
        return cand_keys;
    case FM_APPLICATION:
        *n = N_OF(app_keys);
        return app_keys;
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
    out[k].title = a->form.confirm ? "Sending again" : "Form";
    out[k].t = form_bindings(a, &out[k].n);
    k++;
    if (!a->form.confirm && fm_focused_edit(&a->form.m)) {
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

void form_start(struct form *f, struct client *c, struct index *ix)
{
    search_init(&f->search, c);
    search_set_index(&f->search, ix);
    confirm_init(&f->cand_check, c);
    f->sel = -1;
}

void form_stop(struct form *f)
{
    confirm_free(&f->cand_check);
    search_free(&f->search);
}

/* The target is i of the search's hits: when that row is the local index's copy alone,
 * Kombo is asked about the candidate before anything can be sent to them. */
static void target_from_hit(struct form *f, size_t i)
{
    fm_set_target(&f->m, &f->search.hits[i]);
    if (search_hit_from_index(&f->search, i)) {
        confirm_start(&f->cand_check, f->search.hits[i].id);
        fm_set_confirm(&f->m, f->cand_check.state == CONFIRM_RUNNING ? FM_CONFIRMING : FM_CONFIRM_FAILED,
                       f->cand_check.message);
    } else {
        confirm_clear(&f->cand_check);
    }
}

/* What Kombo said about the target picked from the index. True when the form changed. */
static bool confirm_news(struct form *f)
{
    struct form_model *m = &f->m;
    /* the target went (another ID typed): its question goes too */
    if (f->cand_check.state != CONFIRM_NONE && (!m->have_target || strcmp(m->target.id, f->cand_check.id) != 0)) {
        confirm_clear(&f->cand_check);
        f->send_confirmed = false;
    }
    if (!confirm_step(&f->cand_check))
        return false;
    switch (f->cand_check.state) {
    case CONFIRM_OK:
        fm_replace_target(m, &f->cand_check.live); /* the applications of now */
        break;
    case CONFIRM_GONE:
        fm_set_confirm(m, FM_GONE, NULL);
        f->send_confirmed = false;
        break;
    default:
        fm_set_confirm(m, FM_CONFIRM_FAILED, f->cand_check.message);
        f->send_confirmed = false;
        break;
    }
    return true;
}

size_t form_list_rows(const struct app *a)
{
    const struct form_model *m = &a->form.m;
    const struct search *s = &a->form.search;
    if (m->focus != FM_CANDIDATE || m->have_target)
        return 0;
    if (s->state == SEARCH_EMPTY)
        return m->n_recent < 8 ? m->n_recent : 8;
    return s->n;
}

/* The highlighted row becomes the candidate: a hit with everything the search knows, a
 * recent one by its ID (the search then confirms it and brings the rest). */
static void pick(struct app *a)
{
    struct form *f = &a->form;
    struct form_model *m = &f->m;
    if (f->search.state == SEARCH_EMPTY) {
        if ((size_t)f->sel < m->n_recent) {
            le_set(&m->cand, m->recent[f->sel]);
            fm_update(m);
        }
    } else if ((size_t)f->sel < f->search.n) {
        target_from_hit(f, (size_t)f->sel);
    }
    f->sel = -1;
    fm_move_focus(m, +1);
}

bool form_background(struct app *a)
{
    struct form *f = &a->form;
    struct form_model *m = &f->m;
    double now = clock_now();
    bool changed = search_set_text(&f->search, fm_candidate(m), now);
    changed |= search_step(&f->search, now);
    /* a sync stored pages: the index may know more about the text shown now (not while
     * the user walks the list: the rows would move under the highlight) */
    if (a->indexer.generation != f->index_generation && f->sel < 0 && !m->have_target) {
        f->index_generation = a->indexer.generation;
        changed |= search_refresh_index(&f->search);
    }
    if (f->search.generation != f->seen_generation) {
        f->seen_generation = f->search.generation;
        f->sel = -1; /* a new list: nothing is highlighted that was not seen */
    }
    /* a typed or pasted Kombo ID that the search found: that is who it is */
    if (!m->have_target && f->search.state == SEARCH_DONE) {
        const struct candidate *hit = search_find(&f->search, fm_candidate(m));
        if (hit) {
            target_from_hit(f, (size_t)(hit - f->search.hits));
            changed = true;
        }
    }
    changed |= confirm_news(f);
    changed |= target_want(&a->target, m->have_target ? m->target.id : NULL);
    const struct listing *l = m->have_target && a->target.have_listing ? &a->target.listing : NULL;
    if (m->existing != l) {
        fm_set_existing(m, l);
        changed = true;
    }
    const struct restrictions *r =
        account_restrictions(&a->account, fm_application(m) ? KREAD_TO_APPLICATION : KREAD_TO_CANDIDATE);
    if (m->restr != r) {
        fm_set_restrictions(m, r);
        changed = true;
    }
    return changed;
}

void form_account_changed(struct app *a)
{
    (void)form_background(a);
}

int form_wait_ms(const struct app *a, double now)
{
    return search_wait_ms(&a->form.search, now);
}

/* The files come with the GOTO: from the picker all new; from the result ("edit") the ones
 * not attached, which keep what was typed for them. */
static struct ui_intent form_enter(struct app *a, const struct ui_intent *why)
{
    struct form *f = &a->form;
    if (why->paths) {
        if (why->fresh)
            fm_set_files(&f->m, why->paths, why->n_paths);
        else
            fm_keep_files(&f->m, why->paths, why->n_paths);
        f->scroll = 0;
    }
    f->notice[0] = '\0';
    f->checking = f->confirm = false;
    return ui_intent(UI_INTENT_NONE);
}

/* A notice answers the key that caused it: it does not wait for the user's return. */
static void form_leave(struct app *a)
{
    a->form.notice[0] = '\0';
    a->form.checking = a->form.confirm = false;
    a->form.send_confirmed = false;
}

/* ---- sending ---------------------------------------------------------------------------- */

static bool check_duplicates(const struct app *a)
{
    const struct send_options *so = a->o->send;
    return !so->no_history && !so->force;
}

static struct ui_intent send_intent(struct form *f)
{
    f->notice[0] = '\0';
    f->checking = f->confirm = false;
    return (struct ui_intent){ .kind = UI_INTENT_SEND, .spec = &f->spec };
}

/* The hashes are all there: ask when the history has any of these files for this
 * candidate, else send. */
static struct ui_intent after_hashes(struct app *a)
{
    struct form *f = &a->form;
    f->checking = false;
    const struct send_options *so = a->o->send;
    if (fm_find_duplicates(&f->m, so->client.label, so->client.integration_id) == 0)
        return send_intent(f);
    f->confirm = true;
    return ui_intent(UI_INTENT_REDRAW);
}

static struct ui_intent try_send(struct app *a)
{
    struct form *f = &a->form;
    char lim[32];
    f->confirm = false;
    switch (fm_try_send(&f->m, &f->spec)) {
    case FM_SEND_OK:
        if (!check_duplicates(a))
            return send_intent(f);
        fm_hash_recheck(&f->m); /* a file changed since it was hashed is hashed again */
        if (!fm_hash_step(&f->m, 0))
            return after_hashes(a);
        f->checking = true; /* the idle steps finish the hashes, then go on */
        return ui_intent(UI_INTENT_REDRAW);
    case FM_SEND_FIX_FIELDS:
        snprintf(f->notice, sizeof f->notice, "fix the fields marked %s first", theme_glyphs()->err);
        break;
    case FM_SEND_NO_FILE:
        snprintf(f->notice, sizeof f->notice, "no file to send: go back with Esc and pick one");
        break;
    case FM_SEND_ODD_NAME:
        snprintf(f->notice, sizeof f->notice, "invisible or bidi character in the name (%s): "
                 "^S again sends it",
                 theme_glyphs()->warn);
        break;
    case FM_SEND_UNCONFIRMED:
        if (f->cand_check.state != CONFIRM_RUNNING) {
            /* no answer last time: ask again */
            confirm_start(&f->cand_check, f->m.target.id);
            fm_set_confirm(&f->m, f->cand_check.state == CONFIRM_RUNNING ? FM_CONFIRMING : FM_CONFIRM_FAILED,
                           f->cand_check.message);
        }
        f->send_confirmed = f->cand_check.state == CONFIRM_RUNNING;
        snprintf(f->notice, sizeof f->notice, "%s", f->send_confirmed
                 ? "confirming the candidate with Kombo first (the index may be old): sends when Kombo answers"
                 : "the candidate could not be confirmed with Kombo: ^S asks again");
        break;
    case FM_SEND_TOO_BIG:
        fmt_bytes(f->m.max_size, lim, sizeof lim);
        snprintf(f->notice, sizeof f->notice, "the file is over the limit of %s: pick a smaller "
                 "one (Esc), or start with a larger --max-size", lim);
        break;
    }
    return ui_intent(UI_INTENT_REDRAW);
}

static struct ui_intent confirm_key(struct app *a, int key)
{
    struct form *f = &a->form;
    size_t nb;
    const struct binding *t = form_bindings(a, &nb);
    switch (keys_find(t, nb, key)) {
    case FA_YES:
        /* the duplicates are wanted: the engine must not skip them as already attached */
        f->spec.force = true;
        return send_intent(f);
    case FA_SKIP:
        fm_spec(&f->m, true, &f->spec);
        return send_intent(f);
    case FA_NO:
        f->confirm = false;
        return ui_intent(UI_INTENT_REDRAW);
    default:
        return ui_intent(UI_INTENT_NONE); /* an answer is needed: other keys wait */
    }
}

/* ---- keys --------------------------------------------------------------------------------- */

static struct ui_intent form_key(struct app *a, int key)
{
    struct form *f = &a->form;
    struct form_model *m = &f->m;
    const struct ui_intent redraw = ui_intent(UI_INTENT_REDRAW);
    if (f->confirm)
        return confirm_key(a, key);
    f->notice[0] = '\0';
    f->checking = false; /* any key while the hashes finish calls the send off */
    f->send_confirmed = false; /* and while Kombo is asked about the candidate */

    size_t nb;
    const struct binding *t = form_bindings(a, &nb);
    switch (keys_find(t, nb, key)) {
    case FA_NEXT: fm_tab_focus(m, +1); return redraw;
    case FA_PREV: fm_tab_focus(m, -1); return redraw;
    case FA_DOWN: fm_move_focus(m, +1); return redraw;
    case FA_UP: fm_move_focus(m, -1); return redraw;
    case FA_OLDER: fm_cycle_recent(m, +1); return redraw;
    case FA_LIST_DOWN:
        if (f->sel + 1 < (int)form_list_rows(a))
            f->sel++;
        else if (form_list_rows(a) == 0)
            fm_move_focus(m, +1);
        return redraw;
    case FA_LIST_UP:
        if (f->sel >= 0)
            f->sel--;
        else
            fm_move_focus(m, -1);
        return redraw;
    case FA_PICK:
        if (f->sel >= 0 && (size_t)f->sel < form_list_rows(a))
            pick(a);
        else
            fm_move_focus(m, +1);
        return redraw;
    case FA_APP_NEXT: fm_cycle_app(m, +1); return redraw;
    case FA_APP_PREV: fm_cycle_app(m, -1); return redraw;
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

/* Idle moments hash the files; a send waiting for them goes on when they are done. */
static struct ui_intent form_idle(struct app *a, unsigned sent)
{
    (void)sent;
    struct form *f = &a->form;
    /* ^S waited for Kombo to confirm the candidate from the index: it did */
    if (f->send_confirmed && f->cand_check.state != CONFIRM_RUNNING) {
        f->send_confirmed = false;
        if (f->m.confirm == FM_CONFIRMED)
            return try_send(a);
        return ui_intent(UI_INTENT_REDRAW);
    }
    /* the spinner turns while a search runs */
    bool spin = f->search.state == SEARCH_RUNNING || f->search.state == SEARCH_WAITING;
    if (!check_duplicates(a))
        return ui_intent(spin ? UI_INTENT_REDRAW : UI_INTENT_NONE);
    bool left = fm_hash_step(&f->m, HASH_STEP);
    a->idle_again = left; /* more to do: the loop does not wait for a key first */
    if (f->checking)
        return left ? ui_intent(UI_INTENT_REDRAW) : after_hashes(a);
    return ui_intent(spin ? UI_INTENT_REDRAW : UI_INTENT_NONE);
}

const struct screen_ops form_ops = {
    .enter = form_enter,
    .leave = form_leave,
    .draw = form_draw,
    .key = form_key,
    .idle = form_idle,
    .bindings = form_bindings,
    .help = form_help,
};
