/* The send options' checks (sendopts.c): --remote-fields must be strict JSON and an object;
 * the text sent is the user's own, trimmed, so big numbers pass unchanged. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "sendopts.h"

static void test_remote_fields_accepted(void **state)
{
    (void)state;
    static const struct { const char *in, *out; } rows[] = {
        {"{}", "{}"},
        {"  {\"workable\": {\"on_behalf_of_user_remote_id\": \"u-1\"}}\n",
         "{\"workable\": {\"on_behalf_of_user_remote_id\": \"u-1\"}}"},
        {"{\"lever\":{\"perform_as\":12345678901234567891}}", "{\"lever\":{\"perform_as\":12345678901234567891}}"},
        {"{\"a\":[1,2.5,true,null,\"\\u00e9\\n\"],\"b\":{}}", "{\"a\":[1,2.5,true,null,\"\\u00e9\\n\"],\"b\":{}}"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        char err[300] = "";
        char *t = sendopts_check_remote_fields(rows[i].in, err, sizeof err);
        if (!t)
            fail_msg("row %zu refused: %s", i, err);
        assert_string_equal(t, rows[i].out);
        free(t);
    }
}

static void test_remote_fields_refused(void **state)
{
    (void)state;
    static const struct { const char *in, *want; } rows[] = {
        {"", "not valid JSON"},
        {"[]", "must be a JSON object"},
        {"1", "must be a JSON object"},
        {"\"x\"", "must be a JSON object"},
        {"null", "must be a JSON object"},
        {"{", "not valid JSON"},
        {"{\"a\":1} x", "not valid JSON (at byte 8"},
        {"{'a':1}", "not valid JSON"},
        {"{\"a\":\"x\ny\"}", "not valid JSON"},
        {"{\"a\":\"\xff\"}", "not valid JSON"},
        {"\xef\xbb\xbf{}", "byte-order mark"},
        {"{\"a\":\"\\ud800\"}", "half a surrogate pair"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        char err[300] = "";
        char *t = sendopts_check_remote_fields(rows[i].in, err, sizeof err);
        if (t)
            fail_msg("row %zu accepted as %s", i, t);
        if (!strstr(err, rows[i].want))
            fail_msg("row %zu: \"%s\" lacks \"%s\"", i, err, rows[i].want);
        assert_null(strchr(err, '\n'));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_remote_fields_accepted),
        cmocka_unit_test(test_remote_fields_refused),
    };
    return cmocka_run_group_tests_name("sendopts", tests, NULL, NULL);
}
