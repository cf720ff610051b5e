/* The mock's people: the generated data set (determinism, the fixed four), every filter of
 * GET /v1/ats/candidates against a brute-force reading of the same data, paging and
 * cursors, --data files (checked; hostile text served as it is), and the figures at
 * 100,000 candidates (page time, resident memory). */
#include "helpers.h"
#include "mock_http.h"

#define N_PEOPLE 1000

static char *g_dir;
static struct mock *g_m;       /* N_PEOPLE candidates, seed 3 */
static cJSON *g_all;           /* every one of them, deleted too, as the mock pages them */

/* Every candidate of a query, following next; fails on a repeat. */
static cJSON *page_all(struct mock *m, const char *query, int page_size, int *pages)
{
    cJSON *all = cJSON_CreateArray();
    char cursor[64] = "";
    int n = 0;
    for (;;) {
        char path[1024];
        snprintf(path, sizeof path, "/v1/ats/candidates?page_size=%d%s%s%s", page_size,
                 *query ? "&" : "", query, cursor);
        struct mh_resp r = mh_get(m, path);
        if (r.status != 200)
            fail_msg("%s: %ld %s", path, r.status, r.body);
        const cJSON *res = mh_data(&r, "results"), *next = mh_data(&r, "next"), *c;
        if (cJSON_GetArraySize(res) > page_size)
            fail_msg("%s: %d results", path, cJSON_GetArraySize(res));
        cJSON_ArrayForEach(c, res)
            cJSON_AddItemToArray(all, cJSON_Duplicate(c, 1));
        n++;
        if (cJSON_IsNull(next)) {
            mh_free(&r);
            break;
        }
        assert_true(cJSON_IsString(next));
        /* a page before the last is full */
        assert_int_equal(cJSON_GetArraySize(res), page_size);
        char *esc = curl_easy_escape(NULL, next->valuestring, 0);
        snprintf(cursor, sizeof cursor, "&cursor=%s", esc);
        curl_free(esc);
        mh_free(&r);
        if (n > 100000)
            fail_msg("no end of pages");
    }
    if (pages)
        *pages = n;
    return all;
}

static int group_setup(void **state)
{
    (void)state;
    g_dir = th_tempdir();
    g_m = mh_start((struct mock_config){ .candidates = N_PEOPLE, .seed = 3 }, g_dir);
    g_all = page_all(g_m, "include_deleted=true", 250, NULL);
    return cJSON_GetArraySize(g_all) == N_PEOPLE ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    cJSON_Delete(g_all);
    mock_stop(g_m);
    th_rmtree(g_dir);
    free(g_dir);
    return 0;
}

static bool is_deleted(const cJSON *c)
{
    return !cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(c, "remote_deleted_at"));
}

/* ---------------------------------------------------------------- the data */

