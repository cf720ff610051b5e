/* The download kind of transfer: a GET to another host (an attachment's data_url) whose
 * body goes straight into a SHA-256 and a byte count. The kind is "foreign", so
 * transfer.c sends no key and no X-Integration-Id and does not read the 2xx answer as
 * Kombo's; error pages are kept (small) for the message. */
#include "download.h"

#include <curl/curl.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "exitcodes.h"
#include "format.h"
#include "hex.h"
#include "kombo.h"
#include "transfer_priv.h"
#include "xalloc.h"

#define ERROR_PAGE_KEEP (64 * 1024) /* of a non-2xx body, for the message */

struct download {
    EVP_MD_CTX *md;
    uint64_t bytes, max;
    bool complete;
    char sha256[65];
};

const char *download_check_url(const char *url, bool allow_plain_http)
{
    if (!url || !*url)
        return "no URL to download";
    CURLU *h = curl_url();
    if (!h)
        xalloc_fatal("curl_url");
    const char *problem = NULL;
    char *scheme = NULL, *user = NULL, *password = NULL, *host = NULL;
    if (curl_url_set(h, CURLUPART_URL, url, 0) != CURLUE_OK ||
        curl_url_get(h, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
        curl_url_get(h, CURLUPART_HOST, &host, 0) != CURLUE_OK) {
        problem = "the download URL is not an absolute URL";
    } else if (curl_url_get(h, CURLUPART_USER, &user, 0) == CURLUE_OK ||
               curl_url_get(h, CURLUPART_PASSWORD, &password, 0) == CURLUE_OK) {
        problem = "the download URL carries a user name or password";
    } else if (strcasecmp(scheme, "https") != 0 && strcasecmp(scheme, "http") != 0) {
        problem = "the download URL is neither https:// nor http://";
    } else if (strcasecmp(scheme, "http") == 0 && !allow_plain_http &&
               kombo_url_is_plain_remote(url)) {
        problem = "the download URL is plain http:// to another machine: only https:// is "
                  "fetched (or allow plain http)";
    }
    curl_free(scheme);
    curl_free(user);
    curl_free(password);
    curl_free(host);
    curl_url_cleanup(h);
    return problem;
}

static long status_of(struct transfer *t)
{
    long status = 0;
    curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &status);
    return status;
}

static int download_sink(struct transfer *t, const char *data, size_t len)
{
    struct download *d = t->kind_data;
    long status = status_of(t);
    if (status < 200 || status > 299)
        return 0; /* an error page: transfer.c keeps its start for the message */
    if (len > d->max - d->bytes) {
        char cap[32];
        fmt_bytes(d->max, cap, sizeof cap);
        snprintf(t->kind_error, sizeof t->kind_error, "the download is larger than %s, the "
                 "most this tool reads: stopped", cap);
        t->kind_failed = true;
        return -1;
    }
    if (EVP_DigestUpdate(d->md, data, len) != 1)
        xalloc_fatal("EVP_DigestUpdate");
    d->bytes += len;
    return 1;
}

static bool download_setup(struct transfer *t, CURL *e)
{
    (void)t;
    return curl_easy_setopt(e, CURLOPT_HTTPGET, 1L) == CURLE_OK &&
           curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, NULL) == CURLE_OK;
}

static void digest_restart(struct download *d)
{
    if (EVP_DigestInit_ex(d->md, EVP_sha256(), NULL) != 1)
        xalloc_fatal("EVP_DigestInit_ex");
    d->bytes = 0;
    d->complete = false;
    d->sha256[0] = '\0';
}

static int download_rewind(struct transfer *t, char *err, size_t errlen)
{
    (void)err;
    (void)errlen;
    digest_restart(t->kind_data);
    return 0;
}

static void download_answered(struct transfer *t)
{
    struct download *d = t->kind_data;
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    if (EVP_DigestFinal_ex(d->md, md, &n) != 1 || n != 32)
        xalloc_fatal("EVP_DigestFinal_ex");
    hex_encode(md, n, d->sha256);
    d->complete = true;
}

static void download_cancelled(struct transfer *t, char *out, size_t outlen)
{
    struct download *d = t->kind_data;
    char got[32];
    fmt_bytes(d->bytes, got, sizeof got);
    snprintf(out, outlen, "download cancelled after %s", got);
}

static void download_free(struct transfer *t)
{
    struct download *d = t->kind_data;
    if (!d)
        return;
    EVP_MD_CTX_free(d->md);
    free(d);
}

static const struct transfer_kind download_kind = {
    .noun = "download",
    .sends_file = false,
    .answer_keep = ERROR_PAGE_KEEP,
    .foreign = true,
    .sink = download_sink,
    .setup = download_setup,
    .rewind = download_rewind,
    .answered = download_answered,
    .cancelled = download_cancelled,
    .free = download_free,
};

struct transfer *download_start(struct client *c, const struct download_request *r, int *code,
                                char *err, size_t errlen)
{
    const char *bad = download_check_url(r->url, client_options(c)->allow_plain_http);
    if (bad) {
        if (code)
            *code = KA_EXIT_USAGE;
        snprintf(err, errlen, "%s", bad);
        return NULL;
    }
    struct download *d = xcalloc(1, sizeof *d);
    d->md = EVP_MD_CTX_new();
    if (!d->md)
        xalloc_fatal("EVP_MD_CTX_new");
    digest_restart(d);
    d->max = r->max_bytes ? r->max_bytes : DOWNLOAD_DEFAULT_MAX;
    /* "" : no X-Integration-Id; counts = false: not one of Kombo's actions. */
    return transfer_launch(c, &download_kind, d, xstrdup(r->url), "", false, NULL, 0, code, err,
                           errlen);
}

bool download_get_info(const struct transfer *t, struct download_info *out)
{
    memset(out, 0, sizeof *out);
    if (!t || t->kind != &download_kind)
        return false;
    const struct download *d = t->kind_data;
    out->complete = d->complete && t->state == TRANSFER_FINISHED &&
                    t->result.outcome == TRANSFER_OK;
    out->bytes = d->bytes;
    if (out->complete)
        memcpy(out->sha256, d->sha256, sizeof out->sha256);
    snprintf(out->content_type, sizeof out->content_type, "%s", t->resp_ct);
    out->http_status = t->result.answer.http_status;
    return true;
}
