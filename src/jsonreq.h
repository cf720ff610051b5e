/* A JSON request as a transfer on the client (client.h): method, path, query, an optional
 * small body; the answer is parsed with cJSON into the result's json (transfer.h). Same
 * retries, timeouts, TLS, redaction and messages as uploads. */
#ifndef KA_JSONREQ_H
#define KA_JSONREQ_H

#include <stdbool.h>
#include <stddef.h>

struct client;
struct transfer;

struct json_request {
    const char *method;             /* NULL = "GET" */
    const char *const *segments;    /* path after the base URL, one segment each, NULL-ended:
                                       {"ats", "candidates", id, "attachments", NULL} */
    const char *const *query;       /* name, value, ..., NULL; a NULL value skips its pair */
    const char *body;               /* JSON text or NULL */
    const char *integration_id;     /* NULL = the client's; "" = send no X-Integration-Id
                                       (check-api-key, integrations/{id}) */
    bool counts;                    /* counts against Kombo's concurrency limit (reads that
                                       run against the ATS itself, e.g. attachments) */
};

/* Queue the request on c: it starts at the next client_poll. NULL with a message (and
 * *code = KA_EXIT_*) when refused; nothing has been sent then. */
struct transfer *jsonreq_start(struct client *c, const struct json_request *r, int *code,
                               char *err, size_t errlen);

/* Largest answer kept for a JSON request; beyond it the answer is described, not parsed. */
#define JSONREQ_ANSWER_MAX (10 * 1024 * 1024)

#endif
