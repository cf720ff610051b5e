/* Picker model benchmark on a big folder (ui/filelist.c only, no curses).
 * usage: bench_filelist --make DIR N     create N empty files in DIR (file-000000.pdf ...)
 *        bench_filelist DIR [runs]       measure, print one "key value" line per figure
 * Figures (medians over runs, milliseconds unless said):
 *   open_sort_ms    fl_open(DIR, sort by name): readdir + sort
 *   visible_ms      fl_stat_range of the first 50 rows, right after opening
 *   first_frame_ms  open + sort + visible rows (what the picker needs before drawing)
 *   stat_all_ms     fl_stat_step(fl, 8) until nothing is left (the rest, in slices)
 *   key_first_ms    fl_set_filter "" -> "1" (scans every name)
 *   key_next_ms     fl_set_filter "1" -> "12" (one more character: narrows)
 *   key_back_ms     fl_set_filter "12" -> "1" (backspace: scans every name again)
 *   bytes_total     heap held by the list (mallinfo2 uordblks + hblkhd, after - before)
 *   bytes_per_entry bytes_total / entries */
#include <fcntl.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"
#include "filelist.h"

static size_t heap_used(void)
{
    struct mallinfo2 mi = mallinfo2();
    return mi.uordblks + mi.hblkhd;
}

static int make_files(const char *dir, long n)
{
    if (mkdir(dir, 0755) != 0) {
        perror(dir);
        return 1;
    }
    int dfd = open(dir, O_RDONLY | O_DIRECTORY);
    if (dfd < 0) {
        perror(dir);
        return 1;
    }
    char name[64];
    for (long i = 0; i < n; i++) {
        /* a few different shapes of names, as a real folder has */
        static const char *const ext[] = { "pdf", "docx", "txt", "png" };
        snprintf(name, sizeof name, "%s-%06ld.%s", i % 3 ? "cv" : "Candidate_letter", i,
                 ext[i % 4]);
        int fd = openat(dfd, name, O_WRONLY | O_CREAT | O_EXCL, 0644);
        if (fd < 0) {
            perror(name);
            return 1;
        }
        close(fd);
    }
    close(dfd);
    return 0;
}

enum { F_OPEN, F_VIS, F_FIRST, F_ALL, F_K1, F_K2, F_KB, F_BYTES, NF };
static const char *const fig_name[NF] = { "open_sort_ms", "visible_ms", "first_frame_ms",
                                           "stat_all_ms", "key_first_ms", "key_next_ms",
                                           "key_back_ms", "bytes_total" };

int main(int argc, char **argv)
{
    if (argc == 4 && strcmp(argv[1], "--make") == 0)
        return make_files(argv[2], bench_number(argv[3], 0, 10000000));
    if (argc < 2) {
        fprintf(stderr, "usage: bench_filelist DIR [runs] | --make DIR N\n");
        return 2;
    }
    int runs = bench_number(argc > 2 ? argv[2] : NULL, 5, 100);
    double v[NF][100];
    size_t entries = 0, shown1 = 0, shown2 = 0;
    for (int r = 0; r < runs; r++) {
        char err[256];
        size_t h0 = heap_used();
        double t0 = bench_now_ms();
        struct filelist *fl = fl_open(argv[1], false, FL_SORT_NAME, err, sizeof err);
        double t1 = bench_now_ms();
        if (!fl) {
            fprintf(stderr, "%s\n", err);
            return 1;
        }
        fl_stat_range(fl, 0, 50);
        double t2 = bench_now_ms();
        for (size_t i = 0; i < 50 && i < fl_count(fl); i++)
            if (!fl_get(fl, i)->stat_done) {
                fprintf(stderr, "row %zu not stat-ed\n", i);
                return 1;
            }
        while (fl_stat_step(fl, 8))
            ;
        double t3 = bench_now_ms();
        fl_set_filter(fl, "1");
        double t4 = bench_now_ms();
        shown1 = fl_count(fl);
        fl_set_filter(fl, "12");
        double t5 = bench_now_ms();
        shown2 = fl_count(fl);
        fl_set_filter(fl, "1");
        double t6 = bench_now_ms();
        fl_set_filter(fl, "");
        size_t h1 = heap_used();
        entries = fl_total(fl);
        v[F_OPEN][r] = t1 - t0;
        v[F_VIS][r] = t2 - t1;
        v[F_FIRST][r] = t2 - t0;
        v[F_ALL][r] = t3 - t2;
        v[F_K1][r] = t4 - t3;
        v[F_K2][r] = t5 - t4;
        v[F_KB][r] = t6 - t5;
        v[F_BYTES][r] = (double)(h1 > h0 ? h1 - h0 : 0);
        fl_free(fl);
    }
    printf("entries %zu\nruns %d\nshown_1 %zu\nshown_12 %zu\n", entries, runs, shown1, shown2);
    double bytes = 0;
    for (int f = 0; f < NF; f++) {
        double m = bench_median(v[f], runs);
        if (f == F_BYTES) {
            bytes = m;
            printf("%s %.0f\n", fig_name[f], m);
        } else {
            printf("%s %.3f\n", fig_name[f], m);
        }
    }
    printf("bytes_per_entry %.1f\n", entries ? bytes / (double)entries : 0.0);
    return 0;
}
