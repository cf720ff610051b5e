/* A download as a transfer on the client (client.h): GET an attachment's data_url and
 * stream it into a SHA-256 and a byte count, never holding it whole (for --verify:
 * compare with a file's SHA-256, filehash.h). Progress, cancel, result and free are the
 * transfer's (transfer.h); retries, timeouts and TLS are the client's.
 *
 * The key never goes to another host: a download sends NO Authorization and NO
 * X-Integration-Id header, follows no redirect (a 3xx is an error naming the Location),
 * and takes https:// only, or http:// to loopback, or any http:// when the client's
 * allow_plain_http is set. It does not count against Kombo's concurrency limit.
 *
 * Outcomes: TRANSFER_OK for a 2xx with the whole body read; TRANSFER_REJECTED for another
 * 4xx, TRANSFER_SERVER for 5xx (after retries) or a 3xx; TRANSFER_NETWORK as usual;
 * TRANSFER_FILE when the body exceeded max_bytes (stopped there). */
#ifndef KA_DOWNLOAD_H
#define KA_DOWNLOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct client;
struct transfer;

#define DOWNLOAD_DEFAULT_MAX ((uint64_t)1 << 30)   /* 1 GiB */

struct download_request {
    const char *url;        /* absolute; copied */
    uint64_t max_bytes;     /* body cap; 0 = DOWNLOAD_DEFAULT_MAX */
};

/* Check the URL and queue the download on c (sent at the next client_poll). NULL with a
 * message and *code = KA_EXIT_USAGE when refused; nothing is sent then. */
struct transfer *download_start(struct client *c, const struct download_request *r, int *code,
                                char *err, size_t errlen);

/* Only the URL check: NULL when url may be downloaded, else a static message. */
const char *download_check_url(const char *url, bool allow_plain_http);

struct download_info {
    bool complete;          /* the transfer finished OK: bytes and sha256 are the body's */
    uint64_t bytes;         /* body bytes received (of the last attempt) */
    char sha256[65];        /* hex, "" until complete */
    char content_type[128]; /* the answer's Content-Type, raw (escape when shown); may be "" */
    long http_status;       /* 0 when none */
};
/* false when t is not a download. */
bool download_get_info(const struct transfer *t, struct download_info *out);

#endif
