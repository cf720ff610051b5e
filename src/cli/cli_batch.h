/* `kombo-attach batch [--concurrency N] [--json] [--dry-run] [--report FILE] MANIFEST`:
 * check every row of a manifest (manifest.h) before anything is sent, then run the rows on
 * the batch engine (bulkrun.h). Private to src/cli/.
 *
 * Exit codes: 0 when every row is attached (now or before); 2 when the manifest has
 * problems (all listed, nothing sent); else the worst row's (exitcodes.h). */
#ifndef KA_CLI_BATCH_H
#define KA_CLI_BATCH_H

#include <stdbool.h>
#include <stddef.h>

#include "bulkrun.h"
#include "cli.h"

struct cli_batch_options {
    const struct cli_options *co;
    int concurrency;           /* 0 = BULK_DEFAULT_CONCURRENCY */
    const char *report;        /* --report FILE, or NULL */
};

int cli_batch_run(const struct cli_batch_options *o, const char *manifest);

/* cli_batch_out.c: what a run prints. The progress line (terminals), each row's line,
 * the summary, and the report file (CSV or JSON lines by its extension). */
struct cli_batch_out {
    const struct cli_options *co;
    bool progress;             /* draw on stderr */
    double last_draw;
    bool settle_said;          /* the note on rows waiting for an interrupted run's uploads */
    const char *manifest;      /* for the lines, as given */
};
void cli_batch_progress(const struct bulk_stats *s, void *cls);
void cli_batch_row_done(struct bulk_item *it, const struct transfer *upload, void *cls);
void cli_batch_summary(const struct cli_batch_out *out, const struct bulk_item *items, size_t n,
                       double elapsed_s);
/* 0, or -1 with the problem printed. */
int cli_batch_report(const char *path, const struct bulk_item *items, size_t n);
/* The progress line for a terminal `width` columns wide (no \r, no newline). */
void cli_batch_format_progress(const struct bulk_stats *s, int width, char *out, size_t outlen);

#endif
