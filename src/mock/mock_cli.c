/* `kombo-attach mock`: the mock server as a program of its own, for integration testing
 * by hand or from another language's test suite. Flags in, mock_start, wait for Ctrl-C.
 * Flags are read with getopt_long as the main command's are, and refused the same way: one
 * line naming the problem and what to do, exit code KA_EXIT_USAGE. */
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "answer.h"
#include "exitcodes.h"
#include "format.h"
#include "mock.h"
#include "numparse.h"
#include "secret.h"

static void usage(FILE *out)
{
    fprintf(out,
            "usage: kombo-attach mock [--port N] [--inbox DIR] [--max-body BYTES]\n"
            "                         [--api-key-file F] [--tls-cert F --tls-key F]\n"
            "                         [--fail-next N --fail-status S [--retry-after V]] [--quiet]\n"
            "                         [--any-candidate] [--candidates N] [--seed S] [--data FILE]\n"
            "                         [--restrictions FILE] [--latency MS] [--upload-latency MS]\n"
            "                         [--concurrency-limit N]\n"
            "                         [--integration-status S] [--setup-status S]\n"
            "Runs a mock Kombo server on 127.0.0.1 that checks requests like the real API and\n"
            "stores attachments under the inbox (default ./mock-inbox). Port 0 picks a free one.\n"
            "Its people: --candidates N (default 40) generated from --seed S (default 0; the same\n"
            "seed gives the same people), the first four always the fixed ones of the README;\n"
            "or --data FILE, a JSON array of candidates in Kombo's shape. GET /v1/ats/candidates\n"
            "pages through them with Kombo's filters. Only they exist: an upload or listing for\n"
            "another ID gets Kombo's 404, unless --any-candidate (for tests of odd IDs).\n"
            "--restrictions FILE: what GET /v1/ats/actions/ats_add_*_attachment answers as\n"
            "  attachment_restrictions (that JSON object, or null).\n"
            "--latency MS: every /v1 answer comes MS ms after its request (the mock's own work\n"
            "  within them). --upload-latency MS: uploads wait MS ms instead; one whose client\n"
            "  has gone is still stored when due, as Kombo would.\n"
            "--concurrency-limit N: 429 PLATFORM.CONCURRENCY_LIMIT_EXCEEDED beyond N uploads or\n"
            "  attachment listings in flight per integration, and the headers Concurrency-Limit\n"
            "  and Concurrency-Remaining on every answer.\n"
            "--integration-status ACTIVE|INVALID|INACTIVE, --setup-status COMPLETED|INCOMPLETE|\n"
            "  FINAL_SYNC_PENDING: what GET /v1/integrations/{id} says.\n"
            "Faults can also be set at run time: POST /__mock/fault?kind=status&status=503&count=2\n"
            "  kind: status (status, code, message, retry_after, retry_after_ms), stall, drop, html,\n"
            "  bad_json,"
            " empty, huge, slow (rate=BYTES_PER_SECOND), none; count: N or all (default 1).\n"
            "  Faults hit uploads only, unless targeted: path=/check-api-key (a prefix of the\n"
            "  path after /v1) and/or method=GET; count then counts the requests that match.\n"
            "GET /__mock/requests lists recent requests (raw paths), GET /__mock/stats counts.\n");
}

/* Longest API key file read: a key is one short line. */
#define KEY_FILE_MAX 4096
/* Longest --restrictions file: three types and their MIME lists. */
#define RESTRICTIONS_MAX (64 * 1024)

/* Flags without a short form. */
enum {
    OPT_PORT = 256, OPT_INBOX, OPT_MAX_BODY, OPT_API_KEY_FILE, OPT_API_KEY, OPT_TLS_CERT,
    OPT_TLS_KEY, OPT_FAIL_NEXT, OPT_FAIL_STATUS, OPT_RETRY_AFTER, OPT_QUIET, OPT_ANY_CANDIDATE,
    OPT_CANDIDATES, OPT_SEED, OPT_DATA, OPT_RESTRICTIONS, OPT_LATENCY, OPT_UPLOAD_LATENCY, OPT_CONC_LIMIT, OPT_INTEGRATION_STATUS,
    OPT_SETUP_STATUS,
};

