/* See sender.h. A send (and each retry of it) is one engine job over the files that passed
 * the UI's checks. The items stay after their job: with keep_uploads each owns its finished
 * upload, whose result the batch and the result screen point at, until the batch is freed
 * or a retry sends that file again. */
#include "sender.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "exitcodes.h"
#include "filehash.h"
#include "kombo.h"
#include "xalloc.h"

/* Hashing before a job (only when the form did not: --force skips its duplicate check)
 * is done in slices, so a big file does not freeze the screen. */
#define HASH_SLICE (4u << 20)

/* One job's items; item k is file file[k] of the batch. */
struct sender_run {
    struct bulk_item *items;
    size_t n;
};

void sender_init(struct sender *s, const struct ui_options *o, struct client *client)
{
    memset(s, 0, sizeof *s);
    s->o = o;
    s->client = client;
}

static void stop_hashing(struct sender *s)
{
    filehash_free(s->hash);
    s->hash = NULL;
    s->hashing = false;
}

/* The job is over (done, or cancelled and every running upload ended). */
static void end_job(struct sender *s)
{
    if (s->job) {
        bulk_end(s->job);
        s->job = NULL;
    }
    batch_end(&s->b);
    s->events |= SENDER_FILE_DONE;
}

void sender_free(struct sender *s)
{
    /* bulk_end cancels what still runs and waits for it: a cancelled upload ends at once */
    if (s->job)
        end_job(s);
    stop_hashing(s);
    for (size_t r = 0; r < s->n_runs; r++) {
        for (size_t k = 0; k < s->runs[r].n; k++)
            bulk_item_free(&s->runs[r].items[k]);
        free(s->runs[r].items);
    }
    free(s->runs);
    free(s->item_of);
    free(s->answer_since);
    batch_free(&s->b);
    const struct ui_options *o = s->o;
    struct client *c = s->client;
    sender_init(s, o, c);
}

/* The engine decided an item: its file takes the outcome. */
static void on_done(struct bulk_item *it, const struct transfer *upload, void *cls)
{
    struct sender *s = cls;
    struct batch_file *f = &s->b.files[it->row];
    if (upload) {
        struct transfer_progress pr;
        transfer_get_progress(upload, &pr);
        batch_finish(f, transfer_get_result(upload), pr.total, pr.elapsed_s);
    } else if (it->status == BULK_FOUND) {
        batch_decide(f, BF_FOUND, 0, it->message);
    } else if (it->status == BULK_ALREADY) {
        batch_decide(f, BF_ALREADY, 0, it->message);
    } else {
        batch_decide(f, BF_UNSENT, it->code ? it->code : KA_EXIT_INTERNAL, it->message);
    }
    s->answer_since[it->row] = 0;
    s->events |= SENDER_FILE_DONE;
}

/* A copy the engine can own: the batch keeps its own for the screens. */
static struct attachment att_copy(const struct attachment *a)
{
    struct attachment c = *a;
    c.path = xstrdup(a->path);
    c.name = xstrdup(a->name);
    c.content_type = xstrdup(a->content_type);
    return c;
}

/* Every file handed over becomes an item of a new job. */
static void begin_job(struct sender *s)
{
    struct batch *b = &s->b;
    const struct send_options *so = s->o->send;
    size_t n = 0;
    for (size_t i = 0; i < b->n; i++)
        n += b->files[i].state == BF_RUNNING;
    s->runs = xrealloc(s->runs, (s->n_runs + 1) * sizeof *s->runs);
    struct sender_run *run = &s->runs[s->n_runs++];
    run->items = xcalloc(n ? n : 1, sizeof *run->items);
    run->n = n;
    size_t k = 0;
    for (size_t i = 0; i < b->n; i++) {
        struct batch_file *f = &b->files[i];
        if (f->state != BF_RUNNING)
            continue;
        struct attachment att = att_copy(&f->att);
        struct bulk_item *it = &run->items[k++];
        /* row = the file's index: on_done finds its file by it */
        bulk_item_init(it, i, f->path, &att, b->candidate, b->application_id, b->candidate_name,
                       b->job_name);
        memcpy(it->sha256, f->sha256, sizeof it->sha256);
        s->item_of[i] = it;
        s->answer_since[i] = 0;
    }
    s->bo = (struct bulk_options){
        .concurrency = BULK_DEFAULT_CONCURRENCY,
        .remote_fields = so->remote_fields,
        .no_history = so->no_history,
        /* duplicates the user included on purpose are sent; otherwise the engine looks up
         * what an interrupted run may have sent before sending it twice */
        .force = b->force || so->force,
        .keep_uploads = true,
        .done = on_done,
        .cls = s,
    };
    memset(&s->stats, 0, sizeof s->stats);
    s->job = bulk_begin(s->client, run->items, n, &s->bo);
    s->stats = *bulk_get_stats(s->job);
}

/* One slice of hashing; the job starts once every file handed over has its SHA-256 (the
 * journal's key). A file that cannot be read is refused, as the engine would. */
