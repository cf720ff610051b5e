/* What to send and where, built once from flags, environment and config (src/cli/main.c)
 * and handed as the same struct to both front ends, so a flag can never reach one and not
 * the other. Every value here has been checked: front ends and the body only use them. */
#ifndef KA_SENDOPTS_H
#define KA_SENDOPTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "attachment.h"
#include "client.h"

struct send_options {
    struct client_options client; /* base URL, key, integration, CA, attempts, timeouts, -v */
    const char *server_label;     /* "eu", "us", the base URL, or "SANDBOX" */
    bool sandbox;                 /* uploads go to the in-process mock */
    const char *sandbox_inbox;    /* where the sandbox stores received files */
    const char *profile;          /* config profile in use, or NULL */

    const char *candidate_id;     /* target (command line) or prefill (UI); may be NULL */
    const char *application_id;   /* target: this application of the candidate (Kombo's
                                     recommended endpoint); NULL = the candidate */
    enum att_type type;
    const char *name;             /* attachment name, one file only; NULL = the file's */
    const char *content_type;     /* NULL = detect */
    const char *remote_fields;    /* checked JSON object text, trimmed; NULL = leave out */
    uint64_t max_size;            /* refuse bigger files; 0 = no limit */
    bool no_history;              /* don't record uploads (nor offer recent candidates) */
    bool force;                   /* send even what the history says already arrived */
};

/* Check --remote-fields text: strict JSON (RFC 8259, it goes out byte for byte), an object.
 * Returns the text to send (trimmed of surrounding white space; numbers such as 64-bit IDs
 * pass through unchanged, where cJSON would round them) or NULL with a one-line message. */
char *sendopts_check_remote_fields(const char *rf, char *err, size_t errlen);

/* A candidate ID as typed or pasted: white space and line breaks around it are not part of
 * it (a pasted "4B7z…\n" must not become "%0A" in the path). Returns a new string. */
char *sendopts_trim_id(const char *id);

#endif
