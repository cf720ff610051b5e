/* Unit tests for ui/text.c: sanitising, display width, fitting, column to byte. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <locale.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "text.h"

struct san_case {
    const char *in;
    size_t n; /* 0 = strlen(in) */
    const char *out;
};

static void test_sanitize(void **state)
{
    (void)state;
    static const struct san_case cases[] = {
        {"", 0, ""},
        {"plain.txt", 0, "plain.txt"},
        {"caf\xc3\xa9", 0, "caf\xc3\xa9"},                       /* é kept */
        {"\xe6\x97\xa5\xe6\x9c\xac", 0, "\xe6\x97\xa5\xe6\x9c\xac"}, /* 日本 kept */
        {"\xf0\x9f\x98\x80", 0, "\xf0\x9f\x98\x80"},               /* emoji kept */
        {"a\tb", 0, "a\\tb"},
        {"a\nb\rc", 0, "a\\nb\\rc"},
        {"\x1b[31mred", 0, "\\x1b[31mred"},                           /* no escape sequences */
        {"x\x7fy", 0, "x\\x7fy"},
        {"\xc2\x85", 0, "\\u0085"},                                /* C1 NEL */
        {"\xc2\x9b" "2J", 0, "\\u009b2J"},                          /* C1 CSI */
        {"bad\xff", 0, "bad\\xff"},
        {"\xc3", 0, "\\xc3"},                                      /* truncated sequence */
        {"\xc3(", 0, "\\xc3("},
        {"\xc0\xaf", 0, "\\xc0\\xaf"},                             /* overlong '/' */
        {"\xed\xa0\x80", 0, "\\xed\\xa0\\x80"},                    /* surrogate */
        {"\xf4\x90\x80\x80", 0, "\\xf4\\x90\\x80\\x80"},            /* above U+10FFFF */
        {"\xe2\x82", 0, "\\xe2\\x82"},
        {"rtl\xe2\x80\xae" "exe", 0, "rtl\\u202eexe"},                  /* bidi override */
        {"zw\xe2\x80\x8bj", 0, "zw\\u200bj"},                         /* zero width */
        {"\xcd\xb8", 0, "\\u0378"},                                  /* unassigned */
        {"\xf4\x8f\xbf\xbf", 0, "\\U0010ffff"},                      /* noncharacter */
        {"a\0b", 3, "a\\x00b"},                                      /* embedded NUL */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const struct san_case *c = &cases[i];
        size_t n = c->n ? c->n : strlen(c->in);
        char *got = text_sanitize(c->in, n);
        assert_non_null(got);
        if (strcmp(got, c->out) != 0)
            fail_msg("case %zu: got \"%s\", want \"%s\"", i, got, c->out);
        /* width of raw bytes matches width of what they show as */
        assert_int_equal(text_width_n(c->in, n), text_width(got));
        free(got);
    }
}

struct width_case {
    const char *s;
    int width;
};

static void test_width(void **state)
{
    (void)state;
    static const struct width_case cases[] = {
        {"", 0},
        {"abc", 3},
        {"caf\xc3\xa9", 4},                       /* é precomposed */
        {"cafe\xcc\x81", 4},                      /* e + combining acute */
        {"\xe6\x97\xa5\xe6\x9c\xac", 4},            /* 日本 */
        {"\xf0\x9f\x98\x80", 2},                   /* 😀 */
        {"a\xf0\x9f\x98\x80" "b", 4},
        {"\\xff", 4},
        {"\xe2\x80\xa6", 1},                       /* … */
        {"\xef\xbc\xa1", 2},                       /* fullwidth A */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int w = text_width(cases[i].s);
        if (w != cases[i].width)
            fail_msg("case %zu (%s): width %d, want %d", i, cases[i].s, w, cases[i].width);
    }
}

struct fit_case {
    const char *in;
    int width;
    enum text_cut cut;
    const char *out;
};

