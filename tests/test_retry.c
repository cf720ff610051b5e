/* Tests for the pure retry policy: retryable statuses, server-given waits, backoff. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "helpers.h"
#include "retry.h"

/* Sun, 06 Nov 1994 08:49:37 GMT: the example date of RFC 9110. */
#define T_EXAMPLE ((time_t)784111777)

static void test_statuses(void **state)
{
    (void)state;
    static const struct { long status; bool retry; } cases[] = {
        {429, true}, {500, true}, {502, true}, {503, true}, {504, true},
        {200, false}, {201, false}, {301, false}, {400, false}, {401, false}, {403, false},
        {404, false}, {408, false}, {409, false}, {422, false}, {501, false}, {505, false},
        {0, false}, {-1, false},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        if (retry_status_retryable(cases[i].status) != cases[i].retry)
            fail_msg("status %ld: expected %s", cases[i].status, cases[i].retry ? "retry" : "stop");
    }
}

static void test_default_policy(void **state)
{
    (void)state;
    struct retry_policy p;
    memset(&p, 0xff, sizeof p);
    retry_policy_default(&p);
    assert_int_equal(p.max_attempts, 4);
    assert_int_equal(p.initial_ms, 500);
    assert_true(p.factor > 1.49 && p.factor < 1.51);
    assert_int_equal(p.max_ms, 60000);
}

/* Server-given waits; expect -1 means "the backoff was used" (checked by bounds). */
struct hdr_case {
    const char *ms, *ra;
    time_t now;
    long expect;
};

static void test_server_waits(void **state)
{
    (void)state;
    static const struct hdr_case cases[] = {
        /* Retry-After-Ms */
        {"1500", NULL, 0, 1500},
        {"0", NULL, 0, 0},
        {" 42\t", NULL, 0, 42},
        {"250.7", NULL, 0, 250},
        {"99999999", NULL, 0, 60000},              /* capped */
        {"999999999999999999999999999", NULL, 0, 60000}, /* saturates, no overflow */
        {"1500", "9", 0, 1500},                    /* ms wins over seconds */
        /* malformed ms: fall through to Retry-After, else backoff */
        {"abc", "2", 0, 2000},
        {"-5", "2", 0, 2000},
        {"", "2", 0, 2000},
        {"1e3", "2", 0, 2000},
        {"12abc", "2", 0, 2000},
        {"5.", "2", 0, 2000},
        {".5", "2", 0, 2000},
        {"abc", NULL, 0, -1},
        /* Retry-After seconds */
        {NULL, "3", 0, 3000},
        {NULL, "  7 ", 0, 7000},
        {NULL, "0", 0, 0},
        {NULL, "120", 0, 60000},
        {NULL, "99999999999999999999999", 0, 60000},
        {NULL, "-1", 0, -1},
        {NULL, "1.5", 0, -1},
        {NULL, "", 0, -1},
        {NULL, "soon", 0, -1},
        {NULL, "+5", 0, -1},
        /* Retry-After HTTP dates, relative to now */
        {NULL, "Sun, 06 Nov 1994 08:49:37 GMT", T_EXAMPLE - 5, 5000},
        {NULL, "Sunday, 06-Nov-94 08:49:37 GMT", T_EXAMPLE - 12, 12000},
        {NULL, "Sun Nov  6 08:49:37 1994", T_EXAMPLE - 1, 1000},
        {NULL, "Sun, 06 Nov 1994 08:49:37 GMT", T_EXAMPLE, 0},
        {NULL, "Sun, 06 Nov 1994 08:49:37 GMT", T_EXAMPLE + 3600, 0},   /* past: no wait */
        {NULL, "Sun, 06 Nov 1994 08:49:37 GMT", T_EXAMPLE - 3600, 60000}, /* capped */
        {NULL, "Sun, 06 Foo 1994 08:49:37 GMT", T_EXAMPLE, -1},
        {NULL, "not a date at all", T_EXAMPLE, -1},
    };
    struct retry_policy p;
    retry_policy_default(&p);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const struct hdr_case *c = &cases[i];
        long w = retry_wait_ms(&p, 1, c->ms, c->ra, c->now, 0.0);
        if (c->expect >= 0) {
            if (w != c->expect)
                fail_msg("case %zu (ms=%s ra=%s): got %ld, want %ld", i, c->ms ? c->ms : "NULL",
                         c->ra ? c->ra : "NULL", w, c->expect);
        } else {
            /* attempt 1 with rnd 0 gives exactly half the initial 500 ms */
            if (w != 250)
                fail_msg("case %zu (ms=%s ra=%s): got %ld, want the backoff 250", i,
                         c->ms ? c->ms : "NULL", c->ra ? c->ra : "NULL", w);
        }
    }
}

