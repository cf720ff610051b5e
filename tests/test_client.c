/* The client (client.c) running many transfers at once against the in-process mock: uploads
 * and JSON requests interleaved on one multi handle, one cancelled alone mid-way, one
 * retried; the cap per integration; JSON answers parsed; query values on the wire. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "attachment.h"
#include "client.h"
#include "exitcodes.h"
#include "jsonreq.h"
#include "mock_fixture.h"
#include "upload.h"

#define KEY "sk_test_client_key_0123456789"
#define INTEGRATION "workday:HWUTwvyx2wLoSUHphiWVrp28"
#define FRANK "4B7z5qJ8dXcR2mTnWvKpLs9a" /* seeded in the mock */

static int test_setup(void **state)
{
    (void)state;
    mf_clear_faults();
    return 0;
}

static struct client *new_client(void)
{
    struct client_options o = {
        .base_url = mock_base_url(G->mock), .api_key = KEY, .integration_id = INTEGRATION,
        .max_attempts = 3, .timeout_s = 60, .connect_timeout_s = 5,
    };
    int code = -1;
    char err[512];
    struct client *c = client_new(&o, &code, err, sizeof err);
    if (!c)
        fail_msg("client_new: %s", err);
    assert_int_equal(code, KA_EXIT_OK);
    return c;
}


static struct transfer *upload(struct client *c, const struct attachment *a, const char *cand)
{
    struct upload_request r = {.candidate_id = cand, .att = a};
    int code = -1;
    char err[512];
    struct transfer *t = upload_start(c, &r, &code, err, sizeof err);
    if (!t)
        fail_msg("upload_start: %s", err);
    return t;
}

static struct transfer *get(struct client *c, const char *const *segs, const char *const *query,
                            const char *integration)
{
    struct json_request r = {.segments = segs, .query = query, .integration_id = integration};
    int code = -1;
    char err[512];
    struct transfer *t = jsonreq_start(c, &r, &code, err, sizeof err);
    if (!t)
        fail_msg("jsonreq_start: %s", err);
    return t;
}

static const cJSON *data_of(const struct transfer *t)
{
    const struct transfer_result *r = transfer_get_result(t);
    if (r->outcome != TRANSFER_OK)
        fail_msg("request failed: %s", r->message);
    assert_non_null(r->json);
    const cJSON *d = cJSON_GetObjectItemCaseSensitive(r->json, "data");
    assert_non_null(d);
    return d;
}

/* The stored copy of an uploaded file equals the original. */
static void assert_stored(const struct attachment *a, const char *cand)
{
    char stored[1200];
    snprintf(stored, sizeof stored, "%s/%s/%s/%s", G->inbox, INTEGRATION, cand, a->name);
    /* The inbox makes the integration ID safe for a folder name: find the file by name. */
    char cmd[1500];
    snprintf(cmd, sizeof cmd, "find '%s' -name '%s' -type f | head -1", G->inbox, a->name);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    char found[1200] = "";
    if (!fgets(found, sizeof found, p))
        found[0] = '\0';
    pclose(p);
    found[strcspn(found, "\n")] = '\0';
    if (!found[0])
        fail_msg("%s was not stored (looked for %s)", a->name, stored);
    if (th_files_equal(found, a->path) != 0)
        fail_msg("stored %s differs from %s", found, a->path);
}

/* Two uploads and three GETs on one client: upload A is refused once with 503 and retried
 * after the server's Retry-After-Ms; upload B is slowed by the server and cancelled
 * mid-way, alone; the GETs (key check, a candidate search, an attachment listing) finish
 * while B is still sending. */
