/* Unit tests for ui/lineedit.c: tables of key sequences and the expected line and cursor. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lineedit.h"

/* A script is a wide string: printable characters are typed, and these stand for actions. */
#define K_LEFT L'\x01'
#define K_RIGHT L'\x02'
#define K_HOME L'\x03'
#define K_END L'\x04'
#define K_WLEFT L'\x05'
#define K_WRIGHT L'\x06'
#define K_BS L'\x07'
#define K_DEL L'\x08'
#define K_CU L'\x0e'
#define K_CW L'\x0f'
#define K_CK L'\x10'
#define K_ABS L'\x11' /* Alt-Backspace */

static void play(struct lineedit *le, const wchar_t *keys)
{
    static const enum le_action map[] = {
        [1] = LE_LEFT, [2] = LE_RIGHT, [3] = LE_HOME, [4] = LE_END, [5] = LE_WORD_LEFT,
        [6] = LE_WORD_RIGHT, [7] = LE_BACKSPACE, [8] = LE_DELETE, [14] = LE_KILL_TO_START,
        [15] = LE_KILL_WORD, [16] = LE_KILL_TO_END, [17] = LE_KILL_WORD_BACK,
    };
    for (; *keys; keys++) {
        if (*keys < 0x20)
            le_apply(le, map[*keys]);
        else
            le_insert(le, *keys);
    }
}

struct edit_case {
    const char *start;
    const wchar_t *keys;
    const char *text;
    size_t cursor;
};

static void test_edit_table(void **state)
{
    (void)state;
    static const struct edit_case cases[] = {
        {"", L"hello", "hello", 5},
        {"", L"hello\x01\x01X", "helXlo", 4},
        {"abc", L"\x03X", "Xabc", 1},
        {"abc", L"\x03\x04Y", "abcY", 4},
        {"abc", L"\x07", "ab", 2},
        {"abc", L"\x03\x07", "abc", 0},
        {"abc", L"\x03\x08", "bc", 0},
        {"abc", L"\x08", "abc", 3},
        {"abc", L"\x02\x02", "abc", 3},
        {"abc", L"\x03\x01", "abc", 0},
        /* multi-byte: é is 2 bytes, 日 3, 😀 4 */
        {"", L"caf\u00e9", "caf\xc3\xa9", 5},
        {"caf\xc3\xa9", L"\x01", "caf\xc3\xa9", 3},
        {"caf\xc3\xa9", L"\x07", "caf", 3},
        {"caf\xc3\xa9", L"\x01\x08", "caf", 3},
        {"\xe6\x97\xa5\xe6\x9c\xac", L"\x01X", "\xe6\x97\xa5X\xe6\x9c\xac", 4},
        {"\xe6\x97\xa5\xe6\x9c\xac", L"\x03\x02\x07", "\xe6\x9c\xac", 0},
        {"a\xf0\x9f\x98\x80" "b", L"\x01\x01", "a\xf0\x9f\x98\x80" "b", 1},
        {"a\xf0\x9f\x98\x80" "b", L"\x01\x07", "ab", 1},
        {"", L"\U0001F600!", "\xf0\x9f\x98\x80!", 5},
        /* DEL is refused (other controls: test_refused) */
        {"ab", L"\x7f", "ab", 2},
        /* Ctrl-U kills to the start, Ctrl-K to the end */
        {"hello world", L"\x01\x01\x0e", "ld", 0},
        {"hello world", L"\x03\x02\x02\x10", "he", 2},
        {"hello world", L"\x0e", "", 0},
        /* Ctrl-W: spaces, then the word before them (shell semantics: punctuation is part) */
        {"git commit -m", L"\x0f", "git commit ", 11},
        {"git commit -m  ", L"\x0f", "git commit ", 11},
        {"path/to/file.txt", L"\x0f", "", 0},
        {"one two", L"\x01\x01\x0f", "one wo", 4},
        {"one two", L"\x01\x01\x01\x0f", "two", 0},
        {"caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac", L"\x0f", "caf\xc3\xa9 ", 6},
        {"", L"\x0f", "", 0},
        /* Alt-Backspace: back to where Alt-B goes (punctuation separates, unlike Ctrl-W) */
        {"path/to/file.txt", L"\x11", "path/to/file.", 13},
        {"path/to/file.txt", L"\x11\x11", "path/to/", 8},
        {"git commit -m  ", L"\x11", "git commit -", 12},
        {"caf\xc3\xa9 \xe6\x97\xa5", L"\x11", "caf\xc3\xa9 ", 6},
        {"one two", L"\x01\x01\x11", "one wo", 4},
        {"", L"\x11", "", 0},
        /* word moves stop at punctuation and spaces */
        {"path/to/file.txt", L"\x05", "path/to/file.txt", 13},
        {"path/to/file.txt", L"\x05\x05", "path/to/file.txt", 8},
        {"path/to/file.txt", L"\x03\x06", "path/to/file.txt", 4},
        {"path/to/file.txt", L"\x03\x06\x06", "path/to/file.txt", 7},
        {"  r\xc3\xa9sum\xc3\xa9 x", L"\x03\x06", "  r\xc3\xa9sum\xc3\xa9 x", 10},
        {"\xe6\x97\xa5\xe6\x9c\xac abc", L"\x05\x05", "\xe6\x97\xa5\xe6\x9c\xac abc", 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const struct edit_case *c = &cases[i];
        struct lineedit le;
        le_init(&le, c->start, 0);
        play(&le, c->keys);
        if (strcmp(le.buf, c->text) != 0 || le.cursor != c->cursor)
            fail_msg("case %zu: got \"%s\" cursor %zu, want \"%s\" cursor %zu", i, le.buf,
                     le.cursor, c->text, c->cursor);
        assert_int_equal(le.len, strlen(le.buf));
        le_free(&le);
    }
}

static void test_apply_reports_change(void **state)
{
    (void)state;
    struct lineedit le;
    le_init(&le, "ab", 0);
    assert_false(le_apply(&le, LE_RIGHT));     /* already at the end */
    assert_false(le_apply(&le, LE_DELETE));
    assert_false(le_apply(&le, LE_KILL_TO_END));
    assert_true(le_apply(&le, LE_LEFT));
    assert_true(le_apply(&le, LE_KILL_TO_END));
    assert_string_equal(le.buf, "a");
    assert_true(le_apply(&le, LE_HOME));
    assert_false(le_apply(&le, LE_BACKSPACE));
    assert_false(le_apply(&le, LE_KILL_TO_START));
    assert_false(le_apply(&le, LE_KILL_WORD));
    le_free(&le);
}

static void test_refused(void **state)
{
    (void)state;
    static const wchar_t bad[] = {0, L'\t', L'\n', 0x1b, 0x7f, 0x80, 0x85, 0x9b, 0x9f,
                                  0xd800, 0xdfff, 0x110000, -1};
    struct lineedit le;
    le_init(&le, "ab", 0);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (le_insert(&le, bad[i]))
            fail_msg("U+%04x was accepted", (unsigned)bad[i]);
    }
    assert_string_equal(le.buf, "ab");
    assert_true(le_insert(&le, 0xa0));   /* first printable after C1 */
    assert_true(le_insert(&le, 0x10fff0));
    assert_int_equal(le.len, 2 + 2 + 4);
    le_free(&le);
}

