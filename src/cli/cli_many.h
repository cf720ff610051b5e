/* Several FILEs on the command line, on the batch engine (cli_many.c). Private to src/cli/. */
#ifndef KA_CLI_MANY_H
#define KA_CLI_MANY_H

#include <signal.h>

#include "cli.h"
#include "restrict.h"

struct client;

/* Check each file, then send the good ones at once; one result line per file as cli_run
 * prints them. Returns the highest exit code. */
int cli_many_run(const struct cli_options *o, struct client *client,
                 const struct restrictions *restr, char *const files[], int nfiles,
                 volatile sig_atomic_t *interrupted);

#endif