static void test_fit_table(void **state)
{
    (void)state;
    static const struct fit_case cases[] = {
        {"report.pdf", 10, TEXT_CUT_END, "report.pdf"},
        {"report.pdf", 20, TEXT_CUT_MIDDLE, "report.pdf"},
        {"report.pdf", 9, TEXT_CUT_END, "report.p\xe2\x80\xa6"},
        {"report.pdf", 9, TEXT_CUT_START, "\xe2\x80\xa6" "port.pdf"},
        {"report.pdf", 9, TEXT_CUT_MIDDLE, "repo\xe2\x80\xa6.pdf"},
        {"report.pdf", 6, TEXT_CUT_MIDDLE, "rep\xe2\x80\xa6" "df"},
        {"report.pdf", 1, TEXT_CUT_END, "\xe2\x80\xa6"},
        {"report.pdf", 0, TEXT_CUT_END, ""},
        {"report.pdf", -3, TEXT_CUT_MIDDLE, ""},
        /* 日本語 is 6 columns; in 4 columns only one wide character fits beside the … */
        {"\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e", 4, TEXT_CUT_END, "\xe6\x97\xa5\xe2\x80\xa6"},
        {"\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e", 5, TEXT_CUT_END, "\xe6\x97\xa5\xe6\x9c\xac\xe2\x80\xa6"},
        {"\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e", 4, TEXT_CUT_START, "\xe2\x80\xa6\xe8\xaa\x9e"},
        {"\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e", 5, TEXT_CUT_MIDDLE, "\xe6\x97\xa5\xe2\x80\xa6\xe8\xaa\x9e"},
        /* an escape is never cut in half */
        {"ab\xff" "cd", 5, TEXT_CUT_END, "ab\xe2\x80\xa6"},
        {"ab\xff" "cd", 7, TEXT_CUT_END, "ab\\xff\xe2\x80\xa6"},
        {"ab\xff" "cd", 6, TEXT_CUT_START, "\xe2\x80\xa6" "cd"},
        {"ab\xff" "cd", 7, TEXT_CUT_START, "\xe2\x80\xa6\\xffcd"},
        /* a combining mark stays with its letter */
        {"e\xcc\x81" "abc", 2, TEXT_CUT_END, "e\xcc\x81\xe2\x80\xa6"},
        {"\x1b[1m", 6, TEXT_CUT_END, "\\x1b[\xe2\x80\xa6"},
        {"\x1b[1m", 4, TEXT_CUT_END, "\xe2\x80\xa6"},   /* the escape is never cut */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const struct fit_case *c = &cases[i];
        char *got = text_fit(c->in, strlen(c->in), c->width, c->cut);
        assert_non_null(got);
        if (strcmp(got, c->out) != 0)
            fail_msg("case %zu: got \"%s\", want \"%s\"", i, got, c->out);
        free(got);
    }
}

/* Every width from 0 to 12 and every cut: never wider than asked, never a broken character,
 * the ellipsis present exactly when something was cut, and as many columns used as possible
 * (at most one spare, left by a wide character). */
static void test_fit_all_widths(void **state)
{
    (void)state;
    static const char *inputs[] = {
        "plain-name.txt",
        "caf\xc3\xa9-r\xc3\xa9sum\xc3\xa9.pdf",
        "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x81\xae\xe3\x83\x95\xe3\x82\xa1\xe3\x82\xa4\xe3\x83\xab.txt",
        "\xf0\x9f\x98\x80\xf0\x9f\x98\x80-smile-\xf0\x9f\x98\x80.png",
        "ctl\x01\x02\x7f-bad\xff\xfe-\xc2\x85.bin",
        "a\xe6\x97\xa5" "b\xe6\x9c\xac" "c",
    };
    /* columns that may stay unused: one beside a wide character, five beside a \u0085 */
    static const int max_spare[] = {0, 0, 1, 1, 5, 1};
    static const enum text_cut cuts[] = {TEXT_CUT_END, TEXT_CUT_MIDDLE, TEXT_CUT_START};
    for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
        char *full = text_sanitize(inputs[i], strlen(inputs[i]));
        int fw = text_width(full);
        for (size_t k = 0; k < 3; k++) {
            for (int w = 0; w <= 12; w++) {
                char *got = text_fit(inputs[i], strlen(inputs[i]), w, cuts[k]);
                assert_non_null(got);
                int gw = text_width(got);
                if (gw > w)
                    fail_msg("input %zu cut %zu width %d: \"%s\" is %d columns", i, k, w, got, gw);
                /* well-formed: sanitising the output changes nothing */
                char *again = text_sanitize(got, strlen(got));
                assert_string_equal(again, got);
                free(again);
                bool cut = strstr(got, "\xe2\x80\xa6") != NULL;
                assert_int_equal(cut, fw > w && w > 0);
                if (fw <= w)
                    assert_string_equal(got, full);
                else if (w > 0 && gw < w - max_spare[i])
                    fail_msg("input %zu cut %zu width %d: \"%s\" wastes columns", i, k, w, got);
                free(got);
            }
        }
        free(full);
    }
}

