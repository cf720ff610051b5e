/* See confirm.h. */
#include "confirm.h"

#include <stdio.h>
#include <string.h>

#include "kread.h"
#include "transfer.h"

void confirm_init(struct confirm *k, struct client *c)
{
    memset(k, 0, sizeof *k);
    k->client = c;
}

void confirm_clear(struct confirm *k)
{
    if (k->t)
        transfer_free(k->t); /* cancelled first when it runs */
    k->t = NULL;
    if (k->have_live)
        candidate_free(&k->live);
    k->have_live = false;
    k->id[0] = '\0';
    k->message[0] = '\0';
    k->state = CONFIRM_NONE;
}

void confirm_free(struct confirm *k)
{
    confirm_clear(k);
    memset(k, 0, sizeof *k);
}

void confirm_start(struct confirm *k, const char *id)
{
    confirm_clear(k);
    snprintf(k->id, sizeof k->id, "%s", id);
    /* include_deleted: a deletion is then said as one, not taken for a wrong ID */
    struct kread_candidates q = { .ids = k->id, .include_deleted = true, .page_size = 1 };
    int code;
    k->t = kread_candidates(k->client, &q, &code, k->message, sizeof k->message);
    k->state = k->t ? CONFIRM_RUNNING : CONFIRM_FAILED;
}

static void take_answer(struct confirm *k, const struct transfer_result *r)
{
    struct cand_page page;
    char err[300];
    if (r->outcome != TRANSFER_OK) {
        snprintf(k->message, sizeof k->message, "%s", r->message);
        k->state = CONFIRM_FAILED;
        return;
    }
    if (cand_page_parse(r->json, &page, err, sizeof err) != 0) {
        snprintf(k->message, sizeof k->message, "Kombo's answer could not be read: %s", err);
        k->state = CONFIRM_FAILED;
        cand_page_free(&page);
        return;
    }
    k->state = CONFIRM_GONE;
    for (size_t i = 0; i < page.n; i++) {
        const struct candidate *c = &page.items[i];
        if (strcmp(c->id, k->id) != 0)
            continue; /* only the ID asked for counts, whatever else a server sends */
        if (!c->remote_deleted_at) {
            candidate_copy(&k->live, c);
            k->have_live = true;
            k->state = CONFIRM_OK;
        }
        break;
    }
    cand_page_free(&page);
}

bool confirm_step(struct confirm *k)
{
    if (k->state != CONFIRM_RUNNING || !transfer_finished(k->t))
        return false;
    take_answer(k, transfer_get_result(k->t));
    transfer_free(k->t);
    k->t = NULL;
    return true;
}
