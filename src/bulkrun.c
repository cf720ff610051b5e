/* The batch engine (bulkrun.h). One loop on the client: start items while fewer are
 * active than the client's adaptive cap allows, poll, then step each active item through
 * its phases (probe listing, downloads to compare, the upload) as its transfers finish.
 * Items are never all opened at once: an item holds a file and its body's buffers only
 * while active, so memory follows the cap, not the batch. */
#include "bulkrun.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"
#include "clock.h"
#include "download.h"
#include "exitcodes.h"
#include "filehash.h"
#include "history.h"
#include "kread.h"
#include "listing.h"
#include "transfer.h"
#include "upload.h"
#include "xalloc.h"

enum phase { PH_IDLE, PH_LIST, PH_DOWNLOAD, PH_SEND, PH_SETTLE, PH_DONE };

/* Settling: how often an item whose earlier upload may still be being stored is listed
 * again (listings count against Kombo's limit: not too often), from the first to at most. */
#define SETTLE_FIRST_S 1.0
#define SETTLE_MAX_S 10.0

/* An unknown item's check: the listing, then one download at a time of the attachments
 * whose name and type match. */
struct probe {
    struct listing l;
    size_t next;       /* next listed attachment to look at */
};

void bulk_item_init(struct bulk_item *it, size_t row, const char *shown, struct attachment *att,
                    const char *candidate_id, const char *application_id,
                    const char *candidate_name, const char *job_name)
{
    *it = (struct bulk_item){ .row = row, .att = *att };
    memset(att, 0, sizeof *att);
    it->shown = xstrdup(shown ? shown : it->att.path);
    it->candidate_id = candidate_id ? xstrdup(candidate_id) : NULL;
    it->application_id = application_id ? xstrdup(application_id) : NULL;
    it->candidate_name = candidate_name ? xstrdup(candidate_name) : NULL;
    it->job_name = job_name ? xstrdup(job_name) : NULL;
}

void bulk_item_free(struct bulk_item *it)
{
    attachment_free(&it->att);
    free(it->shown);
    free(it->candidate_id);
    free(it->application_id);
    free(it->candidate_name);
    free(it->job_name);
    if (it->t)
        transfer_free(it->t);
    struct probe *p = it->probe;
    if (p) {
        listing_free(&p->l);
        free(p);
    }
    memset(it, 0, sizeof *it);
}

const char *bulk_status_name(enum bulk_status s)
{
    switch (s) {
    case BULK_ATTACHED: return "attached";
    case BULK_ALREADY: return "already done";
    case BULK_FOUND: return "found";
    case BULK_FAILED: return "failed";
    default: return "not run";
    }
}

struct run {
    struct client *c;
    const struct bulk_options *o;
    long settle_s;               /* how long after its "sent" line an upload may still land */
    struct bulk_stats st;
    uint64_t bytes_finished;     /* of items decided */
    double t0;
};

static void decide(struct run *r, struct bulk_item *it, enum bulk_status s, int code,
                   const char *outcome, const struct transfer *upload)
{
    it->status = s;
    it->code = s == BULK_FAILED ? (code ? code : KA_EXIT_INTERNAL) : 0;
    it->outcome = outcome;
    it->phase = PH_DONE;
    r->st.done++;
    r->bytes_finished += it->att.size;
    switch (s) {
    case BULK_ATTACHED: r->st.attached++; break;
    case BULK_ALREADY: r->st.already++; break;
    case BULK_FOUND: r->st.found++; break;
    default: r->st.failed++; break;
    }
    if (r->o->done)
        r->o->done(it, upload, r->o->cls);
}

static void fail(struct run *r, struct bulk_item *it, int code, const char *fmt, const char *arg)
{
    snprintf(it->message, sizeof it->message, fmt, arg);
    decide(r, it, BULK_FAILED, code, "failed", NULL);
}

/* Just before the last body bytes go: from now on Kombo may store the file. */
static int note_sent(void *cls, char *err, size_t errlen)
{
    struct bulk_item *it = cls;
    char why[400];
    if (bulk_journal_sent(it->client, it, why, sizeof why) == 0)
        return 0;
    snprintf(err, errlen, "not sent: the history (the batch's journal) cannot be written: %s",
             why);
    return -1;
}

