/* Tests for the upload job: URL building and refusals (pure), then real uploads against
 * the in-process mock Kombo server (mock.h): retries, rejections, network failures,
 * cancel, file changes, progress, TLS with an extra CA, and the verbose log's redaction. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "attachment.h"
#include "exitcodes.h"
#include "mock_fixture.h"
#include "client.h"
#include "upload.h"

/* ---- helpers for real uploads ----------------------------------------------------- */

#define KEY "sk_test_secret_key_123456"
#define INTEGRATION "workday:HWUTwvyx2wLoSUHphiWVrp28"



/* One upload on a client of its own: the client's options and the upload's. */
struct req {
    struct client_options c;
    struct upload_request u;
};

static struct req base_req(const char *base, const struct attachment *a)
{
    return (struct req){
        .c = {.base_url = base, .api_key = KEY, .integration_id = INTEGRATION, .max_attempts = 4,
              .timeout_s = 30, .connect_timeout_s = 5},
        .u = {.candidate_id = "4ivCBbPVxhN1J2ydDd8pKs3W", .att = a},
    };
}

struct job {
    struct client *client;
    struct transfer *t;
};

/* Client and upload together; NULL with the message of whichever refused. */
static struct job *job_start(const struct req *r, int *code, char *err, size_t errlen)
{
    struct client *c = client_new(&r->c, code, err, errlen);
    if (!c)
        return NULL;
    struct transfer *t = upload_start(c, &r->u, code, err, errlen);
    if (!t) {
        client_free(c);
        return NULL;
    }
    struct job *j = calloc(1, sizeof *j);
    assert_non_null(j);
    j->client = c;
    j->t = t;
    return j;
}

/* 1 while the upload runs, 0 once it finished. */
static int job_poll(struct job *j, int timeout_ms, int fd, bool *ready)
{
    client_poll(j->client, timeout_ms, fd, ready);
    return !transfer_finished(j->t);
}

static void job_progress(struct job *j, struct transfer_progress *p) { transfer_get_progress(j->t, p); }
static const struct transfer_result *job_result(struct job *j) { return transfer_get_result(j->t); }
static void job_cancel(struct job *j) { transfer_cancel(j->t); }

static void job_free(struct job *j)
{
    if (!j)
        return;
    client_free(j->client); /* frees the transfer too */
    free(j);
}

struct seen {
    uint64_t max_sent, total;
    bool saw_sending, saw_waiting_answer, saw_retry_wait, saw_rate;
    long max_wait_ms;
    int max_attempt;
};

/* Drive the job to its end (bounded, so a hang fails instead of blocking the suite). */
static void run_job(struct job *u, struct seen *s, double limit_s)
{
    struct seen dummy;
    if (!s)
        s = &dummy;
    memset(s, 0, sizeof *s);
    time_t end = time(NULL) + (time_t)limit_s;
    int running = 1;
    while (running) {
        running = job_poll(u, 20, -1, NULL);
        struct transfer_progress p;
        job_progress(u, &p);
        if (p.sent > s->max_sent)
            s->max_sent = p.sent;
        s->total = p.total;
        s->saw_sending |= p.state == TRANSFER_SENDING;
        s->saw_waiting_answer |= p.state == TRANSFER_WAITING_ANSWER;
        s->saw_retry_wait |= p.state == TRANSFER_WAITING_RETRY;
        s->saw_rate |= p.rate > 0;
        if (p.wait_ms > s->max_wait_ms)
            s->max_wait_ms = p.wait_ms;
        if (p.attempt > s->max_attempt)
            s->max_attempt = p.attempt;
        if (time(NULL) > end)
            fail_msg("upload still running after %.0f s", limit_s);
    }
}

/* A mock of the test's own, its inbox in a subfolder: cfg's other fields are kept. */
static struct mock *own_mock(const char *sub, struct mock_config cfg)
{
    char inbox[600], err[256];
    snprintf(inbox, sizeof inbox, "%s/%s", G->dir, sub);
    cfg.inbox = inbox;
    cfg.quiet = true;
    cfg.any_candidate = true;
    struct mock *m = mock_start(&cfg, err, sizeof err);
    if (!m)
        fail_msg("mock_start (%s): %s", sub, err);
    return m;
}

static struct job *start_ok(const struct req *r)
{
    int code = -1;
    char err[512];
    struct job *u = job_start(r, &code, err, sizeof err);
    if (!u)
        fail_msg("upload_start refused: %s", err);
    assert_int_equal(code, KA_EXIT_OK);
    return u;
}

