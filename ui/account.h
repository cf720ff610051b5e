/* Who the UI talks to (no curses): the key checked (GET /check-api-key), the integration
 * (GET /integrations/{id}: tool, organisation, status) and what it accepts (the two
 * actions' attachment_restrictions), all read in the background from the start, so a
 * wrong key is said before anyone fills a form. A key refused on one of Kombo's regions
 * is tried on the other (region.h) on a client of its own: "this is a US key" is a fix,
 * "the key is wrong" is not. Nothing here waits: account_step looks at what the loop's
 * client_poll moved. */
#ifndef KA_UI_ACCOUNT_H
#define KA_UI_ACCOUNT_H

#include <stdbool.h>
#include <stddef.h>

#include "client.h"
#include "integration.h"
#include "kread.h"
#include "restrict.h"

struct transfer;

enum account_key {
    ACCOUNT_KEY_CHECKING,
    ACCOUNT_KEY_OK,
    ACCOUNT_KEY_REFUSED,       /* Kombo said the key is not valid (here) */
    ACCOUNT_KEY_UNCHECKED      /* no answer (network, server): uploads will tell */
};

struct account {
    struct client *client;             /* the app's */
    struct transfer *key_t, *integ_t, *restr_t[2];
    struct client *probe;              /* the other region's, while it is asked */
    struct transfer *probe_t;
    const char *other_region;          /* "us" / "eu" when the probe may run, else NULL */
    enum account_key key;
    bool other_region_ok;              /* the key works on other_region */
    bool probing;
    struct integration_info info;
    bool have_info;
    char tool[128], org[160];          /* "Greenhouse", "Acme GmbH", raw; "" until known */
    /* A problem worth a line above every screen, raw (escape when shown); "" = none. */
    char problem[700];
    bool problem_is_error;             /* the key: nothing will work; else a warning */
    struct restrictions restr[2];      /* [KREAD_TO_APPLICATION], [KREAD_TO_CANDIDATE] */
    bool have_restr[2];
};

/* Queue the reads on c. o: the options c was made with (the probe copies them). */
void account_start(struct account *a, struct client *c, const struct client_options *o);
void account_free(struct account *a);
/* After client_poll: take in what finished (the probe's client is polled here, without
 * waiting). True when what is shown changed. */
bool account_step(struct account *a);
/* What the integration accepts for this target, or NULL while unknown. */
const struct restrictions *account_restrictions(const struct account *a, enum kread_target t);

#endif
