/* Shared helpers for the test programs: how every program starts (run through the runner;
 * one test by name), temp folders, files, running the real binary.
 * Header-only on purpose: each test program is one translation unit. Every test program
 * includes it (directly or through cli_fixture.h), so what starts here applies to all. */
#ifndef KA_TEST_HELPERS_H
#define KA_TEST_HELPERS_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "clock.h"
#include "xalloc.h"

extern char **environ;

/* ---- how a test program starts ------------------------------------------------------
 * Before main: a program run bare (not by tests/run_tests.sh, which sets KA_BIN and
 * KA_TESTS_DIR) says in one line how to run it and exits 2, instead of failing test after
 * test; and KA_TEST_FILTER=PATTERN (cmocka's glob: * and ?) runs only the tests whose names
 * match, e.g. make unit TESTS=test_format KA_TEST_FILTER=test_bytes. */
__attribute__((constructor)) static void th_program_start(void)
{
    if (!getenv("KA_BIN") || !getenv("KA_TESTS_DIR")) {
        fprintf(stderr, "%s: run it through the test runner: make unit TESTS=%s "
                "[KA_TEST_FILTER=PATTERN] (it sets KA_BIN and KA_TESTS_DIR)\n",
                program_invocation_short_name, program_invocation_short_name);
        exit(2);
    }
    const char *filter = getenv("KA_TEST_FILTER");
    if (filter && *filter)
        cmocka_set_test_filter(filter);
}

struct run_result {
    int status;          /* exit code, or 128 + signal */
    long maxrss_kib;     /* peak resident memory of the child */
    char *out;           /* stdout */
    char *err;           /* stderr */
};

static inline char *th_slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0;
    char *buf = xmalloc(cap + 1);
    size_t got;
    while ((got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            cap *= 2;
            buf = xrealloc(buf, cap + 1);
        }
    }
    fclose(f);
    buf[n] = '\0';
    if (len)
        *len = n;
    return buf;
}

/* A fresh temporary folder; caller frees the string. */
static inline char *th_tempdir(void)
{
    char *d = xstrdup("/tmp/ka-test-XXXXXX");
    if (!mkdtemp(d)) {
        free(d);
        return NULL;
    }
    return d;
}

static inline int th_rm_cb(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb; (void)flag; (void)ftw;
    return remove(p);
}

static inline void th_rmtree(const char *dir)
{
    if (dir)
        nftw(dir, th_rm_cb, 16, FTW_DEPTH | FTW_PHYS);
}

/* A fresh temporary folder for each test, th_dir while it runs: the cmocka setup and
 * teardown of the programs that make files (wrap them to do more). */
static char *th_dir;

static inline int th_setup_tempdir(void **state)
{
    (void)state;
    th_dir = th_tempdir();
    return th_dir ? 0 : -1;
}

static inline int th_teardown_tempdir(void **state)
{
    (void)state;
    th_rmtree(th_dir);
    free(th_dir);
    th_dir = NULL;
    return 0;
}

/* th_dir/name, written into buf; returns buf. */
static inline char *th_path(char *buf, size_t len, const char *name)
{
    snprintf(buf, len, "%s/%s", th_dir, name);
    return buf;
}

/* Write n pseudo-random bytes (seeded) to path. */
static inline int th_write_random(const char *path, size_t n, unsigned seed)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    unsigned char buf[65536];
    unsigned long long x = 0x9E3779B97F4A7C15ULL ^ seed;
    while (n > 0) {
        size_t k = n < sizeof buf ? n : sizeof buf;
        for (size_t i = 0; i < k; i++) {
            x ^= x << 13; x ^= x >> 7; x ^= x << 17;
            buf[i] = (unsigned char)(x >> 24);
        }
        if (fwrite(buf, 1, k, f) != k) { fclose(f); return -1; }
        n -= k;
    }
    return fclose(f);
}

static inline int th_write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    fputs(text, f);
    return fclose(f);
}

/* Compare two files byte for byte: 0 when equal. */
static inline int th_files_equal(const char *a, const char *b)
{
    FILE *fa = fopen(a, "rb"), *fb = fopen(b, "rb");
    int rc = (fa && fb) ? 0 : -1;
    unsigned char ba[65536], bb[65536];
    while (rc == 0) {
        size_t na = fread(ba, 1, sizeof ba, fa), nb = fread(bb, 1, sizeof bb, fb);
        if (na != nb || memcmp(ba, bb, na) != 0)
            rc = 1;
        if (na == 0)
            break;
    }
    if (fa) fclose(fa);
    if (fb) fclose(fb);
    return rc;
}

/* Our environment with extra entries added ("N=V") or
 * removed ("N"). Returns a calloc'd array of borrowed strings (free the array only). */
