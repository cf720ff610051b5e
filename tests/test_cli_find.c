/* The command line's reading half against the in-process mock: find (every kind of query,
 * JSON, no match), uploads to an application (the wire request), --email / --find / --job,
 * the restrictions refused before sending, check (valid, wrong key, wrong region),
 * attachments, --verify (ok and a tampered copy), and hostile answers (control characters
 * and U+202E in names, a repeating cursor). Plus the pure parts: the table and the choice
 * of application. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <fcntl.h>
#include <ftw.h>
#include <locale.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <wchar.h>

#include "cli_fixture.h"
#include "cli_find.h"
#include "cli_target.h"
#include "candidate.h"
#include "exitcodes.h"

#define FRANK_README "4B9bJBkJ6jEGfpdpcCJ7JKJ9"   /* frank@example.com, ATS ID cCJ7JKJ9 */
#define FRANK_APP "Cr5Xd6Ye7Zf8ag9bh1ci2dj3"      /* his one PENDING application */
#define FRANK_OTHER "4B7z5qJ8dXcR2mTnWvKpLs9a"    /* the other Frank Doe */
#define ADA "9sDf4GhJk2LmN5pQr7StUv3W"
/* In the hostile data set (hostile_data below). */
#define EVE "EvE1111111111111111111aa"
#define EVE_APP_BACK "EvEapp1111111111111111aa"
#define EVE_APP_FRONT "EvEapp2222222222222222aa"
#define SOLO "So1o111111111111111111aa"
#define SOLO_APP "So1oapp111111111111111aa"

static struct mock *g_data_mock, *g_strict_mock;
static char g_data_url[300], g_strict_url[300];
static char *g_data_dir;

/* Eve's first name holds an escape sequence and a bidi override; she has two open
 * applications (so no default), Solo one open and one declined. */
static const char hostile_data[] =
    "[{\"id\":\"" EVE "\",\"remote_id\":\"eve-1\",\"first_name\":\"Eve\\u001b[31m\\u202eliveE\","
    "\"last_name\":\"Mallory\",\"changed_at\":\"2024-01-01T00:00:00.000Z\","
    "\"email_addresses\":[{\"email_address\":\"eve@example.com\",\"type\":\"WORK\"}],"
    "\"applications\":[{\"id\":\"" EVE_APP_BACK "\",\"outcome\":\"PENDING\",\"job\":{\"id\":\"j1\","
    "\"name\":\"Backend Engineer\"}},{\"id\":\"" EVE_APP_FRONT "\",\"outcome\":\"PENDING\","
    "\"job\":{\"id\":\"j2\",\"name\":\"Frontend Engineer\"}}]},"
    "{\"id\":\"" SOLO "\",\"remote_id\":\"solo-1\",\"first_name\":\"Solo\",\"last_name\":\"Pending\","
    "\"changed_at\":\"2024-01-01T00:00:00.000Z\","
    "\"email_addresses\":[{\"email_address\":\"solo@example.com\",\"type\":\"WORK\"}],"
    "\"applications\":[{\"id\":\"" SOLO_APP "\",\"outcome\":\"PENDING\",\"job\":{\"id\":\"j3\","
    "\"name\":\"Night\\u001b]0;pwned\\u0007 Shift\"}},{\"id\":\"So1oapp222222222222222aa\","
    "\"outcome\":\"DECLINED\",\"job\":{\"id\":\"j4\",\"name\":\"Day Shift\"}}]}]";

/* CV not taken, OTHER up to 100 bytes, COVER_LETTER as PDF only. */
static const char strict_restrictions[] =
    "{\"types\":{\"CV\":{\"is_supported\":false},"
    "\"OTHER\":{\"is_supported\":true,\"max_file_size_bytes\":100,\"accepted_mime_types\":null},"
    "\"COVER_LETTER\":{\"is_supported\":true,\"max_file_size_bytes\":null,"
    "\"accepted_mime_types\":[\"application/pdf\"]}}}";

static int group_setup(void **state)
{
    if (setup(state) != 0)
        return -1;
    g_data_dir = th_tempdir();
    char path[600], inbox[600], inbox2[600], err[256];
    snprintf(path, sizeof path, "%s/people.json", g_data_dir);
    snprintf(inbox, sizeof inbox, "%s/inbox", g_data_dir);
    snprintf(inbox2, sizeof inbox2, "%s/inbox2", g_data_dir);
    th_write_text(path, hostile_data);
    struct mock_config dc = { .inbox = inbox, .quiet = true, .data_file = path,
                              .restrictions = "null" };
    if (!(g_data_mock = mock_start(&dc, err, sizeof err))) {
        fprintf(stderr, "data mock: %s\n", err);
        return -1;
    }
    struct mock_config sc = { .inbox = inbox2, .quiet = true, .restrictions = strict_restrictions };
    if (!(g_strict_mock = mock_start(&sc, err, sizeof err))) {
        fprintf(stderr, "strict mock: %s\n", err);
        return -1;
    }
    snprintf(g_data_url, sizeof g_data_url, "KOMBO_BASE_URL=%s", mock_base_url(g_data_mock));
    snprintf(g_strict_url, sizeof g_strict_url, "KOMBO_BASE_URL=%s", mock_base_url(g_strict_mock));
    return 0;
}

