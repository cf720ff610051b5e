/* candidate.c and listing.c on real-shaped answers (the OpenAPI subset's examples), with
 * nulls, unknown fields, wrong types, hostile text and huge arrays. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "candidate.h"
#include "helpers.h"
#include "listing.h"
#include "termsafe.h"
#include "xalloc.h"

/* The subset's example for GET /ats/candidates, with an unknown field added. */
static const char example[] =
    "{\"status\":\"success\",\"data\":{\"next\":\"eyJwYWdlIjoxMn0=\",\"results\":[{"
    "\"id\":\"26vafvWSRmbhNcxJYqjCzuJg\",\"remote_id\":\"32\",\"first_name\":\"John\","
    "\"last_name\":\"Doe\",\"company\":\"Acme, Inc.\",\"title\":\"Head of Marketing\","
    "\"confidential\":false,\"source\":\"Employee Referral\","
    "\"phone_numbers\":[{\"phone_number\":\"+1-541-754-3010\",\"type\":\"HOME\"}],"
    "\"email_addresses\":[{\"email_address\":\"john.doe@example.com\",\"type\":\"PRIVATE\"}],"
    "\"social_media\":[],\"location\":{\"city\":\"Berlin\"},\"custom_fields\":{},"
    "\"integration_fields\":[],\"remote_url\":\"https://app.greenhouse.io/people/32\","
    "\"remote_created_at\":\"2022-04-02T00:00:00.000Z\","
    "\"remote_updated_at\":\"2022-04-04T00:00:00.000Z\",\"remote_data\":null,"
    "\"changed_at\":\"2022-04-04T00:00:00.000Z\",\"remote_deleted_at\":null,"
    "\"applications\":[{\"id\":\"H77fDF8uvEzGNPRubiz5DvQ7\",\"remote_id\":\"32\","
    "\"outcome\":\"HIRED\",\"rejection_reason_name\":null,\"rejected_at\":null,"
    "\"remote_url\":\"https://app.greenhouse.io/applications/32\","
    "\"changed_at\":\"2022-08-07T14:01:29.196Z\",\"remote_created_at\":\"2022-08-07T14:01:29.196Z\","
    "\"remote_updated_at\":\"2022-08-07T14:01:29.196Z\",\"current_stage\":{\"id\":\"5J7L\","
    "\"name\":\"Initial Screening\",\"remote_id\":\"32\",\"index\":2},\"job\":{\"id\":"
    "\"H5daSm8e85Dmvmne3wLeCPhX\",\"name\":\"Backend Engineer\",\"remote_id\":\"32\"}}],"
    "\"tags\":[{\"id\":\"x\",\"name\":\"High Potential\",\"remote_id\":\"32\"}],"
    "\"future_field\":{\"a\":[1,2,3]}}]}}";

static cJSON *parse(const char *s)
{
    cJSON *j = cJSON_Parse(s);
    if (!j)
        fail_msg("test JSON does not parse: %.80s", s);
    return j;
}

static void test_example(void **state)
{
    (void)state;
    cJSON *j = parse(example);
    struct cand_page p;
    char err[256] = "";
    assert_int_equal(cand_page_parse(j, &p, err, sizeof err), 0);
    assert_int_equal(p.n, 1);
    assert_string_equal(p.next, "eyJwYWdlIjoxMn0=");
    assert_false(p.truncated);
    assert_int_equal(p.skipped, 0);
    const struct candidate *c = &p.items[0];
    assert_string_equal(c->id, "26vafvWSRmbhNcxJYqjCzuJg");
    assert_string_equal(c->remote_id, "32");
    assert_string_equal(c->first_name, "John");
    assert_string_equal(c->company, "Acme, Inc.");
    assert_string_equal(c->title, "Head of Marketing");
    assert_string_equal(c->remote_url, "https://app.greenhouse.io/people/32");
    assert_string_equal(c->changed_at, "2022-04-04T00:00:00.000Z");
    assert_null(c->remote_deleted_at);
    assert_int_equal(c->n_emails, 1);
    assert_string_equal(c->emails[0], "john.doe@example.com");
    assert_int_equal(c->n_apps, 1);
    assert_string_equal(c->apps[0].id, "H77fDF8uvEzGNPRubiz5DvQ7");
    assert_int_equal(c->apps[0].outcome, APP_OUTCOME_HIRED);
    assert_string_equal(c->apps[0].stage, "Initial Screening");
    assert_string_equal(c->apps[0].job_id, "H5daSm8e85Dmvmne3wLeCPhX");
    assert_string_equal(c->apps[0].job_name, "Backend Engineer");
    assert_string_equal(app_outcome_name(c->apps[0].outcome), "HIRED");
    char *name = candidate_display_name(c);
    assert_string_equal(name, "John Doe");
    free(name);

    struct candidate copy;
    candidate_copy(&copy, c);
    cand_page_free(&p);
    assert_string_equal(copy.apps[0].job_name, "Backend Engineer");
    assert_string_equal(copy.emails[0], "john.doe@example.com");
    candidate_free(&copy);
    assert_null(copy.id);
    cJSON_Delete(j);
}

