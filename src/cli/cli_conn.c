/* See cli_conn.h. */
#include "cli_conn.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"
#include "exitcodes.h"
#include "kread.h"
#include "region.h"
#include "sendopts.h"
#include "transfer.h"
#include "xalloc.h"

int cli_fail(int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = xvasprintf(fmt, ap);
    va_end(ap);
    char *safe = cli_sanitize(msg);
    fprintf(stderr, "kombo-attach: %s\n", safe);
    free(safe);
    free(msg);
    return code;
}

const struct transfer_result *cli_await(struct client *c, struct transfer *t)
{
    while (!transfer_finished(t))
        client_poll(c, 100, -1, NULL);
    return transfer_get_result(t);
}

bool cli_auth_invalid(const struct transfer_result *res)
{
    const struct answer *a = &res->answer;
    return res->outcome == TRANSFER_REJECTED && a->http_status == 401 && a->err.code &&
           strcmp(a->err.code, "PLATFORM.AUTHENTICATION_INVALID") == 0;
}

bool cli_region_probe(const struct cli_options *o, char *hint, size_t hintlen)
{
    hint[0] = '\0';
    if (!o->other_region || !o->other_region_url)
        return false;
    struct client_options co = o->send->client;
    co.base_url = o->other_region_url;
    co.max_attempts = 1;   /* a hint, not the job: one try, and never a long wait */
    if (co.timeout_s == 0 || co.timeout_s > 15)
        co.timeout_s = 15;
    co.verbose = false;
    int code = 0;
    char err[300];
    struct client *c = client_new(&co, &code, err, sizeof err);
    if (!c)
        return false;
    bool ok = false;
    struct transfer *t = kread_check_api_key(c, &code, err, sizeof err);
    if (t) {
        ok = cli_await(c, t)->outcome == TRANSFER_OK;
        transfer_free(t);
    }
    client_free(c);
    if (ok)
        region_hint(o->other_region, hint, hintlen);
    return ok;
}

int cli_read_failed(const struct cli_options *o, const char *what,
                    const struct transfer_result *res)
{
    cli_fail(transfer_exit_code(res->outcome), "%s: %s", what, res->message);
    char hint[160];
    if (cli_auth_invalid(res) && cli_region_probe(o, hint, sizeof hint))
        fprintf(stderr, "kombo-attach: %s\n", hint);
    return transfer_exit_code(res->outcome);
}

struct client *cli_client_new(const struct cli_options *o, int *code)
{
    char err[600];
    struct client *c = client_new(&o->send->client, code, err, sizeof err);
    if (!c)
        cli_fail(*code, "%s", err);
    return c;
}
