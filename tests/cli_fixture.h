/* The fixture of the tests that run the real kombo-attach binary (path in $KA_BIN) against
 * the mock server in the test's own process: setup/teardown for the group, a fault reset
 * before each test, and ka_run* to run the binary with a standard environment, a time limit,
 * and a check that the API key never appears in what it prints.
 * Header-only on purpose: each test program is one translation unit. */
#ifndef KA_TEST_CLI_FIXTURE_H
#define KA_TEST_CLI_FIXTURE_H

#include <stdarg.h>
#include <stdbool.h>
#include <sys/resource.h>
#include <time.h>

#include "helpers.h"
#include "mock.h"

#define KEY "sk_test_fixture_9d41c7e2b6a8f035"
#define INTEGRATION "personio:8xAqDJhWCk9g3ZbcKWm2ne3L"
#define CANDIDATE "4B9bJBkJ6jEGfpdpcCJ7JKJ9"
#define RUN_LIMIT_S 30.0   /* any single run longer than this is a hang: killed, test fails */

static struct mock *g_mock;
static char *g_inbox, *g_work;
static char g_env_url[256], g_env_cfg[300], g_env_state[300], g_env_data[300], g_env_cache[300];
static bool g_sanitized;

static inline int setup(void **state)
{
    (void)state;
    g_sanitized = getenv("KA_SANITIZED") != NULL;
    /* the crash test kills a child with SIGSEGV: no core file in the working folder */
    struct rlimit nocore = { 0, 0 };
    setrlimit(RLIMIT_CORE, &nocore);
    g_inbox = th_tempdir();
    g_work = th_tempdir();
    /* a cap far above the default 100 MiB: the tests send files of up to 256 MiB */
    /* any candidate ID: these tests send to many made-up ones (the seeded-only rule has its
     * own tests in test_mock and test_cli) */
    /* no attachment restrictions ("null"): the tests of big files are about the transfer,
     * and the command line refuses what a common ATS's 10 MiB limit would (test_cli_find
     * has mocks with restrictions) */
    struct mock_config cfg = { .inbox = g_inbox, .max_body = 1ull << 30, .quiet = true,
                               .any_candidate = true, .restrictions = "null" };
    char err[256];
    g_mock = mock_start(&cfg, err, sizeof err);
    if (!g_mock) {
        fprintf(stderr, "mock_start: %s\n", err);
        return -1;
    }
    snprintf(g_env_url, sizeof g_env_url, "KOMBO_BASE_URL=%s", mock_base_url(g_mock));
    snprintf(g_env_cfg, sizeof g_env_cfg, "XDG_CONFIG_HOME=%s/config", g_work);
    snprintf(g_env_state, sizeof g_env_state, "XDG_STATE_HOME=%s/state", g_work);
    snprintf(g_env_data, sizeof g_env_data, "XDG_DATA_HOME=%s/data", g_work);
    /* the candidate index too: never the real ~/.cache, never another program's */
    snprintf(g_env_cache, sizeof g_env_cache, "XDG_CACHE_HOME=%s/cache", g_work);
    return 0;
}

static inline int teardown(void **state)
{
    (void)state;
    mock_stop(g_mock);
    th_rmtree(g_inbox);
    th_rmtree(g_work);
    free(g_inbox);
    free(g_work);
    return 0;
}

/* Each test starts with no fault and an empty history: an earlier test's upload of the same
 * content would make the next one a skipped duplicate. */
static inline int before(void **state)
{
    (void)state;
    struct mock_fault none = { .kind = MOCK_FAULT_NONE };
    mock_inject(g_mock, &none);
    char state_dir[400];
    snprintf(state_dir, sizeof state_dir, "%s/state", g_work);
    th_rmtree(state_dir);
    return 0;
}

static inline double now_s(void)
{
    return clock_now();
}

