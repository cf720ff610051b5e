/* What went wrong with a transfer, as one line for humans, and whether another attempt is
 * safe. Pure: facts in, text out, so every message is tested from a table. */
#ifndef KA_FAILMSG_H
#define KA_FAILMSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A transfer that ended without an HTTP answer. */
struct fail_facts {
    int curl_code;          /* CURLcode */
    const char *detail;     /* libcurl's error text, already made safe to print */
    long os_errno;          /* CURLINFO_OS_ERRNO, 0 when none */
    bool sends_file;        /* an upload: whether the server got the whole file matters */
    uint64_t sent, total;   /* body bytes sent and the body's length */
    bool connected;         /* the connection was made (CURLINFO_CONNECT_TIME_T > 0) */
    long took_s;            /* this attempt's duration */
    const char *host;       /* "host:port" */
    const char *cacert;     /* --cacert file or NULL */
};

enum fail_verdict {
    FAIL_RETRY,     /* safe to try again at once (after the backoff) */
    FAIL_STOP,      /* another attempt would fail the same way */
    FAIL_UNKNOWN    /* an upload's whole body went out, then the answer never came: the
                       server may have attached the file */
};

/* Network failures are retried as the SDKs do, except when an upload's whole body had been
 * sent and the answer never came: the server may have attached the file, and a blind retry
 * would attach it twice; the message says so instead. A GET is always safe to repeat. */
enum fail_verdict failmsg_network(const struct fail_facts *f, char *out, size_t outlen);

/* What to do after an HTTP error, as a phrase ("check the key; ..."), or NULL: the advice of
 * Kombo's code from the one table (kombo_codes.h), else by status. what names the path's
 * subject for a 404 ("the candidate ID", "the application ID"; NULL: the URL). */
const char *failmsg_hint(long status, const char *code, const char *what);

#endif
