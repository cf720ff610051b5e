/* An upload: one attachment streamed to Kombo as a transfer on the client (client.h),
 * POST /ats/candidates/{id}/attachments with the file's base64 inside the JSON body.
 * Progress, cancel, result and free are the transfer's (transfer.h). */
#ifndef KA_UPLOAD_H
#define KA_UPLOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "transfer.h"

struct attachment;
struct client;

struct upload_request {
    const char *candidate_id;    /* percent-encoded as one path segment; with application_id,
                                    the candidate it belongs to (history, duplicates) or NULL */
    const char *application_id;  /* when set: POST /ats/applications/{id}/attachments, Kombo's
                                    recommended endpoint (same body) */
    const char *job_name;        /* the application's job, for the history; may be NULL */
    const struct attachment *att;
    const char *remote_fields;   /* JSON object text, already checked, or NULL (key left out) */
    bool want_sha256;            /* hash the file while sending (for the history) */
    const char *sha256;          /* or the file's SHA-256 (hex), computed before sending */
    const char *candidate_name;  /* for the history, when known; may be NULL */
    /* Called on each attempt just before the body's last bytes go to libcurl: from then on
     * the server may act on the file whatever becomes of the client. Non-zero (with err)
     * aborts the attempt instead, so the server gets a short body and stores nothing. */
    int (*body_out)(void *cls, char *err, size_t errlen);
    void *body_out_cls;
};

/* Check the request (candidate ID) and queue the upload on c: it starts at the next
 * client_poll. NULL with a message (and *code = KA_EXIT_*) when refused; nothing has been
 * sent then. */
struct transfer *upload_start(struct client *c, const struct upload_request *req, int *code,
                              char *err, size_t errlen);
/* What an upload was asked to send, for the history and the result screens (strings owned
 * by the transfer). */
struct upload_info {
    const char *path;            /* the file as given */
    uint64_t size;               /* file bytes */
    const char *name, *type, *content_type;
    const char *candidate_id;    /* NULL for an application whose candidate is unknown */
    const char *candidate_name;  /* NULL when unknown */
    const char *application_id;  /* NULL: sent to the candidate */
    const char *job_name;        /* NULL when unknown */
    const char *base_url;
    const char *server_label;    /* "eu", "us", "sandbox" or the base URL */
    const char *integration_id;
    bool sandbox;
    const char *sha256;          /* hex: computed before or while sending; NULL when neither */
};
/* false when t is not an upload. */
bool upload_get_info(const struct transfer *t, struct upload_info *out);
/* The file's SHA-256 (hex): the one given in the request, or once a whole pass was read and
 * verified (want_sha256). */
bool upload_sha256_hex(const struct transfer *t, char out[65]);
/* The URL an upload goes to: the application's when application_id is set, else the
 * candidate's. Caller frees; NULL with a message if refused (a bad ID). */
char *upload_url(const char *base_url, const char *candidate_id, const char *application_id,
                 char *err, size_t errlen);

#endif