static inline char **th_env_merge(const char *const extra_env[])
{
    size_t n = 0, ne = 0;
    while (environ[n]) n++;
    while (extra_env && extra_env[ne]) ne++;
    char **env = xcalloc(n + ne + 1, sizeof *env);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        int drop = 0;
        for (size_t j = 0; j < ne; j++) {
            const char *eq = strchr(extra_env[j], '=');
            size_t len = eq ? (size_t)(eq - extra_env[j]) : strlen(extra_env[j]);
            if (strncmp(environ[i], extra_env[j], len) == 0 && environ[i][len] == '=')
                drop = 1;
        }
        if (!drop)
            env[k++] = environ[i];
    }
    for (size_t j = 0; j < ne; j++) {
        const char *eq = strchr(extra_env[j], '=');
        size_t len = eq ? (size_t)(eq - extra_env[j]) : strlen(extra_env[j]);
        int later = 0;
        for (size_t l = j + 1; l < ne; l++)
            if (strncmp(extra_env[l], extra_env[j], len) == 0 &&
                (extra_env[l][len] == '=' || extra_env[l][len] == '\0'))
                later = 1;
        if (eq && !later)
            env[k++] = (char *)extra_env[j];
    }
    env[k] = NULL;
    return env;
}

/* Run argv (argv[0] = binary path) with extra environment entries added to (or, as
 * "NAME" without '=', removed from) ours; collect status, peak memory and outputs. */
static inline struct run_result th_run(char *const argv[], const char *const extra_env[])
{
    struct run_result r = { .status = -1 };
    char outp[] = "/tmp/ka-out-XXXXXX", errp[] = "/tmp/ka-err-XXXXXX";
    int fo = mkstemp(outp), fe = mkstemp(errp);

    char **env = th_env_merge(extra_env);

    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&fa, fo, 1);
    posix_spawn_file_actions_adddup2(&fa, fe, 2);
    pid_t pid;
    if (posix_spawn(&pid, argv[0], &fa, NULL, argv, env) == 0) {
        int st;
        struct rusage ru;
        if (wait4(pid, &st, 0, &ru) == pid) {
            r.status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
            r.maxrss_kib = ru.ru_maxrss;
        }
    }
    posix_spawn_file_actions_destroy(&fa);
    free(env);
    close(fo);
    close(fe);
    r.out = th_slurp(outp, NULL);
    r.err = th_slurp(errp, NULL);
    unlink(outp);
    unlink(errp);
    return r;
}

static inline void th_run_free(struct run_result *r)
{
    free(r->out);
    free(r->err);
    r->out = r->err = NULL;
}

/* ---- added for test_faults.c: a run that can be watched, signalled and time-limited ---- */

struct th_proc {
    pid_t pid;
    int fo, fe;
    char outp[32], errp[32];
};


/* Start argv in the background (stdin /dev/null, outputs to temp files): 0 on success. */
static inline int th_spawn(char *const argv[], const char *const extra_env[], struct th_proc *p)
{
    memset(p, 0, sizeof *p);
    p->pid = -1;
    snprintf(p->outp, sizeof p->outp, "/tmp/ka-out-XXXXXX");
    snprintf(p->errp, sizeof p->errp, "/tmp/ka-err-XXXXXX");
    p->fo = mkstemp(p->outp);
    p->fe = mkstemp(p->errp);
    char **env = th_env_merge(extra_env);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&fa, p->fo, 1);
    posix_spawn_file_actions_adddup2(&fa, p->fe, 2);
    int rc = (p->fo >= 0 && p->fe >= 0) ? posix_spawn(&p->pid, argv[0], &fa, NULL, argv, env) : -1;
    posix_spawn_file_actions_destroy(&fa);
    free(env);
    if (rc != 0)
        p->pid = -1;
    return rc == 0 ? 0 : -1;
}

/* Wait for a th_spawn'ed process at most timeout_s seconds (then SIGKILL: status 137);
 * collect status, peak memory and outputs like th_run. */
static inline struct run_result th_wait(struct th_proc *p, double timeout_s)
{
    struct run_result r = { .status = -1 };
    if (p->pid > 0) {
        double t0 = clock_now();
        int st;
        struct rusage ru;
        for (;;) {
            pid_t w = wait4(p->pid, &st, WNOHANG, &ru);
            if (w == p->pid)
                break;
            if (w < 0 && errno != EINTR) {
                st = -1;
                break;
            }
            if (clock_now() - t0 > timeout_s) {
                kill(p->pid, SIGKILL);
                wait4(p->pid, &st, 0, &ru);
                break;
            }
            usleep(2000);
        }
        if (st != -1) {
            r.status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
            r.maxrss_kib = ru.ru_maxrss;
        }
    }
    if (p->fo >= 0) close(p->fo);
    if (p->fe >= 0) close(p->fe);
    r.out = th_slurp(p->outp, NULL);
    r.err = th_slurp(p->errp, NULL);
    unlink(p->outp);
    unlink(p->errp);
    p->pid = -1;
    p->fo = p->fe = -1;
    return r;
}

/* A client for base_url with a test's key and integration, attempts tries per request and
 * short timeouts, under a server label (NULL: the base URL, as the client makes it); fails
 * the test when libcurl cannot set up. */
#include "client.h"
static inline struct client *th_client_labelled(const char *base_url, const char *key,
                                                const char *integration, int attempts,
                                                const char *label)
{
    struct client_options o = {.base_url = base_url, .api_key = key, .integration_id = integration,
                               .max_attempts = attempts, .timeout_s = 30, .connect_timeout_s = 5,
                               .label = label};
    int code;
    char err[512];
    struct client *c = client_new(&o, &code, err, sizeof err);
    if (!c)
        fail_msg("client_new: %s", err);
    return c;
}

static inline struct client *th_client(const char *base_url, const char *key,
                                       const char *integration, int attempts)
{
    return th_client_labelled(base_url, key, integration, attempts, NULL);
}

#endif
