/* What a paste into the picker names: a path as terminals paste a dragged file (quoted,
 * with backslash-escaped spaces, as a file:// URL, with a line end), made absolute. Pure:
 * no curses, no I/O. Private to ui/. */
#ifndef KA_UI_PASTEPATH_H
#define KA_UI_PASTEPATH_H

/* The path in text, absolute (relative ones from cwd, "~/" from home), or NULL when the
 * text is no path (empty, or several lines of something). Caller frees. */
char *pastepath_parse(const char *text, const char *cwd, const char *home);
/* text with backslash escapes undone ("CV\ 2024.pdf" -> "CV 2024.pdf"): the other way a
 * shell-minded terminal quotes; for when the path as pasted does not exist. Caller frees. */
char *pastepath_unescape(const char *path);

#endif