static void assert_no_key(const struct transfer_result *r)
{
    if (strstr(r->message, KEY))
        fail_msg("API key in message: %s", r->message);
    char *sum = answer_summary(&r->answer);
    if (sum && strstr(sum, KEY))
        fail_msg("API key in answer: %s", sum);
    free(sum);
}

/* A loopback TCP listener nobody answers on: to see whether any connection was made. */
static int listen_probe(unsigned short *port)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    assert_true(fd >= 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof sa), 0);
    assert_int_equal(listen(fd, 8), 0);
    socklen_t len = sizeof sa;
    assert_int_equal(getsockname(fd, (struct sockaddr *)&sa, &len), 0);
    *port = ntohs(sa.sin_port);
    return fd;
}

static bool probe_connected(int fd)
{
    int c = accept(fd, NULL, NULL);
    if (c >= 0) {
        close(c);
        return true;
    }
    return false;
}

/* ---- refusals before any traffic --------------------------------------------------- */

struct refuse_case {
    const char *key, *integration, *candidate, *base_suffix, *cacert, *want;
};

static void test_start_refusals(void **state)
{
    (void)state;
    struct attachment a;
    mf_make_att(&a, "small.pdf", 1000);
    unsigned short port;
    int probe = listen_probe(&port);
    char base[128];
    snprintf(base, sizeof base, "http://127.0.0.1:%u/v1", port);

    static const struct refuse_case cases[] = {
        {"", INTEGRATION, "c1", "", NULL, "API key is empty"},
        {KEY "\r\nX-Evil: 1", INTEGRATION, "c1", "", NULL, "control character"},
        {"sk_\xC3\xA9", INTEGRATION, "c1", "", NULL, "non-ASCII"},
        {KEY, "", "c1", "", NULL, "integration ID is empty"},
        {KEY, "wd:\nX", "c1", "", NULL, "integration ID contains a control"},
        {KEY, INTEGRATION, "", "", NULL, "candidate ID is empty"},
        {KEY, INTEGRATION, "..", "", NULL, "\"..\""},
        {KEY, INTEGRATION, ".", "", NULL, "\"..\""},
        {KEY, INTEGRATION, "c1", "?x=1", NULL, "'?'"},
        {KEY, INTEGRATION, "c1", "", "/nonexistent/ca.pem", "cannot read the CA bundle"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const struct refuse_case *c = &cases[i];
        char b[256];
        snprintf(b, sizeof b, "%s%s", base, c->base_suffix);
        struct req r = base_req(b, &a);
        r.c.api_key = c->key;
        r.c.integration_id = c->integration;
        r.u.candidate_id = c->candidate;
        r.c.cacert = c->cacert;
        int code = -1;
        char err[512] = "";
        struct job *u = job_start(&r, &code, err, sizeof err);
        if (u)
            fail_msg("case %zu accepted", i);
        if (code != KA_EXIT_USAGE)
            fail_msg("case %zu: code %d", i, code);
        if (!strstr(err, c->want))
            fail_msg("case %zu: \"%s\" lacks \"%s\"", i, err, c->want);
        if (strstr(err, KEY))
            fail_msg("case %zu: key in message", i);
    }
    usleep(50 * 1000);
    assert_false(probe_connected(probe));

    /* Control: a valid request does reach the listener, so the probe can see traffic. */
    struct req r = base_req(base, &a);
    r.c.timeout_s = 1;
    r.c.max_attempts = 1;
    struct job *u = start_ok(&r);
    bool seen = false;
    for (int i = 0; i < 50 && !seen; i++) {
        job_poll(u, 20, -1, NULL);
        seen = probe_connected(probe);
    }
    job_free(u);
    close(probe);
    assert_true(seen);
    attachment_free(&a);
}

/* ---- uploads against the mock ------------------------------------------------------- */

static void test_success_and_progress(void **state)
{
    (void)state;
    struct attachment a;
    mf_make_att(&a, "cv.pdf", 3 * 1024 * 1024 + 7);
    mf_clear_faults();
    unsigned stored0 = mock_stored_count(G->mock), req0 = mock_request_count(G->mock);
    struct req r = base_req(mock_base_url(G->mock), &a);
    struct job *u = start_ok(&r);
    struct seen s;
    run_job(u, &s, 60);
    const struct transfer_result *res = job_result(u);
    if (res->outcome != TRANSFER_OK)
        fail_msg("outcome %d: %s", res->outcome, res->message);
    assert_int_equal(res->attempts, 1);
    assert_true(res->answer.ok);
    assert_int_equal(res->answer.http_status, 200);
    assert_non_null(strstr(res->message, "attached"));
    assert_int_equal(mock_stored_count(G->mock), stored0 + 1);
    assert_int_equal(mock_request_count(G->mock), req0 + 1);
    /* base64 makes the body about 4/3 of the file; progress reached the very end */
    assert_true(s.total > a.size * 4 / 3);
    assert_int_equal(s.max_sent, s.total);
    struct transfer_progress p;
    job_progress(u, &p);
    assert_int_equal(p.state, TRANSFER_FINISHED);
    assert_int_equal(p.sent, p.total);
    assert_int_equal(p.attempt, 1);
    assert_true(p.elapsed_s > 0);
    assert_null(p.last_problem);
    assert_int_equal(transfer_exit_code(res->outcome), 0);
    job_free(u);

    /* The stored copy is the file, byte for byte. */
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "f=$(find '%s' -name 'cv*.pdf' | head -1) && cmp -s \"$f\" '%s'",
             G->inbox, a.path);
    assert_int_equal(system(cmd), 0);
    attachment_free(&a);
}

