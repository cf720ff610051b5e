/* ranked.c: the picker filter's radix sort orders as the comparison it replaces (score
 * descending, then the shorter name, then the list's order), for every size and shape of
 * input: ties, negative scores, the fallback for keys that do not pack. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "ranked.h"

/* The comparison is the definition; the radix sort must agree with it. */
#define cmp ranked_cmp

static uint32_t rnd(uint32_t *s)
{
    *s = *s * 1103515245u + 12345u;
    return *s >> 8;
}

static void check(size_t n, int score_span, uint32_t len_span, uint32_t *seed)
{
    struct ranked *a = malloc(n * sizeof *a), *b = malloc(n * sizeof *b);
    for (size_t i = 0; i < n; i++) {
        a[i].score = (int)(rnd(seed) % (uint32_t)score_span) - score_span / 3;
        a[i].len = rnd(seed) % len_span;
        a[i].idx = rnd(seed) % (uint32_t)(n * 2);   /* unordered, some equal */
    }
    memcpy(b, a, n * sizeof *a);
    ranked_sort(a, n);
    qsort(b, n, sizeof *b, cmp);
    for (size_t i = 0; i < n; i++)
        if (cmp(&a[i], &b[i]) != 0)
            fail_msg("n %zu, span %d/%u: differs at %zu", n, score_span, len_span, i);
    free(a);
    free(b);
}

static void test_same_as_the_comparison(void **state)
{
    (void)state;
    uint32_t seed = 7;
    static const size_t sizes[] = { 0, 1, 2, 63, 64, 65, 1000, 100000 };
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        check(sizes[k], 3, 4, &seed);              /* ties everywhere */
        check(sizes[k], 400, 300, &seed);          /* picker-like */
        check(sizes[k], 1 << 20, 300, &seed);      /* a span too wide: the fallback */
        check(sizes[k], 50, 9000, &seed);          /* a name too long: the fallback */
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_as_the_comparison),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
