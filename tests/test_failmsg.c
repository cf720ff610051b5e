/* Failure messages (failmsg.c) from a table: each network failure's text and its verdict
 * (retry, stop, or "may have been attached"), for an upload and for a request without a
 * file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <curl/curl.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "helpers.h"
#include "failmsg.h"

#define MiB (1024u * 1024u)

struct row {
    CURLcode rc;
    bool file;              /* an upload */
    uint64_t sent, total;
    bool connected;
    long os_errno;
    const char *detail;
    const char *want;       /* substring of the message */
    enum fail_verdict verdict;
};

static void test_network_table(void **state)
{
    (void)state;
    static const struct row rows[] = {
        {CURLE_COULDNT_CONNECT, true, 0, MiB, false, ECONNREFUSED, "",
         "could not connect to h:1: Connection refused; is the server up?", FAIL_RETRY},
        {CURLE_COULDNT_RESOLVE_HOST, true, 0, MiB, false, 0, "", "could not resolve the host of h:1", FAIL_RETRY},
        {CURLE_COULDNT_RESOLVE_PROXY, false, 0, 0, false, 0, "px", "could not resolve the proxy (px)", FAIL_RETRY},
        {CURLE_OPERATION_TIMEDOUT, true, 0, MiB, false, 0, "", "timed out after 7 s connecting to h:1", FAIL_RETRY},
        {CURLE_OPERATION_TIMEDOUT, true, MiB / 2, MiB, true, 0, "",
         "timed out after 7 s while sending (512 KiB of 1.00 MiB sent)", FAIL_RETRY},
        {CURLE_OPERATION_TIMEDOUT, true, MiB, MiB, true, 0, "",
         "waiting for the server (--timeout); the server received the whole file and may have attached it", FAIL_UNKNOWN},
        {CURLE_OPERATION_TIMEDOUT, false, 0, 0, true, 0, "", "timed out after 7 s waiting for the server (--timeout)", FAIL_RETRY},
        {CURLE_SEND_ERROR, true, 1000, MiB, true, 0, "reset", "connection lost while sending (1000 B of 1.00 MiB sent): reset", FAIL_RETRY},
        {CURLE_RECV_ERROR, true, MiB, MiB, true, 0, "reset", "connection lost while waiting for the answer: reset; the server received the whole file", FAIL_UNKNOWN},
        {CURLE_RECV_ERROR, false, 0, 0, true, 0, "reset", "connection lost while waiting for the answer: reset", FAIL_RETRY},
        {CURLE_GOT_NOTHING, true, MiB, MiB, true, 0, "", "closed the connection without answering (1.00 MiB of 1.00 MiB sent); the server received", FAIL_UNKNOWN},
        {CURLE_GOT_NOTHING, true, 10, MiB, true, 0, "", "closed the connection without answering (10 B of 1.00 MiB sent)", FAIL_RETRY},
        {CURLE_GOT_NOTHING, false, 0, 0, true, 0, "", "the server closed the connection without answering", FAIL_RETRY},
        {CURLE_PARTIAL_FILE, true, MiB, MiB, true, 0, "cut", "the answer was cut off: cut; the server received", FAIL_UNKNOWN},
        {CURLE_PARTIAL_FILE, false, 0, 0, true, 0, "cut", "the answer was cut off: cut", FAIL_RETRY},
        {CURLE_PEER_FAILED_VERIFICATION, true, 0, MiB, true, 0, "no alternative certificate subject name matches",
         "is for another host name", FAIL_STOP},
        {CURLE_PEER_FAILED_VERIFICATION, true, 0, MiB, true, 0, "self-signed", "not trusted (self-signed); if the server uses a private CA, use --cacert FILE", FAIL_STOP},
        {CURLE_SSL_CACERT_BADFILE, true, 0, MiB, false, 0, "bad", "could not load the CA bundle ca.pem (--cacert): bad", FAIL_STOP},
        {CURLE_SSL_CONNECT_ERROR, false, 0, 0, true, 0, "alert", "TLS handshake with h:1 failed: alert", FAIL_RETRY},
        {CURLE_WEIRD_SERVER_REPLY, false, 0, 0, true, 0, "odd", "did not answer in HTTP (odd); check --base-url (http or https?)", FAIL_STOP},
        {CURLE_TOO_MANY_REDIRECTS, false, 0, 0, true, 0, "x", "network error talking to h:1: x (curl error 47)", FAIL_STOP},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        const struct row *r = &rows[i];
        struct fail_facts f = {
            .curl_code = (int)r->rc, .detail = r->detail, .os_errno = r->os_errno,
            .sends_file = r->file, .sent = r->sent, .total = r->total, .connected = r->connected,
            .took_s = 7, .host = "h:1", .cacert = "ca.pem",
        };
        char out[1024];
        enum fail_verdict v = failmsg_network(&f, out, sizeof out);
        if (!strstr(out, r->want))
            fail_msg("row %zu: \"%s\" lacks \"%s\"", i, out, r->want);
        if (v != r->verdict)
            fail_msg("row %zu: verdict %d, want %d (%s)", i, v, r->verdict, out);
        /* A request without a file never talks of one. */
        if (!r->file && strstr(out, "file"))
            fail_msg("row %zu: a request without a file mentions one: %s", i, out);
    }
}

static void test_status_hints(void **state)
{
    (void)state;
    static const struct { long status; const char *code, *what, *want; } rows[] = {
        {401, NULL, NULL, "check the API key; EU keys"},
        {401, "PLATFORM.AUTHENTICATION_INVALID", NULL, "check the key; EU keys need `--server eu`"},
        {404, "PLATFORM.INTEGRATION_NOT_FOUND", "the candidate ID", "check `--integration-id`"},
        {404, NULL, "the candidate ID", "check the candidate ID, the integration ID and the base URL"},
        {404, NULL, "the application ID", "check the application ID"},
        {404, NULL, NULL, "check the integration ID and the base URL"},
        {413, NULL, NULL, "too large"},
        {400, "PLATFORM.INPUT_INVALID", NULL, "fix what the message says"},
        {400, "SOMETHING.NEW", NULL, ""},
        {503, "REMOTE.SERVICE_UNAVAILABLE", NULL, "retried when 5xx/429"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        const char *h = failmsg_hint(rows[i].status, rows[i].code, rows[i].what);
        if (rows[i].want[0] ? !h || !strstr(h, rows[i].want) : h != NULL)
            fail_msg("row %zu: \"%s\", want \"%s\"", i, h, rows[i].want);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_network_table),
        cmocka_unit_test(test_status_hints),
    };
    return cmocka_run_group_tests_name("failmsg", tests, NULL, NULL);
}
