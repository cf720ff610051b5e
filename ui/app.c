/* The terminal UI's loop (htop's ScreenManager, tmux's window modes): one table of screen
 * operations, keys routed to the current screen, the intents its handlers return performed
 * here and only here, and one frame drawn after everything pending was handled. Also the
 * header and footer. The terminal itself is term.c, colours theme.c. */
#include "ui.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app.h"
#include "client.h"
#include "clock.h"
#include "draw.h"
#include "exitcodes.h"
#include "sendopts.h"
#include "mime.h"
#include "term.h"
#include "theme.h"

static const struct screen_ops *const screens[SCR_COUNT] = {
    [SCR_PICKER] = &picker_ops,
    [SCR_FORM] = &form_ops,
    [SCR_PROGRESS] = &progress_ops,
    [SCR_RESULT] = &result_ops,
};

static const struct screen_ops *current(const struct app *a)
{
    return screens[a->screen];
}

const struct screen_ops *app_screen(const struct app *a)
{
    return current(a);
}

/* What performing intents leaves for the loop to do. */
enum { APP_REDRAW = 1 << 0, APP_QUIT = 1 << 1 };

/* ---- layout, header, footer ----------------------------------------------------------- */

/* The account's problem (a refused key, an integration not ready) is said above every
 * screen, at most three lines, from the moment it is known. Without one, the index's notice
 * (what the first sync stores and where; an index that cannot be used) takes the place. */
static void banner_layout(struct app *a)
{
    draw_lines_free(a->banner, a->n_banner);
    a->banner = NULL;
    a->n_banner = 0;
    const char *notice = indexer_notice(&a->indexer, clock_now());
    if ((!a->account.problem[0] && !notice) || a->layout.too_small)
        return;
    char buf[1800];
    if (a->account.problem[0]) {
        a->banner_role = a->account.problem_is_error ? ROLE_ERROR : ROLE_WARNING;
        snprintf(buf, sizeof buf, "%s %s", a->account.problem_is_error ? theme_glyphs()->err : theme_glyphs()->warn,
                 a->account.problem);
    } else {
        a->banner_role = ROLE_DIM;
        snprintf(buf, sizeof buf, "%s", notice);
    }
    a->n_banner = text_wrap(buf, a->cols - 2, &a->banner);
    int room = a->rows >= 20 ? 3 : a->rows >= 16 ? 2 : 1;
    int given = layout_banner(&a->layout, (int)a->n_banner < room ? (int)a->n_banner : room);
    if ((size_t)given < a->n_banner) {
        /* what does not fit ends in an ellipsis on the last line shown */
        if (given > 0) {
            char tmp[1200];
            snprintf(tmp, sizeof tmp, "%s %s", a->banner[given - 1], theme_glyphs()->ellipsis);
            free(a->banner[given - 1]);
            a->banner[given - 1] = text_fit(tmp, strlen(tmp), a->cols - 2, TEXT_CUT_END);
        }
        for (size_t i = (size_t)given; i < a->n_banner; i++)
            free(a->banner[i]);
        a->n_banner = (size_t)given;
    }
}

static void app_layout(struct app *a)
{
    a->rows = LINES;
    a->cols = COLS;
    layout_screen(a->rows, a->cols, &a->layout);
    banner_layout(a);
    a->too_small = a->layout.too_small;
    if (!a->too_small && current(a)->layout)
        current(a)->layout(a);
}

/* A header item: a word that says what it is (may be empty) and a value, which alone is
 * cut when the item does not fit, so "inbox" stays in front of the end of its path. */
struct header_item {
    char prefix[16];
    char value[496];
    enum text_cut cut;
    enum role role;
};

static int item_width(const struct header_item *it)
{
    return text_width(it->prefix) + text_width(it->value);
}

/* Draw one item from x, at most to right: returns the new x, or -1 when nothing more fits. */
static int header_item(int x, int right, const struct header_item *it, attr_t at, bool first)
{
    const struct glyphs *g = theme_glyphs();
    attr_t h = theme_attr(ROLE_HEADER);
    if (!first) {
        if (x + 3 >= right)
            return -1;
        draw_put(0, x, 3, " ", h);
        draw_put(0, x + 1, 1, g->sep, h);
        x += 3;
    }
    int w = item_width(it);
    if (w > right - x)
        w = right - x;
    if (w < 4 && item_width(it) > w)
        return -1;
    char *s = text_fit_around(it->prefix, it->value, "", w, it->cut);
    attrset(at);
    mvaddstr(0, x, s);
    attrset(A_NORMAL);
    x += text_width(s);
    free(s);
    return x;
}

