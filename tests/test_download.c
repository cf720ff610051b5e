/* download.c and the pager's guards against a tiny local HTTP server (libmicrohttpd) that
 * records which headers it saw: a download never carries the key or the integration ID,
 * follows no redirect, is hashed while it streams and stops at its cap; the pager stops on
 * a repeating cursor, on too many pages and on an answer over 10 MiB. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <microhttpd.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"
#include "download.h"
#include "exitcodes.h"
#include "helpers.h"
#include "hex.h"
#include "pager.h"
#include "transfer.h"

#define KEY "sk_test_download_key_0123456789"
#define INTEGRATION "workday:HWUTwvyx2wLoSUHphiWVrp28"
#define FILE_SIZE 300001

static struct MHD_Daemon *D;
static unsigned short port;
static int saw_auth, saw_integration, requests;
static unsigned char file_bytes[FILE_SIZE];

static enum MHD_Result reply(struct MHD_Connection *c, unsigned status, const char *ct,
                             void *body, size_t len, enum MHD_ResponseMemoryMode mode,
                             const char *location)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(len, body, mode);
    if (ct)
        MHD_add_response_header(r, "Content-Type", ct);
    if (location)
        MHD_add_response_header(r, "Location", location);
    enum MHD_Result ret = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    return ret;
}

static enum MHD_Result page(struct MHD_Connection *c, const char *next)
{
    char *body = NULL;
    if (asprintf(&body, "{\"status\":\"success\",\"data\":{\"next\":%s%s%s,\"results\":"
                 "[{\"id\":\"C%s\"}]}}", next ? "\"" : "", next ? next : "null",
                 next ? "\"" : "", next ? next : "end") < 0)
        return MHD_NO;
    return reply(c, 200, "application/json", body, strlen(body), MHD_RESPMEM_MUST_FREE, NULL);
}

static enum MHD_Result handler(void *cls, struct MHD_Connection *c, const char *url,
                               const char *method, const char *version, const char *upload,
                               size_t *upload_len, void **con_cls)
{
    (void)cls, (void)method, (void)version, (void)upload, (void)upload_len, (void)con_cls;
    __atomic_add_fetch(&requests, 1, __ATOMIC_SEQ_CST);
    if (MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Authorization"))
        __atomic_store_n(&saw_auth, 1, __ATOMIC_SEQ_CST);
    if (MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Integration-Id"))
        __atomic_store_n(&saw_integration, 1, __ATOMIC_SEQ_CST);
    const char *cursor = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "cursor");
    if (!strcmp(url, "/file"))
        return reply(c, 200, "application/pdf", file_bytes, FILE_SIZE, MHD_RESPMEM_PERSISTENT, NULL);
    if (!strcmp(url, "/redirect"))
        return reply(c, 302, "text/plain", (void *)"", 0, MHD_RESPMEM_PERSISTENT,
                     "http://elsewhere.example/file");
    if (!strcmp(url, "/forbidden"))
        return reply(c, 403, "application/xml", (void *)"<Error>AccessDenied</Error>", 27,
                     MHD_RESPMEM_PERSISTENT, NULL);
    if (!strcmp(url, "/loop/ats/candidates"))   /* page 1 → A, A → B, B → A again */
        return page(c, !cursor ? "A" : !strcmp(cursor, "A") ? "B" : "A");
    if (!strcmp(url, "/endless/ats/candidates")) {
        char next[32];
        snprintf(next, sizeof next, "%d", cursor ? atoi(cursor) + 1 : 1);
        return page(c, next);
    }
    if (!strcmp(url, "/two/ats/candidates"))
        return page(c, cursor ? NULL : "p2");
    if (!strcmp(url, "/huge/ats/candidates")) {
        size_t n = 11u * 1024 * 1024;
        char *body = malloc(n);
        if (!body)
            return MHD_NO;
        memset(body, ' ', n);
        static const char head[] = "{\"status\":\"success\",\"data\":{\"next\":null,\"results\":[]}}";
        memcpy(body, head, sizeof head - 1);
        return reply(c, 200, "application/json", body, n, MHD_RESPMEM_MUST_FREE, NULL);
    }
    return reply(c, 404, "text/plain", (void *)"no", 2, MHD_RESPMEM_PERSISTENT, NULL);
}

