/* Fault tests: the real kombo-attach binary (path in $KA_BIN) against the in-process mock
 * (and small local peers set up here) when the network, the server's answers, TLS, the
 * files or the input go wrong. Each case checks the exit code, that the message names the
 * problem, and that nothing reached (or was stored by) the server when it must not have.
 * The API key is looked for in every output. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <cjson/cJSON.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <sys/socket.h>
#include <time.h>


#include "cli_fixture.h"

/* A mock of our own (own inbox under g_work), e.g. with TLS or one accepted key. */
static struct mock *extra_mock(const char *sub, const char *api_key, const char *cert,
                               const char *key, char *url_env, size_t url_env_len)
{
    char inbox[4096], err[256];
    snprintf(inbox, sizeof inbox, "%s/%s", g_work, sub);
    struct mock_config cfg = { .inbox = inbox, .api_key = api_key, .tls_cert = cert,
                               .tls_key = key, .quiet = true };
    struct mock *m = mock_start(&cfg, err, sizeof err);
    if (!m)
        fail_msg("mock_start(%s): %s", sub, err);
    snprintf(url_env, url_env_len, "KOMBO_BASE_URL=%s", mock_base_url(m));
    return m;
}

/* ---- a minimal HTTP peer answering every request with one canned answer ------------- */

struct canned {
    int fd;
    unsigned short port;
    volatile int stop;
    int served;
    int status;
    const char *content_type;  /* NULL: no Content-Type header */
    const char *body;
    pthread_t thread;
};

static void canned_serve_one(struct canned *c, int cfd)
{
    /* Read the headers, then Content-Length bytes of body (drained), then answer. */
    char buf[65536];
    size_t have = 0;
    long long cl = -1, body_seen = 0;
    char *hdr_end = NULL;
    struct pollfd pfd = { .fd = cfd, .events = POLLIN };
    while (!c->stop && poll(&pfd, 1, 5000) > 0) {
        ssize_t k = read(cfd, hdr_end ? buf : buf + have, hdr_end ? sizeof buf : sizeof buf - 1 - have);
        if (k <= 0)
            break;
        if (!hdr_end) {
            have += (size_t)k;
            buf[have] = '\0';
            hdr_end = strstr(buf, "\r\n\r\n");
            if (hdr_end) {
                for (char *l = buf; l && l < hdr_end; l = strstr(l, "\r\n") ? strstr(l, "\r\n") + 2 : NULL)
                    if (strncasecmp(l, "Content-Length:", 15) == 0)
                        cl = atoll(l + 15);
                body_seen = (long long)(buf + have - (hdr_end + 4));
            } else if (have >= sizeof buf - 1) {
                break;
            }
        } else {
            body_seen += k;
        }
        if (hdr_end && (cl < 0 || body_seen >= cl))
            break;
    }
    size_t blen = strlen(c->body);
    /* content_type may carry more header lines (a test's oversized header) */
    char *head = xasprintf("HTTP/1.1 %d Whatever\r\n%s%s%sContent-Length: %zu\r\n"
                           "Connection: close\r\n\r\n", c->status,
                           c->content_type ? "Content-Type: " : "", c->content_type ? c->content_type : "",
                           c->content_type ? "\r\n" : "", blen);
    if (write(cfd, head, strlen(head)) < 0 || write(cfd, c->body, blen) < 0)
        perror("canned write");
    free(head);
    shutdown(cfd, SHUT_WR);
    c->served++;
}

static void *canned_thread(void *arg)
{
    struct canned *c = arg;
    struct pollfd pfd = { .fd = c->fd, .events = POLLIN };
    while (!c->stop) {
        if (poll(&pfd, 1, 100) <= 0)
            continue;
        int cfd = accept(c->fd, NULL, NULL);
        if (cfd < 0)
            continue;
        canned_serve_one(c, cfd);
        close(cfd);
    }
    return NULL;
}

static int listen_loopback(unsigned short *port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    socklen_t al = sizeof a;
    if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) != 0 || listen(fd, 8) != 0 ||
        getsockname(fd, (struct sockaddr *)&a, &al) != 0) {
        if (fd >= 0)
            close(fd);
        return -1;
    }
    *port = ntohs(a.sin_port);
    return fd;
}

static void canned_start(struct canned *c, int status, const char *ct, const char *body)
{
    memset(c, 0, sizeof *c);
    c->status = status;
    c->content_type = ct;
    c->body = body;
    c->fd = listen_loopback(&c->port);
    assert_true(c->fd >= 0);
    assert_int_equal(pthread_create(&c->thread, NULL, canned_thread, c), 0);
}

static void canned_stop(struct canned *c)
{
    c->stop = 1;
    pthread_join(c->thread, NULL);
    close(c->fd);
}

/* ---- libcurl GET against a mock, for what it stored ----------------------------------- */

struct buf { char *p; size_t n; };
static size_t buf_write(char *d, size_t s, size_t n, void *u)
{
    struct buf *b = u;
    char *np = realloc(b->p, b->n + s * n + 1);
    if (!np)
        return 0;
    memcpy(np + b->n, d, s * n);
    b->p = np;
    b->n += s * n;
    b->p[b->n] = '\0';
    return s * n;
}

static cJSON *mock_get_json(const char *url)
{
    CURL *e = curl_easy_init();
    struct buf b = { 0 };
    struct curl_slist *h = curl_slist_append(NULL, "Authorization: Bearer " KEY);
    h = curl_slist_append(h, "X-Integration-Id: " INTEGRATION);
    curl_easy_setopt(e, CURLOPT_URL, url);
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, buf_write);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, &b);
    CURLcode rc = curl_easy_perform(e);
    curl_slist_free_all(h);
    curl_easy_cleanup(e);
    if (rc != CURLE_OK)
        fail_msg("GET %s: %s", url, curl_easy_strerror(rc));
    cJSON *j = cJSON_Parse(b.p ? b.p : "");
    if (!j)
        fail_msg("GET %s: not JSON: %s", url, b.p ? b.p : "");
    free(b.p);
    return j;
}

