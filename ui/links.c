/* See links.h. */
#include "links.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base64.h"

void links_env_now(struct link_env *e)
{
    e->term = getenv("TERM");
    e->term_program = getenv("TERM_PROGRAM");
    e->term_program_version = getenv("TERM_PROGRAM_VERSION");
    e->vte_version = getenv("VTE_VERSION");
    e->wt_session = getenv("WT_SESSION");
    e->tmux = getenv("TMUX");
    e->override = getenv("KOMBO_ATTACH_LINKS");
}

static bool starts(const char *s, const char *p)
{
    return s && strncmp(s, p, strlen(p)) == 0;
}

static bool is(const char *s, const char *v)
{
    return s && strcmp(s, v) == 0;
}

/* Terminals that would print an escape they do not know. */
static bool plain_term(const char *t)
{
    return !t || !*t || is(t, "dumb") || starts(t, "linux") || starts(t, "vt") || starts(t, "cons") ||
           starts(t, "ansi");
}

/* "3.4", "3.3a", "next-3.5": at least major.minor? */
static bool version_at_least(const char *v, int major, int minor)
{
    if (!v)
        return false;
    while (*v && (*v < '0' || *v > '9'))
        v++;
    int ma = 0, mi = 0;
    if (sscanf(v, "%d.%d", &ma, &mi) < 1)
        return false;
    return ma > major || (ma == major && mi >= minor);
}

bool links_osc8_ok(const struct link_env *e)
{
    if (is(e->override, "1"))
        return true;
    if (is(e->override, "0") || plain_term(e->term))
        return false;
    if (e->tmux && *e->tmux)
        return is(e->term_program, "tmux") && version_at_least(e->term_program_version, 3, 4);
    if (starts(e->term, "screen"))
        return false;
    if (e->vte_version && atoi(e->vte_version) >= 5000)
        return true;
    if (is(e->term_program, "iTerm.app") || is(e->term_program, "WezTerm") ||
        is(e->term_program, "vscode") || is(e->term_program, "ghostty"))
        return true;
    if (e->wt_session && *e->wt_session)
        return true;
    return is(e->term, "xterm-kitty") || starts(e->term, "foot") || starts(e->term, "alacritty") ||
           starts(e->term, "wezterm") || is(e->term, "xterm-ghostty");
}

bool links_osc52_ok(const struct link_env *e)
{
    if (is(e->override, "0"))
        return false;
    return !plain_term(e->term);
}

bool links_url_safe(const char *url)
{
    if (!url || !*url || strlen(url) >= LINKS_URL_MAX)
        return false;
    for (const unsigned char *p = (const unsigned char *)url; *p; p++)
        if (*p <= 0x20 || *p >= 0x7f)
            return false;
    return true;
}

void links_clear(struct links *l)
{
    l->n = 0;
}

void links_add(struct links *l, int y, int x, const char *url)
{
    if (l->n >= LINKS_MAX || !links_url_safe(url) || y < 0 || x < 0)
        return;
    struct link_spot *s = &l->spots[l->n++];
    s->y = y;
    s->x = x;
    snprintf(s->url, sizeof s->url, "%s", url);
}

size_t links_osc52(const char *text, char *out, size_t len)
{
    size_t n = strlen(text);
    size_t need = 7 + (size_t)b64_encoded_len(n) + 2;
    if (need + 1 > len)
        return 0;
    memcpy(out, "\033]52;c;", 7);
    size_t k = 7 + b64_encode((const unsigned char *)text, n, out + 7);
    memcpy(out + k, "\033\\", 2);
    k += 2;
    out[k] = '\0';
    return k;
}

size_t links_render(const struct links *l, bool osc8, bool osc52, char *out, size_t len)
{
    size_t k = 0;
    out[0] = '\0';
    for (size_t i = 0; osc8 && i < l->n; i++) {
        const struct link_spot *s = &l->spots[i];
        /* DECSC, the cursor to the URL's first cell, the URL again inside the link (the
         * same characters curses drew there, so its picture of the screen stays true),
         * DECRC. curses leaves the attributes normal after each refresh. */
        int w = snprintf(out + k, len - k, "\0337\033[%d;%dH\033]8;;%s\033\\%s\033]8;;\033\\\0338",
                         s->y + 1, s->x + 1, s->url, s->url);
        if (w < 0 || (size_t)w >= len - k) {
            out[k] = '\0';
            return k;
        }
        k += (size_t)w;
    }
    if (osc52 && l->copy[0])
        k += links_osc52(l->copy, out + k, len - k);
    return k;
}