static void test_max_len(void **state)
{
    (void)state;
    struct lineedit le;
    le_init(&le, "", 5);
    play(&le, L"abcd");
    assert_false(le_insert(&le, L'\u00e9'));   /* 2 bytes: would make 6 */
    assert_true(le_insert(&le, L'e'));
    assert_false(le_insert(&le, L'f'));
    assert_string_equal(le.buf, "abcde");
    le_apply(&le, LE_BACKSPACE);
    assert_false(le_insert(&le, L'\u65e5'));   /* 3 bytes */
    le_apply(&le, LE_BACKSPACE);
    le_apply(&le, LE_BACKSPACE);
    assert_true(le_insert(&le, L'\u65e5'));
    assert_string_equal(le.buf, "ab\xe6\x97\xa5");
    /* a prefill longer than the limit is cut at a character boundary */
    le_set(&le, "ab\xe6\x97\xa5\xe6\x9c\xac");
    assert_string_equal(le.buf, "ab\xe6\x97\xa5");
    assert_int_equal(le.cursor, 5);
    le_free(&le);
}

static void test_set_filters(void **state)
{
    (void)state;
    struct lineedit le;
    le_init(&le, "a\tb\xff" "c\xc2\x85" "d\x1b", 0);
    assert_string_equal(le.buf, "abcd");
    assert_int_equal(le.cursor, 4);
    le_set(&le, NULL);
    assert_string_equal(le.buf, "");
    le_free(&le);
}

struct view_case {
    const char *text;
    const wchar_t *keys;  /* applied after le_view has been called once per key */
    int width;
    size_t scroll;
    int col;
};