/* ======================================================================= network faults */

/* The server takes the whole body and never answers: --timeout ends the attempt, and with
 * the body complete it is not retried (it may have been attached). */
static void test_stall_times_out(void **state)
{
    (void)state;
    th_write_text(work_file("stall.txt"), "nobody answers");
    struct mock_fault f = { .kind = MOCK_FAULT_STALL, .count = 1 };
    mock_inject(g_mock, &f);
    unsigned stored0 = mock_stored_count(g_mock), req0 = mock_request_count(g_mock);
    double dt;
    struct run_result r = ka_run_timed(&dt, "--timeout", "2", "--retries", "0", "--candidate",
                                       CANDIDATE, work_file("stall.txt"), NULL);
    fprintf(stderr, "stall: exit %d after %.2f s\n", r.status, dt);
    assert_int_equal(r.status, 8); /* the whole body was sent: it may have been attached */
    assert_said(r, "maybe ");
    if (dt < 1.8 || dt > 4.5)
        fail_msg("--timeout 2 took %.2f s", dt);
    assert_said(r, "timed out");
    assert_said(r, "--timeout");
    assert_int_equal(mock_request_count(g_mock) - req0, 1);
    assert_int_equal(mock_stored_count(g_mock), stored0);
    th_run_free(&r);
}

/* A port nobody listens on (bound, then closed): refused, named, retried once. */
static void test_connection_refused(void **state)
{
    (void)state;
    unsigned short port;
    int fd = listen_loopback(&port);
    assert_true(fd >= 0);
    close(fd);
    char url[128], addr[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%u/v1", port);
    snprintf(addr, sizeof addr, "127.0.0.1:%u", port);
    th_write_text(work_file("refused.txt"), "no one home");

    double dt0, dt1;
    struct run_result r = ka_run_timed(&dt0, "--base-url", url, "--retries", "0", "--candidate",
                                       CANDIDATE, work_file("refused.txt"), NULL);
    assert_int_equal(r.status, 5);
    assert_said(r, addr);
    assert_said(r, "could not connect");
    th_run_free(&r);

    r = ka_run_timed(&dt1, "--json", "--base-url", url, "--retries", "1", "--candidate",
                     CANDIDATE, work_file("refused.txt"), NULL);
    fprintf(stderr, "refused: --retries 0 %.2f s, --retries 1 %.2f s\n", dt0, dt1);
    assert_int_equal(r.status, 5);
    cJSON *j = cJSON_Parse(r.out);
    if (!j)
        fail_msg("not JSON: %s", r.out);
    assert_int_equal(cJSON_GetObjectItem(j, "attempts")->valueint, 2);
    const char *msg = cJSON_GetObjectItem(cJSON_GetObjectItem(j, "error"), "message")->valuestring;
    assert_non_null(strstr(msg, addr));
    cJSON_Delete(j);
    /* backoff before attempt 2: 500 ms x [0.5, 1) */
    if (dt1 < 0.25 || dt1 - dt0 < 0.2)
        fail_msg("two attempts without a backoff: %.2f s vs %.2f s", dt1, dt0);
    if (dt1 > 5)
        fail_msg("refused connection took %.2f s", dt1);
    th_run_free(&r);
}

/* .invalid never resolves (RFC 6761). On this machine the resolver answers in ~40 ms;
 * --connect-timeout 5 bounds it anyway should a resolver hang. */
static void test_dns_unresolvable(void **state)
{
    (void)state;
    th_write_text(work_file("dns.txt"), "where to");
    double dt;
    struct run_result r = ka_run_timed(&dt, "--base-url", "https://does-not-exist.invalid/v1",
                                       "--connect-timeout", "5", "--retries", "0", "--candidate",
                                       CANDIDATE, work_file("dns.txt"), NULL);
    fprintf(stderr, "dns: exit %d after %.2f s\n", r.status, dt);
    assert_int_equal(r.status, 5);
    assert_said(r, "could not resolve");
    assert_said(r, "does-not-exist.invalid");
    if (dt > 7)
        fail_msg("an unresolvable name took %.2f s", dt);
    th_run_free(&r);
}

/* ======================================================================= bad answers */

static void test_bad_answers(void **state)
{
    (void)state;
    th_write_text(work_file("answers.txt"), "what will they say");
    static const struct {
        enum mock_fault_kind kind;
        const char *name;
        unsigned requests;       /* attempts the mock sees with --retries 1 */
        const char *says[3];
    } rows[] = {
        { MOCK_FAULT_HTML, "html", 2, { "gave up after 2 attempts", "HTML", "502 Bad Gateway" } },
        { MOCK_FAULT_EMPTY, "empty", 2, { "gave up after 2 attempts", "HTTP 500", "empty body" } },
        { MOCK_FAULT_BAD_JSON, "bad_json", 1, { "HTTP 200", "invalid or truncated JSON", "may have been attached" } },
        /* 8 MiB of valid JSON: kept up to 256 KiB, so memory stays flat. The message says
         * "invalid or truncated JSON (262144 bytes)" — see the report: it should say the
         * answer was too large; only the stable parts are checked. */
        { MOCK_FAULT_HUGE, "huge", 1, { "HTTP 200", "far larger than Kombo's", "may have been attached" } },
    };
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        struct mock_fault f = { .kind = rows[i].kind, .count = -1 };
        mock_inject(g_mock, &f);
        unsigned req0 = mock_request_count(g_mock), stored0 = mock_stored_count(g_mock);
        double dt;
        struct run_result r = ka_run_timed(&dt, "--retries", "1", "--candidate", CANDIDATE,
                                           work_file("answers.txt"), NULL);
        fprintf(stderr, "answer %s: exit %d, %.2f s, peak %ld KiB: %s", rows[i].name, r.status, dt,
                r.maxrss_kib, r.out);
        /* a 5xx is a server error (5); an unreadable 200 may have attached it (8) */
        int want = rows[i].kind == MOCK_FAULT_BAD_JSON || rows[i].kind == MOCK_FAULT_HUGE ? 8 : 5;
        if (r.status != want)
            fail_msg("%s: exit %d, want %d\n%s%s", rows[i].name, r.status, want, r.out, r.err);
        for (int k = 0; k < 3 && rows[i].says[k]; k++)
            if (!said(&r, rows[i].says[k]))
                fail_msg("%s: expected \"%s\":\n%s%s", rows[i].name, rows[i].says[k], r.out, r.err);
        unsigned seen = mock_request_count(g_mock) - req0;
        if (seen != rows[i].requests)
            fail_msg("%s: %u requests, want %u", rows[i].name, seen, rows[i].requests);
        assert_int_equal(mock_stored_count(g_mock), stored0);
        if (rows[i].kind == MOCK_FAULT_HUGE && !g_sanitized && r.maxrss_kib >= 40 * 1024)
            fail_msg("huge answer: peak memory %ld KiB", r.maxrss_kib);
        th_run_free(&r);
    }
}