static void test_fixed_four_and_realism(void **state)
{
    (void)state;
    char *dir = th_tempdir();
    struct mock *m = mh_start((struct mock_config){ 0 }, dir);   /* the sandbox's default */
    cJSON *all = page_all(m, "include_deleted=true", 100, NULL);
    assert_int_equal(cJSON_GetArraySize(all), MOCK_DEFAULT_CANDIDATES);
    static const char *const fixed[][3] = {
        { "4B7z5qJ8dXcR2mTnWvKpLs9a", "frank.doe@example.com", "A1pp2Bq3Cr4Ds5Et6Fu7Gv8H" },
        { "7Hx3PqR9tYvW2kZmNbCd8EfG", "jane.smith@example.org", "Ap9Kx8Ly7Mz6Nw5Pv4Qu3Rt2" },
        { "9sDf4GhJk2LmN5pQr7StUv3W", "ada@example.net", "Bq2Wc3Xd4Ye5Zf6ag7bh8ci9" },
        { "4B9bJBkJ6jEGfpdpcCJ7JKJ9", "frank@example.com", "Cr5Xd6Ye7Zf8ag9bh1ci2dj3" },
    };
    for (int i = 0; i < 4; i++) {
        const cJSON *c = cJSON_GetArrayItem(all, i);
        assert_string_equal(mh_str(c, "id"), fixed[i][0]);
        const cJSON *e = cJSON_GetArrayItem(cJSON_GetObjectItem(c, "email_addresses"), 0);
        assert_string_equal(mh_str(e, "email_address"), fixed[i][1]);
        const cJSON *a = cJSON_GetArrayItem(cJSON_GetObjectItem(c, "applications"), 0);
        assert_string_equal(mh_str(a, "id"), fixed[i][2]);
        assert_false(is_deleted(c));
    }
    /* Realistic: non-ASCII names, every ID 24 base58, remote_url ends in remote_id. */
    int non_ascii = 0, with_apps = 0;
    const cJSON *c;
    cJSON_ArrayForEach(c, all) {
        const char *id = mh_str(c, "id"), *rid = mh_str(c, "remote_id"), *url = mh_str(c, "remote_url");
        assert_int_equal(strlen(id), 24);
        assert_int_equal(strspn(id, "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"), 24);
        assert_non_null(url);
        assert_string_equal(strrchr(url, '/') + 1, rid);
        const char *f = mh_str(c, "first_name"), *l = mh_str(c, "last_name");
        for (const char *p = f; *p; p++)
            non_ascii += (unsigned char)*p >= 0x80;
        (void)l;
        with_apps += cJSON_GetArraySize(cJSON_GetObjectItem(c, "applications")) > 0;
        int ne = cJSON_GetArraySize(cJSON_GetObjectItem(c, "email_addresses"));
        assert_true(ne >= 1 && ne <= 3);
    }
    assert_true(non_ascii > 10);
    assert_true(with_apps > 20);
    cJSON_Delete(all);
    mock_stop(m);
    th_rmtree(dir);
    free(dir);
}

static char *everything(unsigned n, uint64_t seed, const char *dir)
{
    struct mock *m = mh_start((struct mock_config){ .candidates = n, .seed = seed }, dir);
    cJSON *all = page_all(m, "include_deleted=true", 250, NULL);
    char *txt = cJSON_PrintUnformatted(all);
    cJSON_Delete(all);
    mock_stop(m);
    return txt;
}

static void test_same_seed_same_people(void **state)
{
    (void)state;
    char *dir = th_tempdir();
    char *a = everything(600, 42, dir), *b = everything(600, 42, dir), *c = everything(600, 43, dir);
    assert_string_equal(a, b);
    assert_true(strcmp(a, c) != 0);
    /* the fixed four are there with every seed */
    assert_non_null(strstr(c, "4B9bJBkJ6jEGfpdpcCJ7JKJ9"));
    free(a); free(b); free(c);
    th_rmtree(dir);
    free(dir);
}

/* ---------------------------------------------------------------- filters */

/* Which candidate of g_all passes: the brute-force side of test_filters. */
typedef bool (*pick_fn)(const cJSON *c, const void *arg);

static bool has_id_in(const cJSON *c, const void *arg)
{
    const char *const *ids = arg;
    for (; *ids; ids++)
        if (!strcmp(mh_str(c, "id"), *ids))
            return true;
    return false;
}

static bool has_remote_id_in(const cJSON *c, const void *arg)
{
    const char *const *ids = arg;
    for (; *ids; ids++)
        if (!strcmp(mh_str(c, "remote_id"), *ids))
            return true;
    return false;
}

static bool has_job_in(const cJSON *c, const void *arg)
{
    const char *const *ids = arg;
    const cJSON *a;
    cJSON_ArrayForEach(a, cJSON_GetObjectItem(c, "applications")) {
        const char *j = mh_str(cJSON_GetObjectItem(a, "job"), "id");
        for (const char *const *p = ids; *p; p++)
            if (j && !strcmp(j, *p))
                return true;
    }
    return false;
}

static bool has_email(const cJSON *c, const void *arg)
{
    const cJSON *e;
    cJSON_ArrayForEach(e, cJSON_GetObjectItem(c, "email_addresses"))
        if (!strcasecmp(mh_str(e, "email_address"), arg))   /* generated ones are ASCII */
            return true;
    return false;
}

static bool first_is(const cJSON *c, const void *arg)
{
    return !strcmp(mh_str(c, "first_name"), arg);
}