static const struct option long_options[] = {
    { "port", required_argument, NULL, OPT_PORT },
    { "inbox", required_argument, NULL, OPT_INBOX },
    { "max-body", required_argument, NULL, OPT_MAX_BODY },
    { "api-key-file", required_argument, NULL, OPT_API_KEY_FILE },
    /* Listed only to refuse it: without this exact entry getopt would take "--api-key X"
     * as an abbreviation of --api-key-file and then name the key as a file in an error. */
    { "api-key", optional_argument, NULL, OPT_API_KEY },
    { "tls-cert", required_argument, NULL, OPT_TLS_CERT },
    { "tls-key", required_argument, NULL, OPT_TLS_KEY },
    { "fail-next", required_argument, NULL, OPT_FAIL_NEXT },
    { "fail-status", required_argument, NULL, OPT_FAIL_STATUS },
    { "retry-after", required_argument, NULL, OPT_RETRY_AFTER },
    { "quiet", no_argument, NULL, OPT_QUIET },
    { "any-candidate", no_argument, NULL, OPT_ANY_CANDIDATE },
    { "candidates", required_argument, NULL, OPT_CANDIDATES },
    { "seed", required_argument, NULL, OPT_SEED },
    { "data", required_argument, NULL, OPT_DATA },
    { "restrictions", required_argument, NULL, OPT_RESTRICTIONS },
    { "latency", required_argument, NULL, OPT_LATENCY },
    { "upload-latency", required_argument, NULL, OPT_UPLOAD_LATENCY },
    { "concurrency-limit", required_argument, NULL, OPT_CONC_LIMIT },
    { "integration-status", required_argument, NULL, OPT_INTEGRATION_STATUS },
    { "setup-status", required_argument, NULL, OPT_SETUP_STATUS },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
};

