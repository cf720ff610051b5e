/* The command-line front end. Files are attached one after the other as uploads on one
 * client, the machinery the UI uses; this file only decides what to print and where:
 *   stdout: one result line (or JSON object) per file, nothing else, so scripts can read it;
 *   stderr: the progress line (terminals only), warnings, notices. */
#include "cli.h"

#include <cjson/cJSON.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "body.h"
#include "client.h"
#include "clock.h"
#include "cli_conn.h"
#include "cli_many.h"
#include "cli_report.h"
#include "cli_target.h"
#include "cli_verify.h"
#include "exitcodes.h"
#include "filehash.h"
#include "format.h"
#include "history.h"
#include "kombo.h"
#include "numparse.h"
#include "restrict.h"
#include "sendopts.h"
#include "xalloc.h"

#define REDRAW_INTERVAL_S 0.1 /* at most 10 redraws a second: faster only flickers */

/* Ctrl-C sets a flag; the loop cancels the job. The handler is installed with
 * SA_RESETHAND, so a second Ctrl-C ends the program the ordinary way. */
static volatile sig_atomic_t interrupted;

static void on_sigint(int sig)
{
    (void)sig;
    interrupted = 1;
}


static void draw_progress(const char *name, const struct transfer_progress *p, uint64_t size)
{
    char line[1024];
    cli_format_progress(name, p, size, cli_terminal_width(), line, sizeof line);
    /* \r back to column 0, then erase what a longer previous line left behind. */
    fprintf(stderr, "\r%s\033[K", line);
    fflush(stderr);
}


/* --dry-run: what would be sent for one file. */
static int dry_run_one(const struct cli_options *o, const char *file, const struct attachment *att,
                       const struct cli_notes *notes)
{
    char err[600];
    int code = 0;
    const struct send_options *so = o->send;
    char *url = upload_url(so->client.base_url, so->candidate_id, so->application_id, err, sizeof err);
    if (!url) {
        cli_report_early(o, file, att, notes, KA_EXIT_USAGE, err);
        return KA_EXIT_USAGE;
    }
    /* Opening the body checks the file as a real run would and gives the exact length. */
    struct body *b = body_open(att, so->remote_fields, &code, err, sizeof err);
    if (!b) {
        free(url);
        cli_report_early(o, file, att, notes, code ? code : KA_EXIT_FILE, err);
        return code ? code : KA_EXIT_FILE;
    }
    unsigned long long length = (unsigned long long)body_length(b);
    body_close(b);
    char *desc = body_describe(att, so->remote_fields);
    if (!desc) {
        free(url);
        cli_report_early(o, file, att, notes, KA_EXIT_INTERNAL, "could not describe the body");
        return KA_EXIT_INTERNAL;
    }
    if (o->json) {
        cJSON *j = cJSON_CreateObject();
        cJSON_AddItemToObject(j, "file", cli_json_str(file));
        cJSON_AddTrueToObject(j, "dry_run");
        cJSON_AddItemToObject(j, "target", cli_json_str(so->application_id ? "application" : "candidate"));
        cJSON_AddItemToObject(j, "candidate", cli_json_str(so->candidate_id));
        cJSON_AddItemToObject(j, "application", cli_json_str(so->application_id));
        cJSON_AddItemToObject(j, "job", cli_json_str(o->job_name));
        cJSON_AddStringToObject(j, "method", "POST");
        cJSON_AddItemToObject(j, "url", cli_json_str(url));
        cJSON *h = cJSON_AddObjectToObject(j, "headers");
        cJSON_AddStringToObject(h, "Authorization", "Bearer <redacted>");
        cJSON_AddItemToObject(h, "X-Integration-Id", cli_json_str(so->client.integration_id));
        cJSON_AddStringToObject(h, "Content-Type", "application/json");
        cJSON_AddStringToObject(h, "Accept", "application/json");
        cJSON_AddNumberToObject(h, "Content-Length", (double)length);
        cJSON *body = cJSON_Parse(desc);
        cJSON_AddItemToObject(j, "body", body ? body : cli_json_str(desc));
        cli_json_line(stdout, j);
    } else {
        char *u = cli_sanitize(url), *i = cli_sanitize(so->client.integration_id), *d = cli_sanitize(desc);
        if (so->application_id) {
            char *a = cli_sanitize(so->application_id), *jn = cli_sanitize(o->job_name);
            char *c = cli_sanitize(so->candidate_id ? so->candidate_id : "not looked up");
            printf("# target: application %s%s%s%s of candidate %s\n", a, o->job_name ? " (" : "",
                   o->job_name ? jn : "", o->job_name ? ")" : "", c);
            free(a);
            free(jn);
            free(c);
        } else {
            char *c = cli_sanitize(so->candidate_id);
            printf("# target: candidate %s\n", c);
            free(c);
        }
        printf("POST %s\n"
               "Authorization: Bearer <redacted>\n"
               "X-Integration-Id: %s\n"
               "Content-Type: application/json\n"
               "Accept: application/json\n"
               "Content-Length: %llu\n"
               "\n"
               "%s\n\n", u ? u : "", i ? i : "", length, d ? d : "");
        free(u);
        free(i);
        free(d);
    }
    fflush(stdout);
    free(url);
    free(desc);
    return KA_EXIT_OK;
}

