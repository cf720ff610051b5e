/* ui/sendable.c: which files the picker lets through and what it says about the others —
 * never a chmod for someone else's file, never the command line's "--name". */
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

#include "helpers.h"
#include "sendable.h"

static void test_judge_table(void **state)
{
    (void)state;
    static const struct {
        struct sendable_facts f;
        uint64_t max;
        enum sendable want;
    } rows[] = {
        { { .is_regular = true, .size = 10 }, 0, SENDABLE_OK },
        { { .is_regular = true, .size = 10 }, 10, SENDABLE_OK },
        { { .is_regular = true, .size = 11 }, 10, SENDABLE_TOO_BIG },
        { { .is_regular = true, .size = 0 }, 10, SENDABLE_EMPTY },
        { { .is_regular = true, .size = 5, .unreadable = true }, 0, SENDABLE_UNREADABLE },
        { { .is_regular = false, .size = 5 }, 0, SENDABLE_NOT_FILE },
        { { .dangling = true }, 0, SENDABLE_DANGLING },
        { { .gone = true, .is_regular = true, .size = 5 }, 0, SENDABLE_GONE },
        /* an unreadable file says so before it says it is empty or too big */
        { { .is_regular = true, .size = 0, .unreadable = true }, 0, SENDABLE_UNREADABLE },
    };
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++)
        if (sendable_judge(&rows[i].f, rows[i].max) != rows[i].want)
            fail_msg("row %zu: %d, want %d", i, sendable_judge(&rows[i].f, rows[i].max), rows[i].want);
}

static void test_advice_one_can_follow(void **state)
{
    (void)state;
    char buf[320];
    struct sendable_facts mine = { .is_regular = true, .size = 5, .unreadable = true };
    sendable_reason(SENDABLE_UNREADABLE, &mine, NULL, 0, buf, sizeof buf);
    assert_non_null(strstr(buf, "chmod u+r"));
    /* someone else's: a chmod would be refused; ask the owner, or copy it */
    struct sendable_facts theirs = mine;
    theirs.foreign = true;
    sendable_reason(SENDABLE_UNREADABLE, &theirs, "alice", 0, buf, sizeof buf);
    assert_null(strstr(buf, "chmod"));
    assert_non_null(strstr(buf, "alice"));
    assert_non_null(strstr(buf, "ask its owner or copy it somewhere you can read"));
    sendable_reason(SENDABLE_UNREADABLE, &theirs, NULL, 0, buf, sizeof buf);
    assert_non_null(strstr(buf, "another user"));
    struct sendable_facts big = { .is_regular = true, .size = 3000000 };
    sendable_reason(SENDABLE_TOO_BIG, &big, NULL, 1000000, buf, sizeof buf);
    assert_string_equal(buf, "2.86 MiB: over the limit of 977 KiB (--max-size)");
    struct sendable_facts fifo = { .mode = S_IFIFO };
    sendable_reason(SENDABLE_NOT_FILE, &fifo, NULL, 0, buf, sizeof buf);
    assert_non_null(strstr(buf, "named pipe"));
    /* every reason fits a status line of 80 columns beside "8/8" */
    static const enum sendable all[] = { SENDABLE_GONE, SENDABLE_DANGLING, SENDABLE_NOT_FILE,
                                         SENDABLE_UNREADABLE, SENDABLE_EMPTY, SENDABLE_TOO_BIG };
    for (size_t i = 0; i < sizeof all / sizeof *all; i++) {
        sendable_reason(all[i], &theirs, "root", 1000000, buf, sizeof buf);
        assert_true(strlen(buf) <= 74);
        assert_null(strstr(buf, "--name"));
    }
}

static void test_check_paths(void **state)
{
    (void)state;
    char *dir = th_tempdir();
    char p[600], buf[320];
    snprintf(p, sizeof p, "%s/ok.txt", dir);
    th_write_text(p, "hello\n");
    assert_int_equal(sendable_check(p, 0, buf, sizeof buf), SENDABLE_OK);
    assert_string_equal(buf, "");
    assert_int_equal(sendable_check(p, 3, buf, sizeof buf), SENDABLE_TOO_BIG);
    snprintf(p, sizeof p, "%s/empty.txt", dir);
    th_write_text(p, "");
    assert_int_equal(sendable_check(p, 0, buf, sizeof buf), SENDABLE_EMPTY);
    snprintf(p, sizeof p, "%s/fifo", dir);
    assert_int_equal(mkfifo(p, 0600), 0);
    assert_int_equal(sendable_check(p, 0, buf, sizeof buf), SENDABLE_NOT_FILE);
    assert_non_null(strstr(buf, "named pipe"));
    char link[600];
    snprintf(link, sizeof link, "%s/dangling", dir);
    assert_int_equal(symlink("nowhere", link), 0);
    assert_int_equal(sendable_check(link, 0, buf, sizeof buf), SENDABLE_DANGLING);
    snprintf(p, sizeof p, "%s/missing", dir);
    assert_int_equal(sendable_check(p, 0, buf, sizeof buf), SENDABLE_GONE);
    snprintf(p, sizeof p, "%s/locked.txt", dir);
    th_write_text(p, "secret\n");
    chmod(p, 0);
    if (getuid() != 0) {
        assert_int_equal(sendable_check(p, 0, buf, sizeof buf), SENDABLE_UNREADABLE);
        assert_non_null(strstr(buf, "chmod u+r"));
    } else {
        /* root reads everything: the picker's e2e test runs the UI as another user */
        assert_int_equal(sendable_check(p, 0, buf, sizeof buf), SENDABLE_OK);
    }
    th_rmtree(dir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_judge_table),
        cmocka_unit_test(test_advice_one_can_follow),
        cmocka_unit_test(test_check_paths),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
