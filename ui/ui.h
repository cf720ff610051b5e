/* Entry point of the terminal UI; the only UI header the rest of the program includes.
 * No curses types here. */
#ifndef KA_UI_H
#define KA_UI_H

#include <stdbool.h>
#include <stdint.h>

#include "attachment.h"

struct ui_options {
    const char *start_dir;       /* picker starts here (NULL = current folder) */
    const char *base_url;        /* where uploads go */
    const char *server_label;    /* "eu", "us", a custom URL, or "SANDBOX" */
    const char *api_key;         /* never drawn */
    const char *integration_id;
    const char *profile;         /* NULL when none */
    bool sandbox;                /* uploads go to the in-process mock */
    const char *sandbox_inbox;   /* where the sandbox stores received files */
    enum att_type default_type;
    const char *candidate_id;    /* prefill, may be NULL */
    int max_attempts;
    long timeout_s;
    const char *cacert;
    bool no_history;             /* don't record uploads or offer recent candidates */
    uint64_t max_size;           /* refuse bigger files; 0 = no limit */
};

/* Run the UI until the user quits. Returns a KA_EXIT_* code. */
int ui_run(const struct ui_options *o);

#endif