#define HEADER_ITEMS 5

/* Header items in order of importance: where uploads go comes first, since it is what a
 * user must never be wrong about. verbose adds the words "server" and "integration". */
static int header_items(const struct app *a, bool verbose, struct header_item *items)
{
    const struct ui_options *o = a->o;
    int n = 0;
    memset(items, 0, HEADER_ITEMS * sizeof *items);
    if (o->send->sandbox) {
        snprintf(items[n].value, sizeof items[n].value, " SANDBOX ");
        items[n].role = ROLE_SANDBOX;
        items[n++].cut = TEXT_CUT_END;
    } else {
        snprintf(items[n].prefix, sizeof items[n].prefix, "%s", verbose ? "server " : "");
        snprintf(items[n].value, sizeof items[n].value, "%s", o->send->server_label ? o->send->server_label : "?");
        items[n].role = ROLE_HEADER;
        items[n++].cut = TEXT_CUT_MIDDLE;
    }
    snprintf(items[n].prefix, sizeof items[n].prefix, "%s", verbose ? "integration " : "");
    snprintf(items[n].value, sizeof items[n].value, "%s",
             o->send->client.integration_id ? o->send->client.integration_id : "(none)");
    items[n].role = ROLE_HEADER;
    items[n++].cut = TEXT_CUT_MIDDLE;
    /* who that integration is, once Kombo said: "Greenhouse · Acme GmbH" */
    if (a->account.tool[0] || a->account.org[0]) {
        bool both = a->account.tool[0] && a->account.org[0];
        /* the middle dot where the locale can draw it */
        snprintf(items[n].value, sizeof items[n].value, "%s%s%s", a->account.tool,
                 both ? (theme_glyphs()->sep[0] == '|' ? " - " : " \xc2\xb7 ") : "", a->account.org);
        items[n].role = ROLE_HEADER;
        items[n++].cut = TEXT_CUT_END;
    }
    if (o->send->profile) {
        snprintf(items[n].prefix, sizeof items[n].prefix, "profile ");
        snprintf(items[n].value, sizeof items[n].value, "%s", o->send->profile);
        items[n].role = ROLE_HEADER;
        items[n++].cut = TEXT_CUT_END;
    }
    if (o->send->sandbox && o->send->sandbox_inbox) {
        snprintf(items[n].prefix, sizeof items[n].prefix, "inbox ");
        text_tilde(o->send->sandbox_inbox, getenv("HOME"), items[n].value, sizeof items[n].value);
        items[n].role = ROLE_HEADER;
        items[n++].cut = TEXT_CUT_START;
    }
    return n;
}

/* Columns the items take; squeeze: a path cut at its start counts as at most 24 (the end
 * of the inbox's path says enough). */
static int items_width(const struct header_item *product, const struct header_item *items, int n,
                       bool squeeze)
{
    int total = item_width(product) + 1;
    for (int i = 0; i < n; i++) {
        int w = item_width(&items[i]);
        total += 3 + (squeeze && items[i].cut == TEXT_CUT_START && w > 24 ? 24 : w);
    }
    return total;
}

static void draw_header(struct app *a)
{
    const struct ui_options *o = a->o;
    attr_t h = theme_attr(ROLE_HEADER);
    draw_fill(0, 0, a->cols, h);
    int right = a->cols - 1;
    struct header_item product = { .value = "kombo-attach", .cut = TEXT_CUT_END };
    struct header_item items[HEADER_ITEMS];
    /* the index's state at the right end, only when the rest still fits whole (in its
     * short words if need be): it is news, not where the files go */
    char ixs[96];
    indexer_status(&a->indexer, clock_now(), ixs, sizeof ixs);
    int iw = ixs[0] ? text_width(ixs) + 3 : 0;
    int n = header_items(a, true, items);
    bool index_shown = false;
    if (iw && items_width(&product, items, n, true) <= right - iw)
        index_shown = true;
    else if (iw && (n = header_items(a, false, items), items_width(&product, items, n, true) <= right - iw))
        index_shown = true;
    else if ((n = header_items(a, true, items), items_width(&product, items, n, false) > right))
        n = header_items(a, false, items);
    if (index_shown) {
        draw_put_right(0, a->cols - iw + 2, iw - 3, ixs, h);
        right -= iw;
    }
    int x = header_item(1, right, &product, h | A_BOLD, true);
    /* On a narrow screen the server gets at most a third, so the integration stays visible. */
    int third = a->cols / 3;
    for (int i = 0; i < n && x >= 0; i++) {
        int lim = right;
        if (i == 0 && !o->send->sandbox && n > 1 && x + 3 + item_width(&items[i]) > right - 12)
            lim = x + 3 + third;
        x = header_item(x, lim, &items[i], theme_attr(items[i].role), false);
    }
}

