/* Sanitise and fit text by display width. Everything is computed from "units": one raw
 * character (or one invalid byte) and the exact text and width it shows as, so that an
 * escape like \xff is never cut in half and text_width(raw) equals text_width(sanitised). */
#include "text.h"

#include "termsafe.h"
#include "xalloc.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

/* What marks text cut short: "…" (U+2026, one column) unless the locale cannot show it. */
static char ellipsis[8] = "\xe2\x80\xa6";
static size_t ellipsis_len = 3;
static int ellipsis_w = 1;

void text_set_ellipsis(const char *s)
{
    snprintf(ellipsis, sizeof ellipsis, "%s", s && *s ? s : "...");
    ellipsis_len = strlen(ellipsis);
    ellipsis_w = text_width(ellipsis);
}

struct unit {
    size_t len;       /* raw bytes consumed */
    const char *show; /* raw bytes when shown as they are, else esc */
    size_t show_len;
    int width;
    char esc[TS_ESC_MAX];
};

/* The unit that starts at s (n > 0): termsafe.h's, plus what the locale cannot draw
 * (wcwidth < 0: unassigned code points, say) escaped in the same notation. */
static void next_unit(const char *s, size_t n, struct unit *u)
{
    struct ts_unit t;
    ts_next(s, n, TS_ONE_LINE, &t);
    u->len = t.len;
    if (!t.esc_len) {
        int w = wcwidth((wchar_t)t.cp);
        if (w >= 0) {
            u->show = s;
            u->show_len = t.len;
            u->width = w;
            return;
        }
        t.esc_len = ts_escape_cp(t.cp, t.esc);
    }
    memcpy(u->esc, t.esc, t.esc_len + 1);
    u->show = u->esc;
    u->show_len = t.esc_len;
    u->width = (int)t.esc_len; /* escapes are ASCII: one column a byte */
}

/* What raw s[0..n) shows as: its bytes and its columns (either may be NULL). */
static void measure(const char *s, size_t n, size_t *bytes, int *width)
{
    size_t b = 0;
    int w = 0;
    for (size_t i = 0; i < n;) {
        struct unit u;
        next_unit(s + i, n - i, &u);
        b += u.show_len;
        w += u.width;
        i += u.len;
    }
    if (bytes)
        *bytes = b;
    if (width)
        *width = w;
}

/* Append the sanitised form of raw bytes s[0..len) to out at *o. */
static void put_raw(char *out, size_t *o, const char *s, size_t len)
{
    for (size_t i = 0; i < len;) {
        struct unit u;
        next_unit(s + i, len - i, &u);
        memcpy(out + *o, u.show, u.show_len);
        *o += u.show_len;
        i += u.len;
    }
}

char *text_sanitize(const char *s, size_t n)
{
    size_t len, o = 0;
    measure(s, n, &len, NULL);
    char *out = xmalloc(len + 1);
    put_raw(out, &o, s, n);
    out[o] = '\0';
    return out;
}

int text_width_n(const char *s, size_t n)
{
    int w;
    measure(s, n, NULL, &w);
    return w;
}

int text_width(const char *utf8)
{
    return text_width_n(utf8, strlen(utf8));
}

/* A cluster is one unit plus the zero-width units after it (combining marks), so that
 * fitting never separates an accent from its letter. */
struct cluster {
    size_t off, len; /* raw bytes */
    int width;
};

static struct cluster *clusters_of(const char *s, size_t n, size_t *count, int *total)
{
    struct cluster *c = xcalloc(n ? n : 1, sizeof *c);
    size_t k = 0;
    int tw = 0;
    for (size_t i = 0; i < n;) {
        struct unit u;
        next_unit(s + i, n - i, &u);
        if (u.width == 0 && k > 0) {
            c[k - 1].len += u.len;
        } else {
            c[k].off = i;
            c[k].len = u.len;
            c[k].width = u.width;
            k++;
        }
        tw += u.width;
        i += u.len;
    }
    *count = k;
    *total = tw;
    return c;
}