/* Content the history says already reached this candidate is not sent again (unless
 * --force): *skip set and reported. When a duplicate is possible the hash is computed here,
 * before sending, in one streamed pass, and sha gets it; else sha is "" and the upload
 * hashes as it sends. Returns 0 or the file's exit code. */
static int check_duplicate(const struct cli_options *o, const char *file,
                           const struct attachment *att, const struct cli_notes *notes,
                           char sha[65], bool *skip)
{
    const struct send_options *so = o->send;
    *skip = false;
    sha[0] = '\0';
    /* Hashing first costs a read of the whole file; it is only worth it when a duplicate is
     * possible (a success of this size to this candidate). Otherwise the upload hashes
     * while it sends, on the body's helper thread, as fast as without history. */
    if (so->no_history || so->force ||
        !history_may_have(att->size, so->client.label, so->client.integration_id, so->candidate_id))
        return 0;
    char err[600];
    if (filehash_file(att->path, sha, err, sizeof err) != 0) {
        cli_report_early(o, file, att, notes, KA_EXIT_FILE, err);
        return KA_EXIT_FILE;
    }
    struct history_entry e;
    int found = history_find_success(sha, so->client.label, so->client.integration_id,
                                     so->candidate_id, &e, err, sizeof err);
    if (found < 0)
        fprintf(stderr, "kombo-attach: warning: cannot check the history for duplicates: %s\n", err);
    if (found <= 0)
        return 0;
    cli_report_duplicate(o, file, att, notes, e.time);
    history_entry_free(&e);
    *skip = true;
    return 0;
}