static void draw_banner(struct app *a)
{
    enum role r = a->banner_role;
    for (size_t i = 0; i < a->n_banner; i++) {
        draw_fill(1 + (int)i, 0, a->cols, theme_attr(r));
        draw_put(1 + (int)i, 1, a->cols - 2, a->banner[i], theme_attr(r) | (i == 0 ? A_BOLD : 0));
    }
}

static void draw_footer(struct app *a)
{
    int y = a->rows - 1;
    draw_fill(y, 0, a->cols, theme_attr(ROLE_FOOTER));
    size_t n;
    const struct binding *t = a->help.open ? help_bindings(&n) : current(a)->bindings(a, &n);
    struct footer_item it[FOOTER_MAX];
    /* shorter labels, then "? more": never a binding cut off without a word */
    size_t k = keys_footer(t, n, a->cols, it);
    int x = 0;
    for (size_t i = 0; i < k; i++) {
        int kw = text_width(it[i].key_label), lw = text_width(it[i].label);
        x += draw_put(y, x, kw, it[i].key_label, theme_attr(ROLE_FOOTER_KEY));
        x += 1;
        x += draw_put(y, x, lw, it[i].label, theme_attr(ROLE_FOOTER));
        x += 2;
    }
}

static void draw_too_small(struct app *a)
{
    char msg[160];
    snprintf(msg, sizeof msg, "terminal too small (need %dx%d, have %dx%d) %s", LAYOUT_MIN_COLS, LAYOUT_MIN_ROWS, a->cols,
             a->rows, sender_busy(&a->sender) ? "- still sending" : "- resize, or Ctrl-C to quit");
    char **lines;
    size_t n = text_wrap(msg, a->cols, &lines);
    int y = (a->rows - (int)n) / 2;
    if (y < 0)
        y = 0;
    /* centred line by line; whatever does not fit in a tiny terminal is left out */
    for (size_t i = 0; i < n && y < a->rows; i++, y++) {
        int w = text_width(lines[i]);
        draw_put(y, w < a->cols ? (a->cols - w) / 2 : 0, a->cols, lines[i],
               theme_attr(i == 0 ? ROLE_WARNING : ROLE_NORMAL));
    }
    draw_lines_free(lines, n);
}

static void draw_all(struct app *a)
{
    draw_frame_begin();
    links_clear(&a->links);
    if (a->too_small) {
        draw_too_small(a);
    } else {
        draw_header(a);
        draw_banner(a);
        draw_footer(a);
        /* The screen comes last: the form leaves the cursor in its field. */
        if (a->help.open)
            help_draw(a);
        else
            current(a)->draw(a);
    }
    draw_frame_end();
    /* After curses sent the frame: the URLs it drew become links, and a URL asked for goes
     * to the clipboard (links.h says when the terminal gets which). */
    static char seq[LINKS_MAX * (2 * LINKS_URL_MAX + 64) + 4 * LINKS_URL_MAX];
    size_t n = links_render(&a->links, a->osc8 && !a->too_small && !a->help.open, a->osc52, seq, sizeof seq);
    a->links.copy[0] = '\0';
    if (n) {
        fflush(stdout);
        if (write(STDOUT_FILENO, seq, n) < 0) {
            /* nothing to do: the text is on the screen either way */
        }
    }
}

/* ---- intents -------------------------------------------------------------------------- */

/* Make in->to current: the old screen lets go, the new one enters (and may pass straight
 * on: its answer is returned) and gets its layout. */
static struct ui_intent switch_screen(struct app *a, const struct ui_intent *in)
{
    if (current(a)->leave)
        current(a)->leave(a);
    a->help.open = false; /* the help was the old screen's */
    a->screen = in->to;
    struct ui_intent next = current(a)->enter ? current(a)->enter(a, in) : ui_intent(UI_INTENT_NONE);
    app_layout(a);
    return next;
}

