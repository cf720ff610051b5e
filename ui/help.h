/* The help screen: every key of the current screen, from the binding tables its footer
 * uses (the screen's help op, else its bindings), drawn over the body until a key closes
 * it. Private to ui/. */
#ifndef KA_UI_HELP_H
#define KA_UI_HELP_H

#include <stdbool.h>
#include <stddef.h>

#include "keys.h"
#include "screen.h"

struct app;

struct help_view {
    bool open;
    int scroll, max_scroll;
};

/* One line of the help text. */
struct help_line {
    char *text;
    bool title;
};

/* The sections as lines of at most width columns: a title, then each row's keys by name
 * and what they do (the help words, else the footer's). Returns how many; caller frees
 * with help_lines_free. */
size_t help_format(const struct help_section *s, size_t n, int width, struct help_line **out);
void help_lines_free(struct help_line *l, size_t n);

/* Every binding table of every screen, titled (for the man page and its check): at most
 * max sections; returns how many. */
size_t help_doc(struct help_section *out, size_t max);

/* The loop's side: whether key opens the help on the current screen, and the help screen
 * itself while it is open (its keys scroll; any other key closes it). */
bool help_wanted(const struct app *a, int key);
void help_open(struct app *a);
struct ui_intent help_key(struct app *a, int key);
void help_draw(struct app *a);
const struct binding *help_bindings(size_t *n);

#endif
