/* A candidate picked from the local index is looked up at Kombo before anything is sent
 * to them (no curses): GET /ats/candidates?ids=ID&include_deleted=true on the app's client.
 * The index may be minutes or days old: the candidate may have been deleted in the ATS
 * since, or have other applications now. Kombo's answer decides: found and not deleted is
 * OK (and its copy, with the applications of now, replaces the index's); deleted, or not
 * there at all, is GONE; no answer is FAILED (asking again is the user's call). Nothing
 * waits: confirm_step looks at what the loop's client_poll moved. */
#ifndef KA_UI_CONFIRM_H
#define KA_UI_CONFIRM_H

#include <stdbool.h>

#include "candidate.h"

struct client;
struct transfer;

enum confirm_state {
    CONFIRM_NONE,       /* nothing asked (a live hit, a typed ID, nothing picked) */
    CONFIRM_RUNNING,
    CONFIRM_OK,         /* live: Kombo's copy */
    CONFIRM_GONE,       /* deleted in the ATS, or Kombo does not know the ID any more */
    CONFIRM_FAILED      /* no usable answer: message */
};

struct confirm {
    struct client *client;
    struct transfer *t;
    char id[CAND_ID_MAX + 1];
    enum confirm_state state;
    struct candidate live;       /* OK: Kombo's copy of the candidate */
    bool have_live;
    char message[700];           /* FAILED: the transfer's message, raw */
};

void confirm_init(struct confirm *k, struct client *c);
/* Ask about id (the request goes out at the next client_poll); one in flight is cancelled. */
void confirm_start(struct confirm *k, const char *id);
/* After client_poll: true when the state changed. */
bool confirm_step(struct confirm *k);
/* Forget (cancel) what was asked: NONE. */
void confirm_clear(struct confirm *k);
void confirm_free(struct confirm *k);

#endif