static int group_teardown(void **state)
{
    mock_stop(g_data_mock);
    mock_stop(g_strict_mock);
    th_rmtree(g_data_dir);
    free(g_data_dir);
    return teardown(state);
}

/* The JSON lines of out, as an array. */
static cJSON *json_lines(const char *out)
{
    cJSON *all = cJSON_CreateArray();
    const char *p = out;
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        char *line = strndup(p, n);
        cJSON *j = cJSON_Parse(line);
        if (!j)
            fail_msg("not a JSON line: %s", line);
        cJSON_AddItemToArray(all, j);
        free(line);
        p += n + (nl ? 1 : 0);
    }
    return all;
}

static const char *jstr(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static bool has_label(const cJSON *hit, const char *label)
{
    const cJSON *it;
    cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(hit, "matched"))
        if (cJSON_IsString(it) && strcmp(it->valuestring, label) == 0)
            return true;
    return false;
}

/* ============================================================== find */

static void test_find_each_kind(void **state)
{
    (void)state;
    static const struct {
        const char *query, *first_id, *label;
        int n;      /* hits expected; 0 = at least one */
    } rows[] = {
        { FRANK_README, FRANK_README, "ids", 1 },
        { "FRANK@Example.COM", FRANK_README, "email", 1 },
        { "cCJ7JKJ9", FRANK_README, "remote_ids", 0 },
        { "https://app.greenhouse.example/people/cCJ7JKJ9?tab=cv#top", FRANK_README, "remote_ids", 1 },
        { "Frank Doe", NULL, "first_name+last_name", 2 },
        { "doe frank", NULL, "last_name+first_name", 2 },
        { "Lovelace", ADA, "last_name", 0 },
    };
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        struct run_result r = ka_run("find", "--json", rows[i].query, NULL);
        if (r.status != 0)
            fail_msg("%s: exit %d\n%s%s", rows[i].query, r.status, r.out, r.err);
        cJSON *hits = json_lines(r.out);
        int n = cJSON_GetArraySize(hits);
        if (rows[i].n ? n != rows[i].n : n < 1)
            fail_msg("%s: %d hits\n%s", rows[i].query, n, r.out);
        const cJSON *first = cJSON_GetArrayItem(hits, 0);
        if (rows[i].first_id && strcmp(jstr(first, "id"), rows[i].first_id) != 0)
            fail_msg("%s: first hit %s, want %s", rows[i].query, jstr(first, "id"), rows[i].first_id);
        if (!has_label(first, rows[i].label))
            fail_msg("%s: not matched by %s: %s", rows[i].query, rows[i].label, r.out);
        if (rows[i].n == 2) {   /* both Franks, whichever way round the name was typed */
            const char *a = jstr(first, "id"), *b = jstr(cJSON_GetArrayItem(hits, 1), "id");
            assert_true((!strcmp(a, FRANK_README) && !strcmp(b, FRANK_OTHER)) ||
                        (!strcmp(b, FRANK_README) && !strcmp(a, FRANK_OTHER)));
        }
        cJSON_Delete(hits);
        th_run_free(&r);
    }
    /* plain text (not a terminal): the IDs and the application with its job */
    struct run_result r = ka_run("find", "frank@example.com", NULL);
    assert_int_equal(r.status, 0);
    assert_said(r, "Kombo ID " FRANK_README);
    assert_said(r, "ATS ID cCJ7JKJ9");
    assert_said(r, "Software Engineer");
    assert_said(r, "PENDING (application " FRANK_APP ")");
    th_run_free(&r);
    /* the query need not be quoted */
    r = ka_run("find", "--json", "Ada", "Lovelace", NULL);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, ADA));
    th_run_free(&r);
}

