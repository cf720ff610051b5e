/* ui/sender.c on the batch engine, against the in-process mock: several files in flight at
 * once and never more than Kombo's limit, each stored once; a failed file sent again by a
 * retry (the attached one is not); refusals before anything is sent; cancelling mid-batch
 * (nothing after it is sent, the ones in flight end cancelled or "may have been attached",
 * a retry finishes the batch with each file stored once); force against a journal's
 * "started" line (found: not sent; forced: sent); and the history lines the engine leaves. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "client.h"
#include "clock.h"
#include "filehash.h"
#include "helpers.h"
#include "history.h"
#include "mock.h"
#include "mock_http.h"
#include "sender.h"

#define CAND "4B7z5qJ8dXcR2mTnWvKpLs9a"
#define INTEG "test:sender"
#define NFILES 8

static char *dir;
static char tdir[600];       /* the current test's folder: files, history, the mock's inbox */
static char paths[NFILES][700];
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
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    th_rmtree(dir);
    free(dir);
    return 0;
}

/* Each test: fresh files, history and mock (cfg: its limit and latency). */
static int before(void **state)
{
    (void)state;
    static int run;
    char state_dir[700];
    snprintf(tdir, sizeof tdir, "%s/t%d", dir, run++);
    if (mkdir(tdir, 0700) != 0)
        return -1;
    for (int i = 0; i < NFILES; i++) {
        snprintf(paths[i], sizeof paths[i], "%s/file%d.bin", tdir, i);
        th_write_random(paths[i], 5000 + 1000 * (size_t)i, (unsigned)(i + 100 * run));
    }
    snprintf(state_dir, sizeof state_dir, "%s/state", tdir);
    setenv("XDG_STATE_HOME", state_dir, 1);
    return 0;
}

static int after(void **state)
{
    (void)state;
    client_free(client);
    client = NULL;
    mock_stop(mock);
    mock = NULL;
    return 0;
}

static void start_mock(unsigned limit, unsigned latency_ms)
{
    mock = mh_start((struct mock_config){ .concurrency_limit = limit, .latency_ms = latency_ms },
                    tdir);
}

