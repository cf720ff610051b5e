/* The command line's flags: one table for uploads and the subcommands that take the same
 * connection flags (find, check, attachments). Only parsing and the checks of a single
 * value here; what goes together is main.c's. Private to src/cli/. */
#ifndef KA_CLI_ARGS_H
#define KA_CLI_ARGS_H

#include <stdbool.h>

struct cli_args {
    const char *candidate, *type, *name, *content_type, *remote_fields;
    const char *integration_id, *server, *base_url, *api_key_file, *cacert, *profile, *max_size;
    long retries, timeout_s, connect_timeout_s;
    bool json, dry_run, quiet, verbose, show_config, sandbox, help, version, no_history, force;
    bool allow_plain_http;
    const char *application, *email, *find, *job;
    bool verify;
    bool no_index, full;         /* --no-index (index = off); index sync --full */
    long concurrency;            /* batch --concurrency N; 0 = not given */
    const char *report;          /* batch --report FILE */
};

/* Parse argv into *a (zeroed by the caller); the operands are left in argv[optind..].
 * Returns 0 or an exit code, the problem printed as one line. */
int cli_args_parse(int argc, char **argv, struct cli_args *a);

#endif
