/* Search per keystroke: types each query letter by letter against an existing index
 * (XDG_CACHE_HOME, label and integration as arguments) and prints p50 and p99 in ms.
 * usage: bench_index_search LABEL INTEGRATION_ID */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "index.h"
#include "index_search.h"

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: bench_index_search LABEL INTEGRATION_ID\n");
        return 2;
    }
    static const char *const queries[] = {
        "anna", "muller", "lukasz", "zoe", "garcia", "nguyen", "frank doe", "engineer",
        "backend", "schmidt", "example.com", "sophia", "marketing", "jo", "li", "a",
        "frank.doe@example.com", "sales manager", "senior", "petra",
    };
    struct index_env env = { argv[1], argv[2] };
    char note[600], err[600];
    struct index *ix = index_open(&env, false, note, sizeof note, err, sizeof err);
    if (!ix) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    double t[2048];
    size_t n = 0;
    for (int round = 0; round < 3; round++)
        for (size_t q = 0; q < sizeof queries / sizeof queries[0]; q++) {
            size_t len = strlen(queries[q]);
            for (size_t k = 1; k <= len && n < 2048; k++) {
                char typed[64];
                snprintf(typed, sizeof typed, "%.*s", (int)k, queries[q]);
                struct index_results r;
                double t0 = now_ms();
                if (index_search(ix, typed, 0, &r, err, sizeof err) != 0) {
                    fprintf(stderr, "%s\n", err);
                    return 1;
                }
                t[n++] = now_ms() - t0;
                index_results_free(&r);
            }
        }
    qsort(t, n, sizeof t[0], cmp);
    printf("keystrokes %zu p50_ms %.2f p99_ms %.2f max_ms %.2f\n", n, t[n / 2],
           t[(n * 99) / 100], t[n - 1]);
    index_close(ix);
    return 0;
}