static void test_many_at_once(void **state)
{
    (void)state;
    struct attachment a, b;
    mf_make_att(&a, "a-retried.pdf", 300 * 1024);
    mf_make_att(&b, "b-cancelled.pdf", 16 * 1024 * 1024);
    unsigned stored0 = mock_stored_count(G->mock);
    struct client *c = new_client();

    struct mock_fault f503 = {.kind = MOCK_FAULT_STATUS, .count = 1, .status = 503,
                              .retry_after_ms = "900"};
    mock_inject(G->mock, &f503);
    struct transfer *ta = upload(c, &a, FRANK);
    time_t end = time(NULL) + 20;
    struct transfer_progress p;
    do {
        client_poll(c, 20, -1, NULL);
        transfer_get_progress(ta, &p);
        if (time(NULL) > end)
            fail_msg("upload A never got its 503");
    } while (p.state != TRANSFER_WAITING_RETRY);

    /* While A waits to retry: B slowed to 256 KiB/s, and the three reads. */
    struct mock_fault slow = {.kind = MOCK_FAULT_SLOW, .count = 1, .rate = 256 * 1024};
    mock_inject(G->mock, &slow);
    struct transfer *tb = upload(c, &b, FRANK);
    const char *key_segs[] = {"check-api-key", NULL};
    struct transfer *tkey = get(c, key_segs, NULL, "");
    const char *cand_segs[] = {"ats", "candidates", NULL};
    const char *cand_query[] = {"email", "FRANK.DOE@example.com", "page_size", "10", NULL};
    struct transfer *tfind = get(c, cand_segs, cand_query, NULL);
    struct transfer *tlist = NULL;
    const char *list_segs[] = {"ats", "candidates", FRANK, "attachments", NULL};

    bool reads_done_while_b_sends = false, b_cancelled = false;
    end = time(NULL) + 30;
    while (client_poll(c, 20, -1, NULL) > 0 || !tlist) {
        transfer_get_progress(tb, &p);
        if (transfer_finished(tkey) && transfer_finished(tfind) && !transfer_finished(tb))
            reads_done_while_b_sends = true;
        /* The listing once A is in: it must show A's file. */
        if (!tlist && transfer_finished(ta))
            tlist = get(c, list_segs, NULL, NULL);
        /* B (64 s at this rate) is cancelled only once the reads are done: they cannot wait
         * for it, or the 30 s limit below ends the test */
        if (!b_cancelled && p.sent > 512 * 1024 && tlist && transfer_finished(tlist) &&
            transfer_finished(tkey) && transfer_finished(tfind)) {
            transfer_cancel(tb);
            b_cancelled = true;
        }
        if (time(NULL) > end)
            fail_msg("transfers still running after 30 s");
    }

    const struct transfer_result *ra = transfer_get_result(ta);
    if (ra->outcome != TRANSFER_OK)
        fail_msg("A: %s", ra->message);
    assert_int_equal(ra->attempts, 2);
    assert_stored(&a, FRANK);

    const struct transfer_result *rb = transfer_get_result(tb);
    assert_int_equal(rb->outcome, TRANSFER_CANCELLED);
    assert_non_null(strstr(rb->message, "cancelled after sending"));
    assert_true(b_cancelled);
    assert_true(reads_done_while_b_sends);

    const cJSON *kd = data_of(tkey);
    assert_true(cJSON_IsString(cJSON_GetObjectItemCaseSensitive(kd, "environment_id")));
    const cJSON *results = cJSON_GetObjectItemCaseSensitive(data_of(tfind), "results");
    assert_int_equal(cJSON_GetArraySize(results), 1);
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(results, 0), "id")->valuestring,
                        FRANK);
    const cJSON *files = cJSON_GetObjectItemCaseSensitive(data_of(tlist), "results");
    bool listed = false;
    const cJSON *it;
    cJSON_ArrayForEach(it, files) {
        const cJSON *fn = cJSON_GetObjectItemCaseSensitive(it, "file_name");
        listed |= cJSON_IsString(fn) && strcmp(fn->valuestring, a.name) == 0;
    }
    assert_true(listed);
    /* Only A was stored: B's body never completed. */
    assert_int_equal(mock_stored_count(G->mock), stored0 + 1);
    client_free(c);
    attachment_free(&a);
    attachment_free(&b);
}

/* With a cap of 1 for the integration, uploads wait their turn (QUEUED) and all finish;
 * reads of synced data do not count against the cap and run meanwhile. */
