/* See term.h. Everything a signal handler or the out-of-memory hook needs to put the
 * terminal back is prepared while curses starts, so that they can do it with write(2) and
 * tcsetattr alone. */
#include "term.h"

#define NCURSES_WIDECHAR 1
#include <curses.h>   /* declares tigetstr too: <term.h> would be this folder's term.h */

#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "keys.h"
#include "xalloc.h"

static volatile sig_atomic_t got_signal;
static struct termios saved_tio;
static bool have_saved_tio;
/* Bytes that put the terminal back (reset attributes, show the cursor, leave keypad mode
 * and the alternate screen). */
static char restore_seq[256];
static size_t restore_len;
static int saved_stderr = -1;
static int stderr_log = -1;
static bool curses_up;
static SCREEN *term_screen;

static void on_quit_signal(int sig)
{
    got_signal = sig;
}

int term_signal(void)
{
    return got_signal;
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

/* The terminal back to the user without curses' help (it may be what broke): for a fatal
 * signal and for running out of memory. */
static void emergency_restore(void)
{
    if (curses_up) {
        if (restore_len && write(STDOUT_FILENO, restore_seq, restore_len) < 0) {
            /* nothing more can be done from here */
        }
        if (have_saved_tio)
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_tio);
        curses_up = false;
    }
    stderr_restore();
}

static void on_fatal_signal(int sig)
{
    emergency_restore();
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

int term_start(char *err, size_t errlen)
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
    restore_len = 0;
    seq_append("sgr0");
    seq_append("cnorm");
    seq_append("rmkx");
    seq_append("rmcup");
    stderr_capture();
    /* Out of memory ends the process from anywhere: give the terminal back first, so the
     * message that follows is readable and the shell usable. */
    xalloc_set_fatal_hook(emergency_restore);
    return 0;
}

void term_stop(void)
{
    xalloc_set_fatal_hook(NULL);
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

/* curses hands back ESC alone when a key's sequence is not in the terminal's description
 * (a TERM that doesn't match the terminal). A CSI/SS3 sequence already waiting right behind
 * it is that key, not Esc plus typing: eat it. True when something was swallowed. */
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

int term_read_key(int timeout_ms)
{
    for (;;) {
        timeout(timeout_ms);
        wint_t wc;
        int r = get_wch(&wc);
        if (r == ERR)
            return TERM_NO_KEY;
        int key = r == KEY_CODE_YES ? KC((int)wc) : (int)wc;
        if (key == KEY_ESC && swallow_escape_sequence()) {
            timeout_ms = 0; /* the sequence was one key, and it is gone: only what follows */
            continue;
        }
        return key;
    }
}