/* The key goes only where it should: plain http:// to another machine is refused unless
 * --allow-plain-http (0.0.0.0 is not loopback by the rule, and nothing is sent either way
 * when refused); a key longer than any real one is refused before any traffic. */
static void test_key_guards(void **state)
{
    (void)state;
    th_write_text(work_file("guard.txt"), "guard");
    unsigned req0 = mock_request_count(g_mock);
    struct run_result r = ka_run("--base-url", "http://0.0.0.0:9/v1", "--candidate", CANDIDATE,
                                 work_file("guard.txt"), NULL);
    assert_int_equal(r.status, 2);
    assert_said(r, "unencrypted");
    assert_said(r, "--allow-plain-http");
    th_run_free(&r);
    /* loopback is fine as plain http: the mock itself */
    r = ka_run("--candidate", CANDIDATE, work_file("guard.txt"), NULL);
    assert_int_equal(r.status, 0);
    th_run_free(&r);

    char longkey[700] = "KOMBO_API_KEY=";
    memset(longkey + 14, 'k', 600);
    longkey[614] = '\0';
    const char *env[] = { longkey, NULL };
    r = ka_run_env(env, "--force", "--candidate", CANDIDATE, work_file("guard.txt"), NULL);
    assert_int_equal(r.status, 2);
    assert_said(r, "longer than any real one");
    th_run_free(&r);
    assert_int_equal(mock_request_count(g_mock) - req0, 1);
}

/* An answer header larger than libcurl takes (100 KiB) is reported as such, not as the
 * program running out of memory. */
static void test_header_too_large(void **state)
{
    (void)state;
    th_write_text(work_file("hdr.txt"), "header");
    size_t n = 200 * 1024;
    char *ct = malloc(n + 64);
    assert_non_null(ct);
    int o = snprintf(ct, 64, "application/json\r\nX-Huge: ");
    memset(ct + o, 'h', n);
    ct[o + n] = '\0';
    struct canned c;
    canned_start(&c, 200, ct, "{\"status\":\"success\",\"data\":{}}");
    char url[128];
    snprintf(url, sizeof url, "http://127.0.0.1:%u/v1", c.port);
    struct run_result r = ka_run("--base-url", url, "--retries", "0", "--candidate", CANDIDATE,
                                 work_file("hdr.txt"), NULL);
    canned_stop(&c);
    free(ct);
    if (r.status == 7 || said(&r, "out of memory"))
        fail_msg("called out of memory: exit %d\n%s%s", r.status, r.out, r.err);
    assert_said(r, "header");
    assert_said(r, "too large");
    th_run_free(&r);
}

/* A peer whose plain-text error quotes the key right where the tool cuts server text to a
 * snippet: redaction happens first, so not even the key's start ("sk_test_f...") is shown or
 * written to the history. */
static void test_key_split_by_cut(void **state)
{
    (void)state;
    th_write_text(work_file("cut.txt"), "cut");
    static char body[400];
    memset(body, 'x', 110);
    snprintf(body + 110, sizeof body - 110, " %s trailing words of the proxy", KEY);
    struct canned c;
    canned_start(&c, 400, "text/plain", body);
    char url[128];
    snprintf(url, sizeof url, "http://127.0.0.1:%u/v1", c.port);
    struct run_result r = ka_run("--base-url", url, "--retries", "0", "--candidate", CANDIDATE,
                                 work_file("cut.txt"), NULL);
    canned_stop(&c);
    assert_int_equal(r.status, 4);
    if (strstr(r.out, "sk_test_f") || strstr(r.err, "sk_test_f"))
        fail_msg("the key's start got through:\n%s%s", r.out, r.err);
    th_run_free(&r);
    char hist[600];
    snprintf(hist, sizeof hist, "%s/state/kombo-attach/history.jsonl", g_work);
    char *text = th_slurp(hist, NULL);
    assert_non_null(text);
    if (strstr(text, "sk_test_f"))
        fail_msg("the key's start is in the history: %s", text);
    free(text);
}

