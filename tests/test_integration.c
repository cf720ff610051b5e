/* Integration tests: the real kombo-attach binary (path in $KA_BIN) against the mock Kombo
 * server running in this process on loopback. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <pthread.h>
#include <time.h>


#include "cli_fixture.h"

static char g_found[4096];
static const char *g_want;
static int find_cb(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    if (flag == FTW_F && strcmp(p + ftw->base, g_want) == 0) {
        snprintf(g_found, sizeof g_found, "%s", p);
        return 1;
    }
    return 0;
}
/* Path of the stored file called name in the mock's inbox, or NULL. */
static const char *stored(const char *name)
{
    g_want = name;
    g_found[0] = '\0';
    nftw(g_inbox, find_cb, 16, FTW_PHYS);
    return g_found[0] ? g_found : NULL;
}

static cJSON *json_line(const char *out)
{
    cJSON *j = cJSON_Parse(out);
    if (!j)
        fail_msg("not JSON: %s", out);
    return j;
}

static void test_docs_example(void **state)
{
    (void)state;
    char path[4096];
    snprintf(path, sizeof path, "%s", work_file("Frank Doe CV.txt"));
    th_write_text(path, "Hi there, Kombo is currently hiring engineers that love to work on developer products.");
    struct run_result r = ka_run("--json", "--candidate", CANDIDATE, "--type", "CV", path, NULL);
    assert_int_equal(r.status, 0);
    cJSON *j = json_line(r.out);
    assert_string_equal(cJSON_GetObjectItem(j, "outcome")->valuestring, "ok");
    assert_string_equal(cJSON_GetObjectItem(j, "content_type")->valuestring, "text/plain");
    assert_string_equal(cJSON_GetObjectItem(j, "name")->valuestring, "Frank Doe CV.txt");
    cJSON_Delete(j);
    const char *s = stored("Frank Doe CV.txt");
    assert_non_null(s);
    assert_int_equal(th_files_equal(s, path), 0);
    th_run_free(&r);
}

static void test_roundtrip_sizes(void **state)
{
    (void)state;
    static const size_t sizes[] = { 1, 2, 3, 4, 5, 57, 65535, 65536, 196609, 1048577 };
    for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
        char name[64];
        snprintf(name, sizeof name, "rt-%zu.pdf", sizes[i]);
        char path[4096];
        snprintf(path, sizeof path, "%s", work_file(name));
        assert_int_equal(th_write_random(path, sizes[i], (unsigned)i), 0);
        struct run_result r = ka_run("-q", "--candidate", CANDIDATE, "--content-type",
                                     "application/pdf", path, NULL);
        if (r.status != 0)
            fail_msg("size %zu: exit %d\n%s%s", sizes[i], r.status, r.out, r.err);
        const char *s = stored(name);
        assert_non_null(s);
        assert_int_equal(th_files_equal(s, path), 0);
        th_run_free(&r);
    }
}

/* 50 MiB byte for byte, with peak memory that does not follow the file size. */
static void test_large_file_flat_memory(void **state)
{
    (void)state;
    char small[4096], big[4096];
    snprintf(small, sizeof small, "%s", work_file("small.bin"));
    snprintf(big, sizeof big, "%s", work_file("big.bin"));
    assert_int_equal(th_write_random(small, 1 << 20, 7), 0);
    assert_int_equal(th_write_random(big, 50u << 20, 8), 0);
    struct run_result rs = ka_run("-q", "--candidate", CANDIDATE, "--content-type",
                                  "application/pdf", small, NULL);
    assert_int_equal(rs.status, 0);
    struct run_result rb = ka_run("-q", "--candidate", CANDIDATE, "--content-type",
                                  "application/pdf", big, NULL);
    assert_int_equal(rb.status, 0);
    const char *s = stored("big.bin");
    assert_non_null(s);
    assert_int_equal(th_files_equal(s, big), 0);
    fprintf(stderr, "peak memory: 1 MiB file %ld KiB, 50 MiB file %ld KiB\n", rs.maxrss_kib,
            rb.maxrss_kib);
    /* Sanitizer builds carry shadow memory and quarantine: judge growth, not the total. */
    if (!getenv("KA_SANITIZED"))
        assert_true(rb.maxrss_kib < 24 * 1024);
    assert_true(rb.maxrss_kib - rs.maxrss_kib < 6 * 1024);
    th_run_free(&rs);
    th_run_free(&rb);
    unlink(big);
}

