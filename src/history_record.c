/* The history line for a finished upload, from what the upload itself knows (upload.h):
 * the only part of the history that depends on the client, kept apart so the journal
 * (history.c) stands on its own. */
#include "history.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "upload.h"

int history_record(const struct transfer *upload, char *err, size_t errlen)
{
    struct upload_info in;
    if (!upload_get_info(upload, &in)) {
        snprintf(err, errlen, "internal error: not an upload");
        return -1;
    }
    const struct transfer_result *res = transfer_get_result(upload);
    const struct answer *an = &res->answer;
    char sha[65];
    bool have_sha = upload_sha256_hex(upload, sha);
    /* An absolute path: the history is read later, from anywhere. */
    char *abs = realpath(in.path, NULL);
    struct history_entry e = {
        .time = time(NULL),
        .path = abs ? abs : (char *)in.path,
        .size = in.size,
        .sha256 = have_sha ? sha : NULL,
        .candidate = (char *)in.candidate_id,
        .type = (char *)in.type,
        .name = (char *)in.name,
        .content_type = (char *)in.content_type,
        .server = (char *)in.server_label,
        .integration = (char *)in.integration_id,
        .sandbox = in.sandbox,
        .candidate_name = (char *)in.candidate_name,
        .application = (char *)in.application_id,
        .job = (char *)in.job_name,
        .outcome = (char *)transfer_outcome_name(res->outcome),
        .http_status = (int)an->http_status,
        .attempts = res->attempts,
        .warnings = an->warnings,
        .n_warnings = an->n_warnings,
        .error_code = an->ok ? NULL : an->err.code,
        .error_message = res->outcome == TRANSFER_OK ? NULL : (char *)res->message,
        .log_url = an->ok ? NULL : an->err.log_url,
    };
    int rc = history_append(&e, err, errlen);
    free(abs);
    return rc;
}
