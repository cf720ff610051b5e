/* Unit tests for src/termsafe.c: what is kept, what is escaped and how, units, the
 * multi-line form, and every code point against the promise. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "termsafe.h"
#include "utf8.h"

struct esc_case {
    const char *in;
    size_t n; /* 0 = strlen(in) */
    unsigned flags;
    const char *out;
};

static void test_escape_table(void **state)
{
    (void)state;
    static const struct esc_case cases[] = {
        {"", 0, TS_ONE_LINE, ""},
        {"plain text", 0, TS_ONE_LINE, "plain text"},
        {"caf\xc3\xa9 \xe2\x82\xac \xe5\xb1\xa5\xe6\xad\xb4 \xf0\x9f\x98\x80", 0, TS_ONE_LINE,
         "caf\xc3\xa9 \xe2\x82\xac \xe5\xb1\xa5\xe6\xad\xb4 \xf0\x9f\x98\x80"},  /* kept */
        {"nbsp\xc2\xa0", 0, TS_ONE_LINE, "nbsp\xc2\xa0"},                 /* U+00A0 is text */
        {"e\xcc\x81", 0, TS_ONE_LINE, "e\xcc\x81"},                       /* combining mark */
        {"a\nb\rc\td", 0, TS_ONE_LINE, "a\\nb\\rc\\td"},
        {"a\nb\rc\td", 0, TS_KEEP_NEWLINES, "a\nb\\rc\\td"},
        {"\x1b[2J\x1b]0;title\x07", 0, TS_ONE_LINE, "\\x1b[2J\\x1b]0;title\\x07"},
        {"del\x7f", 0, TS_ONE_LINE, "del\\x7f"},
        {"nul\0after", 9, TS_ONE_LINE, "nul\\x00after"},
        {"\xc2\x85" "nel", 0, TS_ONE_LINE, "\\u0085nel"},                /* C1 NEL */
        {"csi\xc2\x9b" "31m", 0, TS_ONE_LINE, "csi\\u009b31m"},           /* C1 CSI */
        {"rtl\xe2\x80\xaetxt", 0, TS_ONE_LINE, "rtl\\u202etxt"},           /* RLO */
        {"\xe2\x80\xaa\xe2\x80\xab\xe2\x80\xac\xe2\x80\xad", 0, TS_ONE_LINE,
         "\\u202a\\u202b\\u202c\\u202d"},                                  /* embeddings */
        {"\xe2\x81\xa6\xe2\x81\xa7\xe2\x81\xa8\xe2\x81\xa9", 0, TS_ONE_LINE,
         "\\u2066\\u2067\\u2068\\u2069"},                                  /* isolates */
        {"\xe2\x80\x8e\xe2\x80\x8f\xd8\x9c", 0, TS_ONE_LINE, "\\u200e\\u200f\\u061c"}, /* marks */
        {"zw\xe2\x80\x8bsp\xe2\x80\x8cnj\xe2\x80\x8dj", 0, TS_ONE_LINE,
         "zw\\u200bsp\\u200cnj\\u200dj"},                                  /* zero width */
        {"wj\xe2\x81\xa0" "bom\xef\xbb\xbf", 0, TS_ONE_LINE, "wj\\u2060bom\\ufeff"},
        {"ls\xe2\x80\xa8ps\xe2\x80\xa9", 0, TS_KEEP_NEWLINES, "ls\\u2028ps\\u2029"},
        {"bad\xff", 0, TS_ONE_LINE, "bad\\xff"},
        {"trunc\xc3", 0, TS_ONE_LINE, "trunc\\xc3"},
        {"\xc3(", 0, TS_ONE_LINE, "\\xc3("},
        {"\xc0\xaf", 0, TS_ONE_LINE, "\\xc0\\xaf"},                       /* overlong '/' */
        {"\xed\xa0\x80", 0, TS_ONE_LINE, "\\xed\\xa0\\x80"},              /* surrogate */
        {"\xf4\x90\x80\x80", 0, TS_ONE_LINE, "\\xf4\\x90\\x80\\x80"},       /* > U+10FFFF */
        {"\xe2\x82", 0, TS_ONE_LINE, "\\xe2\\x82"},                       /* cut sequence */
        {"back\\slash \\x41", 0, TS_ONE_LINE, "back\\slash \\x41"},        /* not escaped */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const struct esc_case *c = &cases[i];
        size_t n = c->n ? c->n : strlen(c->in);
        char *got = ts_escape(c->in, n, c->flags);
        assert_non_null(got);
        if (strcmp(got, c->out) != 0)
            fail_msg("case %zu: got \"%s\", want \"%s\"", i, got, c->out);
        assert_int_equal(ts_escaped_len(c->in, n, c->flags), strlen(got));
        /* escaping twice changes nothing: the result holds only safe text */
        char *again = ts_escape(got, strlen(got), c->flags);
        assert_string_equal(again, got);
        free(again);
        free(got);
    }
}