static void test_wrong_key_rejected(void **state)
{
    (void)state;
    char inbox[4096];
    snprintf(inbox, sizeof inbox, "%s/strict", g_work);
    struct mock_config cfg = { .inbox = inbox, .api_key = "the-only-good-key-123", .quiet = true };
    char err[256], url[300];
    struct mock *m = mock_start(&cfg, err, sizeof err);
    assert_non_null(m);
    snprintf(url, sizeof url, "KOMBO_BASE_URL=%s", mock_base_url(m));
    const char *env[] = { url, NULL };
    th_write_text(work_file("cv.txt"), "hello");
    struct run_result r = ka_run_env(env, "--candidate", CANDIDATE, work_file("cv.txt"), NULL);
    assert_int_equal(r.status, 4);
    assert_non_null(strstr(r.out, "PLATFORM.AUTHENTICATION_INVALID"));
    assert_int_equal(mock_stored_count(m), 0);
    th_run_free(&r);
    mock_stop(m);
}

static void test_body_over_cap_413(void **state)
{
    (void)state;
    char inbox[4096];
    snprintf(inbox, sizeof inbox, "%s/capped", g_work);
    struct mock_config cfg = { .inbox = inbox, .max_body = 1 << 20, .quiet = true };
    char err[256], url[300];
    struct mock *m = mock_start(&cfg, err, sizeof err);
    assert_non_null(m);
    snprintf(url, sizeof url, "KOMBO_BASE_URL=%s", mock_base_url(m));
    const char *env[] = { url, NULL };
    th_write_random(work_file("huge.pdf"), 2 << 20, 3);
    struct run_result r = ka_run_env(env, "--json", "--candidate", CANDIDATE, work_file("huge.pdf"), NULL);
    assert_int_equal(r.status, 4);
    cJSON *j = json_line(r.out);
    assert_int_equal(cJSON_GetObjectItem(j, "http_status")->valueint, 413);
    cJSON_Delete(j);
    assert_int_equal(mock_stored_count(m), 0);
    th_run_free(&r);
    mock_stop(m);
}

static void test_retry_503_then_success(void **state)
{
    (void)state;
    struct mock_fault f = { .kind = MOCK_FAULT_STATUS, .count = 2, .status = 503,
                            .retry_after_ms = "50" };
    mock_inject(g_mock, &f);
    th_write_text(work_file("retry.txt"), "retry me");
    unsigned before_n = mock_request_count(g_mock);
    struct run_result r = ka_run("--json", "--candidate", CANDIDATE, work_file("retry.txt"), NULL);
    assert_int_equal(r.status, 0);
    cJSON *j = json_line(r.out);
    assert_int_equal(cJSON_GetObjectItem(j, "attempts")->valueint, 3);
    cJSON_Delete(j);
    assert_int_equal(mock_request_count(g_mock) - before_n, 3);
    assert_non_null(stored("retry.txt"));
    th_run_free(&r);
}

static void test_429_retry_after_honoured(void **state)
{
    (void)state;
    struct mock_fault f = { .kind = MOCK_FAULT_STATUS, .count = 1, .status = 429, .retry_after = "1" };
    mock_inject(g_mock, &f);
    th_write_text(work_file("ratelimited.txt"), "slow down");
    double t0 = now_s();
    struct run_result r = ka_run("--candidate", CANDIDATE, work_file("ratelimited.txt"), NULL);
    double dt = now_s() - t0;
    assert_int_equal(r.status, 0);
    if (dt < 0.95 || dt > 3.0)
        fail_msg("Retry-After: 1 not honoured: took %.2f s", dt);
    th_run_free(&r);
}

