/* fold_latin: a table of letters and what they fold into, then every code point of the
 * folded ranges folds into lower-case ASCII letters only (nothing left half-folded). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "fold.h"
#include "helpers.h"

static const struct { uint32_t cp; const char *want; } cases[] = {
    { 'a', "a" }, { 'Z', "z" }, { '7', "7" }, { '-', "-" }, { '/', "/" },
    { 0xE9, "e" },   /* é */
    { 0xC9, "e" },   /* É */
    { 0xFC, "u" },   /* ü */
    { 0xDC, "u" },   /* Ü */
    { 0x142, "l" },  /* ł */
    { 0x141, "l" },  /* Ł */
    { 0xDF, "ss" },  /* ß */
    { 0x1E9E, "ss" },/* ẞ */
    { 0xC6, "ae" },  /* Æ */
    { 0x153, "oe" }, /* œ */
    { 0xF8, "o" },   /* ø */
    { 0xFE, "th" },  /* þ */
    { 0xF1, "n" },   /* ñ */
    { 0xE7, "c" },   /* ç */
    { 0x10D, "c" },  /* č */
    { 0x159, "r" },  /* ř */
    { 0x17C, "z" },  /* ż */
    { 0x17E, "z" },  /* ž */
    { 0x15F, "s" },  /* ş */
    { 0x219, "s" },  /* ș */
    { 0x21B, "t" },  /* ț */
    { 0x131, "i" },  /* dotless ı */
    { 0x130, "i" },  /* İ */
    { 0x111, "d" },  /* đ */
    { 0x17F, "s" },  /* long s */
    { 0xFF, "y" },   /* ÿ */
    { 0x178, "y" },  /* Ÿ */
};

static void test_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint32_t out[FOLD_MAX] = { 0 };
        size_t n = fold_latin(cases[i].cp, out);
        char got[FOLD_MAX + 1] = "";
        for (size_t k = 0; k < n; k++)
            got[k] = (char)out[k];
        got[n] = '\0';
        if (strcmp(got, cases[i].want) != 0)
            fail_msg("U+%04X folds to \"%s\", want \"%s\"", (unsigned)cases[i].cp, got, cases[i].want);
    }
}

/* Characters that are not Latin letters with diacritics stay as they are. */
static void test_others_unchanged(void **state)
{
    (void)state;
    static const uint32_t same[] = { 0xD7, 0xF7, 0xB5, 0x3A9, 0x3C9, 0x416, 0x65E5, 0x1F600, 0x110041 };
    for (size_t i = 0; i < sizeof same / sizeof same[0]; i++) {
        uint32_t out[FOLD_MAX] = { 0 };
        assert_int_equal(fold_latin(same[i], out), 1);
        assert_int_equal(out[0], same[i]);
    }
}

/* Every letter of U+00C0..U+017F (× and ÷ aside) folds into lower-case ASCII letters. */
static void test_ranges_fold_to_ascii(void **state)
{
    (void)state;
    for (uint32_t cp = 0xC0; cp <= 0x17F; cp++) {
        if (cp == 0xD7 || cp == 0xF7)
            continue;
        uint32_t out[FOLD_MAX] = { 0 };
        size_t n = fold_latin(cp, out);
        assert_true(n >= 1 && n <= FOLD_MAX);
        for (size_t k = 0; k < n; k++)
            if (out[k] < 'a' || out[k] > 'z')
                fail_msg("U+%04X folds into U+%04X", (unsigned)cp, (unsigned)out[k]);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_others_unchanged),
        cmocka_unit_test(test_ranges_fold_to_ascii),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