/* Note where a kept cluster [off, off+len) of the raw text landed, o0..o1 in the result, in
 * the spans of the raw range [m0, m1): a cluster touching it joins the span being built. */
static void note_span(struct text_spans *sp, size_t off, size_t len, size_t m0, size_t m1, size_t o0,
                      size_t o1, bool *open)
{
    bool in = m1 > m0 && off < m1 && off + len > m0;
    if (!in) {
        *open = false;
        return;
    }
    if (*open && sp->n > 0) {
        sp->end[sp->n - 1] = o1;
        return;
    }
    if (sp->n < 2) {
        sp->start[sp->n] = o0;
        sp->end[sp->n] = o1;
        sp->n++;
        *open = true;
    }
}

char *text_fit_spans(const char *s, size_t n, int width, enum text_cut cut, size_t m0, size_t mlen,
                     struct text_spans *sp)
{
    size_t count;
    int total;
    struct cluster *c = clusters_of(s, n, &count, &total);
    struct text_spans none;
    if (!sp)
        sp = &none;
    sp->n = 0;
    /* At most 4 shown bytes a raw byte: \xff for one, \u0085 for two, \U0010ffff for four. */
    char *out = xmalloc(n * 4 + ellipsis_len + 1);
    size_t o = 0, m1 = m0 + mlen;
    bool open = false;
    if (width <= 0) {
        out[0] = '\0';
        free(c);
        return out;
    }
    /* head: clusters [0, h) shown before the ellipsis; tail: [t, count) after it */
    size_t h = count, t = count;
    bool cut_here = total > width;
    if (cut_here && width < ellipsis_w) {
        /* not even the ellipsis fits: as much of it as does */
        snprintf(out, (size_t)width + 1, "%s", ellipsis);
        free(c);
        return out;
    }
    if (cut_here) {
        int avail = width - ellipsis_w;
        int used = 0;
        int head_budget = cut == TEXT_CUT_END ? avail : cut == TEXT_CUT_MIDDLE ? (avail + 1) / 2 : 0;
        h = 0;
        while (h < count && used + c[h].width <= head_budget) {
            used += c[h].width;
            h++;
        }
        /* the tail gets whatever the head left, including a column a wide character didn't use */
        while (cut != TEXT_CUT_END && t > h && used + c[t - 1].width <= avail) {
            used += c[t - 1].width;
            t--;
        }
    }
    for (size_t i = 0; i < h; i++) {
        size_t o0 = o;
        put_raw(out, &o, s + c[i].off, c[i].len);
        note_span(sp, c[i].off, c[i].len, m0, m1, o0, o, &open);
    }
    if (cut_here) {
        memcpy(out + o, ellipsis, ellipsis_len);
        o += ellipsis_len;
        open = false; /* the ellipsis is never part of a span */
    }
    for (size_t i = t; i < count; i++) {
        size_t o0 = o;
        put_raw(out, &o, s + c[i].off, c[i].len);
        note_span(sp, c[i].off, c[i].len, m0, m1, o0, o, &open);
    }
    out[o] = '\0';
    free(c);
    return out;
}

char *text_fit(const char *s, size_t n, int width, enum text_cut cut)
{
    return text_fit_spans(s, n, width, cut, 0, 0, NULL);
}

char *text_fit_around(const char *before, const char *name, const char *after, int width,
                      enum text_cut cut)
{
    before = before ? before : "";
    name = name ? name : "";
    after = after ? after : "";
    int fixed = text_width(before) + text_width(after);
    int room = width - fixed, nw = text_width(name);
    size_t bl = strlen(before), nl = strlen(name), al = strlen(after);
    if (room >= nw || room < 4) {
        /* it all fits, or not even a bit of the name would: one cut at the end, if any */
        char *all = xmalloc(bl + nl + al + 1);
        memcpy(all, before, bl);
        memcpy(all + bl, name, nl);
        memcpy(all + bl + nl, after, al + 1);
        char *f = text_fit(all, bl + nl + al, width, TEXT_CUT_END);
        free(all);
        return f;
    }
    char *b = text_sanitize(before, bl), *n = text_fit(name, nl, room, cut), *a = text_sanitize(after, al);
    size_t lb = strlen(b), ln = strlen(n), la = strlen(a);
    char *out = xmalloc(lb + ln + la + 1);
    memcpy(out, b, lb);
    memcpy(out + lb, n, ln);
    memcpy(out + lb + ln, a, la + 1);
    free(b);
    free(n);
    free(a);
    return out;
}

