/* The verbose log (-v): libcurl's notes, the headers both ways and the start of each answer's
 * body on stderr (never the request's body: it is the file), with the key redacted and every
 * byte from the server made safe to print. */
#ifndef KA_HTTPLOG_H
#define KA_HTTPLOG_H

#include <curl/curl.h>

#define HTTPLOG_BODY_MAX 2048 /* answer bytes shown per attempt */

struct httplog {
    const char *key;          /* redacted wherever it appears */
    size_t body_seen;         /* answer bytes of this attempt so far */
};

/* Before each attempt: the answer shown starts again. */
void httplog_reset(struct httplog *l);
/* A CURLOPT_DEBUGFUNCTION; CURLOPT_DEBUGDATA must be a struct httplog. */
int httplog_debug_cb(CURL *h, curl_infotype type, char *data, size_t size, void *log);

#endif