struct unit_case {
    const char *in;
    size_t len;       /* raw bytes of the first unit */
    bool valid;
    uint32_t cp;
    const char *esc;  /* "" = shown as it is */
};

static void test_units(void **state)
{
    (void)state;
    static const struct unit_case cases[] = {
        {"a", 1, true, 'a', ""},
        {"\xc3\xa9x", 2, true, 0xe9, ""},
        {"\xf0\x9f\x98\x80", 4, true, 0x1f600, ""},
        {"\t", 1, true, '\t', "\\t"},
        {"\x01", 1, true, 1, "\\x01"},
        {"\xc2\x9b", 2, true, 0x9b, "\\u009b"},
        {"\xe2\x80\xae", 3, true, 0x202e, "\\u202e"},
        {"\xff\xfe", 1, false, 0xff, "\\xff"},
        {"\xe2\x80", 1, false, 0xe2, "\\xe2"},   /* a cut sequence: one byte at a time */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const struct unit_case *c = &cases[i];
        struct ts_unit u;
        ts_next(c->in, strlen(c->in), TS_ONE_LINE, &u);
        if (u.len != c->len || u.valid != c->valid || u.cp != c->cp || strcmp(u.esc, c->esc) != 0 ||
            u.esc_len != strlen(c->esc))
            fail_msg("case %zu: len %zu valid %d cp U+%04X esc \"%s\"", i, u.len, u.valid,
                     (unsigned)u.cp, u.esc);
    }
    /* the unit never reads past n */
    struct ts_unit u;
    ts_next("\xc3\xa9", 1, TS_ONE_LINE, &u);
    assert_int_equal(u.len, 1);
    assert_false(u.valid);
    assert_string_equal(u.esc, "\\xc3");
}

static void test_escape_cp(void **state)
{
    (void)state;
    static const struct { uint32_t cp; const char *want; } rows[] = {
        {0x85, "\\u0085"}, {0x202e, "\\u202e"}, {0xffff, "\\uffff"},
        {0x10000, "\\U00010000"}, {0x1f600, "\\U0001f600"}, {0x10ffff, "\\U0010ffff"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        char out[TS_ESC_MAX];
        size_t n = ts_escape_cp(rows[i].cp, out);
        assert_string_equal(out, rows[i].want);
        assert_int_equal(n, strlen(rows[i].want));
    }
}

/* True when s holds a raw code point the module promises to escape. */
static bool holds_unsafe(const char *s, bool newline_ok)
{
    size_t n = strlen(s);
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t len = utf8_decode(s + i, n - i, &cp);
        if (len == 0)
            return true;
        if (ts_cp_unsafe(cp) && !(newline_ok && cp == '\n'))
            return true;
        i += len;
    }
    return false;
}

/* Every code point, alone and between letters, comes out valid UTF-8 with nothing unsafe,
 * and kept exactly when it is not in the list. */
static void test_every_code_point(void **state)
{
    (void)state;
    for (uint32_t cp = 0; cp <= 0x10ffff; cp++) {
        char in[8] = "a";
        size_t len = utf8_encode(cp, in + 1);
        if (len == 0)
            continue; /* surrogates: not characters */
        in[1 + len] = 'b';
        for (unsigned flags = 0; flags <= TS_KEEP_NEWLINES; flags++) {
            char *out = ts_escape(in, len + 2, flags);
            if (!utf8_valid(out, strlen(out)) || holds_unsafe(out, flags & TS_KEEP_NEWLINES))
                fail_msg("U+%04X: unsafe output \"%s\"", (unsigned)cp, out);
            bool kept = strlen(out) == len + 2 && memcmp(out, in, len + 2) == 0;
            bool want_kept = !ts_cp_unsafe(cp) || (cp == '\n' && (flags & TS_KEEP_NEWLINES));
            if (kept != want_kept)
                fail_msg("U+%04X: kept %d, want %d (\"%s\")", (unsigned)cp, kept, want_kept, out);
            free(out);
        }
    }
}

/* Every byte value alone, and every two-byte string: never unsafe output. */
static void test_every_byte_pair(void **state)
{
    (void)state;
    for (unsigned a = 0; a < 256; a++) {
        for (unsigned b = 0; b < 256; b++) {
            char in[2] = { (char)a, (char)b };
            char *out = ts_escape(in, 2, TS_ONE_LINE);
            if (!utf8_valid(out, strlen(out)) || holds_unsafe(out, false))
                fail_msg("%02x %02x: unsafe output \"%s\"", a, b, out);
            assert_int_equal(ts_escaped_len(in, 2, TS_ONE_LINE), strlen(out));
            free(out);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_escape_table),
        cmocka_unit_test(test_units),
        cmocka_unit_test(test_escape_cp),
        cmocka_unit_test(test_every_code_point),
        cmocka_unit_test(test_every_byte_pair),
    };
    return cmocka_run_group_tests_name("termsafe", tests, NULL, NULL);
}