static int group_setup(void **state)
{
    (void)state;
    unsetenv("http_proxy");
    unsetenv("ALL_PROXY");
    unsetenv("all_proxy");
    for (size_t i = 0; i < FILE_SIZE; i++)
        file_bytes[i] = (unsigned char)(i * 2654435761u >> 13);
    D = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD, 0, NULL, NULL, handler, NULL,
                         MHD_OPTION_END);
    if (!D)
        return -1;
    port = MHD_get_daemon_info(D, MHD_DAEMON_INFO_BIND_PORT)->port;
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    MHD_stop_daemon(D);
    return 0;
}

static struct client *new_client(const char *mode)
{
    char base[128];
    snprintf(base, sizeof base, "http://127.0.0.1:%u/%s", port, mode);
    return th_client(base, KEY, INTEGRATION, 1);
}

static int count_pages(void *data, struct cand_page *page, size_t index)
{
    (void)index;
    (void)page;
    (*(size_t *)data)++;
    return 0;
}

static struct transfer *download(struct client *c, const char *path, uint64_t max)
{
    char url[256];
    snprintf(url, sizeof url, "http://127.0.0.1:%u%s", port, path);
    struct download_request r = {.url = url, .max_bytes = max};
    int code;
    char err[512];
    struct transfer *t = download_start(c, &r, &code, err, sizeof err);
    if (!t)
        fail_msg("download_start: %s", err);
    while (!transfer_finished(t))
        client_poll(c, 100, -1, NULL);
    return t;
}

static void test_download_ok(void **state)
{
    (void)state;
    struct client *c = new_client("v1");
    saw_auth = saw_integration = 0;
    struct transfer *t = download(c, "/file", 0);
    const struct transfer_result *r = transfer_get_result(t);
    if (r->outcome != TRANSFER_OK)
        fail_msg("%s", r->message);
    struct download_info d;
    assert_true(download_get_info(t, &d));
    assert_true(d.complete);
    assert_int_equal(d.bytes, FILE_SIZE);
    assert_string_equal(d.content_type, "application/pdf");
    assert_int_equal(d.http_status, 200);
    unsigned char md[32];
    char hex[65];
    EVP_Digest(file_bytes, FILE_SIZE, md, NULL, EVP_sha256(), NULL);
    hex_encode(md, 32, hex);
    assert_string_equal(d.sha256, hex);
    /* The key and the integration never reached the other host. */
    assert_true(__atomic_load_n(&requests, __ATOMIC_SEQ_CST) > 0);
    assert_int_equal(__atomic_load_n(&saw_auth, __ATOMIC_SEQ_CST), 0);
    assert_int_equal(__atomic_load_n(&saw_integration, __ATOMIC_SEQ_CST), 0);
    transfer_free(t);

    /* while a Kombo request does send them (so the check above can fail) */
    struct client *k = new_client("two");
    struct pager_options o = {.filter = {.page_size = 1}, .prefetch = true};
    size_t pages = 0;
    struct pager_error e;
    assert_int_equal(pager_run(k, &o, count_pages, &pages, &e), 0);
    assert_int_equal(pages, 2);
    assert_int_equal(__atomic_load_n(&saw_auth, __ATOMIC_SEQ_CST), 1);
    assert_int_equal(__atomic_load_n(&saw_integration, __ATOMIC_SEQ_CST), 1);
    client_free(k);
    client_free(c);
}

