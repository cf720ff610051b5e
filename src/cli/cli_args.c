/* See cli_args.h. getopt's own messages are off: they would echo "--api-key=SECRET". */
#include "cli_args.h"

#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "bulkrun.h"
#include "client.h"
#include "cli_conn.h"
#include "exitcodes.h"
#include "format.h"
#include "numparse.h"

/* Flags without a short form. */
enum {
    OPT_CONTENT_TYPE = 256, OPT_REMOTE_FIELDS, OPT_INTEGRATION_ID, OPT_SERVER, OPT_BASE_URL,
    OPT_API_KEY_FILE, OPT_API_KEY, OPT_CACERT, OPT_RETRIES, OPT_TIMEOUT, OPT_CONNECT_TIMEOUT,
    OPT_JSON, OPT_DRY_RUN, OPT_PROFILE, OPT_SHOW_CONFIG, OPT_SANDBOX, OPT_NO_HISTORY, OPT_MAX_SIZE,
    OPT_FORCE, OPT_ALLOW_PLAIN_HTTP, OPT_APPLICATION, OPT_EMAIL, OPT_FIND, OPT_JOB, OPT_VERIFY,
    OPT_NO_INDEX, OPT_FULL, OPT_CONCURRENCY, OPT_REPORT,
};

static const struct option long_options[] = {
    { "candidate", required_argument, NULL, 'c' },
    { "application", required_argument, NULL, OPT_APPLICATION },
    { "email", required_argument, NULL, OPT_EMAIL },
    { "find", required_argument, NULL, OPT_FIND },
    { "job", required_argument, NULL, OPT_JOB },
    { "verify", no_argument, NULL, OPT_VERIFY },
    { "no-index", no_argument, NULL, OPT_NO_INDEX },
    { "full", no_argument, NULL, OPT_FULL },
    { "concurrency", required_argument, NULL, OPT_CONCURRENCY },
    { "report", required_argument, NULL, OPT_REPORT },
    { "type", required_argument, NULL, 't' },
    { "name", required_argument, NULL, 'n' },
    { "content-type", required_argument, NULL, OPT_CONTENT_TYPE },
    { "remote-fields", required_argument, NULL, OPT_REMOTE_FIELDS },
    { "integration-id", required_argument, NULL, OPT_INTEGRATION_ID },
    { "server", required_argument, NULL, OPT_SERVER },
    { "base-url", required_argument, NULL, OPT_BASE_URL },
    { "api-key-file", required_argument, NULL, OPT_API_KEY_FILE },
    /* Listed only to refuse it: without this exact entry getopt would take "--api-key X"
     * as an abbreviation of --api-key-file and then name the key as a file in an error. */
    { "api-key", optional_argument, NULL, OPT_API_KEY },
    { "cacert", required_argument, NULL, OPT_CACERT },
    { "retries", required_argument, NULL, OPT_RETRIES },
    { "timeout", required_argument, NULL, OPT_TIMEOUT },
    { "connect-timeout", required_argument, NULL, OPT_CONNECT_TIMEOUT },
    { "json", no_argument, NULL, OPT_JSON },
    { "dry-run", no_argument, NULL, OPT_DRY_RUN },
    { "quiet", no_argument, NULL, 'q' },
    { "verbose", no_argument, NULL, 'v' },
    { "profile", required_argument, NULL, OPT_PROFILE },
    { "show-config", no_argument, NULL, OPT_SHOW_CONFIG },
    { "sandbox", no_argument, NULL, OPT_SANDBOX },
    { "no-history", no_argument, NULL, OPT_NO_HISTORY },
    { "max-size", required_argument, NULL, OPT_MAX_SIZE },
    { "force", no_argument, NULL, OPT_FORCE },
    { "allow-plain-http", no_argument, NULL, OPT_ALLOW_PLAIN_HTTP },
    { "help", no_argument, NULL, 'h' },
    { "version", no_argument, NULL, 'V' },
    { NULL, 0, NULL, 0 },
};



