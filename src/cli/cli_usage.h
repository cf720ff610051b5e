/* The text of `kombo-attach --help` (tests/check_docs.sh holds it against README and the
 * man page). */
#ifndef KA_CLI_USAGE_H
#define KA_CLI_USAGE_H

extern const char cli_usage_text[];

#endif