static void test_cap_per_integration(void **state)
{
    (void)state;
    struct attachment a[3];
    char name[32];
    for (int i = 0; i < 3; i++) {
        snprintf(name, sizeof name, "capped-%d.pdf", i);
        mf_make_att(&a[i], name, 2 * 1024 * 1024);
    }
    struct client *c = new_client();
    client_set_limit(c, NULL, 1);
    struct mock_fault slow = {.kind = MOCK_FAULT_SLOW, .count = 3, .rate = 8 * 1024 * 1024};
    mock_inject(G->mock, &slow);
    struct transfer *t[3];
    for (int i = 0; i < 3; i++)
        t[i] = upload(c, &a[i], FRANK);
    const char *segs[] = {"ats", "candidates", NULL};
    struct transfer *read = get(c, segs, NULL, NULL);

    size_t max_in_flight = 0;
    int max_queued = 0;
    bool read_done_early = false;
    time_t end = time(NULL) + 30;
    while (client_poll(c, 10, -1, NULL) > 0) {
        size_t n = client_in_flight(c, NULL);
        if (n > max_in_flight)
            max_in_flight = n;
        int queued = 0;
        for (int i = 0; i < 3; i++) {
            struct transfer_progress p;
            transfer_get_progress(t[i], &p);
            queued += p.state == TRANSFER_QUEUED;
        }
        if (queued > max_queued)
            max_queued = queued;
        if (transfer_finished(read) && queued > 0)
            read_done_early = true;
        if (time(NULL) > end)
            fail_msg("capped uploads still running after 30 s");
    }
    assert_int_equal(max_in_flight, 1);
    assert_int_equal(max_queued, 2);
    assert_true(read_done_early);
    assert_int_equal(client_in_flight(c, NULL), 0);
    for (int i = 0; i < 3; i++) {
        const struct transfer_result *r = transfer_get_result(t[i]);
        if (r->outcome != TRANSFER_OK)
            fail_msg("upload %d: %s", i, r->message);
        assert_stored(&a[i], FRANK);
        attachment_free(&a[i]);
    }
    client_free(c);
}

/* A queued transfer can be cancelled alone; it never reaches the server. */
static void test_cancel_queued(void **state)
{
    (void)state;
    struct attachment a, b;
    mf_make_att(&a, "first.pdf", 64 * 1024);
    mf_make_att(&b, "never-sent.pdf", 64 * 1024);
    struct client *c = new_client();
    client_set_limit(c, INTEGRATION, 1);
    unsigned requests0 = mock_request_count(G->mock);
    struct transfer *ta = upload(c, &a, FRANK), *tb = upload(c, &b, FRANK);
    struct transfer_progress p;
    transfer_get_progress(tb, &p);
    assert_int_equal(p.state, TRANSFER_QUEUED);
    transfer_cancel(tb);
    assert_true(transfer_finished(tb));
    assert_int_equal(transfer_get_result(tb)->outcome, TRANSFER_CANCELLED);
    time_t end = time(NULL) + 20;
    while (client_poll(c, 20, -1, NULL) > 0)
        if (time(NULL) > end)
            fail_msg("still running");
    assert_int_equal(transfer_get_result(ta)->outcome, TRANSFER_OK);
    assert_int_equal(mock_request_count(G->mock), requests0 + 1);
    /* Freeing one transfer leaves the client usable. */
    transfer_free(tb);
    struct transfer *again = upload(c, &b, FRANK);
    while (client_poll(c, 20, -1, NULL) > 0)
        if (time(NULL) > end)
            fail_msg("still running");
    assert_int_equal(transfer_get_result(again)->outcome, TRANSFER_OK);
    client_free(c);
    attachment_free(&a);
    attachment_free(&b);
}

/* A JSON request's refusals and errors come back as results, with Kombo's error parsed
 * and the same kind of message an upload gets; query values arrive encoded as the SDKs
 * send them. */
