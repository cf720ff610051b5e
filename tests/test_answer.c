/* Tests for the answer parser: Kombo's shapes, proxies' HTML, broken bodies, escaping. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "answer.h"
#include "helpers.h"

#define ABSENT ((const char *)0)

struct parse_case {
    const char *name;
    long status;
    const char *ct;
    const char *body;
    bool ok;
    const char *problem;        /* substring expected in problem, NULL: no problem */
    const char *code, *title, *message, *log_url; /* NULL: expected NULL */
    size_t n_warnings;
    const char *warning0;
    const char *summary;        /* substring expected in the summary */
};

static const struct parse_case cases[] = {
    {"success, no warnings", 200, "application/json",
     "{\"status\":\"success\",\"data\":{}}", true, NULL, ABSENT, ABSENT, ABSENT, ABSENT, 0, NULL,
     "success (HTTP 200)"},
    {"success, empty warnings", 200, "application/json",
     "{\"status\":\"success\",\"data\":{},\"warnings\":[]}", true, NULL, ABSENT, ABSENT, ABSENT,
     ABSENT, 0, NULL, "success (HTTP 200)"},
    {"success, two warnings", 201, "application/json",
     "{\"status\":\"success\",\"data\":{},\"warnings\":[{\"message\":\"name shortened\"},"
     "{\"message\":\"type mapped to OTHER\"}]}",
     true, NULL, ABSENT, ABSENT, ABSENT, ABSENT, 2, "name shortened",
     "success (HTTP 201) with 2 warnings: name shortened; type mapped to OTHER"},
    {"success, odd warnings skipped", 200, NULL,
     "{\"status\":\"success\",\"warnings\":[{\"message\":null},42,\"plain\"]}",
     true, NULL, ABSENT, ABSENT, ABSENT, ABSENT, 1, "plain", "1 warning: plain"},
    {"error, every field", 400, "application/json",
     "{\"status\":\"error\",\"error\":{\"code\":\"PLATFORM.INPUT_INVALID\",\"title\":\"Input invalid\","
     "\"message\":\"name is required\",\"log_url\":\"https://app.kombo.dev/logs/1\"}}",
     false, NULL, "PLATFORM.INPUT_INVALID", "Input invalid", "name is required",
     "https://app.kombo.dev/logs/1", 0, NULL,
     "PLATFORM.INPUT_INVALID (Input invalid): name is required [log: https://app.kombo.dev/logs/1]"},
    {"error, code null", 401, "application/json",
     "{\"status\":\"error\",\"error\":{\"code\":null,\"title\":\"Unauthorized\",\"message\":\"bad key\","
     "\"log_url\":null}}",
     false, NULL, ABSENT, "Unauthorized", "bad key", ABSENT, 0, NULL, "Unauthorized: bad key"},
    {"error, title and log_url absent", 404, "application/json",
     "{\"status\":\"error\",\"error\":{\"code\":\"X.Y\",\"message\":\"no such candidate\"}}",
     false, NULL, "X.Y", ABSENT, "no such candidate", ABSENT, 0, NULL,
     "X.Y: no such candidate"},
    {"error, message null", 500, "application/json",
     "{\"status\":\"error\",\"error\":{\"code\":\"PLATFORM.UNKNOWN_ERROR\",\"title\":null,"
     "\"message\":null,\"log_url\":\"https://l\"}}",
     false, NULL, "PLATFORM.UNKNOWN_ERROR", ABSENT, ABSENT, "https://l", 0, NULL,
     "PLATFORM.UNKNOWN_ERROR [log: https://l]"},
    {"error, all null", 409, "application/json",
     "{\"status\":\"error\",\"error\":{\"code\":null,\"title\":null,\"message\":null,\"log_url\":null}}",
     false, NULL, ABSENT, ABSENT, ABSENT, ABSENT, 0, NULL, "HTTP 409 error without details"},
    {"error, no error object", 422, "application/json", "{\"status\":\"error\"}",
     false, NULL, ABSENT, ABSENT, ABSENT, ABSENT, 0, NULL, "HTTP 422 error without details"},
    {"error, fields of wrong type", 400, "application/json",
     "{\"status\":\"error\",\"error\":{\"code\":7,\"title\":[],\"message\":\"m\",\"log_url\":{}}}",
     false, NULL, ABSENT, ABSENT, "m", ABSENT, 0, NULL, "m"},
    {"2xx with the error shape", 200, "application/json",
     "{\"status\":\"error\",\"error\":{\"code\":\"ATS.JOB_CLOSED\",\"title\":\"Job closed\","
     "\"message\":\"closed\",\"log_url\":null}}",
     false, NULL, "ATS.JOB_CLOSED", "Job closed", "closed", ABSENT, 0, NULL,
     "ATS.JOB_CLOSED (Job closed): closed"},
    {"HTML with title", 502, "text/html",
     "<html><head><TITLE>502 Bad\n  Gateway</TITLE></head><body>nginx</body></html>",
     false, "HTTP 502 with an HTML body: <title>502 Bad Gateway</title>", ABSENT, ABSENT, ABSENT,
     ABSENT, 0, NULL, "HTTP 502 with an HTML body"},
    {"HTML without content type", 503, NULL,
     "  <!DOCTYPE html><html><head><title>Service Unavailable</title>",
     false, "HTTP 503 with an HTML body: <title>Service Unavailable</title>", ABSENT, ABSENT,
     ABSENT, ABSENT, 0, NULL, "Service Unavailable"},
    {"HTML without title", 504, "text/html; charset=utf-8", "<html><body>timeout</body></html>",
     false, "HTTP 504 with an HTML body without a title", ABSENT, ABSENT, ABSENT, ABSENT, 0, NULL,
     "HTTP 504"},
    {"empty body", 500, NULL, "", false, "HTTP 500 with an empty body", ABSENT, ABSENT, ABSENT,
     ABSENT, 0, NULL, "HTTP 500 with an empty body"},
    {"white space body", 200, "application/json", " \r\n", false, "HTTP 200 with an empty body",
     ABSENT, ABSENT, ABSENT, ABSENT, 0, NULL, "empty"},
    {"truncated JSON on 200", 200, "application/json", "{\"status\":\"success\",\"da",
     false, "HTTP 200 with invalid or truncated JSON", ABSENT, ABSENT, ABSENT, ABSENT, 0, NULL,
     "truncated"},
    {"plain text", 500, "text/plain", "upstream connect error\nreset",
     false, "HTTP 500 with a non-JSON body (text/plain): upstream connect error reset", ABSENT,
     ABSENT, ABSENT, ABSENT, 0, NULL, "non-JSON"},
    {"JSON array", 200, "application/json", "[1,2]",
     false, "HTTP 200 with JSON that is not Kombo's answer (an array)", ABSENT, ABSENT, ABSENT,
     ABSENT, 0, NULL, "an array"},
    {"JSON without status", 502, "application/json", "{\"message\":\"Internal server error\"}",
     false, "HTTP 502 with JSON that is not Kombo's answer (no \"status\"): Internal server error",
     ABSENT, ABSENT, ABSENT, ABSENT, 0, NULL, "Internal server error"},
    {"JSON status not a string", 200, "application/json", "{\"status\":true}",
     false, "no \"status\"", ABSENT, ABSENT, ABSENT, ABSENT, 0, NULL, "not Kombo"},
    {"unknown status", 200, "application/json", "{\"status\":\"pending\"}",
     false, "(status \"pending\")", ABSENT, ABSENT, ABSENT, ABSENT, 0, NULL, "pending"},
    {"success shape on 500", 500, "application/json", "{\"status\":\"success\",\"data\":{}}",
     false, "HTTP 500 with a success answer", ABSENT, ABSENT, ABSENT, ABSENT, 0, NULL, "HTTP 500"},
};