/* The journal's started line first: once it is on disk a kill at any later moment leaves
 * the item "started" (nothing stored: checked, then sent) or, once the "sent" line is
 * written just before the body's end, "sent" (checked, waited for, then sent). */
static void start_send(struct run *r, struct bulk_item *it)
{
    char err[600];
    int code = 0;
    struct upload_request req = {
        .candidate_id = it->candidate_id,
        .application_id = it->application_id,
        .job_name = it->job_name,
        .att = &it->att,
        .remote_fields = r->o->remote_fields,
        .sha256 = it->sha256[0] ? it->sha256 : NULL,
        .candidate_name = it->candidate_name,
        .body_out = r->o->no_history ? NULL : note_sent,
        .body_out_cls = it,
    };
    it->client = r->c;
    /* Queued, not yet sent: no byte leaves before the next client_poll. So the started line
     * goes now, and only for an upload that will really start (one refused here, a bad ID
     * or an unreadable file, leaves no line for the next run to check for nothing). */
    it->t = upload_start(r->c, &req, &code, err, sizeof err);
    if (!it->t) {
        fail(r, it, code, "%s", err);
        return;
    }
    if (!r->o->no_history && bulk_journal_started(r->c, it, err, sizeof err) != 0) {
        transfer_cancel(it->t);          /* still queued: "cancelled before sending" */
        transfer_free(it->t);
        it->t = NULL;
        fail(r, it, KA_EXIT_CONFIG, "not sent: the history (the batch's journal) cannot be "
             "written: %s", err);
        return;
    }
    it->phase = PH_SEND;
}

static void finish_send(struct run *r, struct bulk_item *it)
{
    const struct transfer_result *res = transfer_get_result(it->t);
    it->attempts = res->attempts;
    it->http_status = res->answer.http_status;
    snprintf(it->message, sizeof it->message, "%s", res->message);
    if (!r->o->no_history) {
        char herr[300];
        if (history_record(it->t, herr, sizeof herr) != 0)
            fprintf(stderr, "kombo-attach: warning: history not written: %s\n", herr);
    }
    if (res->outcome == TRANSFER_OK)
        decide(r, it, BULK_ATTACHED, 0, "ok", it->t);
    else
        decide(r, it, BULK_FAILED, transfer_exit_code(res->outcome),
               transfer_outcome_name(res->outcome), it->t);
    if (!r->o->keep_uploads) {
        transfer_free(it->t);
        it->t = NULL;
    }
}

static void start_probe(struct run *r, struct bulk_item *it)
{
    char err[600];
    int code = 0;
    it->t = it->application_id
        ? kread_application_attachments(r->c, it->application_id, &code, err, sizeof err)
        : kread_candidate_attachments(r->c, it->candidate_id, &code, err, sizeof err);
    if (!it->t) {
        fail(r, it, KA_EXIT_UNKNOWN, "an earlier run may have attached it, and the "
             "attachments cannot be listed to check: %s", err);
        return;
    }
    it->probe = xcalloc(1, sizeof(struct probe));
    it->phase = PH_LIST;
}

static void end_probe(struct bulk_item *it)
{
    struct probe *p = it->probe;
    if (p) {
        listing_free(&p->l);
        free(p);
    }
    it->probe = NULL;
}

/* The next listed attachment of this name and type: download it to compare, or (no
 * data_url to compare with) take the name and type as the proof. Past the last, send. */

/* The row's file is already at the target (an interrupted run sent it): journalled as found,
 * never sent again. */
static void found_earlier(struct run *r, struct bulk_item *it, const char *how)
{
    end_probe(it);
    snprintf(it->message, sizeof it->message, "already attached by an interrupted run (%s)", how);
    if (!r->o->no_history) {
        char err[300];
        if (bulk_journal_found(r->c, it, err, sizeof err) != 0)
            fprintf(stderr, "kombo-attach: warning: history not written: %s\n", err);
    }
    decide(r, it, BULK_FOUND, 0, "found", NULL);
}

