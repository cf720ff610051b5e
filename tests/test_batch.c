/* ui/batch.c: the files of one send, their states and verdicts (several decided in any
 * order, as the engine runs them at once; found and already attached count as attached),
 * the counts, cancelling, which files a retry sends again, and the byte totals the progress
 * screen shows. */
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

/* File i is sent with result r (NULL: refused instead), as the sender does it. */
static void step(struct batch *b, size_t i, const struct transfer_result *r)
{
    if (!r) {
        batch_refuse(&b->files[i], KA_EXIT_FILE, "refused for the test");
        return;
    }
    assert_true(batch_prepare(b, i, 0));
    batch_hand_over(&b->files[i]);
    assert_int_equal(b->files[i].state, BF_RUNNING);
    batch_finish(&b->files[i], r, 1000, 0.5);
}

/* Every file handed over at once, then decided in the order given by results. */
static void send_all(struct batch *b, const struct transfer_result *const r[3])
{
    for (size_t i = 0; i < 3; i++) {
        if (!r[i]) {
            batch_refuse(&b->files[i], KA_EXIT_FILE, "refused for the test");
            continue;
        }
        assert_true(batch_prepare(b, i, 0));
        batch_hand_over(&b->files[i]);
    }
    batch_begin(b);
    assert_true(b->running);
    for (size_t k = 3; k-- > 0;)   /* the last first: the engine's order is its own */
        if (r[k])
            batch_finish(&b->files[k], r[k], 1000, 0.5);
    batch_end(b);
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
    assert_true(batch_prepare(&b, 0, 0));
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
        bool ok = batch_prepare(&b, 0, rows[i].max_size);
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
            assert_false(batch_file_retry_helps(&b.files[0])); /* the file is the problem */
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
        send_all(&b, rows[i].r);
        assert_false(b.running);
        assert_int_equal(batch_decided_count(&b), 3);
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

/* Cancelled with two in flight: what the engine decided stays decided, the files it never
 * started are skipped when it is done, and a retry sends those again. */
static void test_cancel_skips_the_rest(void **state)
{
    (void)state;
    struct batch b;
    init3(&b, NULL, NULL);
    assert_false(batch_cancel(&b)); /* nothing running yet */
    for (size_t i = 0; i < 3; i++) {
        assert_true(batch_prepare(&b, i, 0));
        batch_hand_over(&b.files[i]);
    }
    batch_begin(&b);
    assert_int_equal(batch_decided_count(&b), 0);
    assert_true(batch_cancel(&b));
    assert_false(batch_cancel(&b)); /* once */
    assert_true(b.cancelling);
    static const struct transfer_result cancelled = { .outcome = TRANSFER_CANCELLED,
                                                      .attempts = 1, .retry_helps = true };
    batch_finish(&b.files[1], &cancelled, 10, 0.1);
    batch_finish(&b.files[0], &res_ok, 10, 0.1);   /* its answer came before the cancel */
    assert_int_equal(b.files[2].state, BF_RUNNING);  /* the engine still has it */
    batch_end(&b);
    assert_int_equal(batch_verdict(&b.files[0]), BV_OK);
    assert_int_equal(batch_verdict(&b.files[1]), BV_CANCELLED);
    assert_int_equal(b.files[2].state, BF_SKIPPED);
    assert_int_equal(batch_verdict(&b.files[2]), BV_SKIPPED);
    assert_int_equal(batch_file_exit_code(&b.files[2]), KA_EXIT_CANCELLED);
    assert_false(b.running);
    assert_false(b.cancelling);
    assert_int_equal(batch_ok_count(&b), 1);
    assert_int_equal(batch_decided_count(&b), 3);
    assert_int_equal(batch_retry_count(&b, NULL), 2); /* the cancelled and the skipped */
    batch_free(&b);
}

/* Decided without an upload of their own: found after an interrupted run, already in the
 * history, or not sent by the engine. Found and already are attached (counts, summary,
 * exit 0) and never sent again; a failed check of an earlier run may have been attached. */
static void test_found_and_already(void **state)
{
    (void)state;
    static const struct {
        enum bf_state s;
        int code;
        enum bf_verdict v;
        bool ok, retry;
        int exit;
        const char *words;
    } rows[] = {
        { BF_FOUND, 0, BV_FOUND, true, false, KA_EXIT_OK,
          "already there: an interrupted run sent it" },
        { BF_ALREADY, 0, BV_ALREADY, true, false, KA_EXIT_OK, "already attached" },
        { BF_UNSENT, KA_EXIT_UNKNOWN, BV_UNKNOWN, false, true, KA_EXIT_UNKNOWN,
          "not sent: listing failed" },
        { BF_UNSENT, KA_EXIT_CONFIG, BV_FAILED, false, false, KA_EXIT_CONFIG,
          "not sent: listing failed" },
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        struct batch b;
        init3(&b, NULL, NULL);
        for (size_t k = 0; k < 3; k++) {
            assert_true(batch_prepare(&b, k, 0));
            batch_hand_over(&b.files[k]);
        }
        batch_begin(&b);
        batch_finish(&b.files[0], &res_ok, 10, 0.1);
        batch_finish(&b.files[1], &res_ok, 10, 0.1);
        batch_decide(&b.files[2], rows[i].s, rows[i].code, "listing failed");
        batch_end(&b);
        const struct batch_file *f = &b.files[2];
        char out[700];
        batch_file_outcome(f, out, sizeof out);
        if (batch_verdict(f) != rows[i].v || batch_file_ok(f) != rows[i].ok ||
            batch_file_retry_helps(f) != rows[i].retry || batch_file_exit_code(f) != rows[i].exit ||
            strcmp(out, rows[i].words) != 0)
            fail_msg("row %zu: verdict %d ok %d retry %d exit %d \"%s\"", i, batch_verdict(f),
                     batch_file_ok(f), batch_file_retry_helps(f), batch_file_exit_code(f), out);
        assert_int_equal(batch_ok_count(&b), rows[i].ok ? 3 : 2);
        assert_int_equal(batch_has_failures(&b), !rows[i].ok);
        assert_int_equal(batch_first_problem(&b), rows[i].ok ? 0 : 2);
        size_t unknown = 9;
        assert_int_equal(batch_retry_count(&b, &unknown), rows[i].retry ? 1 : 0);
        assert_int_equal(unknown, 0); /* no body went out: no risk of a second copy to ask about */
        assert_int_equal(batch_retry(&b), rows[i].retry ? 1 : 0);
        assert_int_equal(f->state, rows[i].retry ? BF_PENDING : rows[i].s);
        batch_free(&b);
    }
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
    step(&b, 0, &res_ok);
    step(&b, 1, &res_rejected);
    step(&b, 2, NULL);
    /* a refusal that would repeat, a file refused before sending: a retry cannot help */
    assert_false(batch_file_retry_helps(&b.files[1]));
    assert_false(batch_file_retry_helps(&b.files[2]));
    assert_int_equal(batch_retry_count(&b, NULL), 0);
    assert_int_equal(batch_retry(&b), 0);
    batch_free(&b);

    init3(&b, NULL, NULL);
    step(&b, 0, &res_ok);
    step(&b, 1, &res_server);
    step(&b, 2, &res_unknown);
    size_t unknown;
    assert_int_equal(batch_retry_count(&b, &unknown), 2);
    assert_int_equal(unknown, 1); /* the screen asks before sending that one again */
    assert_int_equal(batch_retry(&b), 2);
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
    step(&b, 1, &res_ok);
    step(&b, 2, &res_ok);
    assert_false(batch_has_failures(&b));
    assert_int_equal(batch_retry(&b), 0);
    batch_free(&b);
}

static void test_values_reach_the_attachment(void **state)
{
    (void)state;
    struct batch b;
    init3(&b, NULL, "application/pdf");
    assert_true(batch_prepare(&b, 0, 0));
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
        cmocka_unit_test(test_found_and_already),
        cmocka_unit_test(test_retry_sends_only_what_failed),
        cmocka_unit_test(test_values_reach_the_attachment),
        cmocka_unit_test(test_file_bytes),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
