/* utf8_valid: a table of named cases, then every 1-, 2- and 3-byte sequence and a wide
 * sweep of 4-byte ones against a naive decoder written from the definition. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "helpers.h"
#include "utf8.h"

static const struct { const char *s; size_t n; bool ok; const char *what; } cases[] = {
    { "", 0, true, "empty" },
    { "Resume.pdf", 10, true, "ASCII" },
    { "a\0b", 3, true, "NUL is a character" },
    { "\xc3\xa9", 2, true, "U+00E9" },
    { "\xe6\x97\xa5\xe6\x9c\xac", 6, true, "CJK" },
    { "\xf0\x9f\x98\x80", 4, true, "emoji U+1F600" },
    { "\xc2\x80", 2, true, "U+0080 lowest 2-byte" },
    { "\xe0\xa0\x80", 3, true, "U+0800 lowest 3-byte" },
    { "\xed\x9f\xbf", 3, true, "U+D7FF below surrogates" },
    { "\xee\x80\x80", 3, true, "U+E000 above surrogates" },
    { "\xef\xbf\xbf", 3, true, "U+FFFF" },
    { "\xf0\x90\x80\x80", 4, true, "U+10000 lowest 4-byte" },
    { "\xf4\x8f\xbf\xbf", 4, true, "U+10FFFF highest" },
    { "\x80", 1, false, "lone continuation" },
    { "\xbf", 1, false, "lone continuation" },
    { "\xc0\x80", 2, false, "overlong NUL" },
    { "\xc1\xbf", 2, false, "overlong 2-byte" },
    { "\xe0\x80\x80", 3, false, "overlong 3-byte" },
    { "\xe0\x9f\xbf", 3, false, "overlong 3-byte, top" },
    { "\xf0\x80\x80\x80", 4, false, "overlong 4-byte" },
    { "\xf0\x8f\xbf\xbf", 4, false, "overlong 4-byte, top" },
    { "\xed\xa0\x80", 3, false, "surrogate U+D800" },
    { "\xed\xbf\xbf", 3, false, "surrogate U+DFFF" },
    { "\xf4\x90\x80\x80", 4, false, "U+110000" },
    { "\xf5\x80\x80\x80", 4, false, "lead F5" },
    { "\xf8\x88\x80\x80\x80", 5, false, "5-byte form" },
    { "\xfe", 1, false, "FE" },
    { "\xff", 1, false, "FF" },
    { "\xc3", 1, false, "truncated 2-byte" },
    { "\xe6\x97", 2, false, "truncated 3-byte" },
    { "\xf0\x9f\x98", 3, false, "truncated 4-byte" },
    { "ok\xf0\x9f", 4, false, "truncated at the end" },
    { "\xc3(", 2, false, "bad continuation" },
    { "\xe6(\xa5", 3, false, "bad 2nd of 3" },
    { "\xe6\x97(", 3, false, "bad 3rd of 3" },
    { "\xf0\x9f\x98(", 4, false, "bad 4th of 4" },
    { "\xc3\xa9\xc3", 3, false, "good then truncated" },
};

static void test_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        if (utf8_valid(cases[i].s, cases[i].n) != cases[i].ok)
            fail_msg("case %zu (%s): expected %s", i, cases[i].what,
                     cases[i].ok ? "valid" : "invalid");
}

/* Naive reference for one complete sequence of n bytes: decode by the bit patterns, then
 * require the shortest form, no surrogate and at most U+10FFFF. */
static bool ref_valid_one(const unsigned char *b, size_t n)
{
    static const uint32_t min_cp[5] = { 0, 0, 0x80, 0x800, 0x10000 };
    size_t len = b[0] < 0x80 ? 1 : (b[0] & 0xe0) == 0xc0 ? 2 : (b[0] & 0xf0) == 0xe0 ? 3
               : (b[0] & 0xf8) == 0xf0 ? 4 : 0;
    if (len != n)
        return false;
    uint32_t cp = len == 1 ? b[0] : b[0] & (0x7f >> len);
    for (size_t i = 1; i < len; i++) {
        if ((b[i] & 0xc0) != 0x80)
            return false;
        cp = cp << 6 | (b[i] & 0x3f);
    }
    return cp >= min_cp[len] && !(cp >= 0xd800 && cp <= 0xdfff) && cp <= 0x10ffff;
}

static void check_seq(const unsigned char *b, size_t n)
{
    bool want = ref_valid_one(b, n);
    if (utf8_valid((const char *)b, n) != want)
        fail_msg("%02x %02x %02x %02x (n=%zu): expected %s", b[0], n > 1 ? b[1] : 0,
                 n > 2 ? b[2] : 0, n > 3 ? b[3] : 0, n, want ? "valid" : "invalid");
}

static void test_exhaustive_short(void **state)
{
    (void)state;
    unsigned char b[4];
    /* Every byte alone; then every pair and triple after a lead byte (with a lead, a
     * valid string of that length must be one sequence, so the reference applies). */
    for (unsigned x = 0; x < 0x100; x++) {
        b[0] = (unsigned char)x;
        check_seq(b, 1);
    }
    for (unsigned x = 0xc0; x < 0x100; x++)
        for (unsigned y = 0; y < 0x100; y++) {
            b[0] = (unsigned char)x;
            b[1] = (unsigned char)y;
            check_seq(b, 2);
            for (unsigned z = 0; z < 0x100 && x >= 0xe0; z++) {
                b[2] = (unsigned char)z;
                check_seq(b, 3);
            }
        }
}

static void test_four_byte_sweep(void **state)
{
    (void)state;
    static const unsigned char tails[] = { 0x00, 0x41, 0x7f, 0x80, 0x9f, 0xa0, 0xbf, 0xc0, 0xff };
    unsigned char b[4];
    for (unsigned x = 0xf0; x < 0x100; x++)
        for (unsigned y = 0; y < 0x100; y++)
            for (size_t i = 0; i < sizeof tails; i++)
                for (size_t j = 0; j < sizeof tails; j++) {
                    b[0] = (unsigned char)x;
                    b[1] = (unsigned char)y;
                    b[2] = tails[i];
                    b[3] = tails[j];
                    check_seq(b, 4);
                }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_exhaustive_short),
        cmocka_unit_test(test_four_byte_sweep),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
