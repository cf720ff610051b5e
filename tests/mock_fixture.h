/* One in-process mock Kombo server and a temp folder for a whole test program, and the
 * files it sends: shared by the programs that talk to the mock through the client.
 * Header-only: each test program is one translation unit. Include after cmocka.h. */
#ifndef KA_TEST_MOCK_FIXTURE_H
#define KA_TEST_MOCK_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>

#include "attachment.h"
#include "helpers.h"
#include "mock.h"

struct mock_env {
    char *dir;            /* temp folder: files to send, inbox, certificates */
    char inbox[512];
    struct mock *mock;
};

static struct mock_env *G;

static inline int mf_setup(bool any_candidate)
{
    /* A proxy from the environment must not swallow loopback traffic. */
    static const char *const proxies[] = {"http_proxy", "https_proxy", "HTTPS_PROXY",
                                          "ALL_PROXY", "all_proxy", "NO_PROXY", "no_proxy"};
    for (size_t i = 0; i < sizeof proxies / sizeof proxies[0]; i++)
        unsetenv(proxies[i]);
    G = calloc(1, sizeof *G);
    if (!G || !(G->dir = th_tempdir()))
        return -1;
    snprintf(G->inbox, sizeof G->inbox, "%s/inbox", G->dir);
    struct mock_config cfg = {.inbox = G->inbox, .quiet = true, .any_candidate = any_candidate};
    char err[256];
    G->mock = mock_start(&cfg, err, sizeof err);
    if (!G->mock) {
        fprintf(stderr, "mock_start: %s\n", err);
        return -1;
    }
    return 0;
}

/* Only the mock's seeded candidates exist (as in the sandbox). */
static inline int mf_group_setup(void **state)
{
    (void)state;
    return mf_setup(false);
}

/* Any candidate ID is taken: for tests of odd IDs. */
static inline int mf_group_setup_any_candidate(void **state)
{
    (void)state;
    return mf_setup(true);
}

static inline int mf_group_teardown(void **state)
{
    (void)state;
    if (G) {
        mock_stop(G->mock);
        th_rmtree(G->dir);
        free(G->dir);
        free(G);
    }
    return 0;
}

static inline void mf_clear_faults(void)
{
    struct mock_fault none = {.kind = MOCK_FAULT_NONE};
    mock_inject(G->mock, &none);
}

/* A file of n pseudo-random bytes in the temp folder, and its attachment (PDF). */
static inline void mf_make_att(struct attachment *a, const char *name, size_t n)
{
    char path[600], err[256];
    snprintf(path, sizeof path, "%s/%s", G->dir, name);
    assert_int_equal(th_write_random(path, n, (unsigned)n), 0);
    if (attachment_init(a, path, NULL, ATT_CV, "application/pdf", err, sizeof err) != 0)
        fail_msg("attachment_init: %s", err);
}

#endif