static bool last_is(const cJSON *c, const void *arg)
{
    return !strcmp(mh_str(c, "last_name"), arg);
}

static bool touched_after(const cJSON *c, const void *arg)
{
    const char *t = mh_str(c, "changed_at");
    const cJSON *a;
    cJSON_ArrayForEach(a, cJSON_GetObjectItem(c, "applications"))
        if (strcmp(mh_str(a, "changed_at"), t) > 0)
            t = mh_str(a, "changed_at");
    return strcmp(t, arg) > 0;   /* ISO timestamps of one format sort as text */
}

/* The IDs the mock answers for query, as one comma-separated string. */
static char *ids_of(const cJSON *list)
{
    size_t n = 0, cap = 64;
    char *s = xmalloc(cap);
    s[0] = '\0';
    const cJSON *c;
    cJSON_ArrayForEach(c, list) {
        const char *id = mh_str(c, "id");
        if (n + strlen(id) + 2 > cap)
            s = xrealloc(s, cap = cap * 2 + strlen(id));
        n += (size_t)sprintf(s + n, "%s%s", n ? "," : "", id);
    }
    return s;
}

static void expect(const char *query, pick_fn f1, const void *a1, pick_fn f2, const void *a2,
                   bool deleted_too, int min)
{
    cJSON *want = cJSON_CreateArray();
    const cJSON *c;
    cJSON_ArrayForEach(c, g_all)
        if ((deleted_too || !is_deleted(c)) && f1(c, a1) && (!f2 || f2(c, a2)))
            cJSON_AddItemToArray(want, cJSON_CreateString(mh_str(c, "id")));
    cJSON *got = page_all(g_m, query, 13, NULL);
    char *w = xstrdup(""), *g = ids_of(got);
    const cJSON *it;
    size_t n = 0;
    cJSON_ArrayForEach(it, want) {
        w = xrealloc(w, n + 30);
        n += (size_t)sprintf(w + n, "%s%s", n ? "," : "", it->valuestring);
    }
    if (strcmp(w, g))
        fail_msg("%s:\n want %s\n got  %s", query, w, g);
    if (cJSON_GetArraySize(want) < min)
        fail_msg("%s: only %d match; the test needs at least %d", query,
                 cJSON_GetArraySize(want), min);
    free(w); free(g);
    cJSON_Delete(want);
    cJSON_Delete(got);
}

static const cJSON *nth(int i)
{
    return cJSON_GetArrayItem(g_all, i);
}

