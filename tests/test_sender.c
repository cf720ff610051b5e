/* ui/sender.c against the in-process mock: a batch sent file by file, a rejected file sent
 * again by a retry (the attached one is not), refusals before anything is sent, cancelling,
 * and the history lines it leaves. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"
#include "clock.h"
#include "helpers.h"
#include "history.h"
#include "mock.h"
#include "sender.h"

#define CAND "4B7z5qJ8dXcR2mTnWvKpLs9a"

static char *dir;
static char inbox[600];
static char paths[3][600];
static struct mock *mock;
static struct send_options so;
static struct client *client;

static int setup(void **state)
{
    (void)state;
    /* A proxy from the environment must not swallow loopback traffic. */
    static const char *const proxies[] = {"http_proxy", "https_proxy", "HTTPS_PROXY",
                                          "ALL_PROXY", "all_proxy", "NO_PROXY", "no_proxy"};
    for (size_t i = 0; i < sizeof proxies / sizeof proxies[0]; i++)
        unsetenv(proxies[i]);
    dir = th_tempdir();
    if (!dir)
        return -1;
    snprintf(inbox, sizeof inbox, "%s/inbox", dir);
    for (int i = 0; i < 3; i++) {
        snprintf(paths[i], sizeof paths[i], "%s/file%d.bin", dir, i);
        th_write_random(paths[i], 5000 + 1000 * (size_t)i, (unsigned)i);
    }
    char state_dir[600];
    snprintf(state_dir, sizeof state_dir, "%s/state", dir);
    setenv("XDG_STATE_HOME", state_dir, 1);
    struct mock_config cfg = { .inbox = inbox, .quiet = true };
    char err[256];
    mock = mock_start(&cfg, err, sizeof err);
    if (!mock) {
        fprintf(stderr, "mock_start: %s\n", err);
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    client_free(client);
    mock_stop(mock);
    th_rmtree(dir);
    free(dir);
    return 0;
}

/* Fresh send options for a test, and the client the UI would make from them. */
static struct ui_options options(bool no_history)
{
    so = (struct send_options){
        .client = {.base_url = mock_base_url(mock), .api_key = "sk_test_sender",
                   .integration_id = "test:sender", .max_attempts = 1, .timeout_s = 20},
        .no_history = no_history,
    };
    client_free(client);
    int code;
    char err[256];
    client = client_new(&so.client, &code, err, sizeof err);
    if (!client)
        fail_msg("client_new: %s", err);
    return (struct ui_options){.send = &so};
}

/* What the UI's loop does: the one wait on the client, then the sender's step. */
static unsigned wait_step(struct sender *s, int timeout_ms)
{
    client_poll(client, timeout_ms, -1, NULL);
    return sender_step(s);
}

static void fault(enum mock_fault_kind kind, int status, int count)
{
    struct mock_fault f = { .kind = kind, .status = status, .count = count };
    mock_inject(mock, &f);
}

/* Let the sender run until the batch is over (or the deadline passes: a failure). */
static void run(struct sender *s)
{
    double until = clock_now() + 20;
    while (sender_busy(s) && clock_now() < until)
        wait_step(s, 50);
    assert_false(sender_busy(s));
}

static size_t history_lines(void)
{
    struct history_entry *e;
    size_t n = 0;
    char err[256];
    assert_int_equal(history_read(1000, &e, &n, NULL, err, sizeof err), 0);
    history_entries_free(e, n);
    return n;
}

