/* The terminal UI's loop: terminal setup and restore, signals, colours, layout, header and
 * footer, and routing keys to the current screen. Screens never draw on their own; the
 * loop draws once after handling everything that is pending. */
#include "screen.h"
#include "ui.h"

#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "exitcodes.h"
#include "mime.h"
#include "client.h"
#include "upload.h"


/* ---- theme ------------------------------------------------------------------------------ */

struct role_style {
    short fg, bg;     /* -1 = terminal default */
    attr_t colour;    /* attributes added in colour mode */
    attr_t mono;      /* the whole look in monochrome mode */
};

/* Every state that matters is also carried by a glyph, a word or an attribute, so the
 * monochrome column alone must still tell them apart. */
static const struct role_style role_styles[ROLE_COUNT] = {
    [ROLE_NORMAL] = { -1, -1, A_NORMAL, A_NORMAL },
    [ROLE_HEADER] = { COLOR_WHITE, COLOR_BLUE, A_BOLD, A_REVERSE },
    [ROLE_FOOTER] = { -1, -1, A_NORMAL, A_NORMAL },
    [ROLE_FOOTER_KEY] = { COLOR_BLACK, COLOR_CYAN, A_NORMAL, A_REVERSE },
    [ROLE_SELECTION] = { COLOR_BLACK, COLOR_CYAN, A_NORMAL, A_REVERSE },
    [ROLE_DIR] = { COLOR_BLUE, -1, A_BOLD, A_BOLD },
    [ROLE_MARKED] = { COLOR_YELLOW, -1, A_BOLD, A_BOLD },
    [ROLE_MATCH] = { COLOR_BLACK, COLOR_YELLOW, A_UNDERLINE, A_UNDERLINE | A_BOLD },
    [ROLE_ERROR] = { COLOR_RED, -1, A_BOLD, A_BOLD },
    [ROLE_WARNING] = { COLOR_YELLOW, -1, A_NORMAL, A_BOLD },
    [ROLE_OK] = { COLOR_GREEN, -1, A_BOLD, A_BOLD },
    [ROLE_BAR] = { COLOR_GREEN, -1, A_BOLD, A_BOLD },
    [ROLE_BAR_EMPTY] = { -1, -1, A_DIM, A_NORMAL },
    [ROLE_SANDBOX] = { COLOR_BLACK, COLOR_YELLOW, A_BOLD, A_BOLD }, /* mono: normal video inside the reversed header */
    [ROLE_DIM] = { -1, -1, A_DIM, A_DIM },
    [ROLE_LABEL] = { -1, -1, A_BOLD, A_BOLD },
    [ROLE_FIELD] = { -1, -1, A_UNDERLINE, A_UNDERLINE },
};

/* The same roles in a calmer palette for terminals with 256 colours (xterm-256color,
 * tmux-256color): the 8-colour blues and greens are harsh on most themes. Only fg/bg
 * differ; attributes come from role_styles. -1 = keep the 8-colour value. */
static const short role_256[ROLE_COUNT][2] = {
    [ROLE_NORMAL] = { -1, -1 },
    [ROLE_HEADER] = { 255, 24 },
    [ROLE_FOOTER] = { -1, -1 },
    [ROLE_FOOTER_KEY] = { 16, 110 },
    [ROLE_SELECTION] = { 231, 31 },
    [ROLE_DIR] = { 75, -1 },
    [ROLE_MARKED] = { 214, -1 },
    [ROLE_MATCH] = { 16, 221 },
    [ROLE_ERROR] = { 203, -1 },
    [ROLE_WARNING] = { 214, -1 },
    [ROLE_OK] = { 78, -1 },
    [ROLE_BAR] = { 36, -1 },
    [ROLE_BAR_EMPTY] = { 240, -1 },
    [ROLE_SANDBOX] = { 16, 221 },
    [ROLE_DIM] = { 245, -1 },
    [ROLE_LABEL] = { -1, -1 },
    [ROLE_FIELD] = { -1, -1 },
};

static attr_t role_attr[ROLE_COUNT];
static bool colour_on;

