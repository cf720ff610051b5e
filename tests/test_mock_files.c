/* The mock's attachment listings and downloads, attachment restrictions, the integration
 * and the key, and --latency: each against an in-process mock, driven with libcurl. */
#include "helpers.h"
#include "mock_http.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sys/socket.h>

#define FRANK "4B7z5qJ8dXcR2mTnWvKpLs9a"
#define FRANK_APP "A1pp2Bq3Cr4Ds5Et6Fu7Gv8H"
#define JANE "7Hx3PqR9tYvW2kZmNbCd8EfG"
/* "Hi there, Kombo is currently hiring ..." */
#define TEXT "Hi there, Kombo is currently hiring engineers that love to work on developer products."
#define TEXT_B64 "SGkgdGhlcmUsIEtvbWJvIGlzIGN1cnJlbnRseSBoaXJpbmcgZW5naW5lZXJzIHRoYXQgbG92ZSB0byB3b3JrIG9uIGRldmVsb3BlciBwcm9kdWN0cy4="

static char *g_dir;

static int setup(void **state)
{
    (void)state;
    g_dir = th_tempdir();
    return g_dir ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    th_rmtree(g_dir);
    free(g_dir);
    return 0;
}

static void upload(struct mock *m, const char *kind, const char *id, const char *name,
                   const char *type, const char *ctype)
{
    char path[256], body[1024];
    snprintf(path, sizeof path, "/v1/ats/%s/%s/attachments", kind, id);
    snprintf(body, sizeof body, "{\"attachment\":{\"name\":\"%s\",\"type\":\"%s\","
             "\"content_type\":\"%s\",\"data\":\"" TEXT_B64 "\"}}", name, type, ctype);
    struct mh_resp r = mh_call(m, path, &(struct mh_opts){ .method = "POST", .body = body });
    if (r.status != 200)
        fail_msg("upload to %s: %ld %s", path, r.status, r.body);
    mh_free(&r);
}

static const cJSON *find_file(const cJSON *results, const char *name)
{
    const cJSON *a;
    cJSON_ArrayForEach(a, results)
        if (!strcmp(mh_str(a, "file_name"), name))
            return a;
    return NULL;
}

static void test_listings_and_downloads(void **state)
{
    (void)state;
    /* with a key of its own: the downloads still need none, as Kombo's data_url */
    struct mock *m = mh_start((struct mock_config){ .api_key = MH_KEY }, g_dir);
    upload(m, "applications", FRANK_APP, "cv.txt", "CV", "text/plain");
    upload(m, "candidates", FRANK, "letter.pdf", "COVER_LETTER", "application/pdf");
    upload(m, "candidates", JANE, "other.txt", "OTHER", "text/plain");

    /* the candidate's listing: its own file and its application's */
    struct mh_resp r = mh_get(m, "/v1/ats/candidates/" FRANK "/attachments");
    assert_int_equal(r.status, 200);
    const cJSON *res = mh_data(&r, "results");
    assert_int_equal(cJSON_GetArraySize(res), 2);
    const cJSON *cv = find_file(res, "cv.txt"), *letter = find_file(res, "letter.pdf");
    assert_non_null(cv);
    assert_non_null(letter);
    assert_string_equal(mh_str(cv, "application_id"), FRANK_APP);
    assert_string_equal(mh_str(cv, "candidate_id"), FRANK);
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(letter, "application_id")));
    assert_string_equal(mh_str(letter, "type"), "COVER_LETTER");
    assert_string_equal(mh_str(letter, "content_type"), "application/pdf");
    assert_non_null(mh_str(letter, "remote_id"));
    assert_true(cJSON_IsArray(cJSON_GetObjectItem(r.json, "warnings")));
    char url[256];
    snprintf(url, sizeof url, "%s", mh_str(cv, "data_url"));
    assert_non_null(strstr(url, "/__mock/files/"));
    mh_free(&r);

    /* the application's listing: the file sent to it */
    r = mh_get(m, "/v1/ats/applications/" FRANK_APP "/attachments");
    assert_int_equal(r.status, 200);
    assert_int_equal(cJSON_GetArraySize(mh_data(&r, "results")), 1);
    assert_string_equal(mh_str(cJSON_GetArrayItem(mh_data(&r, "results"), 0), "file_name"), "cv.txt");
    mh_free(&r);

    /* the file sent to the application is stored in its candidate's folder */
    char stored[900];
    snprintf(stored, sizeof stored, "%s/inbox/" MH_INTEG "/" FRANK "/cv.txt", g_dir);
    char *bytes = th_slurp(stored, NULL);
    assert_non_null(bytes);
    assert_string_equal(bytes, TEXT);
    free(bytes);

    /* the download: no auth, the bytes, the content type */
    r = mh_call(m, url, &(struct mh_opts){ .no_auth = true, .no_integration = true });
    assert_int_equal(r.status, 200);
    assert_int_equal(r.len, strlen(TEXT));
    assert_memory_equal(r.body, TEXT, r.len);
    assert_string_equal(r.ctype, "text/plain");
    mh_free(&r);
    /* an unknown token */
    url[strlen(url) - 1] = url[strlen(url) - 1] == '0' ? '1' : '0';
    r = mh_call(m, url, &(struct mh_opts){ .no_auth = true });
    assert_int_equal(r.status, 404);
    assert_string_equal(mh_str(r.json, "status"), "error");
    mh_free(&r);
    r = mh_call(m, "/__mock/files/short", &(struct mh_opts){ .no_auth = true });
    assert_int_equal(r.status, 404);
    mh_free(&r);

    /* another integration sees nothing; unknown IDs get Kombo's 404; listings need auth */
    r = mh_get(m, "/v1/ats/candidates/" JANE "/attachments");
    assert_int_equal(cJSON_GetArraySize(mh_data(&r, "results")), 1);
    mh_free(&r);
    static const char *const unknown[] = { "/v1/ats/candidates/4B7z5qJ8dXcR2mTnWvKpLs9b/attachments",
                                           "/v1/ats/applications/nope/attachments" };
    for (int i = 0; i < 2; i++) {
        r = mh_get(m, unknown[i]);
        assert_int_equal(r.status, 404);
        assert_string_equal(mh_str(cJSON_GetObjectItem(r.json, "error"), "code"), "PLATFORM.INPUT_INVALID");
        assert_non_null(strstr(mh_str(cJSON_GetObjectItem(r.json, "error"), "message"),
                               i ? "no application" : "no candidate"));
        mh_free(&r);
    }
    r = mh_call(m, "/v1/ats/candidates/" FRANK "/attachments", &(struct mh_opts){ .no_auth = true });
    assert_int_equal(r.status, 401);
    mh_free(&r);
    mock_stop(m);
}

