/* See sender.h. Files go one after another: a job per file, kept until the batch is freed
 * because it owns the result the result screen shows. */
#include "sender.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "history.h"
#include "xalloc.h"

#define DEFAULT_ATTEMPTS 4
#define DEFAULT_TIMEOUT_S 300

void sender_init(struct sender *s, const struct ui_options *o)
{
    memset(s, 0, sizeof *s);
    s->o = o;
}

static void free_job(struct sender *s, size_t i)
{
    if (s->jobs[i])
        upload_free(s->jobs[i]);
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
        if (!batch_prepare(b, o->max_size))
            continue;
        struct upload_request req = {
            .base_url = o->base_url,
            .api_key = o->api_key,
            .integration_id = o->integration_id,
            .candidate_id = b->candidate,
            .att = &f->att,
            .remote_fields = NULL,
            .max_attempts = b->max_attempts,
            .timeout_s = o->timeout_s > 0 ? o->timeout_s : DEFAULT_TIMEOUT_S,
            .cacert = o->cacert,
            .verbose = false, /* libcurl's debug output would land on the screen */
            .want_sha256 = !o->no_history,
        };
        char err[512];
        int code;
        struct upload *job = upload_start(&req, &code, err, sizeof err);
        if (!job) {
            batch_refuse(b, code, err);
            continue;
        }
        s->jobs[b->cur] = job;
        batch_begin(b);
        upload_get_progress(job, &s->live);
        return;
    }
    memset(&s->live, 0, sizeof s->live);
}

void sender_start(struct sender *s, const struct batch_spec *spec)
{
    sender_free(s);
    batch_init(&s->b, spec, s->o->max_attempts > 0 ? s->o->max_attempts : DEFAULT_ATTEMPTS);
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
        upload_cancel(s->jobs[s->b.cur]);
}

bool sender_busy(const struct sender *s)
{
    return s->b.running;
}

/* Failing to write the history must not spoil the upload: note it (stderr is kept off the
 * screen and shown at exit), go on. */
static void record(struct sender *s, const struct batch_file *f, const struct upload *job)
{
    if (s->o->no_history)
        return;
    struct upload_request req = { .base_url = s->o->base_url, .candidate_id = s->b.candidate,
                                  .att = &f->att };
    char err[300];
    if (history_record(&req, job, err, sizeof err) != 0)
        fprintf(stderr, "kombo-attach: history not written: %s\n", err);
}

unsigned sender_wait(struct sender *s, int timeout_ms)
{
    if (!s->b.running)
        return 0;
    struct upload *job = s->jobs[s->b.cur];
    bool key_waiting = false;
    /* The one wait on the backend, the network and the keyboard together. Whether the job
     * finished is read from its state below, not from what this returns, so a call that
     * drives many jobs at once can take this line's place. */
    upload_poll(job, timeout_ms, STDIN_FILENO, &key_waiting);
    upload_get_progress(job, &s->live);
    if (s->live.state != UPLOAD_FINISHED)
        return 0;
    struct batch_file *f = &s->b.files[s->b.cur];
    batch_finish(&s->b, upload_get_result(job), s->live.total, s->live.elapsed_s);
    record(s, f, job);
    start_next(s);
    return SENDER_FILE_DONE;
}