static void test_retries_exhausted(void **state)
{
    (void)state;
    struct mock_fault f = { .kind = MOCK_FAULT_STATUS, .count = -1, .status = 503,
                            .retry_after_ms = "10" };
    mock_inject(g_mock, &f);
    th_write_text(work_file("never.txt"), "never lands");
    unsigned before_n = mock_request_count(g_mock);
    struct run_result r = ka_run("--json", "--retries", "2", "--candidate", CANDIDATE,
                                 work_file("never.txt"), NULL);
    assert_int_equal(r.status, 5);
    cJSON *j = json_line(r.out);
    assert_int_equal(cJSON_GetObjectItem(j, "attempts")->valueint, 3);
    assert_int_equal(cJSON_GetObjectItem(j, "http_status")->valueint, 503);
    cJSON *e = cJSON_GetObjectItem(j, "error");
    assert_non_null(e);
    assert_true(cJSON_IsString(cJSON_GetObjectItem(e, "code")));
    cJSON_Delete(j);
    assert_int_equal(mock_request_count(g_mock) - before_n, 3);
    assert_null(stored("never.txt"));
    th_run_free(&r);
}

static void test_dropped_connection(void **state)
{
    (void)state;
    /* Far larger than loopback's socket buffers, so the drop happens while sending. */
    th_write_random(work_file("dropped.pdf"), 24 << 20, 11);
    struct mock_fault f = { .kind = MOCK_FAULT_DROP, .count = -1 };
    mock_inject(g_mock, &f);
    struct run_result r = ka_run("--retries", "1", "--candidate", CANDIDATE, work_file("dropped.pdf"), NULL);
    assert_int_equal(r.status, 5);
    assert_null(stored("dropped.pdf"));
    th_run_free(&r);

    /* One drop, then the retry goes through: the body is streamed again from the start. */
    f.count = 1;
    mock_inject(g_mock, &f);
    r = ka_run("--candidate", CANDIDATE, work_file("dropped.pdf"), NULL);
    assert_int_equal(r.status, 0);
    const char *s = stored("dropped.pdf");
    assert_non_null(s);
    assert_int_equal(th_files_equal(s, work_file("dropped.pdf")), 0);
    th_run_free(&r);
}

struct shrink_job { const char *path; double delay_s; unsigned wait_requests; off_t to; };
static void *shrink_thread(void *arg)
{
    struct shrink_job *j = arg;
    double t0 = now_s();
    while (mock_request_count(g_mock) < j->wait_requests && now_s() - t0 < 10)
        usleep(200);
    if (j->delay_s > 0)
        usleep((useconds_t)(j->delay_s * 1e6));
    if (truncate(j->path, j->to) != 0)
        perror("truncate");
    return NULL;
}

/* The file shrinks while being sent: aborted with a file error, nothing stored. */
static void test_file_shrinks_during_upload(void **state)
{
    (void)state;
    char path[4096];
    snprintf(path, sizeof path, "%s", work_file("shrinking.pdf"));
    assert_int_equal(th_write_random(path, 256u << 20, 5), 0);
    struct shrink_job job = { .path = path, .wait_requests = mock_request_count(g_mock) + 1,
                              .to = 1000 };
    pthread_t t;
    pthread_create(&t, NULL, shrink_thread, &job);
    struct run_result r = ka_run("--retries", "0", "--max-size", "1G", "--candidate", CANDIDATE,
                                 path, NULL);
    pthread_join(t, NULL);
    assert_int_equal(r.status, 3);
    assert_non_null(strstr(r.out, "changed"));
    assert_null(stored("shrinking.pdf"));
    th_run_free(&r);
    unlink(path);
}

