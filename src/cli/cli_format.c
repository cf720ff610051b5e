/* What the command line's output looks like: text made safe for a terminal or for JSON,
 * the progress line, one JSON object per file. Pure: no I/O. */
#include "cli.h"

#include <cjson/cJSON.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wchar.h>

#include "cli_report.h"
#include "exitcodes.h"
#include "format.h"
#include "numparse.h"
#include "termsafe.h"
#include "utf8.h"
#include "xalloc.h"

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

int cli_json_line(FILE *f, cJSON *j)
{
    char *t = cJSON_PrintUnformatted(j);
    int rc = t && fprintf(f, "%s\n", t) >= 0 ? 0 : -1;
    free(t);
    cJSON_Delete(j);
    return rc;
}

cJSON *cli_json_str(const char *s)
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
    cJSON_AddItemToObject(o, "file", cli_json_str(r->file));
    cJSON_AddItemToObject(o, "name", cli_json_str(r->att ? r->att->name : NULL));
    cJSON_AddItemToObject(o, "candidate", cli_json_str(r->candidate));
    cJSON_AddItemToObject(o, "type", cli_json_str(r->att ? att_type_name(r->att->type) : NULL));
    cJSON_AddItemToObject(o, "content_type", cli_json_str(r->att ? r->att->content_type : NULL));
    if (r->att)
        cJSON_AddNumberToObject(o, "size", (double)r->att->size);
    else
        cJSON_AddNullToObject(o, "size");
    cJSON_AddItemToObject(o, "outcome", cli_json_str(r->outcome));
    if (r->http_status)
        cJSON_AddNumberToObject(o, "http_status", (double)r->http_status);
    else
        cJSON_AddNullToObject(o, "http_status");
    cJSON_AddNumberToObject(o, "attempts", r->attempts);
    cJSON *w = cJSON_AddArrayToObject(o, "warnings");
    for (size_t i = 0; w && i < r->n_notes; i++)
        cJSON_AddItemToArray(w, cli_json_str(r->notes[i]));
    for (size_t i = 0; w && i < r->n_warnings; i++)
        cJSON_AddItemToArray(w, cli_json_str(r->warnings[i]));
    cJSON_AddBoolToObject(o, "sandbox", r->sandbox);
    /* Where it went: the application (Kombo's recommended endpoint) or the candidate. */
    cJSON_AddItemToObject(o, "target", cli_json_str(r->application ? "application" : "candidate"));
    cJSON_AddItemToObject(o, "application", cli_json_str(r->application));
    cJSON_AddItemToObject(o, "job", cli_json_str(r->job));
    if (r->verify_asked)
        cJSON_AddBoolToObject(o, "verified", r->verified);
    if (r->duplicate_of) {
        char when[32];
        struct tm tm;
        gmtime_r(&r->duplicate_of, &tm);
        strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
        cJSON_AddStringToObject(o, "duplicate_of", when);
    }
    if (r->message || r->error) {
        cJSON *e = cJSON_AddObjectToObject(o, "error");
        const struct kombo_error *k = r->error;
        cJSON_AddItemToObject(e, "code", cli_json_str(k ? k->code : NULL));
        cJSON_AddItemToObject(e, "title", cli_json_str(k ? k->title : NULL));
        /* Kombo's own message when it sent one; ours otherwise. */
        cJSON_AddItemToObject(e, "message", cli_json_str(k && k->message ? k->message : r->message));
        cJSON_AddItemToObject(e, "log_url", cli_json_str(k ? k->log_url : NULL));
    } else {
        cJSON_AddNullToObject(o, "error");
    }
    char *text = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    return text;
}

/* The outcome word for a failure before anything was sent. */
const char *cli_outcome_for_code(int code)
{
    switch (code) {
    case KA_EXIT_FILE: return "file";
    case KA_EXIT_CONFIG: return "config";
    case KA_EXIT_INTERNAL: return "internal";
    case KA_EXIT_CANCELLED: return "cancelled";
    default: return "usage";
    }
}

int cli_width(const char *s)
{
    int used = 0;
    fit_columns(s ? s : "", 1 << 20, &used);
    return used;
}

char *cli_fit(const char *s, int cols)
{
    if (!s)
        s = "";
    if (cols < 1)
        return xstrdup("");
    int used = 0;
    size_t n = fit_columns(s, cols, &used);
    if (!s[n])
        return xstrdup(s);
    /* Cut: end on an ellipsis so the cut is visible. */
    n = fit_columns(s, cols - 1, NULL);
    return xasprintf("%.*s…", (int)n, s);
}

int cli_terminal_width(void)
{
    struct winsize ws;
    if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
        return ws.ws_col;
    const char *c = getenv("COLUMNS");
    long n = 0;
    return c && num_parse_long(c, 1, 10000, &n) == 0 ? (int)n : 80;
}