static void probe_next(struct run *r, struct bulk_item *it)
{
    struct probe *p = it->probe;
    for (; p->next < p->l.n; p->next++) {
        const struct listed_attachment *a = &p->l.items[p->next];
        if (!a->file_name || strcmp(a->file_name, it->att.name) != 0 ||
            (a->type_known && a->type != it->att.type))
            continue;
        if (!a->data_url) {
            found_earlier(r, it, "listed with the same name and type");
            return;
        }
        char err[600];
        int code = 0;
        struct download_request d = { .url = a->data_url, .max_bytes = it->att.size + 1 };
        p->next++;
        it->t = download_start(r->c, &d, &code, err, sizeof err);
        if (it->t) {
            it->phase = PH_DOWNLOAD;
            return;
        }
    }
    end_probe(it);
    /* Not listed. After "started" its whole body never left: nothing was stored. After
     * "sent" Kombo may still be storing it: wait and list again, until the line is older
     * than an attempt may take; only then is it sent. */
    time_t now = time(NULL);
    time_t until = it->prior_at + r->settle_s;
    if (it->prior == BULK_PRIOR_SENT && now < until) {
        it->settle_until = until;
        it->settle_wait = it->settle_wait > 0 ? it->settle_wait * 2 : SETTLE_FIRST_S;
        if (it->settle_wait > SETTLE_MAX_S)
            it->settle_wait = SETTLE_MAX_S;
        it->settle_next = clock_now() + it->settle_wait;
        if (it->settle_next > clock_now() + (double)(until - now))
            it->settle_next = clock_now() + (double)(until - now);
        it->phase = PH_SETTLE;
        return;
    }
    start_send(r, it);
}

static void step_probe(struct run *r, struct bulk_item *it)
{
    const struct transfer_result *res = transfer_get_result(it->t);
    struct probe *p = it->probe;
    if (it->phase == PH_LIST) {
        char err[300] = "";
        bool ok = res->outcome == TRANSFER_OK && res->json &&
                  listing_parse(res->json, &p->l, err, sizeof err) == 0;
        if (!ok || p->l.truncated) {
            snprintf(it->message, sizeof it->message, "not sent: an earlier run may have "
                     "attached it, and listing the attachments to check failed: %s — run "
                     "the batch again", ok ? "more than 1000 attachments" :
                     err[0] ? err : res->message);
            transfer_free(it->t);
            it->t = NULL;
            end_probe(it);
            decide(r, it, BULK_FAILED, KA_EXIT_UNKNOWN, "unknown", NULL);
            return;
        }
        transfer_free(it->t);
        it->t = NULL;
        probe_next(r, it);
        return;
    }
    struct download_info di;
    bool same = res->outcome == TRANSFER_OK && download_get_info(it->t, &di) && di.complete &&
                !strcmp(di.sha256, it->sha256);
    bool failed = res->outcome != TRANSFER_OK;
    char why[512];
    snprintf(why, sizeof why, "%s", res->message);
    transfer_free(it->t);
    it->t = NULL;
    if (failed) {
        /* Not sent: without the comparison a second copy could follow. */
        end_probe(it);
        fail(r, it, KA_EXIT_UNKNOWN, "not sent: an earlier run may have attached it, and "
             "downloading the listed copy to compare failed: %s — run the batch again", why);
        return;
    }
    if (same) {
        found_earlier(r, it, "the listed copy has the same SHA-256");
        return;
    }
    probe_next(r, it);
}

static void update_stats(struct run *r, struct bulk_item *items, const size_t *active,
                         size_t n_active)
{
    struct client_concurrency cc;
    client_get_concurrency(r->c, NULL, &cc);
    r->st.cap = cc.cap;
    r->st.rejected = cc.rejected;
    r->st.in_flight = (size_t)cc.in_flight;
    uint64_t partial = 0;
    r->st.checking = 0;
    for (size_t i = 0; i < n_active; i++) {
        struct bulk_item *it = &items[active[i]];
        r->st.checking += it->phase == PH_LIST || it->phase == PH_DOWNLOAD;
        if (it->phase != PH_SEND || !it->t)
            continue;
        struct transfer_progress p;
        transfer_get_progress(it->t, &p);
        if (p.total)   /* the body is base64: scale back to the file's bytes */
            partial += (uint64_t)((double)p.sent / (double)p.total * (double)it->att.size);
    }
    r->st.bytes_done = r->bytes_finished + partial;
    r->st.elapsed_s = clock_now() - r->t0;
    r->st.rate = r->st.elapsed_s > 0.2 ? (double)r->st.bytes_done / r->st.elapsed_s : 0;
    r->st.eta_s = r->st.rate > 0
        ? (double)(r->st.bytes_total - r->st.bytes_done) / r->st.rate : -1;
}

