/* Colour roles (8 and 256 colours, monochrome, NO_COLOR) and the glyphs the screens draw.
 * See theme.h. */
#include "theme.h"

#include <langinfo.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

struct role_style {
    short fg, bg;     /* -1 = terminal default */
    attr_t colour;    /* attributes added in colour mode */
    attr_t mono;      /* the whole look in monochrome mode */
};

/* Every state that matters is also carried by a glyph, a word or an attribute, so the
 * monochrome column alone must still tell them apart. */
static const struct role_style role_styles[ROLE_COUNT] = {
    [ROLE_NORMAL] = { -1, -1, A_NORMAL, A_NORMAL },
    [ROLE_HEADER] = { COLOR_WHITE, COLOR_BLUE, A_BOLD, A_REVERSE },
    [ROLE_FOOTER] = { -1, -1, A_NORMAL, A_NORMAL },
    [ROLE_FOOTER_KEY] = { COLOR_BLACK, COLOR_CYAN, A_NORMAL, A_REVERSE },
    [ROLE_SELECTION] = { COLOR_BLACK, COLOR_CYAN, A_NORMAL, A_REVERSE },
    [ROLE_DIR] = { COLOR_BLUE, -1, A_BOLD, A_BOLD },
    [ROLE_MARKED] = { COLOR_YELLOW, -1, A_BOLD, A_BOLD },
    [ROLE_MATCH] = { COLOR_BLACK, COLOR_YELLOW, A_UNDERLINE, A_UNDERLINE | A_BOLD },
    [ROLE_ERROR] = { COLOR_RED, -1, A_BOLD, A_BOLD },
    [ROLE_WARNING] = { COLOR_YELLOW, -1, A_NORMAL, A_BOLD },
    [ROLE_OK] = { COLOR_GREEN, -1, A_BOLD, A_BOLD },
    [ROLE_UNKNOWN] = { COLOR_MAGENTA, -1, A_BOLD, A_BOLD | A_UNDERLINE },
    [ROLE_BAR] = { COLOR_GREEN, -1, A_BOLD, A_BOLD },
    [ROLE_BAR_EMPTY] = { -1, -1, A_DIM, A_NORMAL },
    [ROLE_SANDBOX] = { COLOR_BLACK, COLOR_YELLOW, A_BOLD, A_BOLD }, /* mono: normal video inside the reversed header */
    [ROLE_DIM] = { -1, -1, A_DIM, A_DIM },
    [ROLE_LABEL] = { -1, -1, A_BOLD, A_BOLD },
    [ROLE_FIELD] = { -1, -1, A_UNDERLINE, A_UNDERLINE },
};

/* The same roles in a calmer palette for terminals with 256 colours (xterm-256color,
 * tmux-256color): the 8-colour blues and greens are harsh on most themes. Only fg/bg
 * differ; attributes come from role_styles. -1 = keep the 8-colour value. */
static const short role_256[ROLE_COUNT][2] = {
    [ROLE_NORMAL] = { -1, -1 },
    [ROLE_HEADER] = { 255, 24 },
    [ROLE_FOOTER] = { -1, -1 },
    [ROLE_FOOTER_KEY] = { 16, 110 },
    [ROLE_SELECTION] = { 231, 31 },
    [ROLE_DIR] = { 75, -1 },
    [ROLE_MARKED] = { 214, -1 },
    [ROLE_MATCH] = { 16, 221 },
    [ROLE_ERROR] = { 203, -1 },
    [ROLE_WARNING] = { 214, -1 },
    [ROLE_OK] = { 78, -1 },
    [ROLE_UNKNOWN] = { 177, -1 },
    [ROLE_BAR] = { 36, -1 },
    [ROLE_BAR_EMPTY] = { 240, -1 },
    [ROLE_SANDBOX] = { 16, 221 },
    [ROLE_DIM] = { 245, -1 },
    [ROLE_LABEL] = { -1, -1 },
    [ROLE_FIELD] = { -1, -1 },
};

static attr_t role_attr[ROLE_COUNT];
static bool colour_on;

