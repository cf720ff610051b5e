/* A one-line UTF-8 text editor model for form fields, like a shell line (no curses here). */
#ifndef KA_LINEEDIT_H
#define KA_LINEEDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <wchar.h>

struct lineedit {
    char *buf;       /* UTF-8, NUL-terminated */
    size_t len;      /* bytes */
    size_t cap;
    size_t cursor;   /* byte offset, always on a character boundary */
    size_t max_len;  /* bytes; 0 = no limit */
    size_t scroll;   /* byte offset of the first visible character (le_view) */
};

enum le_action {
    LE_LEFT, LE_RIGHT, LE_HOME, LE_END, LE_WORD_LEFT, LE_WORD_RIGHT,
    LE_BACKSPACE, LE_DELETE,
    LE_KILL_TO_START,   /* Ctrl-U */
    LE_KILL_WORD,       /* Ctrl-W: back to the space before the cursor (unix-word-rubout) */
    LE_KILL_TO_END,     /* Ctrl-K */
    LE_KILL_WORD_BACK   /* Alt-Backspace: back to the word start Alt-B would go to */
};

void le_init(struct lineedit *le, const char *text, size_t max_len);
void le_set(struct lineedit *le, const char *text);
void le_free(struct lineedit *le);
/* Insert one character at the cursor. Returns false when refused (control char, too long). */
bool le_insert(struct lineedit *le, wchar_t wc);
/* Apply an editing action. Returns true when the text or cursor changed. */
bool le_apply(struct lineedit *le, enum le_action a);
/* Compute the visible window for a field `width` columns wide: updates le->scroll so the
 * cursor is visible; returns the cursor's column relative to the field start. */
int le_view(struct lineedit *le, int width);

#endif