static const struct glyphs glyphs_utf8 = {
    .mark = "\xe2\x9c\x93", .ok = "\xe2\x9c\x93", .err = "\xe2\x9c\x97", .warn = "!",
    .focus = "\xe2\x96\xb8", .sep = "\xe2\x94\x82", .hline = "\xe2\x94\x80",
    .bar_full = "\xe2\x96\x88", .bar_empty = "\xe2\x96\x91", .dash = "\xe2\x80\x94",
    .approx = "\xe2\x89\x88", .up = "\xe2\x86\x91", .down = "\xe2\x86\x93",
    .left = "\xe2\x86\x90", .right = "\xe2\x86\x92", .enter = "\xe2\x86\xb5",
};
static const struct glyphs glyphs_ascii = {
    .mark = "*", .ok = "+", .err = "x", .warn = "!", .focus = ">", .sep = "|", .hline = "-",
    .bar_full = "#", .bar_empty = ".", .dash = "-", .approx = "~", .up = "^", .down = "v",
    .left = "<", .right = ">", .enter = "Enter",
};
static const struct glyphs *glyphs = &glyphs_ascii;

void theme_init(bool colour)
{
    colour_on = false;
    if (colour && start_color() == OK && COLORS >= 8 && COLOR_PAIRS >= ROLE_COUNT + 1) {
        bool dflt = use_default_colors() == OK;
        colour_on = true;
        for (int r = 0; r < ROLE_COUNT; r++) {
            const struct role_style *s = &role_styles[r];
            short fg0 = s->fg, bg0 = s->bg;
            if (COLORS >= 256 && (role_256[r][0] >= 0 || role_256[r][1] >= 0)) {
                fg0 = role_256[r][0] >= 0 ? role_256[r][0] : fg0;
                bg0 = role_256[r][1] >= 0 ? role_256[r][1] : bg0;
            }
            if (fg0 < 0 && bg0 < 0) {
                role_attr[r] = s->colour;
                continue;
            }
            /* Without default-colour support, -1 means white on black. */
            short fg = fg0 >= 0 ? fg0 : (dflt ? -1 : COLOR_WHITE);
            short bg = bg0 >= 0 ? bg0 : (dflt ? -1 : COLOR_BLACK);
            init_pair((short)(r + 1), fg, bg);
            role_attr[r] = COLOR_PAIR(r + 1) | s->colour;
            if (COLORS >= 256 && role_256[r][0] >= 0)
                role_attr[r] &= ~A_DIM; /* the grey is the dimming; faint on top is unreadable */
        }
    } else {
        for (int r = 0; r < ROLE_COUNT; r++)
            role_attr[r] = role_styles[r].mono;
    }
    const char *cs = nl_langinfo(CODESET);
    glyphs = cs && strcmp(cs, "UTF-8") == 0 ? &glyphs_utf8 : &glyphs_ascii;
}

bool theme_has_colour(void) { return colour_on; }
attr_t theme_attr(enum role r) { return role_attr[r]; }
const struct glyphs *theme_glyphs(void) { return glyphs; }

/* ---- drawing helpers ------------------------------------------------------------------ */

void ui_fill(int y, int x, int w, attr_t at)
{
    if (w <= 0)
        return;
    attrset(at);
    mvhline(y, x, ' ', w);
    attrset(A_NORMAL);
}

int ui_put_cut(int y, int x, int w, const char *s, attr_t at, enum text_cut cut)
{
    if (w <= 0 || !s)
        return 0;
    char *f = text_fit(s, strlen(s), w, cut);
    if (!f)
        return 0;
    attrset(at);
    mvaddstr(y, x, f);
    attrset(A_NORMAL);
    int used = text_width(f);
    free(f);
    return used;
}

int ui_put(int y, int x, int w, const char *s, attr_t at)
{
    return ui_put_cut(y, x, w, s, at, TEXT_CUT_END);
}

int ui_put_right(int y, int x, int w, const char *s, attr_t at)
{
    int sw = text_width(s);
    if (sw > w)
        sw = w;
    return ui_put(y, x + w - sw, sw, s, at);
}