static void test_path_encoding_on_the_wire(void **state)
{
    (void)state;
    struct attachment a;
    mf_make_att(&a, "enc.pdf", 100);
    mf_clear_faults();
    struct req r = base_req(mock_base_url(G->mock), &a);
    r.u.candidate_id = "a/b?c#d%e f..\xC3\xA9";
    struct job *u = start_ok(&r);
    run_job(u, NULL, 30);
    char *path = mock_last_raw_path(G->mock);
    assert_non_null(path);
    const char *want = "/ats/candidates/a%2Fb%3Fc%23d%25e%20f..%C3%A9/attachments";
    size_t pl = strlen(path), wl = strlen(want);
    if (pl < wl || strcmp(path + pl - wl, want) != 0)
        fail_msg("raw path %s does not end with %s", path, want);
    free(path);
    job_free(u);
    attachment_free(&a);
}

static void test_retry_then_success(void **state)
{
    (void)state;
    struct attachment a;
    mf_make_att(&a, "retry.pdf", 200 * 1024);
    struct mock_fault f = {.kind = MOCK_FAULT_STATUS, .count = 2, .status = 503,
                           .retry_after_ms = "30"};
    mock_inject(G->mock, &f);
    unsigned stored0 = mock_stored_count(G->mock), req0 = mock_request_count(G->mock);
    struct req r = base_req(mock_base_url(G->mock), &a);
    struct job *u = start_ok(&r);
    struct seen s;
    run_job(u, &s, 60);
    const struct transfer_result *res = job_result(u);
    if (res->outcome != TRANSFER_OK)
        fail_msg("outcome %d: %s", res->outcome, res->message);
    assert_int_equal(res->attempts, 3);
    assert_non_null(strstr(res->message, "after 3 attempts"));
    assert_int_equal(mock_request_count(G->mock), req0 + 3);
    assert_int_equal(mock_stored_count(G->mock), stored0 + 1);
    assert_true(s.saw_retry_wait);
    assert_int_equal(s.max_attempt, 3);
    assert_true(s.max_wait_ms <= 30);
    struct transfer_progress p;
    job_progress(u, &p);
    assert_non_null(p.last_problem);
    assert_non_null(strstr(p.last_problem, "HTTP 503"));
    job_free(u);
    attachment_free(&a);
}

/* The body_out hook (the batch's "sent" journal line): called once per attempt, just
 * before the last body bytes go; a failing hook aborts the attempt, so the server gets a
 * short body and stores nothing. */
struct out_count { int calls; int fail_at; };

static int count_out(void *cls, char *err, size_t errlen)
{
    struct out_count *oc = cls;
    oc->calls++;
    if (oc->fail_at && oc->calls == oc->fail_at) {
        snprintf(err, errlen, "the journal is full");
        return -1;
    }
    return 0;
}

static void test_body_out_hook(void **state)
{
    (void)state;
    struct attachment a;
    mf_make_att(&a, "hook.pdf", 600 * 1024);
    struct mock_fault f = {.kind = MOCK_FAULT_STATUS, .count = 2, .status = 503,
                           .retry_after_ms = "10"};
    mock_inject(G->mock, &f);
    unsigned stored0 = mock_stored_count(G->mock);
    struct out_count oc = {0};
    struct req r = base_req(mock_base_url(G->mock), &a);
    r.u.body_out = count_out;
    r.u.body_out_cls = &oc;
    struct job *u = start_ok(&r);
    run_job(u, NULL, 60);
    assert_int_equal(job_result(u)->outcome, TRANSFER_OK);
    assert_int_equal(job_result(u)->attempts, 3);
    assert_int_equal(oc.calls, 3);            /* one per attempt, each whole body */
    assert_int_equal(mock_stored_count(G->mock), stored0 + 1);
    job_free(u);

    mf_clear_faults();
    oc = (struct out_count){ .fail_at = 1 };
    r = base_req(mock_base_url(G->mock), &a);
    r.u.body_out = count_out;
    r.u.body_out_cls = &oc;
    u = start_ok(&r);
    run_job(u, NULL, 60);
    const struct transfer_result *res = job_result(u);
    assert_int_equal(res->outcome, TRANSFER_FILE);
    assert_non_null(strstr(res->message, "the journal is full"));
    assert_int_equal(oc.calls, 1);
    job_free(u);
    usleep(300 * 1000); /* let the mock notice the short body */
    assert_int_equal(mock_stored_count(G->mock), stored0 + 1);
    attachment_free(&a);
}

