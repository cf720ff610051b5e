/* Keys as one int, and binding tables: the keys that trigger each action of a screen and
 * how the footer names them (nnn's key-to-action table). No curses needed to include it. */
#ifndef KA_UI_KEYS_H
#define KA_UI_KEYS_H

#include <stddef.h>

/* Characters are their code point; curses key codes go through KC() so that KEY_UP (0403)
 * and U+0103 stay apart. */
#define KC(k) ((k) | 0x40000000)
#define KEY_IS_CODE(k) (((k) & 0x40000000) != 0)
#define CTRL_KEY(c) ((c) & 0x1f)
#define KEY_ESC 27

/* One row of a binding table (label NULL = an alias, not shown in the footer). */
struct binding {
    int keys[5];             /* 0-terminated */
    const char *key_label;   /* how the footer names the key: "q", "^S", "Enter" */
    const char *label;       /* "quit" */
    int action;
};

/* Action bound to key in table t of n rows, or -1. */
int keys_find(const struct binding *t, size_t n, int key);

#endif
