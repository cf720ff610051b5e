/* The terminal UI's loop: layout, header and footer, and routing keys to the current
 * screen (the terminal itself is term.c, colours theme.c). Screens never draw on their own; the
 * loop draws once after handling everything that is pending. */
#include "screen.h"
#include "ui.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "exitcodes.h"
#include "mime.h"
#include "term.h"


/* ---- layout, header, footer ----------------------------------------------------------- */

static void app_layout(struct app *a)
{
    a->rows = LINES;
    a->cols = COLS;
    struct layout l;
    layout_screen(a->rows, a->cols, &l);
    a->too_small = l.too_small;
    a->body = l.body;
    if (a->too_small)
        return;
    a->picker.path = l.path;
    a->picker.list = l.list;
    a->picker.stat = l.status;
    form_layout(a);
}

void app_goto(struct app *a, enum screen_id s)
{
    a->screen = s;
}

/* One header item: returns the new x, or -1 when nothing more fits. */
static int header_item(int x, int right, const char *s, attr_t at, enum text_cut cut, bool first)
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
    int w = text_width(s);
    if (w > right - x)
        w = right - x;
    if (w < 4 && text_width(s) > w)
        return -1;
    x += draw_put_cut(0, x, w, s, at, cut);
    return x;
}

/* Header items in order of importance: where uploads go comes first, since it is what a
 * user must never be wrong about. verbose adds the words "server" and "integration". */
static int header_items(const struct ui_options *o, bool verbose, char items[][512], enum text_cut *cuts,
                        enum role *roles)
{
    int n = 0;
    if (o->sandbox) {
        snprintf(items[n], 512, " SANDBOX ");
        roles[n] = ROLE_SANDBOX;
        cuts[n++] = TEXT_CUT_END;
    } else {
        snprintf(items[n], 512, "%s%s", verbose ? "server " : "", o->server_label ? o->server_label : "?");
        roles[n] = ROLE_HEADER;
        cuts[n++] = TEXT_CUT_MIDDLE;
    }
    snprintf(items[n], 512, "%s%s", verbose ? "integration " : "", o->integration_id ? o->integration_id : "(none)");
    roles[n] = ROLE_HEADER;
    cuts[n++] = TEXT_CUT_MIDDLE;
    if (o->profile) {
        snprintf(items[n], 512, "profile %s", o->profile);
        roles[n] = ROLE_HEADER;
        cuts[n++] = TEXT_CUT_END;
    }
    if (o->sandbox && o->sandbox_inbox) {
        char shown[480];
        text_tilde(o->sandbox_inbox, getenv("HOME"), shown, sizeof shown);
        snprintf(items[n], 512, "inbox %s", shown);
        roles[n] = ROLE_HEADER;
        cuts[n++] = TEXT_CUT_START;
    }
    return n;
}

static void draw_header(struct app *a)
{
    const struct ui_options *o = a->o;
    attr_t h = theme_attr(ROLE_HEADER);
    draw_fill(0, 0, a->cols, h);
    int right = a->cols - 1;
    const char *product = "kombo-attach";
    char items[4][512];
    enum text_cut cuts[4];
    enum role roles[4];
    int n = header_items(o, true, items, cuts, roles);
    int total = text_width(product) + 1;
    for (int i = 0; i < n; i++)
        total += 3 + text_width(items[i]);
    if (total > right)
        n = header_items(o, false, items, cuts, roles);
    int x = header_item(1, right, product, h | A_BOLD, TEXT_CUT_END, true);
    /* On a narrow screen the server gets at most a third, so the integration stays visible. */
    int third = a->cols / 3;
    for (int i = 0; i < n && x >= 0; i++) {
        int lim = right;
        if (i == 0 && !o->sandbox && n > 1 && x + 3 + text_width(items[i]) > right - 12)
            lim = x + 3 + third;
        x = header_item(x, lim, items[i], theme_attr(roles[i]), cuts[i], false);
    }
}

static const struct binding *current_bindings(const struct app *a, size_t *n)
{
    switch (a->screen) {
    case SCR_PICKER: return picker_bindings(a, n);
    case SCR_FORM: return form_bindings(a, n);
    case SCR_PROGRESS: return progress_bindings(a, n);
    case SCR_RESULT: return result_bindings(a, n);
    }
    *n = 0;
    return NULL;
}