static void intent_free(struct ui_intent *in)
{
    for (size_t i = 0; i < in->n_paths; i++)
        free(in->paths[i]);
    free(in->paths);
    in->paths = NULL;
    in->n_paths = 0;
}

/* Do what a handler asked. Returns APP_* flags. */
static unsigned perform(struct app *a, struct ui_intent in)
{
    unsigned m = 0;
    /* A few hops at most (send -> progress -> result); the bound only guards a mistake. */
    for (int hop = 0; hop < 8; hop++) {
        struct ui_intent next = ui_intent(UI_INTENT_NONE);
        switch (in.kind) {
        case UI_INTENT_NONE:
            break;
        case UI_INTENT_REDRAW:
            m |= APP_REDRAW;
            break;
        case UI_INTENT_QUIT:
            m |= APP_QUIT;
            break;
        case UI_INTENT_CANCEL:
            sender_cancel(&a->sender);
            m |= APP_REDRAW;
            break;
        case UI_INTENT_SEND:
            /* the last batch is done with: what came of it goes into the line at exit */
            summary_add_batch(&a->summary, &a->sender.b);
            sender_start(&a->sender, in.spec);
            next = ui_goto(SCR_PROGRESS);
            break;
        case UI_INTENT_RETRY_FAILED:
            if (sender_retry(&a->sender))
                next = ui_goto(SCR_PROGRESS);
            m |= APP_REDRAW;
            break;
        case UI_INTENT_GOTO:
            next = switch_screen(a, &in);
            m |= APP_REDRAW;
            break;
        }
        intent_free(&in);
        if (next.kind == UI_INTENT_NONE)
            return m;
        in = next;
    }
    intent_free(&in);
    return m;
}

/* ---- the loop ------------------------------------------------------------------------- */

/* Read and handle every pending key, waiting up to first_timeout ms for the first one.
 * *got_key (may be NULL) tells whether one came. Returns APP_* flags. */
static unsigned read_keys(struct app *a, int first_timeout, bool *got_key)
{
    unsigned m = 0;
    int t = first_timeout;
    if (got_key)
        *got_key = false;
    for (int i = 0; i < 64 && !term_signal(); i++) {
        int key = term_read_key(t);
        if (key == TERM_NO_KEY)
            break;
        if (got_key)
            *got_key = true;
        t = 0;
        if (key == KC(KEY_RESIZE)) {
            app_layout(a);
            m |= APP_REDRAW;
            continue;
        }
        if (a->too_small)
            continue; /* nothing to aim at: keys are ignored until the screen grows */
        if (a->help.open) {
            m |= perform(a, help_key(a, key));
            continue;
        }
        if (help_wanted(a, key)) {
            help_open(a);
            m |= APP_REDRAW;
            continue;
        }
        m |= perform(a, current(a)->key(a, key));
        if (m & APP_QUIT)
            break;
    }
    return m;
}

static unsigned idle(struct app *a, unsigned sent)
{
    return current(a)->idle ? perform(a, current(a)->idle(a, sent)) : 0;
}

/* The wait: up to 100 ms, less when a search's pause in typing or the next look at a
 * listing is due sooner (results within a round trip of the pause, not 100 ms later). */
static int wait_ms(const struct app *a)
{
    double now = clock_now();
    int w = 100, s = form_wait_ms(a, now), t = target_wait_ms(&a->target, now);
    int x = indexer_wait_ms(&a->indexer, now);
    if (s >= 0 && s < w)
        w = s;
    if (t >= 0 && t < w)
        w = t;
    if (x >= 0 && x < w)
        w = x;
    return w;
}

/* What the reads in the background brought, whatever screen is current. */
static unsigned background(struct app *a)
{
    unsigned m = 0;
    if (account_step(&a->account)) {
        app_layout(a); /* a problem's lines come or go */
        form_account_changed(a);
        m |= APP_REDRAW;
    }
    if (target_step(&a->target, clock_now()))
        m |= APP_REDRAW;
    if (indexer_step(&a->indexer, clock_now())) {
        app_layout(a); /* the notice's lines come or go */
        m |= APP_REDRAW;
    }
    if (form_background(a))
        m |= APP_REDRAW;
    return m;
}

