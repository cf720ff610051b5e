/* See picker_keys.h. */
#include "picker_keys.h"

#include "app.h"
#include "editkeys.h"
#include "keys.h"
#include "picker.h"


/* Moving in the list: vi's and less's keys beside the arrows. */
#define NAV_BINDINGS \
    { { KC(KEY_UP), 'k', CTRL_KEY('p'), 0 }, "k", NULL, PA_UP, "up a row" }, \
    { { KC(KEY_DOWN), 'j', CTRL_KEY('n'), 0 }, "j", NULL, PA_DOWN, "down a row" }, \
    { { KC(KEY_PPAGE), CTRL_KEY('u'), CTRL_KEY('b'), 0 }, "PgUp", NULL, PA_PGUP, "a page up" }, \
    { { KC(KEY_NPAGE), CTRL_KEY('d'), CTRL_KEY('f'), 0 }, "PgDn", NULL, PA_PGDN, "a page down" }, \
    { { KC(KEY_HOME), 'g', 0 }, "g", NULL, PA_TOP, "the first entry" }, \
    { { KC(KEY_END), 'G', 0 }, "G", NULL, PA_BOTTOM, "the last entry" }, \
    { { KC(KEY_RIGHT), 'l', 0 }, "l", NULL, PA_OPEN_DIR, "open the highlighted folder" }

/* The search below the folder and the preview, in both tables. */
/* Not in the footer: at 80 columns it is full; ? lists them. */
#define FIND_BINDING { { 'f', 0 }, "f", NULL, PA_FIND, "search every folder below this one " \
    "(8 deep, 20,000 entries) for the names that match what you type; Esc comes back" }
#define PREVIEW_BINDING { { 'p', 0 }, "p", NULL, PA_PREVIEW, "show or hide the preview of the " \
    "highlighted file (shown by itself from 100 columns)" }

#define HELP_BINDING { { '?', KC(KEY_F(1)), 0 }, "?", "keys", KEYS_HELP, "this list of keys" }

/* The footer shows the rows with a label, in this order. */
static const struct binding list_keys[] = {
    { { '\r', '\n', KC(KEY_ENTER), 0 }, "Enter", "pick", PA_ENTER,
      "attach the highlighted file; open a folder" },
    { { ' ', 0 }, "Space", "mark", PA_MARK, "mark or unmark a file, to attach several at once "
      "(marks stay when you change folders)" },
    { { 'a', 0 }, "a", NULL, PA_MARK_ALL, "mark every file shown; when all are: unmark them" },
    { { '/', 0 }, "/", "filter", PA_FILTER, "show the names with the letters you type in that order, best match first" },
    { { KC(KEY_BACKSPACE), 127, 8, 'h', KC(KEY_LEFT), 0 }, "BkSp", "up", PA_PARENT, "the folder above" },
    { { 's', 0 }, "s", "sort", PA_SORT, "sort by name, then size, then date" },
    { { '.', 0 }, ".", "hidden", PA_HIDDEN, "show or hide hidden files" },
    HELP_BINDING,
    { { 'q', KC(KEY_F(10)), 0 }, "q", "quit", PA_QUIT, "quit" },
    FIND_BINDING,
    PREVIEW_BINDING,
    { { '~', 0 }, "~", NULL, PA_HOME, "your home folder" },
    { { KEY_ESC, 0 }, "Esc", NULL, PA_ESC, "clear the filter; after f: back to the folder" },
    NAV_BINDINGS,
};

static const struct binding marked_keys[] = {
    { { '\r', '\n', KC(KEY_ENTER), 0 }, "Enter", "attach marked", PA_ENTER,
      "on a file: attach the marked files; on a folder: open it" },
    { { ' ', 0 }, "Space", "mark", PA_MARK, "mark or unmark a file" },
    { { 'a', 0 }, "a", "all/none", PA_MARK_ALL, "mark every file shown; when all are: unmark them" },
    { { KEY_ESC, 0 }, "Esc", "unmark all", PA_ESC, "after f: back to the folder; else clear the "
      "filter; else unmark every file, in every folder" },
    { { '/', 0 }, "/", "filter", PA_FILTER, "show the names with the letters you type in that order, best match first" },
    FIND_BINDING,
    { { KC(KEY_BACKSPACE), 127, 8, 'h', KC(KEY_LEFT), 0 }, "BkSp", "up", PA_PARENT, "the folder above" },
    { { 's', 0 }, "s", "sort", PA_SORT, "sort by name, then size, then date" },
    HELP_BINDING,
    { { 'q', KC(KEY_F(10)), 0 }, "q", "quit", PA_QUIT, "quit" },
    { { '.', 0 }, ".", NULL, PA_HIDDEN, "show or hide hidden files" },
    { { '~', 0 }, "~", NULL, PA_HOME, "your home folder" },
    PREVIEW_BINDING,
    NAV_BINDINGS,
};

/* Typing a filter: characters and the editing keys (editkeys.c) go to the filter. */
static const struct binding filter_keys[] = {
    { { '\r', '\n', KC(KEY_ENTER), 0 }, "Enter", "keep filter", PA_F_KEEP,
      "keep the filter and go back to the list" },
    { { KEY_ESC, 0 }, "Esc", "clear filter", PA_F_CLEAR, "clear the filter; after f: back to the folder" },
    { { KC(KEY_UP), CTRL_KEY('p'), 0 }, "Up/Down", "move", PA_UP, "up a row" },
    { { KC(KEY_DOWN), CTRL_KEY('n'), 0 }, "Down", NULL, PA_DOWN, "down a row" },
    { { KC(KEY_PPAGE), 0 }, "PgUp", NULL, PA_PGUP, "a page up" },
    { { KC(KEY_NPAGE), 0 }, "PgDn", NULL, PA_PGDN, "a page down" },
    { { KC(KEY_F(1)), 0 }, "F1", "keys", KEYS_HELP, "this list of keys" },
};

#define N_OF(t) (sizeof(t) / sizeof((t)[0]))

/* Every table of the screen, for the man page's check (help.h). */
const struct help_section picker_doc[] = {
    { "File list", list_keys, N_OF(list_keys) },
    { "File list, with files marked", marked_keys, N_OF(marked_keys) },
    { "Typing a filter", filter_keys, N_OF(filter_keys) },
    { NULL, NULL, 0 },
};

const struct binding *picker_bindings(const struct app *a, size_t *n)
{
    const struct picker *p = &a->picker;
    if (p->filtering) {
        *n = N_OF(filter_keys);
        return filter_keys;
    }
    if (p->fl && fl_marked_count(p->fl) > 0) {
        *n = N_OF(marked_keys);
        return marked_keys;
    }
    *n = N_OF(list_keys);
    return list_keys;
}

/* The help screen: the list's keys, and the editing keys while typing a filter. */
size_t picker_help(const struct app *a, struct help_section *out, size_t max)
{
    if (max < 2)
        return 0;
    out[0].title = a->picker.filtering ? "Typing a filter" : "Files";
    out[0].t = picker_bindings(a, &out[0].n);
    if (!a->picker.filtering)
        return 1;
    out[1].title = "Editing the filter";
    out[1].t = editkeys_table(&out[1].n);
    return 2;
}


int picker_filter_action(int key)
{
    return keys_find(filter_keys, N_OF(filter_keys), key);
}