static void test_date_from_clock(void **state)
{
    (void)state;
    /* An IMF-fixdate 30 s in the future, formatted here (C locale: English names). */
    time_t now = time(NULL);
    time_t later = now + 30;
    struct tm tm;
    gmtime_r(&later, &tm);
    char buf[64];
    strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
    long w = retry_wait_ms(NULL, 2, NULL, buf, now, 0.5);
    assert_int_equal(w, 30000);
}

static void test_custom_cap(void **state)
{
    (void)state;
    struct retry_policy p = {.max_attempts = 3, .initial_ms = 100, .factor = 2.0, .max_ms = 1000};
    assert_int_equal(retry_wait_ms(&p, 1, "5000", NULL, 0, 0.0), 1000);
    assert_int_equal(retry_wait_ms(&p, 1, NULL, "2", 0, 0.0), 1000);
    assert_int_equal(retry_wait_ms(&p, 1, "700", NULL, 0, 0.0), 700);
    /* backoff with rnd just below 1: 100, 200, 400, 800, then capped at 1000 */
    static const long want[] = {99, 199, 399, 799, 999, 999, 999};
    for (int a = 1; a <= 7; a++) {
        long w = retry_wait_ms(&p, a, NULL, NULL, 0, 0.999999);
        if (w != want[a - 1])
            fail_msg("attempt %d: got %ld, want %ld", a, w, want[a - 1]);
    }
}

static void test_backoff_growth(void **state)
{
    (void)state;
    struct retry_policy p;
    retry_policy_default(&p);
    /* rnd = 0: exactly half of 500 * 1.5^(n-1) */
    static const long half[] = {250, 375, 562, 843, 1265, 1898};
    for (int a = 1; a <= 6; a++) {
        long w = retry_wait_ms(&p, a, NULL, NULL, 0, 0.0);
        if (w != half[a - 1])
            fail_msg("attempt %d: got %ld, want %ld", a, w, half[a - 1]);
    }
    /* far attempts stay at the cap without overflowing */
    assert_int_equal(retry_wait_ms(&p, 1000, NULL, NULL, 0, 0.0), 30000);
    long top = retry_wait_ms(&p, 1000000, NULL, NULL, 0, 0.999999);
    assert_true(top > 59000 && top <= 60000);
}

static void test_jitter_bounds(void **state)
{
    (void)state;
    struct retry_policy p;
    retry_policy_default(&p);
    double base = 500;
    for (int a = 1; a <= 20; a++) {
        double b = base > 60000 ? 60000 : base;
        long prev = -1;
        for (int k = 0; k < 100; k++) {
            double rnd = k / 100.0;
            long w = retry_wait_ms(&p, a, NULL, NULL, 0, rnd);
            if (w < (long)(0.5 * b) - 1 || w > (long)b)
                fail_msg("attempt %d rnd %.2f: %ld outside [%.0f, %.0f]", a, rnd, w, 0.5 * b, b);
            if (w < prev)
                fail_msg("attempt %d: wait not monotonic in rnd", a);
            prev = w;
        }
        base *= 1.5;
    }
    /* out-of-range random values are clamped, never produce a wait outside the band */
    static const double odd[] = {-1.0, 1.0, 2.0, 0.0 / 0.0};
    for (size_t i = 0; i < sizeof odd / sizeof odd[0]; i++) {
        long w = retry_wait_ms(&p, 1, NULL, NULL, 0, odd[i]);
        if (w < 250 || w > 500)
            fail_msg("rnd #%zu: %ld outside [250, 500]", i, w);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_statuses),
        cmocka_unit_test(test_default_policy),
        cmocka_unit_test(test_server_waits),
        cmocka_unit_test(test_date_from_clock),
        cmocka_unit_test(test_custom_cap),
        cmocka_unit_test(test_backoff_growth),
        cmocka_unit_test(test_jitter_bounds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