/* The file changes between two attempts: the retry refuses to send it. */
static void test_file_changes_between_attempts(void **state)
{
    (void)state;
    char path[4096];
    snprintf(path, sizeof path, "%s", work_file("between.txt"));
    th_write_text(path, "first version of the file");
    struct mock_fault f = { .kind = MOCK_FAULT_STATUS, .count = 1, .status = 503, .retry_after = "1" };
    mock_inject(g_mock, &f);
    struct shrink_job job = { .path = path, .wait_requests = mock_request_count(g_mock) + 1,
                              .delay_s = 0.3, .to = 5 };
    pthread_t t;
    pthread_create(&t, NULL, shrink_thread, &job);
    struct run_result r = ka_run("--candidate", CANDIDATE, path, NULL);
    pthread_join(t, NULL);
    assert_int_equal(r.status, 3);
    assert_null(stored("between.txt"));
    th_run_free(&r);
}

static void test_dry_run_sends_nothing(void **state)
{
    (void)state;
    th_write_text(work_file("dry.txt"), "dry run body");
    unsigned before_n = mock_request_count(g_mock);
    struct run_result r = ka_run("--dry-run", "--candidate", CANDIDATE, work_file("dry.txt"), NULL);
    assert_int_equal(r.status, 0);
    assert_int_equal(mock_request_count(g_mock), before_n);
    assert_non_null(strstr(r.out, "Bearer <redacted>"));
    assert_non_null(strstr(r.out, "/ats/candidates/" CANDIDATE "/attachments"));
    assert_null(strstr(r.out, "ZHJ5IHJ1biBib2R5")); /* base64 of the content is not shown */
    th_run_free(&r);
}

static void test_candidate_id_encoded_as_one_segment(void **state)
{
    (void)state;
    th_write_text(work_file("enc.txt"), "encoded");
    struct run_result r = ka_run("-q", "--candidate", "a/b?c#d%e f..", work_file("enc.txt"), NULL);
    assert_int_equal(r.status, 0);
    char *raw = mock_last_raw_path(g_mock);
    assert_non_null(raw);
    assert_string_equal(raw, "/v1/ats/candidates/a%2Fb%3Fc%23d%25e%20f../attachments");
    free(raw);
    th_run_free(&r);
}

static void test_refusals_before_network(void **state)
{
    (void)state;
    th_write_text(work_file("ok.txt"), "fine");
    unsigned before_n = mock_request_count(g_mock);
    struct { const char *candidate; const char *file; const char *type; int code; } rows[] = {
        { "..", work_file("ok.txt"), "CV", 2 },
        { ".", work_file("ok.txt"), "CV", 2 },
        { "", work_file("ok.txt"), "CV", 2 },
        { CANDIDATE, work_file("ok.txt"), "RESUME", 2 },
        { CANDIDATE, "/nonexistent/file.pdf", "CV", 3 },
        { CANDIDATE, "/tmp", "CV", 3 },
    };
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        char file[4096];
        snprintf(file, sizeof file, "%s", rows[i].file);
        struct run_result r = ka_run("--candidate", rows[i].candidate, "--type", rows[i].type, file, NULL);
        if (r.status != rows[i].code)
            fail_msg("row %zu: exit %d, want %d\n%s%s", i, r.status, rows[i].code, r.out, r.err);
        assert_true(strlen(r.err) + strlen(r.out) > 0);
        th_run_free(&r);
    }
    const char *bad_key[] = { "KOMBO_API_KEY=abc\r\nX-Evil: 1", NULL };
    struct run_result r = ka_run_env(bad_key, "--candidate", CANDIDATE, work_file("ok.txt"), NULL);
    assert_int_equal(r.status, 2);
    th_run_free(&r);
    assert_int_equal(mock_request_count(g_mock), before_n);
}

