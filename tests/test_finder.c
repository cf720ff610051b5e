/* The reading layer against the in-process mock: kread requests (headers on the wire),
 * the finder (filters in parallel, merged, ordered, errors), the pager on the mock's
 * candidates, an attachment listing, the key check. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"
#include "exitcodes.h"
#include "finder.h"
#include "integration.h"
#include "jsonreq.h"
#include "kread.h"
#include "listing.h"
#include "mock_fixture.h"
#include "pager.h"
#include "query.h"

#define KEY "sk_test_finder_key_0123456789"
#define INTEGRATION "workday:HWUTwvyx2wLoSUHphiWVrp28"
#define FRANK "4B7z5qJ8dXcR2mTnWvKpLs9a"
#define FRANK2 "4B9bJBkJ6jEGfpdpcCJ7JKJ9"

static struct client *new_client(void)
{
    return th_client(mock_base_url(G->mock), KEY, INTEGRATION, 2);
}

static void wait_for(struct client *c, struct transfer *t)
{
    while (!transfer_finished(t))
        client_poll(c, 100, -1, NULL);
}

/* The mock's record of the last request whose path starts with prefix. */
static cJSON *last_request(const char *prefix)
{
    /* /__mock/requests is outside /v1: ask with a client on the bare server. */
    char base[256];
    snprintf(base, sizeof base, "%s", mock_base_url(G->mock));
    char *v1 = strstr(base, "/v1");
    if (v1)
        *v1 = '\0';
    struct client_options o = {.base_url = base, .api_key = KEY, .integration_id = INTEGRATION};
    int code;
    char err[256];
    struct client *raw = client_new(&o, &code, err, sizeof err);
    assert_non_null(raw);
    static const char *const rs[] = {"__mock", "requests", NULL};
    struct json_request r = {.segments = rs};
    struct transfer *t = jsonreq_start(raw, &r, &code, err, sizeof err);
    assert_non_null(t);
    wait_for(raw, t);
    const cJSON *list = cJSON_GetObjectItem(cJSON_GetObjectItem(transfer_get_result(t)->json, "data"),
                                            "requests");
    cJSON *found = NULL;
    const cJSON *e;
    cJSON_ArrayForEach(e, list)
    {
        const char *p = cJSON_GetStringValue(cJSON_GetObjectItem(e, "path"));
        if (p && strncmp(p, prefix, strlen(prefix)) == 0) {
            cJSON_Delete(found);
            found = cJSON_Duplicate(e, 1);
        }
    }
    transfer_free(t);
    client_free(raw);
    return found;
}

static bool has_header(const cJSON *rec, const char *name)
{
    const cJSON *h;
    cJSON_ArrayForEach(h, cJSON_GetObjectItem(rec, "headers"))
        if (cJSON_IsString(h) && strcasecmp(h->valuestring, name) == 0)
            return true;
    return false;
}

static void test_kread_on_the_wire(void **state)
{
    (void)state;
    struct client *c = new_client();
    int code;
    char err[512];
    struct kread_candidates q = {.email = "Frank+x@example.com", .page_size = 7,
                                 .include_deleted = true, .updated_after = "2024-05-01T12:00:00.000Z"};
    struct transfer *t = kread_candidates(c, &q, &code, err, sizeof err);
    assert_non_null(t);
    wait_for(c, t);
    assert_int_equal(transfer_get_result(t)->outcome, TRANSFER_OK);
    transfer_free(t);
    cJSON *rec = last_request("/v1/ats/candidates?");
    assert_non_null(rec);
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(rec, "path")),
                        "/v1/ats/candidates?email=Frank%2Bx%40example.com&include_deleted=true"
                        "&updated_after=2024-05-01T12%3A00%3A00.000Z&page_size=7");
    assert_true(has_header(rec, "X-Integration-Id"));
    cJSON_Delete(rec);

    t = kread_check_api_key(c, &code, err, sizeof err);
    wait_for(c, t);
    struct key_info k;
    assert_int_equal(key_info_parse(transfer_get_result(t)->json, &k, err, sizeof err), 0);
    assert_string_equal(k.environment_id, "mock-env");
    key_info_free(&k);
    transfer_free(t);
    rec = last_request("/v1/check-api-key");
    assert_non_null(rec);
    assert_true(has_header(rec, "Authorization"));
    assert_false(has_header(rec, "X-Integration-Id"));
    cJSON_Delete(rec);

    /* refusals: nothing sent */
    static const char *const phone[] = {"phone", "1", NULL};
    static const char *const email2[] = {"email", "d@e.f", NULL};
    const struct { struct kread_candidates q; const char *msg; } bad[] = {
        {{.page_size = 251}, "page size 251: Kombo takes 1 to 250"},
        {{.page_size = -1}, "page size -1"},
        {{.updated_after = "yesterday"}, "updated-after must look like"},
        {{.email = ""}, "the email filter is empty"},
        {{.pairs = phone}, "phone is not a candidate filter"},
        {{.email = "a@b.c", .pairs = email2}, "given twice"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        err[0] = '\0';
        assert_null(kread_candidates(c, &bad[i].q, &code, err, sizeof err));
        assert_int_equal(code, KA_EXIT_USAGE);
        if (!strstr(err, bad[i].msg))
            fail_msg("case %zu: %s", i, err);
    }
    assert_null(kread_candidate_attachments(c, "..", &code, err, sizeof err));
    assert_null(kread_integration(c, "", &code, err, sizeof err));
    assert_int_equal(client_pending(c), 0);
    client_free(c);
}

