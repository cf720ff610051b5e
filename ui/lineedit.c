/* One-line UTF-8 editor model. The buffer always holds well-formed, printable UTF-8 (le_set
 * filters, le_insert refuses), so moving by character is stepping over continuation bytes. */
#include "lineedit.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "utf8.h"
#include "xalloc.h"

static bool is_cont(unsigned char c)
{
    return (c & 0xc0) == 0x80;
}

/* Code points that never enter a field: controls (C0, DEL, C1), surrogates, out of range. */
static bool refused(uint32_t cp)
{
    return cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff;
}

static void reserve(struct lineedit *le, size_t need)
{
    if (need + 1 <= le->cap)
        return;
    size_t cap = le->cap ? le->cap : 32;
    while (cap < need + 1)
        cap *= 2;
    le->buf = xrealloc(le->buf, cap);
    le->cap = cap;
}

static size_t prev_char(const struct lineedit *le, size_t i)
{
    if (i == 0)
        return 0;
    i--;
    while (i > 0 && is_cont((unsigned char)le->buf[i]))
        i--;
    return i;
}

static size_t next_char(const struct lineedit *le, size_t i)
{
    if (i >= le->len)
        return le->len;
    i++;
    while (i < le->len && is_cont((unsigned char)le->buf[i]))
        i++;
    return i;
}

/* Word characters for Alt-B/Alt-F style moves: ASCII letters and digits and every non-ASCII
 * character (so accented and CJK words are words); punctuation and spaces separate. */
static bool word_byte(unsigned char c)
{
    return c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool space_byte(unsigned char c)
{
    return c == ' ';
}

static void erase(struct lineedit *le, size_t from, size_t to)
{
    memmove(le->buf + from, le->buf + to, le->len - to + 1);
    le->len -= to - from;
    le->cursor = from;
    if (le->scroll > le->len)
        le->scroll = from;
}

void le_init(struct lineedit *le, const char *text, size_t max_len)
{
    memset(le, 0, sizeof *le);
    le->max_len = max_len;
    le_set(le, text);
}

void le_set(struct lineedit *le, const char *text)
{
    le->len = 0;
    le->cursor = 0;
    le->scroll = 0;
    reserve(le, 0);
    le->buf[0] = '\0';
    if (!text)
        return;
    /* Keep only what le_insert would accept: a prefill from a config file or the command
     * line may carry control characters or broken bytes, which are dropped. */
    size_t n = strlen(text);
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t l = utf8_decode((const char *)text + i, n - i, &cp);
        if (l == 0) {
            i++;
            continue;
        }
        if (!refused(cp)) {
            if (le->max_len && le->len + l > le->max_len)
                break;
            reserve(le, le->len + l);
            memcpy(le->buf + le->len, text + i, l);
            le->len += l;
        }
        i += l;
    }
    le->buf[le->len] = '\0';
    le->cursor = le->len;
}

void le_free(struct lineedit *le)
{
    free(le->buf);
    memset(le, 0, sizeof *le);
}

bool le_insert(struct lineedit *le, wchar_t wc)
{
    if (wc < 0)
        return false;
    uint32_t cp = (uint32_t)wc;
    if (refused(cp))
        return false;
    char enc[4];
    size_t l = utf8_encode(cp, enc);
    if (le->max_len && le->len + l > le->max_len)
        return false;
    reserve(le, le->len + l);
    memmove(le->buf + le->cursor + l, le->buf + le->cursor, le->len - le->cursor + 1);
    memcpy(le->buf + le->cursor, enc, l);
    le->len += l;
    le->cursor += l;
    return true;
}

bool le_apply(struct lineedit *le, enum le_action a)
{
    size_t old_cursor = le->cursor, old_len = le->len;
    size_t i = le->cursor;
    const unsigned char *b = (const unsigned char *)le->buf;
    if (!le->buf)
        return false;
    switch (a) {
    case LE_LEFT:
        le->cursor = prev_char(le, i);
        break;
    case LE_RIGHT:
        le->cursor = next_char(le, i);
        break;
    case LE_HOME:
        le->cursor = 0;
        break;
    case LE_END:
        le->cursor = le->len;
        break;
    case LE_WORD_LEFT:
        while (i > 0 && !word_byte(b[i - 1]))
            i--;
        while (i > 0 && word_byte(b[i - 1]))
            i--;
        le->cursor = i; /* a word starts at a lead byte: non-ASCII bytes all count as word */
        break;
    case LE_WORD_RIGHT:
        while (i < le->len && !word_byte(b[i]))
            i++;
        while (i < le->len && word_byte(b[i]))
            i++;
        le->cursor = i;
        break;
    case LE_BACKSPACE:
        if (i > 0)
            erase(le, prev_char(le, i), i);
        break;
    case LE_DELETE:
        if (i < le->len)
            erase(le, i, next_char(le, i));
        break;
    case LE_KILL_TO_START:
        erase(le, 0, i);
        break;
    case LE_KILL_WORD: {
        /* Like a shell's Ctrl-W (unix-word-rubout): spaces before the cursor, then the
         * run of non-spaces before them. */
        size_t j = i;
        while (j > 0 && space_byte(b[j - 1]))
            j--;
        while (j > 0 && !space_byte(b[j - 1]))
            j--;
        erase(le, j, i);
        break;
    }
    case LE_KILL_WORD_BACK: {
        /* Like readline's backward-kill-word: what LE_WORD_LEFT steps over goes. */
        size_t j = i;
        while (j > 0 && !word_byte(b[j - 1]))
            j--;
        while (j > 0 && word_byte(b[j - 1]))
            j--;
        erase(le, j, i);
        break;
    }
    case LE_KILL_TO_END:
        le->buf[i] = '\0';
        le->len = i;
        if (le->scroll > le->len)
            le->scroll = le->len;
        break;
    }
    return le->cursor != old_cursor || le->len != old_len;
}

/* Columns taken by the character at byte i (1 for the cursor cell past the end). */
static int char_cols(const struct lineedit *le, size_t i)
{
    if (i >= le->len)
        return 1;
    int w = text_width_n(le->buf + i, next_char(le, i) - i);
    return w > 0 ? w : 0;
}

int le_view(struct lineedit *le, int width)
{
    if (!le->buf)
        return 0;
    if (le->scroll > le->cursor)
        le->scroll = le->cursor;
    if (width <= 0)
        return 0;
    /* Scroll right until the cursor's cell (all of a wide character under it) fits. */
    while (le->scroll < le->cursor &&
           text_width_n(le->buf + le->scroll, le->cursor - le->scroll) + char_cols(le, le->cursor) > width)
        le->scroll = next_char(le, le->scroll);
    /* Scroll back left while the whole rest of the line, plus the cursor cell at its end,
     * still fits: after a deletion the field fills up again instead of showing blanks. */
    while (le->scroll > 0) {
        size_t p = prev_char(le, le->scroll);
        if (text_width_n(le->buf + p, le->len - p) + 1 > width)
            break;
        le->scroll = p;
    }
    return text_width_n(le->buf + le->scroll, le->cursor - le->scroll);
}
