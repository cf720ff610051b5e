/* See result_priv.h: the links of the result screen. */
#include "result_priv.h"

#include <string.h>

#include "app.h"

/* The candidate as the form found them, when the batch went to them. */
const struct candidate *result_batch_target(const struct app *a)
{
    const struct form_model *m = &a->form.m;
    const struct batch *b = &a->sender.b;
    return m->have_target && b->candidate && strcmp(m->target.id, b->candidate) == 0 ? &m->target : NULL;
}

const struct cand_application *result_batch_app(const struct app *a)
{
    const struct candidate *c = result_batch_target(a);
    const struct batch *b = &a->sender.b;
    for (size_t i = 0; c && b->application_id && i < c->n_apps; i++)
        if (strcmp(c->apps[i].id, b->application_id) == 0)
            return &c->apps[i];
    return NULL;
}

/* The links of a file's details, in the order they are shown. */
size_t result_file_links(const struct app *a, const struct batch_file *j, struct rlink out[3])
{
    size_t n = 0;
    const struct candidate *c = result_batch_target(a);
    const struct cand_application *ap = result_batch_app(a);
    if (c && c->remote_url)
        out[n++] = (struct rlink){ "ATS page", c->remote_url };
    if (ap && ap->remote_url)
        out[n++] = (struct rlink){ "App page", ap->remote_url };
    if (j->state == BF_DONE && j->result && j->result->answer.err.log_url)
        out[n++] = (struct rlink){ "Log", j->result->answer.err.log_url };
    return n;
}

