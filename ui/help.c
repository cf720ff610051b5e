/* See help.h. The text is made from the tables themselves, so a key added to a screen is
 * in its help at once, and the footer and the help can never disagree. */
#include "help.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "form.h"
#include "picker.h"
#include "progress.h"
#include "result.h"
#include "draw.h"
#include "editkeys.h"
#include "theme.h"
#include "xalloc.h"

enum help_action { HA_UP, HA_DOWN, HA_PGUP, HA_PGDN, HA_CLOSE };

static const struct binding view_keys[] = {
    { { KEY_ESC, 'q', '?', KC(KEY_F(1)), '\r', 0 }, "Esc", "close", HA_CLOSE,
      "close the help (so does any other key)" },
    { { KC(KEY_UP), 'k', 0 }, "Up/Down", "scroll", HA_UP, "scroll up" },
    { { KC(KEY_DOWN), 'j', 0 }, "Down", NULL, HA_DOWN, "scroll down" },
    { { KC(KEY_PPAGE), CTRL_KEY('u'), CTRL_KEY('b'), 0 }, "PgUp", NULL, HA_PGUP, "a page up" },
    { { KC(KEY_NPAGE), CTRL_KEY('d'), CTRL_KEY('f'), ' ', 0 }, "PgDn", NULL, HA_PGDN, "a page down" },
};

const struct binding *help_bindings(size_t *n)
{
    *n = sizeof view_keys / sizeof view_keys[0];
    return view_keys;
}

size_t help_doc(struct help_section *out, size_t max)
{
    static const struct help_section *const screens[] = { picker_doc, form_doc, progress_doc, result_doc };
    size_t k = 0;
    for (size_t i = 0; i < sizeof screens / sizeof *screens; i++)
        for (const struct help_section *s = screens[i]; s->title && k < max; s++)
            out[k++] = *s;
    if (k + 2 <= max) {
        out[k++] = (struct help_section){ "Editing a text field", NULL, 0 };
        out[k - 1].t = editkeys_table(&out[k - 1].n);
        out[k++] = (struct help_section){ "The help screen", view_keys, sizeof view_keys / sizeof view_keys[0] };
    }
    return k;
}

struct lines {
    struct help_line *v;
    size_t n, cap;
};

static void push(struct lines *l, const char *text, bool title)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 32;
        l->v = xrealloc(l->v, l->cap * sizeof *l->v);
    }
    l->v[l->n].text = xstrdup(text);
    l->v[l->n].title = title;
    l->n++;
}

/* The key column: as wide as the widest names, but at most a third of the line. */
static int key_column(const struct help_section *s, size_t n, int width)
{
    int kw = 0;
    for (size_t i = 0; i < n; i++) {
        for (size_t r = 0; r < s[i].n; r++) {
            char names[200];
            keys_row_names(&s[i].t[r], names, sizeof names);
            int w = text_width(names);
            if (w > kw)
                kw = w;
        }
    }
    return kw < width / 3 ? kw : width / 3;
}

size_t help_format(const struct help_section *s, size_t n, int width, struct help_line **out)
{
    struct lines l = { 0 };
    int kw = key_column(s, n, width);
    int indent = 2, dx = indent + kw + 2, dw = width - dx;
    for (size_t i = 0; i < n; i++) {
        if (i)
            push(&l, "", false);
        push(&l, s[i].title, true);
        for (size_t r = 0; r < s[i].n; r++) {
            const struct binding *b = &s[i].t[r];
            const char *what = b->help ? b->help : b->label;
            if (!what)
                continue;
            char names[200], line[600];
            keys_row_names(b, names, sizeof names);
            char **words;
            size_t nw = text_wrap(what, dw > 8 ? dw : 8, &words);
            /* names wider than their column get a line of their own */
            bool own = text_width(names) > kw;
            if (own) {
                snprintf(line, sizeof line, "%*s%s", indent, "", names);
                push(&l, line, false);
            }
            for (size_t k = 0; k < nw; k++) {
                snprintf(line, sizeof line, "%*s%-*s  %s", indent, "", kw,
                         k == 0 && !own ? names : "", words[k]);
                push(&l, line, false);
            }
            draw_lines_free(words, nw);
        }
    }
    *out = l.v;
    return l.n;
}

void help_lines_free(struct help_line *l, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(l[i].text);
    free(l);
}

static size_t sections(const struct app *a, struct help_section *s)
{
    const struct screen_ops *ops = app_screen(a);
    if (ops->help)
        return ops->help(a, s, HELP_SECTIONS_MAX);
    s[0].title = "Keys";
    s[0].t = ops->bindings(a, &s[0].n);
    return 1;
}

bool help_wanted(const struct app *a, int key)
{
    size_t n;
    const struct binding *t = app_screen(a)->bindings(a, &n);
    return keys_find(t, n, key) == KEYS_HELP;
}

void help_open(struct app *a)
{
    a->help.open = true;
    a->help.scroll = 0;
}

struct ui_intent help_key(struct app *a, int key)
{
    struct help_view *h = &a->help;
    int page = a->layout.body.h > 2 ? a->layout.body.h - 2 : 1;
    switch (keys_find(view_keys, sizeof view_keys / sizeof view_keys[0], key)) {
    case HA_UP: h->scroll--; break;
    case HA_DOWN: h->scroll++; break;
    case HA_PGUP: h->scroll -= page; break;
    case HA_PGDN: h->scroll += page; break;
    default:
        /* any other key closes the help and does nothing else: a key pressed to get out
         * of it must not act on the screen below */
        h->open = false;
        break;
    }
    if (h->scroll > h->max_scroll)
        h->scroll = h->max_scroll;
    if (h->scroll < 0)
        h->scroll = 0;
    return ui_intent(UI_INTENT_REDRAW);
}

void help_draw(struct app *a)
{
    struct help_view *h = &a->help;
    const struct rect *ar = &a->layout.body;
    struct help_section s[HELP_SECTIONS_MAX];
    size_t ns = sections(a, s);
    struct help_line *l;
    int w = ar->w - 2;
    size_t n = help_format(s, ns, w, &l);
    int rows = ar->h;
    h->max_scroll = (int)n > rows ? (int)n - rows : 0;
    if (h->scroll > h->max_scroll)
        h->scroll = h->max_scroll;
    for (int i = 0; i < rows && (size_t)(h->scroll + i) < n; i++) {
        const struct help_line *hl = &l[h->scroll + i];
        draw_put(ar->y + i, 1, w, hl->text, theme_attr(hl->title ? ROLE_LABEL : ROLE_NORMAL));
    }
    if (h->scroll > 0)
        draw_put(ar->y, ar->w - 1, 1, theme_glyphs()->up, theme_attr(ROLE_DIM));
    if (h->scroll < h->max_scroll)
        draw_put(ar->y + rows - 1, ar->w - 1, 1, theme_glyphs()->down, theme_attr(ROLE_DIM));
    help_lines_free(l, n);
}