/* --any-candidate still takes made-up IDs, for uploads and listings. */
static void test_any_candidate(void **state)
{
    (void)state;
    struct mock *m = mh_start((struct mock_config){ .any_candidate = true }, g_dir);
    upload(m, "candidates", "made-up", "a.txt", "CV", "text/plain");
    struct mh_resp r = mh_get(m, "/v1/ats/candidates/made-up/attachments");
    assert_int_equal(r.status, 200);
    assert_int_equal(cJSON_GetArraySize(mh_data(&r, "results")), 1);
    mh_free(&r);
    mock_stop(m);
}

/* ---------------------------------------------------------------- restrictions */

static void test_restrictions(void **state)
{
    (void)state;
    struct mock *m = mh_start((struct mock_config){ 0 }, g_dir);
    static const char *const actions[] = { "/v1/ats/actions/ats_add_application_attachment",
                                           "/v1/ats/actions/ats_add_candidate_attachment" };
    for (int i = 0; i < 2; i++) {
        struct mh_resp r = mh_get(m, actions[i]);
        assert_int_equal(r.status, 200);
        const cJSON *types = cJSON_GetObjectItem(mh_data(&r, "attachment_restrictions"), "types");
        static const char *const names[] = { "CV", "COVER_LETTER", "OTHER" };
        for (int k = 0; k < 3; k++) {
            const cJSON *t = cJSON_GetObjectItem(types, names[k]);
            assert_true(cJSON_IsTrue(cJSON_GetObjectItem(t, "is_supported")));
            assert_int_equal(cJSON_GetObjectItem(t, "max_file_size_bytes")->valuedouble, 10485760);
            char *mimes = cJSON_PrintUnformatted(cJSON_GetObjectItem(t, "accepted_mime_types"));
            static const char *const want[] = { "application/pdf", "application/msword",
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                "text/plain", "application/rtf", "application/vnd.oasis.opendocument.text",
                "image/png", "image/jpeg", "image/gif", "image/webp" };
            for (size_t w = 0; w < sizeof want / sizeof want[0]; w++) {
                char q[100];
                snprintf(q, sizeof q, "\"%s\"", want[w]);
                assert_non_null(strstr(mimes, q));
            }
            free(mimes);
        }
        mh_free(&r);
    }
    struct mh_resp r = mh_call(m, actions[0], &(struct mh_opts){ .no_integration = true });
    assert_int_equal(r.status, 400);
    mh_free(&r);
    r = mh_get(m, "/v1/ats/actions/ats_create_candidate");
    assert_int_equal(r.status, 404);
    mh_free(&r);
    mock_stop(m);

    /* configured: Kombo's own example, and null */
    const char *example = "{\"types\":{\"CV\":{\"is_supported\":false},\"COVER_LETTER\":"
        "{\"is_supported\":false},\"OTHER\":{\"is_supported\":true,\"max_file_size_bytes\":10485760,"
        "\"accepted_mime_types\":[\"application/pdf\",\"application/msword\"]}}}";
    m = mh_start((struct mock_config){ .restrictions = example }, g_dir);
    r = mh_get(m, actions[1]);
    char *got = cJSON_PrintUnformatted(mh_data(&r, "attachment_restrictions"));
    assert_string_equal(got, example);
    free(got);
    mh_free(&r);
    mock_stop(m);
    m = mh_start((struct mock_config){ .restrictions = " null " }, g_dir);
    r = mh_get(m, actions[0]);
    assert_true(cJSON_IsNull(mh_data(&r, "attachment_restrictions")));
    mh_free(&r);
    mock_stop(m);

    static const struct { const char *json, *word; } bad[] = {
        { "[]", "object" }, { "{", "JSON" }, { "{}", "types is required" },
        { "{\"types\":{\"CV\":{\"is_supported\":false},\"OTHER\":{\"is_supported\":false}}}",
          "types.COVER_LETTER is required" },
        { "{\"types\":{\"CV\":{\"is_supported\":1},\"COVER_LETTER\":{},\"OTHER\":{}}}",
          "types.CV.is_supported" },
        { "{\"types\":{\"CV\":{\"is_supported\":true,\"max_file_size_bytes\":null},"
          "\"COVER_LETTER\":{\"is_supported\":false},\"OTHER\":{\"is_supported\":false}}}",
          "accepted_mime_types" },
        { "{\"types\":{\"CV\":{\"is_supported\":true,\"max_file_size_bytes\":\"10\","
          "\"accepted_mime_types\":null},\"COVER_LETTER\":{\"is_supported\":false},"
          "\"OTHER\":{\"is_supported\":false}}}", "max_file_size_bytes" },
        { "{\"types\":{\"CV\":{\"is_supported\":true,\"max_file_size_bytes\":1,"
          "\"accepted_mime_types\":[\"pdf\"]},\"COVER_LETTER\":{\"is_supported\":false},"
          "\"OTHER\":{\"is_supported\":false}}}", "type/subtype" },
    };
    char inbox[600];
    snprintf(inbox, sizeof inbox, "%s/inbox", g_dir);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char err[512] = "";
        struct mock_config cfg = { .inbox = inbox, .quiet = true, .restrictions = bad[i].json };
        struct mock *b = mock_start(&cfg, err, sizeof err);
        if (b || !strstr(err, bad[i].word))
            fail_msg("case %zu: %s", i, b ? "started" : err);
    }
}