/* A file over --max-size (or max_size in the config) is refused before anything is sent. */
static void test_max_size(void **state)
{
    (void)state;
    th_write_random(work_file("large.pdf"), 2 << 20, 9);
    unsigned before_n = mock_request_count(g_mock);
    struct run_result r = ka_run("--max-size", "1M", "--candidate", CANDIDATE, work_file("large.pdf"), NULL);
    assert_int_equal(r.status, 3);
    assert_non_null(strstr(r.out, "over the limit of 1.00 MiB"));
    th_run_free(&r);
    char cfgdir[4096], cfg[4200];
    snprintf(cfgdir, sizeof cfgdir, "%s/config/kombo-attach", g_work);
    snprintf(cfg, sizeof cfg, "%s/config", cfgdir);
    char cmd[4400];
    snprintf(cmd, sizeof cmd, "mkdir -p '%s'", cfgdir);
    assert_int_equal(system(cmd), 0);
    th_write_text(cfg, "max_size = 1500k\n");
    r = ka_run("--candidate", CANDIDATE, work_file("large.pdf"), NULL);
    assert_int_equal(r.status, 3);
    assert_non_null(strstr(r.out, "over the limit of 1.46 MiB"));
    th_run_free(&r);
    r = ka_run("-q", "--max-size", "3M", "--candidate", CANDIDATE, work_file("large.pdf"), NULL);
    assert_int_equal(r.status, 0); /* the flag beats the file */
    th_run_free(&r);
    unlink(cfg);
    assert_int_equal(mock_request_count(g_mock), before_n + 1);
}

/* The same content to the same candidate after a success is skipped before anything is
 * sent (outcome "duplicate", exit 0), unless --force; another candidate, or another file,
 * is sent. */
static void test_duplicate_skipped(void **state)
{
    (void)state;
    char path[4096], other[4096];
    snprintf(path, sizeof path, "%s", work_file("dup.pdf"));
    snprintf(other, sizeof other, "%s", work_file("dup copy.pdf"));
    th_write_random(path, 50000, 7);
    th_write_random(other, 50000, 7); /* same bytes, another name */
    unsigned req0 = mock_request_count(g_mock);
    struct run_result r = ka_run("-q", "--candidate", CANDIDATE, path, NULL);
    assert_int_equal(r.status, 0);
    th_run_free(&r);
    r = ka_run("--json", "--candidate", CANDIDATE, other, NULL);
    assert_int_equal(r.status, 0);
    if (!strstr(r.out, "\"outcome\":\"duplicate\"") || !strstr(r.out, "\"duplicate_of\":"))
        fail_msg("not reported as a duplicate: %s", r.out);
    th_run_free(&r);
    r = ka_run("--candidate", CANDIDATE, path, NULL);
    assert_int_equal(r.status, 0);
    if (!strstr(r.out, "skip  ") || !strstr(r.out, "--force"))
        fail_msg("no skip line: %s", r.out);
    th_run_free(&r);
    assert_int_equal(mock_request_count(g_mock) - req0, 1);
    r = ka_run("-q", "--force", "--candidate", CANDIDATE, path, NULL);
    assert_int_equal(r.status, 0);
    th_run_free(&r);
    r = ka_run("-q", "--candidate", "7Hx3PqR9tYvW2kZmNbCd8EfG", path, NULL);
    assert_int_equal(r.status, 0);
    th_run_free(&r);
    assert_int_equal(mock_request_count(g_mock) - req0, 3);
}

