/* See cli_target.h. */
#include "cli_target.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <wchar.h>
#include <wctype.h>

#include "candidate.h"
#include "cli_conn.h"
#include "cli_find.h"
#include "exitcodes.h"
#include "kread.h"
#include "sendopts.h"
#include "transfer.h"
#include "xalloc.h"

/* s folded to lower case as wide characters, or NULL when the locale cannot read it. */
static wchar_t *fold(const char *s)
{
    size_t n = mbstowcs(NULL, s, 0);
    if (n == (size_t)-1)
        return NULL;
    wchar_t *w = xcalloc(n + 1, sizeof *w);
    mbstowcs(w, s, n + 1);
    for (size_t i = 0; i < n; i++)
        w[i] = (wchar_t)towlower((wint_t)w[i]);
    return w;
}

/* Does hay contain needle, ignoring case ("Müller" too where the locale is UTF-8)? */
static bool contains_nocase(const char *hay, const char *needle)
{
    wchar_t *h = fold(hay), *n = fold(needle);
    bool found = h && n ? wcsstr(h, n) != NULL : strcasestr(hay, needle) != NULL;
    free(h);
    free(n);
    return found;
}

static void list_apps(const struct candidate *c, const unsigned char *only)
{
    for (size_t i = 0; i < c->n_apps; i++) {
        if (only && !only[i])
            continue;
        const struct cand_application *a = &c->apps[i];
        char *raw = xasprintf("%s — %s, %s: --application %s", a->job_name ? a->job_name : "(no job name)",
                              a->stage ? a->stage : "no stage", app_outcome_name(a->outcome), a->id);
        char *s = cli_sanitize(raw);
        fprintf(stderr, "  %s\n", s);
        free(raw);
        free(s);
    }
}

int cli_target_pick(const struct candidate *c, const char *job)
{
    if (!job) {
        int open = -1, n_open = 0;
        for (size_t i = 0; i < c->n_apps; i++)
            if (c->apps[i].outcome == APP_OUTCOME_PENDING) {
                open = (int)i;
                n_open++;
            }
        return n_open == 1 && !c->apps_truncated ? open : -1;
    }
    unsigned char match[CAND_APPS_MAX] = {0};
    int n = 0, last = -1;
    for (size_t i = 0; i < c->n_apps; i++)
        if (c->apps[i].job_name && contains_nocase(c->apps[i].job_name, job)) {
            match[i] = 1;
            n++;
            last = (int)i;
        }
    if (n == 1)
        return last;
    char *name = candidate_display_name(c);
    if (n == 0) {
        cli_fail(KA_EXIT_USAGE, "--job \"%s\": none of %s's %zu application%s is for such a job "
                 "— pick one by its job name or pass --application ID:", job, name, c->n_apps,
                 c->n_apps == 1 ? "" : "s");
        list_apps(c, NULL);
    } else {
        cli_fail(KA_EXIT_USAGE, "--job \"%s\" matches %d of %s's applications — pass more of "
                 "the job name or --application ID:", job, n, name);
        list_apps(c, match);
    }
    free(name);
    return -2;
}

int cli_target_resolve(const struct cli_options *o, struct client *c, struct cli_target *t)
{
    const struct send_options *so = o->send;
    memset(t, 0, sizeof *t);
    if (!o->email && !o->find) {
        t->candidate_id = so->candidate_id ? xstrdup(so->candidate_id) : NULL;
        t->application_id = so->application_id ? xstrdup(so->application_id) : NULL;
        return 0;
    }
    struct candidate cand;
    int code = cli_find_one(o, c, o->email ? o->email : o->find, o->email != NULL, &cand);
    if (code)
        return code;
    t->candidate_id = xstrdup(cand.id);
    t->candidate_name = candidate_display_name(&cand);
    int k = cli_target_pick(&cand, o->job);
    if (k == -2) {
        code = KA_EXIT_USAGE;
    } else if (k >= 0) {
        const struct cand_application *a = &cand.apps[k];
        t->application_id = xstrdup(a->id);
        t->job_name = a->job_name ? xstrdup(a->job_name) : NULL;
        t->why = xstrdup(o->job ? "its job matches --job" : "the only open application");
    } else {
        t->why = xstrdup(cand.n_apps ? "no single open application" : "no applications");
    }
    candidate_free(&cand);
    return code;
}

void cli_target_free(struct cli_target *t)
{
    free(t->candidate_id);
    free(t->candidate_name);
    free(t->application_id);
    free(t->job_name);
    free(t->why);
    memset(t, 0, sizeof *t);
}

void cli_target_restrictions(const struct cli_options *o, struct client *c, bool application,
                             struct restrictions *out)
{
    memset(out, 0, sizeof *out);
    bool verbose = o->send->client.verbose;
    const char *action = application ? "ats_add_application_attachment" : "ats_add_candidate_attachment";
    int code = 0;
    char err[600];
    struct transfer *t = kread_restrictions(c, application ? KREAD_TO_APPLICATION : KREAD_TO_CANDIDATE,
                                            &code, err, sizeof err);
    if (!t) {
        if (verbose)
            cli_fail(0, "the attachment restrictions (%s) could not be asked for: %s — not checked",
                     action, err);
        return;
    }
    const struct transfer_result *res = cli_await(c, t);
    if (res->outcome != TRANSFER_OK) {
        if (verbose)
            cli_fail(0, "the attachment restrictions (%s) could not be read: %s — not checked, "
                     "sending anyway", action, res->message);
    } else if (restrict_parse(res->json, out, err, sizeof err) != 0) {
        if (verbose)
            cli_fail(0, "the attachment restrictions (%s) are not in Kombo's shape: %s — not "
                     "checked, sending anyway", action, err);
        restrict_free(out);
        memset(out, 0, sizeof *out);
    } else if (verbose) {
        char desc[600];
        if (out->known)
            restrict_describe_all(out, desc, sizeof desc);
        cli_fail(0, "attachment restrictions (%s): %s", action,
                 out->known ? desc : "none known for this integration (null) — not checked");
    }
    transfer_free(t);
}
