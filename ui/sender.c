/* See sender.h. Files go one after another: a job per file, kept until the batch is freed
 * because it owns the result the result screen shows. */
#include "sender.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "history.h"
#include "xalloc.h"

void sender_init(struct sender *s, const struct ui_options *o, struct client *client)
{
    memset(s, 0, sizeof *s);
    s->o = o;
    s->client = client;
}

static void free_job(struct sender *s, size_t i)
{
    if (s->jobs[i])
        transfer_free(s->jobs[i]);
    s->jobs[i] = NULL;
}

void sender_free(struct sender *s)
{
    for (size_t i = 0; i < s->b.n; i++)
        free_job(s, i);
    free(s->jobs);
    s->jobs = NULL;
    batch_free(&s->b);
    memset(&s->live, 0, sizeof s->live);
}

/* Start the next file that can be sent; the ones that cannot are refused on the way. When
 * none is left the batch is over. */
static void start_next(struct sender *s)
{
    struct batch *b = &s->b;
    const struct ui_options *o = s->o;
    struct batch_file *f;
    while ((f = batch_next(b)) != NULL) {
        if (!batch_prepare(b, o->send->max_size))
            continue;
        /* the form worked the hash out already (for the duplicate check): the upload need
         * not hash again; else it hashes while sending, for the history */
        struct upload_request req = {
            .candidate_id = b->candidate,
            .application_id = b->application_id,
            .job_name = b->job_name,
            .att = &f->att,
            .remote_fields = o->send->remote_fields,
            .want_sha256 = !o->send->no_history && !f->sha256[0],
            .sha256 = f->sha256[0] ? f->sha256 : NULL,
            .candidate_name = b->candidate_name,
        };
        char err[512];
        int code;
        struct transfer *job = upload_start(s->client, &req, &code, err, sizeof err);
        if (!job) {
            batch_refuse(b, code, err);
            continue;
        }
        s->jobs[b->cur] = job;
        batch_begin(b);
        transfer_get_progress(job, &s->live);
        return;
    }
    memset(&s->live, 0, sizeof s->live);
}

void sender_start(struct sender *s, const struct batch_spec *spec)
{
    struct client *client = s->client;
    sender_free(s);
    s->client = client;
    batch_init(&s->b, spec, s->o->send->client.max_attempts);
    s->jobs = xcalloc(s->b.n, sizeof *s->jobs);
    start_next(s);
}

bool sender_retry(struct sender *s)
{
    /* The batch reads the results to choose, then forgets those of the files it sends
     * again; only then can the jobs that own them go. */
    size_t again = batch_retry(&s->b);
    for (size_t i = 0; i < s->b.n; i++)
        if (s->b.files[i].state == BF_PENDING)
            free_job(s, i);
    if (again == 0)
        return false;
    start_next(s);
    return true;
}

void sender_cancel(struct sender *s)
{
    if (batch_cancel(&s->b))
        transfer_cancel(s->jobs[s->b.cur]);
}

double sender_answer_wait(const struct sender *s)
{
    return s->b.running && s->answer_since ? clock_now() - s->answer_since : 0;
}

bool sender_busy(const struct sender *s)
{
    return s->b.running;
}

/* Failing to write the history must not spoil the upload: note it (stderr is kept off the
 * screen and shown at exit), go on. */
static void record(struct sender *s, const struct transfer *job)
{
    if (s->o->send->no_history)
        return;
    char err[300];
    if (history_record(job, err, sizeof err) != 0)
        fprintf(stderr, "kombo-attach: history not written: %s\n", err);
}

unsigned sender_step(struct sender *s)
{
    if (!s->b.running)
        return 0;
    struct transfer *job = s->jobs[s->b.cur];
    transfer_get_progress(job, &s->live);
    if (s->live.state == TRANSFER_WAITING_ANSWER) {
        if (!s->answer_since)
            s->answer_since = clock_now();
    } else {
        s->answer_since = 0;
    }
    if (s->live.state != TRANSFER_FINISHED)
        return 0;
    batch_finish(&s->b, transfer_get_result(job), s->live.total, s->live.elapsed_s);
    record(s, job);
    start_next(s);
    return SENDER_FILE_DONE;
}