/* Each upload leaves one history line: content hash, outcome, no key; `history` lists it. */
static void test_history_recorded(void **state)
{
    (void)state;
    char path[4096], hist[4096], cmd[4200], want[65] = "";
    snprintf(path, sizeof path, "%s", work_file("history me.pdf"));
    th_write_random(path, 100000, 42);
    snprintf(cmd, sizeof cmd, "sha256sum '%s'", path);
    FILE *p = popen(cmd, "r");
    assert_int_equal(fscanf(p, "%64s", want), 1);
    pclose(p);
    struct run_result r = ka_run("-q", "--candidate", CANDIDATE, path, NULL);
    assert_int_equal(r.status, 0);
    th_run_free(&r);
    struct mock_fault f = { .kind = MOCK_FAULT_STATUS, .count = 1, .status = 400 };
    mock_inject(g_mock, &f);
    r = ka_run("-q", "--force", "--retries", "0", "--candidate", CANDIDATE, path, NULL);
    assert_int_equal(r.status, 4);
    th_run_free(&r);

    snprintf(hist, sizeof hist, "%s/state/kombo-attach/history.jsonl", g_work);
    char *text = th_slurp(hist, NULL);
    assert_non_null(text);
    assert_null(strstr(text, KEY));
    char *last_ok = NULL, *line = strtok(text, "\n"), *prev = NULL;
    for (; line; line = strtok(NULL, "\n")) {
        if (strstr(line, "history me.pdf") && strstr(line, "\"outcome\":\"ok\""))
            last_ok = line;
        prev = line;
    }
    assert_non_null(last_ok);
    cJSON *j = json_line(last_ok);
    assert_string_equal(cJSON_GetObjectItem(j, "sha256")->valuestring, want);
    assert_string_equal(cJSON_GetObjectItem(j, "candidate")->valuestring, CANDIDATE);
    assert_int_equal(cJSON_GetObjectItem(j, "size")->valueint, 100000);
    assert_true(cJSON_GetObjectItem(j, "path")->valuestring[0] == '/');
    /* the integration and the server as people name it (the base URL here) */
    assert_string_equal(cJSON_GetObjectItem(j, "integration")->valuestring, INTEGRATION);
    assert_string_equal(cJSON_GetObjectItem(j, "server")->valuestring, mock_base_url(g_mock));
    assert_true(cJSON_IsFalse(cJSON_GetObjectItem(j, "sandbox")));
    cJSON_Delete(j);
    j = json_line(prev); /* the rejected attempt came last */
    assert_string_equal(cJSON_GetObjectItem(j, "outcome")->valuestring, "rejected");
    assert_int_equal(cJSON_GetObjectItem(j, "http_status")->valueint, 400);
    assert_true(cJSON_IsString(cJSON_GetObjectItem(j, "error_code")));
    cJSON_Delete(j);
    free(text);

    r = ka_run("history", "-n", "2", NULL);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "history me.pdf"));
    assert_non_null(strstr(r.out, "rejected"));
    assert_non_null(strstr(r.out, INTEGRATION "]"));
    th_run_free(&r);
    r = ka_run("--no-history", "-q", "--candidate", CANDIDATE, path, NULL);
    assert_int_equal(r.status, 0);
    th_run_free(&r);
    char *again = th_slurp(hist, NULL);
    size_t lines = 0;
    for (char *q = again; q && *q; q++)
        lines += *q == '\n';
    free(again);
    r = ka_run("history", "--json", "-n", "100000", NULL);
    size_t listed = 0;
    for (char *q = r.out; *q; q++)
        listed += *q == '\n';
    assert_int_equal(listed, lines); /* --no-history added nothing */
    th_run_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_docs_example, before),
        cmocka_unit_test_setup(test_roundtrip_sizes, before),
        cmocka_unit_test_setup(test_large_file_flat_memory, before),
        cmocka_unit_test_setup(test_wrong_key_rejected, before),
        cmocka_unit_test_setup(test_body_over_cap_413, before),
        cmocka_unit_test_setup(test_retry_503_then_success, before),
        cmocka_unit_test_setup(test_429_retry_after_honoured, before),
        cmocka_unit_test_setup(test_retries_exhausted, before),
        cmocka_unit_test_setup(test_dropped_connection, before),
        cmocka_unit_test_setup(test_file_shrinks_during_upload, before),
        cmocka_unit_test_setup(test_file_changes_between_attempts, before),
        cmocka_unit_test_setup(test_dry_run_sends_nothing, before),
        cmocka_unit_test_setup(test_candidate_id_encoded_as_one_segment, before),
        cmocka_unit_test_setup(test_refusals_before_network, before),
        cmocka_unit_test_setup(test_history_recorded, before),
        cmocka_unit_test_setup(test_duplicate_skipped, before),
        cmocka_unit_test_setup(test_max_size, before),
    };
    return cmocka_run_group_tests_name("integration", tests, setup, teardown);
}
