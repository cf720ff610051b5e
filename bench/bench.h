/* What the benchmark tools share: the program's one monotonic clock and allocator, medians,
 * and the RUNS argument. Header-only; the tools link the program's archives. */
#ifndef KA_BENCH_H
#define KA_BENCH_H

#include <stdlib.h>

#include "clock.h"
#include "numparse.h"
#include "xalloc.h"

static inline double bench_now_ms(void)
{
    return clock_now() * 1e3;
}

static inline int bench_cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Median of v[0..n) (sorts v). */
static inline double bench_median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, bench_cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* A count from the command line (RUNS, N): a whole number from 1 to max, else def. */
static inline int bench_number(const char *arg, int def, int max)
{
    long v;
    return arg && num_parse_long(arg, 1, max, &v) == 0 ? (int)v : def;
}

#endif
