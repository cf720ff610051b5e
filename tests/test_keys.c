/* ui/keys.c and ui/editkeys.c: key names for the help screen, the footer that shrinks its
 * labels and then says "? more" instead of cutting, UTF-8 lead bytes for byte-wise input,
 * and the editing keys of text fields (Alt chords never typed, Ctrl-B/Ctrl-F move). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#define NCURSES_WIDECHAR 1
#include <curses.h>
#include <locale.h>
#include <string.h>

#include "editkeys.h"
#include "helpers.h"
#include "keys.h"

static void test_names(void **state)
{
    (void)state;
    static const struct { int key; const char *name; } rows[] = {
        { KC(KEY_UP), "Up" }, { KC(KEY_NPAGE), "PgDn" }, { KC(KEY_F(1)), "F1" },
        { KC(KEY_F(10)), "F10" }, { KC(KEY_BTAB), "S-Tab" }, { '\r', "Enter" },
        { KC(KEY_ENTER), "Enter" }, { '\t', "Tab" }, { KEY_ESC, "Esc" }, { 127, "BkSp" },
        { ' ', "Space" }, { CTRL_KEY('u'), "^U" }, { CTRL_KEY('s'), "^S" }, { 'k', "k" },
        { '?', "?" }, { KEY_META('b'), "Alt-B" }, { KEY_META(127), "Alt-BkSp" },
        { KEY_META(KC(KEY_LEFT)), "Alt-Left" },
    };
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        char buf[40];
        keys_name(rows[i].key, buf, sizeof buf);
        assert_string_equal(buf, rows[i].name);
    }
}

static void test_row_names_without_repeats(void **state)
{
    (void)state;
    struct binding b = { { '\r', '\n', KC(KEY_ENTER), 0 }, "Enter", "pick", 1, NULL };
    char buf[100];
    keys_row_names(&b, buf, sizeof buf);
    assert_string_equal(buf, "Enter");
    struct binding c = { { KC(KEY_UP), 'k', CTRL_KEY('p'), 0 }, "k", NULL, 2, NULL };
    keys_row_names(&c, buf, sizeof buf);
    assert_string_equal(buf, "Up k ^P");
}

static const struct binding table[] = {
    { { '\r', 0 }, "Enter", "attach marked", 1, NULL },
    { { ' ', 0 }, "Space", "mark", 2, NULL },
    { { 'x', 0 }, "x", NULL, 3, "an alias: not in the footer" },
    { { KEY_ESC, 0 }, "Esc", "unmark all", 4, NULL },
    { { '/', 0 }, "/", "filter", 5, NULL },
    { { '?', 0 }, "?", "keys", KEYS_HELP, NULL },
    { { 'q', 0 }, "q", "quit", 6, NULL },
};

static const char *joined(const struct footer_item *it, size_t n)
{
    static char buf[400];
    size_t o = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < n; i++)
        o += (size_t)snprintf(buf + o, sizeof buf - o, "%s%s %s", i ? "  " : "", it[i].key_label, it[i].label);
    return buf;
}

static void test_footer_shrinks_then_says_more(void **state)
{
    (void)state;
    struct footer_item it[FOOTER_MAX];
    size_t n = keys_footer(table, sizeof table / sizeof *table, 73, it);
    assert_string_equal(joined(it, n), "Enter attach marked  Space mark  Esc unmark all  / filter  ? keys  q quit");
    /* 73 columns whole; in 72 the labels lose all but their first word */
    n = keys_footer(table, sizeof table / sizeof *table, 72, it);
    assert_string_equal(joined(it, n), "Enter attach  Space mark  Esc unmark  / filter  ? keys  q quit");
    n = keys_footer(table, sizeof table / sizeof *table, 62, it);
    assert_string_equal(joined(it, n), "Enter attach  Space mark  Esc unmark  / filter  ? keys  q quit");
    n = keys_footer(table, sizeof table / sizeof *table, 61, it);
    assert_string_equal(joined(it, n), "Enter attach  Space mark  Esc unmark  / filter  ? more");
    /* at 40 not even that fits: what does, then the help key saying there is more */
    n = keys_footer(table, sizeof table / sizeof *table, 40, it);
    assert_string_equal(joined(it, n), "Enter attach  Space mark  ? more");
    assert_true(strlen(joined(it, n)) <= 40);
    for (int w = 10; w < 80; w++) {
        n = keys_footer(table, sizeof table / sizeof *table, w, it);
        const char *s = joined(it, n);
        /* never wider than the screen, unless only the "? more" is left, and it always
         * ends with a way to the rest */
        if (n > 1)
            assert_true((int)strlen(s) <= w);
        if (n < 6)
            assert_non_null(strstr(s, "? more"));
    }
}

static void test_utf8_lead_bytes(void **state)
{
    (void)state;
    assert_int_equal(keys_utf8_len('a'), 1);
    assert_int_equal(keys_utf8_len(0xc3), 2);  /* ü */
    assert_int_equal(keys_utf8_len(0xe2), 3);  /* € */
    assert_int_equal(keys_utf8_len(0xf0), 4);  /* emoji */
    assert_int_equal(keys_utf8_len(0x80), 0);  /* a continuation byte */
    assert_int_equal(keys_utf8_len(0xc0), 0);  /* only ever overlong */
    assert_int_equal(keys_utf8_len(0xf5), 0);
}

static void test_chords_are_never_text(void **state)
{
    (void)state;
    assert_true(key_is_text('a'));
    assert_true(key_is_text(0xfc));
    assert_false(key_is_text(KEY_META('b')));
    assert_false(key_is_text(KEY_META(127)));
    assert_false(key_is_text(KC(KEY_LEFT)));
    assert_false(key_is_text(KEY_ESC));
    assert_false(key_is_text(127));
    assert_false(key_is_text(0x85));
}

static void play(struct lineedit *le, const int *keys)
{
    for (; *keys; keys++)
        assert_true(editkeys_apply(le, *keys, NULL));
}

static void test_edit_keys(void **state)
{
    (void)state;
    struct lineedit le;
    le_init(&le, "abc def", 0);
    /* Alt-B moves a word left: the X lands before "def", nothing else is typed */
    play(&le, (const int[]){ KEY_META('b'), 'X', 0 });
    assert_string_equal(le.buf, "abc Xdef");
    /* Ctrl-B / Ctrl-F move a character, Alt-F a word */
    play(&le, (const int[]){ CTRL_KEY('b'), CTRL_KEY('b'), 'Y', CTRL_KEY('f'), KEY_META('f'), 'Z', 0 });
    assert_string_equal(le.buf, "abcY XdefZ");
    /* Alt-Backspace deletes the word before the cursor */
    play(&le, (const int[]){ KEY_META(127), 0 });
    assert_string_equal(le.buf, "abcY ");
    bool changed = true;
    /* an Alt chord with no meaning in a field is not the field's: the screen ignores it */
    assert_false(editkeys_apply(&le, KEY_META('x'), &changed));
    assert_false(changed);
    assert_string_equal(le.buf, "abcY ");
    assert_true(editkeys_apply(&le, 'q', &changed));
    assert_true(changed);
    assert_true(editkeys_apply(&le, KC(KEY_LEFT), &changed));
    assert_false(changed);
    le_free(&le);
}

int main(void)
{
    setlocale(LC_ALL, "C.UTF-8");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_row_names_without_repeats),
        cmocka_unit_test(test_footer_shrinks_then_says_more),
        cmocka_unit_test(test_utf8_lead_bytes),
        cmocka_unit_test(test_chords_are_never_text),
        cmocka_unit_test(test_edit_keys),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