/* Fresh send options for a test, and the client the UI would make from them. */
static struct ui_options options(bool no_history)
{
    so = (struct send_options){
        .client = {.base_url = mock_base_url(mock), .api_key = "sk_test_sender",
                   .integration_id = INTEG, .max_attempts = 1, .timeout_s = 20},
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

/* Let the sender run until the batch is over (or the deadline passes: a failure); returns
 * the most files it had in flight at once. */
static size_t run(struct sender *s)
{
    size_t most = 0;
    double until = clock_now() + 30;
    while (sender_busy(s) && clock_now() < until) {
        wait_step(s, 50);
        size_t n = sender_in_flight(s);
        most = n > most ? n : most;
    }
    assert_false(sender_busy(s));
    return most;
}

/* The history's lines but the journal's "sent" marks (one per attempt whose whole body went
 * out, so a 429 retried adds one): a started line and an outcome per upload. *sent, when
 * given, gets those marks. */
static size_t history_lines_sent(size_t *sent)
{
    struct history_entry *e;
    size_t n = 0, marks = 0;
    char err[256];
    if (sent)
        *sent = 0;
    if (history_read(1000, &e, &n, NULL, err, sizeof err) != 0)
        return 0; /* no history yet */
    for (size_t i = 0; i < n; i++)
        marks += e[i].outcome && !strcmp(e[i].outcome, HISTORY_SENT);
    history_entries_free(e, n);
    if (sent)
        *sent = marks;
    return n - marks;
}

static size_t history_lines(void)
{
    return history_lines_sent(NULL);
}

static unsigned stat_of(const char *key)
{
    struct mh_resp r = mh_get(mock, "/__mock/stats");
    const cJSON *v = mh_data(&r, key);
    unsigned n = cJSON_IsNumber(v) ? (unsigned)v->valuedouble : 0;
    mh_free(&r);
    return n;
}

static struct batch_spec spec_of(const char **p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        p[i] = paths[i];
    return (struct batch_spec){ .candidate = CAND, .type = ATT_OTHER, .paths = p, .n = n };
}

/* Several at once inside Kombo's limit of 3: never above it, each file stored once, every
 * file attached with its own result kept for the result screen. */
static void test_several_in_flight(void **state)
{
    (void)state;
    start_mock(3, 150);
    struct ui_options o = options(false);
    struct sender s;
    sender_init(&s, &o, client);
    const char *p[NFILES];
    struct batch_spec spec = spec_of(p, NFILES);
    sender_start(&s, &spec);
    assert_true(sender_busy(&s));
    size_t most = run(&s);
    assert_true(most >= 2);                        /* it did go parallel */
    assert_true(most <= 4);                        /* the adaptive cap starts at 4 */
    assert_true(stat_of("peak_in_flight") >= 2);
    assert_true(stat_of("peak_in_flight") <= 3);   /* never above the limit */
    assert_int_equal(batch_ok_count(&s.b), NFILES);
    assert_int_equal(mock_stored_count(mock), NFILES);
    for (size_t i = 0; i < NFILES; i++) {
        const struct batch_file *f = &s.b.files[i];
        assert_int_equal(f->state, BF_DONE);
        assert_non_null(f->result);
        assert_int_equal(f->result->outcome, TRANSFER_OK);
        assert_true(f->wire > f->att.size); /* base64 and JSON */
    }
    const struct bulk_stats *st = sender_stats(&s);
    assert_int_equal(st->done, NFILES);
    assert_true(st->bytes_done == st->bytes_total);
    assert_true(st->cap <= 3);                     /* learnt from Concurrency-Limit */
    /* the engine wrote the history: a started line and an outcome per file, once, and a
     * "sent" mark for each attempt whose whole body went out */
    size_t sent;
    assert_int_equal(history_lines_sent(&sent), 2 * NFILES);
    assert_true(sent >= NFILES);
    sender_free(&s);
}

static void test_batch_then_retry(void **state)
{
    (void)state;
    start_mock(0, 0);
    struct ui_options o = options(false);
    struct sender s;
    sender_init(&s, &o, client);
    const char *p[2];
    struct batch_spec spec = spec_of(p, 2);

    fault(MOCK_FAULT_STATUS, 503, 1); /* one of the two meets a server error */
    sender_start(&s, &spec);
    assert_true(sender_busy(&s));
    assert_int_equal(s.b.files[0].state, BF_RUNNING);
    run(&s);
    size_t bad = batch_verdict(&s.b.files[0]) == BV_FAILED ? 0 : 1;
    assert_int_equal(batch_verdict(&s.b.files[bad]), BV_FAILED);
    assert_int_equal(s.b.files[bad].result->outcome, TRANSFER_SERVER);
    assert_int_equal(s.b.files[bad].result->answer.http_status, 503);
    assert_true(s.b.files[bad].result->retry_helps);
    assert_int_equal(batch_verdict(&s.b.files[1 - bad]), BV_OK);
    assert_int_equal(mock_stored_count(mock), 1);
    assert_int_equal(history_lines(), 4);

    /* only the failed file goes again; the other's result is still there to show */
    unsigned req0 = mock_request_count(mock);
    const struct transfer_result *kept = s.b.files[1 - bad].result;
    assert_true(sender_retry(&s));
    run(&s);
    assert_int_equal(mock_request_count(mock), req0 + 1);
    assert_false(batch_has_failures(&s.b));
    assert_ptr_equal(s.b.files[1 - bad].result, kept);
    assert_int_equal(kept->outcome, TRANSFER_OK);
    assert_int_equal(mock_stored_count(mock), 2);
    assert_int_equal(history_lines(), 6);
    assert_false(sender_retry(&s)); /* nothing left to retry */

    /* The same files again without force: the history says both arrived since (as when it
     * changed after the form's check): already attached, nothing sent. */
    req0 = mock_request_count(mock);
    sender_start(&s, &spec);
    run(&s);
    for (size_t i = 0; i < 2; i++) {
        assert_int_equal(s.b.files[i].state, BF_ALREADY);
        assert_true(batch_file_ok(&s.b.files[i]));
        assert_false(batch_file_retry_helps(&s.b.files[i]));
    }
    assert_int_equal(mock_request_count(mock), req0);

    /* Forced (the user said y to the duplicates); a refusal that would repeat (400) is not
     * sent again by a retry: it needs a change */
    spec.force = true;
    fault(MOCK_FAULT_STATUS, 400, 1);
    sender_start(&s, &spec);
    run(&s);
    assert_int_equal(mock_request_count(mock), req0 + 2);
    bad = batch_verdict(&s.b.files[0]) == BV_FAILED ? 0 : 1;
    assert_int_equal(s.b.files[bad].result->outcome, TRANSFER_REJECTED);
    assert_false(s.b.files[bad].result->retry_helps);
    assert_int_equal(batch_verdict(&s.b.files[1 - bad]), BV_OK);
    assert_int_equal(batch_retry_count(&s.b, NULL), 0);
    assert_false(sender_retry(&s));
    sender_free(&s);
}

static void test_refused_before_sending(void **state)
{
    (void)state;
    start_mock(0, 0);
    struct ui_options o = options(true);
    struct sender s;
    sender_init(&s, &o, client);
    char missing[700];
    snprintf(missing, sizeof missing, "%s/missing.pdf", dir);
    unsigned req0 = mock_request_count(mock);

    /* the candidate ID "." is refused before anything is sent */
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

    /* a missing file is refused, the other goes */
    sender_init(&s, &o, client);
    spec.candidate = CAND;
    sender_start(&s, &spec);
    assert_int_equal(s.b.files[1].state, BF_REFUSED);
    assert_int_equal(s.b.files[0].state, BF_RUNNING);
    run(&s);
    assert_int_equal(batch_verdict(&s.b.files[0]), BV_OK);
    assert_int_equal(batch_verdict(&s.b.files[1]), BV_REFUSED);
    sender_free(&s);

    /* over the size limit */
    so.max_size = 10;
    sender_init(&s, &o, client);
    spec.n = 1;
    req0 = mock_request_count(mock);
    sender_start(&s, &spec);
    assert_false(sender_busy(&s));
    assert_int_equal(s.b.files[0].state, BF_REFUSED);
    assert_int_equal(mock_request_count(mock), req0);
    sender_free(&s);
}

/* Cancelled with two decided: the ones in flight end cancelled or "may have been
 * attached", nothing else is sent; a retry then finishes the batch and the engine's check
 * of what may have arrived keeps every file stored exactly once. */
static void test_cancel_mid_batch(void **state)
{
    (void)state;
    start_mock(2, 300);
    struct ui_options o = options(false);
    struct sender s;
    sender_init(&s, &o, client);
    const char *p[NFILES];
    struct batch_spec spec = spec_of(p, NFILES);
    sender_start(&s, &spec);
    double until = clock_now() + 20;
    while (batch_decided_count(&s.b) < 2 && clock_now() < until)
        wait_step(&s, 50);
    assert_true(batch_decided_count(&s.b) >= 2);
    bool decided[NFILES], flying[NFILES];
    size_t n_decided = 0;
    for (size_t i = 0; i < NFILES; i++) {
        struct sender_live l;
        sender_live(&s, i, &l);
        decided[i] = l.activity == BULK_DECIDED;
        flying[i] = l.activity == BULK_SENDING;
        n_decided += decided[i];
    }
    sender_cancel(&s);
    assert_true(s.b.cancelling);
    unsigned req_at_cancel = mock_request_count(mock);
    run(&s);
    size_t skipped = 0;
    for (size_t i = 0; i < NFILES; i++) {
        enum bf_verdict v = batch_verdict(&s.b.files[i]);
        if (decided[i])
            assert_int_equal(v, BV_OK);
        else if (flying[i])
            assert_true(v == BV_CANCELLED || v == BV_UNKNOWN);
        else
            assert_int_equal(v, BV_SKIPPED);
        skipped += v == BV_SKIPPED;
    }
    assert_true(skipped >= 2);
    /* nothing after the cancel was sent (a 429 held back before it cannot be sent again) */
    struct timespec pause = { 0, 400 * 1000000L };
    nanosleep(&pause, NULL);
    assert_true(mock_request_count(mock) <= req_at_cancel);
    assert_true(mock_stored_count(mock) <= n_decided + 4);
    assert_true(mock_stored_count(mock) >= n_decided);

    /* a retry: the skipped and cancelled are sent; the ones that may have been attached are
     * looked up in the listing first (the journal says "unknown") */
    size_t unknown = 0;
    assert_int_equal(batch_retry_count(&s.b, &unknown), NFILES - n_decided);
    assert_true(sender_retry(&s));
    run(&s);
    assert_int_equal(batch_ok_count(&s.b), NFILES);
    assert_int_equal(mock_stored_count(mock), NFILES); /* each exactly once */
    for (size_t i = 0; i < NFILES; i++)
        if (s.b.files[i].state == BF_FOUND)
            assert_null(s.b.files[i].result);
    sender_free(&s);
}

/* Cancelled while the whole body is out and the answer awaited: it may have been attached. */
static void test_cancel_while_waiting(void **state)
{
    (void)state;
    start_mock(0, 0);
    struct ui_options o = options(true);
    struct sender s;
    sender_init(&s, &o, client);
    const char *p[1];
    struct batch_spec spec = spec_of(p, 1);
    fault(MOCK_FAULT_STALL, 0, 1); /* the file gets no answer */
    sender_start(&s, &spec);
    struct sender_live l = { 0 };
    double until = clock_now() + 10;
    while (clock_now() < until) {
        wait_step(&s, 50);
        sender_live(&s, 0, &l);
        if (l.activity == BULK_SENDING && l.pr.state == TRANSFER_WAITING_ANSWER && l.answer_wait > 0.1)
            break;
    }
    assert_int_equal(l.pr.state, TRANSFER_WAITING_ANSWER);
    assert_int_equal(l.pr.sent, l.pr.total);
    assert_true(l.answer_wait > 0.1);
    sender_cancel(&s);
    assert_true(s.b.cancelling);
    run(&s);
    assert_int_equal(batch_verdict(&s.b.files[0]), BV_UNKNOWN);
    size_t unknown = 0;
    assert_int_equal(batch_retry_count(&s.b, &unknown), 1);
    assert_int_equal(unknown, 1); /* the screen asks before sending it again */
    fault(MOCK_FAULT_NONE, 0, 0);
    assert_true(sender_retry(&s));
    run(&s);
    assert_int_equal(batch_ok_count(&s.b), 1);
    sender_free(&s);
}

/* A started line as an interrupted run leaves it (killed between its first byte and its
 * outcome line). */
static void journal_started(const char *path, const char *sha)
{
    struct attachment att;
    char err[256];
    assert_int_equal(attachment_init(&att, path, NULL, ATT_OTHER, NULL, err, sizeof err), 0);
    char *abs = realpath(path, NULL);
    struct history_entry e = {
        .time = time(NULL), .path = abs, .size = att.size, .sha256 = (char *)sha,
        .candidate = CAND, .type = "OTHER", .name = att.name, .content_type = att.content_type,
        .server = (char *)client_options(client)->label, .integration = INTEG,
        .outcome = HISTORY_STARTED,
    };
    assert_int_equal(history_append(&e, err, sizeof err), 0);
    free(abs);
    attachment_free(&att);
}

/* The journal says an earlier run started file 0 (it did arrive) and file 1 (it did not).
 * Not forced: file 0 is found in the listing and not sent again, file 1 is sent. Forced (the
 * user included duplicates on purpose): sent whatever the journal says. */
static void test_force_and_started_line(void **state)
{
    (void)state;
    start_mock(0, 0);
    struct ui_options o = options(true); /* the earlier run's upload, without its lines */
    struct sender s;
    sender_init(&s, &o, client);
    const char *p[2];
    struct batch_spec spec = spec_of(p, 2);
    spec.n = 1;
    sender_start(&s, &spec);
    run(&s);
    assert_int_equal(batch_ok_count(&s.b), 1);
    assert_int_equal(mock_stored_count(mock), 1);
    sender_free(&s);

    o = options(false);
    char sha[2][65], err[256];
    for (int i = 0; i < 2; i++) {
        assert_int_equal(filehash_file(paths[i], sha[i], err, sizeof err), 0);
        journal_started(paths[i], sha[i]);
    }
    spec.n = 2;
    spec.sha256 = (const char *const[]){ sha[0], NULL }; /* the form knew one hash */
    sender_init(&s, &o, client);
    unsigned req0 = mock_request_count(mock);
    sender_start(&s, &spec);
    run(&s);
    assert_int_equal(s.b.files[0].state, BF_FOUND);
    assert_true(batch_file_ok(&s.b.files[0]));
    assert_null(s.b.files[0].result);
    char words[200];
    batch_file_outcome(&s.b.files[0], words, sizeof words);
    assert_string_equal(words, "already there: an interrupted run sent it");
    assert_int_equal(batch_verdict(&s.b.files[1]), BV_OK);
    assert_int_equal(mock_request_count(mock), req0 + 1); /* file 1 only */
    assert_int_equal(mock_stored_count(mock), 2);
    sender_free(&s);

    /* forced: both go, though the journal now says both arrived */
    spec.force = true;
    sender_init(&s, &o, client);
    sender_start(&s, &spec);
    run(&s);
    assert_int_equal(batch_verdict(&s.b.files[0]), BV_OK);
    assert_int_equal(batch_verdict(&s.b.files[1]), BV_OK);
    assert_int_equal(mock_request_count(mock), req0 + 3);
    assert_int_equal(mock_stored_count(mock), 4);
    sender_free(&s);
}

/* --force from the command line: the form hashed nothing; the sender hashes in slices
 * before the job (never the engine's blocking pass), then sends. */
static void test_hashes_in_steps(void **state)
{
    (void)state;
    start_mock(0, 0);
    th_write_random(paths[1], 9u << 20, 7); /* more than one slice */
    struct ui_options o = options(false);
    so.force = true;
    struct sender s;
    sender_init(&s, &o, client);
    const char *p[2];
    struct batch_spec spec = spec_of(p, 2);
    sender_start(&s, &spec);
    assert_true(sender_busy(&s));
    assert_true(s.hashing);
    struct sender_live l;
    sender_live(&s, 1, &l);
    assert_true(l.hashing);
    assert_int_equal(l.activity, BULK_WAITING);
    /* one slice per step, and each says there is more: the loop does not wait on a key */
    assert_int_equal(sender_step(&s), SENDER_MORE);
    assert_true(s.hashing);
    assert_int_equal(mock_request_count(mock), 0);
    run(&s);
    assert_int_equal(batch_ok_count(&s.b), 2);
    for (size_t i = 0; i < 2; i++) {
        char want[65], err[256];
        assert_int_equal(filehash_file(paths[i], want, err, sizeof err), 0);
        assert_string_equal(s.b.files[i].sha256, want);
    }
    assert_int_equal(history_lines(), 4);
    sender_free(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_several_in_flight, before, after),
        cmocka_unit_test_setup_teardown(test_batch_then_retry, before, after),
        cmocka_unit_test_setup_teardown(test_refused_before_sending, before, after),
        cmocka_unit_test_setup_teardown(test_cancel_mid_batch, before, after),
        cmocka_unit_test_setup_teardown(test_cancel_while_waiting, before, after),
        cmocka_unit_test_setup_teardown(test_force_and_started_line, before, after),
        cmocka_unit_test_setup_teardown(test_hashes_in_steps, before, after),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