static void test_find_no_match_and_json_shape(void **state)
{
    (void)state;
    struct run_result r = ka_run("find", "nobody@example.com", NULL);
    assert_int_equal(r.status, KA_EXIT_API);
    assert_string_equal(r.out, "");
    assert_said(r, "no candidate matches e-mail nobody@example.com");
    th_run_free(&r);
    r = ka_run("find", "--json", "Zyxw", "Vutsrq", NULL);
    assert_int_equal(r.status, KA_EXIT_API);
    assert_said(r, "name Zyxw Vutsrq");
    th_run_free(&r);
    r = ka_run("find", NULL);
    assert_int_equal(r.status, KA_EXIT_USAGE);
    assert_said(r, "find needs something to search for");
    th_run_free(&r);
    /* the command after an option is not taken for a file to send */
    r = ka_run("--quiet", "find", "frank@example.com", NULL);
    assert_int_equal(r.status, KA_EXIT_USAGE);
    assert_said(r, "\"find\" is a command: put it first");
    th_run_free(&r);

    r = ka_run("find", "--json", "frank@example.com", NULL);
    assert_int_equal(r.status, 0);
    cJSON *hits = json_lines(r.out);
    assert_int_equal(cJSON_GetArraySize(hits), 1);
    const cJSON *h = cJSON_GetArrayItem(hits, 0);
    static const char *const keys[] = { "id", "remote_id", "name", "first_name", "last_name",
                                        "emails", "title", "company", "remote_url", "deleted",
                                        "matched", "applications" };
    for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
        if (!cJSON_GetObjectItemCaseSensitive(h, keys[i]))
            fail_msg("no \"%s\" in %s", keys[i], r.out);
    assert_string_equal(jstr(h, "name"), "Frank Doe");
    assert_string_equal(cJSON_GetArrayItem(cJSON_GetObjectItem(h, "emails"), 0)->valuestring,
                        "frank@example.com");
    const cJSON *app = cJSON_GetArrayItem(cJSON_GetObjectItem(h, "applications"), 0);
    assert_string_equal(jstr(app, "id"), FRANK_APP);
    assert_string_equal(jstr(app, "outcome"), "PENDING");
    assert_non_null(jstr(app, "job"));
    assert_true(cJSON_IsArray(cJSON_GetObjectItem(h, "matched")));
    cJSON_Delete(hits);
    th_run_free(&r);
}

/* ============================================================== to an application */

/* The newest POST in the mock's /__mock/requests. Caller deletes. */
static cJSON *last_post(struct mock *m)
{
    char url[300];
    snprintf(url, sizeof url, "%s", mock_base_url(m));
    url[strlen(url) - 3] = '\0';
    strcat(url, "/__mock/requests");
    char *argv[] = { "/usr/bin/curl", "-sf", url, NULL };
    struct run_result r = th_run(argv, NULL);
    assert_int_equal(r.status, 0);
    cJSON *all = cJSON_Parse(r.out);
    th_run_free(&r);
    assert_non_null(all);
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItem(all, "data"), "requests");
    if (!list)
        list = cJSON_GetObjectItemCaseSensitive(all, "requests");
    cJSON *found = NULL;
    const cJSON *it;
    cJSON_ArrayForEach(it, list)
        if (jstr(it, "method") && strcmp(jstr(it, "method"), "POST") == 0) {
            cJSON_Delete(found);
            found = cJSON_Duplicate(it, 1);
        }
    cJSON_Delete(all);
    assert_non_null(found);
    return found;
}

/* The same file to the candidate and to the application: the same headers and body, as
 * the SDK's addCandidateAttachment and addApplicationAttachment send them. */
static void test_application_wire_request(void **state)
{
    (void)state;
    char *f = work_file("wire.pdf");
    th_write_random(f, 3000, 5);
    struct run_result r = ka_run("--no-history", "-q", "--content-type", "application/pdf",
                                 "--candidate", FRANK_README, f, NULL);
    assert_int_equal(r.status, 0);
    th_run_free(&r);
    cJSON *cand = last_post(g_mock);
    r = ka_run("--no-history", "-q", "--json", "--content-type", "application/pdf",
               "--application", FRANK_APP, f, NULL);
    if (r.status != 0)
        fail_msg("exit %d\n%s%s", r.status, r.out, r.err);
    cJSON *j = cJSON_Parse(r.out);
    assert_string_equal(jstr(j, "target"), "application");
    assert_string_equal(jstr(j, "application"), FRANK_APP);
    cJSON_Delete(j);
    th_run_free(&r);
    cJSON *app = last_post(g_mock);
    assert_string_equal(jstr(app, "path"), "/v1/ats/applications/" FRANK_APP "/attachments");
    assert_string_equal(jstr(cand, "path"), "/v1/ats/candidates/" FRANK_README "/attachments");
    assert_true(cJSON_Compare(cJSON_GetObjectItem(app, "headers"), cJSON_GetObjectItem(cand, "headers"), 1));
    assert_true(cJSON_Compare(cJSON_GetObjectItem(app, "body_bytes"), cJSON_GetObjectItem(cand, "body_bytes"), 1));
    assert_int_equal((int)cJSON_GetObjectItem(app, "status")->valuedouble, 200);
    assert_null(cJSON_GetObjectItem(app, "remote_fields"));
    cJSON_Delete(cand);
    cJSON_Delete(app);
    /* the dry run shows the same body and the application's URL */
    r = ka_run("--dry-run", "--json", "--content-type", "application/pdf", "--application",
               FRANK_APP, f, NULL);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "/ats/applications/" FRANK_APP "/attachments"));
    assert_non_null(strstr(r.out, "\"target\":\"application\""));
    th_run_free(&r);
}