size_t ui_wrap(const char *s, int w, char ***lines)
{
    return text_wrap(s, w, lines);
}

void ui_lines_free(char **lines, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(lines[i]);
    free(lines);
}

double ui_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int bind_find(const struct binding *t, size_t n, int key)
{
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < sizeof t[i].keys / sizeof t[i].keys[0] && t[i].keys[k]; k++)
            if (t[i].keys[k] == key)
                return t[i].action;
    return -1;
}

/* ---- terminal ownership: signals, restore, stderr ---------------------------------- */

static volatile sig_atomic_t got_signal;
static struct termios saved_tio;
static bool have_saved_tio;
/* Bytes that put the terminal back (leave the alternate screen, show the cursor, reset
 * attributes), computed while curses is up so that a fatal-signal handler can write them
 * with write(2) alone. */
static char restore_seq[256];
static size_t restore_len;
static int saved_stderr = -1;
static int stderr_log = -1;
static bool curses_up;

static void on_quit_signal(int sig)
{
    got_signal = sig;
}

/* Put the real stderr back and replay what was captured while curses owned the screen.
 * Only async-signal-safe calls: the fatal handler uses it too. */
static void stderr_restore(void)
{
    if (saved_stderr < 0)
        return;
    dup2(saved_stderr, STDERR_FILENO);
    close(saved_stderr);
    saved_stderr = -1;
    if (stderr_log >= 0) {
        char buf[4096];
        ssize_t r;
        if (lseek(stderr_log, 0, SEEK_SET) == 0)
            while ((r = read(stderr_log, buf, sizeof buf)) > 0)
                if (write(STDERR_FILENO, buf, (size_t)r) < 0)
                    break;
        close(stderr_log);
        stderr_log = -1;
    }
}

static void on_fatal_signal(int sig)
{
    if (curses_up) {
        if (restore_len && write(STDOUT_FILENO, restore_seq, restore_len) < 0) {
            /* nothing more can be done from here */
        }
        if (have_saved_tio)
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_tio);
    }
    stderr_restore();
    /* SA_RESETHAND made the default action current again: die the way we would have. */
    raise(sig);
}

static void install_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sigemptyset(&sa.sa_mask);
    /* No SA_RESTART: a pending wait returns early and the loop sees the flag. Installed
     * before curses starts, so ncurses keeps its hands off these. */
    sa.sa_handler = on_quit_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);

    sa.sa_handler = on_fatal_signal;
    sa.sa_flags = (int)SA_RESETHAND;
    sigaction(SIGSEGV, &sa, NULL);
    sigaction(SIGABRT, &sa, NULL);
    sigaction(SIGBUS, &sa, NULL);
    sigaction(SIGFPE, &sa, NULL);
    sigaction(SIGILL, &sa, NULL);
}

static void restore_signals(void)
{
    int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGSEGV, SIGABRT, SIGBUS, SIGFPE, SIGILL };
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
        signal(sigs[i], SIG_DFL);
}

static void seq_append(const char *cap)
{
    char *s = tigetstr(cap);
    if (!s || s == (char *)-1)
        return;
    size_t l = strlen(s);
    if (restore_len + l < sizeof restore_seq) {
        memcpy(restore_seq + restore_len, s, l);
        restore_len += l;
    }
}

/* Send stderr to an unlinked temporary file while curses owns the terminal: a library
 * message would otherwise be written over the screen. */
static void stderr_capture(void)
{
    char tmpl[] = "/tmp/kombo-attach-stderr-XXXXXX";
    int fd = mkstemp(tmpl);
    if (fd < 0)
        return;
    unlink(tmpl);
    saved_stderr = dup(STDERR_FILENO);
    if (saved_stderr < 0 || dup2(fd, STDERR_FILENO) < 0) {
        if (saved_stderr >= 0)
            close(saved_stderr);
        saved_stderr = -1;
        close(fd);
        return;
    }
    stderr_log = fd;
}

static SCREEN *term_screen;