static void test_filters(void **state)
{
    (void)state;
    char q[512];
    /* ids, remote_ids: OR within the list; unknown IDs just match nothing */
    const char *ids[] = { mh_str(nth(10), "id"), mh_str(nth(500), "id"), "nope", NULL };
    snprintf(q, sizeof q, "ids=%s,%s,nope", ids[0], ids[1]);
    expect(q, has_id_in, ids, NULL, NULL, false, 1);
    const char *rids[] = { mh_str(nth(7), "remote_id"), mh_str(nth(999), "remote_id"), NULL };
    snprintf(q, sizeof q, "remote_ids=%s,%s", rids[0], rids[1]);
    expect(q, has_remote_id_in, rids, NULL, NULL, false, 1);
    /* job_ids: the fixed jobs and one generated */
    const char *job = mh_str(cJSON_GetObjectItem(cJSON_GetArrayItem(
        cJSON_GetObjectItem(nth(4), "applications"), 0), "job"), "id");
    if (!job) {
        for (int i = 5; !job; i++)
            job = mh_str(cJSON_GetObjectItem(cJSON_GetArrayItem(
                cJSON_GetObjectItem(nth(i), "applications"), 0), "job"), "id");
    }
    const char *jobs[] = { "J1ob2Kc3Ld4Me5Nf6Pg7Qh8R", job, NULL };
    snprintf(q, sizeof q, "job_ids=J1ob2Kc3Ld4Me5Nf6Pg7Qh8R,%s", job);
    expect(q, has_job_in, jobs, NULL, NULL, false, 20);
    /* email: the whole address, any of a candidate's, any case */
    const cJSON *emails = NULL;
    int who = 4;
    while (cJSON_GetArraySize(emails = cJSON_GetObjectItem(nth(who), "email_addresses")) < 2)
        who++;
    const char *second = mh_str(cJSON_GetArrayItem(emails, 1), "email_address");
    char upper[128];
    size_t k = 0;
    for (; second[k] && k < sizeof upper - 1; k++)
        upper[k] = (char)(second[k] >= 'a' && second[k] <= 'z' ? second[k] - 32 : second[k]);
    upper[k] = '\0';
    char *esc = curl_easy_escape(NULL, upper, 0);
    snprintf(q, sizeof q, "email=%s", esc);
    curl_free(esc);
    expect(q, has_email, second, NULL, NULL, false, 1);
    expect("email=frank.doe", has_email, "frank.doe", NULL, NULL, false, 0);  /* no prefix match */
    /* names: exact, case-insensitive beyond ASCII */
    static const struct { const char *query, *name; bool first; } names[] = {
        { "first_name=ZO%C3%8B", "Zoë", true },                       /* ZOË */
        { "first_name=%C5%81UKASZ", "Łukasz", true },                 /* ŁUKASZ */
        { "last_name=%D0%A8%D0%95%D0%92%D0%A7%D0%95%D0%9D%D0%9A%D0%9E", "Шевченко", false },
        { "first_name=%CE%A3%CE%9F%CE%A6%CE%8A%CE%91", "Σοφία", true }, /* ΣΟΦΊΑ */
        { "last_name=NGUY%E1%BB%84N", "Nguyễn", false },               /* NGUYỄN */
        { "last_name=o'brien", "O'Brien", false },
        { "last_name=%E6%9D%8E", "李", false },
        { "first_name=Zo", "Zo", true },                               /* no prefix match */
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        expect(names[i].query, names[i].first ? first_is : last_is, names[i].name, NULL, NULL,
               false, strcmp(names[i].name, "Zo") ? 1 : 0);
    /* AND across filters */
    expect("first_name=zo%C3%AB&last_name=m%C3%BCller", first_is, "Zoë", last_is, "Müller", false, 0);
    snprintf(q, sizeof q, "job_ids=J1ob2Kc3Ld4Me5Nf6Pg7Qh8R,%s&first_name=frank", job);
    expect(q, has_job_in, jobs, first_is, "Frank", false, 1);
    /* include_deleted */
    int deleted = 0;
    const cJSON *c;
    cJSON_ArrayForEach(c, g_all)
        deleted += is_deleted(c);
    assert_true(deleted > 10);
    cJSON *live = page_all(g_m, "", 250, NULL);
    assert_int_equal(cJSON_GetArraySize(live), N_PEOPLE - deleted);
    cJSON_ArrayForEach(c, live)
        assert_false(is_deleted(c));
    cJSON_Delete(live);
    snprintf(q, sizeof q, "ids=%s,%s&include_deleted=true", ids[0], ids[1]);
    expect(q, has_id_in, ids, NULL, NULL, true, 1);
    /* updated_after: selective (a few recent) and not (most) */
    static const char *const afters[] = { "2024-12-01T00:00:00.000Z", "2022-06-01T00:00:00.000Z",
                                          "2024-06-30" };
    for (size_t i = 0; i < 3; i++) {
        char t[40];
        snprintf(t, sizeof t, "%s%s", afters[i], strlen(afters[i]) == 10 ? "T00:00:00.000Z" : "");
        snprintf(q, sizeof q, "updated_after=%s", afters[i]);
        expect(q, touched_after, t, NULL, NULL, false, 1);
        snprintf(q, sizeof q, "updated_after=%s&include_deleted=true&ignore_unsupported_filters=true",
                 afters[i]);
        expect(q, touched_after, t, NULL, NULL, true, 1);
    }
}

/* ---------------------------------------------------------------- paging */

static void test_paging_reaches_everyone_once(void **state)
{
    (void)state;
    int pages = 0;
    cJSON *all = page_all(g_m, "include_deleted=true", 7, &pages);
    assert_int_equal(cJSON_GetArraySize(all), N_PEOPLE);
    assert_int_equal(pages, (N_PEOPLE + 6) / 7);
    char *a = ids_of(all), *b = ids_of(g_all);
    assert_string_equal(a, b);                     /* each once, in the same stable order */
    free(a); free(b);
    cJSON_Delete(all);
    /* the default page is 100 */
    struct mh_resp r = mh_get(g_m, "/v1/ats/candidates?include_deleted=true");
    assert_int_equal(cJSON_GetArraySize(mh_data(&r, "results")), 100);
    mh_free(&r);
}

static void expect_400(const char *path, const char *word)
{
    struct mh_resp r = mh_get(g_m, path);
    if (r.status != 400 || !r.json)
        fail_msg("%s: %ld %s", path, r.status, r.body);
    const cJSON *e = cJSON_GetObjectItem(r.json, "error");
    assert_string_equal(mh_str(r.json, "status"), "error");
    assert_string_equal(mh_str(e, "code"), "PLATFORM.INPUT_INVALID");
    if (!strstr(mh_str(e, "message"), word))
        fail_msg("%s: message %s lacks %s", path, mh_str(e, "message"), word);
    mh_free(&r);
}

static void test_bad_queries(void **state)
{
    (void)state;
    expect_400("/v1/ats/candidates?page_size=0", "page_size");
    expect_400("/v1/ats/candidates?page_size=251", "page_size");
    expect_400("/v1/ats/candidates?page_size=ten", "page_size");
    expect_400("/v1/ats/candidates?page_size=-5", "page_size");
    expect_400("/v1/ats/candidates?updated_after=yesterday", "updated_after");
    expect_400("/v1/ats/candidates?include_deleted=yes", "include_deleted");
    expect_400("/v1/ats/candidates?ignore_unsupported_filters=1", "ignore_unsupported_filters");
    expect_400("/v1/ats/candidates?cursor=nonsense", "cursor");
    /* a real cursor, one character changed, or used with other filters */
    struct mh_resp r = mh_get(g_m, "/v1/ats/candidates?page_size=5");
    char cur[64], path[256];
    snprintf(cur, sizeof cur, "%s", mh_str(mh_data(&r, NULL), "next"));
    mh_free(&r);
    snprintf(path, sizeof path, "/v1/ats/candidates?page_size=5&cursor=%s", cur);
    r = mh_get(g_m, path);
    assert_int_equal(r.status, 200);
    mh_free(&r);
    for (size_t i = 0; cur[i]; i++) {
        char t[64];
        snprintf(t, sizeof t, "%s", cur);
        t[i] = t[i] == 'A' ? 'B' : 'A';
        snprintf(path, sizeof path, "/v1/ats/candidates?page_size=5&cursor=%s", t);
        expect_400(path, "cursor");
    }
    snprintf(path, sizeof path, "/v1/ats/candidates?page_size=5&first_name=Frank&cursor=%s", cur);
    expect_400(path, "cursor");
}

/* ---------------------------------------------------------------- --data */

static struct mock *start_with_data(const char *dir, const char *json, char *err, size_t errlen)
{
    char path[600], inbox[600];
    snprintf(path, sizeof path, "%s/data.json", dir);
    snprintf(inbox, sizeof inbox, "%s/inbox", dir);
    assert_int_equal(th_write_text(path, json), 0);
    struct mock_config cfg = { .inbox = inbox, .quiet = true, .data_file = path };
    return mock_start(&cfg, err, errlen);
}

static void test_data_file_checked(void **state)
{
    (void)state;
    static const struct { const char *json, *word; } cases[] = {
        { "{}", "array" },
        { "[1]", "candidate 0: must be an object" },
        { "[{\"remote_id\":\"1\"}]", "id is required" },
        { "[{\"id\":\"a\"}]", "remote_id is required" },
        { "[{\"id\":\"a\",\"remote_id\":\"1\",\"first_name\":3}]", "first_name must be a string or null" },
        { "[{\"id\":\"a\",\"remote_id\":\"1\",\"changed_at\":\"soon\"}]", "changed_at must be a timestamp" },
        { "[{\"id\":\"a\",\"remote_id\":\"1\",\"applications\":{}}]", "applications must be an array" },
        { "[{\"id\":\"a\",\"remote_id\":\"1\",\"applications\":[{\"id\":\"p\",\"outcome\":\"WON\"}]}]",
          "outcome must be" },
        { "[{\"id\":\"a\",\"remote_id\":\"1\",\"applications\":[{\"id\":\"p\",\"job\":{\"name\":\"x\"}}]}]",
          "applications[0].job.id is required" },
        { "[{\"id\":\"a\",\"remote_id\":\"1\"},{\"id\":\"a\",\"remote_id\":\"2\"}]", "used twice" },
        { "[{\"id\":\"a\",\"remote_id\":\"1\"", "not valid JSON" },
    };
    char *dir = th_tempdir();
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char err[512] = "";
        struct mock *m = start_with_data(dir, cases[i].json, err, sizeof err);
        if (m || !strstr(err, cases[i].word) || strchr(err, '\n'))
            fail_msg("case %zu: %s", i, m ? "started" : err);
    }
    th_rmtree(dir);
    free(dir);
}