/* ---------------------------------------------------------------- integration, key */

static void test_integration(void **state)
{
    (void)state;
    struct mock *m = mh_start((struct mock_config){ 0 }, g_dir);
    /* no X-Integration-Id needed: the ID is in the path */
    struct mh_resp r = mh_call(m, "/v1/integrations/" MH_INTEG, &(struct mh_opts){ .no_integration = true });
    assert_int_equal(r.status, 200);
    const cJSON *d = mh_data(&r, NULL);
    assert_string_equal(mh_str(d, "id"), MH_INTEG);
    assert_string_equal(mh_str(cJSON_GetObjectItem(d, "tool"), "label"), "Greenhouse");
    assert_string_equal(mh_str(cJSON_GetObjectItem(d, "end_user"), "organization_name"), "Acme GmbH");
    assert_string_equal(mh_str(d, "status"), "ACTIVE");
    assert_string_equal(mh_str(d, "setup_status"), "COMPLETED");
    assert_string_equal(mh_str(d, "category"), "ATS");
    int found = 0;
    const cJSON *a;
    cJSON_ArrayForEach(a, cJSON_GetObjectItem(d, "write_actions"))
        if (!strcmp(mh_str(a, "id"), "ats_add_application_attachment") ||
            !strcmp(mh_str(a, "id"), "ats_add_candidate_attachment")) {
            assert_true(cJSON_IsTrue(cJSON_GetObjectItem(a, "is_available")));
            found++;
        }
    assert_int_equal(found, 2);
    mh_free(&r);
    r = mh_get(m, "/v1/integrations/workday:abc");
    assert_string_equal(mh_str(cJSON_GetObjectItem(mh_data(&r, NULL), "tool"), "label"), "Workday");
    mh_free(&r);
    static const char *const unknown[] = { "/v1/integrations/no-tool", "/v1/integrations/:x",
                                           "/v1/integrations/Greenhouse:1", "/v1/integrations/a:" };
    for (int i = 0; i < 4; i++) {
        r = mh_get(m, unknown[i]);
        assert_int_equal(r.status, 404);
        assert_string_equal(mh_str(cJSON_GetObjectItem(r.json, "error"), "code"),
                            "PLATFORM.INTEGRATION_NOT_FOUND");
        mh_free(&r);
    }
    r = mh_call(m, "/v1/integrations/" MH_INTEG, &(struct mh_opts){ .no_auth = true });
    assert_int_equal(r.status, 401);
    mh_free(&r);
    r = mh_call(m, "/v1/check-api-key", &(struct mh_opts){ .no_integration = true });
    assert_int_equal(r.status, 200);
    assert_non_null(mh_str(mh_data(&r, NULL), "environment_id"));
    assert_non_null(mh_str(mh_data(&r, NULL), "customer_id"));
    mh_free(&r);
    mock_stop(m);

    /* an inactive one whose set-up is unfinished, and only it exists */
    m = mh_start((struct mock_config){ .integration_id = "personio:Q1", .integration_status = "INACTIVE",
                                       .setup_status = "INCOMPLETE" }, g_dir);
    r = mh_get(m, "/v1/integrations/personio:Q1");
    assert_string_equal(mh_str(mh_data(&r, NULL), "status"), "INACTIVE");
    assert_string_equal(mh_str(mh_data(&r, NULL), "setup_status"), "INCOMPLETE");
    assert_string_equal(mh_str(cJSON_GetObjectItem(mh_data(&r, NULL), "tool"), "label"), "Personio");
    mh_free(&r);
    r = mh_get(m, "/v1/integrations/personio:Q2");
    assert_int_equal(r.status, 404);
    mh_free(&r);
    mock_stop(m);

    char inbox[600], err[256];
    snprintf(inbox, sizeof inbox, "%s/inbox", g_dir);
    struct mock_config bad = { .inbox = inbox, .quiet = true, .integration_status = "active" };
    assert_null(mock_start(&bad, err, sizeof err));
    assert_non_null(strstr(err, "ACTIVE"));
}

