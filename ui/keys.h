/* Keys as one int, and binding tables: the keys that trigger each action of a screen, how
 * the footer names them and how the help screen explains them (nnn's key-to-action table).
 * No curses needed to include it. */
#ifndef KA_UI_KEYS_H
#define KA_UI_KEYS_H

#include <stdbool.h>
#include <stddef.h>

/* Characters are their code point; curses key codes go through KC() so that KEY_UP (0403)
 * and U+0103 stay apart. An Alt (Meta) chord, Esc and a key within the escape delay, is
 * KEY_META of that key: it is never taken for Esc, nor for the key alone. */
#define KC(k) ((k) | 0x40000000)
#define KEY_IS_CODE(k) (((k) & 0x40000000) != 0)
#define KEY_META(k) ((k) | 0x20000000)
#define KEY_IS_META(k) (((k) & 0x20000000) != 0)
#define CTRL_KEY(c) ((c) & 0x1f)
#define KEY_ESC 27
/* A bracketed paste, whole (term.h says where its text is). */
#define KEY_PASTE KC(0xfff0)

/* A character that goes into a text field as it is: not a key code, not a chord, not a
 * control character. */
static inline bool key_is_text(int k)
{
    return k >= 0x20 && k != 0x7f && !(k >= 0x80 && k < 0xa0) && !KEY_IS_CODE(k) && !KEY_IS_META(k);
}

/* Bytes of the UTF-8 character that lead byte starts (1-4), 0 for a byte that starts none:
 * for reading keys byte by byte where the locale is not UTF-8. */
size_t keys_utf8_len(unsigned char lead);

/* One row of a binding table. label NULL: not in the footer (the help screen shows it). */
struct binding {
    int keys[6];             /* 0-terminated */
    const char *key_label;   /* how the footer names the key: "q", "^S", "Enter" */
    const char *label;       /* the footer's word(s): "quit" */
    int action;
    const char *help;        /* the help screen's words; NULL: the label */
};

/* The action every screen's tables may hold for `?` / F1: the loop opens the help screen. */
#define KEYS_HELP 1000

/* Action bound to key in table t of n rows, or -1. */
int keys_find(const struct binding *t, size_t n, int key);

/* A key's name for people: "Up", "PgDn", "^U", "Alt-B", "Enter", "k". */
void keys_name(int key, char *out, size_t len);
/* A row's keys by name, duplicates left out ("Enter", not "Enter Enter"): "Up k ^P". */
void keys_row_names(const struct binding *b, char *out, size_t len);

/* What the footer shows for a table in `width` columns: the labelled rows in order, each
 * "key label" followed by two spaces. When they do not all fit, the labels shrink to their
 * first word; when that is not enough either, the rows that fit are shown and the help
 * row ends the line as "? more", so nothing is ever cut without saying so. */
struct footer_item {
    const char *key_label;
    char label[32];
};
#define FOOTER_MAX 16
size_t keys_footer(const struct binding *t, size_t n, int width, struct footer_item out[FOOTER_MAX]);

#endif