static void test_email_find_and_job(void **state)
{
    (void)state;
    char *f = work_file("email.txt");
    th_write_text(f, "a CV for Frank");
    /* one match with one open application: the file goes there */
    struct run_result r = ka_run("--no-history", "--email", "Frank@Example.com", f, NULL);
    if (r.status != 0)
        fail_msg("exit %d\n%s%s", r.status, r.out, r.err);
    assert_said(r, "→ application " FRANK_APP " (Software Engineer) of candidate " FRANK_README);
    assert_said(r, "the only open application");
    th_run_free(&r);
    /* --find with one match, and --job that matches (any case); a dry run sends nothing */
    r = ka_run("--dry-run", "--find", "ada@example.net", "--job", "RESEARCH", f, NULL);
    if (r.status != 0)
        fail_msg("exit %d\n%s%s", r.status, r.out, r.err);
    assert_said(r, "# target: application Bq2Wc3Xd4Ye5Zf6ag7bh8ci9 (Research Engineer) of candidate " ADA);
    assert_said(r, "its job matches --job");
    th_run_free(&r);
    /* several matches: exit 2, one line per match */
    r = ka_run("--no-history", "--find", "Frank Doe", f, NULL);
    assert_int_equal(r.status, KA_EXIT_USAGE);
    assert_said(r, "2 candidates match name Frank Doe");
    assert_said(r, "  Frank Doe <frank@example.com>, Kombo ID " FRANK_README);
    assert_said(r, "Kombo ID " FRANK_OTHER);
    assert_string_equal(r.out, "");
    th_run_free(&r);
    r = ka_run("--no-history", "--email", "nobody@example.com", f, NULL);
    assert_int_equal(r.status, KA_EXIT_USAGE);
    assert_said(r, "--email: no candidate matches e-mail nobody@example.com");
    th_run_free(&r);
    r = ka_run("--no-history", "--email", "Frank Doe", f, NULL);
    assert_int_equal(r.status, KA_EXIT_USAGE);
    assert_said(r, "is not an e-mail address");
    th_run_free(&r);
    r = ka_run("--no-history", "--job", "x", "-c", FRANK_README, f, NULL);
    assert_int_equal(r.status, KA_EXIT_USAGE);
    assert_said(r, "--job picks among");
    th_run_free(&r);

    /* the data set of our own: Eve has two open applications */
    const char *env[] = { g_data_url, NULL };
    r = ka_run_env(env, "--no-history", "--json", "--email", "eve@example.com", f, NULL);
    assert_int_equal(r.status, 0);
    cJSON *j = cJSON_Parse(r.out);
    assert_string_equal(jstr(j, "target"), "candidate");   /* no single open application */
    assert_string_equal(jstr(j, "candidate"), EVE);
    cJSON_Delete(j);
    th_run_free(&r);
    r = ka_run_env(env, "--no-history", "--json", "--email", "eve@example.com", "--job", "backEND", f, NULL);
    assert_int_equal(r.status, 0);
    j = cJSON_Parse(r.out);
    assert_string_equal(jstr(j, "application"), EVE_APP_BACK);
    assert_string_equal(jstr(j, "job"), "Backend Engineer");
    cJSON_Delete(j);
    th_run_free(&r);
    r = ka_run_env(env, "--no-history", "--email", "eve@example.com", "--job", "engineer", f, NULL);
    assert_int_equal(r.status, KA_EXIT_USAGE);
    assert_said(r, "matches 2 of");
    assert_said(r, "--application " EVE_APP_BACK);
    assert_said(r, "--application " EVE_APP_FRONT);
    th_run_free(&r);
    r = ka_run_env(env, "--no-history", "--email", "eve@example.com", "--job", "chef", f, NULL);
    assert_int_equal(r.status, KA_EXIT_USAGE);
    assert_said(r, "none of");
    assert_said(r, "--application " EVE_APP_FRONT);
    th_run_free(&r);
    /* Solo: one open and one declined application: the open one */
    r = ka_run_env(env, "--no-history", "--json", "--email", "solo@example.com", f, NULL);
    assert_int_equal(r.status, 0);
    j = cJSON_Parse(r.out);
    assert_string_equal(jstr(j, "application"), SOLO_APP);
    cJSON_Delete(j);
    th_run_free(&r);
    /* the dry run shows what was resolved */
    r = ka_run("--dry-run", "--email", "frank@example.com", f, NULL);
    assert_int_equal(r.status, 0);
    assert_said(r, "# target: application " FRANK_APP " (Software Engineer) of candidate " FRANK_README);
    th_run_free(&r);
}

/* ============================================================== restrictions */