struct col_case {
    const char *s;
    int col;
    size_t byte;
};

static void test_col_to_byte(void **state)
{
    (void)state;
    static const struct col_case cases[] = {
        {"abc", 0, 0},
        {"abc", 2, 2},
        {"abc", 3, 3},
        {"abc", 10, 3},
        {"caf\xc3\xa9!", 4, 5},
        {"caf\xc3\xa9!", 3, 3},
        {"\xe6\x97\xa5\xe6\x9c\xac", 0, 0},
        {"\xe6\x97\xa5\xe6\x9c\xac", 1, 0},  /* inside 日: its start */
        {"\xe6\x97\xa5\xe6\x9c\xac", 2, 3},
        {"\xe6\x97\xa5\xe6\x9c\xac", 3, 3},
        {"\xe6\x97\xa5\xe6\x9c\xac", 4, 6},
        {"e\xcc\x81x", 1, 3},               /* past the combining mark */
        {"", 5, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t b = text_col_to_byte(cases[i].s, cases[i].col);
        if (b != cases[i].byte)
            fail_msg("case %zu: col %d -> byte %zu, want %zu", i, cases[i].col, b, cases[i].byte);
    }
}

static void test_tilde(void **state)
{
    (void)state;
    static const struct { const char *path, *home, *want; } rows[] = {
        { "/home/ann/CVs", "/home/ann", "~/CVs" },
        { "/home/ann", "/home/ann", "~" },
        { "/home/ann/", "/home/ann/", "~/" },
        { "/home/anna/x", "/home/ann", "/home/anna/x" },
        { "/tmp/x", "/home/ann", "/tmp/x" },
        { "/tmp/x", NULL, "/tmp/x" },
        { "/tmp/x", "", "/tmp/x" },
        { "/x", "/", "/x" },
    };
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        char out[64];
        text_tilde(rows[i].path, rows[i].home, out, sizeof out);
        assert_string_equal(out, rows[i].want);
    }
}

static void test_wrap(void **state)
{
    (void)state;
    static const struct { const char *in; int w; const char *want; } rows[] = {
        { "hello world", 20, "hello world" },
        { "hello world", 5, "hello|world" },
        { "hello   world again", 11, "hello|world again" },
        { "PLATFORM.AUTHENTICATION_INVALID", 22, "PLATFORM.|AUTHENTICATION_INVALID" },
        { "http://127.0.0.1:8080/logs/12345", 20, "http://127.0.0.1:|8080/logs/12345" },
        { "abcdefghij", 4, "abcd|efgh|ij" },
        { "a\nb", 10, "a|b" },
        { "", 10, "" },
        { "日本語のテキスト", 6, "日本語|のテキ|スト" },
    };
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        char **lines;
        size_t n = text_wrap(rows[i].in, rows[i].w, &lines);
        char got[256] = "";
        for (size_t k = 0; k < n; k++) {
            if (k)
                strcat(got, "|");
            strcat(got, lines[k]);
            assert_true(text_width(lines[k]) <= rows[i].w);
            free(lines[k]);
        }
        free(lines);
        if (strcmp(got, rows[i].want) != 0)
            fail_msg("row %zu: \"%s\", want \"%s\"", i, got, rows[i].want);
    }
}

/* Where a match lands in a name cut in the middle: the part before the ellipsis and the
 * part after it, never the ellipsis itself. */
