/* `kombo-attach batch` (cli_batch.h): read the manifest, check every row (the text, the
 * files, the restrictions, the e-mails' candidates) and list every problem at once before
 * anything is sent; then a dry run, or the rows on the batch engine. */
#include "cli_batch.h"

#include <cjson/cJSON.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "candidate.h"
#include "client.h"
#include "clock.h"
#include "cli_conn.h"
#include "cli_report.h"
#include "cli_target.h"
#include "exitcodes.h"
#include "kombo.h"
#include "kread.h"
#include "manifest.h"
#include "restrict.h"
#include "sendopts.h"
#include "transfer.h"
#include "xalloc.h"

#define EMAIL_LOOKUPS_AT_ONCE 16   /* candidate reads do not count against Kombo's limit */

static volatile sig_atomic_t interrupted;

static void on_sigint(int sig)
{
    (void)sig;
    interrupted = 1;
}

/* A problem found before sending: the manifest's own, then these, sorted by line. */
struct problems {
    struct manifest_problem *v;
    size_t n;
};

static void add_problem(struct problems *p, size_t line, const char *fmt, const char *a,
                        const char *b)
{
    p->v = xrealloc(p->v, (p->n + 1) * sizeof *p->v);
    p->v[p->n++] = (struct manifest_problem){ line, xasprintf(fmt, a, b) };
}

static int cmp_problem(const void *a, const void *b)
{
    const struct manifest_problem *x = a, *y = b;
    return x->line < y->line ? -1 : x->line > y->line;
}

/* One e-mail's lookup: the candidate when exactly one has it. */
struct email_lookup {
    const char *email;
    struct transfer *t;
    char *candidate_id, *name;
    char problem[700];
};

static void lookup_finish(struct email_lookup *e)
{
    const struct transfer_result *res = transfer_get_result(e->t);
    struct cand_page page = {0};
    char err[300];
    if (res->outcome != TRANSFER_OK) {
        snprintf(e->problem, sizeof e->problem, "looking up the e-mail failed: %s", res->message);
    } else if (cand_page_parse(res->json, &page, err, sizeof err) != 0) {
        snprintf(e->problem, sizeof e->problem, "looking up the e-mail failed: %s", err);
    } else if (page.n == 0) {
        snprintf(e->problem, sizeof e->problem, "no candidate has this e-mail — check it, or "
                 "give the candidate's ID in the candidate column");
    } else if (page.n > 1 || page.next) {
        snprintf(e->problem, sizeof e->problem, "several candidates have this e-mail (%s and "
                 "more) — give the candidate's ID in the candidate column", page.items[0].id);
    } else {
        e->candidate_id = xstrdup(page.items[0].id);
        e->name = candidate_display_name(&page.items[0]);
    }
    cand_page_free(&page);
    transfer_free(e->t);
    e->t = NULL;
}

/* Each distinct e-mail once, several at a time, as `find` resolves one: Kombo's exact
 * e-mail filter, exactly one match. */