static void test_restrictions_refuse_before_sending(void **state)
{
    (void)state;
    const char *env[] = { g_strict_url, NULL };
    char *small = work_file("small.txt"), *big = work_file("big.txt");
    th_write_text(small, "tiny");
    th_write_random(big, 500, 3);
    static const struct {
        const char *type, *ct, *says;
        bool big;
    } rows[] = {
        { "CV", "text/plain", "does not accept CV", false },
        { "OTHER", "application/pdf", "100 B", true },
        { "COVER_LETTER", "text/plain", "application/pdf", false },
    };
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        unsigned before_n = mock_request_count(g_strict_mock);
        struct run_result r = ka_run_env(env, "--no-history", "--type", rows[i].type,
                                         "--content-type", rows[i].ct, "-c", FRANK_README,
                                         rows[i].big ? big : small, NULL);
        if (r.status != KA_EXIT_USAGE || !said(&r, rows[i].says) || !said(&r, "not sent"))
            fail_msg("%s: exit %d\n%s%s", rows[i].type, r.status, r.out, r.err);
        assert_int_equal(mock_request_count(g_strict_mock), before_n);   /* nothing sent */
        th_run_free(&r);
    }
    /* allowed by the same restrictions: sent */
    struct run_result r = ka_run_env(env, "--no-history", "--type", "OTHER", "-c", FRANK_README,
                                     small, NULL);
    assert_int_equal(r.status, 0);
    th_run_free(&r);

    /* null restrictions (the data mock): sent, and -v says none were known */
    const char *nenv[] = { g_data_url, NULL };
    r = ka_run_env(nenv, "--no-history", "-v", "--type", "CV", "-c", EVE, small, NULL);
    assert_int_equal(r.status, 0);
    assert_said(r, "none known for this integration");
    th_run_free(&r);

    /* a lookup that fails: sent anyway, -v says so */
    struct mock_fault fault = { .kind = MOCK_FAULT_STATUS, .status = 500, .count = -1,
                                .path = "/ats/actions" };
    mock_inject(g_strict_mock, &fault);
    r = ka_run_env(env, "--no-history", "-v", "--retries", "0", "--type", "CV", "-c",
                   FRANK_README, small, NULL);
    struct mock_fault none = { .kind = MOCK_FAULT_NONE };
    mock_inject(g_strict_mock, &none);
    if (r.status != 0 || !said(&r, "could not be read"))
        fail_msg("failed lookup: exit %d\n%s%s", r.status, r.out, r.err);
    th_run_free(&r);
}

/* ============================================================== check */

static void test_check(void **state)
{
    (void)state;
    struct run_result r = ka_run("check", NULL);
    if (r.status != 0)
        fail_msg("exit %d\n%s%s", r.status, r.out, r.err);
    assert_said(r, "API key              valid");
    assert_said(r, "environment");
    assert_said(r, "status               ACTIVE");
    assert_said(r, "setup                COMPLETED");
    assert_said(r, "attach to application");
    th_run_free(&r);
    r = ka_run("check", "--json", NULL);
    assert_int_equal(r.status, 0);
    cJSON *j = cJSON_Parse(r.out);
    assert_non_null(j);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(j, "key_valid")));
    assert_non_null(jstr(j, "environment_id"));
    const cJSON *in = cJSON_GetObjectItem(j, "integration");
    assert_string_equal(jstr(in, "id"), INTEGRATION);
    assert_string_equal(jstr(in, "status"), "ACTIVE");
    cJSON_Delete(j);
    th_run_free(&r);
    r = ka_run("check", "extra", NULL);
    assert_int_equal(r.status, KA_EXIT_USAGE);
    th_run_free(&r);
}

/* A mock that takes only another key stands for the EU region; the fixture's mock (any
 * key) for the US one. */
static void test_check_wrong_key_and_region(void **state)
{
    (void)state;
    char dir[600], err[256];
    snprintf(dir, sizeof dir, "%s/eu-inbox", g_data_dir);
    struct mock_config ec = { .inbox = dir, .quiet = true, .api_key = "sk_someone_elses_key" };
    struct mock *eu = mock_start(&ec, err, sizeof err);
    assert_non_null(eu);
    char eu_env[300], us_env[300];
    snprintf(eu_env, sizeof eu_env, "KOMBO_REGION_URL_EU=%s", mock_base_url(eu));
    snprintf(us_env, sizeof us_env, "KOMBO_REGION_URL_US=%s", mock_base_url(g_mock));
    /* with a base URL there is no other region to ask: the refusal alone */
    const char *wrong[] = { eu_env, us_env, "KOMBO_BASE_URL", NULL };
    const char *with_base[] = { g_env_url, NULL };
    (void)with_base;
    char base_eu[300];
    snprintf(base_eu, sizeof base_eu, "KOMBO_BASE_URL=%s", mock_base_url(eu));
    const char *only_base[] = { base_eu, us_env, NULL };
    struct run_result r = ka_run_env(only_base, "check", NULL);
    assert_int_equal(r.status, KA_EXIT_API);
    assert_said(r, "AUTHENTICATION_INVALID");
    assert_false(said(&r, "belongs to the"));
    th_run_free(&r);
    /* the EU refuses, the US knows the key: the hint */
    r = ka_run_env(wrong, "check", NULL);
    assert_int_equal(r.status, KA_EXIT_API);
    assert_said(r, "this key belongs to the US region: use --server us");
    th_run_free(&r);
    r = ka_run_env(wrong, "check", "--server", "us", NULL);
    assert_int_equal(r.status, 0);
    th_run_free(&r);
    /* an upload gets the same hint */
    char *f = work_file("region.txt");
    th_write_text(f, "region");
    r = ka_run_env(wrong, "--no-history", "-c", FRANK_README, f, NULL);
    assert_int_equal(r.status, KA_EXIT_API);
    assert_said(r, "this key belongs to the US region: use --server us");
    th_run_free(&r);
    /* neither region knows it: no hint */
    const char *both_eu[] = { eu_env, "KOMBO_BASE_URL", NULL };
    char us_is_eu[300];
    snprintf(us_is_eu, sizeof us_is_eu, "KOMBO_REGION_URL_US=%s", mock_base_url(eu));
    const char *nobody[] = { both_eu[0], us_is_eu, "KOMBO_BASE_URL", NULL };
    r = ka_run_env(nobody, "check", NULL);
    assert_int_equal(r.status, KA_EXIT_API);
    assert_false(said(&r, "belongs to the"));
    th_run_free(&r);
    mock_stop(eu);
}

