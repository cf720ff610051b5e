/* See term.h. Everything a signal handler or the out-of-memory hook needs to put the
 * terminal back is prepared while curses starts, so that they can do it with write(2) and
 * tcsetattr alone. */
#include "term.h"

#define NCURSES_WIDECHAR 1
#include <curses.h>   /* declares tigetstr too: <term.h> would be this folder's term.h */

#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <langinfo.h>
#include <stdint.h>
#include <unistd.h>

#include "keys.h"
#include "utf8.h"
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
/* In a locale whose charset is not UTF-8 (LANG=C over SSH from a Mac, say) ncurses' get_wch
 * stops returning keys for good after the first byte above 0x7f. Keys are then read as
 * bytes and the UTF-8 the terminal most likely sends is put together here. */
static bool byte_input;
/* Bracketed paste (the terminal wraps a paste in ESC [200~ ... ESC [201~): on while curses
 * owns the terminal, off when it is given back, also for a suspend. */
#define PASTE_ON "\033[?2004h"
#define PASTE_OFF "\033[?2004l"
#define PASTE_MAX 4096
static bool paste_as_one;
static char paste_buf[PASTE_MAX + 1];
static struct sigaction curses_tstp;

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

static void write_str(const char *s)
{
    if (write(STDOUT_FILENO, s, strlen(s)) < 0) {
        /* the terminal is gone: nothing to switch */
    }
}

/* Ctrl-Z: bracketed paste off for the shell, then what curses does on a suspend (leave the
 * screen, stop, come back), then on again. */
static void on_tstp(int sig)
{
    int saved = errno;
    write_str(PASTE_OFF);
    if (curses_tstp.sa_handler != SIG_DFL && curses_tstp.sa_handler != SIG_IGN) {
        curses_tstp.sa_handler(sig);
    } else {
        signal(SIGTSTP, SIG_DFL);
        raise(SIGTSTP);
        signal(SIGTSTP, on_tstp);
    }
    write_str(PASTE_ON);
    errno = saved;
}

static void paste_enable(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sigemptyset(&sa.sa_mask);
    sa.sa_handler = on_tstp;
    sa.sa_flags = SA_RESTART;
    sigaction(SIGTSTP, &sa, &curses_tstp);
    write_str(PASTE_ON);
}

void term_paste_as_one(bool on)
{
    paste_as_one = on;
}

const char *term_paste_text(void)
{
    return paste_buf;
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
    /* Esc is instant over SSH too, and an Alt chord (its two bytes arrive together) is
     * still told from Esc. */
    set_escdelay(25);
    const char *cs = nl_langinfo(CODESET);
    byte_input = !(cs && strcmp(cs, "UTF-8") == 0);
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
    memcpy(restore_seq, PASTE_OFF, sizeof PASTE_OFF - 1);
    restore_len = sizeof PASTE_OFF - 1;
    seq_append("sgr0");
    seq_append("cnorm");
    seq_append("rmkx");
    seq_append("rmcup");
    paste_enable();
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
        sigaction(SIGTSTP, &curses_tstp, NULL);
        write_str(PASTE_OFF);
        curs_set(1);
        endwin();
        curses_up = false;
        delscreen(term_screen);
        term_screen = NULL;
    }
    stderr_restore();
    restore_signals();
}


/* The rest of a UTF-8 character whose lead byte came: its bytes arrive together. Returns
 * the code point, or TERM_NO_KEY for a byte that starts none (a Latin-1 terminal). */
static int utf8_rest(int lead)
{
    char buf[4] = { (char)lead };
    size_t need = keys_utf8_len((unsigned char)lead);
    for (size_t i = 1; i < need; i++) {
        timeout(0);
        int c = getch();
        if (c == ERR || (c & 0xc0) != 0x80) {
            if (c != ERR)
                ungetch(c);
            return TERM_NO_KEY;
        }
        buf[i] = (char)c;
    }
    uint32_t cp;
    return need && utf8_decode(buf, need, &cp) == need ? (int)cp : TERM_NO_KEY;
}

/* One key as curses gives it, waiting up to timeout_ms; TERM_NO_KEY when none came. A byte
 * that cannot be read as a character is dropped (TERM_DROPPED). */
