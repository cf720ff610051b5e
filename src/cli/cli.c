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
#include <wchar.h>

#include "body.h"
#include "client.h"
#include "clock.h"
#include "exitcodes.h"
#include "format.h"
#include "history.h"
#include "kombo.h"
#include "numparse.h"
#include "sendopts.h"
#include "termsafe.h"
#include "utf8.h"
#include "xalloc.h"

#define REDRAW_INTERVAL_S 0.1 /* at most 10 redraws a second: faster only flickers */

int cli_worse_code(int a, int b)
{
    /* The exit codes are numbered so that the one needing attention first is the highest. */
    return a > b ? a : b;
}

/* s as valid UTF-8 for a JSON string: invalid bytes become U+FFFD (cJSON escapes control
 * characters itself, but passes invalid UTF-8 through). */
static char *json_valid_utf8(const char *s)
{
    size_t len = strlen(s);
    char *out = xmalloc(len * 3 + 1);
    size_t o = 0;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t n = utf8_decode(s + i, len - i, &cp);
        if (n) {
            memcpy(out + o, s + i, n);
            o += n;
            i += n;
        } else {
            memcpy(out + o, "\xef\xbf\xbd", 3);
            o += 3;
            i++;
        }
    }
    out[o] = '\0';
    return out;
}

/* Copy s, rewriting what cannot be shown as is: for terminals (json = false) as termsafe.h
 * escapes it, for JSON (json = true) as json_valid_utf8. NULL is taken as "". */
static char *sanitize(const char *s, bool json)
{
    if (!s)
        s = "";
    return json ? json_valid_utf8(s) : ts_escape(s, strlen(s), TS_ONE_LINE);
}

char *cli_sanitize(const char *s)
{
    return sanitize(s, false);
}

/* Bytes of s that fit in cols terminal columns. */
static size_t fit_columns(const char *s, int cols, int *used_cols)
{
    mbstate_t st;
    memset(&st, 0, sizeof st);
    size_t i = 0, len = strlen(s);
    int used = 0;
    while (i < len) {
        wchar_t wc;
        size_t n = mbrtowc(&wc, s + i, len - i, &st);
        int w = 1;
        if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
            n = 1;
            memset(&st, 0, sizeof st);
        } else {
            w = wcwidth(wc);
            if (w < 0)
                w = 1;
        }
        if (used + w > cols)
            break;
        used += w;
        i += n;
    }
    if (used_cols)
        *used_cols = used;
    return i;
}

/* Append s to out (pos bytes used), cut at a character boundary when out is full. */
static void append(char *out, size_t outlen, size_t *pos, const char *s)
{
    if (*pos + 1 >= outlen)
        return;
    size_t n = strlen(s);
    if (n > outlen - 1 - *pos) {
        n = outlen - 1 - *pos;
        while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
            n--;
    }
    memcpy(out + *pos, s, n);
    *pos += n;
    out[*pos] = '\0';
}

