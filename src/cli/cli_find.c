/* See cli_find.h. stdout carries the matches only; failures and "nothing matched" go to
 * stderr, so `find --json` output can be piped as it is. */
#include "cli_find.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "candidate.h"
#include "client.h"
#include "cli_conn.h"
#include "cli_report.h"
#include "exitcodes.h"
#include "format.h"
#include "hitmerge.h"
#include "index.h"
#include "index_search.h"
#include "query.h"
#include "sendopts.h"
#include "xalloc.h"

/* Pages followed per filter: far more than a person's name ever matches, and enough for
 * the pager's guards (a repeating cursor, a page cap) to see a misbehaving server. */
#define FIND_MAX_PAGES 20
/* Hits asked of the local index: a screenful and more; one more says there are others. */
#define FIND_INDEX_LIMIT 100

static char *safe(const char *s)
{
    return cli_sanitize(s ? s : "");
}

static char *title_company(const struct candidate *c)
{
    bool t = c->title && *c->title, k = c->company && *c->company;
    if (t && k)
        return xasprintf("%s, %s", c->title, c->company);
    return xstrdup(t ? c->title : k ? c->company : "");
}

static char *emails_joined(const struct candidate *c)
{
    char *out = xstrdup("");
    for (size_t i = 0; i < c->n_emails; i++) {
        char *n = xasprintf("%s%s%s", out, i ? ", " : "", c->emails[i]);
        free(out);
        out = n;
    }
    return out;
}

/* "Backend Engineer — Interview, PENDING (application A1pp...)", raw. */
static char *app_line(const struct cand_application *a)
{
    return xasprintf("%s — %s, %s (application %s)", a->job_name ? a->job_name : "(no job name)",
                     a->stage ? a->stage : "no stage", app_outcome_name(a->outcome), a->id);
}

char *cli_find_brief(const struct candidate *c)
{
    char *name = candidate_display_name(c), *mails = emails_joined(c);
    char *raw = xasprintf("%s%s%s%s, Kombo ID %s, ATS ID %s", name, *mails ? " <" : "", mails,
                          *mails ? ">" : "", c->id, c->remote_id ? c->remote_id : "none");
    char *s = safe(raw);
    free(name);
    free(mails);
    free(raw);
    return s;
}

/* Plain text: one block per candidate, nothing cut (for pipes and logs). */
static void print_plain(FILE *out, const struct merged_hit *rows, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const struct candidate *c = rows[i].c;
        char *brief = cli_find_brief(c), *tcr = title_company(c), *tc = safe(tcr);
        char how[200];
        hitmerge_labels(rows[i].matched, how, sizeof how);
        fprintf(out, "%s%s%s%s  (matched: %s)\n", brief, *tc ? " — " : "", tc,
                c->remote_deleted_at ? " [deleted]" : "", how);
        for (size_t k = 0; k < c->n_apps; k++) {
            char *l = app_line(&c->apps[k]), *sl = safe(l);
            fprintf(out, "    %s\n", sl);
            free(l);
            free(sl);
        }
        free(brief);
        free(tcr);
        free(tc);
    }
}

enum { COL_NAME, COL_EMAIL, COL_TITLE, COL_KOMBO, COL_ATS, NCOLS };

/* A table: the text columns give way (down to 8 columns each) so the IDs, which people
 * copy, stay whole; each application on a line of its own below its candidate. A row only
 * the local index found (Kombo did not confirm it in this run) ends its name in " *". */
