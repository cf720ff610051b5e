/* --latency: every /v1 answer waits latency_ms, as a distant API would make it, without
 * holding up anyone else. The request's connection is suspended (MHD_suspend_connection)
 * instead of sleeping in one of the pool's two threads, and a timer thread resumes it when
 * it is due; MHD then calls the handler again and the answer goes out. So 8 requests at
 * 100 ms take about 100 ms together, not 800. */
#include "mock_priv.h"

#include "clock.h"

#include <errno.h>
#include <stdlib.h>
#include <time.h>

struct mock_delayed {
    struct mock_delayed *next;
    struct MHD_Connection *c;
    double due;                 /* clock_now() seconds */
};

static void *timer_main(void *arg)
{
    struct mock *m = arg;
    pthread_mutex_lock(&m->mu);
    while (!m->delay_stop) {
        double now = clock_now(), first = 0;
        /* resume what is due; find the earliest of the rest */
        for (struct mock_delayed **pp = &m->delayed; *pp;) {
            struct mock_delayed *d = *pp;
            if (d->due <= now) {
                *pp = d->next;
                MHD_resume_connection(d->c);
                free(d);
            } else {
                if (first == 0 || d->due < first)
                    first = d->due;
                pp = &d->next;
            }
        }
        if (first == 0) {
            pthread_cond_wait(&m->delay_cv, &m->mu);
        } else {
            /* the condition variable waits on CLOCK_MONOTONIC, as clock_now() counts */
            double at = first;
            struct timespec ts = { (time_t)at, (long)((at - (double)(time_t)at) * 1e9) };
            pthread_cond_timedwait(&m->delay_cv, &m->mu, &ts);
        }
    }
    pthread_mutex_unlock(&m->mu);
    return NULL;
}

int mock_delay_start(struct mock *m)
{
    if (!m->latency_ms && !m->upload_latency_ms)
        return 0;
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&m->delay_cv, &ca);
    pthread_condattr_destroy(&ca);
    if (pthread_create(&m->delay_thread, NULL, timer_main, m) != 0) {
        pthread_cond_destroy(&m->delay_cv);
        return -1;
    }
    m->delay_running = true;
    return 0;
}

static unsigned hold_ms(const struct mock *m, const struct req *r)
{
    return r->route == R_UPLOAD && m->upload_latency_ms ? m->upload_latency_ms : m->latency_ms;
}

bool mock_delay_would_hold(const struct mock *m, const struct req *r)
{
    return hold_ms(m, r) && !r->control && !r->delayed;
}

bool mock_delay_hold(struct mock *m, struct req *r, struct MHD_Connection *c)
{
    unsigned ms = hold_ms(m, r);
    if (!mock_delay_would_hold(m, r))
        return false;
    r->delayed = true;
    struct mock_delayed *d = xcalloc(1, sizeof *d);
    d->c = c;
    d->due = (r->body_at > 0 ? r->body_at : clock_now()) + ms / 1000.0;
    pthread_mutex_lock(&m->mu);
    if (m->stopping || !m->delay_running) {
        pthread_mutex_unlock(&m->mu);
        free(d);
        return false;               /* stopping: answer at once */
    }
    MHD_suspend_connection(c);
    d->next = m->delayed;
    m->delayed = d;
    pthread_cond_signal(&m->delay_cv);
    pthread_mutex_unlock(&m->mu);
    return true;
}

/* Before MHD stops (it refuses to with suspended connections): resume every held answer
 * and end the timer. Called with m->stopping set. */
void mock_delay_stop(struct mock *m)
{
    if (!m->delay_running)
        return;
    pthread_mutex_lock(&m->mu);
    m->delay_stop = true;
    while (m->delayed) {
        struct mock_delayed *d = m->delayed;
        m->delayed = d->next;
        MHD_resume_connection(d->c);
        free(d);
    }
    pthread_cond_signal(&m->delay_cv);
    pthread_mutex_unlock(&m->mu);
    pthread_join(m->delay_thread, NULL);
    pthread_cond_destroy(&m->delay_cv);
    m->delay_running = false;
}
