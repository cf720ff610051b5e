/* The result screen: what Kombo said, file by file, and what to do next. Everything
 * Kombo sent is shown as it came (code, title, message, log URL, warnings); fields it left
 * out are left out here too. It reads the batch and the results the sender kept. */
#include "result.h"
#include "result_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "clock.h"
#include "draw.h"
#include "failmsg.h"
#include "format.h"
#include "kombo_codes.h"
#include "theme.h"
#include "xalloc.h"


enum result_action {
    RA_RETRY, RA_EDIT, RA_PICK, RA_ENTER, RA_QUIT, RA_UP, RA_DOWN, RA_PGUP, RA_PGDN, RA_YES, RA_NO,
    RA_COPY, RA_NEXT_LINK
};

#define RESULT_NAV \
    { { 'e', 0 }, "e", "edit", RA_EDIT, "back to the form, with the files not attached" }, \
    { { 'p', KEY_ESC, 0 }, "p", "pick another file", RA_PICK, "back to the files, for the next upload" }, \
    { { '\r', '\n', KC(KEY_ENTER), 0 }, "Enter", NULL, RA_ENTER, \
      "everything attached: pick another file; else edit" }, \
    { { '?', KC(KEY_F(1)), 0 }, "?", "keys", KEYS_HELP, "this list of keys" }, \
    { { 'q', KC(KEY_F(10)), 0 }, "q", "quit", RA_QUIT, "quit (one line says what was attached)" }, \
    { { 'c', 0 }, "c", "copy link", RA_COPY, \
      "put the focused link (the ATS page, Kombo's log) on the clipboard (OSC 52)" }, \
    { { '\t', 0 }, "Tab", NULL, RA_NEXT_LINK, "focus the next link" }, \
    { { KC(KEY_UP), 'k', CTRL_KEY('p'), 0 }, "k", NULL, RA_UP, "the previous file; scroll up" }, \
    { { KC(KEY_DOWN), 'j', CTRL_KEY('n'), 0 }, "j", NULL, RA_DOWN, "the next file; scroll down" }, \
    { { KC(KEY_PPAGE), CTRL_KEY('u'), CTRL_KEY('b'), 0 }, "PgUp", NULL, RA_PGUP, "scroll the details up" }, \
    { { KC(KEY_NPAGE), CTRL_KEY('d'), CTRL_KEY('f'), ' ', 0 }, "PgDn", NULL, RA_PGDN, \
      "scroll the details down" }

/* Retry only where it can help (transfer_result.retry_helps): a refusal that would repeat,
 * or a file that is the problem, needs a change in the form instead. */
static const struct binding retry_keys[] = {
    { { 'r', 0 }, "r", "retry", RA_RETRY, "send again the files a retry can help" },
    RESULT_NAV,
};
static const struct binding plain_keys[] = { RESULT_NAV };
/* The question before sending again what may have been attached. */
static const struct binding confirm_keys[] = {
    { { 'y', 0 }, "y", "send again", RA_YES, "send it again, even though it may be attached twice" },
    { { 'n', KEY_ESC, 0 }, "n", "back", RA_NO, "do not send it again (look in the ATS first)" },
    { { '?', KC(KEY_F(1)), 0 }, "?", "keys", KEYS_HELP, "this list of keys" },
};

#define N_OF(t) (sizeof(t) / sizeof((t)[0]))

/* Every table of the screen, for the man page's check (help.h). */
const struct help_section result_doc[] = {
    { "Result", retry_keys, N_OF(retry_keys) },
    { "Result: sending again what may have been attached", confirm_keys, N_OF(confirm_keys) },
    { NULL, NULL, 0 },
};

static const struct binding *result_bindings(const struct app *a, size_t *n)
{
    if (a->result.confirm_retry) {
        *n = N_OF(confirm_keys);
        return confirm_keys;
    }
    if (batch_retry_count(&a->sender.b, NULL) > 0) {
        *n = N_OF(retry_keys);
        return retry_keys;
    }
    *n = N_OF(plain_keys);
    return plain_keys;
}

static struct ui_intent copy_link(struct app *a)
{
    struct result *r = &a->result;
    const struct batch *b = &a->sender.b;
    struct rlink l[3];
    size_t n = b->n ? result_file_links(a, &b->files[r->sel], l) : 0;
    if (n == 0) {
        snprintf(r->notice, sizeof r->notice, "no link to copy here");
    } else if (!a->osc52) {
        snprintf(r->notice, sizeof r->notice, "this terminal cannot take text for the clipboard (OSC 52): "
                 "select the link with the mouse");
    } else {
        const struct rlink *k = &l[r->link < n ? r->link : 0];
        snprintf(a->links.copy, sizeof a->links.copy, "%s", k->url);
        snprintf(r->notice, sizeof r->notice, "%s copied to the clipboard (OSC 52; in tmux with "
                 "set-clipboard on)", k->label);
    }
    return ui_intent(UI_INTENT_REDRAW);
}

