/* See fuzzy.h. The score is fzf's (its algorithm "v2", a Smith-Waterman-like table over
 * the part of the name between the first possible start and the last possible end), with
 * its constants, so the order feels like fzf's to someone who uses it. Names too long for
 * the table fall back to fzf's "v1": the leftmost match, shortened from the right. */
#include "fuzzy.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <wctype.h>

#include "fold.h"
#include "utf8.h"
#include "xalloc.h"

/* fzf's constants */
#define SCORE_MATCH 16
#define GAP_START 3
#define GAP_EXTENSION 1
#define BONUS_BOUNDARY 8
#define BONUS_WHITE 10          /* after a space: a new word for sure */
#define BONUS_DELIMITER 9       /* after a slash: a new path component */
#define BONUS_CAMEL 7           /* fooBar, file2 */
#define BONUS_CONSECUTIVE 4     /* = GAP_START + GAP_EXTENSION: a run is never worth less than a gap */
#define FIRST_CHAR_MULTIPLIER 2

/* More cells than this (pattern letters x name window) use the quick match. */
#define CELLS_MAX 65536
#define NEG (INT32_MIN / 2)

enum cls { CLS_WHITE, CLS_NONWORD, CLS_DELIM, CLS_LOWER, CLS_UPPER, CLS_LETTER, CLS_DIGIT };

/* One folded character of a name: what it compares as, where its raw bytes are, and the
 * bonus a match on it earns. */
struct fz_char {
    uint32_t c;
    uint32_t off;
    uint16_t len;
    int16_t bonus;
};

struct fz_pattern {
    uint32_t *pc;
    size_t pn;
    struct fz_char *t;      /* the name being matched, folded */
    size_t tcap;
    int32_t *m;             /* best score with pattern letter i on name character j */
    int16_t *from;          /* where letter i-1 was for that score */
    uint8_t *run_bonus;     /* the bonus of the first letter of the run it ends */
    size_t cellcap;
};

/* A UTF-8 locale for case folding other scripts whatever the user's is: under LANG=C
 * towupper knows no Ω. */
static locale_t fold_locale(void)
{
    static locale_t loc;
    static bool tried;
    if (!tried) {
        tried = true;
        loc = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
    }
    return loc;
}

static enum cls class_of(uint32_t cp, bool valid)
{
    if (!valid)
        return CLS_NONWORD;
    if (cp < 0x80) {
        if (cp == ' ' || cp == '\t')
            return CLS_WHITE;
        if (cp == '/')
            return CLS_DELIM;
        if (cp >= 'a' && cp <= 'z')
            return CLS_LOWER;
        if (cp >= 'A' && cp <= 'Z')
            return CLS_UPPER;
        if (cp >= '0' && cp <= '9')
            return CLS_DIGIT;
        return CLS_NONWORD;
    }
    locale_t loc = fold_locale();
    wint_t w = (wint_t)cp;
    if (!loc)
        return CLS_LETTER;
    if (iswupper_l(w, loc))
        return CLS_UPPER;
    if (iswlower_l(w, loc))
        return CLS_LOWER;
    if (iswalnum_l(w, loc))
        return CLS_LETTER;
    if (iswspace_l(w, loc))
        return CLS_WHITE;
    return CLS_NONWORD;
}

/* fzf's bonus for matching a character of class c right after one of class prev. */
static int bonus_for(enum cls prev, enum cls c)
{
    if (c > CLS_DELIM) {
        if (prev == CLS_WHITE)
            return BONUS_WHITE;
        if (prev == CLS_DELIM)
            return BONUS_DELIMITER;
        if (prev == CLS_NONWORD)
            return BONUS_BOUNDARY;
    }
    if ((prev == CLS_LOWER && c == CLS_UPPER) || (prev != CLS_DIGIT && c == CLS_DIGIT))
        return BONUS_CAMEL;
    if (c == CLS_NONWORD || c == CLS_DELIM)
        return BONUS_BOUNDARY;
    if (c == CLS_WHITE)
        return BONUS_WHITE;
    return 0;
}

/* The character at s as matching compares it (up to FOLD_MAX code points into out) and its
 * length in bytes; *valid false for a byte that is no UTF-8, which stands for itself. */
