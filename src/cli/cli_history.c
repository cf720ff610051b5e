/* `kombo-attach history`: the recent uploads from the history file, one line each (or the
 * JSON lines themselves), oldest first so the newest sits next to the prompt. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "exitcodes.h"
#include "format.h"
#include "history.h"
#include "numparse.h"

static const char history_usage[] =
    "Usage: kombo-attach history [-n N] [--json]\n"
    "List the last N uploads (default 20) from the history file\n"
    "($XDG_STATE_HOME/kombo-attach/history.jsonl, ~/.local/state/kombo-attach/history.jsonl).\n"
    "  -n, --last N   how many (1 to 100000)\n"
    "      --json     print the history's JSON lines as they are stored\n";

/* One entry as a line; everything in it came from a file anyone could have edited, so all
 * of it is escaped for the terminal. */
static void print_line(const struct history_entry *e)
{
    char when[32], size[32];
    struct tm tm;
    localtime_r(&e->time, &tm);
    strftime(when, sizeof when, "%Y-%m-%d %H:%M", &tm);
    fmt_bytes(e->size, size, sizeof size);
    char *outcome = cli_sanitize(e->outcome ? e->outcome : "?");
    char *name = cli_sanitize(e->name ? e->name : (e->path ? e->path : "?"));
    char *cand = cli_sanitize(e->candidate ? e->candidate : "?");
    char *type = cli_sanitize(e->type);
    char *server = cli_sanitize(e->server ? e->server : "?");
    char *integ = cli_sanitize(e->integration ? e->integration : "?");
    printf("%s  %-9s  %s → %s  %s  %s  [%s%s %s]", when, outcome, name, cand, type, size,
           server, e->sandbox && (!e->server || strcmp(e->server, "sandbox")) ? " sandbox" : "",
           integ);
    free(server);
    free(integ);
    if (e->error_code || e->error_message) {
        char *code = cli_sanitize(e->error_code);
        char *msg = cli_sanitize(e->error_message);
        printf("  %s%s%s", code, *code && *msg ? ": " : "", msg);
        free(code);
        free(msg);
    }
    putchar('\n');
    free(outcome);
    free(name);
    free(cand);
    free(type);
}

static bool same_str(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* A journal's "started" or "sent" line that a later line of the same file and target
 * follows: noise for people (--json keeps it). One with nothing after it stays: that upload
 * may have arrived. */
static bool superseded(const struct history_entry *e, size_t n, size_t i)
{
    if (!e[i].outcome || (strcmp(e[i].outcome, HISTORY_STARTED) != 0 &&
                          strcmp(e[i].outcome, HISTORY_SENT) != 0))
        return false;
    for (size_t j = i + 1; j < n; j++)
        if (same_str(e[j].path, e[i].path) && same_str(e[j].candidate, e[i].candidate) &&
            same_str(e[j].application, e[i].application))
            return true;
    return false;
}

int cli_history(int argc, char **argv)
{
    static const struct option opts[] = {
        { "last", required_argument, NULL, 'n' },
        { "json", no_argument, NULL, 'j' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    long last = 20;
    int json = 0, c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":n:h", opts, NULL)) != -1) {
        switch (c) {
        case 'n':
            if (num_parse_long(optarg, 1, 100000, &last) != 0) {
                fprintf(stderr, "kombo-attach: history: -n wants a number from 1 to 100000\n");
                return KA_EXIT_USAGE;
            }
            break;
        case 'j': json = 1; break;
        case 'h': fputs(history_usage, stdout); return KA_EXIT_OK;
        default:
            fprintf(stderr, "kombo-attach: history: unknown or incomplete option — see "
                    "kombo-attach history --help\n");
            return KA_EXIT_USAGE;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "kombo-attach: history: unexpected argument — see kombo-attach history --help\n");
        return KA_EXIT_USAGE;
    }
    struct history_entry *e;
    size_t n, skipped;
    char err[600];
    if (history_read((size_t)last, &e, &n, &skipped, err, sizeof err) != 0) {
        fprintf(stderr, "kombo-attach: history: %s\n", err);
        return KA_EXIT_CONFIG;
    }
    if (n == 0 && !json) {
        char *path = history_path();
        printf("no uploads recorded yet (%s)\n", path ? path : "no history file");
        free(path);
    }
    for (size_t i = 0; i < n; i++) {
        if (!json && superseded(e, n, i))
            continue;
        if (json) {
            char *line = history_entry_json(&e[i]);
            printf("%s\n", line);
            free(line);
        } else {
            print_line(&e[i]);
        }
    }
    if (skipped)
        fprintf(stderr, "kombo-attach: history: %zu unreadable line%s skipped\n", skipped,
                skipped == 1 ? "" : "s");
    history_entries_free(e, n);
    return KA_EXIT_OK;
}
