/* What `kombo-attach batch` prints (cli_batch.h): stdout holds one JSON object per row
 * with --json (and the summary's), nothing otherwise; stderr the progress line on a
 * terminal, failed rows and the summary. */
#include "cli_batch.h"

#include <cjson/cJSON.h>
#include <csv.h>
#include <errno.h>
#include <stdio.h>
#include <time.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "clock.h"
#include "cli_report.h"
#include "format.h"
#include "numparse.h"
#include "xalloc.h"

#define REDRAW_INTERVAL_S 0.1


void cli_batch_format_progress(const struct bulk_stats *s, int width, char *out, size_t outlen)
{
    char done[32], total[32], rate[32], eta[48] = "";
    fmt_bytes(s->bytes_done, done, sizeof done);
    fmt_bytes(s->bytes_total, total, sizeof total);
    fmt_rate(s->rate, rate, sizeof rate);
    if (s->eta_s >= 0) {
        char d[32];
        fmt_duration(s->eta_s, d, sizeof d);
        snprintf(eta, sizeof eta, " · ETA %s", d);
    }
    char line[512];
    snprintf(line, sizeof line, "batch: %zu/%zu files · %s of %s · %s%s · %zu in flight (cap %d)",
             s->done, s->total, done, total, rate, eta, s->in_flight, s->cap);
    if (s->failed) {
        size_t l = strlen(line);
        snprintf(line + l, sizeof line - l, " · %zu failed", s->failed);
    }
    if (s->settling) {
        size_t l = strlen(line);
        snprintf(line + l, sizeof line - l, " · %zu waiting to show", s->settling);
    }
    /* Cut to the terminal: a wrapped line cannot be redrawn in place. */
    if (width > 1 && strlen(line) >= (size_t)width)
        line[width - 1] = '\0';
    snprintf(out, outlen, "%s", line);
}

/* Once per run, terminal or not: rows held back on purpose must not look like a hang. Said
 * once the first checks are all in, so the count is whole. */
static void say_settling(struct cli_batch_out *o, const struct bulk_stats *s)
{
    if (o->settle_said || !s->settling || s->checking || o->co->quiet)
        return;
    o->settle_said = true;
    char until[32] = "?";
    struct tm tm;
    if (localtime_r(&s->settle_until, &tm))
        strftime(until, sizeof until, "%H:%M:%S", &tm);
    if (o->progress)
        fputs("\r\033[K", stderr);
    fprintf(stderr, "kombo-attach: %zu file%s an interrupted run sent %s not in the target's "
            "attachments yet: Kombo may still be storing %s, so they are listed again until "
            "%s before being sent (Ctrl-C now and a rerun later is just as safe)\n",
            s->settling, s->settling == 1 ? "" : "s", s->settling == 1 ? "is" : "are",
            s->settling == 1 ? "it" : "them", until);
}

void cli_batch_progress(const struct bulk_stats *s, void *cls)
{
    struct cli_batch_out *o = cls;
    say_settling(o, s);
    if (!o->progress)
        return;
    double now = clock_now();
    bool last = s->done == s->total;
    if (!last && now - o->last_draw < REDRAW_INTERVAL_S)
        return;
    o->last_draw = now;
    char line[512];
    cli_batch_format_progress(s, cli_terminal_width(), line, sizeof line);
    fprintf(stderr, "\r%s\033[K", line);
    fflush(stderr);
}

static const char *target_kind(const struct bulk_item *it)
{
    return it->application_id ? "application" : "candidate";
}

static cJSON *row_json(const struct bulk_item *it)
{
    cJSON *j = cJSON_CreateObject();
    cJSON_AddNumberToObject(j, "line", (double)it->row);
    cJSON_AddItemToObject(j, "file", cli_json_str(it->shown));
    cJSON_AddItemToObject(j, "target", cli_json_str(target_kind(it)));
    cJSON_AddItemToObject(j, "candidate", cli_json_str(it->candidate_id));
    cJSON_AddItemToObject(j, "application", cli_json_str(it->application_id));
    cJSON_AddItemToObject(j, "name", cli_json_str(it->att.name));
    cJSON_AddItemToObject(j, "type", cli_json_str(att_type_name(it->att.type)));
    cJSON_AddItemToObject(j, "status", cli_json_str(bulk_status_name(it->status)));
    cJSON_AddItemToObject(j, "outcome", cli_json_str(it->outcome ? it->outcome : "not run"));
    if (it->http_status)
        cJSON_AddNumberToObject(j, "http_status", (double)it->http_status);
    cJSON_AddItemToObject(j, "sha256", cli_json_str(it->sha256[0] ? it->sha256 : NULL));
    cJSON_AddItemToObject(j, "message", cli_json_str(it->message[0] ? it->message : NULL));
    return j;
}

static void clear_progress(const struct cli_batch_out *o)
{
    if (o->progress) {
        fputs("\r\033[K", stderr);
        fflush(stderr);
    }
}

void cli_batch_row_done(struct bulk_item *it, const struct transfer *upload, void *cls)
{
    (void)upload;
    struct cli_batch_out *o = cls;
    if (o->co->json) {
        cJSON *j = row_json(it);
        cli_json_line(stdout, j);
        fflush(stdout);
    }
    if (it->status == BULK_FAILED) {
        clear_progress(o);
        char *f = cli_sanitize(it->shown), *m = cli_sanitize(it->message);
        fprintf(stderr, "kombo-attach: line %zu, %s: %s\n", it->row, f, m);
        free(f);
        free(m);
    }
}

