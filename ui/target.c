/* See target.h. */
#include "target.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kread.h"
#include "transfer.h"
#include "xalloc.h"

void target_init(struct target *t, struct client *c)
{
    memset(t, 0, sizeof *t);
    t->client = c;
}

static void drop(struct transfer **tr)
{
    if (*tr)
        transfer_free(*tr);
    *tr = NULL;
}

static void forget_listing(struct target *t)
{
    drop(&t->list_t);
    if (t->have_listing)
        listing_free(&t->listing);
    t->have_listing = false;
    t->list_error[0] = '\0';
}

static void forget_verify(struct target *t)
{
    drop(&t->verify_t);
    for (size_t i = 0; i < t->n_names; i++)
        free(t->names[i]);
    for (size_t i = 0; i < t->n_before; i++)
        free(t->before[i]);
    free(t->before);
    free(t->verify_cand);
    t->before = NULL;
    t->verify_cand = NULL;
    t->n_names = t->n_found = t->n_before = 0;
    t->verify = TV_NONE;
    t->verify_error[0] = '\0';
}

void target_free(struct target *t)
{
    forget_listing(t);
    forget_verify(t);
    free(t->cand_id);
    memset(t, 0, sizeof *t);
}

bool target_want(struct target *t, const char *cand_id)
{
    if (cand_id && !*cand_id)
        cand_id = NULL;
    if ((!cand_id && !t->cand_id) || (cand_id && t->cand_id && strcmp(cand_id, t->cand_id) == 0))
        return false;
    forget_listing(t);
    free(t->cand_id);
    t->cand_id = cand_id ? xstrdup(cand_id) : NULL;
    if (t->cand_id) {
        int code;
        t->list_t = kread_candidate_attachments(t->client, t->cand_id, &code, t->list_error,
                                                sizeof t->list_error);
    }
    return true;
}

void target_verify_start(struct target *t, const char *cand_id, const char *const *names, size_t n,
                         double now)
{
    forget_verify(t);
    if (!cand_id || n == 0)
        return;
    t->verify_cand = xstrdup(cand_id);
    for (size_t i = 0; i < n && i < TARGET_VERIFY_NAMES; i++)
        t->names[t->n_names++] = xstrdup(names[i]);
    /* what the listing held before the send cannot be the new file, even by its name */
    if (t->have_listing && t->cand_id && strcmp(t->cand_id, cand_id) == 0) {
        t->before = xcalloc(t->listing.n ? t->listing.n : 1, sizeof *t->before);
        for (size_t i = 0; i < t->listing.n; i++)
            t->before[t->n_before++] = xstrdup(t->listing.items[i].id);
    }
    t->verify = TV_LOOKING;
    t->next_at = now;  /* a first look at once: a fast ATS shows it already */
    t->deadline = now + TARGET_VERIFY_FOR_S;
}

static bool was_before(const struct target *t, const char *id)
{
    for (size_t i = 0; i < t->n_before; i++)
        if (strcmp(t->before[i], id) == 0)
            return true;
    return false;
}

/* How many of the names sent are in l as new attachments (each listed file counted once). */
static size_t count_found(const struct target *t, const struct listing *l)
{
    size_t found = 0;
    bool *used = xcalloc(l->n ? l->n : 1, sizeof *used);
    for (size_t k = 0; k < t->n_names; k++) {
        for (size_t i = 0; i < l->n; i++) {
            const struct listed_attachment *la = &l->items[i];
            if (!used[i] && la->file_name && strcmp(la->file_name, t->names[k]) == 0 &&
                !was_before(t, la->id)) {
                used[i] = true;
                found++;
                break;
            }
        }
    }
    free(used);
    return found;
}

static bool step_listing(struct target *t)
{
    if (!t->list_t || !transfer_finished(t->list_t))
        return false;
    const struct transfer_result *r = transfer_get_result(t->list_t);
    if (r->outcome == TRANSFER_OK) {
        if (listing_parse(r->json, &t->listing, t->list_error, sizeof t->list_error) == 0)
            t->have_listing = true;
        else
            listing_free(&t->listing);
    } else {
        snprintf(t->list_error, sizeof t->list_error, "%s", r->message);
    }
    drop(&t->list_t);
    return true;
}

static bool step_verify(struct target *t, double now)
{
    if (t->verify != TV_LOOKING)
        return false;
    if (!t->verify_t) {
        if (now < t->next_at)
            return false;
        int code;
        t->verify_t = kread_candidate_attachments(t->client, t->verify_cand, &code, t->verify_error,
                                                  sizeof t->verify_error);
        if (!t->verify_t) {
            t->verify = TV_NOT_SEEN;
            return true;
        }
        return false;
    }
    if (!transfer_finished(t->verify_t))
        return false;
    const struct transfer_result *r = transfer_get_result(t->verify_t);
    struct listing l;
    bool ok = r->outcome == TRANSFER_OK;
    if (ok && listing_parse(r->json, &l, t->verify_error, sizeof t->verify_error) == 0) {
        t->n_found = count_found(t, &l);
        t->verify_error[0] = '\0';
        if (t->cand_id && strcmp(t->cand_id, t->verify_cand) == 0 && !t->list_t) {
            /* the fresher listing is the form's too: the next file is checked against it */
            if (t->have_listing)
                listing_free(&t->listing);
            t->listing = l;
            t->have_listing = true;
            t->list_error[0] = '\0';
        } else {
            listing_free(&l);
        }
    } else if (ok) {
        listing_free(&l); /* listing_parse said why in verify_error */
    } else {
        snprintf(t->verify_error, sizeof t->verify_error, "%s", r->message);
    }
    drop(&t->verify_t);
    if (t->n_found == t->n_names)
        t->verify = TV_VERIFIED;
    else if (now + TARGET_VERIFY_EVERY_S > t->deadline)
        t->verify = TV_NOT_SEEN;
    else
        t->next_at = now + TARGET_VERIFY_EVERY_S;
    return true;
}

bool target_step(struct target *t, double now)
{
    bool changed = step_listing(t);
    changed |= step_verify(t, now);
    return changed;
}

int target_wait_ms(const struct target *t, double now)
{
    if (t->verify != TV_LOOKING || t->verify_t)
        return -1;
    double left = (t->next_at - now) * 1000.0;
    return left <= 0 ? 0 : (int)left + 1;
}
