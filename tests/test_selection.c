/* ui/selection.c and the filelist's side of it: marks kept by full path across folders, in
 * the order of marking; and the flags a stat leaves on an entry that decide whether the file
 * can be sent (sendable.h). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "filelist.h"
#include "helpers.h"
#include "selection.h"

static char *dir;

static char *in_dir(const char *name)
{
    static char buf[4][600];
    static int k;
    k = (k + 1) % 4;
    snprintf(buf[k], sizeof buf[k], "%s/%s", dir, name);
    return buf[k];
}

static int setup(void **state)
{
    (void)state;
    dir = th_tempdir();
    if (!dir || mkdir(in_dir("alpha"), 0755) != 0)
        return -1;
    th_write_text(in_dir("b.txt"), "bee\n");
    th_write_text(in_dir("c.txt"), "sea\n");
    if (symlink("b.txt", in_dir("linkfile")) || symlink("nowhere", in_dir("dangling")))
        return -1;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    th_rmtree(dir);
    free(dir);
    return 0;
}

static struct filelist *open_ok(const char *d, bool hidden, enum fl_sort sort)
{
    char err[256] = "";
    struct filelist *fl = fl_open(d, hidden, sort, err, sizeof err);
    if (!fl)
        fail_msg("fl_open(%s): %s", d, err);
    return fl;
}

static void test_selection_order_and_lookup(void **state)
{
    (void)state;
    struct selection *s = sel_new();
    sel_add(s, "/x/b");
    sel_add(s, "/x/a");
    sel_add(s, "/y/c");
    sel_add(s, "/x/a"); /* again: no effect */
    assert_int_equal(sel_count(s), 3);
    assert_true(sel_has(s, "/x/a"));
    assert_false(sel_has(s, "/x"));
    assert_int_equal(sel_count_in(s, "/x"), 2);
    assert_int_equal(sel_count_in(s, "/"), 0);
    size_t n;
    char **p = sel_paths(s, &n);
    assert_int_equal(n, 3);
    assert_string_equal(p[0], "/x/b"); /* the order of marking */
    assert_string_equal(p[1], "/x/a");
    assert_string_equal(p[2], "/y/c");
    for (size_t i = 0; i < n; i++)
        free(p[i]);
    free(p);
    sel_remove(s, "/x/b");
    sel_remove(s, "/nope");
    assert_int_equal(sel_count(s), 2);
    sel_clear(s);
    assert_null(sel_paths(s, &n));
    assert_int_equal(n, 0);
    sel_free(s);
}

/* Marks live in a selection that outlives a folder's list: they survive going into a folder
 * and back, are counted in total and per folder, and come out in the order of marking. */
static void test_marks_across_folders(void **state)
{
    (void)state;
    struct selection *sel = sel_new();
    char sub[700];
    snprintf(sub, sizeof sub, "%s/alpha", dir);
    FILE *f = fopen(in_dir("alpha/inner.txt"), "w");
    assert_non_null(f);
    fputs("inner\n", f);
    fclose(f);

    struct filelist *fl = open_ok(dir, false, FL_SORT_NAME);
    fl_use_selection(fl, sel);
    fl_toggle_mark(fl, fl_find(fl, "b.txt"));
    fl_free(fl);
    fl = open_ok(sub, false, FL_SORT_NAME);
    fl_use_selection(fl, sel);
    assert_int_equal(fl_marked_count(fl), 1);
    assert_int_equal(fl_marked_here(fl), 0);
    fl_set_mark(fl, fl_find(fl, "inner.txt"), true);
    fl_set_mark(fl, fl_find(fl, "inner.txt"), true); /* twice: still one */
    assert_int_equal(fl_marked_count(fl), 2);
    assert_int_equal(fl_marked_here(fl), 1);
    fl_free(fl);
    fl = open_ok(dir, false, FL_SORT_NAME);
    fl_use_selection(fl, sel);
    assert_true(fl_get(fl, fl_find(fl, "b.txt"))->marked);
    assert_int_equal(fl_marked_here(fl), 1);
    size_t n;
    char **paths = fl_marked_paths(fl, &n);
    assert_int_equal(n, 2);
    assert_string_equal(paths[0], in_dir("b.txt"));
    assert_string_equal(paths[1], in_dir("alpha/inner.txt"));
    for (size_t i = 0; i < n; i++)
        free(paths[i]);
    free(paths);
    assert_int_equal(sel_count_in(sel, sub), 1);
    assert_int_equal(sel_count_in(sel, dir), 1);
    fl_clear_marks(fl); /* Esc: in every folder */
    assert_int_equal(sel_count(sel), 0);
    fl_free(fl);
    sel_free(sel);
    unlink(in_dir("alpha/inner.txt"));
}

/* What decides whether a file can be sent is known once an entry is stat'ed. */
static void test_sendable_flags(void **state)
{
    (void)state;
    assert_int_equal(mkfifo(in_dir("fifo"), 0600), 0);
    FILE *f = fopen(in_dir("theirs.txt"), "w");
    assert_non_null(f);
    fputs("x", f);
    fclose(f);
    bool root = getuid() == 0;
    if (root)
        assert_int_equal(chown(in_dir("theirs.txt"), 65534, 65534), 0);
    struct filelist *fl = open_ok(dir, false, FL_SORT_NAME);
    fl_stat_range(fl, 0, fl_count(fl));
    struct fl_entry *e = fl_get(fl, fl_find(fl, "b.txt"));
    assert_true(e->is_regular);
    assert_false(e->unreadable);
    assert_false(e->foreign);
    assert_false(e->dangling);
    e = fl_get(fl, fl_find(fl, "linkfile"));
    assert_true(e->is_regular); /* its target */
    e = fl_get(fl, fl_find(fl, "dangling"));
    assert_true(e->dangling);
    assert_false(e->is_regular);
    e = fl_get(fl, fl_find(fl, "fifo"));
    assert_false(e->is_regular);
    assert_false(e->dangling);
    if (root) {
        e = fl_get(fl, fl_find(fl, "theirs.txt"));
        assert_true(e->foreign);
    }
    fl_free(fl);
    unlink(in_dir("fifo"));
    unlink(in_dir("theirs.txt"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_selection_order_and_lookup),
        cmocka_unit_test(test_marks_across_folders),
        cmocka_unit_test(test_sendable_flags),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
