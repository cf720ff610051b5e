/* Unit tests for src/format.c: sizes, rates and durations. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "format.h"
#include "helpers.h"

struct bytes_case {
    uint64_t n;
    const char *out;
};

static void test_bytes(void **state)
{
    (void)state;
    static const struct bytes_case cases[] = {
        {0, "0 B"},
        {1, "1 B"},
        {999, "999 B"},
        {1023, "1023 B"},
        {1024, "1.00 KiB"},
        {1536, "1.50 KiB"},
        {10 * 1024 - 1, "10.0 KiB"},          /* 9.999 rounds up: one decimal fewer */
        {10 * 1024, "10.0 KiB"},
        {12900, "12.6 KiB"},
        {100 * 1024, "100 KiB"},
        {182 * 1024, "182 KiB"},              /* three digits: never "182.0 KiB" */
        {1023 * 1024, "1023 KiB"},
        {1024 * 1024 - 1, "1.00 MiB"},        /* not "1024 KiB" */
        {1023 * 1024 + 511, "1023 KiB"},
        {1023 * 1024 + 512, "1.00 MiB"},
        {1024 * 1024, "1.00 MiB"},
        {12900000, "12.3 MiB"},
        {1610612736ULL, "1.50 GiB"},
        {5ULL << 40, "5.00 TiB"},
        {UINT64_MAX, "16.0 EiB"},
    };
    char buf[32];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        fmt_bytes(cases[i].n, buf, sizeof buf);
        if (strcmp(buf, cases[i].out) != 0)
            fail_msg("case %zu (%llu): got \"%s\", want \"%s\"", i,
                     (unsigned long long)cases[i].n, buf, cases[i].out);
    }
    /* a short buffer is cut, never overrun */
    char small[4] = {'x', 'x', 'x', 'x'};
    fmt_bytes(1610612736ULL, small, 3);
    assert_string_equal(small, "1.");
    assert_int_equal(small[3], 'x');
}

struct rate_case {
    double r;
    const char *out;
};

static void test_rate(void **state)
{
    (void)state;
    static const struct rate_case cases[] = {
        {0, "-"},
        {-5, "-"},
        {NAN, "-"},
        {INFINITY, "-"},
        {0.4, "0 B/s"},
        {512, "512 B/s"},
        {2048, "2.00 KiB/s"},
        {12.3 * 1024 * 1024, "12.3 MiB/s"},
        {150.0 * 1024 * 1024, "150 MiB/s"},
    };
    char buf[32];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        fmt_rate(cases[i].r, buf, sizeof buf);
        if (strcmp(buf, cases[i].out) != 0)
            fail_msg("case %zu: got \"%s\", want \"%s\"", i, buf, cases[i].out);
    }
}

struct dur_case {
    double s;
    const char *out;
};

static void test_duration(void **state)
{
    (void)state;
    static const struct dur_case cases[] = {
        {-1, "-"},
        {-0.001, "-"},
        {NAN, "-"},
        {INFINITY, "-"},
        {0, "0s"},
        {0.4, "0s"},
        {42, "42s"},
        {59.4, "59s"},
        {59.7, "1m00s"},
        {60, "1m00s"},
        {185, "3m05s"},
        {3599, "59m59s"},
        {3600, "1h00m"},
        {3720, "1h02m"},
        {3779, "1h02m"},
        {100 * 3600 + 60, "100h01m"},
    };
    char buf[32];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        fmt_duration(cases[i].s, buf, sizeof buf);
        if (strcmp(buf, cases[i].out) != 0)
            fail_msg("case %zu (%g): got \"%s\", want \"%s\"", i, cases[i].s, buf, cases[i].out);
    }
}

static void test_parse_bytes(void **state)
{
    (void)state;
    static const struct { const char *in; int rc; uint64_t want; } rows[] = {
        { "0", 0, 0 }, { "2000000", 0, 2000000 }, { "10M", 0, 10485760 }, { "10MB", 0, 10485760 },
        { "10MiB", 0, 10485760 }, { "10 MiB", 0, 10485760 }, { "512k", 0, 524288 },
        { "1.5G", 0, 1610612736 }, { "1.5GiB", 0, 1610612736 }, { "100B", 0, 100 },
        { "2t", 0, UINT64_C(2) << 40 },
        { "", -1, 0 }, { "M", -1, 0 }, { "-1", -1, 0 }, { "1,5M", -1, 0 }, { "1.M", -1, 0 },
        { "10X", -1, 0 }, { "10MiBs", -1, 0 }, { "99999999999999999999", -1, 0 },
        { "5000000T", -1, 0 },
    };
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        uint64_t v = 12345;
        int rc = fmt_parse_bytes(rows[i].in, &v);
        if (rc != rows[i].rc)
            fail_msg("\"%s\": rc %d, want %d", rows[i].in, rc, rows[i].rc);
        if (rc == 0 && v != rows[i].want)
            fail_msg("\"%s\": %llu, want %llu", rows[i].in, (unsigned long long)v,
                     (unsigned long long)rows[i].want);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_bytes),
        cmocka_unit_test(test_bytes),
        cmocka_unit_test(test_rate),
        cmocka_unit_test(test_duration),
    };
    return cmocka_run_group_tests_name("format", tests, NULL, NULL);
}
