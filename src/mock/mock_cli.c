/* `kombo-attach mock`: the mock server as a program of its own, for integration testing
 * by hand or from another language's test suite. Flags in, mock_start, wait for Ctrl-C. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
            "Runs a mock Kombo server on 127.0.0.1 that checks requests like the real API and\n"
            "stores attachments under the inbox (default ./mock-inbox). Port 0 picks a free one.\n"
            "Faults can also be set at run time: POST /__mock/fault?kind=status&status=503&count=2\n"
            "  kind: status (status, code, message, retry_after, retry_after_ms), stall, drop, html,\n"
            "  bad_json,"
            " empty, huge, slow (rate=BYTES_PER_SECOND), none; count: N or all (default 1).\n"
            "GET /__mock/requests lists recent requests (raw paths), GET /__mock/stats counts.\n");
}

/* Longest API key file read: a key is one short line. */
#define KEY_FILE_MAX 4096

int mock_main(int argc, char **argv)
{
    struct mock_config cfg = { .inbox = "./mock-inbox" };
    struct mock_fault fault = { .kind = MOCK_FAULT_NONE };
    const char *key_file = NULL;
    uint64_t fail_next = 0, fail_status = 0;
    bool have_fail_next = false, have_fail_status = false;
    char err[512];

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *val = NULL;
        const char *eq = strncmp(a, "--", 2) == 0 ? strchr(a, '=') : NULL;
        char flag[32];
        snprintf(flag, sizeof flag, "%.*s", eq ? (int)(eq - a) : (int)strlen(a), a);
        if (!strcmp(flag, "-h") || !strcmp(flag, "--help")) {
            usage(stdout);
            return KA_EXIT_OK;
        }
        if (!strcmp(flag, "--quiet") && !eq) {
            cfg.quiet = true;
            continue;
        }
        static const char *const with_value[] = {
            "--port", "--inbox", "--max-body", "--api-key-file", "--tls-cert", "--tls-key",
            "--fail-next", "--fail-status", "--retry-after", NULL
        };
        bool known = false;
        for (int k = 0; with_value[k]; k++)
            known |= !strcmp(flag, with_value[k]);
        if (!known) {
            fprintf(stderr, "kombo-attach mock: unknown option %s (see --help)\n", a);
            return KA_EXIT_USAGE;
        }
        if (eq)
            val = eq + 1;
        else if (i + 1 < argc)
            val = argv[++i];
        else {
            fprintf(stderr, "kombo-attach mock: %s needs a value\n", flag);
            return KA_EXIT_USAGE;
        }
        uint64_t v = 0;
        if (!strcmp(flag, "--port")) {
            if (num_parse_u64(val, 65535, &v) < 0) {
                fprintf(stderr, "kombo-attach mock: --port must be a number from 0 to 65535\n");
                return KA_EXIT_USAGE;
            }
            cfg.port = (unsigned short)v;
        } else if (!strcmp(flag, "--inbox")) {
            if (!*val) {
                fprintf(stderr, "kombo-attach mock: --inbox must not be empty\n");
                return KA_EXIT_USAGE;
            }
            cfg.inbox = val;
        } else if (!strcmp(flag, "--max-body")) {
            if (fmt_parse_bytes(val, &v) < 0 || v == 0) {
                fprintf(stderr, "kombo-attach mock: --max-body must be a positive number of bytes "
                        "(suffixes K, M, G allowed)\n");
                return KA_EXIT_USAGE;
            }
            cfg.max_body = v;
        } else if (!strcmp(flag, "--api-key-file")) {
            key_file = val;
        } else if (!strcmp(flag, "--tls-cert")) {
            cfg.tls_cert = val;
        } else if (!strcmp(flag, "--tls-key")) {
            cfg.tls_key = val;
        } else if (!strcmp(flag, "--fail-next")) {
            if (num_parse_u64(val, 1000000, &v) < 0 || v == 0) {
                fprintf(stderr, "kombo-attach mock: --fail-next must be a positive number\n");
                return KA_EXIT_USAGE;
            }
            fail_next = v;
            have_fail_next = true;
        } else if (!strcmp(flag, "--fail-status")) {
            if (num_parse_u64(val, 599, &v) < 0 || v < 100) {
                fprintf(stderr, "kombo-attach mock: --fail-status must be an HTTP status "
                        "from 100 to 599\n");
                return KA_EXIT_USAGE;
            }
            fail_status = v;
            have_fail_status = true;
        } else if (!strcmp(flag, "--retry-after")) {
            fault.retry_after = val;
        }
    }
    if (!cfg.tls_cert != !cfg.tls_key) {
        fprintf(stderr, "kombo-attach mock: --tls-cert and --tls-key go together\n");
        return KA_EXIT_USAGE;
    }
    if (fault.retry_after && !have_fail_next && !have_fail_status) {
        fprintf(stderr, "kombo-attach mock: --retry-after needs --fail-next/--fail-status\n");
        return KA_EXIT_USAGE;
    }
    char *key = NULL;
    if (key_file) {
        /* Read as the client reads its key file, so both agree on what the key is. */
        if (!(key = secret_read_first_line(key_file, KEY_FILE_MAX))) {
            if (errno)
                fprintf(stderr, "kombo-attach mock: --api-key-file: cannot read %s: %s\n",
                        key_file, strerror(errno));
            else
                fprintf(stderr, "kombo-attach mock: --api-key-file: %s is empty\n", key_file);
            return KA_EXIT_USAGE;
        }
        cfg.api_key = key;
    }

    /* Block the stop signals before the server threads exist so that they inherit the
     * mask and only sigwait below sees SIGINT/SIGTERM. */
    sigset_t set, old;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, &old);

    struct mock *m = mock_start(&cfg, err, sizeof err);
    if (!m) {
        fprintf(stderr, "kombo-attach %s\n", err);
        secret_free(key);
        pthread_sigmask(SIG_SETMASK, &old, NULL);
        return KA_EXIT_INTERNAL;
    }
    if (have_fail_next || have_fail_status) {
        fault.kind = MOCK_FAULT_STATUS;
        fault.count = have_fail_next ? (int)fail_next : 1;
        fault.status = have_fail_status ? (int)fail_status : 503;
        mock_inject(m, &fault);
    }
    printf("mock Kombo server on %s \xe2\x80\x94 inbox %s (Ctrl-C to stop)\n", mock_base_url(m),
           cfg.inbox);
    fflush(stdout);

    int sig = 0;
    sigwait(&set, &sig);
    mock_stop(m);
    secret_free(key);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (!cfg.quiet)
        fprintf(stderr, "mock stopped\n");
    return KA_EXIT_OK;
}