static int run_loop(struct app *a)
{
    bool dirty = true;
    app_layout(a);
    for (;;) {
        if (term_signal()) {
            /* Leave cleanly: the uploads in flight are cancelled and waited for (a bounded
             * time; sender_free ends what is left), the files not started are skipped. */
            sender_cancel(&a->sender);
            double until = clock_now() + 5;
            while (sender_busy(&a->sender) && clock_now() < until) {
                client_poll(a->client, 100, -1, NULL);
                sender_step(&a->sender);
            }
            return 128 + term_signal();
        }
        if (dirty) {
            /* what costs I/O is worked out once per frame, before and not while drawing */
            if (!a->too_small && current(a)->update)
                current(a)->update(a);
            draw_all(a);
            dirty = false;
        }
        /* The one wait: every transfer of the client and the keyboard together (up to
         * 100 ms, less when a retry is due); then what the network moved, then the keys. */
        bool key_ready = false;
        bool again = a->idle_again;
        a->idle_again = false;
        client_poll(a->client, again ? 0 : wait_ms(a), STDIN_FILENO, &key_ready);
        unsigned sent = sender_step(&a->sender);
        if (sent & SENDER_MORE)
            a->idle_again = true; /* the sender hashes: the next wait does not block */
        unsigned m = background(a);
        if ((sent || !key_ready) && !a->too_small)
            m |= idle(a, sent);
        if (!(m & APP_QUIT)) {
            bool got = false;
            m |= read_keys(a, 0, &got);
            /* what the keys typed starts its pause now, so the next wait is no longer
             * than that pause (else a search would start up to 100 ms late) */
            if (got && !(m & APP_QUIT))
                m |= background(a);
        }
        if (m & APP_QUIT)
            return KA_EXIT_OK; /* the files' codes decide (ui_run) */
        if (m & APP_REDRAW)
            dirty = true;
    }
}

int ui_run(const struct ui_options *o)
{
    char err[512];
    setlocale(LC_ALL, "");
    struct app a;
    memset(&a, 0, sizeof a);
    a.o = o;
    a.screen = SCR_PICKER;
    if (picker_init(&a.picker, o->start_dir ? o->start_dir : ".", o->send->max_size, err, sizeof err) != 0) {
        fprintf(stderr, "kombo-attach: %s\n", err);
        return KA_EXIT_FILE;
    }
    form_init(&a.form, o);
    /* libcurl's -v output would land on the screen: the UI never asks for it. */
    struct client_options co = o->send->client;
    co.verbose = false;
    int code = 0;
    if (!(a.client = client_new(&co, &code, err, sizeof err))) {
        picker_free(&a.picker);
        form_free(&a.form);
        fprintf(stderr, "kombo-attach: %s\n", err);
        return code;
    }
    sender_init(&a.sender, o, a.client);
    account_start(&a.account, a.client, &co);
    /* after the key check is queued: the first page of a sync goes out behind it */
    struct index_env env = { .label = co.label, .integration_id = co.integration_id };
    indexer_start(&a.indexer, a.client, &env, o->use_index, clock_now());
    target_init(&a.target, a.client);
    form_start(&a.form, a.client, indexer_reader(&a.indexer));
    struct link_env le;
    links_env_now(&le);
    a.osc8 = links_osc8_ok(&le);
    a.osc52 = links_osc52_ok(&le);
    if (term_start(err, sizeof err) != 0) {
        form_stop(&a.form);
        indexer_stop(&a.indexer);
        target_free(&a.target);
        account_free(&a.account);
        client_free(a.client);
        picker_free(&a.picker);
        form_free(&a.form);
        fprintf(stderr, "kombo-attach: %s\n", err);
        return KA_EXIT_USAGE;
    }
    theme_init();
    int rc = run_loop(&a);
    term_stop();
    /* One line for the shell: what was attached and what was not, and an exit code as the
     * command line's (the highest of the files'), unless a signal ended the program. */
    summary_add_batch(&a.summary, &a.sender.b);
    char line[2048];
    summary_line(&a.summary, line, sizeof line);
    printf("%s\n", line);
    fflush(stdout);
    if (rc == KA_EXIT_OK)
        rc = summary_exit_code(&a.summary);
    summary_free(&a.summary);
    sender_free(&a.sender);
    /* every reading's transfers go before the client that runs them */
    form_stop(&a.form);
    indexer_stop(&a.indexer); /* the page in flight goes; the next sync resumes */
    target_free(&a.target);
    account_free(&a.account);
    draw_lines_free(a.banner, a.n_banner);
    client_free(a.client);
    form_free(&a.form);
    picker_free(&a.picker);
    mime_cleanup();
    return rc;
}
