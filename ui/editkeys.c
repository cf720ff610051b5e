/* See editkeys.h. Readline's and Emacs' keys, which shells, mail programs and most other
 * text fields of a terminal share: Ctrl-B/Ctrl-F and Alt-B/Alt-F move, Alt-Backspace and
 * Ctrl-W delete a word. */
#include "editkeys.h"

#define NCURSES_WIDECHAR 1
#include <curses.h>

static const struct binding edit_keys[] = {
    { { KC(KEY_LEFT), CTRL_KEY('b'), 0 }, "Left", NULL, LE_LEFT, "cursor a character left" },
    { { KC(KEY_RIGHT), CTRL_KEY('f'), 0 }, "Right", NULL, LE_RIGHT, "cursor a character right" },
    { { KEY_META('b'), KEY_META(KC(KEY_LEFT)), KC(KEY_SLEFT), 0 }, "Alt-B", NULL, LE_WORD_LEFT,
      "cursor a word left" },
    { { KEY_META('f'), KEY_META(KC(KEY_RIGHT)), KC(KEY_SRIGHT), 0 }, "Alt-F", NULL, LE_WORD_RIGHT,
      "cursor a word right" },
    { { KC(KEY_HOME), CTRL_KEY('a'), 0 }, "Home", NULL, LE_HOME, "cursor to the start" },
    { { KC(KEY_END), CTRL_KEY('e'), 0 }, "End", NULL, LE_END, "cursor to the end" },
    { { KC(KEY_BACKSPACE), 127, 8, 0 }, "BkSp", NULL, LE_BACKSPACE, "delete the character before the cursor" },
    { { KC(KEY_DC), CTRL_KEY('d'), 0 }, "Del", NULL, LE_DELETE, "delete the character under the cursor" },
    { { KEY_META(127), KEY_META(8), KEY_META(KC(KEY_BACKSPACE)), 0 }, "Alt-BkSp", NULL,
      LE_KILL_WORD_BACK, "delete the word before the cursor" },
    { { CTRL_KEY('w'), 0 }, "^W", NULL, LE_KILL_WORD, "delete back to the previous space" },
    { { CTRL_KEY('u'), 0 }, "^U", NULL, LE_KILL_TO_START, "delete everything before the cursor" },
    { { CTRL_KEY('k'), 0 }, "^K", NULL, LE_KILL_TO_END, "delete everything from the cursor on" },
};

const struct binding *editkeys_table(size_t *n)
{
    *n = sizeof edit_keys / sizeof edit_keys[0];
    return edit_keys;
}

bool editkeys_apply(struct lineedit *le, int key, bool *changed)
{
    size_t before = le->len;
    bool ok;
    int act = keys_find(edit_keys, sizeof edit_keys / sizeof edit_keys[0], key);
    if (act >= 0) {
        le_apply(le, (enum le_action)act);
        ok = true;
    } else if (key_is_text(key)) {
        le_insert(le, (wchar_t)key);
        ok = true;
    } else {
        ok = false;
    }
    /* same length after an edit means nothing changed: insertions and deletions both move it */
    if (changed)
        *changed = ok && le->len != before;
    return ok;
}
