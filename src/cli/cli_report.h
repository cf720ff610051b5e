/* What the command line says about each file: one result line on stdout (or its JSON
 * object), the tool's own warnings beside Kombo's. Private to src/cli/. */
#ifndef KA_CLI_REPORT_H
#define KA_CLI_REPORT_H

#include <stddef.h>
#include <stdio.h>
#include <time.h>

#include "cli.h"

struct cJSON;

/* The tool's warnings about one file (not a Kombo ID, over 10 MB, generic type): printed on
 * stderr as they come (unless quiet) and kept for the file's JSON warnings[]. */
struct cli_notes {
    char *v[4];
    size_t n;
};
void cli_note(struct cli_notes *n, bool quiet, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void cli_notes_free(struct cli_notes *n);

/* "error  FILE: message" (or its JSON) for a file that failed before anything was sent. */
void cli_report_early(const struct cli_options *o, const char *file, const struct attachment *att,
                      const struct cli_notes *notes, int code, const char *msg);
/* What --verify found (cli_verify.h). */
struct cli_verify_outcome {
    bool asked;             /* --verify given and the upload succeeded */
    int code;               /* KA_EXIT_OK: verified; KA_EXIT_UNVERIFIED */
    char msg[700];
};
/* "ok  FILE → candidate ...", "error  ...", "maybe  ..." (or the JSON) for an upload;
 * "verified" or "unverified" when v->asked. */
void cli_report_result(const struct cli_options *o, const char *file, const struct attachment *att,
                       const struct cli_notes *notes, const struct transfer_result *res,
                       const struct cli_verify_outcome *v);
/* "skip  FILE: already attached ..." (outcome "duplicate") for content the history says
 * reached this candidate at `when`. */
void cli_report_duplicate(const struct cli_options *o, const char *file,
                          const struct attachment *att, const struct cli_notes *notes, time_t when);

/* Shared with cli_format.c: a JSON string of s (invalid UTF-8 made valid), or null. */
struct cJSON *cli_json_str(const char *s);
/* j printed to f as one line, then freed (every --json line goes out this way). 0, or -1
 * when it could not be written. */
int cli_json_line(FILE *f, struct cJSON *j);
/* Terminal columns of s (already made safe: cli_sanitize). */
int cli_width(const char *s);
/* A copy of s (already made safe) cut to at most cols columns, ending in "…" when cut. */
char *cli_fit(const char *s, int cols);
/* The outcome word for a failure before anything was sent: "file", "config", ... */
const char *cli_outcome_for_code(int code);

#endif