static void print_table(FILE *out, const struct merged_hit *rows, size_t n, int width)
{
    static const char *const heads[NCOLS] = { "NAME", "E-MAIL", "TITLE, COMPANY", "KOMBO ID",
                                              "ATS ID" };
    char *(*cell)[NCOLS] = xcalloc(n ? n : 1, sizeof *cell);
    int w[NCOLS];
    for (int k = 0; k < NCOLS; k++)
        w[k] = cli_width(heads[k]);
    for (size_t i = 0; i < n; i++) {
        const struct candidate *c = rows[i].c;
        char *name = candidate_display_name(c), *mails = emails_joined(c), *tc = title_company(c);
        char *raw = xasprintf("%s%s", name, rows[i].live ? "" : " *");
        cell[i][COL_NAME] = safe(raw);
        free(raw);
        cell[i][COL_EMAIL] = safe(mails);
        cell[i][COL_TITLE] = safe(tc);
        cell[i][COL_KOMBO] = safe(c->id);
        cell[i][COL_ATS] = safe(c->remote_id ? c->remote_id : "-");
        free(name);
        free(mails);
        free(tc);
        for (int k = 0; k < NCOLS; k++)
            if (cli_width(cell[i][k]) > w[k])
                w[k] = cli_width(cell[i][k]);
    }
    /* Shrink the widest text column, one column at a time, until the line fits. */
    int total = 0;
    for (int k = 0; k < NCOLS; k++)
        total += w[k] + 2;
    while (total - 2 > width - 1) {
        int widest = -1;
        for (int k = COL_NAME; k <= COL_TITLE; k++)
            if (w[k] > 8 && (widest < 0 || w[k] > w[widest]))
                widest = k;
        if (widest < 0)
            break;
        w[widest]--;
        total--;
    }
    for (size_t i = 0; i <= n; i++) {
        char line[4096];
        size_t pos = 0;
        line[0] = '\0';
        for (int k = 0; k < NCOLS; k++) {
            char *f = cli_fit(i == 0 ? heads[k] : cell[i - 1][k], w[k]);
            int pad = w[k] - cli_width(f);
            pos += (size_t)snprintf(line + pos, pos < sizeof line ? sizeof line - pos : 0, "%s%*s",
                                    f, k == NCOLS - 1 ? 0 : pad + 2, "");
            free(f);
        }
        char *fitted = cli_fit(line, width > 1 ? width - 1 : 79);
        fprintf(out, "%s\n", fitted);
        free(fitted);
        if (i == 0)
            continue;
        const struct candidate *c = rows[i - 1].c;
        for (size_t k = 0; k < c->n_apps; k++) {
            char *l = app_line(&c->apps[k]), *sl = safe(l), *ind = xasprintf("  └ %s", sl);
            char *fl = cli_fit(ind, width > 1 ? width - 1 : 79);
            fprintf(out, "%s\n", fl);
            free(l);
            free(sl);
            free(ind);
            free(fl);
        }
    }
    for (size_t i = 0; i < n; i++)
        for (int k = 0; k < NCOLS; k++)
            free(cell[i][k]);
    free(cell);
}

static void print_rows(FILE *out, const struct merged_hit *rows, size_t n, int width)
{
    if (width > 0)
        print_table(out, rows, n, width);
    else
        print_plain(out, rows, n);
}

void cli_find_print(FILE *out, const struct finder_results *r, int width)
{
    struct merged_hit *rows = xcalloc(r->n ? r->n : 1, sizeof *rows);
    size_t n = hitmerge_build(r, NULL, rows);
    print_rows(out, rows, n, width);
    free(rows);
}

static cJSON *hit_json(const struct merged_hit *h)
{
    const struct candidate *c = h->c;
    cJSON *o = cJSON_CreateObject();
    char *name = candidate_display_name(c);
    cJSON_AddItemToObject(o, "id", cli_json_str(c->id));
    cJSON_AddItemToObject(o, "remote_id", cli_json_str(c->remote_id));
    cJSON_AddItemToObject(o, "name", cli_json_str(name));
    free(name);
    cJSON_AddItemToObject(o, "first_name", cli_json_str(c->first_name));
    cJSON_AddItemToObject(o, "last_name", cli_json_str(c->last_name));
    cJSON *e = cJSON_AddArrayToObject(o, "emails");
    for (size_t i = 0; i < c->n_emails; i++)
        cJSON_AddItemToArray(e, cli_json_str(c->emails[i]));
    cJSON_AddItemToObject(o, "title", cli_json_str(c->title));
    cJSON_AddItemToObject(o, "company", cli_json_str(c->company));
    cJSON_AddItemToObject(o, "remote_url", cli_json_str(c->remote_url));
    cJSON_AddBoolToObject(o, "deleted", c->remote_deleted_at != NULL);
    cJSON *m = cJSON_AddArrayToObject(o, "matched");
    for (int f = 0; f < QF_COUNT; f++)
        if (h->matched & (1u << f))
            cJSON_AddItemToArray(m, cJSON_CreateString(query_filter_label((enum query_filter)f)));
    if (h->matched & HITMERGE_INDEX)
        cJSON_AddItemToArray(m, cJSON_CreateString("index"));
    cJSON *apps = cJSON_AddArrayToObject(o, "applications");
    for (size_t i = 0; i < c->n_apps; i++) {
        const struct cand_application *a = &c->apps[i];
        cJSON *j = cJSON_CreateObject();
        cJSON_AddItemToObject(j, "id", cli_json_str(a->id));
        cJSON_AddItemToObject(j, "remote_id", cli_json_str(a->remote_id));
        cJSON_AddItemToObject(j, "job", cli_json_str(a->job_name));
        cJSON_AddItemToObject(j, "job_id", cli_json_str(a->job_id));
        cJSON_AddItemToObject(j, "stage", cli_json_str(a->stage));
        cJSON_AddItemToObject(j, "outcome", a->outcome == APP_OUTCOME_UNKNOWN
                                                ? cJSON_CreateNull()
                                                : cJSON_CreateString(app_outcome_name(a->outcome)));
        cJSON_AddItemToArray(apps, j);
    }
    return o;
}