static size_t fold_at(const char *s, size_t *len, uint32_t out[FOLD_MAX], uint32_t *raw, bool *valid)
{
    unsigned char c = (unsigned char)s[0];
    *valid = true;
    if (c < 0x80) {
        *len = 1;
        *raw = c;
        out[0] = c >= 'A' && c <= 'Z' ? c + 32u : c;
        return 1;
    }
    uint32_t cp;
    size_t l = utf8_decode(s, 4, &cp); /* stops at the NUL: it is no continuation byte */
    if (!l) {
        *len = 1;
        *raw = c;
        *valid = false;
        out[0] = 0x110000u + c; /* apart from every character */
        return 1;
    }
    *len = l;
    *raw = cp;
    size_t n = fold_latin(cp, out);
    if (n == 1 && out[0] == cp) {
        /* not a Latin letter: the case of any script, then Latin again (Ǆ, say) */
        locale_t loc = fold_locale();
        wint_t w = (wint_t)cp;
        uint32_t lc = (uint32_t)(loc ? towlower_l(towupper_l(w, loc), loc) : towlower(towupper(w)));
        n = fold_latin(lc, out);
    }
    return n;
}

struct fz_pattern *fz_new(const char *pattern)
{
    struct fz_pattern *p = xcalloc(1, sizeof *p);
    size_t len = strlen(pattern);
    p->pc = xmalloc((len * FOLD_MAX + 1) * sizeof *p->pc);
    for (size_t i = 0; i < len;) {
        size_t l;
        uint32_t out[FOLD_MAX], raw;
        bool valid;
        size_t n = fold_at(pattern + i, &l, out, &raw, &valid);
        for (size_t k = 0; k < n; k++)
            if (out[k] != ' ') /* a space in what is typed separates nothing: skip it, as fzf's words */
                p->pc[p->pn++] = out[k];
        i += l;
    }
    return p;
}

void fz_free(struct fz_pattern *p)
{
    if (!p)
        return;
    free(p->pc);
    free(p->t);
    free(p->m);
    free(p->from);
    free(p->run_bonus);
    free(p);
}

size_t fz_len(const struct fz_pattern *p)
{
    return p->pn;
}

bool fz_narrows(const struct fz_pattern *narrower, const struct fz_pattern *wider)
{
    size_t k = 0;
    for (size_t i = 0; i < narrower->pn && k < wider->pn; i++)
        if (narrower->pc[i] == wider->pc[k])
            k++;
    return k == wider->pn;
}

/* Fold name into p->t; returns its length in folded characters. */
static size_t fold_name(struct fz_pattern *p, const char *name)
{
    size_t len = strlen(name);
    size_t need = len * FOLD_MAX;
    if (need > p->tcap) {
        p->tcap = need < 64 ? 64 : need;
        p->t = xrealloc(p->t, p->tcap * sizeof *p->t);
    }
    size_t n = 0;
    enum cls prev = CLS_WHITE; /* the start of a name is the start of a word */
    for (size_t i = 0; i < len;) {
        unsigned char a = (unsigned char)name[i];
        if (a < 0x80) {
            enum cls c = class_of(a, true);
            p->t[n++] = (struct fz_char){ a >= 'A' && a <= 'Z' ? a + 32u : a, (uint32_t)i, 1,
                                          (int16_t)bonus_for(prev, c) };
            prev = c;
            i++;
            continue;
        }
        size_t l;
        uint32_t out[FOLD_MAX], raw;
        bool valid;
        size_t k = fold_at(name + i, &l, out, &raw, &valid);
        enum cls c = class_of(raw, valid);
        int b = bonus_for(prev, c);
        for (size_t j = 0; j < k; j++) {
            /* the second letter of ß's "ss" follows the first: no new word */
            p->t[n++] = (struct fz_char){ out[j], (uint32_t)i, (uint16_t)l, (int16_t)(j ? 0 : b) };
        }
        prev = c;
        i += l;
    }
    return n;
}

/* The score of the pattern's letters at positions pos[0..pn) of t, by the same rules as
 * the table (for the quick match). */