static int worst_code(const struct bulk_item *items, size_t n)
{
    int w = KA_EXIT_OK;
    for (size_t i = 0; i < n; i++) {
        int c = items[i].status == BULK_PENDING ? KA_EXIT_CANCELLED : items[i].code;
        if (c == KA_EXIT_CANCELLED || w == KA_EXIT_CANCELLED)
            w = KA_EXIT_CANCELLED;
        else if (c > w)
            w = c;
    }
    return w;
}

/* The engine's state between steps (bulk_begin .. bulk_end). */
struct bulk_job {
    struct run r;
    struct bulk_item *items;
    size_t n, next;
    size_t active[BULK_MAX_CONCURRENCY + 1];   /* items with a transfer running */
    size_t n_active;
    size_t *settling;            /* items waiting to be listed again (no transfer, no slot) */
    size_t n_settling;
    bool stopping;
};

struct bulk_job *bulk_begin(struct client *c, struct bulk_item *items, size_t n,
                            const struct bulk_options *o)
{
    struct bulk_job *j = xcalloc(1, sizeof *j);
    j->items = items;
    j->n = n;
    j->settling = xcalloc(n ? n : 1, sizeof *j->settling);
    j->r = (struct run){ .c = c, .o = o, .t0 = clock_now() };
    struct run *r = &j->r;
    /* An attempt that got its whole body out may be acted on until the client's timeout
     * ends it; a server's own work may outlast that a little. */
    long timeout = client_options(c)->timeout_s;
    r->settle_s = o->settle_s > 0 ? o->settle_s
                : (timeout > 0 ? timeout : CLIENT_DEFAULT_TIMEOUT_S) + 5;
    r->st.total = n;
    for (size_t i = 0; i < n; i++) {
        r->st.bytes_total += items[i].att.size;
        items[i].status = BULK_PENDING;
        items[i].phase = PH_IDLE;
        items[i].settle_wait = 0;
    }
    int conc = o->concurrency > 0 ? o->concurrency : BULK_DEFAULT_CONCURRENCY;
    if (conc > BULK_MAX_CONCURRENCY)
        conc = BULK_MAX_CONCURRENCY;
    client_set_adaptive(c, NULL, conc);
    if (o->no_history)
        return j;   /* no journal: nothing to look up, nothing to key */

    /* The content's hash is the journal's key: same content, same target = same row. */
    char err[600];
    for (size_t i = 0; i < n; i++)
        if (!items[i].sha256[0] &&
            filehash_file(items[i].att.path, items[i].sha256, err, sizeof err) != 0)
            fail(r, &items[i], KA_EXIT_FILE, "%s", err);
    if (bulk_journal_read(c, items, n, err, sizeof err) != 0) {
        for (size_t i = 0; i < n; i++)
            if (items[i].status == BULK_PENDING)
                fail(r, &items[i], KA_EXIT_CONFIG, "not sent: the history (the batch's "
                     "journal) cannot be read, so what an earlier run did is unknown: %s", err);
    }
    for (size_t i = 0; i < n; i++) {
        if (items[i].status == BULK_PENDING && items[i].prior == BULK_PRIOR_OK && !o->force) {
            snprintf(items[i].message, sizeof items[i].message,
                     "already attached: the history has this content sent to this target");
            decide(r, &items[i], BULK_ALREADY, 0, "duplicate", NULL);
        }
    }
    return j;
}

void bulk_cancel(struct bulk_job *j)
{
    if (j->stopping)
        return;
    j->stopping = true;
    for (size_t i = 0; i < j->n_active; i++)
        if (j->items[j->active[i]].t)
            transfer_cancel(j->items[j->active[i]].t);
    /* A settling item was never sent by this run: it stays "not run", as before its turn. */
    for (size_t i = 0; i < j->n_settling; i++)
        j->items[j->settling[i]].phase = PH_IDLE;
    j->n_settling = 0;
}

/* The next item to start: a settling one whose time to look again has come, else the next
 * in order. SIZE_MAX when none. */