static void hash_step(struct sender *s)
{
    struct batch *b = &s->b;
    size_t budget = HASH_SLICE;
    while (budget) {
        while (s->hash_file < b->n && (b->files[s->hash_file].state != BF_RUNNING ||
                                       b->files[s->hash_file].sha256[0]))
            s->hash_file++;
        if (s->hash_file >= b->n) {
            stop_hashing(s);
            begin_job(s);
            return;
        }
        struct batch_file *f = &b->files[s->hash_file];
        char err[512];
        if (!s->hash && !(s->hash = filehash_open(f->path, err, sizeof err))) {
            batch_refuse(f, KA_EXIT_FILE, err);
            continue;
        }
        uint64_t before = filehash_done(s->hash);
        int r = filehash_step(s->hash, budget);
        uint64_t did = filehash_done(s->hash) - before;
        if (r == 1) {
            budget = did >= budget || did == 0 ? 0 : budget - (size_t)did;
            continue;
        }
        if (r != 0 || !filehash_hex(s->hash, f->sha256)) {
            snprintf(err, sizeof err, "cannot be read for its SHA-256: %s", filehash_error(s->hash));
            batch_refuse(f, KA_EXIT_FILE, err);
        }
        filehash_free(s->hash);
        s->hash = NULL;
        budget = did >= budget ? 0 : budget - (size_t)did;
    }
}

/* Check the pending files and hand the good ones to a new job. */
static void launch(struct sender *s)
{
    struct batch *b = &s->b;
    /* the target is the same for every file: a bad ID refuses them all, before any byte */
    const char *bad = b->application_id ? kombo_check_path_id("application", b->application_id)
                                        : kombo_check_path_id("candidate", b->candidate);
    size_t n = 0;
    bool unhashed = false;
    for (size_t i = 0; i < b->n; i++) {
        struct batch_file *f = &b->files[i];
        if (f->state != BF_PENDING)
            continue;
        if (bad) {
            batch_refuse(f, KA_EXIT_USAGE, bad);
            continue;
        }
        if (!batch_prepare(b, i, s->o->send->max_size))
            continue;
        batch_hand_over(f);
        n++;
        unhashed |= !f->sha256[0];
    }
    if (n == 0)
        return;
    batch_begin(b);
    if (unhashed && !s->o->send->no_history) {
        s->hashing = true;
        s->hash_file = 0;
        return;
    }
    begin_job(s);
}

void sender_start(struct sender *s, const struct batch_spec *spec)
{
    sender_free(s);
    batch_init(&s->b, spec, s->o->send->client.max_attempts);
    s->item_of = xcalloc(s->b.n ? s->b.n : 1, sizeof *s->item_of);
    s->answer_since = xcalloc(s->b.n ? s->b.n : 1, sizeof *s->answer_since);
    launch(s);
}

bool sender_retry(struct sender *s)
{
    if (sender_busy(s))
        return false;
    /* The batch reads the results to choose, then forgets those of the files it sends
     * again; only then can the items that own them go. */
    size_t again = batch_retry(&s->b);
    for (size_t i = 0; i < s->b.n; i++) {
        if (s->b.files[i].state == BF_PENDING && s->item_of[i]) {
            bulk_item_free(s->item_of[i]);
            s->item_of[i] = NULL;
        }
    }
    if (again == 0)
        return false;
    launch(s);
    return true;
}

void sender_cancel(struct sender *s)
{
    if (!batch_cancel(&s->b))
        return;
    if (s->hashing) {
        stop_hashing(s);
        end_job(s); /* nothing was started: every file handed over is skipped */
        return;
    }
    if (s->job)
        bulk_cancel(s->job);
}

bool sender_busy(const struct sender *s)
{
    return s->b.running;
}

unsigned sender_step(struct sender *s)
{
    if (s->hashing) {
        hash_step(s);
        if (s->hashing)
            s->events |= SENDER_MORE;
    } else if (s->job) {
        bool more = bulk_step(s->job);
        s->stats = *bulk_get_stats(s->job);
        double now = clock_now();
        for (size_t i = 0; i < s->b.n; i++) {
            struct sender_live l;
            sender_live(s, i, &l);
            bool waiting = l.activity == BULK_SENDING && l.pr.state == TRANSFER_WAITING_ANSWER;
            if (!waiting)
                s->answer_since[i] = 0;
            else if (!s->answer_since[i])
                s->answer_since[i] = now;
        }
        if (!more)
            end_job(s);
    }
    unsigned e = s->events;
    s->events = 0;
    return e;
}

void sender_live(const struct sender *s, size_t i, struct sender_live *out)
{
    const struct batch_file *f = &s->b.files[i];
    const struct bulk_item *it = s->item_of ? s->item_of[i] : NULL;
    memset(out, 0, sizeof *out);
    out->activity = f->state == BF_RUNNING ? BULK_WAITING : BULK_DECIDED;
    if (f->state != BF_RUNNING)
        return;
    if (s->hashing) {
        out->hashing = true;
        return;
    }
    if (!it)
        return;
    out->activity = bulk_item_activity(it);
    if (out->activity == BULK_SENDING) {
        const struct transfer *up = bulk_item_upload(it);
        if (up)
            transfer_get_progress(up, &out->pr);
        if (s->answer_since[i])
            out->answer_wait = clock_now() - s->answer_since[i];
    } else if (out->activity == BULK_SETTLING) {
        out->settle_until = bulk_item_settle_until(it);
    }
}

const struct bulk_stats *sender_stats(const struct sender *s)
{
    return &s->stats;
}

size_t sender_in_flight(const struct sender *s)
{
    size_t n = 0;
    for (size_t i = 0; i < s->b.n; i++) {
        struct sender_live l;
        sender_live(s, i, &l);
        n += l.activity == BULK_SENDING || l.activity == BULK_CHECKING;
    }
    return n;
}

int sender_concurrency(const struct sender *s)
{
    return s->bo.concurrency ? s->bo.concurrency : BULK_DEFAULT_CONCURRENCY;
}