static void draw_footer(struct app *a)
{
    int y = a->rows - 1;
    draw_fill(y, 0, a->cols, theme_attr(ROLE_FOOTER));
    size_t n;
    const struct binding *t = current_bindings(a, &n);
    int x = 0;
    for (size_t i = 0; i < n; i++) {
        if (!t[i].label)
            continue;
        int kw = text_width(t[i].key_label), lw = text_width(t[i].label);
        /* A binding is shown whole or not at all: "Key label", then two spaces. */
        if (x + kw + 1 + lw > a->cols)
            break;
        x += draw_put(y, x, kw, t[i].key_label, theme_attr(ROLE_FOOTER_KEY));
        x += 1;
        x += draw_put(y, x, lw, t[i].label, theme_attr(ROLE_FOOTER));
        x += 2;
    }
}

static void draw_too_small(struct app *a)
{
    char msg[160];
    snprintf(msg, sizeof msg, "terminal too small (need %dx%d, have %dx%d) %s", LAYOUT_MIN_COLS, LAYOUT_MIN_ROWS, a->cols,
             a->rows, a->batch.running ? "- still sending" : "- resize, or Ctrl-C to quit");
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
    if (a->too_small) {
        draw_too_small(a);
    } else {
        draw_header(a);
        draw_footer(a);
        /* The screen comes last: the form leaves the cursor in its field. */
        switch (a->screen) {
        case SCR_PICKER: picker_draw(a); break;
        case SCR_FORM: form_draw(a); break;
        case SCR_PROGRESS: progress_draw(a); break;
        case SCR_RESULT: result_draw(a); break;
        }
    }
    draw_frame_end();
}

/* ---- the loop ------------------------------------------------------------------------- */

static unsigned dispatch(struct app *a, int key)
{
    switch (a->screen) {
    case SCR_PICKER: return picker_key(a, key);
    case SCR_FORM: return form_key(a, key);
    case SCR_PROGRESS: return progress_key(a, key);
    case SCR_RESULT: return result_key(a, key);
    }
    return UI_NONE;
}

/* Read and handle every pending key; wait up to first_timeout ms for the first one. When
 * nothing came, give the screen its idle time. */
static unsigned read_keys(struct app *a, int first_timeout)
{
    unsigned m = UI_NONE;
    int t = first_timeout;
    for (int i = 0; i < 64 && !term_signal(); i++) {
        int key = term_read_key(t);
        if (key == TERM_NO_KEY) {
            if (i == 0 && a->screen == SCR_PICKER && !a->too_small)
                m |= picker_idle(a);
            break;
        }
        t = 0;
        if (key == KC(KEY_RESIZE)) {
            app_layout(a);
            m |= UI_REDRAW;
            continue;
        }
        if (a->too_small)
            continue; /* nothing to aim at: keys are ignored until the screen grows */
        enum screen_id before = a->screen;
        m |= dispatch(a, key);
        if (a->screen != before) {
            app_layout(a);
            m |= UI_REDRAW;
        }
        if (m & UI_QUIT)
            break;
    }
    return m;
}

static int run_loop(struct app *a)
{
    bool dirty = true;
    app_layout(a);
    for (;;) {
        if (term_signal()) {
            /* Leave cleanly: a running upload is cancelled and waited for. */
            if (a->batch.running) {
                progress_cancel(a);
                double until = clock_now() + 5;
                while (a->batch.running && clock_now() < until)
                    progress_pump(a, 100);
            }
            return 128 + term_signal();
        }
        if (dirty) {
            draw_all(a);
            dirty = false;
        }
        unsigned m;
        if (a->batch.running) {
            m = progress_pump(a, 100);
            m |= read_keys(a, 0);
        } else {
            m = read_keys(a, 100);
        }
        if (m & UI_QUIT)
            return KA_EXIT_OK;
        if (m & UI_REDRAW)
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
    if (picker_init(&a, o->start_dir ? o->start_dir : ".", err, sizeof err) != 0) {
        fprintf(stderr, "kombo-attach: %s\n", err);
        return KA_EXIT_FILE;
    }
    form_init(&a);
    if (term_start(err, sizeof err) != 0) {
        picker_free(&a);
        form_free(&a);
        fprintf(stderr, "kombo-attach: %s\n", err);
        return KA_EXIT_USAGE;
    }
    theme_init();
    int rc = run_loop(&a);
    term_stop();
    progress_free(&a);
    form_free(&a);
    picker_free(&a);
    mime_cleanup();
    return rc;
}
