/* Kombo's fixed rules (kombo.c): IDs, header values, base URLs, and URLs built with
 * libcurl's URL API, path segments and query values encoded as the official SDKs do;
 * the upload's URL (upload_url) and the outcomes' exit codes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "kombo.h"
#include "transfer.h"
#include "upload.h"


struct url_case {
    const char *base, *id, *want; /* want NULL: refused */
};

static void test_url_encoding(void **state)
{
    (void)state;
    static const struct url_case cases[] = {
        {"https://api.kombo.dev/v1", "4ivCBbPVxhN1J2ydDd8pKs3W",
         "https://api.kombo.dev/v1/ats/candidates/4ivCBbPVxhN1J2ydDd8pKs3W/attachments"},
        {"https://api.kombo.dev/v1/", "abc", "https://api.kombo.dev/v1/ats/candidates/abc/attachments"},
        {"http://127.0.0.1:8080/v1", "a/b", "http://127.0.0.1:8080/v1/ats/candidates/a%2Fb/attachments"},
        {"https://x/v1", "a?b", "https://x/v1/ats/candidates/a%3Fb/attachments"},
        {"https://x/v1", "a#b", "https://x/v1/ats/candidates/a%23b/attachments"},
        {"https://x/v1", "50%", "https://x/v1/ats/candidates/50%25/attachments"},
        {"https://x/v1", "%2e%2e", "https://x/v1/ats/candidates/%252e%252e/attachments"},
        {"https://x/v1", "a b", "https://x/v1/ats/candidates/a%20b/attachments"},
        {"https://x/v1", "\xC3\xA9", "https://x/v1/ats/candidates/%C3%A9/attachments"},
        {"https://x/v1", "../admin", "https://x/v1/ats/candidates/..%2Fadmin/attachments"},
        {"https://x/v1", "...", "https://x/v1/ats/candidates/.../attachments"},
        {"https://x/v1", "A-z_0.9~", "https://x/v1/ats/candidates/A-z_0.9~/attachments"},
        {"https://x/v1", "a+b&c=d;e", "https://x/v1/ats/candidates/a%2Bb%26c%3Dd%3Be/attachments"},
        {"https://x/v1", "\r\n", "https://x/v1/ats/candidates/%0D%0A/attachments"},
        /* refusals */
        {"https://x/v1", "", NULL},
        {"https://x/v1", NULL, NULL},
        {"https://x/v1", ".", NULL},
        {"https://x/v1", "..", NULL},
        {"", "abc", NULL},
        {NULL, "abc", NULL},
        {"ftp://x/v1", "abc", NULL},
        {"not a url", "abc", NULL},
        {"https://x/v1?debug=1", "abc", NULL},
        {"https://x/v1#frag", "abc", NULL},
        {"https://user:pw@x/v1", "abc", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const struct url_case *c = &cases[i];
        char err[256] = "";
        char *url = upload_url(c->base, c->id, NULL, err, sizeof err);
        if (c->want) {
            if (!url)
                fail_msg("case %zu: refused: %s", i, err);
            if (strcmp(url, c->want) != 0)
                fail_msg("case %zu: got %s, want %s", i, url, c->want);
        } else {
            if (url)
                fail_msg("case %zu: accepted as %s", i, url);
            if (!err[0])
                fail_msg("case %zu: refused without a message", i);
        }
        free(url);
    }
}

static void test_candidate_checks(void **state)
{
    (void)state;
    assert_non_null(kombo_check_path_id("candidate", NULL));
    assert_non_null(kombo_check_path_id("candidate", ""));
    assert_non_null(kombo_check_path_id("candidate", "."));
    assert_non_null(kombo_check_path_id("candidate", ".."));
    assert_null(kombo_check_path_id("candidate", "..."));
    assert_null(kombo_check_path_id("candidate", "cand-1"));

    static const struct { const char *id; bool kombo; } looks[] = {
        {"4ivCBbPVxhN1J2ydDd8pKs3W", true},
        {"123456789ABCDEFGHJKLMNPQ", true},
        {"RSTUVWXYZabcdefghijkmnop", true},
        {"4ivCBbPVxhN1J2ydDd8pKs3", false},   /* 23 */
        {"4ivCBbPVxhN1J2ydDd8pKs3WW", false}, /* 25 */
        {"0ivCBbPVxhN1J2ydDd8pKs3W", false},  /* 0 */
        {"OivCBbPVxhN1J2ydDd8pKs3W", false},  /* O */
        {"IivCBbPVxhN1J2ydDd8pKs3W", false},  /* I */
        {"livCBbPVxhN1J2ydDd8pKs3W", false},  /* l */
        {"4ivCBbPVxhN1J2ydDd8pKs-W", false},
        {"", false},
        {NULL, false},
    };
    for (size_t i = 0; i < sizeof looks / sizeof looks[0]; i++)
        if (kombo_id_looks_valid(looks[i].id) != looks[i].kombo)
            fail_msg("looks_like_kombo(%s) != %d", looks[i].id ? looks[i].id : "NULL", looks[i].kombo);
}

struct hv_case {
    const char *what, *value, *want; /* want: substring of the message, NULL: accepted */
};

static void test_header_values(void **state)
{
    (void)state;
    static const struct hv_case cases[] = {
        {"API key", "sk_live_abc123", NULL},
        {"integration ID", "workday:HWUTwvyx2wLoSUHphiWVrp28", NULL},
        {"API key", "", "API key is empty"},
        {"API key", NULL, "API key is empty"},
        {"API key", "abc\r\nX-Evil: 1", "API key contains a control character"},
        {"API key", "abc\n", "control character"},
        {"API key", "a\tb", "control character"},
        {"API key", "a\x7f", "control character"},
        {"API key", "a\x1b[0m", "control character"},
        {"API key", "k\xC3\xA9y", "API key contains a non-ASCII character"},
        {"API key", " key", "API key starts or ends with a space"},
        {"API key", "key ", "space"},
        {"integration ID", "", "integration ID is empty"},
        {"integration ID", "wd:\rX", "integration ID contains a control character"},
        {"integration ID", "wd:\xE2\x80\x8B", "integration ID contains a non-ASCII"},
        {"X-Custom", "", "header value is empty"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const struct hv_case *c = &cases[i];
        const char *m = kombo_check_header_value(c->what, c->value);
        if (!c->want && m)
            fail_msg("case %zu: refused: %s", i, m);
        if (c->want && (!m || !strstr(m, c->want)))
            fail_msg("case %zu: message \"%s\" lacks \"%s\"", i, m ? m : "(accepted)", c->want);
    }
}

static void test_exit_codes(void **state)
{
    (void)state;
    static const struct { enum transfer_outcome o; int code; } cases[] = {
        {TRANSFER_OK, 0}, {TRANSFER_REJECTED, 4}, {TRANSFER_SERVER, 5}, {TRANSFER_NETWORK, 5},
        {TRANSFER_FILE, 3}, {TRANSFER_CANCELLED, 130}, {TRANSFER_INTERNAL, 7},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        if (transfer_exit_code(cases[i].o) != cases[i].code)
            fail_msg("outcome %d: exit %d, want %d", cases[i].o, transfer_exit_code(cases[i].o),
                     cases[i].code);
}


struct query_case {
    const char *name, *value, *want; /* want: the URL's query part */
};

/* Query values as the SDKs send them (encodeURIComponent): '+' is %2B (a bare '+' would
 * read as a space), '@' %40, a space %20, non-ASCII as UTF-8 bytes. */
static void test_query_encoding(void **state)
{
    (void)state;
    static const struct query_case cases[] = {
        {"email", "frank+cv@example.com", "email=frank%2Bcv%40example.com"},
        {"email", "a b@x.io", "email=a%20b%40x.io"},
        {"first_name", "Zo\xC3\xAB", "first_name=Zo%C3%AB"},
        {"last_name", "M\xC3\xBCller-L\xC3\xBC" "denscheid", "last_name=M%C3%BCller-L%C3%BCdenscheid"},
        {"remote_ids", "a,b", "remote_ids=a%2Cb"},
        {"cursor", "x=1&y=2#z", "cursor=x%3D1%26y%3D2%23z"},
        {"q", "100%", "q=100%25"},
        {"q", "", "q="},
        {"updated_after", "2026-01-01T00:00:00.000Z", "updated_after=2026-01-01T00%3A00%3A00.000Z"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *segs[] = {"ats", "candidates", NULL};
        const char *query[] = {cases[i].name, cases[i].value, NULL};
        const char *problem = NULL;
        char *url = kombo_url("https://api.kombo.dev/v1", segs, query, &problem);
        if (!url)
            fail_msg("case %zu refused: %s", i, problem);
        char want[512];
        snprintf(want, sizeof want, "https://api.kombo.dev/v1/ats/candidates?%s", cases[i].want);
        if (strcmp(url, want) != 0)
            fail_msg("case %zu: got %s, want %s", i, url, want);
        free(url);
    }
}

/* Several parameters in order, NULL values skipped, segments encoded one by one. */
static void test_url_parts(void **state)
{
    (void)state;
    const char *segs[] = {"ats", "candidates", "a/b?c", "attachments", NULL};
    const char *query[] = {"page_size", "250", "cursor", NULL, "include_deleted", "true", NULL};
    const char *problem = NULL;
    char *url = kombo_url("http://127.0.0.1:8080/v1/", segs, query, &problem);
    assert_non_null(url);
    assert_string_equal(url, "http://127.0.0.1:8080/v1/ats/candidates/a%2Fb%3Fc/attachments"
                             "?page_size=250&include_deleted=true");
    free(url);

    const char *none[] = {"check-api-key", NULL};
    url = kombo_url("https://api.kombo.dev/v1", none, NULL, &problem);
    assert_string_equal(url, "https://api.kombo.dev/v1/check-api-key");
    free(url);

    static const char *const refused[][2] = {{"ats", ".."}, {"ats", "."}, {"ats", ""}};
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        const char *s[] = {refused[i][0], refused[i][1], NULL};
        problem = NULL;
        assert_null(kombo_url("https://x/v1", s, NULL, &problem));
        assert_non_null(problem);
    }
    problem = NULL;
    assert_null(kombo_url("ftp://x/v1", none, NULL, &problem));
    assert_non_null(strstr(problem, "https://"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_url_encoding),
        cmocka_unit_test(test_candidate_checks),
        cmocka_unit_test(test_header_values),
        cmocka_unit_test(test_exit_codes),
        cmocka_unit_test(test_query_encoding),
        cmocka_unit_test(test_url_parts),
    };
    return cmocka_run_group_tests_name("kombo", tests, NULL, NULL);
}