/* Answers of the wrong shape from a peer of our own. */
static void test_wrong_shape_answers(void **state)
{
    (void)state;
    th_write_text(work_file("shape.txt"), "shape of things");
    static const struct {
        int status;
        const char *ct, *body;
        int code;
        const char *says[2];
    } rows[] = {
        /* a 4xx whose JSON is not Kombo's error shape: a rejection, status shown */
        { 400, "application/json", "{\"foo\":1}", 4, { "HTTP 400", NULL } },
        { 404, "application/json", "[1,2,3]", 4, { "HTTP 404", NULL } },
        { 401, "text/plain", "nope", 4, { "HTTP 401", "nope" } },
        /* a 200 that is not Kombo's success shape: not called a success */
        { 200, "application/json", "{\"foo\":1}", 8, { "HTTP 200", "may have been attached" } },
        /* "status":"error" under a 200 is taken as Kombo's refusal: exit 4, never "ok" */
        { 200, "application/json", "{\"status\":\"error\"}", 4, { "HTTP 200", "error" } },
        { 200, "application/json", "42", 8, { "HTTP 200", NULL } },
    };
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        struct canned c;
        canned_start(&c, rows[i].status, rows[i].ct, rows[i].body);
        char url[128];
        snprintf(url, sizeof url, "http://127.0.0.1:%u/v1", c.port);
        struct run_result r = ka_run("--base-url", url, "--retries", "0", "--candidate", CANDIDATE,
                                     work_file("shape.txt"), NULL);
        canned_stop(&c);
        fprintf(stderr, "shape %d %s: exit %d: %s", rows[i].status, rows[i].body, r.status, r.out);
        if (r.status != rows[i].code)
            fail_msg("row %zu (%d %s): exit %d, want %d\n%s%s", i, rows[i].status, rows[i].body,
                     r.status, rows[i].code, r.out, r.err);
        /* the attachment restrictions' lookup (which never blocks), then the upload */
        assert_int_equal(c.served, 2);
        for (int k = 0; k < 2 && rows[i].says[k]; k++)
            if (!said(&r, rows[i].says[k]))
                fail_msg("row %zu: expected \"%s\":\n%s%s", i, rows[i].says[k], r.out, r.err);
        assert_false(said(&r, "ok  "));
        th_run_free(&r);
    }
}

/* ======================================================================= TLS */