static void check_str(const char *what, const char *casename, const char *got, const char *want)
{
    if (!want && got)
        fail_msg("%s: %s: expected NULL, got \"%s\"", casename, what, got);
    if (want && !got)
        fail_msg("%s: %s: expected \"%s\", got NULL", casename, what, want);
    if (want && strcmp(got, want) != 0)
        fail_msg("%s: %s: expected \"%s\", got \"%s\"", casename, what, want, got);
}

static void test_parse_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const struct parse_case *c = &cases[i];
        struct answer a;
        answer_parse(c->status, c->ct, c->body, strlen(c->body), &a);
        if (a.ok != c->ok)
            fail_msg("%s: ok=%d, want %d", c->name, a.ok, c->ok);
        if (a.http_status != c->status)
            fail_msg("%s: http_status %ld", c->name, a.http_status);
        if (c->problem) {
            if (!a.problem || !strstr(a.problem, c->problem))
                fail_msg("%s: problem \"%s\" lacks \"%s\"", c->name, a.problem ? a.problem : "(null)",
                         c->problem);
        } else if (a.problem) {
            fail_msg("%s: unexpected problem \"%s\"", c->name, a.problem);
        }
        check_str("code", c->name, a.err.code, c->code);
        check_str("title", c->name, a.err.title, c->title);
        check_str("message", c->name, a.err.message, c->message);
        check_str("log_url", c->name, a.err.log_url, c->log_url);
        if (a.n_warnings != c->n_warnings)
            fail_msg("%s: %zu warnings, want %zu", c->name, a.n_warnings, c->n_warnings);
        if (c->warning0)
            check_str("warning 0", c->name, a.warnings[0], c->warning0);
        char *sum = answer_summary(&a);
        assert_non_null(sum);
        if (!strstr(sum, c->summary))
            fail_msg("%s: summary \"%s\" lacks \"%s\"", c->name, sum, c->summary);
        if (strchr(sum, '\n'))
            fail_msg("%s: summary is not one line", c->name);
        free(sum);
        answer_free(&a);
        assert_null(a.problem);
    }
}

