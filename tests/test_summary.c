/* ui/summary.c: the line the UI prints to the shell when it ends, and its exit code: what was
 * attached and what was not, a failure forgotten once the file is sent again and attached,
 * "may have been attached" never reported as a plain failure, names escaped. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "batch.h"
#include "exitcodes.h"
#include "helpers.h"
#include "summary.h"

static void test_nothing_sent(void **state)
{
    (void)state;
    struct summary s = { 0 };
    char line[512];
    summary_line(&s, line, sizeof line);
    assert_string_equal(line, "kombo-attach: nothing sent");
    assert_int_equal(summary_exit_code(&s), 0);
}

static void test_attached_and_failed(void **state)
{
    (void)state;
    struct summary s = { 0 };
    char line[512];
    summary_add(&s, "/d/a.pdf", "C1", true, false, 0, "attached");
    summary_add(&s, "/d/b.pdf", "C1", true, false, 0, "attached");
    summary_add(&s, "/d/cv.pdf", "C1", false, false, KA_EXIT_API, "rejected by Kombo: PLATFORM.INPUT_INVALID");
    summary_line(&s, line, sizeof line);
    assert_string_equal(line, "kombo-attach: 2 attached, 1 failed (cv.pdf: rejected by Kombo: PLATFORM.INPUT_INVALID)");
    assert_int_equal(summary_exit_code(&s), KA_EXIT_API);

    /* sent again and attached: the failure is forgotten */
    summary_add(&s, "/d/cv.pdf", "C1", true, false, 0, "attached");
    summary_line(&s, line, sizeof line);
    assert_string_equal(line, "kombo-attach: 3 attached");
    assert_int_equal(summary_exit_code(&s), 0);

    /* an attached file sent to someone else is another attachment */
    summary_add(&s, "/d/a.pdf", "C2", true, false, 0, "attached");
    summary_line(&s, line, sizeof line);
    assert_string_equal(line, "kombo-attach: 4 attached");
    summary_free(&s);
}

static void test_highest_code_and_maybe(void **state)
{
    (void)state;
    struct summary s = { 0 };
    char line[1024];
    summary_add(&s, "/d/a.pdf", "C", false, false, KA_EXIT_FILE, "not sent: is empty");
    summary_add(&s, "/d/b.pdf", "C", false, true, KA_EXIT_UNKNOWN, "look in the ATS before sending it again");
    summary_add(&s, "/d/c.pdf", "C", false, false, KA_EXIT_SERVER, "server error");
    summary_add(&s, "/d/d.pdf", "C", false, false, KA_EXIT_API, "rejected by Kombo");
    summary_add(&s, "/d/e.pdf", "C", false, false, KA_EXIT_API, "rejected by Kombo");
    summary_line(&s, line, sizeof line);
    assert_string_equal(line, "kombo-attach: 0 attached, 1 may have been attached, 4 failed (a.pdf: not "
                        "sent: is empty; b.pdf: look in the ATS before sending it again; c.pdf: server "
                        "error; 2 more)");
    assert_int_equal(summary_exit_code(&s), KA_EXIT_UNKNOWN);
    summary_free(&s);
}

static void test_names_escaped(void **state)
{
    (void)state;
    struct summary s = { 0 };
    char line[512];
    summary_add(&s, "/d/\x1b]2;pwned\x07.pdf", "C", false, false, KA_EXIT_FILE, "bad\xff");
    summary_line(&s, line, sizeof line);
    assert_null(strchr(line, '\x1b'));
    assert_null(strchr(line, '\x07'));
    assert_non_null(strstr(line, "\\x1b]2;pwned\\x07.pdf: bad\\xff"));
    summary_free(&s);
}

/* A batch: files that never had their turn are left out; a file that may have been attached
 * once stays "may have been attached" when a retry fails. */
static void test_from_a_batch(void **state)
{
    (void)state;
    char *dir = th_tempdir();
    char p[3][600];
    for (int i = 0; i < 3; i++) {
        snprintf(p[i], sizeof p[i], "%s/f%d.txt", dir, i);
        th_write_text(p[i], "some text\n");
    }
    const char *paths[3] = { p[0], p[1], p[2] };
    struct batch b;
    struct batch_spec spec = { .candidate = "C", .type = ATT_CV, .paths = paths, .n = 3 };
    batch_init(&b, &spec, 1);
    static const struct transfer_result ok = { .outcome = TRANSFER_OK, .attempts = 1 };
    static const struct transfer_result unknown = { .outcome = TRANSFER_UNKNOWN, .attempts = 1,
                                                    .retry_helps = true };
    static const struct transfer_result server = { .outcome = TRANSFER_SERVER, .attempts = 1 };
    const struct transfer_result *rs[2] = { &ok, &unknown };
    for (size_t i = 0; i < 2; i++) {
        assert_true(batch_prepare(&b, i, 0));
        batch_hand_over(&b.files[i]);
        batch_finish(&b.files[i], rs[i], 100, 0.1);
    }
    /* the third never had its turn yet; the second is sent again and fails */
    assert_int_equal(batch_retry(&b), 2);
    assert_int_equal(b.files[1].state, BF_PENDING);
    assert_true(batch_prepare(&b, 1, 0));
    batch_hand_over(&b.files[1]);
    batch_finish(&b.files[1], &server, 100, 0.1);
    struct summary s = { 0 };
    summary_add_batch(&s, &b);
    char line[512];
    summary_line(&s, line, sizeof line);
    assert_string_equal(line, "kombo-attach: 1 attached, 1 may have been attached (f1.txt: look in the "
                        "ATS before sending it again)");
    assert_int_equal(summary_exit_code(&s), KA_EXIT_UNKNOWN);
    summary_free(&s);
    batch_free(&b);
    th_rmtree(dir);
    free(dir);
}

/* Files the engine found there (an interrupted run sent them) or the history has: attached,
 * exit 0, nothing listed as a problem. */
static void test_found_counts_as_attached(void **state)
{
    (void)state;
    char *dir = th_tempdir();
    char p[2][600];
    for (int i = 0; i < 2; i++) {
        snprintf(p[i], sizeof p[i], "%s/g%d.txt", dir, i);
        th_write_text(p[i], "some text\n");
    }
    const char *paths[2] = { p[0], p[1] };
    struct batch b;
    struct batch_spec spec = { .candidate = "C", .type = ATT_CV, .paths = paths, .n = 2 };
    batch_init(&b, &spec, 1);
    for (size_t i = 0; i < 2; i++) {
        assert_true(batch_prepare(&b, i, 0));
        batch_hand_over(&b.files[i]);
    }
    batch_decide(&b.files[0], BF_FOUND, 0, "already attached by an interrupted run");
    batch_decide(&b.files[1], BF_ALREADY, 0, "already attached: the history has it");
    batch_end(&b);
    struct summary s = { 0 };
    summary_add_batch(&s, &b);
    char line[512];
    summary_line(&s, line, sizeof line);
    assert_string_equal(line, "kombo-attach: 2 attached");
    assert_int_equal(summary_exit_code(&s), KA_EXIT_OK);
    summary_free(&s);
    batch_free(&b);
    th_rmtree(dir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nothing_sent),
        cmocka_unit_test(test_attached_and_failed),
        cmocka_unit_test(test_highest_code_and_maybe),
        cmocka_unit_test(test_names_escaped),
        cmocka_unit_test(test_from_a_batch),
        cmocka_unit_test(test_found_counts_as_attached),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