static void test_fit_spans(void **state)
{
    (void)state;
    struct text_spans sp;
    /* "a very long name.pdf" (20 columns) in 11: "a very….pdf" */
    const char *name = "a very long name.pdf";
    char *f = text_fit_spans(name, strlen(name), 11, TEXT_CUT_MIDDLE, 2, 4, &sp);
    assert_string_equal(f, "a ver\xe2\x80\xa6" "e.pdf");
    assert_int_equal(sp.n, 1);
    assert_int_equal(sp.start[0], 2);          /* "ver" of "very": the rest went */
    assert_int_equal(sp.end[0], 5);
    free(f);
    /* "name.p" runs across the ellipsis: two spans, one on each side */
    f = text_fit_spans(name, strlen(name), 11, TEXT_CUT_MIDDLE, 12, 6, &sp);
    assert_int_equal(sp.n, 1);                 /* only "e.p" is left of it, after the … */
    assert_int_equal(sp.start[0], 8);
    assert_int_equal(sp.end[0], 11);
    free(f);
    f = text_fit_spans(name, strlen(name), 11, TEXT_CUT_MIDDLE, 3, 15, &sp);
    assert_int_equal(sp.n, 2);
    assert_int_equal(sp.start[0], 3);
    assert_int_equal(sp.end[0], 5);
    assert_int_equal(sp.start[1], 8);
    assert_int_equal(sp.end[1], 11);
    free(f);
    /* nothing cut: the match as it was, escapes counted by their shown bytes */
    f = text_fit_spans("b\xffmatch", 7, 40, TEXT_CUT_MIDDLE, 2, 5, &sp);
    assert_string_equal(f, "b\\xffmatch");
    assert_int_equal(sp.n, 1);
    assert_int_equal(sp.start[0], 5);
    assert_int_equal(sp.end[0], 10);
    free(f);
}

/* A name inside a message is cut once, in the middle, and the words around it stay. */
static void test_fit_around(void **state)
{
    (void)state;
    char *f = text_fit_around("Attach ", "a very long name.pdf", "", 20, TEXT_CUT_MIDDLE);
    assert_string_equal(f, "Attach a very\xe2\x80\xa6me.pdf");
    free(f);
    f = text_fit_around("Attach ", "cv.pdf", " now", 40, TEXT_CUT_MIDDLE);
    assert_string_equal(f, "Attach cv.pdf now");
    free(f);
    f = text_fit_around("inbox ", "~/.local/share/kombo-attach/sandbox", "", 24, TEXT_CUT_START);
    assert_string_equal(f, "inbox \xe2\x80\xa6" "bo-attach/sandbox");
    free(f);
    /* no room for the name: the whole is cut at its end, with one ellipsis */
    f = text_fit_around("a long message about ", "file.pdf", "", 10, TEXT_CUT_MIDDLE);
    assert_string_equal(f, "a long me\xe2\x80\xa6");
    free(f);
}

/* Where the locale cannot draw "…" (LANG=C), text is cut with "...", its width counted. */
static void test_ascii_ellipsis(void **state)
{
    (void)state;
    text_set_ellipsis("...");
    char *f = text_fit("report.pdf", 10, 9, TEXT_CUT_MIDDLE);
    assert_string_equal(f, "rep...pdf");   /* three columns, counted */
    free(f);
    f = text_fit("report.pdf", 10, 5, TEXT_CUT_END);
    assert_string_equal(f, "re...");
    free(f);
    f = text_fit("report.pdf", 10, 2, TEXT_CUT_END);
    assert_string_equal(f, "..");            /* not even the mark fits */
    free(f);
    text_set_ellipsis("\xe2\x80\xa6");
    f = text_fit("report.pdf", 10, 9, TEXT_CUT_MIDDLE);
    assert_string_equal(f, "repo\xe2\x80\xa6.pdf");
    free(f);
}

int main(void)
{
    if (!setlocale(LC_ALL, "C.UTF-8")) {
        fprintf(stderr, "C.UTF-8 locale missing\n");
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wrap),
        cmocka_unit_test(test_tilde),
        cmocka_unit_test(test_sanitize),
        cmocka_unit_test(test_width),
        cmocka_unit_test(test_fit_table),
        cmocka_unit_test(test_fit_all_widths),
        cmocka_unit_test(test_col_to_byte),
        cmocka_unit_test(test_fit_spans),
        cmocka_unit_test(test_fit_around),
        cmocka_unit_test(test_ascii_ellipsis),
    };
    return cmocka_run_group_tests_name("text", tests, NULL, NULL);
}