static int sh(const char *cmd)
{
    int rc = system(cmd);
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

static void test_tls(void **state)
{
    (void)state;
    if (sh("command -v openssl >/dev/null 2>&1") != 0) {
        fprintf(stderr, "NOTE: no openssl tool: TLS test skipped\n");
        skip();
    }
    char d[4096], cmd[16384];
    snprintf(d, sizeof d, "%s/tls", g_work);
    mkdir(d, 0700);
    snprintf(cmd, sizeof cmd,
             "cd '%s' && exec >openssl.log 2>&1 && "
             "openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 "
             "  -subj '/CN=kombo-attach test CA' -addext 'basicConstraints=critical,CA:TRUE' "
             "  -addext 'keyUsage=critical,keyCertSign,cRLSign' && "
             "for n in good wrong; do "
             "  if [ $n = good ]; then cn=127.0.0.1; san='IP:127.0.0.1,DNS:localhost'; "
             "  else cn=wrong.example; san='DNS:wrong.example'; fi; "
             "  openssl req -newkey rsa:2048 -nodes -keyout $n.key -out $n.csr -subj \"/CN=$cn\" && "
             "  printf 'subjectAltName=%%s\\nbasicConstraints=CA:FALSE\\nextendedKeyUsage=serverAuth\\n' "
             "    \"$san\" >$n.ext && "
             "  openssl x509 -req -in $n.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out $n.pem "
             "    -days 2 -extfile $n.ext || exit 1; "
             "done", d);
    if (sh(cmd) != 0) {
        snprintf(cmd, sizeof cmd, "cat '%s/openssl.log' >&2", d);
        sh(cmd);
        fail_msg("could not make the test certificates");
    }
    char good_pem[4200], good_key[4200], wrong_pem[4200], wrong_key[4200], ca[4200];
    snprintf(good_pem, sizeof good_pem, "%s/good.pem", d);
    snprintf(good_key, sizeof good_key, "%s/good.key", d);
    snprintf(wrong_pem, sizeof wrong_pem, "%s/wrong.pem", d);
    snprintf(wrong_key, sizeof wrong_key, "%s/wrong.key", d);
    snprintf(ca, sizeof ca, "%s/ca.pem", d);
    char url_good[300], url_wrong[300];
    struct mock *mg = extra_mock("inbox-tls", NULL, good_pem, good_key, url_good, sizeof url_good);
    struct mock *mw = extra_mock("inbox-tls-wrong", NULL, wrong_pem, wrong_key, url_wrong, sizeof url_wrong);
    assert_non_null(strstr(url_good, "https://127.0.0.1:"));
    th_write_random(work_file("tls.pdf"), 70000, 9);
    const char *eg[] = { url_good, NULL }, *ew[] = { url_wrong, NULL };

    /* private CA, not trusted by default: refused, not retried, hint names --cacert */
    struct run_result r = ka_run_env(eg, "--json", "--candidate", CANDIDATE, work_file("tls.pdf"), NULL);
    fprintf(stderr, "tls untrusted: exit %d: %s", r.status, r.out);
    assert_int_equal(r.status, 5);
    assert_said(r, "not trusted");
    assert_said(r, "--cacert");
    assert_said(r, "\"attempts\":1");
    assert_int_equal(mock_request_count(mg), 0);
    th_run_free(&r);

    /* with --cacert: stored byte for byte */
    r = ka_run_env(eg, "--cacert", ca, "--candidate", CANDIDATE, work_file("tls.pdf"), NULL);
    if (r.status != 0)
        fail_msg("with --cacert: exit %d\n%s%s", r.status, r.out, r.err);
    assert_int_equal(mock_stored_count(mg), 1);
    char stored[4200];
    snprintf(stored, sizeof stored, "%s/inbox-tls/%s/%s/tls.pdf", g_work, INTEGRATION, CANDIDATE);
    if (th_files_equal(stored, work_file("tls.pdf")) != 0) {
        /* the inbox may make the integration's ':' safe: look for it */
        snprintf(cmd, sizeof cmd, "cmp -s \"$(find '%s/inbox-tls' -name tls.pdf | head -1)\" '%s'",
                 g_work, work_file("tls.pdf"));
        assert_int_equal(sh(cmd), 0);
    }
    th_run_free(&r);

    /* a certificate from the trusted CA but for another name: refused even with --cacert */
    r = ka_run_env(ew, "--cacert", ca, "--candidate", CANDIDATE, work_file("tls.pdf"), NULL);
    fprintf(stderr, "tls wrong name: exit %d: %s", r.status, r.out);
    assert_int_equal(r.status, 5);
    assert_said(r, "another host name");
    assert_said(r, "--base-url");
    assert_false(said(&r, "use --cacert")); /* trusting more CAs cannot fix a wrong name */
    assert_int_equal(mock_stored_count(mw), 0);
    assert_int_equal(mock_request_count(mw), 0);
    th_run_free(&r);

    /* the wrong-name server without --cacert: refused too */
    r = ka_run_env(ew, "--candidate", CANDIDATE, work_file("tls.pdf"), NULL);
    assert_int_equal(r.status, 5);
    assert_said(r, "not trusted");
    assert_int_equal(mock_stored_count(mw), 0);
    th_run_free(&r);
    mock_stop(mg);
    mock_stop(mw);
}

/* ======================================================================= bad files */

static void test_bad_files(void **state)
{
    (void)state;
    char fifo[4200], dir[4200], loop_a[4200], loop_b[4200], empty[4200], dangling[4200];
    snprintf(fifo, sizeof fifo, "%s", work_file("pipe.fifo"));
    snprintf(dir, sizeof dir, "%s", work_file("a-folder.pdf"));
    snprintf(loop_a, sizeof loop_a, "%s", work_file("loop-a.pdf"));
    snprintf(loop_b, sizeof loop_b, "%s", work_file("loop-b.pdf"));
    snprintf(empty, sizeof empty, "%s", work_file("empty.pdf"));
    snprintf(dangling, sizeof dangling, "%s", work_file("dangling.pdf"));
    unlink(fifo);
    assert_int_equal(mkfifo(fifo, 0600), 0);
    mkdir(dir, 0700);
    unlink(loop_a);
    unlink(loop_b);
    assert_int_equal(symlink(loop_b, loop_a), 0);
    assert_int_equal(symlink(loop_a, loop_b), 0);
    th_write_text(empty, "");
    unlink(dangling);
    assert_int_equal(symlink("/nonexistent/target.pdf", dangling), 0);
    const struct { const char *file, *says; } rows[] = {
        { "/nonexistent/missing.pdf", "no such file" },
        { dangling, "symbolic link to a missing file" },
        { dir, "is a folder" },
        { fifo, "named pipe" },
        { "/dev/null", "is a device" },
        { "/dev/zero", "is a device" },
        { loop_a, "symlink loop" },
        { empty, "is empty" },
    };
    unsigned req0 = mock_request_count(g_mock);
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        struct run_result r = ka_run("--candidate", CANDIDATE, "--content-type", "application/pdf",
                                     rows[i].file, NULL);
        if (r.status != 3 || !said(&r, rows[i].says))
            fail_msg("%s: exit %d (want 3, \"%s\")\n%s%s", rows[i].file, r.status, rows[i].says,
                     r.out, r.err);
        th_run_free(&r);
    }
    assert_int_equal(mock_request_count(g_mock), req0);
}

/* Unreadable: root reads anything, so the binary runs as nobody (setpriv). */
static void test_unreadable_file(void **state)
{
    (void)state;
    if (geteuid() != 0 && access("/usr/bin/setpriv", X_OK) != 0) {
        fprintf(stderr, "NOTE: not root: unreadable file tested as this user\n");
    }
    char d[4200], f[4300], cfg[4400], st[4400];
    snprintf(d, sizeof d, "%s/nobody", g_work);
    mkdir(d, 0755);
    chmod(g_work, 0755);   /* mkdtemp made it 0700: let nobody walk through */
    snprintf(f, sizeof f, "%s/secret.pdf", d);
    th_write_text(f, "%PDF-1.4 not for you");
    chmod(f, 0000);
    snprintf(cfg, sizeof cfg, "XDG_CONFIG_HOME=%s/cfg", d);
    snprintf(st, sizeof st, "XDG_STATE_HOME=%s/state", d);
    const char *env[] = { cfg, st, NULL };
    const char *as_nobody[] = { "/usr/bin/setpriv", "--reuid=65534", "--regid=65534",
                                "--clear-groups", NULL };
    bool root = geteuid() == 0;
    if (root && access("/usr/bin/setpriv", X_OK) != 0) {
        fprintf(stderr, "NOTE: running as root without setpriv: unreadable file not testable\n");
        chmod(g_work, 0700);
        skip();
    }
    unsigned req0 = mock_request_count(g_mock);
    struct run_result r = ka_run_full(root ? as_nobody : NULL, env, NULL, "--no-history",
                                      "--candidate", CANDIDATE, f, NULL);
    chmod(g_work, 0700);
    if (r.status != 3 || !said(&r, "permission denied"))
        fail_msg("unreadable: exit %d (want 3, \"permission denied\")\n%s%s", r.status, r.out, r.err);
    assert_int_equal(mock_request_count(g_mock), req0);
    th_run_free(&r);
}

