/* See keys.h. curses only for the names of its key codes. */
#include "keys.h"

#define NCURSES_WIDECHAR 1
#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "text.h"

int keys_find(const struct binding *t, size_t n, int key)
{
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < sizeof t[i].keys / sizeof t[i].keys[0] && t[i].keys[k]; k++)
            if (t[i].keys[k] == key)
                return t[i].action;
    return -1;
}

size_t keys_utf8_len(unsigned char lead)
{
    if (lead < 0x80)
        return 1;
    if (lead >= 0xc2 && lead <= 0xdf)
        return 2;
    if (lead >= 0xe0 && lead <= 0xef)
        return 3;
    if (lead >= 0xf0 && lead <= 0xf4)
        return 4;
    return 0; /* continuation bytes, overlong leads C0/C1, F5-FF */
}

static const struct {
    int code;
    const char *name;
} code_names[] = {
    { KEY_UP, "Up" }, { KEY_DOWN, "Down" }, { KEY_LEFT, "Left" }, { KEY_RIGHT, "Right" },
    { KEY_HOME, "Home" }, { KEY_END, "End" }, { KEY_PPAGE, "PgUp" }, { KEY_NPAGE, "PgDn" },
    { KEY_BACKSPACE, "BkSp" }, { KEY_DC, "Del" }, { KEY_IC, "Ins" }, { KEY_ENTER, "Enter" },
    { KEY_BTAB, "S-Tab" }, { KEY_SLEFT, "S-Left" }, { KEY_SRIGHT, "S-Right" },
};

void keys_name(int key, char *out, size_t len)
{
    if (KEY_IS_META(key)) {
        char rest[32];
        int k = key & ~0x20000000;
        /* Alt-B, not Alt-b: how menus and manuals write chords */
        if (k >= 'a' && k <= 'z')
            k -= 32;
        keys_name(k, rest, sizeof rest);
        snprintf(out, len, "Alt-%s", rest);
        return;
    }
    if (KEY_IS_CODE(key)) {
        int c = key & ~0x40000000;
        for (size_t i = 0; i < sizeof code_names / sizeof code_names[0]; i++) {
            if (code_names[i].code == c) {
                snprintf(out, len, "%s", code_names[i].name);
                return;
            }
        }
        if (c >= KEY_F(1) && c <= KEY_F(24)) {
            snprintf(out, len, "F%d", c - KEY_F0);
            return;
        }
        snprintf(out, len, "key %d", c);
        return;
    }
    switch (key) {
    case '\r':
    case '\n': snprintf(out, len, "Enter"); return;
    case '\t': snprintf(out, len, "Tab"); return;
    case KEY_ESC: snprintf(out, len, "Esc"); return;
    case 127:
    case 8: snprintf(out, len, "BkSp"); return;
    case ' ': snprintf(out, len, "Space"); return;
    default: break;
    }
    if (key > 0 && key < 0x20) {
        snprintf(out, len, "^%c", key + '@');
        return;
    }
    char utf8[8] = "";
    if (key > 0 && key < 0x80) {
        utf8[0] = (char)key;
        utf8[1] = '\0';
    }
    snprintf(out, len, "%s", utf8);
}

void keys_row_names(const struct binding *b, char *out, size_t len)
{
    size_t o = 0;
    out[0] = '\0';
    for (size_t k = 0; k < sizeof b->keys / sizeof b->keys[0] && b->keys[k]; k++) {
        char name[40], padded[44];
        keys_name(b->keys[k], name, sizeof name);
        /* a name already listed (Enter for \r, \n and KEY_ENTER) is not repeated */
        snprintf(padded, sizeof padded, " %s ", name);
        char have[300];
        snprintf(have, sizeof have, " %s ", out);
        if (!name[0] || strstr(have, padded))
            continue;
        int w = snprintf(out + o, len - o, "%s%s", o ? " " : "", name);
        if (w < 0 || (size_t)w >= len - o)
            break;
        o += (size_t)w;
    }
}

/* Columns of items [0, n) as drawn: "key label" and two spaces between items. */
static int items_width(const struct footer_item *it, size_t n)
{
    int w = 0;
    for (size_t i = 0; i < n; i++)
        w += (i ? 2 : 0) + text_width(it[i].key_label) + 1 + text_width(it[i].label);
    return w;
}

static void shorten(char *label)
{
    char *sp = strchr(label, ' ');
    if (sp)
        *sp = '\0';
}

size_t keys_footer(const struct binding *t, size_t n, int width, struct footer_item out[FOOTER_MAX])
{
    const struct binding *help = NULL;
    size_t k = 0, help_at = FOOTER_MAX;
    for (size_t i = 0; i < n && k < FOOTER_MAX; i++) {
        if (!t[i].label)
            continue;
        if (t[i].action == KEYS_HELP) {
            help = &t[i];
            help_at = k;
        }
        out[k].key_label = t[i].key_label;
        snprintf(out[k].label, sizeof out[k].label, "%s", t[i].label);
        k++;
    }
    if (items_width(out, k) <= width)
        return k;
    for (size_t i = 0; i < k; i++)
        shorten(out[i].label);
    if (items_width(out, k) <= width)
        return k;
    /* Not all fit: as many as do, then the help key saying that there is more. */
    struct footer_item more = { .key_label = help ? help->key_label : "?" };
    snprintf(more.label, sizeof more.label, "more");
    size_t m = 0;
    for (size_t i = 0; i < k; i++) {
        if (i == help_at)
            continue; /* the help row comes last, as "more" */
        struct footer_item trial[FOOTER_MAX];
        memcpy(trial, out, m * sizeof *trial);
        trial[m] = out[i];
        trial[m + 1] = more;
        if (items_width(trial, m + 2) > width)
            break;
        out[m++] = out[i];
    }
    out[m++] = more;
    return m;
}