void cli_format_progress(const char *name, const struct transfer_progress *p, uint64_t file_size,
                         int width, char *out, size_t outlen)
{
    char rest[400], a[32], b[32], c[32], d[32], attempt[48] = "";
    if (outlen == 0)
        return;
    if (p->attempt > 1 || p->state == TRANSFER_WAITING_RETRY)
        snprintf(attempt, sizeof attempt, "  attempt %d/%d", p->attempt, p->max_attempts);

    /* Scale body bytes to file bytes: the user knows the file's size, not the body's. */
    double scale = p->total ? (double)file_size / (double)p->total : 1.0;
    uint64_t sent = p->total ? (uint64_t)((double)p->sent * scale) : 0;
    if (p->total && p->sent >= p->total)
        sent = file_size;
    int pct = p->total ? (int)(p->sent * 100 / p->total) : 0;
    if (p->state == TRANSFER_FINISHED && p->total && p->sent >= p->total)
        pct = 100;
    fmt_bytes(sent, a, sizeof a);
    fmt_bytes(file_size, b, sizeof b);

    switch (p->state) {
    case TRANSFER_WAITING_RETRY: {
        char *why = cli_sanitize(p->last_problem ? p->last_problem : "");
        /* Tenths below 10 s: a wait of 0.6 s should not read "0s". */
        if (p->wait_ms < 10000)
            snprintf(c, sizeof c, "%.1fs", (double)p->wait_ms / 1000.0);
        else
            fmt_duration((double)p->wait_ms / 1000.0, c, sizeof c);
        snprintf(rest, sizeof rest, "retrying in %s (attempt %d/%d next)%s%s", c, p->attempt + 1,
                 p->max_attempts, why && *why ? ": " : "", why ? why : "");
        free(why);
        break;
    }
    case TRANSFER_CONNECTING:
        snprintf(rest, sizeof rest, "%3d%%  %s / %s  connecting%s", pct, a, b, attempt);
        break;
    case TRANSFER_WAITING_ANSWER:
        snprintf(rest, sizeof rest, "%3d%%  %s / %s  waiting for Kombo's answer%s", pct, a, b, attempt);
        break;
    case TRANSFER_SENDING:
    case TRANSFER_FINISHED:
    default:
        fmt_rate(p->rate * scale, c, sizeof c);
        if (p->state == TRANSFER_SENDING && p->rate > 0 && p->eta_s >= 0) {
            fmt_duration(p->eta_s, d, sizeof d);
            snprintf(rest, sizeof rest, "%3d%%  %s / %s  %s  ETA %s%s", pct, a, b, c, d, attempt);
        } else if (p->state == TRANSFER_SENDING) {
            /* No rate yet (first fraction of a second, or a stall): no made-up numbers. */
            snprintf(rest, sizeof rest, "%3d%%  %s / %s%s", pct, a, b, attempt);
        } else {
            /* The final state: how long it took instead of a guess. */
            fmt_duration(p->elapsed_s, d, sizeof d);
            snprintf(rest, sizeof rest, "%3d%%  %s / %s  in %s%s", pct, a, b, d, attempt);
        }
        break;
    }

    /* Keep the line one column short of the width, so the terminal never wraps it. The
     * name gives way first, down to a few columns; then the end of the line is cut. */
    int cols = width > 20 ? width - 1 : 79;
    int rest_cols = 0;
    fit_columns(rest, 1 << 20, &rest_cols);
    int name_cols = 0;
    char *safe = cli_sanitize(name);
    const char *shown = safe ? safe : "";
    size_t name_len = fit_columns(shown, 1 << 20, &name_cols);
    int room = cols - rest_cols - 2;
    if (room < 12)
        room = 12;
    size_t pos = 0;
    out[0] = '\0';
    if (name_cols > room) {
        size_t keep = fit_columns(shown, room - 1, NULL);
        char cut[1024];
        snprintf(cut, sizeof cut, "%.*s…", (int)keep, shown);
        append(out, outlen, &pos, cut);
    } else {
        char whole[1024];
        snprintf(whole, sizeof whole, "%.*s", (int)name_len, shown);
        append(out, outlen, &pos, whole);
    }
    free(safe);
    append(out, outlen, &pos, "  ");
    append(out, outlen, &pos, rest);
    size_t fit = fit_columns(out, cols, NULL);
    if (out[fit]) {
        /* Cut: end on an ellipsis so the cut is visible. */
        fit = fit_columns(out, cols - 1, NULL);
        out[fit] = '\0';
        pos = fit;
        append(out, outlen, &pos, "…");
    }
}

static cJSON *json_str_or_null(const char *s)
{
    if (!s)
        return cJSON_CreateNull();
    char *safe = sanitize(s, true);
    cJSON *j = safe ? cJSON_CreateString(safe) : cJSON_CreateNull();
    free(safe);
    return j;
}