/* ======================================================================= bad input */

static void test_candidate_ids_encoded(void **state)
{
    (void)state;
    th_write_text(work_file("enc.txt"), "encoded");
    static const struct { const char *id, *raw; } rows[] = {
        { "a/b", "a%2Fb" },
        { "../admin", "..%2Fadmin" },
        { "..x", "..x" },
        { "a?b=c", "a%3Fb%3Dc" },
        { "a#frag", "a%23frag" },
        { "50%", "50%25" },
        { "%2e%2e", "%252e%252e" },
        { "a b", "a%20b" },
        { " lead", "lead" },          /* white space around a pasted ID is not part of it */
        { "\tlead\r\n", "lead" },
        { "\xC3\xA9t\xC3\xA9", "%C3%A9t%C3%A9" },
        { "\xE6\x97\xA5\xE6\x9C\xAC", "%E6%97%A5%E6%9C%AC" },
        { "a\\b", "a%5Cb" },
        { "a+b&c;d", "a%2Bb%26c%3Bd" },
    };
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        unsigned req0 = mock_request_count(g_mock);
        struct run_result r = ka_run("-q", "--force", "--candidate", rows[i].id, work_file("enc.txt"), NULL);
        if (r.status != 0)
            fail_msg("id \"%s\": exit %d\n%s%s", rows[i].id, r.status, r.out, r.err);
        assert_int_equal(mock_request_count(g_mock) - req0, 1);
        char *raw = mock_last_raw_path(g_mock), want[256];
        snprintf(want, sizeof want, "/v1/ats/candidates/%s/attachments", rows[i].raw);
        if (!raw || strcmp(raw, want) != 0)
            fail_msg("id \"%s\": raw path %s, want %s", rows[i].id, raw ? raw : "(none)", want);
        free(raw);
        th_run_free(&r);
    }
}

/* Control characters in headers' values (key, integration ID) and in the JSON's name and
 * content type are refused before any traffic. */
static void test_control_chars_refused(void **state)
{
    (void)state;
    th_write_text(work_file("ctl.txt"), "control");
    char kf_tab[4200], kf_nul[4200];
    snprintf(kf_tab, sizeof kf_tab, "%s", work_file("key-tab"));
    snprintf(kf_nul, sizeof kf_nul, "%s", work_file("key-esc"));
    th_write_text(kf_tab, "sk_left\tsk_right\n");
    th_write_text(kf_nul, "sk_left\x1bsk_right\n");
    chmod(kf_tab, 0600);
    chmod(kf_nul, 0600);
    static const char *const bad_values[] = { "x\ry", "x\ny", "x\r\nX-Evil: 1", "x\ty", "x\x01y",
                                              "x\x1b[2Jy", "x\x7fy", "x\xC2\x85y" };
    const size_t nb = sizeof bad_values / sizeof *bad_values;
    unsigned req0 = mock_request_count(g_mock);
    int checked = 0;
    for (size_t i = 0; i < nb; i++) {
        char key_env[128], integ_env[128], integ[128];
        snprintf(key_env, sizeof key_env, "KOMBO_API_KEY=sk_%s", bad_values[i]);
        snprintf(integ_env, sizeof integ_env, "KOMBO_INTEGRATION_ID=personio:%s", bad_values[i]);
        snprintf(integ, sizeof integ, "personio:%s", bad_values[i]);
        const char *ek[] = { key_env, NULL }, *ei[] = { integ_env, NULL };
        char name[128], ct[128];
        snprintf(name, sizeof name, "cv%s.pdf", bad_values[i]);
        snprintf(ct, sizeof ct, "text/plain%s", bad_values[i]);
        struct run_result rs[5];
        rs[0] = ka_run_env(ek, "--candidate", CANDIDATE, work_file("ctl.txt"), NULL);
        rs[1] = ka_run_env(ei, "--candidate", CANDIDATE, work_file("ctl.txt"), NULL);
        rs[2] = ka_run("--integration-id", integ, "--candidate", CANDIDATE, work_file("ctl.txt"), NULL);
        rs[3] = ka_run("--name", name, "--candidate", CANDIDATE, work_file("ctl.txt"), NULL);
        rs[4] = ka_run("--content-type", ct, "--candidate", CANDIDATE, work_file("ctl.txt"), NULL);
        static const char *const what[] = { "key (env)", "integration ID (env)",
                                            "--integration-id", "--name", "--content-type" };
        for (int k = 0; k < 5; k++) {
            if (rs[k].status != 2 || strlen(rs[k].out) + strlen(rs[k].err) == 0)
                fail_msg("%s with bad value #%zu: exit %d, want 2 and a message\n%s%s", what[k], i,
                         rs[k].status, rs[k].out, rs[k].err);
            th_run_free(&rs[k]);
            checked++;
        }
    }
    /* the key from --api-key-file: a TAB or ESC inside its first line */
    const char *files[] = { kf_tab, kf_nul };
    for (size_t i = 0; i < 2; i++) {
        const char *unset[] = { "KOMBO_API_KEY", NULL };
        struct run_result r = ka_run_env(unset, "--api-key-file", files[i], "--candidate",
                                         CANDIDATE, work_file("ctl.txt"), NULL);
        if (r.status != 2)
            fail_msg("--api-key-file #%zu: exit %d, want 2\n%s%s", i, r.status, r.out, r.err);
        assert_null(strstr(r.out, "sk_left"));
        assert_null(strstr(r.err, "sk_left"));
        th_run_free(&r);
        checked++;
    }
    fprintf(stderr, "control characters: %d refusals checked\n", checked);
    assert_int_equal(mock_request_count(g_mock), req0);
}

