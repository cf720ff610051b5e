/* filehash.c: the SHA-256 in small steps equals OpenSSL's one-shot digest for sizes around
 * its chunk, whatever the step; a FIFO is refused at once (never blocks); a file that
 * changes size while it is read fails. */
#include "helpers.h"

#include <openssl/sha.h>
#include <sys/stat.h>

#include "filehash.h"
#include "hex.h"

static void want_hex(const char *path, char out[65])
{
    size_t n = 0;
    char *data = th_slurp(path, &n);
    assert_non_null(data);
    unsigned char md[32];
    SHA256((const unsigned char *)data, n, md);
    hex_encode(md, 32, out);
    free(data);
}

static void test_steps_match_one_shot(void **state)
{
    (void)state;
    static const size_t sizes[] = {0, 1, 55, 64, 262143, 262144, 262145, 1048579};
    static const size_t steps[] = {1, 7, 4096, 262144, 0};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        char p[600];
        th_path(p, sizeof p, "f.bin");
        assert_int_equal(th_write_random(p, sizes[i], (unsigned)i + 1), 0);
        char want[65], got[65];
        want_hex(p, want);
        for (size_t k = 0; k < sizeof steps / sizeof steps[0]; k++) {
            if (steps[k] == 1 && sizes[i] > 300000)
                continue; /* byte by byte is slow for nothing */
            char err[256];
            struct filehash *h = filehash_open(p, err, sizeof err);
            assert_non_null(h);
            assert_int_equal(filehash_size(h), sizes[i]);
            assert_false(filehash_hex(h, got));
            int r;
            while ((r = filehash_step(h, steps[k])) > 0)
                assert_true(filehash_done(h) <= sizes[i]);
            assert_int_equal(r, 0);
            assert_true(filehash_hex(h, got));
            if (strcmp(got, want) != 0)
                fail_msg("size %zu step %zu: %s, want %s", sizes[i], steps[k], got, want);
            filehash_free(h);
        }
        assert_int_equal(filehash_file(p, got, (char[256]){0}, 256), 0);
        assert_string_equal(got, want);
    }
}

static void test_refusals(void **state)
{
    (void)state;
    char err[256];
    char fifo[600], missing[600], p[600];
    th_path(fifo, sizeof fifo, "pipe");
    assert_int_equal(mkfifo(fifo, 0600), 0);
    double t0 = clock_now();
    assert_null(filehash_open(fifo, err, sizeof err)); /* no writer: must not hang */
    assert_true(clock_now() - t0 < 1.0);
    assert_non_null(strstr(err, "not a regular file"));
    assert_null(filehash_open(th_dir, err, sizeof err));
    th_path(missing, sizeof missing, "missing");
    assert_null(filehash_open(missing, err, sizeof err));
    assert_non_null(strstr(err, "cannot open"));

    /* shrinks after opening */
    th_path(p, sizeof p, "shrink.bin");
    th_write_random(p, 100000, 3);
    struct filehash *h = filehash_open(p, err, sizeof err);
    assert_non_null(h);
    assert_int_equal(filehash_step(h, 1000), 1);
    assert_int_equal(truncate(p, 2000), 0);
    int r;
    while ((r = filehash_step(h, 1000)) > 0)
        ;
    assert_int_equal(r, -1);
    assert_non_null(strstr(filehash_error(h), "changed size"));
    filehash_free(h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_steps_match_one_shot, th_setup_tempdir, th_teardown_tempdir),
        cmocka_unit_test_setup_teardown(test_refusals, th_setup_tempdir, th_teardown_tempdir),
    };
    return cmocka_run_group_tests_name("filehash", tests, NULL, NULL);
}