/* The client sanitises what it shows; the mock is a faithful server of what the ATS holds. */
static void test_hostile_data_served_as_is(void **state)
{
    (void)state;
    char *dir = th_tempdir();
    const char *json =
        "[{\"id\":\"h1\",\"remote_id\":\"1\",\"first_name\":\"Eve\\u202Egnp.exe\",\"last_name\":"
        "\"\\u001b[2J\\u0007Bell\\r\\n\",\"email_addresses\":[{\"email_address\":\"e\\u202e@x.example\","
        "\"type\":null},{\"email_address\":null,\"type\":null}],\"applications\":[{\"id\":\"ha\","
        "\"current_stage\":{\"id\":\"s\",\"name\":\"\\u200f\\u061c\",\"remote_id\":null,\"index\":null},"
        "\"job\":null}]},{\"id\":\"h2\",\"remote_id\":\"2\",\"first_name\":\"\\u00ff\\ud83d\\ude00\"}]";
    char err[512];
    struct mock *m = start_with_data(dir, json, err, sizeof err);
    if (!m)
        fail_msg("%s", err);
    struct mh_resp r = mh_get(m, "/v1/ats/candidates?first_name=EVE%E2%80%AEGNP.EXE");
    assert_int_equal(r.status, 200);
    const cJSON *c = cJSON_GetArrayItem(mh_data(&r, "results"), 0);
    assert_non_null(c);
    assert_string_equal(mh_str(c, "first_name"), "Eve\xE2\x80\xAEgnp.exe");
    assert_string_equal(mh_str(c, "last_name"), "\x1b[2J\x07" "Bell\r\n");
    mh_free(&r);
    r = mh_get(m, "/v1/ats/candidates?include_deleted=true");
    assert_int_equal(cJSON_GetArraySize(mh_data(&r, "results")), 2);
    assert_string_equal(mh_str(cJSON_GetArrayItem(mh_data(&r, "results"), 1), "first_name"),
                        "\xC3\xBF\xF0\x9F\x98\x80");
    mh_free(&r);
    /* its application exists: an upload and a listing find it */
    r = mh_get(m, "/v1/ats/applications/ha/attachments");
    assert_int_equal(r.status, 200);
    mh_free(&r);
    r = mh_get(m, "/v1/ats/applications/zz/attachments");
    assert_int_equal(r.status, 404);
    mh_free(&r);
    mock_stop(m);
    th_rmtree(dir);
    free(dir);
}