/* A name with quotes and backslashes reaches Kombo exactly (JSON escaping right). */
static void test_name_quotes_backslashes(void **state)
{
    (void)state;
    th_write_text(work_file("q.txt"), "quoted");
    static const char *const names[] = { "he said \"hi\" \\ back\\\\slash.txt",
                                         "\\\"}],\"type\":\"OTHER.txt", "it's \\u0041 \xC3\xA9.txt" };
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        const char cand[] = "Qx7ZpL2mNcR8vT4kWs9bHd3F";
        /* the same content each time, under another name: --force past the duplicate check */
        struct run_result r = ka_run("--json", "--force", "--name", names[i], "--candidate", cand,
                                     work_file("q.txt"), NULL);
        if (r.status != 0)
            fail_msg("name %s: exit %d\n%s%s", names[i], r.status, r.out, r.err);
        cJSON *j = cJSON_Parse(r.out);
        assert_non_null(j);
        assert_string_equal(cJSON_GetObjectItem(j, "name")->valuestring, names[i]);
        cJSON_Delete(j);
        th_run_free(&r);
        /* what the mock recorded, newest last */
        char url[512];
        snprintf(url, sizeof url, "%s/ats/candidates/%s/attachments", mock_base_url(g_mock), cand);
        cJSON *list = mock_get_json(url);
        cJSON *res = cJSON_GetObjectItem(cJSON_GetObjectItem(list, "data"), "results");
        int n = cJSON_GetArraySize(res);
        assert_true(n >= 1);
        cJSON *last = cJSON_GetArrayItem(res, n - 1);
        assert_string_equal(cJSON_GetObjectItem(last, "file_name")->valuestring, names[i]);
        assert_string_equal(cJSON_GetObjectItem(last, "type")->valuestring, "CV");
        cJSON_Delete(list);
    }
}

/* ======================================================================= the key */

static void check_text_no_key(const char *where, const char *text)
{
    const char *p = key_piece_in(text);
    if (p)
        fail_msg("%s: the API key (\"%s\") appears:\n%s", where, p, text);
}