char *cli_result_json(const struct cli_file_result *r)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    cJSON_AddItemToObject(o, "file", json_str_or_null(r->file));
    cJSON_AddItemToObject(o, "name", json_str_or_null(r->att ? r->att->name : NULL));
    cJSON_AddItemToObject(o, "candidate", json_str_or_null(r->candidate));
    cJSON_AddItemToObject(o, "type", json_str_or_null(r->att ? att_type_name(r->att->type) : NULL));
    cJSON_AddItemToObject(o, "content_type", json_str_or_null(r->att ? r->att->content_type : NULL));
    if (r->att)
        cJSON_AddNumberToObject(o, "size", (double)r->att->size);
    else
        cJSON_AddNullToObject(o, "size");
    cJSON_AddItemToObject(o, "outcome", json_str_or_null(r->outcome));
    if (r->http_status)
        cJSON_AddNumberToObject(o, "http_status", (double)r->http_status);
    else
        cJSON_AddNullToObject(o, "http_status");
    cJSON_AddNumberToObject(o, "attempts", r->attempts);
    cJSON *w = cJSON_AddArrayToObject(o, "warnings");
    for (size_t i = 0; w && i < r->n_warnings; i++)
        cJSON_AddItemToArray(w, json_str_or_null(r->warnings[i]));
    if (r->message || r->error) {
        cJSON *e = cJSON_AddObjectToObject(o, "error");
        const struct kombo_error *k = r->error;
        cJSON_AddItemToObject(e, "code", json_str_or_null(k ? k->code : NULL));
        cJSON_AddItemToObject(e, "title", json_str_or_null(k ? k->title : NULL));
        /* Kombo's own message when it sent one; ours otherwise. */
        cJSON_AddItemToObject(e, "message", json_str_or_null(k && k->message ? k->message : r->message));
        cJSON_AddItemToObject(e, "log_url", json_str_or_null(k ? k->log_url : NULL));
    } else {
        cJSON_AddNullToObject(o, "error");
    }
    char *text = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    return text;
}

/* The outcome word for a failure before anything was sent. */
static const char *outcome_for_code(int code)
{
    switch (code) {
    case KA_EXIT_FILE: return "file";
    case KA_EXIT_CONFIG: return "config";
    case KA_EXIT_INTERNAL: return "internal";
    case KA_EXIT_CANCELLED: return "cancelled";
    default: return "usage";
    }
}

/* Ctrl-C sets a flag; the loop cancels the job. The handler is installed with
 * SA_RESETHAND, so a second Ctrl-C ends the program the ordinary way. */
static volatile sig_atomic_t interrupted;

static void on_sigint(int sig)
{
    (void)sig;
    interrupted = 1;
}

static int terminal_width(void)
{
    struct winsize ws;
    if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
        return ws.ws_col;
    const char *c = getenv("COLUMNS");
    long n = 0;
    return c && num_parse_long(c, 1, 10000, &n) == 0 ? (int)n : 80;
}

static void draw_progress(const char *name, const struct transfer_progress *p, uint64_t size)
{
    char line[1024];
    cli_format_progress(name, p, size, terminal_width(), line, sizeof line);
    /* \r back to column 0, then erase what a longer previous line left behind. */
    fprintf(stderr, "\r%s\033[K", line);
    fflush(stderr);
}

/* Print "error  FILE: message" (or its JSON) for a file that failed before or at start. */
static void report_early_failure(const struct cli_options *o, const char *file,
                                 const struct attachment *att, int code, const char *msg)
{
    if (o->json) {
        struct cli_file_result r = {
            .file = file, .att = att, .candidate = o->send->candidate_id,
            .outcome = outcome_for_code(code), .message = msg,
        };
        char *j = cli_result_json(&r);
        if (j)
            printf("%s\n", j);
        free(j);
    } else {
        char *f = cli_sanitize(file), *m = cli_sanitize(msg);
        printf("error  %s: %s\n", f ? f : "", m ? m : "");
        free(f);
        free(m);
    }
    fflush(stdout);
}