static const struct glyphs glyphs_utf8 = {
    .mark = "\xe2\x9c\x93", .ok = "\xe2\x9c\x93", .err = "\xe2\x9c\x97", .unknown = "?", .warn = "!",
    .focus = "\xe2\x96\xb8", .sep = "\xe2\x94\x82", .hline = "\xe2\x94\x80",
    .bar_full = "\xe2\x96\x88", .bar_empty = "\xe2\x96\x91", .dash = "\xe2\x80\x94",
    .approx = "\xe2\x89\x88", .up = "\xe2\x86\x91", .down = "\xe2\x86\x93",
    .left = "\xe2\x86\x90", .right = "\xe2\x86\x92", .enter = "\xe2\x86\xb5",
    .ellipsis = "\xe2\x80\xa6", .cut_left = "\xe2\x80\xa6",
    .spinner = "\xe2\xa0\x8b\xe2\xa0\x99\xe2\xa0\xb9\xe2\xa0\xb8\xe2\xa0\xbc\xe2\xa0\xb4\xe2\xa0\xa6"
               "\xe2\xa0\xa7\xe2\xa0\x87\xe2\xa0\x8f",
    .spin_n = 10, .spin_bytes = 3, .pick = "(\xe2\x80\xa2)", .unpicked = "( )",
};
static const struct glyphs glyphs_ascii = {
    .mark = "*", .ok = "+", .err = "x", .unknown = "?", .warn = "!", .focus = ">", .sep = "|", .hline = "-",
    .bar_full = "#", .bar_empty = ".", .dash = "-", .approx = "~", .up = "^", .down = "v",
    .left = "<", .right = ">", .enter = "Enter", .ellipsis = "...",
    .cut_left = "<", .spinner = "|/-\\", .spin_n = 4, .spin_bytes = 1, .pick = "(*)", .unpicked = "( )",
};
static const struct glyphs *glyphs = &glyphs_ascii;

/* Colour unless the terminal has none or the user asked for none (https://no-color.org:
 * NO_COLOR set and not empty). */
static bool colour_wanted(void)
{
    const char *nc = getenv("NO_COLOR");
    return has_colors() && !(nc && *nc);
}

void theme_init(void)
{
    bool colour = colour_wanted();
    colour_on = false;
    if (colour && start_color() == OK && COLORS >= 8 && COLOR_PAIRS >= ROLE_COUNT + 1) {
        bool dflt = use_default_colors() == OK;
        colour_on = true;
        for (int r = 0; r < ROLE_COUNT; r++) {
            const struct role_style *s = &role_styles[r];
            short fg0 = s->fg, bg0 = s->bg;
            if (COLORS >= 256 && (role_256[r][0] >= 0 || role_256[r][1] >= 0)) {
                fg0 = role_256[r][0] >= 0 ? role_256[r][0] : fg0;
                bg0 = role_256[r][1] >= 0 ? role_256[r][1] : bg0;
            }
            if (fg0 < 0 && bg0 < 0) {
                role_attr[r] = s->colour;
                continue;
            }
            /* Without default-colour support, -1 means white on black. */
            short fg = fg0 >= 0 ? fg0 : (dflt ? -1 : COLOR_WHITE);
            short bg = bg0 >= 0 ? bg0 : (dflt ? -1 : COLOR_BLACK);
            init_pair((short)(r + 1), fg, bg);
            role_attr[r] = COLOR_PAIR(r + 1) | s->colour;
            if (COLORS >= 256 && role_256[r][0] >= 0)
                role_attr[r] &= ~A_DIM; /* the grey is the dimming; faint on top is unreadable */
        }
    } else {
        for (int r = 0; r < ROLE_COUNT; r++)
            role_attr[r] = role_styles[r].mono;
    }
    const char *cs = nl_langinfo(CODESET);
    bool utf8 = cs && strcmp(cs, "UTF-8") == 0;
    glyphs = utf8 ? &glyphs_utf8 : &glyphs_ascii;
    /* text cut by text.c ends in the same glyph */
    text_set_ellipsis(glyphs->ellipsis);
}

bool theme_has_colour(void) { return colour_on; }
attr_t theme_attr(enum role r) { return role_attr[r]; }
const struct glyphs *theme_glyphs(void) { return glyphs; }