/* After a send: look for the files attached in the candidate's listing, a few times, in the
 * background (Kombo's answer has no attachment ID: the listing is the proof). */
static void start_verify(struct app *a)
{
    const struct batch *b = &a->sender.b;
    const char *names[TARGET_VERIFY_NAMES];
    size_t n = 0;
    for (size_t i = 0; i < b->n && n < TARGET_VERIFY_NAMES; i++)
        if (batch_file_ok(&b->files[i]))
            names[n++] = b->files[i].att.name;
    target_verify_start(&a->target, b->candidate, names, n, clock_now());
}

static struct ui_intent result_enter(struct app *a, const struct ui_intent *why)
{
    (void)why;
    /* open on the first problem: that is what needs reading */
    a->result.sel = batch_first_problem(&a->sender.b);
    a->result.scroll = 0;
    a->result.confirm_retry = false;
    a->result.link = 0;
    a->result.notice[0] = '\0';
    start_verify(a);
    return ui_intent(UI_INTENT_NONE);
}

/* Back to the files for the next upload: the marks of this batch go. */
static struct ui_intent pick_another(void)
{
    struct ui_intent in = ui_goto(SCR_PICKER);
    in.fresh = true;
    return in;
}

/* The form again, with the files not attached (after a partial success, the others would
 * be sent twice), or all of them when all were (to send them elsewhere). */
static struct ui_intent edit(const struct batch *b)
{
    struct ui_intent in = ui_goto(SCR_FORM);
    bool all_ok = !batch_has_failures(b);
    in.paths = xcalloc(b->n ? b->n : 1, sizeof *in.paths);
    for (size_t i = 0; i < b->n; i++)
        if (all_ok || !batch_file_ok(&b->files[i]))
            in.paths[in.n_paths++] = xstrdup(b->files[i].path);
    return in;
}

static struct ui_intent result_key(struct app *a, int key)
{
    struct result *r = &a->result;
    const struct ui_intent redraw = ui_intent(UI_INTENT_REDRAW);
    size_t nb, unknown;
    const struct binding *t = result_bindings(a, &nb);
    size_t n = a->sender.b.n;
    bool several = n > 1;
    r->notice[0] = '\0';
    switch (keys_find(t, nb, key)) {
    case RA_COPY:
        return copy_link(a);
    case RA_NEXT_LINK: {
        struct rlink l[3];
        size_t k = n ? result_file_links(a, &a->sender.b.files[r->sel], l) : 0;
        r->link = k ? (r->link + 1) % k : 0;
        return redraw;
    }
    case RA_EDIT:
        return edit(&a->sender.b);
    case RA_RETRY:
        /* what may be attached already is sent again only once the risk was read */
        batch_retry_count(&a->sender.b, &unknown);
        if (unknown) {
            r->confirm_retry = true;
            return redraw;
        }
        return ui_intent(UI_INTENT_RETRY_FAILED);
    case RA_YES:
        r->confirm_retry = false;
        return ui_intent(UI_INTENT_RETRY_FAILED);
    case RA_NO:
        r->confirm_retry = false;
        return redraw;
    case RA_ENTER:
        /* all attached: the next file is what comes next; else what to change */
        if (batch_has_failures(&a->sender.b))
            return edit(&a->sender.b);
        return pick_another();
    case RA_PICK:
        return pick_another();
    case RA_QUIT:
        return ui_intent(UI_INTENT_QUIT);
    case RA_UP:
        if (several) {
            if (r->sel > 0) {
                r->sel--;
                r->scroll = 0;
            }
        } else if (r->scroll > 0) {
            r->scroll--;
        }
        return redraw;
    case RA_DOWN:
        if (several) {
            if (r->sel + 1 < n) {
                r->sel++;
                r->scroll = 0;
            }
        } else if (r->scroll < r->max_scroll) {
            r->scroll++;
        }
        return redraw;
    case RA_PGUP:
        r->scroll = r->scroll > 5 ? r->scroll - 5 : 0;
        return redraw;
    case RA_PGDN:
        r->scroll = r->scroll + 5 < r->max_scroll ? r->scroll + 5 : r->max_scroll;
        return redraw;
    default:
        return ui_intent(UI_INTENT_NONE);
    }
}

const struct screen_ops result_ops = {
    .enter = result_enter,
    .draw = result_draw,
    .key = result_key,
    .bindings = result_bindings,
};