static void test_json_answers(void **state)
{
    (void)state;
    struct client *c = new_client();
    const char *missing[] = {"ats", "no-such-endpoint", NULL};
    struct transfer *t404 = get(c, missing, NULL, NULL);
    const char *segs[] = {"ats", "candidates", NULL};
    const char *bad_page[] = {"page_size", "999", NULL};
    struct transfer *t400 = get(c, segs, bad_page, NULL);
    time_t end = time(NULL) + 20;
    while (client_poll(c, 20, -1, NULL) > 0)
        if (time(NULL) > end)
            fail_msg("still running");
    const struct transfer_result *r = transfer_get_result(t404);
    assert_int_equal(r->outcome, TRANSFER_REJECTED);
    assert_int_equal(r->answer.http_status, 404);
    assert_non_null(strstr(r->message, "Kombo refused the request (HTTP 404)"));
    r = transfer_get_result(t400);
    assert_int_equal(r->outcome, TRANSFER_REJECTED);
    assert_string_equal(r->answer.err.code, "PLATFORM.INPUT_INVALID");
    assert_non_null(strstr(r->message, "page_size"));
    assert_null(r->json);

    const char *q[] = {"email", "frank.doe+cv@example.com", "first_name", "Zo\xC3\xAB", NULL};
    struct transfer *tq = get(c, segs, q, NULL);
    while (client_poll(c, 20, -1, NULL) > 0)
        if (time(NULL) > end)
            fail_msg("still running");
    assert_int_equal(transfer_get_result(tq)->outcome, TRANSFER_OK);
    char *raw = mock_last_raw_path(G->mock);
    assert_non_null(raw);
    if (!strstr(raw, "email=frank.doe%2Bcv%40example.com&first_name=Zo%C3%AB"))
        fail_msg("query on the wire: %s", raw);
    free(raw);
    client_free(c);
}

/* A GET is retried like an upload (503 with Retry-After-Ms), and also after a dropped
 * connection, which for a request without a file is always safe. */
static void test_get_retried(void **state)
{
    (void)state;
    struct client *c = new_client();
    const char *segs[] = {"check-api-key", NULL};
    struct mock_fault f = {.kind = MOCK_FAULT_STATUS, .count = 2, .status = 503,
                           .retry_after_ms = "50", .path = "/check-api-key"};
    mock_inject(G->mock, &f);
    struct transfer *t = get(c, segs, NULL, "");
    while (client_poll(c, 20, -1, NULL) > 0)
        ;
    const struct transfer_result *r = transfer_get_result(t);
    if (r->outcome != TRANSFER_OK)
        fail_msg("GET after two 503s: %s", r->message);
    assert_int_equal(r->attempts, 3);
    assert_non_null(strstr(r->message, "after 3 attempts"));

    /* A fresh client: on a reused connection libcurl itself repeats a request that got
     * no answer, and this test is about our retry. */
    client_free(c);
    c = new_client();
    struct mock_fault drop = {.kind = MOCK_FAULT_DROP, .count = 1, .method = "GET"};
    mock_inject(G->mock, &drop);
    struct transfer *t2 = get(c, segs, NULL, "");
    while (client_poll(c, 20, -1, NULL) > 0)
        ;
    r = transfer_get_result(t2);
    if (r->outcome != TRANSFER_OK)
        fail_msg("GET after a drop: %s", r->message);
    assert_int_equal(r->attempts, 2);
    client_free(c);
}

/* A server that quotes the key where Kombo's text is cut (a message of 120 bytes) or in a
 * long Location: nothing of the key, not even its start, reaches the result. */
static void test_key_redacted_before_cuts(void **state)
{
    (void)state;
    char msg[400];
    memset(msg, 'x', 110);
    snprintf(msg + 110, sizeof msg - 110, " %s and more text after it", KEY);
    struct mock_fault f = {.kind = MOCK_FAULT_STATUS, .count = 1, .status = 403,
                           .code = "INTEGRATION.PERMISSION_MISSING", .message = msg};
    mock_inject(G->mock, &f);
    struct client *c = new_client();
    struct attachment a;
    mf_make_att(&a, "quoted-key.pdf", 1000);
    struct transfer *t = upload(c, &a, FRANK);
    while (client_poll(c, 20, -1, NULL) > 0)
        ;
    const struct transfer_result *r = transfer_get_result(t);
    assert_int_equal(r->outcome, TRANSFER_REJECTED);
    char prefix[9];
    memcpy(prefix, KEY, 8);
    prefix[8] = '\0';
    char *sum = answer_summary(&r->answer);
    if (strstr(r->message, prefix) || strstr(sum, prefix) ||
        (r->answer.err.message && strstr(r->answer.err.message, prefix)))
        fail_msg("a piece of the key got through: %s | %s", r->message, sum);
    assert_non_null(strstr(r->answer.err.message, "<redacted>"));
    free(sum);
    client_free(c);
    attachment_free(&a);
}

/* What the mock received for the last upload: its /__mock/requests record, read with a
 * client of its own (the mock's control endpoints sit beside /v1). Caller deletes. */