static int term_start(char *err, size_t errlen)
{
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
        snprintf(err, errlen, "the interactive mode needs a terminal (give files on the command line instead)");
        return -1;
    }
    have_saved_tio = tcgetattr(STDIN_FILENO, &saved_tio) == 0;
    install_signals();
    /* newterm instead of initscr: initscr exits the process on an unknown TERM. */
    term_screen = newterm(NULL, stdout, stdin);
    if (!term_screen) {
        const char *t = getenv("TERM");
        snprintf(err, errlen, "cannot use the terminal type \"%s\"", t ? t : "(unset)");
        restore_signals();
        return -1;
    }
    set_term(term_screen);
    curses_up = true;
    cbreak();
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    set_escdelay(25);
    curs_set(0);
    /* Ctrl-S is "send": take it back from XON/XOFF flow control, and record that as the
     * program mode so curses restores it after a suspend. */
    struct termios t;
    if (tcgetattr(STDIN_FILENO, &t) == 0) {
        t.c_iflag &= ~(tcflag_t)IXON;
        tcsetattr(STDIN_FILENO, TCSANOW, &t);
        def_prog_mode();
    }
    const char *nc = getenv("NO_COLOR");
    theme_init(has_colors() && !(nc && *nc));
    restore_len = 0;
    seq_append("sgr0");
    seq_append("cnorm");
    seq_append("rmkx");
    seq_append("rmcup");
    stderr_capture();
    return 0;
}

static void term_stop(void)
{
    if (curses_up) {
        curs_set(1);
        endwin();
        curses_up = false;
        delscreen(term_screen);
        term_screen = NULL;
    }
    stderr_restore();
    restore_signals();
}

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
        ui_put(0, x, 3, " ", h);
        ui_put(0, x + 1, 1, g->sep, h);
        x += 3;
    }
    int w = text_width(s);
    if (w > right - x)
        w = right - x;
    if (w < 4 && text_width(s) > w)
        return -1;
    x += ui_put_cut(0, x, w, s, at, cut);
    return x;
}

/* Header items in order of importance: where uploads go comes first, since it is what a
 * user must never be wrong about. verbose adds the words "server" and "integration". */
static int header_items(const struct ui_options *o, bool verbose, char items[][512], enum text_cut *cuts,
                        enum role *roles)
{
    int n = 0;
    if (o->send->sandbox) {
        snprintf(items[n], 512, " SANDBOX ");
        roles[n] = ROLE_SANDBOX;
        cuts[n++] = TEXT_CUT_END;
    } else {
        snprintf(items[n], 512, "%s%s", verbose ? "server " : "", o->send->server_label ? o->send->server_label : "?");
        roles[n] = ROLE_HEADER;
        cuts[n++] = TEXT_CUT_MIDDLE;
    }
    snprintf(items[n], 512, "%s%s", verbose ? "integration " : "", o->send->client.integration_id ? o->send->client.integration_id : "(none)");
    roles[n] = ROLE_HEADER;
    cuts[n++] = TEXT_CUT_MIDDLE;
    if (o->send->profile) {
        snprintf(items[n], 512, "profile %s", o->send->profile);
        roles[n] = ROLE_HEADER;
        cuts[n++] = TEXT_CUT_END;
    }
    if (o->send->sandbox && o->send->sandbox_inbox) {
        char shown[480];
        text_tilde(o->send->sandbox_inbox, getenv("HOME"), shown, sizeof shown);
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
    ui_fill(0, 0, a->cols, h);
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
        if (i == 0 && !o->send->sandbox && n > 1 && x + 3 + text_width(items[i]) > right - 12)
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
    ui_fill(y, 0, a->cols, theme_attr(ROLE_FOOTER));
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
        x += ui_put(y, x, kw, t[i].key_label, theme_attr(ROLE_FOOTER_KEY));
        x += 1;
        x += ui_put(y, x, lw, t[i].label, theme_attr(ROLE_FOOTER));
        x += 2;
    }
}

