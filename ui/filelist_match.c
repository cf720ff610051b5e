/* The filter's notion of "the same letter" (see filelist_match.h). */
#include "filelist_match.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <wctype.h>

#include "filelist.h"
#include "filelist_sort.h"
#include "utf8.h"
#include "xalloc.h"

/* A UTF-8 locale for folding, whatever the user's is: under LANG=C towupper knows no Ü. */
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

/* The character at s (NUL-terminated) as the filter compares it, and its length: ASCII by
 * table, the rest as towlower(towupper()) (so ß and ſ find what their capitals find); a byte
 * that is not UTF-8 stands for itself, apart from every character. */
static uint32_t next_folded(const char *s, size_t *len)
{
    unsigned char c = (unsigned char)s[0];
    if (c < 0x80) {
        *len = 1;
        return fl_fold(c);
    }
    uint32_t cp;
    size_t l = utf8_decode(s, 4, &cp); /* stops at the NUL: it is no continuation byte */
    if (!l) {
        *len = 1;
        return 0x110000u + c;
    }
    *len = l;
    locale_t loc = fold_locale();
    wint_t w = (wint_t)cp;
    return (uint32_t)(loc ? towlower_l(towupper_l(w, loc), loc) : towlower(towupper(w)));
}

/* The filter as folded characters (*n of them; caller frees) and as their UTF-8. */
uint32_t *fl_fold_chars(const char *s, size_t *n, char **utf8)
{
    size_t len = strlen(s), k = 0, o = 0;
    uint32_t *v = xmalloc((len + 1) * sizeof *v);
    char *u = xmalloc(len * 4 + 1);
    for (size_t i = 0; i < len;) {
        size_t l;
        v[k] = next_folded(s + i, &l);
        size_t e = v[k] < 0x110000u ? utf8_encode(v[k], u + o) : 0;
        if (!e) /* an invalid byte: as it came */
            u[o++] = s[i];
        o += e;
        k++;
        i += l;
    }
    u[o] = '\0';
    *n = k;
    *utf8 = u;
    return v;
}

/* Offset of the folded characters f[0..fn) (fn > 0) in name, or -1; *mlen gets the bytes
 * they cover there. */
ptrdiff_t fl_find_folded(const char *name, const uint32_t *f, size_t fn, size_t *mlen)
{
    for (size_t i = 0; name[i];) {
        size_t l0;
        uint32_t c0 = next_folded(name + i, &l0);
        if (c0 == f[0]) {
            size_t j = i + l0, k = 1;
            while (k < fn && name[j]) {
                size_t l;
                if (next_folded(name + j, &l) != f[k])
                    break;
                j += l;
                k++;
            }
            if (k == fn) {
                if (mlen)
                    *mlen = j - i;
                return (ptrdiff_t)i;
            }
        }
        i += l0;
    }
    return -1;
}

bool fl_match(const char *name, const char *filter, size_t *off, size_t *len)
{
    if (!filter || !*filter) {
        if (off)
            *off = 0;
        if (len)
            *len = 0;
        return true;
    }
    size_t fn, mlen = 0;
    char *u;
    uint32_t *f = fl_fold_chars(filter, &fn, &u);
    ptrdiff_t at = fl_find_folded(name, f, fn, &mlen);
    free(f);
    free(u);
    if (at < 0)
        return false;
    if (off)
        *off = (size_t)at;
    if (len)
        *len = mlen;
    return true;
}