static void test_nulls_and_wrong_types(void **state)
{
    (void)state;
    cJSON *j = parse(
        "{\"status\":\"success\",\"data\":{\"next\":null,\"results\":["
        "{\"id\":\"A\",\"remote_id\":null,\"first_name\":null,\"last_name\":null,"
        "\"email_addresses\":null,\"applications\":null,\"changed_at\":5},"
        "{\"id\":\"B\",\"first_name\":7,\"last_name\":\"Solo\",\"email_addresses\":"
        "[{\"email_address\":null,\"type\":null},{\"email_address\":\"b@x.io\"},3],"
        "\"applications\":[{\"id\":null},{\"id\":\"P\",\"outcome\":\"WEIRD\","
        "\"current_stage\":null,\"job\":{\"id\":\"J\",\"name\":null}},\"x\"]},"
        "{\"first_name\":\"no id\"},"
        "42,"
        "{\"id\":\"\"},"
        "{\"id\":\"C\",\"email_addresses\":[{\"email_address\":\"c@x.io\"}]}]}}");
    struct cand_page p;
    char err[256];
    assert_int_equal(cand_page_parse(j, &p, err, sizeof err), 0);
    assert_null(p.next);
    assert_int_equal(p.n, 3);
    assert_int_equal(p.skipped, 3);
    assert_non_null(strstr(p.skip_reason, "id is missing"));
    const struct candidate *a = &p.items[0], *b = &p.items[1], *c = &p.items[2];
    assert_null(a->remote_id);
    assert_null(a->changed_at);   /* a number where a date belongs reads as null */
    assert_int_equal(a->n_emails, 0);
    char *name = candidate_display_name(a);
    assert_string_equal(name, "A");      /* no name, no e-mail: the ID */
    free(name);
    assert_null(b->first_name);
    name = candidate_display_name(b);
    assert_string_equal(name, "Solo");
    free(name);
    assert_int_equal(b->n_emails, 1);
    assert_int_equal(b->n_apps, 1);
    assert_string_equal(b->apps[0].id, "P");
    assert_int_equal(b->apps[0].outcome, APP_OUTCOME_UNKNOWN);
    assert_null(b->apps[0].stage);
    assert_null(b->apps[0].job_name);
    assert_string_equal(b->apps[0].job_id, "J");
    name = candidate_display_name(c);
    assert_string_equal(name, "c@x.io");
    free(name);
    cand_page_free(&p);
    cJSON_Delete(j);
}