/* ---------------------------------------------------------------- figures at 100,000 */

static bool sanitized(void)
{
    return getenv("KA_SANITIZED") != NULL;
}

static void test_100k_page_time(void **state)
{
    (void)state;
    char *dir = th_tempdir();
    double t0 = clock_now();
    struct mock *m = mh_start((struct mock_config){ .candidates = 100000, .seed = 1 }, dir);
    double started = clock_now() - t0;
    static const char *const queries[] = {
        "/v1/ats/candidates?page_size=250",
        "/v1/ats/candidates?page_size=250&include_deleted=true",
        "/v1/ats/candidates?page_size=250&job_ids=J1ob2Kc3Ld4Me5Nf6Pg7Qh8R",
        "/v1/ats/candidates?page_size=250&updated_after=2024-11-01T00:00:00.000Z",
        "/v1/ats/candidates?page_size=250&last_name=m%C3%BCller",
        "/v1/ats/candidates?page_size=250&email=frank@example.com",
    };
    double worst = 0, sum = 0;
    int n = 0;
    for (int round = 0; round < 5; round++)
        for (size_t i = 0; i < sizeof queries / sizeof queries[0]; i++) {
            struct mh_resp r = mh_get(m, queries[i]);
            assert_int_equal(r.status, 200);
            /* every query but the e-mail one fills a page of 250 */
            if (i != 5)
                assert_int_equal(cJSON_GetArraySize(mh_data(&r, "results")), 250);
            if (round > 0) {       /* the first round warms the caches */
                worst = r.seconds > worst ? r.seconds : worst;
                sum += r.seconds;
                n++;
            }
            mh_free(&r);
        }
    printf("mock, 100000 candidates: started in %.0f ms; a page of 250 in %.2f ms on average, "
           "%.2f ms at worst (over HTTP, %d requests)%s\n", started * 1e3, sum / n * 1e3,
           worst * 1e3, n, sanitized() ? " [sanitizers: not checked]" : "");
    if (!sanitized() && worst >= 0.010)
        fail_msg("a page took %.2f ms (limit 10 ms)", worst * 1e3);
    mock_stop(m);
    th_rmtree(dir);
    free(dir);
}

