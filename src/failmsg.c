#include "failmsg.h"

#include <curl/curl.h>
#include <stdio.h>
#include <string.h>

#include "format.h"
#include "kombo_codes.h"

static const char unanswered[] = "; the server received the whole file and may have attached "
                                 "it: check before sending it again";

enum fail_verdict failmsg_network(const struct fail_facts *f, char *out, size_t outlen)
{
    bool retry = false;
    bool *retryable = &retry;
    bool complete = !f->sends_file || f->sent >= f->total;
    char sent[32], total[32];
    fmt_bytes(f->sent, sent, sizeof sent);
    fmt_bytes(f->total, total, sizeof total);
    const char *detail = f->detail && *f->detail ? f->detail : curl_easy_strerror(f->curl_code);
    const char *lost = f->sends_file && complete ? unanswered : "";
    /* Once the whole upload is out, only a server that cannot have acted is safe to retry. */
    bool unsafe = f->sends_file && complete;
    bool lost_answer = false; /* the request was out when the connection failed */

    switch ((CURLcode)f->curl_code) {
    case CURLE_COULDNT_CONNECT:
        snprintf(out, outlen, "could not connect to %s: %s; is the server up? check --base-url",
                 f->host, f->os_errno ? strerror((int)f->os_errno) : detail);
        *retryable = true;
        break;
    case CURLE_COULDNT_RESOLVE_HOST:
        snprintf(out, outlen, "could not resolve the host of %s; check --base-url (or --server) "
                 "and the network", f->host);
        *retryable = true;
        break;
    case CURLE_COULDNT_RESOLVE_PROXY:
        snprintf(out, outlen, "could not resolve the proxy (%s); check https_proxy", detail);
        *retryable = true;
        break;
    case CURLE_OPERATION_TIMEDOUT:
        if (!f->connected)
            snprintf(out, outlen, "timed out after %ld s connecting to %s (--connect-timeout)",
                     f->took_s, f->host);
        else if (!complete)
            snprintf(out, outlen, "timed out after %ld s while sending (%s of %s sent) (--timeout)",
                     f->took_s, sent, total);
        else
            snprintf(out, outlen, "timed out after %ld s waiting for the server (--timeout)%s",
                     f->took_s, lost);
        *retryable = !f->connected || !unsafe;
        lost_answer = f->connected;
        break;
    case CURLE_PEER_FAILED_VERIFICATION:
        /* A certificate for another name is not fixed by trusting more CAs. */
        if (strstr(detail, "subject name") || strstr(detail, "host name"))
            snprintf(out, outlen, "TLS certificate of %s is for another host name (%s); check "
                     "--base-url: the address must match the certificate", f->host, detail);
        else
            snprintf(out, outlen, "TLS certificate of %s not trusted (%s); if the server uses a "
                     "private CA, use --cacert FILE", f->host, detail);
        break;
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
        snprintf(out, outlen, "could not load the CA bundle %s (--cacert): %s",
                 f->cacert ? f->cacert : "(default)", detail);
        break;
    case CURLE_SSL_CONNECT_ERROR:
        snprintf(out, outlen, "TLS handshake with %s failed: %s", f->host, detail);
        *retryable = true;
        break;
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
        if (!complete)
            snprintf(out, outlen, "connection lost while sending (%s of %s sent): %s", sent, total,
                     detail);
        else
            snprintf(out, outlen, "connection lost while waiting for the answer: %s%s", detail, lost);
        *retryable = !unsafe;
        lost_answer = true;
        break;
    case CURLE_GOT_NOTHING:
        if (f->sends_file)
            snprintf(out, outlen, "the server closed the connection without answering (%s of %s "
                     "sent)%s", sent, total, lost);
        else
            snprintf(out, outlen, "the server closed the connection without answering");
        *retryable = !unsafe;
        lost_answer = true;
        break;
    case CURLE_PARTIAL_FILE:
        snprintf(out, outlen, "the answer was cut off: %s%s", detail, lost);
        *retryable = !f->sends_file;
        lost_answer = true;
        break;
    case CURLE_WEIRD_SERVER_REPLY:
    case CURLE_UNSUPPORTED_PROTOCOL:
        snprintf(out, outlen, "the server at %s did not answer in HTTP (%s); check --base-url "
                 "(http or https?)", f->host, detail);
        break;
    case CURLE_OUT_OF_MEMORY:
        snprintf(out, outlen, "out of memory while talking to %s", f->host);
        break;
    default:
        snprintf(out, outlen, "network error talking to %s: %s (curl error %d)", f->host, detail,
                 f->curl_code);
        break;
    }
    if (retry)
        return FAIL_RETRY;
    return unsafe && lost_answer ? FAIL_UNKNOWN : FAIL_STOP;
}

const char *failmsg_hint(long status, const char *code, const char *what)
{
    const struct kombo_code_row *row = kombo_code_find(code);
    if (row)
        return row->todo;
    if (status == 401)
        return "check the API key; EU keys do not work on the US server and the other way round";
    if (status == 404) {
        if (what && strcmp(what, "the application ID") == 0)
            return "check the application ID, the integration ID and the base URL";
        if (what && strcmp(what, "the candidate ID") == 0)
            return "check the candidate ID, the integration ID and the base URL";
        return "check the integration ID and the base URL";
    }
    if (status == 413)
        return "the file is too large for the server: send a smaller one";
    return NULL;
}
