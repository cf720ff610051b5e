/* `kombo-attach find [--json] QUERY`, and the search behind --email and --find: the query
 * classified (query.h), its filters run at once (finder.h), the merged hits printed as a
 * table (a terminal), plain lines (anything else) or one JSON object per candidate.
 * Private to src/cli/. */
#ifndef KA_CLI_FIND_H
#define KA_CLI_FIND_H

#include <stdbool.h>
#include <stdio.h>

#include "cli.h"
#include "finder.h"

struct client;

/* The subcommand. Exit codes: 0 with matches, 4 (KA_EXIT_API) when nothing matched (a
 * line says what was searched), 2 for a query that cannot be searched, else a failed
 * search's code (the others' hits are still printed). */
int cli_find_run(const struct cli_options *o, const char *query);

/* Exactly one candidate for --email (email_only: the text must be an e-mail address) or
 * --find, searched on c. 0 with *out a copy (candidate_free), or an exit code with the
 * problem printed: 2 when nothing or several matched (each match listed on its own line). */
int cli_find_one(const struct cli_options *o, struct client *c, const char *query,
                 bool email_only, struct candidate *out);

/* The hits as a table fitted to width columns (text), or as plain lines (width 0). Every
 * string from the network is escaped (termsafe). */
void cli_find_print(FILE *out, const struct finder_results *r, int width);
/* One line about a candidate, for lists of choices: "Frank Doe <frank@example.com>, Kombo
 * ID 4B9b..., ATS ID 123" (escaped). Caller frees. */
char *cli_find_brief(const struct candidate *c);

#endif