static void test_listing_from_mock(void **state)
{
    (void)state;
    struct client *c = new_client();
    int code;
    char err[512];
    struct transfer *t = kread_candidate_attachments(c, FRANK, &code, err, sizeof err);
    assert_non_null(t);
    wait_for(c, t);
    const struct transfer_result *r = transfer_get_result(t);
    assert_int_equal(r->outcome, TRANSFER_OK);
    struct listing l;
    assert_int_equal(listing_parse(r->json, &l, err, sizeof err), 0);
    for (size_t i = 0; i < l.n; i++)
        assert_non_null(l.items[i].id);
    listing_free(&l);
    transfer_free(t);
    /* unknown candidate: Kombo's 404 with the hint */
    t = kread_candidate_attachments(c, "nobody", &code, err, sizeof err);
    wait_for(c, t);
    assert_int_equal(transfer_get_result(t)->outcome, TRANSFER_REJECTED);
    assert_int_equal(transfer_get_result(t)->answer.http_status, 404);
    transfer_free(t);
    client_free(c);
}

static struct finder *find(struct client *c, const char *text, const struct finder_options *o)
{
    struct query_plan p;
    char err[512];
    int code;
    if (query_plan_build(text, &p, err, sizeof err) != 0)
        fail_msg("%s: %s", text, err);
    struct finder *f = finder_run(c, &p, o, &code, err, sizeof err);
    query_plan_free(&p);
    if (!f)
        fail_msg("finder_run: %s", err);
    return f;
}

static void test_finder_names(void **state)
{
    (void)state;
    struct client *c = new_client();
    /* "Doe Frank": found through the swapped order only; both Franks Doe, once each. */
    struct finder *f = find(c, "Doe Frank", NULL);
    struct finder_results r;
    finder_get_results(f, &r);
    assert_int_equal(r.n_failures, 0);
    assert_int_equal(r.sets, 2);
    assert_int_equal(r.sets_done, 2);
    assert_int_equal(r.n, 2);
    for (size_t i = 0; i < r.n; i++) {
        assert_int_equal(r.hits[i].matched, 1u << QF_LAST_FIRST);
        assert_int_equal(r.hits[i].best, QF_LAST_FIRST);
    }
    assert_string_equal(r.hits[0].cand.id, FRANK);   /* the answer's order */
    assert_string_equal(r.hits[1].cand.id, FRANK2);
    finder_free(f);

    /* One word: first_name and last_name (and remote_ids, which today's mock ignores and so
     * answers with everyone): Frank is found by all; exact filters rank first. */
    f = find(c, "Frank", NULL);
    finder_get_results(f, &r);
    assert_int_equal(r.n_failures, 0);
    assert_true(r.n >= 2);
    bool seen = false;
    for (size_t i = 0; i < r.n; i++) {
        if (strcmp(r.hits[i].cand.id, FRANK) == 0) {
            seen = true;
            assert_true(r.hits[i].matched & (1u << QF_FIRST));
        }
        if (i)
            assert_true(r.hits[i - 1].best <= r.hits[i].best);
    }
    assert_true(seen);
    finder_free(f);
    client_free(c);
}

