/* Kombo's fixed rules, pure: IDs, regions, header values, base URLs and the URLs of the
 * endpoints this tool calls (shared/kombo-api.md). */
#ifndef KA_KOMBO_H
#define KA_KOMBO_H

#include <stdbool.h>
#include <stddef.h>

/* The base58 alphabet of Kombo IDs: 1-9, A-H, J-N, P-Z, a-k, m-z. */
#define KOMBO_BASE58 "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
#define KOMBO_ID_LEN 24

/* The regions' base URLs. */
#define KOMBO_URL_EU "https://api.kombo.dev/v1"
#define KOMBO_URL_US "https://api.us.kombo.dev/v1"

/* True when id looks like a Kombo ID (24 base58 characters); only a warning otherwise. */
bool kombo_id_looks_valid(const char *id);

/* An ID that goes into a path as one segment: NULL when fine, else a static message
 * naming `what` ("candidate", "application"): empty, ".", "..". */
const char *kombo_check_path_id(const char *what, const char *id);

/* A header value (the API key, the integration ID): NULL when fine, else a static
 * message naming the field. what: "API key", "integration ID" or anything else. */
const char *kombo_check_header_value(const char *what, const char *value);

/* A base URL: http(s), a host, no credentials, query or fragment (paths are appended to
 * it). NULL when fine (host gets "host:port" when non-NULL), else a static message. */
const char *kombo_check_base_url(const char *base, char *host, size_t hostlen);

/* The longest API key taken: far above any real one, so that a key file or command printing
 * something else is caught before it is sent. */
#define KOMBO_KEY_MAX 512

/* Whether base is plain http:// to another machine (the key would cross the network in the
 * clear): loopback (127.0.0.0/8, ::1, localhost) is not. */
bool kombo_url_is_plain_remote(const char *base);

/* The URL of an endpoint: base, then each of the NULL-terminated path segments encoded as
 * one segment (every byte outside A-Z a-z 0-9 - . _ ~ percent-encoded, so '/', '?', '#'
 * and '%' never leave it), then the query: name/value pairs in a NULL-terminated list
 * (a NULL value skips the pair), each percent-encoded as the official SDKs do ('+' is
 * %2B, '@' %40, ' ' %20). Built with libcurl's URL API. Caller frees; NULL with a static
 * message in *problem when the base URL or a segment is refused. */
char *kombo_url(const char *base, const char *const *segments, const char *const *query,
                const char **problem);

#endif