/* ---------------------------------------------------------------- latency */

struct par { const struct mock *m; long status; };

static void *one_request(void *arg)
{
    struct par *p = arg;
    struct mh_resp r = mh_get(p->m, "/v1/ats/candidates?page_size=5");
    p->status = r.status;
    mh_free(&r);
    return NULL;
}

static void test_latency_does_not_serialise(void **state)
{
    (void)state;
    struct mock *m = mh_start((struct mock_config){ .latency_ms = 100 }, g_dir);
    struct mh_resp r = mh_get(m, "/v1/check-api-key");
    assert_true(r.seconds >= 0.099);
    mh_free(&r);
    /* the mock's own endpoints answer at once */
    r = mh_get(m, "/__mock/stats");
    assert_true(r.seconds < 0.09);
    mh_free(&r);
    pthread_t t[8];
    struct par p[8];
    double t0 = clock_now();
    for (int i = 0; i < 8; i++) {
        p[i] = (struct par){ .m = m };
        pthread_create(&t[i], NULL, one_request, &p[i]);
    }
    for (int i = 0; i < 8; i++) {
        pthread_join(t[i], NULL);
        assert_int_equal(p[i].status, 200);
    }
    double took = clock_now() - t0;
    printf("latency 100 ms: 8 concurrent requests took %.0f ms together\n", took * 1e3);
    assert_true(took >= 0.099);
    if (took > (getenv("KA_SANITIZED") ? 0.6 : 0.3))
        fail_msg("8 requests at 100 ms took %.0f ms: answers are held up", took * 1e3);
    /* stopping with answers still held: they are let go, nothing hangs or leaks */
    int fds[3];
    for (int i = 0; i < 3; i++) {
        struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(mock_port(m)) };
        sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        fds[i] = socket(AF_INET, SOCK_STREAM, 0);
        assert_int_equal(connect(fds[i], (struct sockaddr *)&sa, sizeof sa), 0);
        const char *req = "GET /v1/check-api-key HTTP/1.1\r\nHost: x\r\n"
                          "Authorization: Bearer k\r\n\r\n";
        assert_int_equal(write(fds[i], req, strlen(req)), (ssize_t)strlen(req));
    }
    usleep(30000);
    mock_stop(m);
    char inbox[600], err[256];
    snprintf(inbox, sizeof inbox, "%s/inbox", g_dir);
    struct mock_config bad = { .inbox = inbox, .quiet = true, .latency_ms = 60001 };
    assert_null(mock_start(&bad, err, sizeof err));
    for (int i = 0; i < 3; i++)
        close(fds[i]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_listings_and_downloads, setup, teardown),
        cmocka_unit_test_setup_teardown(test_any_candidate, setup, teardown),
        cmocka_unit_test_setup_teardown(test_restrictions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_integration, setup, teardown),
        cmocka_unit_test_setup_teardown(test_latency_does_not_serialise, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
