/* `kombo-attach check [--json]` and `kombo-attach attachments (--candidate ID |
 * --application ID) [--json]`: the two read-only subcommands that ask Kombo about the
 * account rather than about people. Private to src/cli/. */
#ifndef KA_CLI_CHECK_H
#define KA_CLI_CHECK_H

#include "cli.h"

/* The key (environment ID; the other region asked on AUTHENTICATION_INVALID), then the
 * integration (tool, organisation, status, setup, whether attachments can be added).
 * Exit codes as for uploads; 0 only when both answered. */
int cli_check_run(const struct cli_options *o);

/* The target's attachments: name, type, content type, dates, application or candidate.
 * None: says so, exit 0. */
int cli_attachments_run(const struct cli_options *o);

#endif