/* Upload one file on the client, drawing progress. Returns the file's exit code. */
static int upload_one(const struct cli_options *o, struct client *client, const char *file,
                      const struct attachment *att, const struct cli_notes *notes,
                      bool show_progress)
{
    const struct send_options *so = o->send;
    char sha[65];
    bool skip;
    int code = check_duplicate(o, file, att, notes, sha, &skip);
    if (code || skip)
        return code;
    struct upload_request req = {
        .candidate_id = so->candidate_id,
        .application_id = so->application_id,
        .job_name = o->job_name,
        .att = att,
        .remote_fields = so->remote_fields,
        .sha256 = sha[0] ? sha : NULL,
        /* --verify compares the stored copy with the file: it needs the file's hash too. */
        .want_sha256 = (!so->no_history || o->verify) && !sha[0],
    };
    char err[600];
    struct transfer *u = upload_start(client, &req, &code, err, sizeof err);
    if (!u) {
        cli_report_early(o, file, att, notes, code ? code : KA_EXIT_INTERNAL, err);
        return code ? code : KA_EXIT_INTERNAL;
    }
    struct transfer_progress p;
    double last_draw = 0;
    enum transfer_state last_state = TRANSFER_FINISHED;
    int last_attempt = 0;
    while (!transfer_finished(u)) {
        client_poll(client, 100, -1, NULL);
        if (interrupted && !transfer_finished(u)) {
            transfer_cancel(u);
            break;
        }
        if (show_progress && !transfer_finished(u)) {
            transfer_get_progress(u, &p);
            double t = clock_now();
            /* Redraw at most 10 times a second, but at once when the state changes. */
            if (t - last_draw >= REDRAW_INTERVAL_S || p.state != last_state || p.attempt != last_attempt) {
                draw_progress(att->name, &p, att->size);
                last_draw = t;
                last_state = p.state;
                last_attempt = p.attempt;
            }
        }
    }
    const struct transfer_result *res = transfer_get_result(u);
    if (show_progress) {
        /* Always end on the final state (100% when it went through), then a newline so the
         * result line starts clean. */
        transfer_get_progress(u, &p);
        p.state = TRANSFER_FINISHED;
        if (res->outcome == TRANSFER_OK)
            p.sent = p.total;
        draw_progress(att->name, &p, att->size);
        fputc('\n', stderr);
        fflush(stderr);
    }
    int rc = transfer_exit_code(res->outcome);
    struct cli_verify_outcome v = { .asked = o->verify && res->outcome == TRANSFER_OK };
    if (res->outcome == TRANSFER_OK && o->verify) {
        char hex[65];
        bool have = upload_sha256_hex(u, hex);
        v.code = cli_verify_upload(o, client, so->candidate_id, so->application_id, att,
                                   have ? hex : NULL, v.msg, sizeof v.msg);
        rc = v.code;
    }
    cli_report_result(o, file, att, notes, res, &v);
    char hint[160];
    if (cli_auth_invalid(res) && cli_region_probe(o, hint, sizeof hint))
        fprintf(stderr, "kombo-attach: %s\n", hint);
    if (!so->no_history) {
        char herr[300];
        if (history_record(u, herr, sizeof herr) != 0)
            fprintf(stderr, "kombo-attach: warning: history not written: %s\n", herr);
    }
    transfer_free(u);
    return rc;
}

/* One file: its checks, then a dry run or the upload. Returns its exit code. */
static int attach_one(const struct cli_options *o, struct client *client, const char *file,
                      const struct restrictions *restr, bool show_progress)
{
    const struct send_options *so = o->send;
    struct cli_notes notes = {0};
    if (so->candidate_id && !kombo_id_looks_valid(so->candidate_id))
        cli_note(&notes, o->quiet && !o->dry_run, "candidate \"%s\" does not look like a Kombo ID (24 "
                 "base58 characters) — sending anyway; make sure it is Kombo's ID, not the ATS's",
                 so->candidate_id);
    struct attachment att;
    char err[600];
    int code = attachment_init(&att, file, so->name, so->type, so->content_type, err, sizeof err);
    if (code) {
        cli_report_early(o, file, NULL, &notes, code, err);
        cli_notes_free(&notes);
        return code;
    }
    bool big = false;
    char why[600], refused[800];
    if ((code = att_check_size(att.size, so->max_size, &big, err, sizeof err)) != 0) {
        cli_report_early(o, file, NULL, &notes, code, err);
    } else if (restrict_check(restr, att.type, att.size, att.content_type, why, sizeof why) ==
               RESTRICT_REFUSED) {
        /* Refused before any byte leaves: the ATS would turn it down after the whole upload. */
        snprintf(refused, sizeof refused, "not sent: %s — pick another --type or file (see "
                 "kombo-attach check)", why);
        code = KA_EXIT_USAGE;
        cli_report_early(o, file, &att, &notes, code, refused);
    } else {
        if (big) {
            char size[32];
            fmt_bytes(att.size, size, sizeof size);
            cli_note(&notes, o->quiet, "%s: %s is over the 10 MB Kombo advises; many ATSs refuse "
                     "files this big", file, size);
        }
        if (att.content_type_generic)
            cli_note(&notes, false, "%s: content type is %s; Kombo asks for a meaningful type: "
                     "pass --content-type", file, att.content_type);
        code = o->dry_run ? dry_run_one(o, file, &att, &notes)
                          : upload_one(o, client, file, &att, &notes, show_progress);
    }
    attachment_free(&att);
    cli_notes_free(&notes);
    return code;
}

