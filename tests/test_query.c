/* query.c: what a person typed, as Kombo filter sets (table-driven). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "helpers.h"
#include "query.h"

/* Each expected set as "label=value" or "label=value|value". */
struct qcase {
    const char *input;
    const char *sets[QUERY_PLAN_MAX + 1];
    const char *description;
};

static const struct qcase cases[] = {
    {"4B9bJBkJ6jEGfpdpcCJ7JKJ9", {"ids=4B9bJBkJ6jEGfpdpcCJ7JKJ9"}, "Kombo ID 4B9bJBkJ6jEGfpdpcCJ7JKJ9"},
    {"  frank@x.com \t", {"email=frank@x.com"}, "e-mail frank@x.com"},
    {"Frank.Doe+cv@example.co.uk", {"email=Frank.Doe+cv@example.co.uk"}, NULL},
    {"https://app.greenhouse.io/people/12345?application_id=9#top", {"remote_ids=12345"},
     "ATS ID 12345 (from the URL)"},
    {"https://ats.example.com/candidates/ab%20c%2Fd/", {"remote_ids=ab c/d"}, NULL},
    {"HTTP://x.example/a/b//", {"remote_ids=b"}, NULL},
    {"12345", {"remote_ids=12345"}, "ATS ID 12345"},
    {"CAND-0042", {"remote_ids=CAND-0042"}, NULL},
    {"Schmidt", {"remote_ids=Schmidt", "first_name=Schmidt", "last_name=Schmidt"},
     "first or last name Schmidt, or ATS ID Schmidt"},
    {"O'Brien", {"remote_ids=O'Brien", "first_name=O'Brien", "last_name=O'Brien"}, NULL},
    {"Müller,Anna", {"first_name=Müller,Anna", "last_name=Müller,Anna"}, NULL},
    {"Frank Doe", {"first_name+last_name=Frank|Doe", "last_name+first_name=Doe|Frank"},
     "name Frank Doe (both orders)"},
    {"  Anna   Maria\tSchmidt ",
     {"first_name+last_name=Anna|Maria Schmidt", "first_name+last_name=Anna Maria|Schmidt",
      "last_name+first_name=Maria Schmidt|Anna", "last_name+first_name=Schmidt|Anna Maria"},
     NULL},
    /* An ID with a space is a name, not an ID. */
    {"4B9bJBkJ6jEGfp dpcCJ7JKJ9", {"first_name+last_name=4B9bJBkJ6jEGfp|dpcCJ7JKJ9",
                                   "last_name+first_name=dpcCJ7JKJ9|4B9bJBkJ6jEGfp"}, NULL},
    /* Not an e-mail: no dot after the @ */
    {"frank@localhost", {"remote_ids=frank@localhost", "first_name=frank@localhost", "last_name=frank@localhost"}, NULL},
};

static void expect_set(const struct query_set *s, const char *want)
{
    char got[600];
    if (s->value[1])
        snprintf(got, sizeof got, "%s=%s|%s", s->label, s->value[0], s->value[1]);
    else
        snprintf(got, sizeof got, "%s=%s", s->label, s->value[0]);
    assert_string_equal(got, want);
    /* The query pairs say the same. */
    assert_non_null(s->query[0]);
    assert_ptr_equal(s->query[1], s->value[0]);
    if (s->value[1]) {
        assert_string_equal(s->query[0], "first_name");
        assert_string_equal(s->query[2], "last_name");
        assert_ptr_equal(s->query[3], s->value[1]);
        assert_null(s->query[4]);
    } else {
        assert_null(s->query[2]);
    }
}

static void test_classify(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const struct qcase *c = &cases[i];
        struct query_plan p;
        char err[256] = "";
        if (query_plan_build(c->input, &p, err, sizeof err) != 0)
            fail_msg("%s: refused: %s", c->input, err);
        size_t want = 0;
        while (c->sets[want])
            want++;
        if (p.n != want)
            fail_msg("%s: %zu sets, want %zu", c->input, p.n, want);
        for (size_t k = 0; k < want; k++)
            expect_set(&p.sets[k], c->sets[k]);
        if (c->description)
            assert_string_equal(p.description, c->description);
        assert_true(p.description[0] != '\0');
        /* most exact first */
        for (size_t k = 1; k < p.n; k++)
            assert_true(p.sets[k - 1].filter <= p.sets[k].filter);
        query_plan_free(&p);
    }
}

static void test_refused(void **state)
{
    (void)state;
    char long_text[400];
    memset(long_text, 'a', sizeof long_text - 1);
    long_text[sizeof long_text - 1] = '\0';
    static const struct { const char *in, *msg; } bad[] = {
        {"", "nothing to search for"},
        {"   \t ", "nothing to search for"},
        {NULL, "nothing to search for"},
        {"Frank\x1b[31mDoe", "control or invisible character (\\u001b)"},
        {"Frank\xe2\x80\xae" "Doe", "control or invisible character (\\u202e)"},
        {"Fr\xff" "ank", "not valid UTF-8"},
        {"https://example.com", "has no path"},
        {"https://example.com/?id=5", "has no path"},
        {"https://example.com/a%0ab", "not an ID"},
        {"https://example.com/a,b", "not an ID"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct query_plan p;
        char err[256] = "";
        assert_int_equal(query_plan_build(bad[i].in, &p, err, sizeof err), -1);
        if (!strstr(err, bad[i].msg))
            fail_msg("%s: message %s", bad[i].in ? bad[i].in : "(null)", err);
        assert_int_equal(p.n, 0);
        query_plan_free(&p);
    }
    struct query_plan p;
    char err[256] = "";
    assert_int_equal(query_plan_build(long_text, &p, err, sizeof err), -1);
    assert_non_null(strstr(err, "too long (399 bytes; at most 256)"));
    /* exactly 256 is fine */
    long_text[256] = '\0';
    assert_int_equal(query_plan_build(long_text, &p, err, sizeof err), 0);
    query_plan_free(&p);
}

static void test_labels(void **state)
{
    (void)state;
    assert_string_equal(query_filter_label(QF_IDS), "ids");
    assert_string_equal(query_filter_label(QF_LAST_FIRST), "last_name+first_name");
    assert_string_equal(query_filter_label(QF_LAST), "last_name");
    assert_string_equal(query_filter_label(QF_COUNT), "?");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_classify),
        cmocka_unit_test(test_refused),
        cmocka_unit_test(test_labels),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
