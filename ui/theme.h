/* Colours as named roles, with a monochrome variant, and the glyphs the screens draw.
 * Private to ui/. */
#ifndef KA_UI_THEME_H
#define KA_UI_THEME_H

#define NCURSES_WIDECHAR 1
#include <curses.h>
#include <stdbool.h>

enum role {
    ROLE_NORMAL,
    ROLE_HEADER,       /* the top line */
    ROLE_FOOTER,       /* footer labels */
    ROLE_FOOTER_KEY,   /* the key in a footer binding */
    ROLE_SELECTION,    /* cursor row, focused button */
    ROLE_DIR,          /* folder names (also marked by a trailing "/") */
    ROLE_MARKED,       /* marked files (also marked by a glyph) */
    ROLE_MATCH,        /* the part of a name the filter matched */
    ROLE_ERROR,        /* always next to an error glyph or word */
    ROLE_WARNING,
    ROLE_OK,
    ROLE_UNKNOWN,      /* may have been attached: neither done nor failed (with a "?") */
    ROLE_BAR,          /* filled part of a progress bar */
    ROLE_BAR_EMPTY,
    ROLE_SANDBOX,      /* the SANDBOX badge */
    ROLE_DIM,          /* disabled and secondary text */
    ROLE_LABEL,        /* form labels, headings */
    ROLE_FIELD,        /* an editable text field */
    ROLE_COUNT
};

/* Once curses is up: colour pairs when the terminal has colours and NO_COLOR is unset or
 * empty, monochrome attributes otherwise; glyphs by the locale's charset. */
void theme_init(void);
bool theme_has_colour(void);
attr_t theme_attr(enum role r);

/* Glyphs: Unicode when the locale's charset is UTF-8, ASCII otherwise. */
struct glyphs {
    const char *mark;      /* marked file */
    const char *ok;
    const char *err;
    const char *unknown;   /* may have been attached */
    const char *warn;
    const char *focus;     /* in front of the focused form field */
    const char *sep;       /* between header items */
    const char *hline;     /* one column of a horizontal rule */
    const char *bar_full;
    const char *bar_empty;
    const char *dash;      /* the long dash in "retrying in 3 s — previous attempt" */
    const char *approx;    /* "≈" */
    const char *up;        /* footer key labels */
    const char *down;
    const char *left;
    const char *right;
    const char *enter;
    const char *ellipsis;  /* text cut short: "…", "..." in ASCII (text.c counts its width) */
    const char *cut_left;  /* one column: a text field's text goes on to the left */
    const char *spinner;   /* spin_n frames of spin_bytes bytes each (one column): a search runs */
    int spin_n, spin_bytes;
    const char *pick;      /* the chosen one of a list of choices: "(•)", "(*)" */
    const char *unpicked;  /* the others: "( )" */
};
const struct glyphs *theme_glyphs(void);

#endif