static void report_result(const struct cli_options *o, const char *file, const struct attachment *att,
                          const struct transfer_result *res)
{
    const struct answer *an = &res->answer;
    bool ok = res->outcome == TRANSFER_OK;
    if (o->json) {
        struct cli_file_result r = {
            .file = file, .att = att, .candidate = o->send->candidate_id,
            .outcome = transfer_outcome_name(res->outcome), .http_status = an->http_status,
            .attempts = res->attempts, .warnings = an->warnings, .n_warnings = an->n_warnings,
            .error = !ok && an->http_status && !an->ok ? &an->err : NULL,
            .message = ok ? NULL : res->message,
        };
        char *j = cli_result_json(&r);
        if (j)
            printf("%s\n", j);
        free(j);
        fflush(stdout);
        return;
    }
    char *f = cli_sanitize(file);
    if (ok) {
        char size[32];
        fmt_bytes(att->size, size, sizeof size);
        char *cand = cli_sanitize(o->send->candidate_id);
        char *ct = cli_sanitize(att->content_type);
        printf("ok  %s → candidate %s", f ? f : "", cand ? cand : "");
        /* Say the name the ATS shows when it is not the file's own. */
        const char *base = strrchr(file, '/');
        base = base ? base + 1 : file;
        if (strcmp(base, att->name) != 0) {
            char *n = cli_sanitize(att->name);
            printf(" as \"%s\"", n ? n : "");
            free(n);
        }
        printf(" (%s, %s)\n", ct ? ct : "", size);
        free(cand);
        free(ct);
        for (size_t i = 0; i < an->n_warnings; i++) {
            char *w = cli_sanitize(an->warnings[i]);
            printf("    warning: %s\n", w ? w : "");
            free(w);
        }
    } else {
        /* "maybe": the server may have attached it, which a script must not retry blindly */
        char *m = cli_sanitize(res->message);
        printf("%s  %s: %s\n", res->outcome == TRANSFER_UNKNOWN ? "maybe" : "error", f ? f : "",
               m ? m : "");
        free(m);
    }
    free(f);
    fflush(stdout);
}