/* The body need not be NUL-terminated: parse a prefix of a longer buffer. */
static void test_not_nul_terminated(void **state)
{
    (void)state;
    const char buf[] = "{\"status\":\"success\"}GARBAGE";
    struct answer a;
    answer_parse(200, NULL, buf, 20, &a);
    assert_true(a.ok);
    answer_free(&a);
    answer_parse(200, NULL, buf, 19, &a); /* cut before the closing brace */
    assert_false(a.ok);
    assert_non_null(a.problem);
    assert_non_null(strstr(a.problem, "truncated"));
    answer_free(&a);
    answer_parse(200, NULL, NULL, 0, &a);
    assert_false(a.ok);
    assert_non_null(strstr(a.problem, "empty"));
    answer_free(&a);
}

struct esc_case {
    const char *in;
    size_t n; /* 0: strlen */
    const char *want;
};

static void test_escape_table(void **state)
{
    (void)state;
    static const struct esc_case ec[] = {
        {"plain text", 0, "plain text"},
        {"caf\xC3\xA9 \xE2\x82\xAC", 0, "caf\xC3\xA9 \xE2\x82\xAC"},    /* UTF-8 kept */
        {"a\x1b[2Jb", 0, "a\\x1b[2Jb"},                                 /* ESC */
        {"line1\nline2\r\t", 0, "line1\\nline2\\r\\t"},
        {"bell\x07 del\x7f", 0, "bell\\x07 del\\x7f"},
        {"csi\xC2\x9B" "31m", 0, "csi\\u009b31m"},                      /* C1 CSI */
        {"rtl\xE2\x80\xAEtxt", 0, "rtl\\u202etxt"},                     /* bidi override */
        {"bad\xFF\xC3", 0, "bad\\xff\\xc3"},                            /* invalid UTF-8 */
        {"\xC0\xAF", 0, "\\xc0\\xaf"},                                  /* overlong */
        {"\xED\xA0\x80", 0, "\\xed\\xa0\\x80"},                         /* surrogate */
        {"nul\0after", 9, "nul\\x00after"},
        {"zw\xE2\x80\x8Bj\xEF\xBB\xBF", 0, "zw\\u200bj\\ufeff"},      /* zero width */
        {"", 0, ""},
    };
    for (size_t i = 0; i < sizeof ec / sizeof ec[0]; i++) {
        size_t n = ec[i].n ? ec[i].n : strlen(ec[i].in);
        char *e = answer_escape(ec[i].in, n);
        assert_non_null(e);
        if (strcmp(e, ec[i].want) != 0)
            fail_msg("escape #%zu: got \"%s\", want \"%s\"", i, e, ec[i].want);
        free(e);
    }
}

