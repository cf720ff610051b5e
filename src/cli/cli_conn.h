/* What every command-line read shares: waiting for one transfer, printing a failure as an
 * upload's is printed (Kombo's answer and the hint, one line on stderr, the same exit
 * codes), and the region probe behind "this key belongs to the US region". Private to
 * src/cli/. */
#ifndef KA_CLI_CONN_H
#define KA_CLI_CONN_H

#include <stdbool.h>
#include <stddef.h>

#include "cli.h"

struct client;
struct transfer;
struct transfer_result;

/* Poll c until t is finished (Ctrl-C is the shell's: a read has nothing to clean up).
 * Returns t's result. */
const struct transfer_result *cli_await(struct client *c, struct transfer *t);

/* Does res look like a key of the other region (HTTP 401 PLATFORM.AUTHENTICATION_INVALID)? */
bool cli_auth_invalid(const struct transfer_result *res);

/* Ask the other region (o->other_region_url) whether it knows the key: GET /check-api-key
 * once, on a client of its own with the same options. On success hint gets "this key
 * belongs to the US region: use --server us" and true is returned; false (hint "") when
 * there is no other region to ask or it refuses the key too. */
bool cli_region_probe(const struct cli_options *o, char *hint, size_t hintlen);

/* A read that failed: "kombo-attach: <what>: <message>" on stderr, and the region hint on
 * a line of its own when cli_auth_invalid. Returns the exit code (transfer_exit_code). */
int cli_read_failed(const struct cli_options *o, const char *what,
                    const struct transfer_result *res);


/* Print "kombo-attach: <message>" on stderr (made safe) and return code. */
int cli_fail(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The client of o->send, or NULL with the failure printed and *code set. */
struct client *cli_client_new(const struct cli_options *o, int *code);

#endif
