/* pastepath: the ways terminals paste a dragged file, as a table. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "helpers.h"
#include "pastepath.h"

static const struct { const char *in, *want; } cases[] = {
    { "/home/fd/CV.pdf", "/home/fd/CV.pdf" },
    { "/home/fd/CV.pdf\n", "/home/fd/CV.pdf" },                 /* a trailing line end */
    { "  /home/fd/CV.pdf \r\n", "/home/fd/CV.pdf" },
    { "'/home/fd/My CV.pdf'", "/home/fd/My CV.pdf" },           /* quoted (GNOME, kitty) */
    { "\"/home/fd/My CV.pdf\"", "/home/fd/My CV.pdf" },
    { "file:///home/fd/My%20CV%C3%A9.pdf", "/home/fd/My CV\xc3\xa9.pdf" }, /* a URL */
    { "file://laptop/home/fd/a.pdf", "/home/fd/a.pdf" },
    { "'file:///tmp/x y.txt'\n", "/tmp/x y.txt" },
    { "docs/cv.pdf", "/work/here/docs/cv.pdf" },                /* relative: from the folder shown */
    { "~/cv.pdf", "/home/fd/cv.pdf" },
    { "~", "/home/fd/" },
    { "/a/bad%zzname", "/a/bad%zzname" },                       /* no URL: % stays */
    { "", NULL },
    { " \n ", NULL },
    { "line one\nline two", NULL },                             /* text, not a path */
    { "''", NULL },
    { "file://nohost", NULL },
};

static void test_parse(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *got = pastepath_parse(cases[i].in, "/work/here", "/home/fd");
        if (!cases[i].want) {
            if (got)
                fail_msg("case %zu: \"%s\", want none", i, got);
        } else if (!got || strcmp(got, cases[i].want) != 0) {
            fail_msg("case %zu: \"%s\", want \"%s\"", i, got ? got : "(none)", cases[i].want);
        }
        free(got);
    }
}

static void test_unescape(void **state)
{
    (void)state;
    char *s = pastepath_unescape("/home/fd/My\\ CV\\ \\(2024\\).pdf");
    assert_string_equal(s, "/home/fd/My CV (2024).pdf");
    free(s);
    s = pastepath_unescape("trailing\\");
    assert_string_equal(s, "trailing\\");
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse),
        cmocka_unit_test(test_unescape),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