/* A hostile server's strings end up escaped in every field and in the summary. */
static void test_hostile_strings(void **state)
{
    (void)state;
    const char *body =
        "{\"status\":\"error\",\"error\":{\"code\":\"X\\u001b]0;pwned\\u0007\","
        "\"title\":\"T\\nFake: line\",\"message\":\"\\u001b[31mred\\u009b\","
        "\"log_url\":\"https://x/\\r\"}}";
    struct answer a;
    answer_parse(400, "application/json", body, strlen(body), &a);
    assert_false(a.ok);
    assert_null(a.problem);
    assert_string_equal(a.err.code, "X\\x1b]0;pwned\\x07");
    assert_string_equal(a.err.title, "T\\nFake: line");
    assert_string_equal(a.err.message, "\\x1b[31mred\\u009b");
    assert_string_equal(a.err.log_url, "https://x/\\r");
    char *sum = answer_summary(&a);
    for (const char *p = sum; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            fail_msg("control byte 0x%02x in summary", (unsigned char)*p);
    free(sum);
    answer_free(&a);

    const char *warn = "{\"status\":\"success\",\"warnings\":[{\"message\":\"w\\u001b[H\"}]}";
    answer_parse(200, NULL, warn, strlen(warn), &a);
    assert_true(a.ok);
    assert_int_equal(a.n_warnings, 1);
    assert_string_equal(a.warnings[0], "w\\x1b[H");
    answer_free(&a);

    const char *html = "<title>\x1b[2JOwned\xe2\x80\xae</title>";
    answer_parse(502, "text/html", html, strlen(html), &a);
    assert_non_null(a.problem);
    assert_non_null(strstr(a.problem, "<title>\\x1b[2JOwned\\u202e</title>"));
    answer_free(&a);

    const char *text = "oops\x1b]52;c;AAAA\x07";
    answer_parse(500, "text/pl\x1b" "ain", text, strlen(text), &a);
    assert_non_null(a.problem);
    for (const char *p = a.problem; *p; p++)
        if ((unsigned char)*p < 0x20)
            fail_msg("control byte in problem: %s", a.problem);
    answer_free(&a);
}

/* Long server text is cut to a bounded one-liner. */
static void test_long_title_cut(void **state)
{
    (void)state;
    char body[4096];
    strcpy(body, "<title>");
    for (int i = 0; i < 1000; i++)
        strcat(body, "\xC3\xA9"); /* two-byte characters: the cut must not split one */
    strcat(body, "</title>");
    struct answer a;
    answer_parse(502, "text/html", body, strlen(body), &a);
    assert_non_null(a.problem);
    assert_true(strlen(a.problem) < 250);
    assert_non_null(strstr(a.problem, "...</title>"));
    const char *dots = strstr(a.problem, "...");
    assert_int_equal((unsigned char)dots[-1], 0xA9); /* whole characters before "..." */
    answer_free(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_table),
        cmocka_unit_test(test_not_nul_terminated),
        cmocka_unit_test(test_escape_table),
        cmocka_unit_test(test_hostile_strings),
        cmocka_unit_test(test_long_title_cut),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