struct mock_args {
    struct mock_config cfg;
    const char *key_file, *retry_after, *restrictions_file;
    bool have_candidates;
    uint64_t fail_next, fail_status;
    bool have_fail_next, have_fail_status, help;
};

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int usage_error(const char *fmt, ...)
{
    va_list ap;
    fputs("kombo-attach mock: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return KA_EXIT_USAGE;
}

static const struct option *option_of(int val)
{
    for (const struct option *o = long_options; o->name; o++)
        if (o->val == val)
            return o;
    return NULL;
}

/* An option getopt refused: named as typed, but never with its "=value", which could be
 * a secret, and escaped, since it is whatever was typed. */
static int refuse_option(const char *typed, int opt)
{
    const struct option *o = opt ? option_of(opt) : NULL;
    if (o && o->has_arg == no_argument)
        return usage_error("--%s takes no value — write just --%s", o->name, o->name);
    if (opt > 0 && opt < 256 && !o)
        return usage_error("unknown option -%c — see kombo-attach mock --help", opt);
    char *name = answer_escape(typed, strcspn(typed, "="));
    int rc = usage_error("unknown or ambiguous option %s — see kombo-attach mock --help",
                         name ? name : "?");
    free(name);
    return rc;
}

/* The value of one option, checked. 0, or the exit code. */
static int take_value(struct mock_args *a, int opt, const char *val)
{
    uint64_t v = 0;
    switch (opt) {
    case OPT_PORT:
        if (num_parse_u64(val, 65535, &v) < 0)
            return usage_error("--port must be a number from 0 to 65535");
        a->cfg.port = (unsigned short)v;
        break;
    case OPT_INBOX:
        if (!*val)
            return usage_error("--inbox must not be empty");
        a->cfg.inbox = val;
        break;
    case OPT_MAX_BODY:
        if (fmt_parse_bytes(val, &v) < 0 || v == 0)
            return usage_error("--max-body must be a positive number of bytes "
                               "(suffixes K, M, G allowed)");
        a->cfg.max_body = v;
        break;
    case OPT_API_KEY_FILE: a->key_file = val; break;
    case OPT_TLS_CERT: a->cfg.tls_cert = val; break;
    case OPT_TLS_KEY: a->cfg.tls_key = val; break;
    case OPT_FAIL_NEXT:
        if (num_parse_u64(val, 1000000, &v) < 0 || v == 0)
            return usage_error("--fail-next must be a positive number");
        a->fail_next = v;
        a->have_fail_next = true;
        break;
    case OPT_FAIL_STATUS:
        if (num_parse_u64(val, 599, &v) < 0 || v < 100)
            return usage_error("--fail-status must be an HTTP status from 100 to 599");
        a->fail_status = v;
        a->have_fail_status = true;
        break;
    case OPT_RETRY_AFTER: a->retry_after = val; break;
    case OPT_CANDIDATES:
        if (num_parse_u64(val, 2000000, &v) < 0 || v == 0)
            return usage_error("--candidates must be a number from 1 to 2000000");
        a->cfg.candidates = (unsigned)v;
        a->have_candidates = true;
        break;
    case OPT_SEED:
        if (num_parse_u64(val, UINT64_MAX, &v) < 0)
            return usage_error("--seed must be a whole number (0 or more)");
        a->cfg.seed = v;
        break;
    case OPT_DATA: a->cfg.data_file = val; break;
    case OPT_RESTRICTIONS: a->restrictions_file = val; break;
    case OPT_LATENCY:
        if (num_parse_u64(val, 60000, &v) < 0)
            return usage_error("--latency must be a number of milliseconds from 0 to 60000");
        a->cfg.latency_ms = (unsigned)v;
        break;
    case OPT_UPLOAD_LATENCY:
        if (num_parse_u64(val, 60000, &v) < 0)
            return usage_error("--upload-latency must be a number of milliseconds from 0 to 60000");
        a->cfg.upload_latency_ms = (unsigned)v;
        break;
    case OPT_CONC_LIMIT:
        if (num_parse_u64(val, 10000, &v) < 0)
            return usage_error("--concurrency-limit must be a number of actions from 0 (none) to 10000");
        a->cfg.concurrency_limit = (unsigned)v;
        break;
    case OPT_INTEGRATION_STATUS:
        if (strcmp(val, "ACTIVE") && strcmp(val, "INVALID") && strcmp(val, "INACTIVE"))
            return usage_error("--integration-status must be ACTIVE, INVALID or INACTIVE");
        a->cfg.integration_status = val;
        break;
    case OPT_SETUP_STATUS:
        if (strcmp(val, "COMPLETED") && strcmp(val, "INCOMPLETE") &&
            strcmp(val, "FINAL_SYNC_PENDING"))
            return usage_error("--setup-status must be COMPLETED, INCOMPLETE or "
                               "FINAL_SYNC_PENDING");
        a->cfg.setup_status = val;
        break;
    }
    return 0;
}

/* argv into *a. 0, or the exit code. */
static int parse_args(int argc, char **argv, struct mock_args *a)
{
    /* 0, not 1: glibc and musl then forget a previous scan entirely (tests call this more
     * than once in one process). */
    optind = 0;
    opterr = 0;   /* our own messages: getopt's would echo "--api-key=SECRET" */
    int c;
    /* "+": the mock takes no operands, so stop at the first one instead of permuting. */
    while ((c = getopt_long(argc, argv, "+:h", long_options, NULL)) != -1) {
        switch (c) {
        case 'h':
            a->help = true;   /* as before getopt: help wins over whatever follows */
            return 0;
        case OPT_QUIET: a->cfg.quiet = true; break;
        case OPT_ANY_CANDIDATE: a->cfg.any_candidate = true; break;
        case OPT_API_KEY:
            return usage_error("there is no --api-key flag: keys on command lines leak into "
                               "shell history and ps — put the key in a file and use "
                               "--api-key-file FILE");
        case ':': {
            const struct option *o = option_of(optopt);
            if (o)
                return usage_error("--%s needs a value — see kombo-attach mock --help", o->name);
            return refuse_option(argv[optind - 1], 0);
        }
        case '?':
            return refuse_option(argv[optind - 1], optopt);
        default: {
            int rc = take_value(a, c, optarg);
            if (rc)
                return rc;
        }
        }
    }
    if (optind < argc)
        return usage_error("unexpected argument (the mock takes options only) — see "
                           "kombo-attach mock --help");
    if (!a->cfg.tls_cert != !a->cfg.tls_key)
        return usage_error("--tls-cert and --tls-key go together");
    if (a->retry_after && !a->have_fail_next && !a->have_fail_status)
        return usage_error("--retry-after needs --fail-next/--fail-status");
    if (a->cfg.data_file && a->have_candidates)
        return usage_error("--data and --candidates exclude each other: the file is the data set");
    return 0;
}

int mock_main(int argc, char **argv)
{
    struct mock_args a = { .cfg = { .inbox = "./mock-inbox" } };
    char err[512];

    int rc = parse_args(argc, argv, &a);
    if (rc)
        return rc;
    if (a.help) {
        usage(stdout);
        return KA_EXIT_OK;
    }
    char *key = NULL;
    if (a.key_file) {
        /* Read as the client reads its key file, so both agree on what the key is. */
        if (!(key = secret_read_first_line(a.key_file, KEY_FILE_MAX))) {
            if (errno)
                return usage_error("--api-key-file: cannot read %s: %s", a.key_file,
                                   strerror(errno));
            return usage_error("--api-key-file: %s is empty", a.key_file);
        }
        a.cfg.api_key = key;
    }

    char *restrictions = NULL;
    if (a.restrictions_file) {
        /* The file's text; mock_start checks its shape (the message names the field). */
        FILE *f = fopen(a.restrictions_file, "rb");
        size_t n = 0;
        if (f) {
            restrictions = malloc(RESTRICTIONS_MAX + 1);
            n = restrictions ? fread(restrictions, 1, RESTRICTIONS_MAX + 1, f) : 0;
            fclose(f);
        }
        if (!restrictions || n > RESTRICTIONS_MAX) {
            int e = errno;
            free(restrictions);
            secret_free(key);
            if (!f)
                return usage_error("--restrictions: cannot read %s: %s", a.restrictions_file,
                                   strerror(e));
            return usage_error("--restrictions: %s is larger than 64 KiB", a.restrictions_file);
        }
        restrictions[n] = '\0';
        a.cfg.restrictions = restrictions;
    }

    /* Block the stop signals before the server threads exist so that they inherit the
     * mask and only sigwait below sees SIGINT/SIGTERM. */
    sigset_t set, old;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, &old);

    struct mock *m = mock_start(&a.cfg, err, sizeof err);
    if (!m) {
        fprintf(stderr, "kombo-attach %s\n", err);
        secret_free(key);
        free(restrictions);
        pthread_sigmask(SIG_SETMASK, &old, NULL);
        return KA_EXIT_INTERNAL;
    }
    if (a.have_fail_next || a.have_fail_status) {
        struct mock_fault fault = {
            .kind = MOCK_FAULT_STATUS,
            .count = a.have_fail_next ? (int)a.fail_next : 1,
            .status = a.have_fail_status ? (int)a.fail_status : 503,
            .retry_after = a.retry_after,
        };
        mock_inject(m, &fault);
    }
    printf("mock Kombo server on %s \xe2\x80\x94 inbox %s (Ctrl-C to stop)\n", mock_base_url(m),
           a.cfg.inbox);
    fflush(stdout);

    int sig = 0;
    sigwait(&set, &sig);
    mock_stop(m);
    secret_free(key);
    free(restrictions);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (!a.cfg.quiet)
        fprintf(stderr, "mock stopped\n");
    return KA_EXIT_OK;
}
