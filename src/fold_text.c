/* See fold_text.h. Latin goes through fold_latin (fold.c, shared with the UI); the scripts
 * it leaves alone are handled here, one range at a time. */
#include "fold_text.h"

#include <string.h>

#include "utf8.h"
#include "xalloc.h"

/* Greek: capitals and accented letters to plain small letters. */
static uint32_t fold_greek(uint32_t c)
{
    switch (c) {
    case 0x386: case 0x3AC: return 0x3B1;   /* Ά ά → α */
    case 0x388: case 0x3AD: return 0x3B5;   /* Έ έ → ε */
    case 0x389: case 0x3AE: return 0x3B7;   /* Ή ή → η */
    case 0x38A: case 0x3AF: case 0x3AA: case 0x3CA: case 0x390: return 0x3B9;  /* ι */
    case 0x38C: case 0x3CC: return 0x3BF;   /* Ό ό → ο */
    case 0x38E: case 0x3CD: case 0x3AB: case 0x3CB: case 0x3B0: return 0x3C5;  /* υ */
    case 0x38F: case 0x3CE: return 0x3C9;   /* Ώ ώ → ω */
    case 0x3C2: return 0x3C3;               /* final sigma */
    default: break;
    }
    if (c >= 0x391 && c <= 0x3A9 && c != 0x3A2)
        return c + 32;
    return c;
}

static uint32_t fold_cyrillic(uint32_t c)
{
    if (c >= 0x410 && c <= 0x42F)
        c += 32;                            /* А..Я */
    else if (c >= 0x400 && c <= 0x40F)
        c += 80;                            /* Ѐ..Џ */
    else if ((c >= 0x460 && c <= 0x481) || (c >= 0x48A && c <= 0x4BF) ||
             (c >= 0x4D0 && c <= 0x52F))
        c |= 1;                             /* pairs: capital even, small odd */
    if (c == 0x451 || c == 0x450)
        return 0x435;                       /* ё, ѐ → е: Russians often write е for ё */
    return c;
}

/* Vietnamese (Latin Extended Additional) and the two horned letters of Latin Extended-B. */
static uint32_t fold_vietnamese(uint32_t c)
{
    if (c >= 0x1EA0 && c <= 0x1EB7) return 'a';
    if (c >= 0x1EB8 && c <= 0x1EC7) return 'e';
    if (c >= 0x1EC8 && c <= 0x1ECB) return 'i';
    if (c >= 0x1ECC && c <= 0x1EE3) return 'o';
    if (c >= 0x1EE4 && c <= 0x1EF1) return 'u';
    if (c >= 0x1EF2 && c <= 0x1EF9) return 'y';
    if (c == 0x1A0 || c == 0x1A1) return 'o';
    if (c == 0x1AF || c == 0x1B0) return 'u';
    if (c >= 0x1E00 && c <= 0x1E9F)         /* other Latin Extended Additional: lower case */
        return c | 1;
    return 0;
}

size_t fold_text_cp(uint32_t cp, uint32_t out[FOLD_MAX])
{
    if (cp >= 0x300 && cp <= 0x36F)
        return 0;                           /* combining accents */
    uint32_t v = fold_vietnamese(cp);
    if (v) {
        out[0] = v;
        return 1;
    }
    if (cp >= 0x370 && cp <= 0x3FF) {
        out[0] = fold_greek(cp);
        return 1;
    }
    if (cp >= 0x400 && cp <= 0x52F) {
        out[0] = fold_cyrillic(cp);
        return 1;
    }
    return fold_latin(cp, out);
}

char *fold_text(const char *s, size_t n)
{
    /* A folded code point never takes more bytes than it did (ß → ss: 2 → 2, Æ → ae: 2 → 2,
     * ẞ → ss: 3 → 2), so n + 1 bytes always suffice. */
    char *out = xmalloc(n + 1);
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t k = utf8_decode(s + i, n - i, &cp);
        if (k == 0) {
            out[o++] = s[i++];
            continue;
        }
        i += k;
        uint32_t f[FOLD_MAX];
        size_t m = fold_text_cp(cp, f);
        for (size_t j = 0; j < m; j++)
            o += utf8_encode(f[j], out + o);
    }
    out[o] = '\0';
    return out;
}