static void test_view_table(void **state)
{
    (void)state;
    static const struct view_case cases[] = {
        {"abc", L"", 10, 0, 3},
        {"abcdefghij", L"", 5, 6, 4},          /* cursor at end: last cell free for it */
        {"abcdefghij", L"\x03", 5, 0, 0},
        {"abcdefghij", L"\x03\x02\x02", 5, 0, 2},
        {"abcdefghij", L"\x01\x01\x01\x01\x01\x01\x01\x01", 5, 2, 0}, /* scrolled back to c */
        {"abcdefghij", L"\x03\x04", 5, 6, 4},
        /* 日本語のファイル: 8 wide characters = 16 columns */
        {"\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x81\xae\xe3\x83\x95\xe3\x82\xa1\xe3\x82\xa4\xe3\x83\xab",
         L"", 6, 18, 4},                         /* two wide characters and the cursor cell */
        {"\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x81\xae\xe3\x83\x95\xe3\x82\xa1\xe3\x82\xa4\xe3\x83\xab",
         L"\x03\x02", 5, 0, 2},
        {"\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x81\xae\xe3\x83\x95\xe3\x82\xa1\xe3\x82\xa4\xe3\x83\xab",
         L"\x03\x02\x02", 5, 3, 2},              /* the wide char under the cursor needs 2 cells */
        {"ab\xe6\x97\xa5", L"\x01", 3, 2, 0},
        {"ab\xe6\x97\xa5", L"\x01", 2, 2, 0},    /* only the wide char fits */
        {"abc", L"", 1, 3, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const struct view_case *c = &cases[i];
        struct lineedit le;
        le_init(&le, c->text, 0);
        int col = le_view(&le, c->width);
        wchar_t one[2] = {0, 0};
        for (const wchar_t *k = c->keys; *k; k++) {
            one[0] = *k;
            play(&le, one);
            col = le_view(&le, c->width);
        }
        if (le.scroll != c->scroll || col != c->col)
            fail_msg("case %zu: scroll %zu col %d, want scroll %zu col %d", i, le.scroll, col,
                     c->scroll, c->col);
        le_free(&le);
    }
}

/* Deleting lets the view scroll back so the field is filled again. */
static void test_view_refills(void **state)
{
    (void)state;
    struct lineedit le;
    le_init(&le, "abcdefghij", 0);
    assert_int_equal(le_view(&le, 5), 4);
    assert_int_equal(le.scroll, 6);
    le_apply(&le, LE_BACKSPACE);
    le_apply(&le, LE_BACKSPACE);
    le_apply(&le, LE_BACKSPACE);
    assert_int_equal(le_view(&le, 5), 4);
    assert_int_equal(le.scroll, 3);
    le_apply(&le, LE_KILL_TO_START);
    assert_int_equal(le_view(&le, 5), 0);
    assert_int_equal(le.scroll, 0);
    le_free(&le);
}

/* Whatever the keys, the cursor cell stays within the field and on a character boundary. */
static void test_view_invariant(void **state)
{
    (void)state;
    static const wchar_t *const scripts[] = {
        L"\u65e5\u672c\u8a9e abc \U0001F600\U0001F600 d\u00e9f\x03\x02\x02\x02\x04\x01\x01\x05",
        L"0123456789012345\x03\x06\x06\x04\x0f\x0f\x01\x07\x07",
    };
    for (size_t s = 0; s < 2; s++) {
        for (int w = 1; w <= 8; w++) {
            struct lineedit le;
            le_init(&le, "", 0);
            wchar_t one[2] = {0, 0};
            for (const wchar_t *k = scripts[s]; *k; k++) {
                one[0] = *k;
                play(&le, one);
                int col = le_view(&le, w);
                assert_true(col >= 0);
                assert_true(col < w);
                assert_true(le.scroll <= le.cursor);
                assert_false((le.buf[le.cursor] & 0xc0) == 0x80);
                assert_false((le.buf[le.scroll] & 0xc0) == 0x80);
            }
            le_free(&le);
        }
    }
}

int main(void)
{
    if (!setlocale(LC_ALL, "C.UTF-8")) {
        fprintf(stderr, "C.UTF-8 locale missing\n");
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_edit_table),
        cmocka_unit_test(test_apply_reports_change),
        cmocka_unit_test(test_refused),
        cmocka_unit_test(test_max_len),
        cmocka_unit_test(test_set_filters),
        cmocka_unit_test(test_view_table),
        cmocka_unit_test(test_view_refills),
        cmocka_unit_test(test_view_invariant),
    };
    return cmocka_run_group_tests_name("lineedit", tests, NULL, NULL);
}