int cli_args_parse(int argc, char **argv, struct cli_args *a)
{
    a->retries = CLIENT_DEFAULT_ATTEMPTS - 1;
    a->timeout_s = CLIENT_DEFAULT_TIMEOUT_S;
    a->connect_timeout_s = 0;
    opterr = 0; /* our own messages: getopt's would echo "--api-key=SECRET" */
    int c;
    while ((c = getopt_long(argc, argv, ":c:t:n:qvhV", long_options, NULL)) != -1) {
        switch (c) {
        case 'c': a->candidate = optarg; break;
        case OPT_APPLICATION: a->application = optarg; break;
        case OPT_EMAIL: a->email = optarg; break;
        case OPT_FIND: a->find = optarg; break;
        case OPT_JOB: a->job = optarg; break;
        case OPT_VERIFY: a->verify = true; break;
        case OPT_NO_INDEX: a->no_index = true; break;
        case OPT_FULL: a->full = true; break;
        case OPT_REPORT: a->report = optarg; break;
        case OPT_CONCURRENCY:
            if (num_parse_long(optarg, 1, BULK_MAX_CONCURRENCY, &a->concurrency) != 0)
                return cli_fail(KA_EXIT_USAGE, "--concurrency must be a number of uploads at once "
                            "from 1 to %d (default %d)", BULK_MAX_CONCURRENCY,
                            BULK_DEFAULT_CONCURRENCY);
            break;
        case 't': a->type = optarg; break;
        case 'n': a->name = optarg; break;
        case OPT_CONTENT_TYPE: a->content_type = optarg; break;
        case OPT_REMOTE_FIELDS: a->remote_fields = optarg; break;
        case OPT_INTEGRATION_ID: a->integration_id = optarg; break;
        case OPT_SERVER: a->server = optarg; break;
        case OPT_BASE_URL: a->base_url = optarg; break;
        case OPT_API_KEY_FILE: a->api_key_file = optarg; break;
        case OPT_API_KEY:
            return cli_fail(KA_EXIT_USAGE, "there is no --api-key flag: keys on command lines leak into "
                        "shell history and ps — use KOMBO_API_KEY, --api-key-file FILE or the config file");
        case OPT_CACERT: a->cacert = optarg; break;
        case OPT_RETRIES:
            if (num_parse_long(optarg, 0, 20, &a->retries) != 0)
                return cli_fail(KA_EXIT_USAGE, "--retries \"%s\" is not a number from 0 to 20 — "
                            "e.g. --retries 3", optarg);
            break;
        case OPT_TIMEOUT:
            if (num_parse_long(optarg, 0, 86400, &a->timeout_s) != 0)
                return cli_fail(KA_EXIT_USAGE, "--timeout \"%s\" is not a number of seconds (0 to 86400) — "
                            "e.g. --timeout 300", optarg);
            break;
        case OPT_CONNECT_TIMEOUT:
            if (num_parse_long(optarg, 0, 3600, &a->connect_timeout_s) != 0)
                return cli_fail(KA_EXIT_USAGE, "--connect-timeout \"%s\" is not a number of seconds "
                            "(0 to 3600) — e.g. --connect-timeout 10", optarg);
            break;
        case OPT_JSON: a->json = true; break;
        case OPT_DRY_RUN: a->dry_run = true; break;
        case 'q': a->quiet = true; break;
        case 'v': a->verbose = true; break;
        case OPT_PROFILE: a->profile = optarg; break;
        case OPT_SHOW_CONFIG: a->show_config = true; break;
        case OPT_SANDBOX: a->sandbox = true; break;
        case OPT_NO_HISTORY: a->no_history = true; break;
        case OPT_FORCE: a->force = true; break;
        case OPT_ALLOW_PLAIN_HTTP: a->allow_plain_http = true; break;
        case OPT_MAX_SIZE: {
            uint64_t n;
            if (fmt_parse_bytes(optarg, &n) != 0 || n == 0)
                return cli_fail(KA_EXIT_USAGE, "--max-size \"%s\" is not a size — e.g. --max-size 25M",
                            optarg);
            a->max_size = optarg;
            break;
        }
        case 'h': a->help = true; break;
        case 'V': a->version = true; break;
        case ':': {
            const char *opt = argv[optind - 1];
            return cli_fail(KA_EXIT_USAGE, "option %s needs a value — see kombo-attach --help", opt);
        }
        default: {
            /* Show the option without any "=value": it could be a secret. */
            const char *opt = argv[optind - 1];
            if (optopt && optopt < 256)
                return cli_fail(KA_EXIT_USAGE, "unknown option -%c — see kombo-attach --help", optopt);
            return cli_fail(KA_EXIT_USAGE, "unknown or ambiguous option %.*s — see kombo-attach --help",
                        (int)strcspn(opt, "="), opt);
        }
        }
    }
    return 0;
}

