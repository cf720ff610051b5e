/* See cli_report.h. stdout carries exactly one line (or JSON object) per file, so scripts
 * can read it; everything else goes to stderr. */
#include "cli_report.h"

#include <cjson/cJSON.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "sendopts.h"
#include "xalloc.h"

void cli_note(struct cli_notes *n, bool quiet, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = xvasprintf(fmt, ap);
    va_end(ap);
    if (!quiet) {
        char *safe = cli_sanitize(s);
        fprintf(stderr, "kombo-attach: warning: %s\n", safe);
        free(safe);
    }
    if (n->n < sizeof n->v / sizeof n->v[0])
        n->v[n->n++] = s;
    else
        free(s);
}

void cli_notes_free(struct cli_notes *n)
{
    for (size_t i = 0; i < n->n; i++)
        free(n->v[i]);
    n->n = 0;
}

static void print_json(const struct cli_file_result *r)
{
    char *j = cli_result_json(r);
    printf("%s\n", j);
    free(j);
    fflush(stdout);
}

/* " (sandbox)" after every sandbox result: a line that says "ok" must say where. */
static const char *where(const struct cli_options *o)
{
    return o->send->sandbox ? " (sandbox)" : "";
}

static void print_line(const struct cli_options *o, const char *word, const char *file,
                       const char *msg)
{
    char *f = cli_sanitize(file), *m = cli_sanitize(msg);
    printf("%s  %s: %s%s\n", word, f, m, where(o));
    free(f);
    free(m);
    fflush(stdout);
}

void cli_report_early(const struct cli_options *o, const char *file, const struct attachment *att,
                      const struct cli_notes *notes, int code, const char *msg)
{
    if (o->json) {
        struct cli_file_result r = {
            .file = file, .att = att, .candidate = o->send->candidate_id,
            .application = o->send->application_id, .job = o->job_name,
            .outcome = cli_outcome_for_code(code), .message = msg, .sandbox = o->send->sandbox,
            .notes = notes ? notes->v : NULL, .n_notes = notes ? notes->n : 0,
        };
        print_json(&r);
        return;
    }
    print_line(o, "error", file, msg);
}

/* "application A1pp... (Backend Engineer) of candidate 4B9b..." or "candidate 4B9b...",
 * escaped. Caller frees. */
static char *target_text(const struct cli_options *o)
{
    const struct send_options *so = o->send;
    char *cand = cli_sanitize(so->candidate_id);
    if (!so->application_id) {
        char *t = xasprintf("candidate %s", cand);
        free(cand);
        return t;
    }
    char *app = cli_sanitize(so->application_id), *job = cli_sanitize(o->job_name);
    char *t = xasprintf("application %s%s%s%s%s%s", app, o->job_name ? " (" : "",
                        o->job_name ? job : "", o->job_name ? ")" : "",
                        so->candidate_id ? " of candidate " : "", so->candidate_id ? cand : "");
    free(cand);
    free(app);
    free(job);
    return t;
}

void cli_report_result(const struct cli_options *o, const char *file, const struct attachment *att,
                       const struct cli_notes *notes, const struct transfer_result *res,
                       const struct cli_verify_outcome *v)
{
    bool unverified = v && v->asked && v->code != 0;
    const struct answer *an = &res->answer;
    bool ok = res->outcome == TRANSFER_OK;
    if (o->json) {
        struct cli_file_result r = {
            .file = file, .att = att, .candidate = o->send->candidate_id,
            .outcome = transfer_outcome_name(res->outcome), .http_status = an->http_status,
            .attempts = res->attempts, .warnings = an->warnings, .n_warnings = an->n_warnings,
            .notes = notes ? notes->v : NULL, .n_notes = notes ? notes->n : 0,
            .error = !ok && an->http_status && !an->ok ? &an->err : NULL,
            .message = ok ? (unverified ? v->msg : NULL) : res->message,
            .sandbox = o->send->sandbox,
            .application = o->send->application_id, .job = o->job_name,
            .verify_asked = v && v->asked, .verified = v && v->asked && v->code == 0,
        };
        print_json(&r);
        return;
    }
    if (unverified) {
        char *t = target_text(o), *m = xasprintf("sent to %s, but --verify failed: %s", t, v->msg);
        print_line(o, "unverified", file, m);
        free(t);
        free(m);
        return;
    }
    if (!ok) {
        /* "maybe": the server may have attached it, which a script must not retry blindly */
        print_line(o, res->outcome == TRANSFER_UNKNOWN ? "maybe" : "error", file, res->message);
        return;
    }
    char size[32];
    fmt_bytes(att->size, size, sizeof size);
    char *f = cli_sanitize(file), *cand = target_text(o);
    char *ct = cli_sanitize(att->content_type);
    printf("ok  %s → %s", f, cand);
    /* Say the name the ATS shows when it is not the file's own. */
    const char *base = strrchr(file, '/');
    base = base ? base + 1 : file;
    if (strcmp(base, att->name) != 0) {
        char *n = cli_sanitize(att->name);
        printf(" as \"%s\"", n);
        free(n);
    }
    printf(" (%s, %s)%s%s\n", ct, size, v && v->asked ? ", verified" : "", where(o));
    free(f);
    free(cand);
    free(ct);
    for (size_t i = 0; i < an->n_warnings; i++) {
        char *w = cli_sanitize(an->warnings[i]);
        printf("    warning: %s\n", w);
        free(w);
    }
    fflush(stdout);
}

void cli_report_duplicate(const struct cli_options *o, const char *file,
                          const struct attachment *att, const struct cli_notes *notes, time_t when)
{
    char date[32];
    struct tm tm;
    localtime_r(&when, &tm);
    strftime(date, sizeof date, "%Y-%m-%d %H:%M", &tm);
    char *msg = xasprintf("the same content was already attached to candidate %s on %s; not "
                          "sent again (pass --force to send it anyway)",
                          o->send->candidate_id, date);
    if (o->json) {
        struct cli_file_result r = {
            .file = file, .att = att, .candidate = o->send->candidate_id, .outcome = "duplicate",
            .application = o->send->application_id, .job = o->job_name,
            .duplicate_of = when, .sandbox = o->send->sandbox,
            .notes = notes ? notes->v : NULL, .n_notes = notes ? notes->n : 0,
        };
        print_json(&r);
    } else {
        print_line(o, "skip", file, msg);
    }
    free(msg);
}