static void resolve_emails(struct client *c, struct email_lookup *v, size_t n)
{
    size_t next = 0, running = 0;
    while (next < n || running) {
        while (next < n && running < EMAIL_LOOKUPS_AT_ONCE) {
            struct email_lookup *e = &v[next++];
            struct kread_candidates q = { .email = e->email, .page_size = 2 };
            int code = 0;
            char err[600];
            e->t = kread_candidates(c, &q, &code, err, sizeof err);
            if (!e->t)
                snprintf(e->problem, sizeof e->problem, "%s", err);
            else
                running++;
        }
        client_poll(c, 100, -1, NULL);
        for (size_t i = 0; i < next; i++)
            if (v[i].t && transfer_finished(v[i].t)) {
                lookup_finish(&v[i]);
                running--;
            }
    }
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static struct email_lookup *find_lookup(struct email_lookup *v, size_t n, const char *email)
{
    for (size_t lo = 0, hi = n; lo < hi;) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(v[mid].email, email);
        if (!c)
            return &v[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* The file's path: relative to the manifest's folder, as the users write them. */
static char *row_path(const char *dir, const char *file)
{
    return file[0] == '/' ? xstrdup(file) : xasprintf("%s/%s", dir, file);
}

static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return xstrdup(".");
    return slash == path ? xstrdup("/") : xstrndup(path, (size_t)(slash - path));
}

/* Every check of every row; items get the good rows. Returns the problems' count. */
static size_t check_rows(const struct cli_batch_options *bo, struct client *c,
                         const char *manifest, struct manifest *m, struct bulk_item *items,
                         size_t *n_items, struct problems *pr)
{
    const struct send_options *so = bo->co->send;
    for (size_t i = 0; i < m->n_problems; i++)
        add_problem(pr, m->problems[i].line, "%s%s", m->problems[i].message, "");
    if (m->more_problems)
        add_problem(pr, SIZE_MAX, "and more problems, not listed%s%s", "", "");

    /* The e-mails first, all at once. */
    char **emails = xcalloc(m->n_rows + 1, sizeof *emails);
    size_t ne = 0;
    for (size_t i = 0; i < m->n_rows; i++)
        if (!m->rows[i].bad && m->rows[i].email)
            emails[ne++] = m->rows[i].email;
    qsort(emails, ne, sizeof *emails, cmp_str);
    struct email_lookup *lk = xcalloc(ne + 1, sizeof *lk);
    size_t nl = 0;
    for (size_t i = 0; i < ne; i++)
        if (!nl || strcmp(lk[nl - 1].email, emails[i]))
            lk[nl++].email = emails[i];
    if (nl)
        resolve_emails(c, lk, nl);

    bool need_cand = false, need_app = false;
    for (size_t i = 0; i < m->n_rows; i++) {
        need_app |= m->rows[i].application != NULL;
        need_cand |= m->rows[i].application == NULL;
    }
    struct restrictions rc = {0}, ra = {0};
    if (need_cand)
        cli_target_restrictions(bo->co, c, false, &rc);
    if (need_app)
        cli_target_restrictions(bo->co, c, true, &ra);

    char *dir = dir_of(manifest);
    *n_items = 0;
    for (size_t i = 0; i < m->n_rows; i++) {
        struct manifest_row *row = &m->rows[i];
        if (row->bad)
            continue;
        const char *cand = row->candidate, *cname = NULL;
        if (row->email) {
            struct email_lookup *e = find_lookup(lk, nl, row->email);
            if (!e || !e->candidate_id) {
                add_problem(pr, row->line, "email %s: %s", row->email, e ? e->problem : "not looked up");
                continue;
            }
            cand = e->candidate_id;
            cname = e->name;
        }
        char *path = row_path(dir, row->file);
        struct attachment att;
        char err[600], why[600];
        bool big = false;
        int code = attachment_init(&att, path, row->name, row->type, row->content_type, err,
                                   sizeof err);
        free(path);
        if (code) {
            add_problem(pr, row->line, "%s%s", err, "");
            continue;
        }
        if (att_check_size(att.size, so->max_size, &big, err, sizeof err) != 0) {
            add_problem(pr, row->line, "%s%s", err, "");
        } else if (restrict_check(row->application ? &ra : &rc, att.type, att.size,
                                  att.content_type, why, sizeof why) == RESTRICT_REFUSED) {
            add_problem(pr, row->line, "%s — pick another type or file (see kombo-attach check)%s",
                        why, "");
        } else {
            /* The same file twice to the same target would be attached twice. */
            size_t dup = SIZE_MAX;
            for (size_t k = 0; k < *n_items && dup == SIZE_MAX; k++) {
                const struct bulk_item *o = &items[k];
                bool same_target = row->application
                    ? o->application_id && !strcmp(o->application_id, row->application)
                    : !o->application_id && o->candidate_id && !strcmp(o->candidate_id, cand);
                if (same_target && o->att.id.dev == att.id.dev && o->att.id.ino == att.id.ino)
                    dup = o->row;
            }
            if (dup != SIZE_MAX) {
                char l[32];
                snprintf(l, sizeof l, "%zu", dup);
                add_problem(pr, row->line, "the same file and target as line %s%s: remove one",
                            l, "");
            } else {
                bulk_item_init(&items[(*n_items)++], row->line, row->file, &att,
                               row->application ? NULL : cand, row->application, cname, NULL);
                continue;
            }
        }
        attachment_free(&att);
    }
    free(dir);
    restrict_free(&rc);
    restrict_free(&ra);
    for (size_t i = 0; i < nl; i++) {
        free(lk[i].candidate_id);
        free(lk[i].name);
    }
    free(lk);
    free(emails);
    return pr->n;
}

static void print_problems(const char *manifest, struct problems *pr)
{
    qsort(pr->v, pr->n, sizeof *pr->v, cmp_problem);
    char *mf = cli_sanitize(manifest);
    size_t rows = 0;
    for (size_t i = 0; i < pr->n; i++) {
        char *msg = cli_sanitize(pr->v[i].message);
        if (pr->v[i].line == 0 || pr->v[i].line == SIZE_MAX)
            fprintf(stderr, "kombo-attach: %s: %s\n", mf, msg);
        else
            fprintf(stderr, "kombo-attach: %s line %zu: %s\n", mf, pr->v[i].line, msg);
        rows += i == 0 || pr->v[i].line != pr->v[i - 1].line;
        free(msg);
    }
    fprintf(stderr, "kombo-attach: %zu problem%s in %s; nothing was sent — fix %s and run again\n",
            pr->n, pr->n == 1 ? "" : "s", mf, pr->n == 1 ? "it" : "them");
    free(mf);
}

/* --dry-run: each row as it would go, from the checks alone. */
static void dry_run(const struct cli_batch_options *bo, const struct bulk_item *items, size_t n)
{
    const struct send_options *so = bo->co->send;
    for (size_t i = 0; i < n; i++) {
        const struct bulk_item *it = &items[i];
        char err[300];
        char *url = upload_url(so->client.base_url, it->candidate_id, it->application_id, err,
                               sizeof err);
        if (bo->co->json) {
            cJSON *j = cJSON_CreateObject();
            cJSON_AddNumberToObject(j, "line", (double)it->row);
            cJSON_AddItemToObject(j, "file", cli_json_str(it->shown));
            cJSON_AddTrueToObject(j, "dry_run");
            cJSON_AddItemToObject(j, "candidate", cli_json_str(it->candidate_id));
            cJSON_AddItemToObject(j, "application", cli_json_str(it->application_id));
            cJSON_AddStringToObject(j, "method", "POST");
            cJSON_AddItemToObject(j, "url", cli_json_str(url));
            cJSON_AddItemToObject(j, "name", cli_json_str(it->att.name));
            cJSON_AddItemToObject(j, "type", cli_json_str(att_type_name(it->att.type)));
            cJSON_AddItemToObject(j, "content_type", cli_json_str(it->att.content_type));
            cJSON_AddNumberToObject(j, "size", (double)it->att.size);
            cli_json_line(stdout, j);
        } else {
            char *f = cli_sanitize(it->shown), *u = cli_sanitize(url ? url : err);
            char *nm = cli_sanitize(it->att.name), *ct = cli_sanitize(it->att.content_type);
            printf("line %zu: %s → POST %s (%s, %s as %s, %llu bytes)\n", it->row, f, u,
                   att_type_name(it->att.type), nm, ct, (unsigned long long)it->att.size);
            free(f);
            free(u);
            free(nm);
            free(ct);
        }
        free(url);
    }
    fflush(stdout);
}

int cli_batch_run(const struct cli_batch_options *bo, const char *manifest)
{
    const struct cli_options *co = bo->co;
    struct manifest m;
    char err[600];
    if (manifest_load(manifest, &m, err, sizeof err) != 0)
        return cli_fail(KA_EXIT_FILE, "%s", err);
    int code = 0;
    struct client *c = cli_client_new(co, &code);
    if (!c) {
        manifest_free(&m);
        return code;
    }
    struct bulk_item *items = xcalloc(m.n_rows + 1, sizeof *items);
    size_t n = 0;
    struct problems pr = {0};
    int rc = KA_EXIT_OK;
    if (check_rows(bo, c, manifest, &m, items, &n, &pr)) {
        print_problems(manifest, &pr);
        rc = KA_EXIT_USAGE;
    } else if (co->dry_run) {
        dry_run(bo, items, n);
    } else {
        struct cli_batch_out out = { .co = co, .manifest = manifest,
                                     .progress = !co->quiet && isatty(STDERR_FILENO) };
        struct sigaction sa, old_sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_sigint;
        sigemptyset(&sa.sa_mask);
        sa.sa_flags = SA_RESETHAND;   /* a second Ctrl-C ends the program the ordinary way */
        interrupted = 0;
        sigaction(SIGINT, &sa, &old_sa);
        struct bulk_options o = {
            .concurrency = bo->concurrency,
            .remote_fields = co->send->remote_fields,
            .no_history = co->send->no_history,
            .force = co->send->force,
            .interrupted = &interrupted,
            .progress = cli_batch_progress,
            .done = cli_batch_row_done,
            .cls = &out,
        };
        double t0 = clock_now();
        rc = bulk_run(c, items, n, &o);
        sigaction(SIGINT, &old_sa, NULL);
        cli_batch_summary(&out, items, n, clock_now() - t0);
        if (bo->report && cli_batch_report(bo->report, items, n) != 0 && rc == KA_EXIT_OK)
            rc = KA_EXIT_FILE;
    }
    for (size_t i = 0; i < pr.n; i++)
        free(pr.v[i].message);
    free(pr.v);
    for (size_t i = 0; i < n; i++)
        bulk_item_free(&items[i]);
    free(items);
    manifest_free(&m);
    client_free(c);
    return rc;
}