static int score_positions(const struct fz_pattern *p, const size_t *pos)
{
    int score = 0, run_b = 0;
    for (size_t i = 0; i < p->pn; i++) {
        int b = p->t[pos[i]].bonus;
        if (i == 0) {
            score += SCORE_MATCH + b * FIRST_CHAR_MULTIPLIER;
            run_b = b;
        } else if (pos[i] == pos[i - 1] + 1) {
            if (b >= BONUS_BOUNDARY && b > run_b)
                run_b = b;
            int bb = b > run_b ? b : run_b;
            score += SCORE_MATCH + (bb > BONUS_CONSECUTIVE ? bb : BONUS_CONSECUTIVE);
        } else {
            size_t gap = pos[i] - pos[i - 1] - 1;
            score += SCORE_MATCH + b - GAP_START - (int)(gap - 1) * GAP_EXTENSION;
            run_b = b;
        }
    }
    return score;
}

/* The leftmost match, then from its end backwards the latest start: a short match near the
 * start. pos gets the positions. */
static void quick_positions(const struct fz_pattern *p, size_t tn, size_t *pos)
{
    size_t k = 0, end = 0;
    for (size_t j = 0; j < tn && k < p->pn; j++)
        if (p->t[j].c == p->pc[k] && ++k == p->pn)
            end = j;
    k = p->pn;
    for (size_t j = end + 1; j-- > 0 && k > 0;)
        if (p->t[j].c == p->pc[k - 1])
            pos[--k] = j;
}

static void grow_cells(struct fz_pattern *p, size_t cells)
{
    if (cells <= p->cellcap)
        return;
    p->cellcap = cells;
    p->m = xrealloc(p->m, cells * sizeof *p->m);
    p->from = xrealloc(p->from, cells * sizeof *p->from);
    p->run_bonus = xrealloc(p->run_bonus, cells * sizeof *p->run_bonus);
}

/* The table over t[lo..lo+w): the best score, positions into pos (relative to t). */
static int best_positions(struct fz_pattern *p, size_t lo, size_t w, size_t *pos)
{
    size_t pn = p->pn;
    grow_cells(p, pn * w);
    const struct fz_char *t = p->t + lo;
    for (size_t i = 0; i < pn; i++) {
        int32_t *row = p->m + i * w;
        const int32_t *up = i ? p->m + (i - 1) * w : NULL;
        int32_t gap = NEG;   /* best up[k] - gap penalty, over k <= j - 2 */
        int gap_k = -1;
        for (size_t j = 0; j < w; j++) {
            size_t cell = i * w + j;
            if (up) {
                if (gap > NEG)
                    gap -= GAP_EXTENSION;
                if (j >= 2 && up[j - 2] > NEG && up[j - 2] - GAP_START > gap) {
                    gap = up[j - 2] - GAP_START;
                    gap_k = (int)j - 2;
                }
            }
            if (t[j].c != p->pc[i]) {
                row[j] = NEG;
                continue;
            }
            int b = t[j].bonus;
            if (!up) {
                row[j] = SCORE_MATCH + b * FIRST_CHAR_MULTIPLIER;
                p->from[cell] = -1;
                p->run_bonus[cell] = (uint8_t)b;
                continue;
            }
            int32_t s_gap = gap > NEG ? gap + SCORE_MATCH + b : NEG, s_run = NEG;
            int rb = b;
            if (j >= 1 && up[j - 1] > NEG) {
                rb = p->run_bonus[cell - w - 1];
                if (b >= BONUS_BOUNDARY && b > rb)
                    rb = b;
                int bb = b > rb ? b : rb;
                s_run = up[j - 1] + SCORE_MATCH + (bb > BONUS_CONSECUTIVE ? bb : BONUS_CONSECUTIVE);
            }
            if (s_run > NEG && s_run >= s_gap) {
                row[j] = s_run;
                p->from[cell] = (int16_t)(j - 1);
                p->run_bonus[cell] = (uint8_t)rb;
            } else if (s_gap > NEG) {
                row[j] = s_gap;
                p->from[cell] = (int16_t)gap_k;
                p->run_bonus[cell] = (uint8_t)b;
            } else {
                row[j] = NEG;
            }
        }
    }
    const int32_t *last = p->m + (pn - 1) * w;
    int best = NEG;
    size_t bj = 0;
    for (size_t j = 0; j < w; j++)
        if (last[j] > best) {
            best = last[j];
            bj = j;
        }
    for (size_t i = pn; i-- > 0;) {
        pos[i] = lo + bj;
        if (i)
            bj = (size_t)p->from[i * w + bj];
    }
    return best;
}