static size_t next_to_start(struct bulk_job *j, double now)
{
    for (size_t i = 0; i < j->n_settling; i++) {
        size_t k = j->settling[i];
        if (j->items[k].settle_next <= now) {
            j->settling[i] = j->settling[--j->n_settling];
            return k;
        }
    }
    while (j->next < j->n && j->items[j->next].status != BULK_PENDING)
        j->next++;
    return j->next < j->n ? j->next++ : SIZE_MAX;
}

bool bulk_step(struct bulk_job *j)
{
    struct run *r = &j->r;
    const struct bulk_options *o = r->o;
    struct bulk_item *items = j->items;
    if (o->interrupted && *o->interrupted)
        bulk_cancel(j);
    /* What the last poll finished. */
    for (size_t i = 0; i < j->n_active;) {
        struct bulk_item *it = &items[j->active[i]];
        if (it->t && transfer_finished(it->t)) {
            if (it->phase == PH_SEND)
                finish_send(r, it);
            else
                step_probe(r, it);
            /* a probe that found nothing goes on to send: cancelled if stopping */
            if (j->stopping && it->t && it->phase != PH_DONE)
                transfer_cancel(it->t);
            if (it->phase == PH_SETTLE && j->stopping)
                it->phase = PH_IDLE;
            else if (it->phase == PH_SETTLE)
                j->settling[j->n_settling++] = j->active[i];
        }
        if (it->phase == PH_DONE || it->phase == PH_SETTLE || it->phase == PH_IDLE)
            j->active[i] = j->active[--j->n_active];
        else
            i++;
    }
    /* Then start what the cap allows. */
    struct client_concurrency cc;
    client_get_concurrency(r->c, NULL, &cc);
    double now = clock_now();
    while (!j->stopping && j->n_active < (size_t)cc.cap && j->n_active < BULK_MAX_CONCURRENCY) {
        size_t k = next_to_start(j, now);
        if (k == SIZE_MAX)
            break;
        struct bulk_item *it = &items[k];
        if ((it->prior == BULK_PRIOR_STARTED || it->prior == BULK_PRIOR_SENT) && !o->force)
            start_probe(r, it);
        else
            start_send(r, it);
        if (it->phase != PH_DONE)
            j->active[j->n_active++] = k;
    }
    update_stats(r, items, j->active, j->n_active);
    r->st.settling = j->n_settling;
    r->st.settle_until = 0;
    for (size_t i = 0; i < j->n_settling; i++)
        if (items[j->settling[i]].settle_until > r->st.settle_until)
            r->st.settle_until = items[j->settling[i]].settle_until;
    bool more = j->n_active > 0 ||
                (!j->stopping && (j->next < j->n || j->n_settling > 0));
    if (o->progress)
        o->progress(&r->st, o->cls);
    return more;
}

const struct bulk_stats *bulk_get_stats(const struct bulk_job *j)
{
    return &j->r.st;
}

int bulk_end(struct bulk_job *j)
{
    if (!j)
        return KA_EXIT_OK;
    /* Whatever is still running is cancelled and waited for: its outcome is journalled. */
    if (j->n_active) {
        bulk_cancel(j);
        while (bulk_step(j))
            client_poll(j->r.c, 50, -1, NULL);
    }
    for (size_t i = 0; i < j->n; i++)
        if (j->items[i].status == BULK_PENDING)
            snprintf(j->items[i].message, sizeof j->items[i].message, "not run: interrupted");
    int rc = worst_code(j->items, j->n);
    free(j->settling);
    free(j);
    return rc;
}

enum bulk_activity bulk_item_activity(const struct bulk_item *it)
{
    switch (it->phase) {
    case PH_LIST:
    case PH_DOWNLOAD: return BULK_CHECKING;
    case PH_SEND: return BULK_SENDING;
    case PH_SETTLE: return BULK_SETTLING;
    case PH_DONE: return BULK_DECIDED;
    default: return BULK_WAITING;
    }
}

time_t bulk_item_settle_until(const struct bulk_item *it)
{
    return it->settle_until;
}

const struct transfer *bulk_item_upload(const struct bulk_item *it)
{
    return it->phase == PH_SEND || it->phase == PH_DONE ? it->t : NULL;
}

int bulk_run(struct client *c, struct bulk_item *items, size_t n, const struct bulk_options *o)
{
    struct bulk_job *j = bulk_begin(c, items, n, o);
    while (bulk_step(j))
        client_poll(c, 50, -1, NULL);
    return bulk_end(j);
}
