/* The strict JSON validator behind --remote-fields: a table of texts cJSON would take but a
 * strict server would not, and of valid texts that must pass. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "helpers.h"
#include "json_strict.h"

static void test_table(void **state)
{
    (void)state;
    static const struct { const char *text; bool ok, object; } rows[] = {
        { "{}", true, true },
        { " {\"a\":1} \n", true, true },
        { "{\"greenhouse\":{\"post_headers\":{\"on_behalf_of\":\"123\"}}}", true, true },
        { "{\"id\":12345678901234567891}", true, true },
        { "{\"a\":[1,-0,0.5,1e10,-2.5E-3,true,false,null,\"\\u00e9\\n\"]}", true, true },
        { "{\"emoji\":\"\\ud83d\\ude00\",\"raw\":\"日本\"}", true, true },
        { "[1,2]", true, false },
        { "\"text\"", true, false },
        { "", false, false },
        { "{", false, true },
        { "{\"a\":1,}", false, true },
        { "{\"a\":01}", false, true },
        { "{\"a\":1.}", false, true },
        { "{\"a\":-}", false, true },
        { "{\"a\":.5}", false, true },
        { "{\"a\":\"\\u0.e9\"}", false, true },
        { "{\"a\":\"\\x41\"}", false, true },
        { "{\"a\":\"tab\there\"}", false, true },
        { "{\"a\":1}\x0b", false, true },
        { "\xef\xbb\xbf{\"a\":1}", false, false },
        { "{'a':1}", false, true },
        { "{a:1}", false, true },
        { "{\"a\":tru}", false, true },
        { "{\"a\":1}{}", false, true },
        { "{\"a\":\"\xff\"}", false, true },
        { "{\"a\":NaN}", false, true },
    };
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        struct json_strict_info info;
        bool ok = json_strict_check(rows[i].text, strlen(rows[i].text), &info);
        if (ok != rows[i].ok)
            fail_msg("row %zu (%s): got %d, want %d", i, rows[i].text, ok, rows[i].ok);
        if (ok && info.object != rows[i].object)
            fail_msg("row %zu: object %d, want %d", i, info.object, rows[i].object);
        if (!ok)
            assert_true(info.error_at <= strlen(rows[i].text));
    }
}

static void test_surrogates_and_depth(void **state)
{
    (void)state;
    struct json_strict_info info;
    assert_true(json_strict_check("{\"a\":\"\\ud800\"}", 14, &info));
    assert_true(info.lone_surrogate);
    assert_true(json_strict_check("{\"a\":\"\\ud83d\\ude00\"}", 20, &info));
    assert_false(info.lone_surrogate);

    char deep[400];
    size_t n = 0;
    for (int i = 0; i < JSON_STRICT_MAX_DEPTH; i++)
        deep[n++] = '[';
    for (int i = 0; i < JSON_STRICT_MAX_DEPTH; i++)
        deep[n++] = ']';
    assert_true(json_strict_check(deep, n, &info));
    assert_int_equal(info.max_depth, JSON_STRICT_MAX_DEPTH);
    n = 0;
    for (int i = 0; i <= JSON_STRICT_MAX_DEPTH; i++)
        deep[n++] = '[';
    for (int i = 0; i <= JSON_STRICT_MAX_DEPTH; i++)
        deep[n++] = ']';
    assert_false(json_strict_check(deep, n, &info));
}

static void test_long_number_flagged(void **state)
{
    (void)state;
    char text[200];
    snprintf(text, sizeof text, "{\"n\":%s}", "1234567890123456789012345678901234567890123456789012345678901234567890");
    struct json_strict_info info;
    assert_true(json_strict_check(text, strlen(text), &info));
    assert_true(info.long_number);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_surrogates_and_depth),
        cmocka_unit_test(test_long_number_flagged),
    };
    return cmocka_run_group_tests_name("json_strict", tests, NULL, NULL);
}
