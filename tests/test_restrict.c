/* restrict.c: Kombo's attachment_restrictions parsed, applied and described. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <stdio.h>
#include <string.h>

#include "helpers.h"
#include "restrict.h"

#define MIB (1024u * 1024u)

static void parse_ok(const char *json, struct restrictions *r)
{
    cJSON *j = cJSON_Parse(json);
    assert_non_null(j);
    char err[256] = "";
    if (restrict_parse(j, r, err, sizeof err) != 0)
        fail_msg("restrict_parse: %s", err);
    cJSON_Delete(j);
}

/* The subset's example: OTHER up to 10 MiB as PDF or Word, CV and COVER_LETTER not. */
static const char example[] =
    "{\"status\":\"success\",\"data\":{\"attachment_restrictions\":{\"types\":{"
    "\"CV\":{\"is_supported\":false},\"COVER_LETTER\":{\"is_supported\":false},"
    "\"OTHER\":{\"is_supported\":true,\"max_file_size_bytes\":10485760,"
    "\"accepted_mime_types\":[\"application/pdf\",\"application/msword\"]}}}}}";

static void test_example(void **state)
{
    (void)state;
    struct restrictions r;
    parse_ok(example, &r);
    assert_true(r.known);
    assert_true(r.types[ATT_CV].known);
    assert_false(r.types[ATT_CV].is_supported);
    assert_true(r.types[ATT_OTHER].has_max);
    assert_int_equal(r.types[ATT_OTHER].max_bytes, 10485760);
    assert_int_equal(r.types[ATT_OTHER].n_mime, 2);

    char msg[300];
    static const struct {
        enum att_type type;
        uint64_t size;
        const char *ct;
        enum restrict_verdict v;
        const char *msg;
    } cases[] = {
        {ATT_OTHER, 5 * MIB, "application/pdf", RESTRICT_OK, ""},
        {ATT_OTHER, 10 * MIB, "Application/PDF; charset=binary", RESTRICT_OK, ""},
        {ATT_OTHER, 5 * MIB, NULL, RESTRICT_OK, ""},
        {ATT_OTHER, 13002342, "application/pdf", RESTRICT_REFUSED,
         "this integration accepts OTHER files up to 10 MiB as application/pdf or "
         "application/msword; this file is 12.4 MiB"},
        {ATT_OTHER, 100, "image/png", RESTRICT_REFUSED,
         "this integration accepts OTHER files up to 10 MiB as application/pdf or "
         "application/msword; this file is image/png"},
        {ATT_OTHER, 11 * MIB, "image/png", RESTRICT_REFUSED,
         "this integration accepts OTHER files up to 10 MiB as application/pdf or "
         "application/msword; this file is 11.0 MiB and image/png"},
        {ATT_CV, 1, "application/pdf", RESTRICT_REFUSED,
         "this integration does not accept CV attachments"},
        {ATT_COVER_LETTER, 1, "application/pdf", RESTRICT_REFUSED,
         "this integration does not accept COVER_LETTER attachments"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        enum restrict_verdict v = restrict_check(&r, cases[i].type, cases[i].size, cases[i].ct,
                                                 msg, sizeof msg);
        if (v != cases[i].v || strcmp(msg, cases[i].msg) != 0)
            fail_msg("case %zu: %d %s", i, v, msg);
    }
    char d[400];
    restrict_describe(&r, ATT_OTHER, d, sizeof d);
    assert_string_equal(d, "OTHER: PDF, DOC, up to 10 MiB");
    restrict_describe_all(&r, d, sizeof d);
    assert_string_equal(d, "CV: not supported; COVER_LETTER: not supported; OTHER: PDF, DOC, "
                           "up to 10 MiB");
    restrict_free(&r);
}

/* What is not known never refuses. */
static void test_unknown_never_refuses(void **state)
{
    (void)state;
    static const char *const answers[] = {
        "{\"status\":\"success\",\"data\":{\"attachment_restrictions\":null}}",
        "{\"status\":\"success\",\"data\":{}}",
        "{\"status\":\"success\",\"data\":{\"attachment_restrictions\":{\"types\":{"
        "\"CV\":{\"is_supported\":true,\"max_file_size_bytes\":null,\"accepted_mime_types\":null},"
        "\"COVER_LETTER\":{\"is_supported\":\"yes\"},"
        "\"OTHER\":{\"is_supported\":true,\"max_file_size_bytes\":-5,\"accepted_mime_types\":[]}}}}}",
        "{\"status\":\"success\",\"data\":{\"attachment_restrictions\":{\"types\":{"
        "\"CV\":{\"is_supported\":true,\"max_file_size_bytes\":1e300,"
        "\"accepted_mime_types\":[5,null,\"\",\"with space/x\"]}}}}}",
    };
    for (size_t i = 0; i < sizeof answers / sizeof answers[0]; i++) {
        struct restrictions r;
        parse_ok(answers[i], &r);
        char msg[300];
        for (int t = 0; t < RESTRICT_TYPES; t++)
            if (restrict_check(&r, (enum att_type)t, UINT64_MAX, "x/y", msg, sizeof msg) !=
                RESTRICT_OK)
                fail_msg("answer %zu type %d refused: %s", i, t, msg);
        restrict_free(&r);
    }
    char msg[300];
    assert_int_equal(restrict_check(NULL, ATT_CV, 1, "a/b", msg, sizeof msg), RESTRICT_OK);
    char d[200];
    restrict_describe(NULL, ATT_CV, d, sizeof d);
    assert_string_equal(d, "CV: no information");

    struct restrictions r;
    parse_ok(answers[2], &r);
    restrict_describe(&r, ATT_CV, d, sizeof d);
    assert_string_equal(d, "CV: any type, any size");
    restrict_describe(&r, ATT_COVER_LETTER, d, sizeof d);
    assert_string_equal(d, "COVER_LETTER: no information");
    restrict_free(&r);
}

static void test_wildcards_and_caps(void **state)
{
    (void)state;
    char json[8192];
    size_t o = (size_t)snprintf(json, sizeof json,
        "{\"status\":\"success\",\"data\":{\"attachment_restrictions\":{\"types\":{"
        "\"CV\":{\"is_supported\":true,\"max_file_size_bytes\":1000,"
        "\"accepted_mime_types\":[\"image/*\",\"APPLICATION/PDF\"]},"
        "\"OTHER\":{\"is_supported\":true,\"max_file_size_bytes\":null,\"accepted_mime_types\":[");
    for (int i = 0; i < 100; i++)
        o += (size_t)snprintf(json + o, sizeof json - o, "%s\"t/x%d\"", i ? "," : "", i);
    snprintf(json + o, sizeof json - o, "]}}}}}");
    struct restrictions r;
    parse_ok(json, &r);
    char msg[300];
    assert_int_equal(restrict_check(&r, ATT_CV, 10, "image/png", msg, sizeof msg), RESTRICT_OK);
    assert_int_equal(restrict_check(&r, ATT_CV, 10, "application/pdf", msg, sizeof msg), RESTRICT_OK);
    assert_int_equal(restrict_check(&r, ATT_CV, 10, "imagex/png", msg, sizeof msg), RESTRICT_REFUSED);
    assert_int_equal(restrict_check(&r, ATT_CV, 1001, "image/png", msg, sizeof msg), RESTRICT_REFUSED);
    assert_string_equal(msg, "this integration accepts CV files up to 1000 B as image/* or "
                             "application/pdf; this file is 1001 B");
    assert_int_equal(r.types[ATT_OTHER].n_mime, RESTRICT_MIME_MAX);
    assert_true(r.types[ATT_OTHER].mime_truncated);
    /* A long list is cut to fit the message, never overflowing it. */
    char small[80];
    assert_int_equal(restrict_check(&r, ATT_OTHER, 1, "a/b", small, sizeof small), RESTRICT_REFUSED);
    assert_true(strlen(small) < sizeof small);
    char d[100];
    restrict_describe(&r, ATT_OTHER, d, sizeof d);
    assert_true(strlen(d) < sizeof d);
    restrict_free(&r);
}

static void test_bad_shapes(void **state)
{
    (void)state;
    static const struct { const char *json, *msg; } bad[] = {
        {"{\"status\":\"success\",\"data\":{\"attachment_restrictions\":[]}}",
         "attachment_restrictions is an array"},
        {"{\"status\":\"success\",\"data\":{\"attachment_restrictions\":{\"types\":3}}}",
         "types is a number"},
        {"{\"status\":\"success\"}", "data is missing"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        cJSON *j = cJSON_Parse(bad[i].json);
        struct restrictions r;
        char err[256] = "";
        assert_int_equal(restrict_parse(j, &r, err, sizeof err), -1);
        if (!strstr(err, bad[i].msg))
            fail_msg("%s: %s", bad[i].json, err);
        assert_false(r.known);
        restrict_free(&r);
        cJSON_Delete(j);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_example),
        cmocka_unit_test(test_unknown_never_refuses),
        cmocka_unit_test(test_wildcards_and_caps),
        cmocka_unit_test(test_bad_shapes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