/* Retry-After in seconds is honoured: the job waits about that long, as a timer. */
static void test_retry_after_seconds(void **state)
{
    (void)state;
    struct attachment a;
    mf_make_att(&a, "ra.pdf", 1000);
    struct mock_fault f = {.kind = MOCK_FAULT_STATUS, .count = 1, .status = 429, .retry_after = "1"};
    mock_inject(G->mock, &f);
    struct req r = base_req(mock_base_url(G->mock), &a);
    struct job *u = start_ok(&r);
    struct seen s;
    run_job(u, &s, 30);
    const struct transfer_result *res = job_result(u);
    if (res->outcome != TRANSFER_OK)
        fail_msg("outcome %d: %s", res->outcome, res->message);
    assert_int_equal(res->attempts, 2);
    assert_true(s.max_wait_ms > 500 && s.max_wait_ms <= 1000);
    struct transfer_progress p;
    job_progress(u, &p);
    assert_true(p.elapsed_s >= 0.95);
    job_free(u);
    attachment_free(&a);
}

static void test_retries_exhausted(void **state)
{
    (void)state;
    struct attachment a;
    mf_make_att(&a, "exhaust.pdf", 1000);
    struct mock_fault f = {.kind = MOCK_FAULT_STATUS, .count = -1, .status = 503,
                           .retry_after_ms = "5"};
    mock_inject(G->mock, &f);
    unsigned stored0 = mock_stored_count(G->mock), req0 = mock_request_count(G->mock);
    struct req r = base_req(mock_base_url(G->mock), &a);
    r.c.max_attempts = 3;
    struct job *u = start_ok(&r);
    run_job(u, NULL, 30);
    mf_clear_faults();
    const struct transfer_result *res = job_result(u);
    assert_int_equal(res->outcome, TRANSFER_SERVER);
    assert_int_equal(res->attempts, 3);
    assert_int_equal(res->answer.http_status, 503);
    assert_non_null(strstr(res->message, "gave up after 3 attempts"));
    assert_non_null(strstr(res->message, "HTTP 503"));
    assert_int_equal(transfer_exit_code(res->outcome), KA_EXIT_SERVER);
    assert_int_equal(mock_request_count(G->mock), req0 + 3);
    assert_int_equal(mock_stored_count(G->mock), stored0);
    assert_no_key(res);
    job_free(u);
    attachment_free(&a);
}

/* Proxy-style answers: HTML 502s are retried then reported; a 200 with broken JSON is
 * not retried (the file may be attached) and not reported as success. */
static void test_odd_answers(void **state)
{
    (void)state;
    static const struct {
        enum mock_fault_kind kind;
        enum transfer_outcome outcome;
        int attempts;
        const char *want;
    } cases[] = {
        {MOCK_FAULT_HTML, TRANSFER_SERVER, 2, "HTML"},
        {MOCK_FAULT_EMPTY, TRANSFER_SERVER, 2, "empty body"},
        {MOCK_FAULT_BAD_JSON, TRANSFER_UNKNOWN, 1, "may have been attached"},
    };
    struct attachment a;
    mf_make_att(&a, "odd.pdf", 1000);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct mock_fault f = {.kind = cases[i].kind, .count = -1};
        mock_inject(G->mock, &f);
        struct req r = base_req(mock_base_url(G->mock), &a);
        r.c.max_attempts = 2;
        struct job *u = start_ok(&r);
        run_job(u, NULL, 30);
        const struct transfer_result *res = job_result(u);
        if (res->outcome != cases[i].outcome || res->attempts != cases[i].attempts ||
            !strstr(res->message, cases[i].want))
            fail_msg("case %zu: outcome %d after %d attempts: %s", i, res->outcome, res->attempts,
                     res->message);
        assert_false(res->answer.ok);
        job_free(u);
    }
    mf_clear_faults();
    attachment_free(&a);
}