static void test_key_never_appears(void **state)
{
    (void)state;
    th_write_random(work_file("k.pdf"), 30000, 4);
    int runs = 0;
    /* a mock that accepts exactly KEY: success proves the key was really read and sent */
    char url_strict[300];
    struct mock *ms = extra_mock("inbox-strict", KEY, NULL, NULL, url_strict, sizeof url_strict);
    const char *es[] = { url_strict, NULL };

    struct run_result r = ka_run_env(es, "--force", "--candidate", CANDIDATE, work_file("k.pdf"), NULL);
    assert_int_equal(r.status, 0);
    th_run_free(&r); runs++;
    r = ka_run_env(es, "--dry-run", "--candidate", CANDIDATE, work_file("k.pdf"), NULL);
    assert_int_equal(r.status, 0);
    assert_said(r, "Bearer <redacted>");
    th_run_free(&r); runs++;
    r = ka_run_env(es, "--show-config", NULL);
    assert_int_equal(r.status, 0);
    assert_said(r, "api_key");
    th_run_free(&r); runs++;
    r = ka_run_env(es, "--force", "-v", "--candidate", CANDIDATE, work_file("k.pdf"), NULL);
    assert_int_equal(r.status, 0);
    assert_said(r, "Authorization: Bearer <redacted>");   /* the exchange really was shown */
    th_run_free(&r); runs++;
    r = ka_run_env(es, "--json", "-v", "--dry-run", "--candidate", CANDIDATE, work_file("k.pdf"), NULL);
    th_run_free(&r); runs++;

    /* the key from a 0600 config file, then from api_key_command */
    char cfgdir[4200], cfg[4300], keyfile[4300], cfg_env[4400], text[9000];
    snprintf(cfgdir, sizeof cfgdir, "%s/keycfg", g_work);
    mkdir(cfgdir, 0700);
    snprintf(cfg, sizeof cfg, "%s/config", cfgdir);
    snprintf(keyfile, sizeof keyfile, "%s/the-key", cfgdir);
    snprintf(cfg_env, sizeof cfg_env, "KOMBO_CONFIG=%s", cfg);
    th_write_text(keyfile, KEY "\n");
    chmod(keyfile, 0600);
    const char *ec[] = { url_strict, cfg_env, "KOMBO_API_KEY", NULL };
    for (int variant = 0; variant < 2; variant++) {
        if (variant == 0)
            snprintf(text, sizeof text, "api_key = %s\nintegration_id = %s\n", KEY, INTEGRATION);
        else
            snprintf(text, sizeof text, "api_key_command = cat '%s'\nintegration_id = %s\n",
                     keyfile, INTEGRATION);
        th_write_text(cfg, text);
        chmod(cfg, 0600);
        r = ka_run_env(ec, "--show-config", NULL);
        assert_int_equal(r.status, 0);
        assert_said(r, cfg);           /* the file really was the source */
        th_run_free(&r); runs++;
        r = ka_run_env(ec, "--dry-run", "--candidate", CANDIDATE, work_file("k.pdf"), NULL);
        assert_int_equal(r.status, 0);
        th_run_free(&r); runs++;
        r = ka_run_env(ec, "--force", "-v", "--candidate", CANDIDATE, work_file("k.pdf"), NULL);
        if (r.status != 0)
            fail_msg("key from config (variant %d): exit %d\n%s%s", variant, r.status, r.out, r.err);
        th_run_free(&r); runs++;
    }
    /* a failing api_key_command that printed the key before failing: its output is never
     * shown. (The command's own stderr is inherited on purpose, for password managers'
     * prompts, so this command prints to stdout only.) */
    snprintf(text, sizeof text, "api_key_command = cat '%s'; echo oops; exit 3\n", keyfile);
    th_write_text(cfg, text);
    r = ka_run_env(ec, "--candidate", CANDIDATE, work_file("k.pdf"), NULL);
    assert_int_equal(r.status, 6);
    th_run_free(&r); runs++;
    mock_stop(ms);

    /* a mock that accepts another key: 401, shown in full, still no key */
    char url_other[300];
    struct mock *mo = extra_mock("inbox-other", "sk_some_other_key_000000", NULL, NULL, url_other,
                                 sizeof url_other);
    const char *eo[] = { url_other, NULL };
    r = ka_run_env(eo, "-v", "--candidate", CANDIDATE, work_file("k.pdf"), NULL);
    assert_int_equal(r.status, 4);
    assert_said(r, "PLATFORM.AUTHENTICATION_INVALID");
    th_run_free(&r); runs++;
    r = ka_run_env(eo, "--json", "--candidate", CANDIDATE, work_file("k.pdf"), NULL);
    assert_int_equal(r.status, 4);
    th_run_free(&r); runs++;
    mock_stop(mo);

    /* the history of all of the above */
    char hist[4300];
    snprintf(hist, sizeof hist, "%s/state/kombo-attach/history.jsonl", g_work);
    char *h = th_slurp(hist, NULL);
    assert_non_null(h);
    assert_non_null(strstr(h, "k.pdf"));
    check_text_no_key("history.jsonl", h);
    free(h);
    r = ka_run("history", "--json", "-n", "1000", NULL);
    assert_int_equal(r.status, 0);
    th_run_free(&r); runs++;

    /* a crash mid-upload (SIGSEGV from outside while the mock reads slowly) */
    th_write_random(work_file("crash.pdf"), 1 << 20, 5);
    struct mock_fault f = { .kind = MOCK_FAULT_SLOW, .count = 1, .rate = 200 * 1024 };
    mock_inject(g_mock, &f);
    unsigned req0 = mock_request_count(g_mock), stored0 = mock_stored_count(g_mock);
    char *argv[] = { getenv("KA_BIN"), "-v", "--candidate", CANDIDATE, work_file("crash.pdf"), NULL };
    const char *env[32];
    std_env(env, NULL);
    struct th_proc p;
    assert_int_equal(th_spawn(argv, env, &p), 0);
    double t0 = now_s();
    while (mock_request_count(g_mock) == req0 && now_s() - t0 < 10)
        usleep(5000);
    usleep(600 * 1000);   /* well inside the ~7 s upload */
    /* holding the key, it writes no core file */
    char limits_path[64];
    snprintf(limits_path, sizeof limits_path, "/proc/%d/limits", (int)p.pid);
    char *limits = th_slurp(limits_path, NULL);
    assert_non_null(limits);
    char *core = strstr(limits, "Max core file size");
    assert_non_null(core);
    unsigned long soft = 99, hard = 99;
    assert_int_equal(sscanf(core + strlen("Max core file size"), " %lu %lu", &soft, &hard), 2);
    assert_int_equal(soft, 0);
    assert_int_equal(hard, 0);
    free(limits);
    assert_int_equal(kill(p.pid, SIGSEGV), 0);
    r = th_wait(&p, 10);
    fprintf(stderr, "crash: status %d after %.2f s, stderr %zu bytes\n", r.status, now_s() - t0,
            strlen(r.err));
    /* ASan catches the SIGSEGV itself, prints its report (checked too) and aborts */
    assert_no_key("crash", &r);
    if (r.status != 128 + SIGSEGV && !(g_sanitized && r.status == 128 + SIGABRT))
        fail_msg("crash: status %d\n%s", r.status, r.err);
    assert_true(strstr(r.err, "Authorization: Bearer <redacted>") != NULL);
    usleep(200 * 1000);
    assert_int_equal(mock_stored_count(g_mock), stored0);
    th_run_free(&r); runs++;
    fprintf(stderr, "key: %d runs + history file checked\n", runs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_stall_times_out, before),
        cmocka_unit_test_setup(test_connection_refused, before),
        cmocka_unit_test_setup(test_dns_unresolvable, before),
        cmocka_unit_test_setup(test_bad_answers, before),
        cmocka_unit_test_setup(test_wrong_shape_answers, before),
        cmocka_unit_test_setup(test_key_split_by_cut, before),
        cmocka_unit_test_setup(test_key_guards, before),
        cmocka_unit_test_setup(test_header_too_large, before),
        cmocka_unit_test_setup(test_tls, before),
        cmocka_unit_test_setup(test_bad_files, before),
        cmocka_unit_test_setup(test_unreadable_file, before),
        cmocka_unit_test_setup(test_candidate_ids_encoded, before),
        cmocka_unit_test_setup(test_control_chars_refused, before),
        cmocka_unit_test_setup(test_name_quotes_backslashes, before),
        cmocka_unit_test_setup(test_key_never_appears, before),
    };
    curl_global_init(CURL_GLOBAL_DEFAULT);
    int rc = cmocka_run_group_tests_name("faults", tests, setup, teardown);
    curl_global_cleanup();
    return rc;
}
