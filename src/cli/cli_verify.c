/* See cli_verify.h. */
#include "cli_verify.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_conn.h"
#include "download.h"
#include "exitcodes.h"
#include "kread.h"
#include "listing.h"
#include "transfer.h"

/* The newest listed attachment with att's name and type, or NULL. Dates are ISO 8601 text,
 * which sorts as time; without dates the later entry in the answer wins. */
static const struct listed_attachment *newest_match(const struct listing *l,
                                                    const struct attachment *att)
{
    const struct listed_attachment *best = NULL;
    for (size_t i = 0; i < l->n; i++) {
        const struct listed_attachment *a = &l->items[i];
        if (!a->file_name || strcmp(a->file_name, att->name) != 0 || !a->type_known ||
            a->type != att->type)
            continue;
        const char *d = a->remote_created_at ? a->remote_created_at : "";
        const char *bd = best && best->remote_created_at ? best->remote_created_at : "";
        if (!best || strcmp(d, bd) >= 0)
            best = a;
    }
    return best;
}

static int download_compare(const struct cli_options *o, struct client *c,
                            const struct listed_attachment *a, const struct attachment *att,
                            const char *sha256, char *msg, size_t msglen)
{
    (void)o;
    int code = 0;
    char err[600];
    /* One byte over the file's size is enough to know it differs: never fetch more. */
    struct download_request dr = { .url = a->data_url, .max_bytes = att->size + 1 };
    struct transfer *t = download_start(c, &dr, &code, err, sizeof err);
    if (!t) {
        snprintf(msg, msglen, "listed, but its data_url cannot be downloaded: %s", err);
        return KA_EXIT_UNVERIFIED;
    }
    const struct transfer_result *res = cli_await(c, t);
    struct download_info di;
    download_get_info(t, &di);
    int rc = KA_EXIT_UNVERIFIED;
    if (res->outcome == TRANSFER_FILE || (di.complete && di.bytes != att->size)) {
        snprintf(msg, msglen, "MISMATCH: the stored copy is %s bytes, the file %llu — the "
                 "attachment in the ATS is not this file", res->outcome == TRANSFER_FILE
                 ? "more than the file's" : "a different number of", (unsigned long long)att->size);
    } else if (res->outcome != TRANSFER_OK || !di.complete) {
        snprintf(msg, msglen, "listed, but its download failed: %s", res->message);
    } else if (strcmp(di.sha256, sha256) != 0) {
        snprintf(msg, msglen, "MISMATCH: the stored copy's SHA-256 is %.12s…, the file's %.12s… "
                 "— the attachment in the ATS is not this file", di.sha256, sha256);
    } else {
        snprintf(msg, msglen, "listed, and its download matches the file's SHA-256");
        rc = KA_EXIT_OK;
    }
    transfer_free(t);
    return rc;
}

int cli_verify_upload(const struct cli_options *o, struct client *c, const char *candidate_id,
                      const char *application_id, const struct attachment *att,
                      const char *sha256, char *msg, size_t msglen)
{
    int code = 0;
    char err[600];
    struct transfer *t = application_id
                             ? kread_application_attachments(c, application_id, &code, err, sizeof err)
                             : kread_candidate_attachments(c, candidate_id, &code, err, sizeof err);
    if (!t) {
        snprintf(msg, msglen, "cannot list the attachments: %s", err);
        return KA_EXIT_UNVERIFIED;
    }
    const struct transfer_result *res = cli_await(c, t);
    int rc = KA_EXIT_UNVERIFIED;
    struct listing l = {0};
    if (res->outcome != TRANSFER_OK) {
        snprintf(msg, msglen, "sent, but the attachments could not be listed to confirm it: %s",
                 res->message);
    } else if (listing_parse(res->json, &l, err, sizeof err) != 0) {
        snprintf(msg, msglen, "sent, but the listing is not Kombo's shape: %s", err);
    } else {
        const struct listed_attachment *a = newest_match(&l, att);
        if (!a)
            snprintf(msg, msglen, "NOT LISTED: none of the %zu attachment%s of the %s is called "
                     "\"%s\" with type %s", l.n, l.n == 1 ? "" : "s",
                     application_id ? "application" : "candidate", att->name, att_type_name(att->type));
        else if (!a->data_url || !sha256) {
            snprintf(msg, msglen, "listed (%s; no data_url to compare the content)",
                     a->id);
            rc = KA_EXIT_OK;
        } else {
            rc = download_compare(o, c, a, att, sha256, msg, msglen);
        }
    }
    listing_free(&l);
    transfer_free(t);
    return rc;
}