#define TERM_DROPPED (-2)
#define TERM_PASTE_BEGIN (-3)
#define TERM_PASTE_END (-4)
static int read_raw(int timeout_ms)
{
    timeout(timeout_ms);
    if (byte_input) {
        int c = getch();
        if (c == ERR)
            return TERM_NO_KEY;
        if (c >= KEY_MIN)
            return KC(c);
        if (c < 0x80)
            return c;
        c = utf8_rest(c);
        return c == TERM_NO_KEY ? TERM_DROPPED : c;
    }
    wint_t wc;
    int r = get_wch(&wc);
    if (r == ERR)
        return TERM_NO_KEY;
    return r == KEY_CODE_YES ? KC((int)wc) : (int)wc;
}

static void unread(int key)
{
    if (KEY_IS_CODE(key) || byte_input)
        ungetch(KEY_IS_CODE(key) ? key & ~0x40000000 : key);
    else
        unget_wch((wchar_t)key);
}

/* What came right after an Esc, which curses hands back alone whenever the bytes after it
 * are no key the terminal's description knows:
 *   nothing yet                  Esc itself (a person cannot type the next key within the
 *                                escape delay)
 *   '[' or 'O' and more          a CSI/SS3 sequence of a key the description lacks (a TERM
 *                                that does not match the terminal): read whole, dropped
 *   Esc                          Esc, and the second one is read again
 *   any other key                an Alt (Meta) chord: KEY_META(key), never Esc and a key
 * Returns the key, or TERM_DROPPED. */
static int after_escape(void)
{
    int k = read_raw(0);
    if (k == TERM_NO_KEY || k == TERM_DROPPED)
        return KEY_ESC;
    if (k == KEY_ESC) {
        unread(k);
        return KEY_ESC;
    }
    if (k == '[' || k == 'O') {
        int first = read_raw(0);
        if (first == TERM_NO_KEY)
            return KEY_META(k); /* Alt-[ or Alt-O alone */
        /* parameters, then one final byte in 0x40..0x7e */
        int c = first;
        char params[20];
        size_t np = 0;
        for (int i = 0; i < 16 && c >= 0 && !(c >= 0x40 && c <= 0x7e); i++) {
            if (np + 1 < sizeof params && c < 0x80)
                params[np++] = (char)c;
            c = read_raw(0);
        }
        params[np] = '\0';
        if (k == '[' && c == '~' && strcmp(params, "200") == 0)
            return TERM_PASTE_BEGIN;
        if (k == '[' && c == '~' && strcmp(params, "201") == 0)
            return TERM_PASTE_END;
        return TERM_DROPPED;
    }
    return KEY_META(k);
}

/* The keys of a paste up to its end marker, as UTF-8 text in paste_buf (what does not fit
 * is dropped, the end is still waited for). A paste arrives in one burst; the wait for each
 * key is short so a lost end marker costs a moment, not the program. */
static void read_paste(void)
{
    size_t n = 0;
    for (int i = 0; i < 1 << 20; i++) {
        int k = read_raw(200);
        if (k == KEY_ESC)
            k = after_escape();
        if (k == TERM_NO_KEY || k == TERM_PASTE_END)
            break;
        if (k == '\r')
            k = '\n';
        if (k < 0 || KEY_IS_CODE(k) || KEY_IS_META(k) || n + 4 > PASTE_MAX)
            continue;
        char u[4];
        size_t l = k < 0x80 ? (u[0] = (char)k, 1) : utf8_encode((uint32_t)k, u);
        memcpy(paste_buf + n, u, l);
        n += l;
    }
    paste_buf[n] = '\0';
}

int term_read_key(int timeout_ms)
{
    for (;;) {
        int key = read_raw(timeout_ms);
        if (key == TERM_NO_KEY)
            return TERM_NO_KEY;
        if (key == KEY_ESC)
            key = after_escape();
        if (key == TERM_PASTE_BEGIN && paste_as_one) {
            read_paste();
            return KEY_PASTE;
        }
        if (key == TERM_PASTE_BEGIN || key == TERM_PASTE_END)
            key = TERM_DROPPED; /* the paste comes as its keys, as it would without the markers */
        if (key != TERM_DROPPED)
            return key;
        timeout_ms = 0; /* what was dropped was one key, and it is gone: only what follows */
    }
}