/* --dry-run: what would be sent for one file. */
static int dry_run_one(const struct cli_options *o, const char *file, const struct attachment *att)
{
    char err[600];
    int code = 0;
    const struct send_options *so = o->send;
    char *url = upload_url(so->client.base_url, so->candidate_id, err, sizeof err);
    if (!url) {
        report_early_failure(o, file, att, KA_EXIT_USAGE, err);
        return KA_EXIT_USAGE;
    }
    /* Opening the body checks the file as a real run would and gives the exact length. */
    struct body *b = body_open(att, so->remote_fields, &code, err, sizeof err);
    if (!b) {
        free(url);
        report_early_failure(o, file, att, code ? code : KA_EXIT_FILE, err);
        return code ? code : KA_EXIT_FILE;
    }
    unsigned long long length = (unsigned long long)body_length(b);
    body_close(b);
    char *desc = body_describe(att, so->remote_fields);
    if (!desc) {
        free(url);
        report_early_failure(o, file, att, KA_EXIT_INTERNAL, "could not describe the body");
        return KA_EXIT_INTERNAL;
    }
    if (o->json) {
        cJSON *j = cJSON_CreateObject();
        cJSON_AddItemToObject(j, "file", json_str_or_null(file));
        cJSON_AddTrueToObject(j, "dry_run");
        cJSON_AddStringToObject(j, "method", "POST");
        cJSON_AddItemToObject(j, "url", json_str_or_null(url));
        cJSON *h = cJSON_AddObjectToObject(j, "headers");
        cJSON_AddStringToObject(h, "Authorization", "Bearer <redacted>");
        cJSON_AddItemToObject(h, "X-Integration-Id", json_str_or_null(so->client.integration_id));
        cJSON_AddStringToObject(h, "Content-Type", "application/json");
        cJSON_AddStringToObject(h, "Accept", "application/json");
        cJSON_AddNumberToObject(h, "Content-Length", (double)length);
        cJSON *body = cJSON_Parse(desc);
        cJSON_AddItemToObject(j, "body", body ? body : json_str_or_null(desc));
        char *text = cJSON_PrintUnformatted(j);
        if (text)
            printf("%s\n", text);
        free(text);
        cJSON_Delete(j);
    } else {
        char *u = cli_sanitize(url), *i = cli_sanitize(so->client.integration_id), *d = cli_sanitize(desc);
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

/* Upload one file on the client, drawing progress. Returns the file's exit code. */
static int upload_one(const struct cli_options *o, struct client *client, const char *file,
                      const struct attachment *att, bool show_progress)
{
    const struct send_options *so = o->send;
    struct upload_request req = {
        .candidate_id = so->candidate_id,
        .att = att,
        .remote_fields = so->remote_fields,
        .want_sha256 = !so->no_history,
    };
    char err[600];
    int code = 0;
    struct transfer *u = upload_start(client, &req, &code, err, sizeof err);
    if (!u) {
        report_early_failure(o, file, att, code ? code : KA_EXIT_INTERNAL, err);
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
    report_result(o, file, att, res);
    if (!so->no_history) {
        char herr[300];
        if (history_record(u, herr, sizeof herr) != 0)
            fprintf(stderr, "kombo-attach: warning: history not written: %s\n", herr);
    }
    int rc = transfer_exit_code(res->outcome);
    transfer_free(u);
    return rc;
}

int cli_run(const struct cli_options *o, char *const files[], int nfiles)
{
    const struct send_options *so = o->send;
    int worst = KA_EXIT_OK;
    bool show_progress = !o->quiet && !o->dry_run && isatty(STDERR_FILENO);

    if (!o->dry_run && so->candidate_id && !kombo_id_looks_valid(so->candidate_id)) {
        char *c = cli_sanitize(so->candidate_id);
        fprintf(stderr, "kombo-attach: warning: candidate \"%s\" does not look like a Kombo ID "
                "(24 base58 characters) — sending anyway; make sure it is Kombo's ID, not the ATS's\n",
                c ? c : "");
        free(c);
    }

    struct client *client = NULL;
    if (!o->dry_run) {
        char err[600];
        int code = 0;
        client = client_new(&so->client, &code, err, sizeof err);
        if (!client) {
            for (int i = 0; i < nfiles; i++)
                report_early_failure(o, files[i], NULL, code, err);
            return code;
        }
    }

    struct sigaction sa, old_sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigint;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESETHAND; /* no SA_RESTART: let a blocking poll return early */
    interrupted = 0;
    sigaction(SIGINT, &sa, &old_sa);

    int done = 0;
    for (int i = 0; i < nfiles; i++) {
        if (interrupted)
            break;
        const char *file = files[i];
        struct attachment att;
        char err[600];
        int code = attachment_init(&att, file, so->name, so->type, so->content_type, err, sizeof err);
        if (code) {
            report_early_failure(o, file, NULL, code, err);
            worst = cli_worse_code(worst, code);
            done++;
            continue;
        }
        bool big = false;
        if ((code = att_check_size(att.size, so->max_size, &big, err, sizeof err)) != 0) {
            report_early_failure(o, file, NULL, code, err);
            worst = cli_worse_code(worst, code);
            attachment_free(&att);
            done++;
            continue;
        }
        if (big && !o->quiet) {
            char *f = cli_sanitize(file), size[32];
            fmt_bytes(att.size, size, sizeof size);
            fprintf(stderr, "kombo-attach: warning: %s: %s is over the 10 MB Kombo advises; many ATSs refuse "
                    "files this big\n", f ? f : "", size);
            free(f);
        }
        if (att.content_type_generic) {
            char *f = cli_sanitize(file), *ct = cli_sanitize(att.content_type);
            fprintf(stderr, "kombo-attach: warning: %s: content type is %s; Kombo asks for a meaningful type: "
                    "pass --content-type\n", f ? f : "", ct ? ct : "");
            free(f);
            free(ct);
        }
        code = o->dry_run ? dry_run_one(o, file, &att) : upload_one(o, client, file, &att, show_progress);
        worst = cli_worse_code(worst, code);
        attachment_free(&att);
        done++;
    }
    if (interrupted) {
        worst = cli_worse_code(worst, KA_EXIT_CANCELLED);
        if (done < nfiles)
            fprintf(stderr, "kombo-attach: cancelled — %d file%s not sent\n", nfiles - done,
                    nfiles - done == 1 ? "" : "s");
    }
    sigaction(SIGINT, &old_sa, NULL);
    client_free(client);
    return worst;
}