static cJSON *last_upload_record(void)
{
    char root[256];
    snprintf(root, sizeof root, "%s", mock_base_url(G->mock));
    root[strlen(root) - 3] = '\0'; /* drop "/v1" */
    struct client_options o = {.base_url = root, .api_key = KEY};
    int code;
    char err[256];
    struct client *c = client_new(&o, &code, err, sizeof err);
    assert_non_null(c);
    const char *segs[] = {"__mock", "requests", NULL};
    struct transfer *t = get(c, segs, NULL, "");
    while (client_poll(c, 20, -1, NULL) > 0)
        ;
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(data_of(t), "requests");
    cJSON *found = NULL;
    const cJSON *it;
    cJSON_ArrayForEach(it, list) {
        const cJSON *m = cJSON_GetObjectItemCaseSensitive(it, "method");
        if (cJSON_IsString(m) && strcmp(m->valuestring, "POST") == 0) {
            cJSON_Delete(found);
            found = cJSON_Duplicate(it, 1);
        }
    }
    client_free(c);
    assert_non_null(found);
    return found;
}

/* As the official SDK: no remote_fields key unless they were given; given ones arrive as
 * written. */
static void test_remote_fields_only_when_given(void **state)
{
    (void)state;
    struct attachment a;
    mf_make_att(&a, "rf.pdf", 1000);
    struct client *c = new_client();
    static const char *const rfs[] = {NULL, "{\"workable\":{\"on_behalf_of_user_remote_id\":\"9\"}}"};
    for (size_t i = 0; i < 2; i++) {
        struct upload_request r = {.candidate_id = FRANK, .att = &a, .remote_fields = rfs[i]};
        int code;
        char err[256];
        struct transfer *t = upload_start(c, &r, &code, err, sizeof err);
        assert_non_null(t);
        while (client_poll(c, 20, -1, NULL) > 0)
            ;
        assert_int_equal(transfer_get_result(t)->outcome, TRANSFER_OK);
        cJSON *rec = last_upload_record();
        const cJSON *got = cJSON_GetObjectItemCaseSensitive(rec, "remote_fields");
        if (!rfs[i]) {
            assert_null(got);
        } else {
            cJSON *want = cJSON_Parse(rfs[i]);
            assert_true(cJSON_Compare(got, want, 1));
            cJSON_Delete(want);
        }
        cJSON_Delete(rec);
        transfer_free(t);
    }
    client_free(c);
    attachment_free(&a);
}

/* A bad client configuration is refused before any traffic, with the field named. */
static void test_client_refusals(void **state)
{
    (void)state;
    static const struct { struct client_options o; const char *want; } rows[] = {
        {{.base_url = "https://x/v1", .api_key = ""}, "API key is empty"},
        {{.base_url = "https://x/v1", .api_key = "k\r\n"}, "control character"},
        {{.base_url = "https://x/v1", .api_key = "k", .integration_id = "a b "}, "integration ID"},
        {{.base_url = "ftp://x/v1", .api_key = "k"}, "https://"},
        {{.base_url = "https://x/v1?a=1", .api_key = "k"}, "'?'"},
        {{.base_url = "https://x/v1", .api_key = "k", .cacert = "/nonexistent.pem"}, "CA bundle"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        int code = 0;
        char err[512] = "";
        struct client *c = client_new(&rows[i].o, &code, err, sizeof err);
        if (c)
            fail_msg("row %zu accepted", i);
        assert_int_equal(code, KA_EXIT_USAGE);
        if (!strstr(err, rows[i].want))
            fail_msg("row %zu: \"%s\" lacks \"%s\"", i, err, rows[i].want);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_many_at_once, test_setup),
        cmocka_unit_test_setup(test_cap_per_integration, test_setup),
        cmocka_unit_test_setup(test_cancel_queued, test_setup),
        cmocka_unit_test_setup(test_json_answers, test_setup),
        cmocka_unit_test_setup(test_remote_fields_only_when_given, test_setup),
        cmocka_unit_test_setup(test_get_retried, test_setup),
        cmocka_unit_test_setup(test_key_redacted_before_cuts, test_setup),
        cmocka_unit_test(test_client_refusals),
    };
    return cmocka_run_group_tests_name("client", tests, mf_group_setup, mf_group_teardown);
}