/* ============================================================== attachments, --verify */

static void test_attachments_listing(void **state)
{
    (void)state;
    struct run_result r = ka_run("attachments", "-c", ADA, NULL);
    assert_int_equal(r.status, 0);
    assert_said(r, "has no attachments");
    th_run_free(&r);
    char *f = work_file("Listed.pdf");
    th_write_random(f, 2000, 9);
    r = ka_run("--no-history", "-q", "--type", "COVER_LETTER", "--content-type", "application/pdf",
               "--application", "Bq2Wc3Xd4Ye5Zf6ag7bh8ci9", "-c", ADA, f, NULL);
    assert_int_equal(r.status, 0);
    th_run_free(&r);
    r = ka_run("attachments", "--json", "-c", ADA, NULL);
    assert_int_equal(r.status, 0);
    cJSON *list = json_lines(r.out);
    assert_int_equal(cJSON_GetArraySize(list), 1);
    const cJSON *a = cJSON_GetArrayItem(list, 0);
    assert_string_equal(jstr(a, "file_name"), "Listed.pdf");
    assert_string_equal(jstr(a, "type"), "COVER_LETTER");
    assert_string_equal(jstr(a, "content_type"), "application/pdf");
    assert_string_equal(jstr(a, "application_id"), "Bq2Wc3Xd4Ye5Zf6ag7bh8ci9");
    cJSON_Delete(list);
    th_run_free(&r);
    r = ka_run("attachments", "--application", "Bq2Wc3Xd4Ye5Zf6ag7bh8ci9", NULL);
    assert_int_equal(r.status, 0);
    assert_said(r, "Listed.pdf  COVER_LETTER  application/pdf");
    assert_said(r, "application Bq2Wc3Xd4Ye5Zf6ag7bh8ci9");
    th_run_free(&r);
    r = ka_run("attachments", NULL);
    assert_int_equal(r.status, KA_EXIT_USAGE);
    th_run_free(&r);
    const char *env[] = { g_data_url, NULL };   /* only its own people exist */
    r = ka_run_env(env, "attachments", "-c", "4gR7uLk8J2bXw9QmZ3sTn6Vd", NULL);
    assert_int_equal(r.status, KA_EXIT_API);
    assert_said(r, "4gR7uLk8J2bXw9QmZ3sTn6Vd");
    th_run_free(&r);
}

static void test_verify_ok(void **state)
{
    (void)state;
    char *f = work_file("Verified.pdf");
    th_write_random(f, 50000, 21);
    struct run_result r = ka_run("--no-history", "--verify", "--content-type", "application/pdf",
                                 "-c", FRANK_README, f, NULL);
    if (r.status != 0)
        fail_msg("exit %d\n%s%s", r.status, r.out, r.err);
    assert_said(r, ", verified");
    th_run_free(&r);
    r = ka_run("--no-history", "--verify", "--json", "--content-type", "application/pdf",
               "--email", "frank@example.com", f, NULL);
    assert_int_equal(r.status, 0);
    cJSON *j = cJSON_Parse(r.out);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(j, "verified")));
    assert_string_equal(jstr(j, "target"), "application");
    cJSON_Delete(j);
    th_run_free(&r);
}

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

/* The stored copy is changed between the upload and the download (the listing is held
 * back a second by a 503, so the test has time): the mismatch is named, exit 9. */
