/* treesearch.c on a real tree: files three folders down are found, the depth and entry
 * bounds hold (and say so), a symlink loop and links to folders are not followed, hidden
 * folders are skipped unless asked for, and the walk goes in small steps. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "helpers.h"
#include "treesearch.h"

static char root[64];

static void put(const char *rel)
{
    char p[256];
    snprintf(p, sizeof p, "%s/%s", root, rel);
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    fputs("x", f);
    fclose(f);
}

static void dir(const char *rel)
{
    char p[256];
    snprintf(p, sizeof p, "%s/%s", root, rel);
    assert_int_equal(mkdir(p, 0755), 0);
}

static int setup(void **state)
{
    (void)state;
    snprintf(root, sizeof root, "/tmp/ka-ts-XXXXXX");
    if (!mkdtemp(root))
        return -1;
    dir("a");
    dir("a/b");
    dir("a/b/c");
    dir(".git");
    dir("many");
    put("top.txt");
    put("a/b/c/cv-frank-doe.pdf");
    put("a/b/mid.txt");
    put(".git/config");
    put(".hidden.txt");
    for (int i = 0; i < 40; i++) {
        char n[32];
        snprintf(n, sizeof n, "many/f%02d.txt", i);
        put(n);
    }
    char p[256], t[256];
    snprintf(p, sizeof p, "%s/a/b/c/loop", root);
    snprintf(t, sizeof t, "%s", root);
    assert_int_equal(symlink(t, p), 0);                 /* a loop back to the root */
    snprintf(p, sizeof p, "%s/a/linked.txt", root);
    assert_int_equal(symlink("../top.txt", p), 0);      /* a link to a file: a file */
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    th_rmtree(root);
    return 0;
}

static bool has(const struct treesearch *ts, const char *rel)
{
    for (size_t i = 0; i < ts_count(ts); i++)
        if (strcmp(ts_names(ts)[i], rel) == 0)
            return true;
    return false;
}

static struct treesearch *run(int depth, size_t entries, bool hidden, size_t step, size_t *steps)
{
    struct ts_limits lim = { depth, entries, hidden };
    char err[256];
    struct treesearch *ts = ts_start(root, &lim, err, sizeof err);
    assert_non_null(ts);
    size_t n = 0;
    while (ts_step(ts, step) && n < 100000)
        n++;
    assert_true(ts_done(ts));
    if (steps)
        *steps = n;
    return ts;
}

static void test_finds_deep_file(void **state)
{
    (void)state;
    size_t steps;
    struct treesearch *ts = run(TS_DEFAULT_DEPTH, TS_DEFAULT_ENTRIES, false, 4, &steps);
    assert_true(has(ts, "a/b/c/cv-frank-doe.pdf"));
    assert_true(has(ts, "a/b/mid.txt"));
    assert_true(has(ts, "top.txt"));
    assert_true(has(ts, "a/linked.txt"));
    assert_true(has(ts, "many/f39.txt"));
    assert_false(has(ts, ".hidden.txt"));
    assert_false(has(ts, ".git/config"));
    assert_false(has(ts, "a/b/c/loop"));           /* a link to a folder is no file either */
    assert_int_equal(ts_count(ts), 44);            /* nothing twice: the loop was not followed */
    assert_false(ts_truncated(ts));
    assert_true(steps > 5);                         /* small steps, not one go */
    /* breadth first: the root's file before the deep one */
    size_t top = 0, deep = 0;
    for (size_t i = 0; i < ts_count(ts); i++) {
        if (strcmp(ts_names(ts)[i], "top.txt") == 0)
            top = i;
        if (strcmp(ts_names(ts)[i], "a/b/c/cv-frank-doe.pdf") == 0)
            deep = i;
    }
    assert_true(top < deep);
    ts_free(ts);
}

static void test_hidden_when_asked(void **state)
{
    (void)state;
    struct treesearch *ts = run(TS_DEFAULT_DEPTH, TS_DEFAULT_ENTRIES, true, 100, NULL);
    assert_true(has(ts, ".hidden.txt"));
    assert_true(has(ts, ".git/config"));
    assert_int_equal(ts_count(ts), 46);
    ts_free(ts);
}

static void test_depth_bound(void **state)
{
    (void)state;
    struct treesearch *ts = run(2, TS_DEFAULT_ENTRIES, false, 100, NULL);
    assert_true(has(ts, "top.txt"));
    assert_true(has(ts, "a/linked.txt"));
    assert_false(has(ts, "a/b/mid.txt"));
    assert_true(ts_truncated(ts));
    ts_free(ts);
    ts = run(1, TS_DEFAULT_ENTRIES, false, 100, NULL);
    assert_int_equal(ts_count(ts), 1);              /* the root's own files */
    ts_free(ts);
}

static void test_entry_bound(void **state)
{
    (void)state;
    struct treesearch *ts = run(TS_DEFAULT_DEPTH, 10, false, 3, NULL);
    assert_true(ts_scanned(ts) <= 10);
    assert_true(ts_count(ts) <= 10);
    assert_true(ts_truncated(ts));
    ts_free(ts);
}

static void test_no_root(void **state)
{
    (void)state;
    struct ts_limits lim = { 8, 100, false };
    char err[256] = "";
    assert_null(ts_start("/nonexistent/ka-ts", &lim, err, sizeof err));
    assert_non_null(strstr(err, "cannot search"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_finds_deep_file),
        cmocka_unit_test(test_hidden_when_asked),
        cmocka_unit_test(test_depth_bound),
        cmocka_unit_test(test_entry_bound),
        cmocka_unit_test(test_no_root),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
