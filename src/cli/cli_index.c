/* See cli_index.h. Progress goes to stderr on a terminal only (at most ten redraws a
 * second, always the last); results to stdout. */
#include "cli_index.h"

#include <cjson/cJSON.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "cli_report.h"
#include "client.h"
#include "exitcodes.h"
#include "format.h"
#include "index.h"
#include "index_sync.h"
#include "sendopts.h"

/* What is kept and where: said on the first sync (and in the README). */
static const char privacy_note[] =
    "index: keeping a local copy for search of each candidate's Kombo ID, ATS ID, name, "
    "e-mail addresses, title, company, applications (IDs, job titles, stages, outcomes), "
    "ATS link and dates — no phone numbers, no custom fields — in %s (only you can read it; "
    "remove it with: kombo-attach index clear; turn it off with index = off in the config)\n";

static volatile sig_atomic_t interrupted;

static void on_sigint(int sig)
{
    (void)sig;
    interrupted = 1;
}

static int err_out(int code, const char *msg)
{
    char *safe = cli_sanitize(msg);
    fprintf(stderr, "kombo-attach: %s\n", safe ? safe : msg);
    free(safe);
    return code;
}

static struct index_env env_of(const struct cli_index_options *o)
{
    return (struct index_env){ .label = o->send->client.label,
                               .integration_id = o->send->client.integration_id };
}

struct progress {
    bool tty;
    double last;
};

static double mono(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void draw(const struct index_sync_progress *p, bool final)
{
    char eta[32] = "";
    if (!final && p->eta_s >= 0)
        snprintf(eta, sizeof eta, ", about %.0f s left", p->eta_s);
    fprintf(stderr, "\r\033[Kindex: %s%zu pages, %llu candidates, %.0f/s%s", 
            p->incremental ? "update: " : "", p->pages, (unsigned long long)p->candidates,
            p->rate, eta);
    if (final)
        fputc('\n', stderr);
}

static int on_progress(void *data, const struct index_sync_progress *p)
{
    struct progress *pr = data;
    double now = mono();
    if (pr->tty && now - pr->last >= 0.1) {
        pr->last = now;
        draw(p, false);
    }
    return interrupted ? 1 : 0;
}

static int do_sync(const struct cli_index_options *o)
{
    char note[1200], err[1200];
    struct index_env env = env_of(o);
    struct index *ix = index_open(&env, true, note, sizeof note, err, sizeof err);
    if (!ix)
        return err_out(KA_EXIT_CONFIG, err);
    if (note[0])
        err_out(0, note);     /* one message, even with --quiet: data was moved */
    struct index_status st;
    if (!o->quiet && index_get_status(ix, &st, err, sizeof err) == 0 && st.last_complete == 0 &&
        !st.partial)
        fprintf(stderr, privacy_note, st.path);
    int code = 0;
    struct client *c = client_new(&o->send->client, &code, err, sizeof err);
    if (!c) {
        index_close(ix);
        return err_out(code, err);
    }
    struct progress pr = { .tty = !o->quiet && isatty(STDERR_FILENO) };
    struct sigaction sa = { .sa_handler = on_sigint }, old;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old);
    struct index_sync_options so = { .full = o->full };
    struct index_sync_progress p = { 0 };
    code = index_sync_run(ix, c, &so, on_progress, &pr, &p, err, sizeof err);
    sigaction(SIGINT, &old, NULL);
    if (pr.tty && p.pages)
        draw(&p, true);
    if (code == KA_EXIT_CANCELLED)
        err_out(code, "index sync stopped: what was read is kept, the next sync goes on from there");
    else if (code)
        err_out(code, err);
    else if (!o->quiet)
        fprintf(stderr, "index: %s — %llu candidates read, %llu removed, in %.1f s\n",
                p.incremental ? "up to date" : "complete", (unsigned long long)p.candidates,
                (unsigned long long)p.removed, p.elapsed_s);
    client_free(c);
    index_close(ix);
    return code;
}

static void iso(time_t t, char out[32])
{
    if (!t) {
        snprintf(out, 32, "never");
        return;
    }
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static int do_status(const struct cli_index_options *o)
{
    char err[1200], note[1200], path[4096];
    struct index_env env = env_of(o);
    index_path(&env, path, sizeof path);
    if (access(path, F_OK) != 0) {
        if (o->json) {
            cJSON *j = cJSON_CreateObject();
            cJSON_AddStringToObject(j, "path", path);
            cJSON_AddBoolToObject(j, "exists", false);
            cJSON_AddBoolToObject(j, "enabled", o->enabled);
            cli_json_line(stdout, j);
        } else {
            printf("no index yet at %s — run: kombo-attach index sync\n", path);
        }
        return KA_EXIT_OK;
    }
    struct index *ix = index_open(&env, false, note, sizeof note, err, sizeof err);
    if (!ix)
        return err_out(KA_EXIT_CONFIG, err);
    struct index_status st;
    int rc = index_get_status(ix, &st, err, sizeof err);
    index_close(ix);
    if (rc)
        return err_out(KA_EXIT_INTERNAL, err);
    char last[32], size[32];
    iso(st.last_complete, last);
    fmt_bytes(st.bytes, size, sizeof size);
    if (o->json) {
        cJSON *j = cJSON_CreateObject();
        cJSON_AddStringToObject(j, "path", st.path);
        cJSON_AddBoolToObject(j, "exists", true);
        cJSON_AddBoolToObject(j, "enabled", o->enabled);
        cJSON_AddNumberToObject(j, "bytes", (double)st.bytes);
        cJSON_AddNumberToObject(j, "candidates", (double)st.candidates);
        if (st.last_complete)
            cJSON_AddStringToObject(j, "last_complete_sync", last);
        else
            cJSON_AddNullToObject(j, "last_complete_sync");
        cJSON_AddBoolToObject(j, "partial", st.partial);
        cJSON_AddNumberToObject(j, "schema_version", st.schema);
        cli_json_line(stdout, j);
    } else {
        printf("path:                %s\nsize:                %s\ncandidates:          %llu\n"
               "last complete sync:  %s (started)\n%sschema version:      %d\n%s",
               st.path, size, (unsigned long long)st.candidates, last,
               st.partial ? "a sync stopped part way: the next one goes on from there\n" : "",
               st.schema, o->enabled ? "" : "the index is turned off (index = off or --no-index)\n");
    }
    return KA_EXIT_OK;
}

static int do_clear(const struct cli_index_options *o)
{
    char err[1200], path[4096];
    struct index_env env = env_of(o);
    int rc = index_remove(&env, path, sizeof path, err, sizeof err);
    if (rc < 0)
        return err_out(KA_EXIT_CONFIG, err);
    printf(rc ? "removed the index %s\n" : "no index to remove at %s\n", path);
    return KA_EXIT_OK;
}

int cli_index_run(const struct cli_index_options *o, char *const args[], int nargs)
{
    const char *what = nargs > 0 ? args[0] : NULL;
    if (!what || nargs > 1 || (strcmp(what, "sync") && strcmp(what, "status") && strcmp(what, "clear")))
        return err_out(KA_EXIT_USAGE, "index needs one of sync, status, clear — e.g. "
                       "kombo-attach index sync");
    if (!strcmp(what, "clear"))
        return do_clear(o);          /* removing is always allowed */
    if (!strcmp(what, "status"))
        return do_status(o);
    if (!o->enabled)
        return err_out(KA_EXIT_USAGE, "the index is turned off (index = off in the config, or "
                       "--no-index) — nothing synced");
    return do_sync(o);
}