static void test_verify_tampered(void **state)
{
    (void)state;
    char *f = work_file("Tampered.pdf");
    th_write_random(f, 40000, 33);
    char path[200];
    snprintf(path, sizeof path, "/ats/candidates/%s/attachments", FRANK_README);
    struct mock_fault fault = { .kind = MOCK_FAULT_STATUS, .status = 503, .count = 1,
                                .retry_after = "1", .path = path, .method = "GET" };
    mock_inject(g_mock, &fault);
    char *argv[40];
    const char *args[] = { "--no-history", "--verify", "--content-type", "application/pdf", "-c",
                           FRANK_README, f, NULL };
    int n = 0;
    argv[n++] = getenv("KA_BIN");
    for (int i = 0; args[i]; i++)
        argv[n++] = (char *)args[i];
    argv[n] = NULL;
    const char *env[32];
    std_env(env, NULL);
    struct th_proc p;
    assert_int_equal(th_spawn(argv, env, &p), 0);
    double t0 = now_s();
    g_want = "Tampered.pdf";
    g_found[0] = '\0';
    while (!g_found[0] && now_s() - t0 < 10) {
        nftw(g_inbox, find_cb, 16, FTW_PHYS);
        if (!g_found[0])
            usleep(2000);
    }
    assert_true(g_found[0] != '\0');
    usleep(20000);   /* the mock finished writing it before answering */
    /* same size, other bytes */
    assert_int_equal(th_write_random(g_found, 40000, 34), 0);
    struct run_result r = th_wait(&p, RUN_LIMIT_S);
    if (r.status != KA_EXIT_UNVERIFIED || !said(&r, "MISMATCH") || !said(&r, "unverified  "))
        fail_msg("exit %d\n%s%s", r.status, r.out, r.err);
    th_run_free(&r);
}

/* ============================================================== hostile answers */

static void test_hostile_names_escaped(void **state)
{
    (void)state;
    const char *env[] = { g_data_url, NULL };
    struct run_result r = ka_run_env(env, "find", "eve@example.com", NULL);
    assert_int_equal(r.status, 0);
    assert_null(strchr(r.out, '\x1b'));
    assert_null(strstr(r.out, "\xe2\x80\xae"));
    assert_said(r, "Eve\\x1b[31m\\u202eliveE Mallory");
    th_run_free(&r);
    char *f = work_file("hostile.txt");
    th_write_text(f, "night shift");
    r = ka_run_env(env, "--no-history", "--email", "solo@example.com", f, NULL);
    assert_int_equal(r.status, 0);
    assert_null(strchr(r.out, '\x1b'));
    assert_null(strchr(r.out, '\a'));
    assert_null(strchr(r.err, '\x1b'));
    assert_said(r, "(Night\\x1b]0;pwned\\x07 Shift)");
    th_run_free(&r);
    /* the JSON keeps them as JSON escapes */
    r = ka_run_env(env, "find", "--json", "eve@example.com", NULL);
    assert_int_equal(r.status, 0);
    assert_null(strchr(r.out, '\x1b'));
    cJSON *j = cJSON_Parse(r.out);
    assert_string_equal(jstr(j, "first_name"), "Eve\x1b[31m\xe2\x80\xaeliveE");
    cJSON_Delete(j);
    th_run_free(&r);
}

/* A server whose every page says "next": "again": the pager stops at the repeat. */
struct loop_server {
    int fd;
    unsigned short port;
    volatile int stop;
    pthread_t thread;
};

static void *loop_main(void *arg)
{
    struct loop_server *s = arg;
    static const char body[] =
        "{\"status\":\"success\",\"data\":{\"next\":\"again\",\"results\":[{\"id\":\"" FRANK_README "\","
        "\"first_name\":\"Frank\",\"last_name\":\"Doe\"}]}}";
    struct pollfd pfd = { .fd = s->fd, .events = POLLIN };
    while (!s->stop) {
        if (poll(&pfd, 1, 100) <= 0)
            continue;
        int c = accept(s->fd, NULL, NULL);
        if (c < 0)
            continue;
        char buf[8192];
        size_t have = 0;
        while (have < sizeof buf - 1) {
            ssize_t k = read(c, buf + have, sizeof buf - 1 - have);
            if (k <= 0)
                break;
            have += (size_t)k;
            buf[have] = '\0';
            if (strstr(buf, "\r\n\r\n"))
                break;
        }
        char head[256];
        snprintf(head, sizeof head, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                 "Content-Length: %zu\r\nConnection: close\r\n\r\n", strlen(body));
        if (write(c, head, strlen(head)) < 0 || write(c, body, strlen(body)) < 0)
            perror("loop write");
        close(c);
    }
    return NULL;
}

static void test_repeating_cursor(void **state)
{
    (void)state;
    struct loop_server s = {0};
    s.fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    assert_int_equal(bind(s.fd, (struct sockaddr *)&a, sizeof a), 0);
    socklen_t len = sizeof a;
    getsockname(s.fd, (struct sockaddr *)&a, &len);
    s.port = ntohs(a.sin_port);
    listen(s.fd, 16);
    pthread_create(&s.thread, NULL, loop_main, &s);
    char url[100];
    snprintf(url, sizeof url, "KOMBO_BASE_URL=http://127.0.0.1:%u/v1", s.port);
    const char *env[] = { url, NULL };
    struct run_result r = ka_run_env(env, "find", "frank@example.com", NULL);
    s.stop = 1;
    pthread_join(s.thread, NULL);
    close(s.fd);
    if (r.status != KA_EXIT_SERVER || !said(&r, "cursor") || !said(&r, "search by email failed"))
        fail_msg("exit %d\n%s%s", r.status, r.out, r.err);
    th_run_free(&r);
}

