/* Any bytes made safe to print on a terminal, one way for every front end (no curses, no
 * locale). Valid UTF-8 is kept as it is, except what could move the cursor, recolour or
 * retitle the terminal, reorder a line or hide text:
 *   C0 controls and DEL         \n \r \t, else \x1b-style (two lower-case hex digits)
 *   C1 controls (U+0080-U+009F) \u0085-style (four lower-case hex digits)
 *   bidi marks, embeddings, overrides and isolates (U+061C, U+200E, U+200F, U+202A-U+202E,
 *   U+2066-U+2069), zero-width characters (U+200B-U+200D, U+2060, U+FEFF), line and
 *   paragraph separators (U+2028, U+2029)                          \u202e-style
 *   bytes that are not well-formed UTF-8 (overlongs, surrogates, > U+10FFFF, cut
 *   sequences), one escape per byte                                \xff-style
 * Backslashes themselves are not escaped: the result is for people to read, not to parse.
 * Everything is computed a "unit" at a time (one character or one invalid byte), so a
 * front end that fits text by width can never cut an escape in half. */
#ifndef KA_TERMSAFE_H
#define KA_TERMSAFE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The longest escape, "\U0010ffff", with its NUL. */
#define TS_ESC_MAX 11

enum ts_flags {
    TS_ONE_LINE = 0,              /* every line break escaped: the result is one line */
    TS_KEEP_NEWLINES = 1u << 0,   /* "\n" kept as a line break (\r is still escaped) */
};

struct ts_unit {
    size_t len;             /* raw bytes this unit covers: 1 for an invalid byte, else 1-4 */
    bool valid;             /* those bytes are one well-formed UTF-8 character */
    uint32_t cp;            /* its code point (the byte's value when !valid) */
    size_t esc_len;         /* 0: print the raw bytes as they are; else strlen(esc) */
    char esc[TS_ESC_MAX];   /* the escape, ASCII, NUL-terminated (empty when esc_len == 0) */
};

/* The unit that starts at s, n > 0 bytes available (s need not be NUL-terminated). */
void ts_next(const char *s, size_t n, unsigned flags, struct ts_unit *u);

/* True when code point cp must never reach a terminal as it is (controls included; "\n"
 * too: whether it may stay is the caller's flag). */
bool ts_cp_unsafe(uint32_t cp);

/* The \u form of any code point: "\u202e", or "\U0001f600" above U+FFFF. Returns its
 * length. For a front end that escapes more than ts_next does (the UI: what the locale's
 * wcwidth cannot show), in the same notation. */
size_t ts_escape_cp(uint32_t cp, char out[TS_ESC_MAX]);

/* Bytes ts_escape's result holds (without the NUL). */
size_t ts_escaped_len(const char *s, size_t n, unsigned flags);

/* s[0..n) made safe, as a new NUL-terminated string (never NULL: xalloc's policy). */
char *ts_escape(const char *s, size_t n, unsigned flags);

#endif