static void test_batch_then_retry(void **state)
{
    (void)state;
    struct ui_options o = options(false);
    struct sender s;
    sender_init(&s, &o, client);
    const char *p[2] = { paths[0], paths[1] };
    struct batch_spec spec = { .candidate = CAND, .type = ATT_CV, .paths = p, .n = 2 };
    size_t lines0 = history_lines();
    unsigned stored0 = mock_stored_count(mock);

    fault(MOCK_FAULT_STATUS, 503, 1); /* the first file meets a server error */
    sender_start(&s, &spec);
    assert_true(sender_busy(&s));
    assert_int_equal(s.b.files[0].state, BF_RUNNING);
    run(&s);
    assert_int_equal(batch_verdict(&s.b.files[0]), BV_FAILED);
    assert_int_equal(s.b.files[0].result->outcome, TRANSFER_SERVER);
    assert_int_equal(s.b.files[0].result->answer.http_status, 503);
    assert_true(s.b.files[0].result->retry_helps);
    assert_int_equal(batch_verdict(&s.b.files[1]), BV_OK);
    assert_true(s.b.files[1].wire > s.b.files[1].att.size); /* base64 and JSON */
    assert_int_equal(mock_stored_count(mock), stored0 + 1);
    assert_int_equal(history_lines(), lines0 + 2);

    /* only the rejected file goes again */
    unsigned req0 = mock_request_count(mock);
    assert_true(sender_retry(&s));
    run(&s);
    assert_int_equal(mock_request_count(mock), req0 + 1);
    assert_false(batch_has_failures(&s.b));
    assert_int_equal(mock_stored_count(mock), stored0 + 2);
    assert_int_equal(history_lines(), lines0 + 3);
    assert_false(sender_retry(&s)); /* nothing left to retry */

    /* a refusal that would repeat (400) is not sent again by a retry: it needs a change */
    fault(MOCK_FAULT_STATUS, 400, 1);
    sender_start(&s, &spec);
    run(&s);
    assert_int_equal(s.b.files[0].result->outcome, TRANSFER_REJECTED);
    assert_false(s.b.files[0].result->retry_helps);
    assert_int_equal(batch_retry_count(&s.b, NULL), 0);
    assert_false(sender_retry(&s));
    sender_free(&s);
}

static void test_refused_before_sending(void **state)
{
    (void)state;
    struct ui_options o = options(true);
    struct sender s;
    sender_init(&s, &o, client);
    char missing[700];
    snprintf(missing, sizeof missing, "%s/missing.pdf", dir);
    unsigned req0 = mock_request_count(mock);

    /* the backend refuses the candidate ID "." before anything is sent */
    const char *p[2] = { paths[0], missing };
    struct batch_spec spec = { .candidate = ".", .type = ATT_CV, .paths = p, .n = 2 };
    sender_start(&s, &spec);
    assert_false(sender_busy(&s)); /* over before it began */
    assert_int_equal(s.b.files[0].state, BF_REFUSED);
    assert_non_null(strstr(s.b.files[0].refused, "candidate ID"));
    assert_int_equal(s.b.files[1].state, BF_REFUSED);
    assert_int_equal(wait_step(&s, 10), 0);
    assert_int_equal(mock_request_count(mock), req0);
    sender_free(&s);

    /* over the size limit */
    so.max_size = 10;
    sender_init(&s, &o, client);
    spec.candidate = CAND;
    spec.n = 1;
    sender_start(&s, &spec);
    assert_false(sender_busy(&s));
    assert_int_equal(s.b.files[0].state, BF_REFUSED);
    assert_int_equal(mock_request_count(mock), req0);
    sender_free(&s);
}

static void test_cancel(void **state)
{
    (void)state;
    struct ui_options o = options(true);
    struct sender s;
    sender_init(&s, &o, client);
    const char *p[3] = { paths[0], paths[1], paths[2] };
    struct batch_spec spec = { .candidate = CAND, .type = ATT_OTHER, .paths = p, .n = 3 };
    fault(MOCK_FAULT_STALL, 0, 1); /* the first file gets no answer */
    sender_start(&s, &spec);
    double until = clock_now() + 10;
    while (s.live.state != TRANSFER_WAITING_ANSWER && clock_now() < until)
        wait_step(&s, 50);
    assert_int_equal(s.live.state, TRANSFER_WAITING_ANSWER);
    assert_int_equal(s.live.sent, s.live.total);
    sender_cancel(&s);
    assert_true(s.b.cancelling);
    run(&s);
    /* cancelled with the whole body out: it may have been attached */
    assert_int_equal(batch_verdict(&s.b.files[0]), BV_UNKNOWN);
    assert_int_equal(s.b.files[1].state, BF_SKIPPED);
    assert_int_equal(s.b.files[2].state, BF_SKIPPED);
    /* a retry sends all three (none was attached) */
    fault(MOCK_FAULT_NONE, 0, 0);
    assert_true(sender_retry(&s));
    run(&s);
    assert_int_equal(batch_ok_count(&s.b), 3);
    sender_free(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_batch_then_retry),
        cmocka_unit_test(test_refused_before_sending),
        cmocka_unit_test(test_cancel),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
