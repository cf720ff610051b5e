/* Links on the terminal (no curses): OSC 8 hyperlinks over URLs already drawn, and OSC 52
 * to put a URL on the clipboard, which works over SSH and inside tmux (with
 * `set-clipboard on` tmux takes the sequence into its buffer and passes it on to the
 * terminal outside; tmux documents this under set-clipboard).
 *
 * When to send OSC 8, decided conservatively (a terminal that does not know it may show
 * the URL twice or garbage): KOMBO_ATTACH_LINKS=1 or 0 decides when set; otherwise never
 * for TERM empty, dumb, linux, vt*, cons*, ansi, or GNU screen; inside tmux only from 3.4
 * (TERM_PROGRAM=tmux, TERM_PROGRAM_VERSION >= 3.4: it passes hyperlinks on); elsewhere on
 * for terminals known to support them: VTE_VERSION >= 5000 (GNOME Terminal, Tilix ...),
 * TERM_PROGRAM iTerm.app, WezTerm, vscode or ghostty, WT_SESSION (Windows Terminal),
 * TERM xterm-kitty, foot, alacritty, wezterm or xterm-ghostty; off for the rest (xterm
 * itself, old terminals). OSC 52 is sent on the user's key everywhere but where OSC 8 is
 * never sent by TERM (a console would print it). */
#ifndef KA_UI_LINKS_H
#define KA_UI_LINKS_H

#include <stdbool.h>
#include <stddef.h>

#define LINKS_MAX 8
#define LINKS_URL_MAX 2048

struct link_env {
    const char *term, *term_program, *term_program_version, *vte_version, *wt_session, *tmux;
    const char *override;        /* KOMBO_ATTACH_LINKS */
};

/* The environment as it is (getenv). */
void links_env_now(struct link_env *e);
bool links_osc8_ok(const struct link_env *e);
bool links_osc52_ok(const struct link_env *e);
/* A URL that may go into an escape sequence as it is: printable ASCII, no spaces. */
bool links_url_safe(const char *url);

/* The links of one frame: where each URL was drawn (in full, as its own text). */
struct link_spot {
    int y, x;
    char url[LINKS_URL_MAX];
};
struct links {
    struct link_spot spots[LINKS_MAX];
    size_t n;
    char copy[LINKS_URL_MAX];    /* to put on the clipboard after this frame; "" = none */
};

void links_clear(struct links *l);
/* A URL drawn at (y, x) in full; unsafe URLs are left plain. */
void links_add(struct links *l, int y, int x, const char *url);
/* The bytes to send after the frame: each spot rewritten as a hyperlink (cursor saved and
 * restored around it), then the clipboard request. Returns the length (0: nothing). */
size_t links_render(const struct links *l, bool osc8, bool osc52, char *out, size_t len);
/* One OSC 52 request for text (base64). Returns the length, 0 when it does not fit. */
size_t links_osc52(const char *text, char *out, size_t len);

#endif