static void test_bad_answers(void **state)
{
    (void)state;
    static const struct { const char *json, *msg; } bad[] = {
        {"[1,2]", "is an array, not an object"},
        {"{\"status\":\"success\"}", "data is missing"},
        {"{\"status\":\"success\",\"data\":null}", "data is null"},
        {"{\"status\":\"success\",\"data\":{\"next\":null}}", "results is missing"},
        {"{\"status\":\"success\",\"data\":{\"results\":{}}}", "results is an object"},
        {"{\"status\":\"success\",\"data\":{\"next\":5,\"results\":[]}}", "data.next is not a cursor"},
        {"{\"status\":\"success\",\"data\":{\"next\":\"\",\"results\":[]}}", "data.next is not a cursor"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        cJSON *j = parse(bad[i].json);
        struct cand_page p;
        char err[256] = "";
        assert_int_equal(cand_page_parse(j, &p, err, sizeof err), -1);
        if (!strstr(err, bad[i].msg))
            fail_msg("%s: %s", bad[i].json, err);
        assert_int_equal(p.n, 0);
        assert_null(p.next);
        cand_page_free(&p);
        cJSON_Delete(j);
    }
    struct cand_page p;
    char err[256];
    assert_int_equal(cand_page_parse(NULL, &p, err, sizeof err), -1);
}

/* Control characters and U+202E survive parsing (the data is what it is) but are escaped
 * when shown through termsafe; invalid UTF-8 is replaced; long text is cut at a character
 * boundary; IDs are never repaired. */
static void test_hostile_text(void **state)
{
    (void)state;
    char big[3000];
    memset(big, 'x', sizeof big);
    memcpy(big + 511, "\xc3\xa9", 2); /* é across the 512-byte cut */
    big[sizeof big - 1] = '\0';
    cJSON *j = cJSON_CreateObject();
    cJSON *data = cJSON_AddObjectToObject(j, "data");
    cJSON_AddNullToObject(data, "next");
    cJSON *results = cJSON_AddArrayToObject(data, "results");
    cJSON *c = cJSON_CreateObject();
    cJSON_AddStringToObject(c, "id", "H1");
    cJSON_AddStringToObject(c, "first_name", "Ev\x1b[2Jil");
    cJSON_AddStringToObject(c, "last_name", "\xe2\x80\xae" "fdp.exe");
    cJSON_AddStringToObject(c, "title", "bad \xff byte");
    cJSON_AddStringToObject(c, "company", big);
    cJSON_AddItemToArray(results, c);
    cJSON *d = cJSON_CreateObject();
    cJSON_AddStringToObject(d, "id", "bad\xff" "id");
    cJSON_AddItemToArray(results, d);

    struct cand_page p;
    char err[256];
    assert_int_equal(cand_page_parse(j, &p, err, sizeof err), 0);
    assert_int_equal(p.n, 1);
    assert_int_equal(p.skipped, 1);
    const struct candidate *h = &p.items[0];
    assert_string_equal(h->first_name, "Ev\x1b[2Jil");
    assert_string_equal(h->title, "bad \xef\xbf\xbd byte");
    assert_int_equal(strlen(h->company), 511); /* é would end at 513: cut before it */
    char *name = candidate_display_name(h);
    char *shown = ts_escape(name, strlen(name), TS_ONE_LINE);
    assert_string_equal(shown, "Ev\\x1b[2Jil \\u202efdp.exe");
    free(shown);
    free(name);
    cand_page_free(&p);
    cJSON_Delete(j);
}

static void test_caps(void **state)
{
    (void)state;
    cJSON *j = cJSON_CreateObject();
    cJSON *data = cJSON_AddObjectToObject(j, "data");
    cJSON_AddStringToObject(data, "next", "c2");
    cJSON *results = cJSON_AddArrayToObject(data, "results");
    for (int i = 0; i < CAND_PAGE_MAX + 5; i++) {
        cJSON *c = cJSON_CreateObject();
        char id[32];
        snprintf(id, sizeof id, "id%d", i);
        cJSON_AddStringToObject(c, "id", id);
        if (i == 0) {
            cJSON *em = cJSON_AddArrayToObject(c, "email_addresses");
            cJSON *apps = cJSON_AddArrayToObject(c, "applications");
            for (int k = 0; k < 100; k++) {
                cJSON *e = cJSON_CreateObject();
                char addr[32];
                snprintf(addr, sizeof addr, "a%d@x.io", k);
                cJSON_AddStringToObject(e, "email_address", addr);
                cJSON_AddItemToArray(em, e);
                cJSON *a = cJSON_CreateObject();
                cJSON_AddStringToObject(a, "id", addr);
                cJSON_AddStringToObject(a, "outcome", "PENDING");
                cJSON_AddItemToArray(apps, a);
            }
        }
        cJSON_AddItemToArray(results, c);
    }
    struct cand_page p;
    char err[256];
    assert_int_equal(cand_page_parse(j, &p, err, sizeof err), 0);
    assert_int_equal(p.n, CAND_PAGE_MAX);
    assert_true(p.truncated);
    assert_int_equal(p.items[0].n_emails, CAND_EMAILS_MAX);
    assert_true(p.items[0].emails_truncated);
    assert_int_equal(p.items[0].n_apps, CAND_APPS_MAX);
    assert_true(p.items[0].apps_truncated);
    assert_int_equal(p.items[0].apps[31].outcome, APP_OUTCOME_PENDING);
    cand_page_free(&p);
    cJSON_Delete(j);
}

/* ---- listings ---------------------------------------------------------------------- */

static void test_listing(void **state)
{
    (void)state;
    cJSON *j = parse(
        "{\"status\":\"success\",\"data\":{\"results\":["
        "{\"id\":\"AT1\",\"application_id\":null,\"candidate_id\":\"C1\",\"type\":\"CV\","
        "\"remote_id\":\"r1\",\"data_url\":\"https://files.example.com/a?sig=1\","
        "\"file_name\":\"cv.pdf\",\"content_type\":\"application/pdf\","
        "\"remote_created_at\":\"2024-01-01T00:00:00.000Z\",\"remote_updated_at\":null,"
        "\"new\":true},"
        "{\"id\":\"AT2\",\"application_id\":\"AP1\",\"candidate_id\":\"C1\","
        "\"type\":\"PORTFOLIO\",\"remote_id\":null,\"data_url\":7,\"file_name\":\"x\\u202e.pdf\"},"
        "{\"id\":\"AT3\",\"application_id\":\"AP1\",\"type\":\"COVER_LETTER\"},"
        "{\"no\":\"id\"}]},\"warnings\":[{\"message\":\"w\"}]}");
    struct listing l;
    char err[256];
    assert_int_equal(listing_parse(j, &l, err, sizeof err), 0);
    assert_int_equal(l.n, 3);
    assert_int_equal(l.skipped, 1);
    assert_false(l.truncated);
    assert_string_equal(l.items[0].id, "AT1");
    assert_null(l.items[0].application_id);
    assert_true(l.items[0].type_known);
    assert_int_equal(l.items[0].type, ATT_CV);
    assert_string_equal(l.items[0].data_url, "https://files.example.com/a?sig=1");
    assert_string_equal(l.items[0].content_type, "application/pdf");
    assert_null(l.items[0].remote_updated_at);
    assert_false(l.items[1].type_known);
    assert_string_equal(l.items[1].type_name, "PORTFOLIO");
    assert_null(l.items[1].data_url);
    assert_string_equal(l.items[1].file_name, "x\xe2\x80\xae.pdf");
    assert_int_equal(l.items[2].type, ATT_COVER_LETTER);
    assert_int_equal(listing_count_for(&l, NULL), 1);
    assert_int_equal(listing_count_for(&l, "AP1"), 2);
    assert_int_equal(listing_count_for(&l, "AP2"), 0);
    listing_free(&l);
    cJSON_Delete(j);

    j = parse("{\"status\":\"success\",\"data\":{\"results\":null}}");
    assert_int_equal(listing_parse(j, &l, err, sizeof err), -1);
    assert_non_null(strstr(err, "results is null, not an array"));
    listing_free(&l);
    cJSON_Delete(j);
}

static void test_listing_cap(void **state)
{
    (void)state;
    cJSON *j = cJSON_CreateObject();
    cJSON *results = cJSON_AddArrayToObject(cJSON_AddObjectToObject(j, "data"), "results");
    for (int i = 0; i < LISTING_MAX + 1; i++) {
        cJSON *a = cJSON_CreateObject();
        cJSON_AddStringToObject(a, "id", "same");
        cJSON_AddItemToArray(results, a);
    }
    struct listing l;
    char err[256];
    assert_int_equal(listing_parse(j, &l, err, sizeof err), 0);
    assert_int_equal(l.n, LISTING_MAX);
    assert_true(l.truncated);
    listing_free(&l);
    cJSON_Delete(j);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_example),
        cmocka_unit_test(test_nulls_and_wrong_types),
        cmocka_unit_test(test_bad_answers),
        cmocka_unit_test(test_hostile_text),
        cmocka_unit_test(test_caps),
        cmocka_unit_test(test_listing),
        cmocka_unit_test(test_listing_cap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