static void test_rejected_without_key(void **state)
{
    (void)state;
    struct mock *m = own_mock("inbox-auth", (struct mock_config){.api_key = "the-right-key"});
    struct attachment a;
    mf_make_att(&a, "auth.pdf", 1000);
    struct req r = base_req(mock_base_url(m), &a);
    struct job *u = start_ok(&r);
    run_job(u, NULL, 30);
    const struct transfer_result *res = job_result(u);
    assert_int_equal(res->outcome, TRANSFER_REJECTED);
    assert_int_equal(res->attempts, 1);
    assert_int_equal(res->answer.http_status, 401);
    assert_int_equal(transfer_exit_code(res->outcome), KA_EXIT_API);
    assert_non_null(strstr(res->message, "HTTP 401"));
    assert_no_key(res);
    assert_int_equal(mock_stored_count(m), 0);
    job_free(u);
    mock_stop(m);
    attachment_free(&a);
}

static void test_connection_refused(void **state)
{
    (void)state;
    unsigned short port;
    int fd = listen_probe(&port);
    close(fd); /* now nothing listens there */
    char base[128];
    snprintf(base, sizeof base, "http://127.0.0.1:%u/v1", port);
    struct attachment a;
    mf_make_att(&a, "refused.pdf", 1000);
    struct req r = base_req(base, &a);
    r.c.max_attempts = 2;
    struct job *u = start_ok(&r);
    struct seen s;
    run_job(u, &s, 30);
    const struct transfer_result *res = job_result(u);
    assert_int_equal(res->outcome, TRANSFER_NETWORK);
    assert_int_equal(res->attempts, 2);
    assert_int_equal(res->answer.http_status, 0);
    assert_int_equal(transfer_exit_code(res->outcome), KA_EXIT_SERVER);
    char want[64];
    snprintf(want, sizeof want, "could not connect to 127.0.0.1:%u", port);
    if (!strstr(res->message, want) || !strstr(res->message, "Connection refused") ||
        !strstr(res->message, "after 2 attempts") || !strstr(res->message, "--base-url"))
        fail_msg("message: %s", res->message);
    assert_true(s.saw_retry_wait);
    job_free(u);
    attachment_free(&a);
}

/* Drive until at least `after` bytes went out (but not all), then act. */
static void run_until_sent(struct job *u, uint64_t after)
{
    time_t end = time(NULL) + 30;
    struct transfer_progress p;
    do {
        assert_int_equal(job_poll(u, 0, -1, NULL), 1);
        job_progress(u, &p);
        if (time(NULL) > end)
            fail_msg("only %llu bytes sent", (unsigned long long)p.sent);
    } while (p.sent < after);
    if (p.sent >= p.total)
        fail_msg("the whole body left before the test could act");
}

static void test_cancel_mid_upload(void **state)
{
    (void)state;
    struct attachment a;
    mf_make_att(&a, "big.pdf", 20 * 1024 * 1024);
    mf_clear_faults();
    unsigned stored0 = mock_stored_count(G->mock);
    struct req r = base_req(mock_base_url(G->mock), &a);
    struct job *u = start_ok(&r);
    run_until_sent(u, 1024 * 1024);
    job_cancel(u);
    struct transfer_progress p;
    job_progress(u, &p);
    uint64_t sent_at_cancel = p.sent;
    assert_int_equal(p.state, TRANSFER_FINISHED);
    assert_int_equal(job_poll(u, 10, -1, NULL), 0);
    const struct transfer_result *res = job_result(u);
    assert_int_equal(res->outcome, TRANSFER_CANCELLED);
    assert_int_equal(transfer_exit_code(res->outcome), KA_EXIT_CANCELLED);
    assert_non_null(strstr(res->message, "cancelled"));
    job_progress(u, &p);
    assert_int_equal(p.sent, sent_at_cancel); /* nothing more went out */
    job_free(u);
    usleep(300 * 1000); /* let the mock notice the closed connection */
    assert_int_equal(mock_stored_count(G->mock), stored0);
    attachment_free(&a);
}

/* The file shrinking while it is sent ends the job as a file problem, and the server
 * never gets a complete body. */
static void test_file_changed_mid_upload(void **state)
{
    (void)state;
    struct attachment a;
    mf_make_att(&a, "shrink.pdf", 20 * 1024 * 1024);
    mf_clear_faults();
    unsigned stored0 = mock_stored_count(G->mock);
    struct req r = base_req(mock_base_url(G->mock), &a);
    struct job *u = start_ok(&r);
    run_until_sent(u, 512 * 1024);
    assert_int_equal(truncate(a.path, 1000), 0);
    run_job(u, NULL, 30);
    const struct transfer_result *res = job_result(u);
    if (res->outcome != TRANSFER_FILE)
        fail_msg("outcome %d: %s", res->outcome, res->message);
    assert_int_equal(transfer_exit_code(res->outcome), KA_EXIT_FILE);
    assert_true(res->message[0] != '\0');
    job_free(u);
    usleep(200 * 1000);
    assert_int_equal(mock_stored_count(G->mock), stored0);
    attachment_free(&a);
}

