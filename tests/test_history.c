/* History: append, read back, corrupt lines skipped, concurrent appends stay whole lines. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "helpers.h"
#include "history.h"

static int setup(void **state)
{
    if (th_setup_tempdir(state) != 0)
        return -1;
    setenv("XDG_STATE_HOME", th_dir, 1);
    return 0;
}

static void reset(void)
{
    char *p = history_path();
    unlink(p);
    free(p);
}

static struct history_entry make(const char *candidate, const char *outcome, time_t t)
{
    static char *warn[] = { "content type is generic" };
    struct history_entry e = {
        .time = t, .path = "/tmp/cv.pdf", .size = 1234, .sha256 = "ab12", .candidate = (char *)candidate,
        .type = "CV", .name = "cv \"quoted\" é.pdf", .content_type = "application/pdf",
        .server = "eu", .integration = "workday:abc", .outcome = (char *)outcome, .http_status = 200,
        .attempts = 2, .warnings = warn, .n_warnings = 1, .error_code = NULL, .log_url = NULL,
    };
    return e;
}

static void test_append_and_read(void **state)
{
    (void)state;
    reset();
    char err[256];
    for (int i = 0; i < 5; i++) {
        char cand[32];
        snprintf(cand, sizeof cand, "cand%d", i);
        struct history_entry e = make(cand, "ok", 1700000000 + i);
        assert_int_equal(history_append(&e, err, sizeof err), 0);
    }
    struct history_entry *got;
    size_t n, skipped;
    assert_int_equal(history_read(3, &got, &n, &skipped, err, sizeof err), 0);
    assert_int_equal(n, 3);
    assert_int_equal(skipped, 0);
    assert_string_equal(got[0].candidate, "cand2"); /* the last three, oldest first */
    assert_string_equal(got[2].candidate, "cand4");
    assert_string_equal(got[2].name, "cv \"quoted\" é.pdf");
    assert_int_equal(got[2].time, 1700000004);
    assert_int_equal(got[2].size, 1234);
    assert_int_equal(got[2].attempts, 2);
    assert_int_equal(got[2].n_warnings, 1);
    assert_string_equal(got[2].warnings[0], "content type is generic");
    assert_null(got[2].error_code);
    history_entries_free(got, n);

    char *p = history_path();
    struct stat st;
    assert_int_equal(stat(p, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    free(p);
}

static void test_corrupt_lines_skipped(void **state)
{
    (void)state;
    reset();
    char err[256];
    struct history_entry e = make("good1", "ok", 1700000000);
    assert_int_equal(history_append(&e, err, sizeof err), 0);
    char *p = history_path();
    FILE *f = fopen(p, "a");
    fputs("{\"time\":\"2024-01-01T00:00:00Z\",\"outc\n", f); /* torn line */
    fputs("not json at all\n", f);
    fputs("[1,2,3]\n", f);
    fclose(f);
    e = make("good2", "rejected", 1700000100);
    assert_int_equal(history_append(&e, err, sizeof err), 0);
    struct history_entry *got;
    size_t n, skipped;
    assert_int_equal(history_read(100, &got, &n, &skipped, err, sizeof err), 0);
    assert_int_equal(n, 2);
    assert_int_equal(skipped, 3);
    assert_string_equal(got[1].outcome, "rejected");
    history_entries_free(got, n);
    free(p);
}

static void test_missing_file_is_empty(void **state)
{
    (void)state;
    reset();
    struct history_entry *got;
    size_t n = 99;
    char err[256];
    assert_int_equal(history_read(10, &got, &n, NULL, err, sizeof err), 0);
    assert_int_equal(n, 0);
    history_entries_free(got, n);
}

static void test_recent_candidates_distinct_newest_first(void **state)
{
    (void)state;
    reset();
    char err[256];
    const char *seq[] = { "A", "B", "A", "C", "B", "D", "E" };
    for (size_t i = 0; i < 7; i++) {
        struct history_entry e = make(seq[i], "ok", 1700000000 + (time_t)i);
        if (i == 0)
            e.candidate_name = "Ada Lovelace";   /* only the oldest line knows A's name */
        if (i == 6)
            e.integration = "greenhouse:other"; /* E belongs to another customer */
        assert_int_equal(history_append(&e, err, sizeof err), 0);
    }
    size_t n;
    struct history_entry *r = history_recent_candidates_for("workday:abc", 4, &n);
    assert_int_equal(n, 4);
    assert_string_equal(r[0].candidate, "D");
    assert_string_equal(r[1].candidate, "B");
    assert_string_equal(r[2].candidate, "C");
    assert_string_equal(r[3].candidate, "A");
    assert_string_equal(r[3].candidate_name, "Ada Lovelace");
    assert_null(r[0].candidate_name);
    history_entries_free(r, n);
    /* without an integration, every customer's */
    r = history_recent_candidates_for(NULL, 1, &n);
    assert_int_equal(n, 1);
    assert_string_equal(r[0].candidate, "E");
    history_entries_free(r, n);
}

/* The same content to the same candidate of the same integration, after a success. */
static void test_find_success(void **state)
{
    (void)state;
    reset();
    char err[256];
    struct history_entry e = make("A", "rejected", 1700000000);
    e.sha256 = "aa";
    assert_int_equal(history_append(&e, err, sizeof err), 0);
    struct history_entry found;
    assert_int_equal(history_find_success("aa", "eu", "workday:abc", "A", &found, err, sizeof err), 0);
    e = make("A", "ok", 1700000100);
    e.sha256 = "aa";
    assert_int_equal(history_append(&e, err, sizeof err), 0);
    e = make("A", "ok", 1700000200);
    e.sha256 = "aa";
    e.integration = "other:1";
    assert_int_equal(history_append(&e, err, sizeof err), 0);
    assert_int_equal(history_find_success("aa", "eu", "workday:abc", "A", &found, err, sizeof err), 1);
    assert_int_equal(found.time, 1700000100);
    history_entry_free(&found);
    assert_int_equal(history_find_success("aa", "eu", "workday:abc", "B", &found, err, sizeof err), 0);
    assert_int_equal(history_find_success("aa", "us", "workday:abc", "A", &found, err, sizeof err), 0);
    assert_int_equal(history_find_success("bb", "eu", "workday:abc", "A", &found, err, sizeof err), 0);
    assert_int_equal(history_find_success("aa", NULL, "other:1", "A", &found, err, sizeof err), 1);
    assert_int_equal(found.time, 1700000200);
    assert_true(found.integration && !strcmp(found.integration, "other:1"));
    history_entry_free(&found);
    /* a duplicate is possible only with a success of the same size (make() writes 1234) */
    assert_true(history_may_have(1234, "eu", "workday:abc", "A"));
    assert_false(history_may_have(1235, "eu", "workday:abc", "A"));
    assert_false(history_may_have(1234, "eu", "workday:abc", "B"));
    assert_false(history_may_have(1234, "us", "workday:abc", "A"));
}

/* Lines the fuzzer found: what is read must be writable back the same way. */
static void test_odd_values(void **state)
{
    (void)state;
    reset();
    char *p = history_path();
    /* history_path's folder exists once something was appended */
    struct history_entry e = make("first", "ok", 1700000000);
    char err[256];
    assert_int_equal(history_append(&e, err, sizeof err), 0);
    FILE *f = fopen(p, "a");
    assert_non_null(f);
    fputs("{\"time\":\"9999-12-31T23:59:60Z\",\"outcome\":\"ok\"}\n", f);  /* year 10000 */
    fputs("{\"time\":\"2024-01-01T00:00:00Z\",\"outcome\":\"ok\",\"size\":1e300}\n", f);
    fputs("{\"time\":\"2024-01-01T00:00:00Z\",\"outcome\":\"ok\",\"size\":-3}\n", f);
    fclose(f);
    struct history_entry *got;
    size_t n, skipped;
    assert_int_equal(history_read(10, &got, &n, &skipped, err, sizeof err), 0);
    assert_int_equal(n, 3);
    assert_int_equal(skipped, 1);
    assert_int_equal(got[1].size, 0); /* too big for a size: none */
    assert_int_equal(got[2].size, 0);
    history_entries_free(got, n);
    free(p);
}

/* Four processes append 200 lines each at once: every line must come back whole. */
static void test_concurrent_appends(void **state)
{
    (void)state;
    reset();
    pid_t kids[4];
    for (int k = 0; k < 4; k++) {
        kids[k] = fork();
        if (kids[k] == 0) {
            char err[256], cand[256];
            for (int i = 0; i < 200; i++) {
                snprintf(cand, sizeof cand, "proc%d-%03d-%0200d", k, i, 0);
                struct history_entry e = make(cand, "ok", 1700000000 + i);
                if (history_append(&e, err, sizeof err) != 0)
                    _exit(1);
            }
            _exit(0);
        }
    }
    for (int k = 0; k < 4; k++) {
        int st;
        waitpid(kids[k], &st, 0);
        assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    }
    struct history_entry *got;
    size_t n, skipped;
    char err[256];
    assert_int_equal(history_read(10000, &got, &n, &skipped, err, sizeof err), 0);
    assert_int_equal(n, 800);
    assert_int_equal(skipped, 0);
    history_entries_free(got, n);
}

#define SHA_A "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define SHA_B "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"

static bool wants_a(const char *sha256, void *ctx)
{
    (void)ctx;
    return strcmp(sha256, SHA_A) == 0;
}

static void count_seen(const struct history_entry *e, void *ctx)
{
    int *seen = ctx;
    if (e->sha256 && !strcmp(e->sha256, SHA_A))
        seen[0]++;
    else if (e->sha256 && !strcmp(e->sha256, SHA_B))
        seen[1]++;
    else
        seen[2]++;
}

/* The prefiltered scan: lines of other hashes are skipped unparsed, lines of the wanted one
 * all come through, and a line whose hash is not in history_append's form (hand-edited) is
 * parsed and given on, so nothing wanted is missed. */
static void test_scan_by_sha(void **state)
{
    (void)state;
    reset();
    char err[256];
    struct history_entry e = make("c1", "ok", 1700000000);
    e.sha256 = SHA_A;
    assert_int_equal(history_append(&e, err, sizeof err), 0);
    e.sha256 = SHA_B;
    for (int i = 0; i < 5; i++)
        assert_int_equal(history_append(&e, err, sizeof err), 0);
    e.sha256 = SHA_A;
    e.outcome = HISTORY_SENT;
    assert_int_equal(history_append(&e, err, sizeof err), 0);
    char *p = history_path();
    FILE *f = fopen(p, "a");
    fputs("{\"time\":\"2024-01-01T00:00:00Z\",\"outcome\":\"ok\",\"sha256\" : \"" SHA_A "\"}\n", f);
    fclose(f);
    free(p);
    int seen[3] = { 0 };
    assert_int_equal(history_scan_sha(wants_a, count_seen, seen, err, sizeof err), 0);
    assert_int_equal(seen[0], 3);      /* both appended lines of A, and the hand-edited one */
    assert_int_equal(seen[1], 0);      /* B's lines never parsed */
    assert_int_equal(seen[2], 0);
    int all[3] = { 0 };
    assert_int_equal(history_scan(count_seen, all, err, sizeof err), 0);
    assert_int_equal(all[0], 3);
    assert_int_equal(all[1], 5);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_append_and_read),
        cmocka_unit_test(test_corrupt_lines_skipped),
        cmocka_unit_test(test_missing_file_is_empty),
        cmocka_unit_test(test_recent_candidates_distinct_newest_first),
        cmocka_unit_test(test_find_success),
        cmocka_unit_test(test_odd_values),
        cmocka_unit_test(test_concurrent_appends),
        cmocka_unit_test(test_scan_by_sha),
    };
    return cmocka_run_group_tests_name("history", tests, setup, th_teardown_tempdir);
}