static void fill_hits(const struct fz_pattern *p, const size_t *pos, struct fz_hits *h)
{
    h->n = 0;
    size_t end = 0;
    for (size_t i = 0; i < p->pn; i++) {
        const struct fz_char *c = &p->t[pos[i]];
        if (h->n && c->off < end)
            continue; /* the second s of ß: the same raw character */
        if (h->n && c->off == end) {
            h->len[h->n - 1] += c->len;
        } else if (h->n < FZ_HITS_MAX) {
            h->off[h->n] = c->off;
            h->len[h->n] = c->len;
            h->n++;
        } else {
            break; /* the rest stays plain: highlighting is a help, not the match */
        }
        end = c->off + c->len;
    }
}

/* One ASCII letter typed (the first key, the costliest: it scans every name) against an
 * ASCII name: the match, its best place (the highest bonus, the first such) and the score,
 * in one pass with no table; as the general path would say. 0 no match, 1 a match, -1 the
 * name is not ASCII (the general path decides). */
static int match_one_ascii(const struct fz_pattern *p, const char *name, int *score,
                           struct fz_hits *hits)
{
    uint32_t want = p->pc[0];
    enum cls prev = CLS_WHITE; /* the start of a name is the start of a word */
    int best_b = -1;
    size_t best = 0;
    for (size_t i = 0; name[i]; i++) {
        unsigned char a = (unsigned char)name[i];
        if (a >= 0x80)
            return -1;
        enum cls c = class_of(a, true);
        if ((a >= 'A' && a <= 'Z' ? a + 32u : a) == want) {
            int b = bonus_for(prev, c);
            if (b > best_b) {
                best_b = b;
                best = i;
            }
        }
        prev = c;
    }
    if (best_b < 0)
        return 0;
    if (score)
        *score = SCORE_MATCH + best_b * FIRST_CHAR_MULTIPLIER;
    if (hits) {
        hits->off[0] = best;
        hits->len[0] = 1;
        hits->n = 1;
    }
    return 1;
}

bool fz_match(struct fz_pattern *p, const char *name, int *score, struct fz_hits *hits)
{
    if (hits)
        hits->n = 0;
    if (score)
        *score = 0;
    if (p->pn == 0)
        return true;
    if (p->pn == 1 && p->pc[0] < 0x80 && (score || hits)) {
        int r = match_one_ascii(p, name, score, hits);
        if (r >= 0)
            return r == 1;
    }
    /* cheap test first: most names of a folder fail here, with no table */
    const char *s = name;
    size_t k = 0;
    for (; *s && k < p->pn;) {
        unsigned char c = (unsigned char)*s;
        if (c < 0x80) { /* most names are ASCII: no call per byte */
            if ((c >= 'A' && c <= 'Z' ? c + 32u : c) == p->pc[k])
                k++;
            s++;
            continue;
        }
        size_t l;
        uint32_t out[FOLD_MAX], raw;
        bool valid;
        size_t n = fold_at(s, &l, out, &raw, &valid);
        for (size_t j = 0; j < n && k < p->pn; j++)
            if (out[j] == p->pc[k])
                k++;
        s += l;
    }
    if (k < p->pn)
        return false;
    if (!score && !hits)
        return true;
    size_t tn = fold_name(p, name);
    /* the window: from the first place the first letter can go to the last place the last
     * one can */
    size_t lo = 0, hi = tn;
    while (lo < tn && p->t[lo].c != p->pc[0])
        lo++;
    while (hi > lo && p->t[hi - 1].c != p->pc[p->pn - 1])
        hi--;
    size_t w = hi - lo;
    size_t stack_pos[64];
    size_t *pos = p->pn <= 64 ? stack_pos : xmalloc(p->pn * sizeof *pos);
    int sc;
    if (p->pn == 1) {
        /* one letter: its best place is where the bonus is highest (the first such) */
        size_t best = lo;
        for (size_t j = lo; j < hi; j++)
            if (p->t[j].c == p->pc[0] && p->t[j].bonus > p->t[best].bonus)
                best = j;
        pos[0] = best;
        sc = score_positions(p, pos);
    } else if (w > INT16_MAX || p->pn * w > CELLS_MAX) {
        quick_positions(p, tn, pos);
        sc = score_positions(p, pos);
    } else {
        sc = best_positions(p, lo, w, pos);
    }
    if (score)
        *score = sc;
    if (hits)
        fill_hits(p, pos, hits);
    if (pos != stack_pos)
        free(pos);
    return true;
}