/* A dropped connection mid-body is retried (the server cannot have the file). The file is
 * far larger than loopback's socket buffers (a few MiB): with a small one, every byte can be
 * written into the buffers before the peer hangs up, and then the client rightly cannot tell
 * that the server did not get the whole body (and does not retry, to avoid a duplicate). */
static void test_drop_is_retried(void **state)
{
    (void)state;
    struct attachment a;
    mf_make_att(&a, "drop.pdf", 24 * 1024 * 1024);
    struct mock_fault f = {.kind = MOCK_FAULT_DROP, .count = 1};
    mock_inject(G->mock, &f);
    unsigned stored0 = mock_stored_count(G->mock);
    struct req r = base_req(mock_base_url(G->mock), &a);
    struct job *u = start_ok(&r);
    run_job(u, NULL, 60);
    const struct transfer_result *res = job_result(u);
    if (res->outcome != TRANSFER_OK || res->attempts != 2)
        fail_msg("outcome %d after %d attempts: %s", res->outcome, res->attempts, res->message);
    assert_int_equal(mock_stored_count(G->mock), stored0 + 1);
    job_free(u);
    mf_clear_faults();
    attachment_free(&a);
}

/* No answer after the whole body: a timeout, not retried (the file may be attached). */
static void test_timeout_waiting_for_answer(void **state)
{
    (void)state;
    struct mock *m = own_mock("inbox-stall", (struct mock_config){0});
    struct mock_fault f = {.kind = MOCK_FAULT_STALL, .count = -1};
    mock_inject(m, &f);
    struct attachment a;
    mf_make_att(&a, "stall.pdf", 1000);
    struct req r = base_req(mock_base_url(m), &a);
    r.c.timeout_s = 1;
    struct job *u = start_ok(&r);
    run_job(u, NULL, 30);
    const struct transfer_result *res = job_result(u);
    assert_int_equal(res->outcome, TRANSFER_UNKNOWN);
    assert_int_equal(res->attempts, 1);
    if (!strstr(res->message, "timed out after 1 s") || !strstr(res->message, "--timeout"))
        fail_msg("message: %s", res->message);
    job_free(u);
    mock_stop(m);
    attachment_free(&a);
}

/* Run the upload with -v, stderr captured into a file of the temp folder; the upload must
 * end with outcome `want`. Returns the log (caller frees), its length in *n. */
