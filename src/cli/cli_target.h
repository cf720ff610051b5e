/* Where the command line's uploads go, decided once per run before any file is read:
 * --candidate and --application as given; --email or --find resolved to exactly one
 * candidate, then --job (or the one open application) picks the application. And what
 * the integration accepts there (restrict.h), fetched once per run. Private to src/cli/. */
#ifndef KA_CLI_TARGET_H
#define KA_CLI_TARGET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "attachment.h"
#include "cli.h"
#include "restrict.h"

struct candidate;
struct client;

struct cli_target {
    char *candidate_id;     /* may be NULL with --application alone */
    char *candidate_name;   /* when resolved; raw */
    char *application_id;   /* NULL: the candidate itself */
    char *job_name;         /* the application's job when known; raw */
    char *why;              /* how it was chosen, raw ("the only open application"), or NULL */
};

/* Fill t from o (and a search on c when --email or --find). 0, or an exit code with the
 * problem printed (2 for no match, several matches, a --job that picks none or several:
 * each choice listed on its own line). */
int cli_target_resolve(const struct cli_options *o, struct client *c, struct cli_target *t);
void cli_target_free(struct cli_target *t);

/* The application of a candidate that --job (case-insensitive part of the job name) or,
 * without it, the only PENDING application picks. Returns its index, -1 for the
 * candidate itself (no --job and not exactly one open application), or -2 with the
 * problem printed (a --job that matches none or several). */
int cli_target_pick(const struct candidate *c, const char *job);

/* The restrictions of the endpoint in use, looked up once: *known false (and a note on
 * stderr with -v) when Kombo has none or the lookup failed; neither ever blocks. */
void cli_target_restrictions(const struct cli_options *o, struct client *c, bool application,
                             struct restrictions *out);

#endif
