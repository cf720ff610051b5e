/* ui/batch.c: the files of one send, their states and verdicts, the counts, cancelling,
 * which files a retry sends again, and the byte totals the progress screen shows. */
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

static char *dir;
static char paths[4][512];
static const char *const names[4] = { "a.txt", "b.txt", "c.txt", "missing.txt" };

static int setup(void **state)
{
    (void)state;
    dir = th_tempdir();
    if (!dir)
        return -1;
    for (int i = 0; i < 4; i++) {
        snprintf(paths[i], sizeof paths[i], "%s/%s", dir, names[i]);
        if (i < 3)
            th_write_random(paths[i], 100 * (size_t)(i + 1), (unsigned)i); /* 100, 200, 300 bytes */
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    th_rmtree(dir);
    free(dir);
    return 0;
}

static void init3(struct batch *b, const char *name, const char *ctype)
{
    const char *p[3] = { paths[0], paths[1], paths[2] };
    struct batch_spec spec = { .candidate = "cand", .type = ATT_OTHER, .name = name, .ctype = ctype,
                               .paths = p, .n = 3 };
    batch_init(b, &spec, 4);
}

static const struct transfer_result res_ok = { .outcome = TRANSFER_OK, .attempts = 1 };
static const struct transfer_result res_rejected = { .outcome = TRANSFER_REJECTED, .attempts = 1 };
static const struct transfer_result res_cancelled = { .outcome = TRANSFER_CANCELLED, .attempts = 1 };
static const struct transfer_result res_network = { .outcome = TRANSFER_NETWORK, .attempts = 4 };

/* Send the current file with result r (NULL: refuse it instead). */
static void step(struct batch *b, const struct transfer_result *r)
{
    assert_non_null(batch_next(b));
    if (!r) {
        batch_refuse(b, KA_EXIT_FILE, "refused for the test");
        return;
    }
    assert_true(batch_prepare(b, 0));
    batch_begin(b);
    assert_true(b->running);
    assert_int_equal(b->files[b->cur].state, BF_RUNNING);
    batch_finish(b, r, 1000, 0.5);
}

static void test_init_copies_the_spec(void **state)
{
    (void)state;
    struct batch b;
    char cand[] = "cand";
    const char *p[2] = { paths[0], paths[1] };
    struct batch_spec spec = { .candidate = cand, .type = ATT_CV, .paths = p, .n = 2 };
    batch_init(&b, &spec, 3);
    cand[0] = 'X'; /* the form may change after sending started */
    assert_string_equal(b.candidate, "cand");
    assert_int_equal(b.n, 2);
    assert_int_equal(b.max_attempts, 3);
    assert_null(b.files[0].name);
    assert_null(b.ctype);
    assert_int_equal(b.files[1].type, ATT_CV);
    assert_string_equal(b.files[0].display_name, "a.txt");
    assert_string_equal(b.files[1].display_name, "b.txt");
    assert_int_equal(b.files[0].state, BF_PENDING);
    assert_false(b.running);
    batch_free(&b);
    assert_int_equal(b.n, 0);

    /* one file under a name of the user's */
    spec.n = 1;
    spec.name = "Frank Doe CV";
    batch_init(&b, &spec, 3);
    assert_string_equal(b.files[0].display_name, "Frank Doe CV");
    batch_free(&b);

    /* several files, each with its own name, type and hash (from the form) */
    const char *own_names[2] = { "CV of Frank.txt", NULL };
    const enum att_type types[2] = { ATT_CV, ATT_COVER_LETTER };
    const char *sha[2] = { "ab12", NULL };
    spec = (struct batch_spec){ .candidate = "c", .names = own_names, .types = types, .sha256 = sha,
                                .candidate_name = "Frank Doe", .paths = p, .n = 2 };
    batch_init(&b, &spec, 3);
    assert_string_equal(b.files[0].display_name, "CV of Frank.txt");
    assert_string_equal(b.files[1].display_name, "b.txt");
    assert_int_equal(b.files[1].type, ATT_COVER_LETTER);
    assert_string_equal(b.files[0].sha256, "ab12");
    assert_string_equal(b.files[1].sha256, "");
    assert_string_equal(b.candidate_name, "Frank Doe");
    assert_non_null(batch_next(&b));
    assert_true(batch_prepare(&b, 0));
    assert_string_equal(b.files[0].att.name, "CV of Frank.txt");
    assert_int_equal(b.files[0].att.type, ATT_CV);
    batch_free(&b);
}

static void test_prepare_refuses_what_cannot_be_sent(void **state)
{
    (void)state;
    static const struct {
        int file;             /* index into paths */
        uint64_t max_size;
        const char *ctype;
        bool ok;
        int code;
    } rows[] = {
        { 0, 0, NULL, true, 0 },
        { 1, 200, NULL, true, 0 },                     /* exactly at the limit */
        { 2, 200, NULL, false, KA_EXIT_FILE },          /* over it */
        { 3, 0, NULL, false, KA_EXIT_FILE },            /* gone */
        { 0, 0, "text/plain; charset=utf-8", false, KA_EXIT_USAGE },
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        const char *p[1] = { paths[rows[i].file] };
        struct batch_spec spec = { .candidate = "c", .ctype = rows[i].ctype, .paths = p, .n = 1 };
        struct batch b;
        batch_init(&b, &spec, 4);
        assert_non_null(batch_next(&b));
        bool ok = batch_prepare(&b, rows[i].max_size);
        if (ok != rows[i].ok)
            fail_msg("row %zu: prepare %d, want %d (%s)", i, ok, rows[i].ok, b.files[0].refused);
        if (ok) {
            assert_true(b.files[0].att_ok);
            assert_int_equal(b.files[0].att.size, 100 * (rows[i].file + 1));
            assert_int_equal(b.files[0].state, BF_PENDING);
        } else {
            assert_int_equal(b.files[0].state, BF_REFUSED);
            assert_int_equal(b.files[0].refused_code, rows[i].code);
            assert_true(b.files[0].refused[0] != '\0');
            assert_int_equal(batch_verdict(&b.files[0]), BV_REFUSED);
            assert_null(batch_next(&b)); /* refused files are passed over */
        }
        batch_free(&b);
    }
}

static void test_verdicts_and_counts(void **state)
{
    (void)state;
    static const struct {
        const struct transfer_result *r[3];   /* NULL: refused */
        size_t ok;
        size_t first_problem;
        enum bf_verdict v0;
    } rows[] = {
        { { &res_ok, &res_ok, &res_ok }, 3, 0, BV_OK },
        { { &res_ok, &res_rejected, &res_ok }, 2, 1, BV_OK },
        { { &res_network, &res_ok, NULL }, 1, 0, BV_FAILED },
        { { &res_cancelled, &res_ok, &res_ok }, 2, 0, BV_CANCELLED },
        { { NULL, NULL, NULL }, 0, 0, BV_REFUSED },
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        struct batch b;
        init3(&b, NULL, NULL);
        for (int k = 0; k < 3; k++)
            step(&b, rows[i].r[k]);
        assert_null(batch_next(&b));
        assert_false(b.running);
        if (batch_ok_count(&b) != rows[i].ok)
            fail_msg("row %zu: %zu ok, want %zu", i, batch_ok_count(&b), rows[i].ok);
        assert_int_equal(batch_has_failures(&b), rows[i].ok < 3);
        assert_int_equal(batch_first_problem(&b), rows[i].first_problem);
        assert_int_equal(batch_verdict(&b.files[0]), rows[i].v0);
        if (rows[i].r[0]) {
            assert_ptr_equal(b.files[0].result, rows[i].r[0]);
            assert_int_equal(b.files[0].wire, 1000);
        }
        batch_free(&b);
    }
}

static void test_cancel_skips_the_rest(void **state)
{
    (void)state;
    struct batch b;
    init3(&b, NULL, NULL);
    assert_false(batch_cancel(&b)); /* nothing running yet */
    assert_non_null(batch_next(&b));
    assert_true(batch_prepare(&b, 0));
    batch_begin(&b);
    assert_true(batch_cancel(&b));
    assert_false(batch_cancel(&b)); /* once */
    assert_true(b.cancelling);
    batch_finish(&b, &res_cancelled, 10, 0.1);
    assert_int_equal(b.files[1].state, BF_SKIPPED);
    assert_int_equal(b.files[2].state, BF_SKIPPED);
    assert_int_equal(batch_verdict(&b.files[1]), BV_SKIPPED);
    assert_null(batch_next(&b));
    assert_false(b.running);
    assert_false(b.cancelling);
    assert_int_equal(batch_ok_count(&b), 0);
    batch_free(&b);
}

static void test_retry_sends_only_what_failed(void **state)
{
    (void)state;
    struct batch b;
    static const struct transfer_result res_server = { .outcome = TRANSFER_SERVER, .attempts = 4,
                                                       .retry_helps = true };
    static const struct transfer_result res_unknown = { .outcome = TRANSFER_UNKNOWN, .attempts = 1,
                                                        .retry_helps = true };
    init3(&b, NULL, NULL);
    step(&b, &res_ok);
    step(&b, &res_rejected);
    step(&b, NULL);
    assert_null(batch_next(&b));
    /* a refusal that would repeat, a file refused before sending: a retry cannot help */
    assert_false(batch_file_retry_helps(&b.files[1]));
    assert_false(batch_file_retry_helps(&b.files[2]));
    assert_int_equal(batch_retry_count(&b, NULL), 0);
    assert_int_equal(batch_retry(&b), 0);
    batch_free(&b);

    init3(&b, NULL, NULL);
    step(&b, &res_ok);
    step(&b, &res_server);
    step(&b, &res_unknown);
    size_t unknown;
    assert_int_equal(batch_retry_count(&b, &unknown), 2);
    assert_int_equal(unknown, 1); /* the screen asks before sending that one again */
    assert_int_equal(batch_retry(&b), 2);
    assert_int_equal(b.cur, 0);
    /* the attached file stays attached: sending it again would make a duplicate */
    assert_int_equal(b.files[0].state, BF_DONE);
    assert_ptr_equal(b.files[0].result, &res_ok);
    assert_true(b.files[2].was_unknown);
    for (int k = 1; k < 3; k++) {
        assert_int_equal(b.files[k].state, BF_PENDING);
        assert_null(b.files[k].result);
        assert_false(b.files[k].att_ok);
        assert_int_equal(b.files[k].refused[0], '\0');
    }
    /* the retry starts at the first file that needs it */
    struct batch_file *f = batch_next(&b);
    assert_ptr_equal(f, &b.files[1]);
    assert_true(batch_prepare(&b, 0));
    batch_begin(&b);
    batch_finish(&b, &res_ok, 1, 0);
    step(&b, &res_ok);
    assert_false(batch_has_failures(&b));
    assert_int_equal(batch_retry(&b), 0);
    batch_free(&b);
}

static void test_values_reach_the_attachment(void **state)
{
    (void)state;
    struct batch b;
    init3(&b, NULL, "application/pdf");
    assert_non_null(batch_next(&b));
    assert_true(batch_prepare(&b, 0));
    const struct attachment *att = &b.files[0].att;
    assert_string_equal(att->name, "a.txt");
    assert_string_equal(att->content_type, "application/pdf");
    assert_int_equal(att->type, ATT_OTHER);
    batch_free(&b);
}

static void test_file_bytes(void **state)
{
    (void)state;
    static const struct {
        uint64_t size, sent, total;
        uint64_t done, of;
        double scale;
    } rows[] = {
        { 300, 0, 400, 0, 300, 0.75 },
        { 300, 200, 400, 150, 300, 0.75 },
        { 300, 400, 400, 300, 300, 0.75 },      /* all sent: all of the file */
        { 300, 500, 400, 300, 300, 0.75 },
        { 0, 50, 100, 50, 100, 1.0 },           /* size unknown: body bytes */
        { 300, 0, 0, 0, 300, 1.0 },             /* not started */
        { 1000000, 333333, 1333420, 249983, 1000000, 1000000.0 / 1333420.0 },
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        uint64_t done, of;
        double scale;
        batch_file_bytes(rows[i].size, rows[i].sent, rows[i].total, &done, &of, &scale);
        if (done != rows[i].done || of != rows[i].of)
            fail_msg("row %zu: %llu of %llu, want %llu of %llu", i, (unsigned long long)done,
                     (unsigned long long)of, (unsigned long long)rows[i].done, (unsigned long long)rows[i].of);
        assert_float_equal(scale, rows[i].scale, 1e-9);
    }
}

/* The progress screen's numbers, in the file's bytes: the bar empty between attempts (the
 * next one starts over), full once the last byte is out and only the answer is awaited. */
static void test_progress_numbers(void **state)
{
    (void)state;
    struct batch_numbers n;
    /* 3000 file bytes are a 4100-byte body */
    struct transfer_progress pr = { .state = TRANSFER_SENDING, .sent = 2050, .total = 4100, .rate = 410 };
    batch_numbers(3000, &pr, &n);
    assert_int_equal(n.done, 1500);
    assert_int_equal(n.of, 3000);
    assert_true(n.frac > 0.49 && n.frac < 0.51);
    assert_true(n.rate > 299 && n.rate < 301); /* a file rate, like the sizes */
    assert_true(n.sending);
    /* the previous attempt sent everything, then failed: the bar is not full while waiting */
    pr = (struct transfer_progress){ .state = TRANSFER_WAITING_RETRY, .sent = 4100, .total = 4100, .wait_ms = 900 };
    batch_numbers(3000, &pr, &n);
    assert_true(n.frac == 0);
    assert_int_equal(n.done, 0);
    assert_false(n.sending);
    pr.state = TRANSFER_CONNECTING;
    batch_numbers(3000, &pr, &n);
    assert_true(n.frac == 0);
    /* all out: full, whatever the rounding */
    pr = (struct transfer_progress){ .state = TRANSFER_WAITING_ANSWER, .sent = 4099, .total = 4100 };
    batch_numbers(3000, &pr, &n);
    assert_true(n.frac == 1);
    assert_int_equal(n.done, 3000);
    assert_false(n.sending);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_init_copies_the_spec),
        cmocka_unit_test(test_progress_numbers),
        cmocka_unit_test(test_prepare_refuses_what_cannot_be_sent),
        cmocka_unit_test(test_verdicts_and_counts),
        cmocka_unit_test(test_cancel_skips_the_rest),
        cmocka_unit_test(test_retry_sends_only_what_failed),
        cmocka_unit_test(test_values_reach_the_attachment),
        cmocka_unit_test(test_file_bytes),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