/* The real program: its resident memory with 100,000 candidates, after paging through a
 * few thousand. */
static void test_100k_memory(void **state)
{
    (void)state;
    char *dir = th_tempdir(), inbox[600];
    snprintf(inbox, sizeof inbox, "%s/inbox", dir);
    char *argv[] = { getenv("KA_BIN"), "mock", "--port", "0", "--inbox", inbox, "--quiet",
                     "--candidates", "100000", "--seed", "5", NULL };
    struct th_proc p;
    assert_int_equal(th_spawn(argv, NULL, &p), 0);
    unsigned port = 0;
    for (int i = 0; i < 3000 && !port; i++) {
        usleep(10000);
        char *out = th_slurp(p.outp, NULL);
        const char *at = out ? strstr(out, "http://127.0.0.1:") : NULL;
        if (at)
            port = (unsigned)atoi(at + 17);
        free(out);
    }
    assert_true(port > 0);
    char url[128];
    for (int i = 0; i < 20; i++) {
        snprintf(url, sizeof url, "http://127.0.0.1:%u/v1/ats/candidates?page_size=250&ids=x", port);
        struct mh_resp r = mh_get(NULL, url);
        assert_int_equal(r.status, 200);
        mh_free(&r);
        snprintf(url, sizeof url, "http://127.0.0.1:%u/v1/ats/candidates?page_size=250", port);
        r = mh_get(NULL, url);
        assert_int_equal(cJSON_GetArraySize(mh_data(&r, "results")), 250);
        mh_free(&r);
    }
    char status[64], *st;
    snprintf(status, sizeof status, "/proc/%d/status", (int)p.pid);
    st = th_slurp(status, NULL);
    long hwm = 0;
    const char *h = st ? strstr(st, "VmHWM:") : NULL;
    if (h)
        hwm = atol(h + 6);
    free(st);
    kill(p.pid, SIGTERM);
    struct run_result rr = th_wait(&p, 20);
    assert_int_equal(rr.status, 0);
    th_run_free(&rr);
    printf("mock, 100000 candidates: peak resident memory %.1f MiB%s\n", hwm / 1024.0,
           sanitized() ? " [sanitizers: not checked]" : "");
    if (!sanitized() && (hwm <= 0 || hwm >= 150 * 1024))
        fail_msg("peak resident memory %ld KiB (limit 150 MiB)", hwm);
    th_rmtree(dir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fixed_four_and_realism),
        cmocka_unit_test(test_same_seed_same_people),
        cmocka_unit_test(test_filters),
        cmocka_unit_test(test_paging_reaches_everyone_once),
        cmocka_unit_test(test_bad_queries),
        cmocka_unit_test(test_data_file_checked),
        cmocka_unit_test(test_hostile_data_served_as_is),
        cmocka_unit_test(test_100k_page_time),
        cmocka_unit_test(test_100k_memory),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