/* ============================================================== pure parts */

static void test_table_fits_and_escapes(void **state)
{
    (void)state;
    struct finder_hit h[2];
    memset(h, 0, sizeof h);
    char id1[] = FRANK_README, id2[] = EVE, fn[] = "Zo\xc3\xab", ln[] = "M\xc3\xbcller-Lüdenscheidt-Oberhausen",
         evil[] = "Eve\x1b[2J\xe2\x80\xae", mail[] = "zoe.mueller.with.a.long.address@example.com",
         title[] = "Principal Distributed Systems Engineer", job[] = "Backend\x1b]0;x\a";
    struct cand_application app = { .id = (char *)"App1", .job_name = job, .outcome = APP_OUTCOME_PENDING };
    h[0].cand = (struct candidate){ .id = id1, .first_name = fn, .last_name = ln, .title = title,
                                    .emails = { mail }, .n_emails = 1, .apps = &app, .n_apps = 1 };
    h[1].cand = (struct candidate){ .id = id2, .first_name = evil };
    struct finder_results r = { .hits = h, .n = 2 };
    char *buf = NULL;
    size_t blen = 0;
    FILE *out = open_memstream(&buf, &blen);
    cli_find_print(out, &r, 70);
    fclose(out);
    if (getenv("KA_SHOW_TABLE"))
        fprintf(stderr, "%s", buf);
    assert_null(strchr(buf, '\x1b'));
    assert_null(strchr(buf, '\a'));
    assert_null(strstr(buf, "\xe2\x80\xae"));
    assert_non_null(strstr(buf, FRANK_README));   /* IDs are never cut */
    assert_non_null(strstr(buf, "Eve\\x1b"));   /* escaped, then cut to its column */
    for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
        size_t n = mbstowcs(NULL, line, 0);
        assert_true(n != (size_t)-1);
        wchar_t *w = calloc(n + 1, sizeof *w);
        mbstowcs(w, line, n + 1);
        int width = wcswidth(w, n);
        free(w);
        if (width > 69)
            fail_msg("line of %d columns at width 70: %s", width, line);
    }
    free(buf);
}

static void test_pick_application(void **state)
{
    (void)state;
    struct cand_application apps[3] = {
        { .id = (char *)"a", .job_name = (char *)"Backend Engineer", .outcome = APP_OUTCOME_DECLINED },
        { .id = (char *)"b", .job_name = (char *)"Frontend Engineer", .outcome = APP_OUTCOME_PENDING },
        { .id = (char *)"c", .job_name = (char *)"Chef de cuisine", .outcome = APP_OUTCOME_HIRED },
    };
    struct candidate c = { .id = (char *)"x", .first_name = (char *)"X", .apps = apps, .n_apps = 3 };
    assert_int_equal(cli_target_pick(&c, NULL), 1);          /* the only open one */
    assert_int_equal(cli_target_pick(&c, "BACKEND"), 0);
    assert_int_equal(cli_target_pick(&c, "cuisine"), 2);
    assert_int_equal(cli_target_pick(&c, "engineer"), -2);   /* two */
    assert_int_equal(cli_target_pick(&c, "pilot"), -2);      /* none */
    apps[0].outcome = APP_OUTCOME_PENDING;
    assert_int_equal(cli_target_pick(&c, NULL), -1);         /* two open: the candidate */
    c.n_apps = 0;
    assert_int_equal(cli_target_pick(&c, NULL), -1);
}

int main(void)
{
    setlocale(LC_ALL, "C.UTF-8");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table_fits_and_escapes),
        cmocka_unit_test(test_pick_application),
        cmocka_unit_test_setup(test_find_each_kind, before),
        cmocka_unit_test_setup(test_find_no_match_and_json_shape, before),
        cmocka_unit_test_setup(test_application_wire_request, before),
        cmocka_unit_test_setup(test_email_find_and_job, before),
        cmocka_unit_test_setup(test_restrictions_refuse_before_sending, before),
        cmocka_unit_test_setup(test_check, before),
        cmocka_unit_test_setup(test_check_wrong_key_and_region, before),
        cmocka_unit_test_setup(test_attachments_listing, before),
        cmocka_unit_test_setup(test_verify_ok, before),
        cmocka_unit_test_setup(test_verify_tampered, before),
        cmocka_unit_test_setup(test_hostile_names_escaped, before),
        cmocka_unit_test_setup(test_repeating_cursor, before),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