static void test_download_refusals(void **state)
{
    (void)state;
    struct client *c = new_client("v1");
    struct transfer *t = download(c, "/redirect", 0);
    const struct transfer_result *r = transfer_get_result(t);
    assert_int_equal(r->outcome, TRANSFER_SERVER);
    assert_non_null(strstr(r->message, "redirected (HTTP 302) to http://elsewhere.example/file: "
                                       "not followed"));
    struct download_info d;
    assert_true(download_get_info(t, &d));
    assert_false(d.complete);
    assert_string_equal(d.sha256, "");
    transfer_free(t);

    t = download(c, "/forbidden", 0);
    r = transfer_get_result(t);
    assert_int_equal(r->outcome, TRANSFER_REJECTED);
    assert_non_null(strstr(r->message, "the server refused the download (HTTP 403)"));
    if (!strstr(r->message, "HTTP 403 with an HTML body"))
        fail_msg("%s", r->message);
    transfer_free(t);

    t = download(c, "/file", 1000);
    r = transfer_get_result(t);
    assert_int_equal(r->outcome, TRANSFER_FILE);
    assert_non_null(strstr(r->message, "larger than 1000 B"));
    assert_true(download_get_info(t, &d));
    assert_false(d.complete);
    assert_true(d.bytes <= 1000);
    transfer_free(t);

    static const struct { const char *url; bool plain; const char *msg; } bad[] = {
        {"http://example.com/x", false, "plain http:// to another machine"},
        {"ftp://example.com/x", true, "neither https:// nor http://"},
        {"https://user:pw@example.com/x", false, "user name or password"},
        {"/relative", false, "not an absolute URL"},
        {"", false, "no URL"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const char *m = download_check_url(bad[i].url, bad[i].plain);
        if (!m || !strstr(m, bad[i].msg))
            fail_msg("%s: %s", bad[i].url, m ? m : "(accepted)");
    }
    assert_null(download_check_url("https://bucket.s3.amazonaws.com/a?X-Amz-Signature=1", false));
    assert_null(download_check_url("http://example.com/x", true));
    assert_null(download_check_url("http://localhost:8080/x", false));
    int code;
    char err[256];
    struct download_request req = {.url = "http://example.com/x"};
    assert_null(download_start(c, &req, &code, err, sizeof err));
    assert_int_equal(code, KA_EXIT_USAGE);
    client_free(c);
}

static void test_pager_guards(void **state)
{
    (void)state;
    struct pager_error e;
    size_t pages = 0;
    /* a cursor that comes back */
    struct client *c = new_client("loop");
    struct pager_options o = {.filter = {.page_size = 10}};
    assert_int_equal(pager_run(c, &o, count_pages, &pages, &e), -1);
    assert_int_equal(pages, 3);
    assert_int_equal(e.page, 4);
    assert_string_equal(e.message, "page 4: Kombo sent the cursor of page 2 again after page 3: "
                                   "stopped, as the pages would go round in circles");
    client_free(c);

    /* too many pages */
    c = new_client("endless");
    pages = 0;
    o.max_pages = 5;
    o.prefetch = true;
    assert_int_equal(pager_run(c, &o, count_pages, &pages, &e), -1);
    assert_int_equal(pages, 5);
    assert_non_null(strstr(e.message, "page 6: stopped after 5 pages"));
    client_free(c);

    /* an answer over 10 MiB */
    c = new_client("huge");
    pages = 0;
    assert_int_equal(pager_run(c, &o, count_pages, &pages, &e), -1);
    assert_int_equal(pages, 0);
    assert_int_equal(e.outcome, TRANSFER_SERVER);
    assert_false(e.retry_helps);
    if (!strstr(e.message, "page 1: ") || !strstr(e.message, "11.0 MiB") ||
        !strstr(e.message, "ask for fewer per page"))
        fail_msg("%s", e.message);
    client_free(c);

    /* the non-blocking side: cancel mid-way */
    c = new_client("endless");
    int code;
    char err[256];
    struct pager *p = pager_start(c, &o, &code, err, sizeof err);
    assert_non_null(p);
    struct cand_page pg;
    while (pager_next(p, &pg) == PAGER_WAIT)
        client_poll(c, 100, -1, NULL);
    assert_int_equal(pg.n, 1);
    assert_string_equal(pg.next, "1");
    cand_page_free(&pg);
    assert_int_equal(pager_pages(p), 1);
    assert_null(pager_error(p));
    pager_cancel(p);
    assert_int_equal(pager_next(p, &pg), PAGER_ERROR);
    assert_int_equal(pager_error(p)->outcome, TRANSFER_CANCELLED);
    pager_free(p);
    assert_int_equal(client_pending(c), 0);
    client_free(c);
}

static int stop_at_two(void *data, struct cand_page *page, size_t index)
{
    (void)page;
    (void)data;
    return index == 2;
}

static void test_pager_callback_stops(void **state)
{
    (void)state;
    struct client *c = new_client("endless");
    struct pager_options o = {.filter = {.page_size = 1}, .prefetch = true};
    struct pager_error e;
    assert_int_equal(pager_run(c, &o, stop_at_two, NULL, &e), 1);
    client_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_download_ok),
        cmocka_unit_test(test_download_refusals),
        cmocka_unit_test(test_pager_guards),
        cmocka_unit_test(test_pager_callback_stops),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