/* Every failed filter on stderr, the region hint once; returns the worst exit code. */
static int report_failures(const struct cli_options *o, const struct finder_results *r)
{
    int worst = KA_EXIT_OK;
    bool probed = false;
    for (size_t i = 0; i < r->n_failures; i++) {
        const struct finder_failure *f = &r->failures[i];
        int code = transfer_exit_code(f->err.outcome);
        worst = cli_worse_code(worst, code);
        cli_fail(code, "search by %s failed: %s", f->label, f->err.message);
        char hint[160];
        if (!probed && f->err.http_status == 401 &&
            strcmp(f->err.code, "PLATFORM.AUTHENTICATION_INVALID") == 0) {
            probed = true;
            if (cli_region_probe(o, hint, sizeof hint))
                fprintf(stderr, "kombo-attach: %s\n", hint);
        }
    }
    return worst;
}

/* Plan and run a search on c. The finished finder, or NULL with the problem printed and
 * *code set. */
static struct finder *search(struct client *c, const char *query, bool email_only,
                             struct query_plan *plan, int *code)
{
    char err[600];
    if (query_plan_build(query, plan, err, sizeof err) != 0) {
        *code = cli_fail(KA_EXIT_USAGE, "cannot search for \"%s\": %s — type a name, an e-mail "
                         "address, a Kombo ID, an ATS ID or the ATS page's URL", query, err);
        return NULL;
    }
    if (email_only && (plan->n != 1 || plan->sets[0].filter != QF_EMAIL)) {
        *code = cli_fail(KA_EXIT_USAGE, "--email \"%s\" is not an e-mail address — pass one like "
                         "frank@example.com, or use --find for names and IDs", query);
        return NULL;
    }
    struct finder_options fo = { .max_pages = FIND_MAX_PAGES };
    struct finder *f = finder_run(c, plan, &fo, code, err, sizeof err);
    if (!f)
        cli_fail(*code, "%s", err);
    return f;
}

static int terminal_columns(void)
{
    struct winsize ws;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
        return ws.ws_col;
    return 80;
}

/* The local index's hits for query (at most FIND_INDEX_LIMIT; *more when there are
 * others), when there is an index and it may be used; else none, and find is what it was
 * before there was an index. A problem with an index that is there is said, and the live
 * search goes on. *age: seconds since its last complete sync. */
static void search_index(const struct cli_options *o, const char *query,
                         struct index_results *out, bool *more, double *age)
{
    memset(out, 0, sizeof *out);
    *more = false;
    if (!o->use_index)
        return;
    struct index_env env = { .label = o->send->client.label,
                             .integration_id = o->send->client.integration_id };
    char path[4096], note[1200], err[1200];
    if (index_path(&env, path, sizeof path) != 0 || access(path, F_OK) != 0)
        return;
    struct index *ix = index_open(&env, false, note, sizeof note, err, sizeof err);
    if (note[0])
        cli_fail(0, "%s", note);
    if (!ix) {
        cli_fail(0, "the local index was not used: %s", err);
        return;
    }
    /* index_age counts whole seconds of now against the start's milliseconds: just
     * after a sync it can be a fraction below zero */
    *age = index_age(ix);
    if (*age < 0)
        *age = 0;
    if (index_search(ix, query, FIND_INDEX_LIMIT + 1, out, err, sizeof err) != 0)
        cli_fail(0, "the local index was not used: %s", err);
    if (out->n > FIND_INDEX_LIMIT) {
        *more = true;
        index_hit_free(&out->hits[--out->n]);
    }
    index_close(ix);
}