static void test_finder_email_and_failures(void **state)
{
    (void)state;
    struct client *c = new_client();
    struct finder *f = find(c, "JANE.SMITH@example.org", NULL);
    struct finder_results r;
    finder_get_results(f, &r);
    assert_int_equal(r.n, 1);
    assert_string_equal(r.hits[0].cand.first_name, "Jane");
    assert_int_equal(r.hits[0].best, QF_EMAIL);
    finder_free(f);

    /* A bad page size: refused before anything is sent. */
    struct query_plan p;
    char err[512];
    int code;
    assert_int_equal(query_plan_build("Ada", &p, err, sizeof err), 0);
    struct finder_options bad = {.page_size = 999};
    assert_null(finder_start(c, &p, &bad, &code, err, sizeof err));
    assert_int_equal(code, KA_EXIT_USAGE);

    /* Every filter fails: Kombo's 401 for each, reported one by one with the message. */
    struct mock_fault fault = {.kind = MOCK_FAULT_STATUS, .status = 401, .count = -1,
                               .path = "/ats/candidates", .method = "GET"};
    mock_inject(G->mock, &fault);
    f = finder_run(c, &p, NULL, &code, err, sizeof err);
    assert_non_null(f);
    finder_get_results(f, &r);
    assert_int_equal(r.n, 0);
    assert_int_equal(r.n_failures, r.sets);
    assert_int_equal(r.failures[0].err.outcome, TRANSFER_REJECTED);
    assert_int_equal(r.failures[0].err.http_status, 401);
    assert_non_null(strstr(r.failures[0].err.message, "page 1: "));
    assert_non_null(strstr(r.failures[0].err.message, "HTTP 401"));
    finder_free(f);
    mf_clear_faults();

    /* Cancel right after start: nothing waits, nothing leaks. */
    f = finder_start(c, &p, NULL, &code, err, sizeof err);
    assert_non_null(f);
    finder_cancel(f);
    assert_true(finder_done(f));
    finder_get_results(f, &r);
    assert_true(r.cancelled);
    finder_free(f);
    assert_int_equal(client_pending(c), 0);
    query_plan_free(&p);
    client_free(c);
}

static int count_pages(void *data, struct cand_page *page, size_t index)
{
    size_t *n = data;
    *n += page->n;
    assert_int_equal(index, 1);
    return 0;
}

static void test_pager_on_mock(void **state)
{
    (void)state;
    struct client *c = new_client();
    size_t n = 0;
    struct pager_error e;
    struct pager_options o = {.filter = {.last_name = "doe", .page_size = 250}, .prefetch = true};
    assert_int_equal(pager_run(c, &o, count_pages, &n, &e), 0);
    assert_int_equal(n, 2);

    /* HTML from a proxy: described as answer.c does, with the page number in front. */
    struct mock_fault html = {.kind = MOCK_FAULT_HTML, .count = -1, .path = "/ats/candidates"};
    mock_inject(G->mock, &html);
    n = 0;
    assert_int_equal(pager_run(c, &o, count_pages, &n, &e), -1);
    assert_int_equal(e.page, 1);
    assert_int_equal(e.outcome, TRANSFER_SERVER);
    assert_int_equal(e.http_status, 502);
    if (!strstr(e.message, "page 1: ") || !strstr(e.message, "HTML"))
        fail_msg("%s", e.message);
    mf_clear_faults();
    client_free(c);
}

struct id_set {
    char **ids;
    size_t n, cap, pages;
};

static int collect_ids(void *data, struct cand_page *page, size_t index)
{
    struct id_set *s = data;
    s->pages = index;
    for (size_t i = 0; i < page->n; i++) {
        if (s->n == s->cap) {
            s->cap = s->cap ? s->cap * 2 : 256;
            s->ids = realloc(s->ids, s->cap * sizeof *s->ids);
            assert_non_null(s->ids);
        }
        s->ids[s->n++] = strdup(page->items[i].id);
    }
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Through 1,000 candidates at page_size 7, with and without prefetch: every candidate once,
 * the 143rd page the last (Kombo's next: null). */
static void test_pager_through_1000_at_7(void **state)
{
    (void)state;
    char *dir = th_tempdir(), inbox[600];
    snprintf(inbox, sizeof inbox, "%s/inbox", dir);
    struct mock_config cfg = {.inbox = inbox, .quiet = true, .candidates = 1000, .seed = 7};
    char err[256];
    struct mock *m = mock_start(&cfg, err, sizeof err);
    if (!m)
        fail_msg("mock_start: %s", err);
    struct client *c = th_client(mock_base_url(m), KEY, INTEGRATION, 2);
    for (int prefetch = 0; prefetch < 2; prefetch++) {
        struct id_set s = {0};
        struct pager_error e;
        struct pager_options o = {.filter = {.page_size = 7, .include_deleted = true},
                                  .prefetch = prefetch};
        if (pager_run(c, &o, collect_ids, &s, &e) != 0)
            fail_msg("pager: %s", e.message);
        assert_int_equal(s.n, 1000);
        assert_int_equal(s.pages, 143);
        qsort(s.ids, s.n, sizeof *s.ids, cmp_str);
        for (size_t i = 1; i < s.n; i++)
            if (!strcmp(s.ids[i - 1], s.ids[i]))
                fail_msg("%s twice", s.ids[i]);
        for (size_t i = 0; i < s.n; i++)
            free(s.ids[i]);
        free(s.ids);
    }
    client_free(c);
    mock_stop(m);
    th_rmtree(dir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kread_on_the_wire),
        cmocka_unit_test(test_listing_from_mock),
        cmocka_unit_test(test_finder_names),
        cmocka_unit_test(test_finder_email_and_failures),
        cmocka_unit_test(test_pager_on_mock),
        cmocka_unit_test(test_pager_through_1000_at_7),
    };
    return cmocka_run_group_tests(tests, mf_group_setup, mf_group_teardown);
}
