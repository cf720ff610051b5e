/* secret.c: the first line of a key, and redaction — whole keys and any run of a key's first
 * 8 or more characters, in text and in raw bytes. */
#include "helpers.h"

#include "secret.h"

#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#define K "ks_live_SENTINEL1234567890abcdef"

static void test_redact_table(void **state)
{
    (void)state;
    static const struct { const char *in, *out; } rows[] = {
        { "key " K " end", "key <redacted> end" },
        { K K, "<redacted><redacted>" },
        { "cut: ks_live_SENTINEL12...", "cut: <redacted>..." },       /* a prefix left by a cut */
        { "tail ks_live_S", "tail <redacted>" },                      /* 9 characters */
        { "short ks_live", "short ks_live" },                         /* 7: too common to redact */
        { "ks_live_other and ks_live_SEN", "<redacted>other and <redacted>" },
        { "nothing here", "nothing here" },
        { "", "" },
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        char *s = xstrdup(rows[i].in);
        secret_redact(&s, K);
        if (strcmp(s, rows[i].out) != 0)
            fail_msg("row %zu: \"%s\", want \"%s\"", i, s, rows[i].out);
        free(s);
    }
    /* a short key counts only whole */
    char *s = xstrdup("abcd abc abcde");
    secret_redact(&s, "abcd");
    assert_string_equal(s, "<redacted> abc <redacted>e");
    free(s);
}

static void test_redact_bytes(void **state)
{
    (void)state;
    static const char raw[] = "a\0" K "\0z";
    size_t n = sizeof raw - 1;
    char *b = xmalloc(n + 1);
    memcpy(b, raw, n + 1);
    secret_redact_n(&b, &n, K);
    static const char want[] = "a\0<redacted>\0z";
    assert_int_equal(n, sizeof want - 1);
    assert_memory_equal(b, want, n);
    free(b);
}

static void test_first_line(void **state)
{
    (void)state;
    char *k = secret_first_line("  key-1 \r\nsecond", 17);
    assert_string_equal(k, "key-1");
    secret_free(k);
    assert_null(secret_first_line(" \t\r\n", 4));
}

/* In a child (the guard cannot be undone): not dumpable, and a core limit of 0 that the
 * process cannot raise again. */
static void test_guard_process(void **state)
{
    (void)state;
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        secret_guard_process();
        struct rlimit rl, up = { 1 << 20, 1 << 20 };
        int ok = prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) == 0 && getrlimit(RLIMIT_CORE, &rl) == 0 &&
                 rl.rlim_cur == 0 && rl.rlim_max == 0 &&
                 (geteuid() == 0 || setrlimit(RLIMIT_CORE, &up) != 0);
        _exit(ok ? 0 : 1);
    }
    int st;
    assert_int_equal(waitpid(pid, &st, 0), pid);
    assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_redact_table),
        cmocka_unit_test(test_redact_bytes),
        cmocka_unit_test(test_first_line),
        cmocka_unit_test(test_guard_process),
    };
    return cmocka_run_group_tests_name("secret", tests, NULL, NULL);
}