void cli_batch_summary(const struct cli_batch_out *o, const struct bulk_item *items, size_t n,
                       double elapsed_s)
{
    size_t count[5] = {0};
    for (size_t i = 0; i < n; i++)
        count[items[i].status]++;
    clear_progress(o);
    char took[32];
    fmt_duration(elapsed_s, took, sizeof took);
    if (o->co->json) {
        cJSON *j = cJSON_CreateObject();
        cJSON *s = cJSON_AddObjectToObject(j, "summary");
        cJSON_AddNumberToObject(s, "rows", (double)n);
        cJSON_AddNumberToObject(s, "attached", (double)count[BULK_ATTACHED]);
        cJSON_AddNumberToObject(s, "already_done", (double)count[BULK_ALREADY]);
        cJSON_AddNumberToObject(s, "found", (double)count[BULK_FOUND]);
        cJSON_AddNumberToObject(s, "failed", (double)count[BULK_FAILED]);
        cJSON_AddNumberToObject(s, "not_run", (double)count[BULK_PENDING]);
        cJSON_AddNumberToObject(s, "seconds", (double)(long)(elapsed_s * 1000 + 0.5) / 1000);
        cli_json_line(stdout, j);
    }
    if (o->co->quiet && !count[BULK_FAILED] && !count[BULK_PENDING])
        return;
    fprintf(stderr, "batch: %zu row%s in %s: %zu attached, %zu skipped as already done",
            n, n == 1 ? "" : "s", took, count[BULK_ATTACHED], count[BULK_ALREADY]);
    if (count[BULK_FOUND])
        fprintf(stderr, ", %zu found attached by an interrupted run", count[BULK_FOUND]);
    fprintf(stderr, ", %zu failed", count[BULK_FAILED]);
    if (count[BULK_PENDING])
        fprintf(stderr, ", %zu not run", count[BULK_PENDING]);
    fprintf(stderr, "\n");
    for (size_t i = 0; i < n; i++) {
        if (items[i].status != BULK_FAILED)
            continue;
        char *f = cli_sanitize(items[i].shown), *m = cli_sanitize(items[i].message);
        fprintf(stderr, "  failed: line %zu, %s: %s\n", items[i].row, f, m);
        free(f);
        free(m);
    }
    if (count[BULK_FAILED] || count[BULK_PENDING])
        fprintf(stderr, "batch: run the same command again to finish: rows already attached are "
                "skipped\n");
}

static int put_csv(FILE *f, const char *const *fields, size_t nf)
{
    for (size_t i = 0; i < nf; i++) {
        if (i && fputc(',', f) == EOF)
            return -1;
        const char *v = fields[i] ? fields[i] : "";
        size_t n = strlen(v);
        /* Quoted only when it must be (libcsv quotes every field it writes). */
        bool quote = strpbrk(v, ",\"\r\n") || (n && (v[0] == ' ' || v[n - 1] == ' '));
        if (quote ? csv_fwrite(f, v, n) != 0 : fwrite(v, 1, n, f) != n)
            return -1;
    }
    return fputc('\n', f) == EOF ? -1 : 0;
}

int cli_batch_report(const char *path, const struct bulk_item *items, size_t n)
{
    const char *dot = strrchr(path, '.');
    bool json = dot && (!strcasecmp(dot, ".jsonl") || !strcasecmp(dot, ".json") ||
                        !strcasecmp(dot, ".ndjson"));
    /* Written beside, then renamed: a reader never sees half a report. */
    char *tmp = xasprintf("%s.tmp%ld", path, (long)getpid());
    FILE *f = fopen(tmp, "w");
    if (!f) {
        fprintf(stderr, "kombo-attach: cannot write the report %s: %s — check --report\n", path,
                strerror(errno));
        free(tmp);
        return -1;
    }
    int bad = 0;
    if (!json) {
        static const char *const head[] = { "line", "file", "target", "candidate", "application",
                                            "name", "type", "status", "outcome", "sha256",
                                            "message" };
        bad |= put_csv(f, head, sizeof head / sizeof *head);
    }
    for (size_t i = 0; i < n && !bad; i++) {
        const struct bulk_item *it = &items[i];
        if (json) {
            cJSON *j = row_json(it);
            bad |= cli_json_line(f, j) != 0;
        } else {
            char line[32];
            snprintf(line, sizeof line, "%zu", it->row);
            const char *row[] = { line, it->shown, target_kind(it), it->candidate_id,
                                  it->application_id, it->att.name, att_type_name(it->att.type),
                                  bulk_status_name(it->status),
                                  it->outcome ? it->outcome : "not run",
                                  it->sha256, it->message };
            bad |= put_csv(f, row, sizeof row / sizeof *row);
        }
    }
    bad |= fclose(f) != 0;
    if (bad || rename(tmp, path) != 0) {
        fprintf(stderr, "kombo-attach: cannot write the report %s: %s — check --report\n", path,
                strerror(errno));
        unlink(tmp);
        free(tmp);
        return -1;
    }
    free(tmp);
    return 0;
}