size_t text_col_to_byte(const char *utf8, int col)
{
    size_t n = strlen(utf8), i = 0;
    int w = 0;
    /* Walk whole characters while the next one still starts at or before col; a character
     * covering col (a wide one) is the answer, and zero-width marks stay with their base. */
    while (i < n) {
        struct unit u;
        next_unit(utf8 + i, n - i, &u);
        if (u.width > 0 && w + u.width > col)
            break;
        w += u.width;
        i += u.len;
    }
    return i;
}

void text_tilde(const char *path, const char *home, char *out, size_t outlen)
{
    size_t hl = home ? strlen(home) : 0;
    while (hl > 1 && home[hl - 1] == '/')
        hl--;
    /* Only a whole folder name matches: /home/ann is not a prefix of /home/anna. */
    if (hl > 1 && strncmp(path, home, hl) == 0 && (path[hl] == '/' || path[hl] == '\0'))
        snprintf(out, outlen, "~%s", path + hl);
    else
        snprintf(out, outlen, "%s", path);
}

static void lines_push(char ***lines, size_t *n, size_t *cap, const char *s, size_t len)
{
    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 8;
        *lines = xrealloc(*lines, *cap * sizeof **lines);
    }
    (*lines)[(*n)++] = xstrndup(s, len);
}

/* Where a word too wide for the line may break: after these, identifiers such as
 * PLATFORM.AUTHENTICATION_INVALID, URLs and paths still read well. */
static bool soft_break_after(char c)
{
    return c == '.' || c == '_' || c == '/' || c == '-' || c == ':' || c == '?' || c == '&';
}

/* Greedy wrap of one sanitised paragraph (no newlines) at spaces; a word wider than the
 * line breaks after punctuation when it can, else at a character boundary. */
static void wrap_para(const char *p, int w, char ***lines, size_t *n, size_t *cap)
{
    size_t len = strlen(p), start = 0;
    while (start < len && p[start] == ' ')
        start++;
    if (start >= len) {
        lines_push(lines, n, cap, "", 0);
        return;
    }
    while (start < len) {
        size_t cut = text_col_to_byte(p + start, w); /* bytes that fit */
        if (start + cut >= len) {
            lines_push(lines, n, cap, p + start, len - start);
            break;
        }
        size_t brk = cut;
        while (brk > 0 && p[start + brk] != ' ')
            brk--;
        if (brk == 0) {
            /* One word wider than the line: after punctuation past its first third, if any. */
            size_t soft = cut;
            while (soft > cut / 3 && !soft_break_after(p[start + soft - 1]))
                soft--;
            brk = soft > cut / 3 ? soft : (cut ? cut : 1);
        }
        size_t end = brk;
        while (end > 0 && p[start + end - 1] == ' ')
            end--;
        lines_push(lines, n, cap, p + start, end);
        start += brk;
        while (start < len && p[start] == ' ')
            start++;
    }
}

size_t text_wrap(const char *s, int w, char ***lines)
{
    size_t n = 0, cap = 0;
    *lines = NULL;
    if (w < 1)
        w = 1;
    const char *p = s ? s : "";
    for (;;) {
        const char *nl = strchr(p, '\n');
        size_t plen = nl ? (size_t)(nl - p) : strlen(p);
        char *clean = text_sanitize(p, plen);
        wrap_para(clean, w, lines, &n, &cap);
        free(clean);
        if (!nl)
            break;
        p = nl + 1;
    }
    return n;
}
