/* Text for the screen: sanitise and fit strings by display width (no curses here). */
#ifndef KA_TEXT_H
#define KA_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/* Make bytes displayable, with the command line's escapes (termsafe.h: \t, \x1b, \u202e,
 * invalid bytes as \xff), plus what the locale cannot draw as \uXXXX. Returns a new UTF-8
 * string (caller frees; never NULL). */
char *text_sanitize(const char *s, size_t n);
/* Display width (columns) of sanitised UTF-8 text (wcwidth per character). */
int text_width(const char *utf8);
/* Display width of the first n bytes of s as text_sanitize would show them (escapes counted
 * by their shown length), so it may be called on raw bytes too. */
int text_width_n(const char *s, size_t n);
enum text_cut { TEXT_CUT_END, TEXT_CUT_MIDDLE, TEXT_CUT_START };
/* Sanitise then fit into `width` columns, cutting where asked with "…" (never splitting a
 * character; a wide character that doesn't fit is dropped). Caller frees. */
char *text_fit(const char *s, size_t n, int width, enum text_cut cut);
/* The one-column mark of text cut short ("…" by default; "~" where the locale cannot draw
 * it: theme.c chooses). */
void text_set_ellipsis(const char *s);
/* before + name + after fitted into width columns with the name alone cut (in the middle, at
 * the start ...) when the whole does not fit, so the words around it stay and a line never
 * shows two ellipses; when not even a few columns of the name would be left, the end of
 * the whole is cut. Caller frees. */
char *text_fit_around(const char *before, const char *name, const char *after, int width,
                      enum text_cut cut);
/* text_fit, also telling where the raw bytes [off, off+len) landed in the result (to
 * highlight a filter's match in a name cut in the middle): up to two byte ranges of the
 * result, one before the ellipsis and one after it; the ellipsis is in neither. */
struct text_spans {
    size_t n;
    size_t start[2], end[2];
};
char *text_fit_spans(const char *s, size_t n, int width, enum text_cut cut, size_t off, size_t len,
                     struct text_spans *spans);
/* Byte offset in sanitised text `utf8` of display column `col` (for highlighting). */
size_t text_col_to_byte(const char *utf8, int col);

/* Wrap text into lines of at most w columns (sanitised; "\n" starts a new paragraph):
 * at spaces, a word wider than a line after punctuation (. _ / - :) where it can. *lines gets
 * malloc'd strings; returns how many. Caller frees each and the array. */
size_t text_wrap(const char *s, int w, char ***lines);

/* path with a leading `home` folder written as "~" (as shells show it) into out.
 * home NULL or empty: path unchanged. */
void text_tilde(const char *path, const char *home, char *out, size_t outlen);

#endif
