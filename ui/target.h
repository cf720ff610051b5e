/* What the target of an upload already has, read in the background (no curses): the
 * candidate's attachments (GET /ats/candidates/{id}/attachments, which holds their
 * applications' too) for the form's list and its same-name check; and after a send, the
 * same listing asked again a few times until the new files show up ("verified") or a
 * deadline passes. Kombo answers an upload with no attachment ID, so the listing is the
 * only proof that a file landed. Never waits: target_step looks at what client_poll
 * moved; target_wait_ms says when the next look is due. */
#ifndef KA_UI_TARGET_H
#define KA_UI_TARGET_H

#include <stdbool.h>
#include <stddef.h>

#include "listing.h"

struct client;
struct transfer;

#define TARGET_VERIFY_EVERY_S 1.0    /* between two listings after a send */
#define TARGET_VERIFY_FOR_S 12.0     /* then "not seen yet" */
#define TARGET_VERIFY_NAMES 64       /* files of one send that are looked for */

enum target_verify {
    TV_NONE,        /* nothing sent, or nothing to look for */
    TV_LOOKING,     /* listing again until the files appear */
    TV_VERIFIED,    /* every file sent is in the listing */
    TV_NOT_SEEN     /* the deadline passed first (the ATS may be slow to show it) */
};

struct target {
    struct client *client;
    char *cand_id;                /* whose listing is wanted; NULL = none */
    struct transfer *list_t;
    struct listing listing;       /* of cand_id when have_listing */
    bool have_listing;
    char list_error[600];         /* why it could not be read (raw); "" */
    /* verification of the last send */
    enum target_verify verify;
    char *verify_cand;
    char *names[TARGET_VERIFY_NAMES];
    size_t n_names, n_found;
    char **before;                /* IDs listed before the send: not the new files */
    size_t n_before;
    struct transfer *verify_t;
    double next_at, deadline;
    char verify_error[600];       /* the last listing's failure (raw); "" */
};

void target_init(struct target *t, struct client *c);
void target_free(struct target *t);
/* The form's target is this candidate now (NULL: none): its listing is read when it was
 * not yet. True when what is shown changed. */
bool target_want(struct target *t, const char *cand_id);
/* Look for these files (names as sent) in cand_id's listing from now on. */
void target_verify_start(struct target *t, const char *cand_id, const char *const *names, size_t n,
                         double now);
/* After client_poll. True when what is shown changed. */
bool target_step(struct target *t, double now);
/* Milliseconds until target_step has something to start, -1 when nothing is due. */
int target_wait_ms(const struct target *t, double now);

#endif
