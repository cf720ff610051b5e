/* --concurrency-limit: Kombo caps the "unified actions" that run against the ATS itself
 * (attaching, listing attachments) per integration and answers 429
 * PLATFORM.CONCURRENCY_LIMIT_EXCEEDED beyond the cap. Every answer carries
 * Concurrency-Limit and Concurrency-Remaining, so clients can pace themselves; the mock
 * does the same, and counts the most it ever had in flight (peak_in_flight) so tests can
 * prove a client never went over. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mock_priv.h"
#include "xalloc.h"

struct mock_conc {
    struct mock_conc *next;
    char *integration;
    unsigned in_flight;
};

static struct mock_conc *conc_for(struct mock *m, const char *integration, bool create)
{
    for (struct mock_conc *c = m->conc; c; c = c->next)
        if (!strcmp(c->integration, integration))
            return c;
    if (!create)
        return NULL;
    struct mock_conc *c = xcalloc(1, sizeof *c);
    c->integration = xstrdup(integration);
    c->next = m->conc;
    m->conc = c;
    return c;
}

static bool counts(const struct req *r)
{
    return (r->route == R_UPLOAD || r->route == R_LIST) && r->integration && !r->control;
}

void mock_limit_take(struct mock *m, struct req *r)
{
    if (!counts(r) || r->err_status)
        return;
    pthread_mutex_lock(&m->mu);
    struct mock_conc *c = conc_for(m, r->integration, true);
    bool refuse = m->conc_limit && c->in_flight >= m->conc_limit;
    if (refuse) {
        m->conc_rejected++;
    } else {
        c->in_flight++;
        r->conc_held = true;
        if (c->in_flight > m->peak_in_flight)
            m->peak_in_flight = c->in_flight;
    }
    pthread_mutex_unlock(&m->mu);
    if (refuse)
        mock_respond_later(r, 429, "PLATFORM.CONCURRENCY_LIMIT_EXCEEDED",
                           "more than %u actions in flight for this integration: wait for one "
                           "to finish", m->conc_limit);
}

void mock_limit_release_locked(struct mock *m, struct req *r)
{
    if (!r->conc_held)
        return;
    struct mock_conc *c = conc_for(m, r->integration, false);
    if (c && c->in_flight)
        c->in_flight--;
    r->conc_held = false;
}

bool mock_limit_headers(struct mock *m, struct req *r, char limit[16], char remaining[16])
{
    if (!m->conc_limit || r->control)
        return false;
    pthread_mutex_lock(&m->mu);
    const struct mock_conc *c = r->integration ? conc_for(m, r->integration, false) : NULL;
    unsigned busy = c ? c->in_flight : 0;
    /* This answer ends its own action: its slot is free for the client's next request. */
    if (r->conc_held && busy)
        busy--;
    unsigned left = busy >= m->conc_limit ? 0 : m->conc_limit - busy;
    pthread_mutex_unlock(&m->mu);
    snprintf(limit, 16, "%u", m->conc_limit);
    snprintf(remaining, 16, "%u", left);
    return true;
}

void mock_limit_free(struct mock *m)
{
    while (m->conc) {
        struct mock_conc *c = m->conc;
        m->conc = c->next;
        free(c->integration);
        free(c);
    }
}
