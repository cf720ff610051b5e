/* ui/links.c: when a terminal gets OSC 8 hyperlinks and OSC 52 (the documented rule, row by
 * row), the bytes sent, and which URLs may go into an escape at all; src/region.c: the
 * other region of Kombo's two servers, none for a custom base URL. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "kombo.h"
#include "links.h"
#include "region.h"

static void test_osc8_rule(void **state)
{
    (void)state;
    static const struct {
        struct link_env e;
        bool osc8, osc52;
    } rows[] = {
        { { .term = "xterm-256color" }, false, true },             /* xterm itself: no OSC 8 */
        { { .term = "linux" }, false, false },                     /* the console would print it */
        { { .term = "vt100" }, false, false },
        { { .term = "dumb" }, false, false },
        { { .term = NULL }, false, false },
        { { .term = "xterm-256color", .vte_version = "7200" }, true, true },
        { { .term = "xterm-256color", .vte_version = "4800" }, false, true },
        { { .term = "xterm-256color", .term_program = "iTerm.app" }, true, true },
        { { .term = "xterm-256color", .term_program = "WezTerm" }, true, true },
        { { .term = "xterm-kitty" }, true, true },
        { { .term = "xterm-256color", .wt_session = "abc" }, true, true },
        { { .term = "screen-256color" }, false, true },            /* GNU screen */
        { { .term = "tmux-256color", .tmux = "/tmp/t,1,0", .term_program = "tmux",
            .term_program_version = "3.3a" }, false, true },
        { { .term = "tmux-256color", .tmux = "/tmp/t,1,0", .term_program = "tmux",
            .term_program_version = "3.4" }, true, true },
        /* inside tmux the outer terminal's variables say nothing */
        { { .term = "screen", .tmux = "/tmp/t,1,0", .vte_version = "7200" }, false, true },
        { { .term = "linux", .override = "1" }, true, false },
        { { .term = "xterm-kitty", .override = "0" }, false, false },
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        if (links_osc8_ok(&rows[i].e) != rows[i].osc8)
            fail_msg("row %zu: osc8 %d", i, !rows[i].osc8);
        if (links_osc52_ok(&rows[i].e) != rows[i].osc52)
            fail_msg("row %zu: osc52 %d", i, !rows[i].osc52);
    }
}

static void test_render(void **state)
{
    (void)state;
    struct links l;
    memset(&l, 0, sizeof l);
    links_add(&l, 4, 16, "https://ats.example/p/1");
    links_add(&l, 5, 16, "https://evil.example/\x1b]0;x\x07");   /* an escape inside: plain */
    links_add(&l, 6, 16, "https://ats.example/a b");               /* a space: plain */
    links_add(&l, 7, 16, "https://ats.example/\xc3\xa9");          /* not ASCII: plain */
    assert_int_equal(l.n, 1);
    char out[4096];
    size_t n = links_render(&l, true, true, out, sizeof out);
    assert_int_equal(n, strlen(out));
    assert_string_equal(out, "\0337\033[5;17H\033]8;;https://ats.example/p/1\033\\https://ats.example/p/1"
                             "\033]8;;\033\\\0338");
    assert_int_equal(links_render(&l, false, true, out, sizeof out), 0); /* nothing to copy */
    snprintf(l.copy, sizeof l.copy, "%s", "hi");
    assert_true(links_render(&l, false, true, out, sizeof out) > 0);
    assert_string_equal(out, "\033]52;c;aGk=\033\\");
    assert_int_equal(links_render(&l, false, false, out, sizeof out), 0);
    /* too small a buffer: nothing half-written */
    assert_int_equal(links_osc52("hello", out, 8), 0);
}

static void test_region(void **state)
{
    (void)state;
    assert_string_equal(region_of(KOMBO_URL_EU), "eu");
    assert_string_equal(region_of(KOMBO_URL_US "/"), "us");
    assert_string_equal(region_other_url(KOMBO_URL_EU), KOMBO_URL_US);
    assert_string_equal(region_other_url(KOMBO_URL_US), KOMBO_URL_EU);
    assert_string_equal(region_other(KOMBO_URL_EU), "us");
    /* a custom base URL, the sandbox's, a prefix of Kombo's: no other region to try */
    assert_null(region_of("https://api.kombo.dev/v1beta"));
    assert_null(region_other_url("http://127.0.0.1:8080/v1"));
    assert_null(region_other(NULL));
    char hint[128];
    region_hint("us", hint, sizeof hint);
    assert_string_equal(hint, "this key belongs to the US region: use --server us");
    /* a region pointed elsewhere (tests, a proxy) is still a region with another to ask */
    setenv("KOMBO_REGION_URL_US", "http://127.0.0.1:9/v1", 1);
    assert_string_equal(region_url("US"), "http://127.0.0.1:9/v1");
    assert_string_equal(region_other_url(KOMBO_URL_EU), "http://127.0.0.1:9/v1");
    assert_string_equal(region_of("http://127.0.0.1:9/v1/"), "us");
    unsetenv("KOMBO_REGION_URL_US");
    assert_string_equal(region_url("us"), KOMBO_URL_US);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_osc8_rule),
        cmocka_unit_test(test_render),
        cmocka_unit_test(test_region),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
