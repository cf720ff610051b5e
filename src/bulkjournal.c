/* The batch's journal (bulkrun.h): the history file, read once per run for every item's
 * prior state, and the lines only a batch writes (started, sent, found). The outcome line of an
 * upload is history_record's, as for a single upload, so the two kinds of run see each
 * other's work. */
#include "bulkrun.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "client.h"
#include "history.h"
#include "xalloc.h"

static bool same(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

struct scan_ctx {
    const char *server, *integration;
    struct bulk_item **by_sha;   /* sorted by sha256 */
    size_t n;
};

static int cmp_item_sha(const void *a, const void *b)
{
    return strcmp((*(struct bulk_item *const *)a)->sha256, (*(struct bulk_item *const *)b)->sha256);
}

/* The line went to this item's target: an application by its ID, a candidate only by a
 * line without an application (an application's file is not the candidate's own). */
static bool same_target(const struct history_entry *e, const struct bulk_item *it)
{
    if (it->application_id)
        return same(e->application, it->application_id);
    return !e->application && same(e->candidate, it->candidate_id);
}

#define SEEN_OK 1
#define LAST_STARTED 2     /* the newest line: started, nothing more */
#define LAST_SENT 4        /* the newest line: the whole body went out, outcome unknown */
#define LAST_MASK (LAST_STARTED | LAST_SENT)

/* One of the items' hashes: the rest of a long history is skipped unparsed. */
static bool scan_wants(const char *sha256, void *cls)
{
    struct scan_ctx *s = cls;
    size_t lo = 0, hi = s->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(s->by_sha[mid]->sha256, sha256);
        if (c == 0)
            return true;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

static void scan_one(const struct history_entry *e, void *cls)
{
    struct scan_ctx *s = cls;
    if (!e->sha256 || !e->outcome || !same(e->integration, s->integration) ||
        (s->server && !same(e->server, s->server)))
        return;
    /* First item with this hash, then its neighbours. */
    size_t lo = 0, hi = s->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(s->by_sha[mid]->sha256, e->sha256) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    int last = !strcmp(e->outcome, HISTORY_STARTED) ? LAST_STARTED
             : !strcmp(e->outcome, HISTORY_SENT) || !strcmp(e->outcome, "unknown") ? LAST_SENT : 0;
    for (size_t i = lo; i < s->n && !strcmp(s->by_sha[i]->sha256, e->sha256); i++) {
        struct bulk_item *it = s->by_sha[i];
        if (!same_target(e, it))
            continue;
        if (!strcmp(e->outcome, "ok")) {
            it->prior |= SEEN_OK;
            it->done_at = e->time;
        }
        /* Lines come oldest first: the last one seen is the newest. */
        it->prior = (it->prior & ~LAST_MASK) | last;
        if (last)
            it->prior_at = e->time;
    }
}

int bulk_journal_read(struct client *c, struct bulk_item *items, size_t n, char *err,
                      size_t errlen)
{
    const struct client_options *o = client_options(c);
    struct scan_ctx s = { .server = o->label, .integration = o->integration_id,
                          .by_sha = xcalloc(n ? n : 1, sizeof *s.by_sha) };
    for (size_t i = 0; i < n; i++) {
        items[i].prior = 0;
        if (items[i].sha256[0])
            s.by_sha[s.n++] = &items[i];
    }
    qsort(s.by_sha, s.n, sizeof *s.by_sha, cmp_item_sha);
    int rc = s.integration ? history_scan_sha(scan_wants, scan_one, &s, err, errlen) : 0;
    free(s.by_sha);
    for (size_t i = 0; i < n; i++) {
        int p = items[i].prior;
        items[i].prior = (p & SEEN_OK) ? BULK_PRIOR_OK
                       : (p & LAST_SENT) ? BULK_PRIOR_SENT
                       : (p & LAST_STARTED) ? BULK_PRIOR_STARTED : BULK_PRIOR_NONE;
    }
    return rc;
}

static int append(struct client *c, const struct bulk_item *it, const char *outcome,
                  const char *message, char *err, size_t errlen)
{
    const struct client_options *o = client_options(c);
    /* An absolute path: the history is read later, from anywhere. */
    char *abs = realpath(it->att.path, NULL);
    struct history_entry e = {
        .time = time(NULL),
        .path = abs ? abs : it->att.path,
        .size = it->att.size,
        .sha256 = (char *)it->sha256,
        .candidate = it->candidate_id,
        .type = (char *)att_type_name(it->att.type),
        .name = it->att.name,
        .content_type = it->att.content_type,
        .server = (char *)o->label,
        .integration = (char *)o->integration_id,
        .sandbox = o->sandbox,
        .candidate_name = it->candidate_name,
        .application = it->application_id,
        .job = it->job_name,
        .outcome = (char *)outcome,
        .error_message = (char *)message,
    };
    int rc = history_append(&e, err, errlen);
    free(abs);
    return rc;
}

int bulk_journal_started(struct client *c, const struct bulk_item *it, char *err, size_t errlen)
{
    return append(c, it, HISTORY_STARTED, NULL, err, errlen);
}

int bulk_journal_sent(struct client *c, const struct bulk_item *it, char *err, size_t errlen)
{
    return append(c, it, HISTORY_SENT, NULL, err, errlen);
}

int bulk_journal_found(struct client *c, const struct bulk_item *it, char *err, size_t errlen)
{
    /* "ok": the next run skips it without listing again. */
    return append(c, it, "ok", "found in the target's attachments after an interrupted run",
                  err, errlen);
}
