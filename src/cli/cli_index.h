/* `kombo-attach index sync|status|clear`: the local candidate index from the command line
 * (index.h, index_sync.h). Private to src/cli/. */
#ifndef KA_CLI_INDEX_H
#define KA_CLI_INDEX_H

#include <stdbool.h>

struct send_options;

struct cli_index_options {
    const struct send_options *send;   /* the same connection as uploads (sandbox too) */
    bool json;                         /* status as one JSON object */
    bool quiet;                        /* no progress, no notices */
    bool enabled;                      /* false: index = off or --no-index */
    bool full;                         /* sync: read everything again */
};

/* args[0] is sync, status or clear. Returns a KA_EXIT_* code. */
int cli_index_run(const struct cli_index_options *o, char *const args[], int nargs);

#endif