static void draw_too_small(struct app *a)
{
    char msg[160];
    snprintf(msg, sizeof msg, "terminal too small (need %dx%d, have %dx%d) %s", LAYOUT_MIN_COLS, LAYOUT_MIN_ROWS, a->cols,
             a->rows, a->batch.running ? "- still sending" : "- resize, or Ctrl-C to quit");
    char **lines;
    size_t n = ui_wrap(msg, a->cols, &lines);
    int y = (a->rows - (int)n) / 2;
    if (y < 0)
        y = 0;
    /* centred line by line; whatever does not fit in a tiny terminal is left out */
    for (size_t i = 0; i < n && y < a->rows; i++, y++) {
        int w = text_width(lines[i]);
        ui_put(y, w < a->cols ? (a->cols - w) / 2 : 0, a->cols, lines[i],
               theme_attr(i == 0 ? ROLE_WARNING : ROLE_NORMAL));
    }
    ui_lines_free(lines, n);
}

static int cursor_y = -1, cursor_x;

void ui_cursor_at(int y, int x)
{
    cursor_y = y;
    cursor_x = x;
}

static void draw_all(struct app *a)
{
    erase();
    cursor_y = -1;
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
    /* Visibility is set once per frame, not toggled while drawing: no cursor flicker. */
    if (cursor_y >= 0) {
        move(cursor_y, cursor_x);
        curs_set(1);
    } else {
        curs_set(0);
    }
    refresh();
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

/* curses hands back ESC alone when a key's sequence is not in the terminal's description
 * (a TERM that doesn't match the terminal). A CSI/SS3 sequence already waiting right behind
 * it is that key, not Esc plus typing: eat it, so an unknown key never acts as Esc followed
 * by stray characters. True when something was swallowed. */
static bool swallow_escape_sequence(void)
{
    wint_t wc;
    timeout(0);
    int r = get_wch(&wc);
    if (r == ERR)
        return false;
    if (r == KEY_CODE_YES) {
        ungetch((int)wc); /* a key curses did recognise right after Esc: keep it */
        return false;
    }
    if (wc != '[' && wc != 'O') {
        /* Esc then an ordinary key (typed fast, or sent by a script): two keys */
        unget_wch(wc);
        return false;
    }
    /* CSI / SS3: parameters, then one final byte in 0x40..0x7e */
    for (int i = 0; i < 16; i++) {
        r = get_wch(&wc);
        if (r != OK || (wc >= 0x40 && wc <= 0x7e))
            break;
    }
    return true;
}

/* Read and handle every pending key; wait up to first_timeout ms for the first one. When
 * nothing came, give the screen its idle time. */
static unsigned read_keys(struct app *a, int first_timeout)
{
    unsigned m = UI_NONE;
    int t = first_timeout;
    for (int i = 0; i < 64 && !got_signal; i++) {
        timeout(t);
        wint_t wc;
        int r = get_wch(&wc);
        if (r == ERR) {
            if (i == 0 && a->screen == SCR_PICKER && !a->too_small)
                m |= picker_idle(a);
            break;
        }
        t = 0;
        int key = r == KEY_CODE_YES ? KC((int)wc) : (int)wc;
        if (key == KEY_ESC && swallow_escape_sequence())
            continue;
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
        if (got_signal) {
            /* Leave cleanly: a running upload is cancelled and waited for. */
            if (a->batch.running) {
                progress_cancel(a);
                double until = ui_now() + 5;
                while (a->batch.running && ui_now() < until)
                    progress_pump(a, 100);
            }
            return 128 + got_signal;
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
    /* libcurl's -v output would land on the screen: the UI never asks for it. */
    struct client_options co = o->send->client;
    co.verbose = false;
    int code = 0;
    if (!(a.client = client_new(&co, &code, err, sizeof err))) {
        picker_free(&a);
        form_free(&a);
        fprintf(stderr, "kombo-attach: %s\n", err);
        return code;
    }
    if (term_start(err, sizeof err) != 0) {
        client_free(a.client);
        picker_free(&a);
        form_free(&a);
        fprintf(stderr, "kombo-attach: %s\n", err);
        return KA_EXIT_USAGE;
    }
    int rc = run_loop(&a);
    term_stop();
    progress_free(&a);
    client_free(a.client);
    form_free(&a);
    picker_free(&a);
    mime_cleanup();
    return rc;
}
