/* The verbose log (-v): libcurl's notes and the headers both ways on stderr, never body
 * bytes, with the key redacted and every byte from the server made safe to print. */
#ifndef KA_HTTPLOG_H
#define KA_HTTPLOG_H

#include <curl/curl.h>

/* A CURLOPT_DEBUGFUNCTION; CURLOPT_DEBUGDATA must be the API key (const char *). */
int httplog_debug_cb(CURL *h, curl_infotype type, char *data, size_t size, void *key);

#endif
