/* The terminal while curses owns it: start and stop, the signals that end the program,
 * giving the terminal back on a fatal signal or when memory runs out, stderr kept off the
 * screen, and reading keys. Private to ui/. */
#ifndef KA_UI_TERM_H
#define KA_UI_TERM_H

#include <stddef.h>

/* Take the terminal: signals, curses (newterm), raw-ish modes, stderr into a temporary
 * file, the out-of-memory hook. 0, or -1 with a message (nothing changed then). */
int term_start(char *err, size_t errlen);
/* Give it back: leave curses, replay what stderr got meanwhile, default signals. */
void term_stop(void);

/* SIGINT, SIGTERM or SIGHUP once one arrived (the loop then leaves cleanly), else 0. */
int term_signal(void);

#define TERM_NO_KEY (-1)
/* The next key as keys.h encodes it, waiting up to timeout_ms (0 = don't wait), or
 * TERM_NO_KEY. An escape sequence the terminal description does not know is read whole
 * and dropped, so an unknown key never acts as Esc followed by stray characters. */
int term_read_key(int timeout_ms);
/* A bracketed paste as one key, KEY_PASTE (keys.h), its text (UTF-8, line ends as "\n", at
 * most 4 KiB) in term_paste_text() until the next key is read; off (the start), a paste
 * comes as the keys it is made of. The picker turns it on while it is the screen. */
#include <stdbool.h>
void term_paste_as_one(bool on);
const char *term_paste_text(void);

#endif