static char *verbose_run(struct req *r, const char *file, enum transfer_outcome want, size_t *n)
{
    char logp[600];
    snprintf(logp, sizeof logp, "%s/%s", G->dir, file);
    fflush(stderr);
    int saved = dup(2);
    int fd = open(logp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    assert_true(saved >= 0 && fd >= 0);
    dup2(fd, 2);
    close(fd);
    r->c.verbose = true;
    struct job *u = start_ok(r);
    run_job(u, NULL, 30);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    assert_int_equal(job_result(u)->outcome, want);
    job_free(u);
    char *log = th_slurp(logp, n);
    assert_non_null(log);
    return log;
}

/* --verbose shows the headers with the key redacted, the start of the answer's body, and
 * never the request's body (the file). */
static void test_verbose_redacts(void **state)
{
    (void)state;
    struct attachment a;
    char path[600];
    snprintf(path, sizeof path, "%s/hello.txt", G->dir);
    th_write_text(path, "HELLOHELLOHELLOHELLO");
    char err[256];
    assert_int_equal(attachment_init(&a, path, NULL, ATT_OTHER, "text/plain", err, sizeof err), 0);
    mf_clear_faults();
    struct req r = base_req(mock_base_url(G->mock), &a);
    size_t n;
    char *log = verbose_run(&r, "verbose.log", TRANSFER_OK, &n);
    assert_non_null(log);
    if (!strstr(log, "Authorization: Bearer <redacted>") || !strstr(log, "> POST ") ||
        !strstr(log, "X-Integration-Id: " INTEGRATION) || !strstr(log, "User-Agent: kombo-attach/") ||
        !strstr(log, "< HTTP/1.1 200"))
        fail_msg("log lacks expected lines:\n%s", log);
    if (strstr(log, KEY))
        fail_msg("key in the verbose log");
    if (strstr(log, "SEVMTE9IRUxMT0hFTExP")) /* base64 of the file */
        fail_msg("body data in the verbose log");
    /* the answer's body is shown (it is Kombo's, and capped) */
    if (!strstr(log, "< [body] {\"status\":\"success\""))
        fail_msg("the answer's body is not in the log:\n%s", log);
    free(log);
    attachment_free(&a);
}

/* -v with an 8 MiB answer: the body shown stops at HTTPLOG_BODY_MAX bytes and says so. */
static void test_verbose_answer_capped(void **state)
{
    (void)state;
    struct attachment a;
    mf_make_att(&a, "huge-answer.pdf", 1000);
    struct mock_fault f = {.kind = MOCK_FAULT_HUGE, .count = 1};
    mock_inject(G->mock, &f);
    struct req r = base_req(mock_base_url(G->mock), &a);
    r.c.max_attempts = 1;
    size_t n = 0;
    char *log = verbose_run(&r, "verbose-huge.log", TRANSFER_UNKNOWN, &n);
    assert_non_null(log);
    if (!strstr(log, "< [body] ") || !strstr(log, "the rest of the answer is not shown"))
        fail_msg("no capped body in the log:\n%.2000s", log);
    if (n > 64 * 1024)
        fail_msg("the log holds %zu bytes for an 8 MiB answer", n);
    free(log);
    attachment_free(&a);
}

/* TLS: a self-signed mock is refused with a hint, and trusted once --cacert adds it. */
static void test_tls_cacert(void **state)
{
    (void)state;
    char cert[600], key[600], cmd[2000];
    snprintf(cert, sizeof cert, "%s/cert.pem", G->dir);
    snprintf(key, sizeof key, "%s/key.pem", G->dir);
    snprintf(cmd, sizeof cmd,
             "openssl req -x509 -newkey rsa:2048 -nodes -keyout '%s' -out '%s' -days 2 "
             "-subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 >/dev/null 2>&1",
             key, cert);
    if (system(cmd) != 0)
        skip(); /* no openssl tool: nothing to serve TLS with */
    struct mock *m = own_mock("inbox-tls", (struct mock_config){.tls_cert = cert, .tls_key = key});
    assert_int_equal(strncmp(mock_base_url(m), "https://", 8), 0);
    struct attachment a;
    mf_make_att(&a, "tls.pdf", 5000);

    struct req r = base_req(mock_base_url(m), &a);
    struct job *u = start_ok(&r);
    run_job(u, NULL, 30);
    const struct transfer_result *res = job_result(u);
    if (res->outcome != TRANSFER_NETWORK || res->attempts != 1 || !strstr(res->message, "not trusted") ||
        !strstr(res->message, "--cacert"))
        fail_msg("untrusted: outcome %d after %d: %s", res->outcome, res->attempts, res->message);
    job_free(u);
    assert_int_equal(mock_stored_count(m), 0);

    r.c.cacert = cert;
    u = start_ok(&r);
    run_job(u, NULL, 30);
    res = job_result(u);
    if (res->outcome != TRANSFER_OK)
        fail_msg("with --cacert: %s", res->message);
    assert_int_equal(mock_stored_count(m), 1);
    job_free(u);

    /* a file that holds no certificate is refused up front */
    r.c.cacert = a.path;
    int code = 0;
    char err[256];
    assert_null(job_start(&r, &code, err, sizeof err));
    assert_int_equal(code, KA_EXIT_USAGE);
    assert_non_null(strstr(err, "no PEM certificate"));
    mock_stop(m);
    attachment_free(&a);
}

/* upload_poll wakes for the caller's descriptor (the terminal) both while waiting to
 * retry and while a transfer runs, long before its timeout. */
static void test_extra_fd_wakes(void **state)
{
    (void)state;
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    struct attachment a;
    mf_make_att(&a, "wake.pdf", 1000);

    for (int phase = 0; phase < 2; phase++) {
        struct mock_fault f = phase == 0
            ? (struct mock_fault){.kind = MOCK_FAULT_STATUS, .count = 1, .status = 429, .retry_after = "5"}
            : (struct mock_fault){.kind = MOCK_FAULT_STALL, .count = 1};
        mock_inject(G->mock, &f);
        struct req r = base_req(mock_base_url(G->mock), &a);
        struct job *u = start_ok(&r);
        struct transfer_progress p;
        time_t end = time(NULL) + 10;
        do { /* until waiting to retry (phase 0) or waiting for the answer (phase 1) */
            bool ready = true;
            assert_int_equal(job_poll(u, 20, fds[0], &ready), 1);
            assert_false(ready);
            job_progress(u, &p);
            assert_true(time(NULL) < end);
        } while (p.state != (phase == 0 ? TRANSFER_WAITING_RETRY : TRANSFER_WAITING_ANSWER));
        if (phase == 0)
            assert_true(p.wait_ms > 4000 && p.wait_ms <= 5000);
        assert_int_equal(write(fds[1], "k", 1), 1);
        struct timespec t0, t1;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        bool ready = false;
        assert_int_equal(job_poll(u, 3000, fds[0], &ready), 1);
        clock_gettime(CLOCK_MONOTONIC, &t1);
        assert_true(ready);
        double took = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
        if (took > 0.5)
            fail_msg("phase %d: poll took %.2f s with the descriptor readable", phase, took);
        char c;
        assert_int_equal(read(fds[0], &c, 1), 1);
        job_cancel(u);
        const struct transfer_result *res = job_result(u);
        /* cancelled while the whole body waits for its answer: it may have been attached */
        assert_int_equal(res->outcome, phase == 0 ? TRANSFER_CANCELLED : TRANSFER_UNKNOWN);
        assert_true(res->retry_helps);
        if (phase == 0 && !strstr(res->message, "waiting to retry"))
            fail_msg("message: %s", res->message);
        if (phase == 1 && !strstr(res->message, "may have been attached"))
            fail_msg("message: %s", res->message);
        /* the answer is always the last attempt's: the 429 while waiting, none when stalled */
        assert_int_equal(res->answer.http_status, phase == 0 ? 429 : 0);
        job_free(u);
    }
    mf_clear_faults();
    close(fds[0]);
    close(fds[1]);
    attachment_free(&a);
}

/* Rate and ETA against a peer that accepts the connection but never reads: the rate is
 * positive while the socket buffers fill, then falls to 0 (ETA unknown) once stalled. */
static void test_rate_falls_when_stalled(void **state)
{
    (void)state;
    unsigned short port;
    int probe = listen_probe(&port); /* the kernel completes the handshake; nobody reads */
    char base[128];
    snprintf(base, sizeof base, "http://127.0.0.1:%u/v1", port);
    struct attachment a;
    mf_make_att(&a, "stalled.pdf", 20 * 1024 * 1024);
    struct req r = base_req(base, &a);
    struct job *u = start_ok(&r);
    bool saw_rate = false, saw_eta = false;
    double last_elapsed = -1;
    struct transfer_progress p;
    struct timespec t0, t;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (;;) {
        assert_int_equal(job_poll(u, 50, -1, NULL), 1);
        job_progress(u, &p);
        assert_true(p.elapsed_s >= last_elapsed);
        last_elapsed = p.elapsed_s;
        if (p.rate > 0) {
            saw_rate = true;
            if (p.eta_s >= 0)
                saw_eta = true;
        } else {
            assert_true(p.eta_s < 0);
        }
        clock_gettime(CLOCK_MONOTONIC, &t);
        if (t.tv_sec - t0.tv_sec >= 5)
            break;
    }
    job_progress(u, &p);
    assert_int_equal(p.state, TRANSFER_SENDING);
    assert_true(p.sent > 0 && p.sent < p.total);
    assert_true(saw_rate);
    assert_true(saw_eta);
    if (p.rate != 0)
        fail_msg("rate %.0f B/s after seconds of no progress", p.rate);
    job_cancel(u);
    assert_int_equal(job_result(u)->outcome, TRANSFER_CANCELLED);
    job_free(u);
    close(probe);
    attachment_free(&a);
}

int main(void)
{
    /* One group, so the runner's "[  PASSED  ] N test(s)" line counts them all. */
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_start_refusals),
        cmocka_unit_test(test_success_and_progress),
        cmocka_unit_test(test_path_encoding_on_the_wire),
        cmocka_unit_test(test_retry_then_success),
        cmocka_unit_test(test_body_out_hook),
        cmocka_unit_test(test_retry_after_seconds),
        cmocka_unit_test(test_retries_exhausted),
        cmocka_unit_test(test_odd_answers),
        cmocka_unit_test(test_rejected_without_key),
        cmocka_unit_test(test_connection_refused),
        cmocka_unit_test(test_cancel_mid_upload),
        cmocka_unit_test(test_file_changed_mid_upload),
        cmocka_unit_test(test_drop_is_retried),
        cmocka_unit_test(test_timeout_waiting_for_answer),
        cmocka_unit_test(test_extra_fd_wakes),
        cmocka_unit_test(test_rate_falls_when_stalled),
        cmocka_unit_test(test_verbose_redacts),
        cmocka_unit_test(test_verbose_answer_capped),
        cmocka_unit_test(test_tls_cacert),
    };
    return cmocka_run_group_tests_name("upload", tests, mf_group_setup_any_candidate, mf_group_teardown);
}