/* Rows only the index had are a copy of some time ago: say so, and how to refresh it. */
static void note_index_rows(const struct cli_options *o, const struct merged_hit *rows, size_t n,
                            double age)
{
    size_t stale = 0;
    for (size_t i = 0; i < n; i++)
        stale += !rows[i].live;
    if (!stale || o->quiet)
        return;
    char when[32];
    fmt_age(age, when, sizeof when);
    fprintf(stderr, "kombo-attach: %zu of these %s from the local index (synced %s%s), not "
            "looked up at Kombo now; kombo-attach index sync updates it\n", stale,
            stale == 1 ? "is" : "are", when,
            isatty(STDOUT_FILENO) && !o->json ? "; marked *" : "");
}

int cli_find_run(const struct cli_options *o, const char *query)
{
    int code = 0;
    struct client *c = cli_client_new(o, &code);
    if (!c)
        return code;
    struct query_plan plan = {0};
    struct index_results ixr = {0};
    struct merged_hit *rows = NULL;
    /* the live filters always run: an ID or an e-mail address is never missing because
     * the index is old, and a candidate new since the last sync is found by name */
    struct finder *f = search(c, query, false, &plan, &code);
    if (!f)
        goto out;
    bool ix_more;
    double age = 0;
    search_index(o, query, &ixr, &ix_more, &age);
    struct finder_results r;
    finder_get_results(f, &r);
    rows = xcalloc(r.n + ixr.n + 1, sizeof *rows);
    size_t n = hitmerge_build(&r, &ixr, rows);
    if (o->json) {
        for (size_t i = 0; i < n; i++) {
            cJSON *j = hit_json(&rows[i]);
            cli_json_line(stdout, j);
        }
    } else {
        print_rows(stdout, rows, n, isatty(STDOUT_FILENO) ? terminal_columns() : 0);
    }
    fflush(stdout);
    code = report_failures(o, &r);
    note_index_rows(o, rows, n, age);
    if (r.truncated || ix_more)
        fprintf(stderr, "kombo-attach: more candidates match than are shown — search by e-mail "
                "or ID to narrow it down\n");
    if (n == 0 && code == KA_EXIT_OK)
        code = cli_fail(KA_EXIT_API, "no candidate matches %s%s", plan.description,
                        o->send->sandbox ? " (sandbox)" : "");
    finder_free(f);
out:
    free(rows);
    index_results_free(&ixr);
    query_plan_free(&plan);
    client_free(c);
    return code;
}

int cli_find_one(const struct cli_options *o, struct client *c, const char *query,
                 bool email_only, struct candidate *out)
{
    int code = 0;
    struct query_plan plan = {0};
    memset(out, 0, sizeof *out);
    struct finder *f = search(c, query, email_only, &plan, &code);
    if (!f) {
        query_plan_free(&plan);
        return code;
    }
    struct finder_results r;
    finder_get_results(f, &r);
    const char *flag = email_only ? "--email" : "--find";
    if ((code = report_failures(o, &r)) != KA_EXIT_OK) {
        /* A filter that failed may have hidden a match: never guess from the rest. */
    } else if (r.n == 0) {
        code = cli_fail(KA_EXIT_USAGE, "%s: no candidate matches %s — check the spelling, or "
                        "run kombo-attach find", flag, plan.description);
    } else if (r.n > 1 || r.truncated) {
        code = cli_fail(KA_EXIT_USAGE, "%s: %zu%s candidates match %s — pass --candidate ID of "
                        "the one you mean:", flag, r.n, r.truncated ? "+" : "", plan.description);
        for (size_t i = 0; i < r.n; i++) {
            char *b = cli_find_brief(&r.hits[i].cand);
            fprintf(stderr, "  %s\n", b);
            free(b);
        }
    } else {
        candidate_copy(out, &r.hits[0].cand);
    }
    finder_free(f);
    query_plan_free(&plan);
    return code;
}
