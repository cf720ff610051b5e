/* Case folding for the mock's name and e-mail filters: Kombo compares them
 * case-insensitively, and the people in an ATS are called Łukasz, ÉLODIE or Ἀλέξανδρος.
 * Simple (one to one) folds of the scripts names mostly come in: Latin-1, Latin
 * Extended-A, Latin Extended Additional (Vietnamese), Greek and Cyrillic. Not folded: full
 * folds that change the length (ß is not "ss"), Armenian, Georgian, Cherokee and the rest;
 * those compare exactly. Invalid UTF-8 bytes stand for themselves, so any bytes compare. */
#include "mock_data.h"

#include "utf8.h"

#include <string.h>

/* Pairs of the form upper = even, lower = odd (or the other way) in [lo, hi]. */
static uint32_t fold_pairs(uint32_t c, uint32_t lo, uint32_t hi, bool upper_even)
{
    if (c < lo || c > hi)
        return 0;
    bool even = (c & 1) == 0;
    return even == upper_even ? c + 1 : c;
}

static uint32_t fold_cp(uint32_t c)
{
    uint32_t f;
    if (c < 0x80)
        return c >= 'A' && c <= 'Z' ? c + 32 : c;
    if (c >= 0xC0 && c <= 0xDE && c != 0xD7)
        return c + 32;
    if (c == 0x178)
        return 0xFF;                 /* Ÿ */
    if (c == 0x130)
        return 'i';                  /* İ: its simple fold drops the dot */
    if (c == 0x17F)
        return 's';                  /* long s */
    if ((f = fold_pairs(c, 0x100, 0x137, true)) || (f = fold_pairs(c, 0x139, 0x148, false)) ||
        (f = fold_pairs(c, 0x14A, 0x177, true)) || (f = fold_pairs(c, 0x179, 0x17E, false)))
        return f;
    if (c >= 0x391 && c <= 0x3AB && c != 0x3A2)
        return c + 32;               /* Greek capitals, with dialytika */
    if (c == 0x3C2)
        return 0x3C3;                /* final sigma folds to sigma */
    if (c == 0x386)
        return 0x3AC;
    if (c >= 0x388 && c <= 0x38A)
        return c + 37;
    if (c == 0x38C)
        return 0x3CC;
    if (c == 0x38E || c == 0x38F)
        return c + 63;
    if (c >= 0x410 && c <= 0x42F)
        return c + 32;               /* Cyrillic А..Я */
    if (c >= 0x400 && c <= 0x40F)
        return c + 80;               /* Ѐ..Џ */
    if ((f = fold_pairs(c, 0x460, 0x481, true)) || (f = fold_pairs(c, 0x48A, 0x4BF, true)) ||
        (f = fold_pairs(c, 0x4D0, 0x52F, true)))
        return f;
    if ((f = fold_pairs(c, 0x1E00, 0x1E95, true)) || (f = fold_pairs(c, 0x1EA0, 0x1EFF, true)))
        return f;
    return c;
}

uint32_t mock_fold_next(const char **p, const char *end)
{
    uint32_t cp;
    size_t k = utf8_decode(*p, (size_t)(end - *p), &cp);
    if (k == 0) {
        /* A lone byte: outside Unicode's range, so it never equals a real character. */
        cp = 0x110000u + (unsigned char)**p;
        *p += 1;
        return cp;
    }
    *p += k;
    return fold_cp(cp);
}

uint64_t mock_fold_hash(const char *s, size_t n, bool fold)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    const char *p = s, *end = s + n;
    while (p < end) {
        uint32_t c = fold ? mock_fold_next(&p, end) : (unsigned char)*p++;
        for (int i = 0; i < 3; i++) {
            h ^= (c >> (8 * i)) & 0xFF;
            h *= 0x100000001b3ULL;
        }
    }
    return h;
}

bool mock_fold_equal(const char *a, size_t an, const char *b, size_t bn, bool fold)
{
    if (!fold)
        return an == bn && memcmp(a, b, an) == 0;
    const char *ae = a + an, *be = b + bn;
    while (a < ae && b < be)
        if (mock_fold_next(&a, ae) != mock_fold_next(&b, be))
            return false;
    return a == ae && b == be;
}