/* The key, or a recognisable piece of it, in text. */
static const char *key_piece_in(const char *text)
{
    static const char *const pieces[] = { KEY, "sk_test_fixt", "9d41c7e2b6a8f035", "c7e2b6a8f0" };
    for (size_t i = 0; text && i < sizeof pieces / sizeof *pieces; i++)
        if (strstr(text, pieces[i]))
            return pieces[i];
    return NULL;
}

static inline void assert_no_key(const char *where, const struct run_result *r)
{
    const char *p = key_piece_in(r->out);
    if (!p)
        p = key_piece_in(r->err);
    if (p)
        fail_msg("%s: the API key (\"%s\") leaked into the output:\n%s\n%s", where, p, r->out, r->err);
}

/* argv builder: KA_BIN then the arguments (NULL-ended), optionally behind a prefix
 * (e.g. setpriv ...). */
static inline int build_argv(char **argv, int max, const char *const *prefix, const char *arg, va_list ap)
{
    int argc = 0;
    for (int i = 0; prefix && prefix[i] && argc < max - 2; i++)
        argv[argc++] = (char *)prefix[i];
    const char *bin = getenv("KA_BIN");
    assert_non_null(bin);
    argv[argc++] = (char *)bin;
    for (const char *a = arg; a && argc < max - 1; a = va_arg(ap, const char *))
        argv[argc++] = (char *)a;
    argv[argc] = NULL;
    return argc;
}

static inline int std_env(const char **env, const char *const *env_extra)
{
    const char *base[] = { "KOMBO_API_KEY=" KEY, "KOMBO_INTEGRATION_ID=" INTEGRATION, g_env_url,
                           g_env_cfg, g_env_state, g_env_data, g_env_cache, "KOMBO_SERVER", "KOMBO_PROFILE",
                           "KOMBO_CONFIG", "NO_COLOR=1" };
    int n = 0;
    for (size_t i = 0; i < sizeof base / sizeof *base; i++)
        env[n++] = base[i];
    for (int i = 0; env_extra && env_extra[i] && n < 30; i++)
        env[n++] = env_extra[i];
    env[n] = NULL;
    return n;
}

/* Run kombo-attach (time-limited) with the standard environment plus env_extra; the
 * elapsed wall time goes to *secs when not NULL. The key must never appear. */
static inline struct run_result ka_run_full(const char *const *prefix, const char *const *env_extra,
                                     double *secs, const char *arg, ...)
{
    char *argv[80];
    va_list ap;
    va_start(ap, arg);
    build_argv(argv, 80, prefix, arg, ap);
    va_end(ap);
    const char *env[32];
    std_env(env, env_extra);
    struct th_proc p;
    double t0 = now_s();
    assert_int_equal(th_spawn(argv, env, &p), 0);
    struct run_result r = th_wait(&p, RUN_LIMIT_S);
    if (secs)
        *secs = now_s() - t0;
    assert_non_null(r.out);
    assert_non_null(r.err);
    if (r.status == 137)
        fail_msg("kombo-attach hung (killed after %.0f s):\n%s%s", RUN_LIMIT_S, r.out, r.err);
    assert_no_key("run", &r);
    return r;
}
#define ka_run(...) ka_run_full(NULL, NULL, NULL, __VA_ARGS__)
#define ka_run_env(env, ...) ka_run_full(NULL, env, NULL, __VA_ARGS__)
#define ka_run_timed(secs, ...) ka_run_full(NULL, NULL, secs, __VA_ARGS__)

/* stdout + stderr contain needle (case-sensitive). */
static inline bool said(const struct run_result *r, const char *needle)
{
    return strstr(r->out, needle) || strstr(r->err, needle);
}
#define assert_said(r, needle)                                                                   \
    do {                                                                                         \
        if (!said(&(r), needle))                                                                 \
            fail_msg("expected \"%s\" in the output (exit %d):\n%s%s", needle, (r).status,       \
                     (r).out, (r).err);                                                          \
    } while (0)

static char *work_file(const char *name)
{
    static char p[4][4096];
    static int k;
    k = (k + 1) % 4;
    snprintf(p[k], sizeof p[k], "%s/%s", g_work, name);
    return p[k];
}


#endif