/* The target, resolved once for every file; a notice says how it was chosen. */
static int resolve_target(const struct cli_options *o, struct client *client, struct cli_target *t)
{
    int code = cli_target_resolve(o, client, t);
    if (code || !t->candidate_name || o->quiet)
        return code;
    char *raw = t->application_id
        ? xasprintf("found candidate %s (%s); sending to application %s%s%s%s: %s", t->candidate_name,
                    t->candidate_id, t->application_id, t->job_name ? " (" : "",
                    t->job_name ? t->job_name : "", t->job_name ? ")" : "", t->why)
        : xasprintf("found candidate %s (%s); sending to the candidate: %s", t->candidate_name,
                    t->candidate_id, t->why);
    char *msg = cli_sanitize(raw);
    fprintf(stderr, "kombo-attach: %s\n", msg);
    free(raw);
    free(msg);
    return 0;
}

int cli_run(const struct cli_options *o, char *const files[], int nfiles)
{
    int worst = KA_EXIT_OK;
    bool show_progress = !o->quiet && !o->dry_run && isatty(STDERR_FILENO);

    struct client *client = NULL;
    /* A dry run sends nothing, but may read: finding the candidate is what it shows. */
    if (!o->dry_run || o->email || o->find) {
        char err[600];
        int code = 0;
        client = client_new(&o->send->client, &code, err, sizeof err);
        if (!client) {
            for (int i = 0; i < nfiles; i++)
                cli_report_early(o, files[i], NULL, NULL, code, err);
            return code;
        }
    }
    struct cli_target target;
    int code = resolve_target(o, client, &target);
    if (code) {
        cli_target_free(&target);
        client_free(client);
        return code;
    }
    /* From here on the resolved target is the target, for every line and request. */
    struct send_options so = *o->send;
    so.candidate_id = target.candidate_id;
    so.application_id = target.application_id;
    struct cli_options ro = *o;
    ro.send = &so;
    ro.job_name = target.job_name;
    struct restrictions restr = {0};
    if (!o->dry_run)
        cli_target_restrictions(&ro, client, so.application_id != NULL, &restr);

    struct sigaction sa, old_sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigint;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESETHAND; /* no SA_RESTART: let a blocking poll return early */
    interrupted = 0;
    sigaction(SIGINT, &sa, &old_sa);

    int done = 0;
    if (nfiles > 1 && !o->dry_run && !o->verify) {
        /* Several files: at once on the batch engine, with its journal (cli_many.c). */
        worst = cli_many_run(&ro, client, &restr, files, nfiles, &interrupted);
        done = nfiles;
    }
    for (int i = done; i < nfiles && !interrupted; i++, done++)
        worst = cli_worse_code(worst, attach_one(&ro, client, files[i], &restr, show_progress));
    if (interrupted) {
        worst = cli_worse_code(worst, KA_EXIT_CANCELLED);
        if (done < nfiles)
            fprintf(stderr, "kombo-attach: cancelled — %d file%s not sent\n", nfiles - done,
                    nfiles - done == 1 ? "" : "s");
    }
    sigaction(SIGINT, &old_sa, NULL);
    restrict_free(&restr);
    cli_target_free(&target);
    client_free(client);
    return worst;
}
