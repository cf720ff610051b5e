/* Start-up benchmark.
 * usage: bench_startup ui RUNS PROGRAM ARGS...   run PROGRAM in an 80x24 pty (TERM from the
 *            environment), time from fork to the first appearance of "quit" (the picker's
 *            footer) in its output; keep reading until the output has been quiet for 200 ms
 *            (the whole first frame), then SIGTERM/SIGKILL it. Prints per-run times and
 *            "median_ms X" (and "quiet_median_ms Y": until the last byte before the pause).
 *        bench_startup exec RUNS PROGRAM ARGS...  fork+exec+wait, stdout/stderr to /dev/null;
 *            prints "median_ms X". */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"

static void stop(pid_t pid)
{
    kill(pid, SIGTERM);
    for (int i = 0; i < 100; i++) {
        if (waitpid(pid, NULL, WNOHANG) == pid)
            return;
        usleep(10000);
    }
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
}

/* One UI run: ms until "quit" first shows (and until the output goes quiet), or -1. */
static double ui_once(char **argv, double *quiet_ms)
{
    struct winsize ws = { .ws_row = 24, .ws_col = 80 };
    int master;
    double t0 = bench_now_ms();
    pid_t pid = forkpty(&master, NULL, NULL, &ws);
    if (pid < 0) {
        perror("forkpty");
        return -1;
    }
    if (pid == 0) {
        execvp(argv[0], argv);
        _exit(127);
    }
    static char acc[1 << 20];
    size_t have = 0;
    double found = -1, last = t0;
    for (;;) {
        double t = bench_now_ms();
        if (found < 0 && t - t0 > 10000)
            break; /* never drew its footer */
        struct pollfd p = { .fd = master, .events = POLLIN };
        int r = poll(&p, 1, found < 0 ? 1000 : 200);
        if (r < 0 && errno == EINTR)
            continue;
        if (r == 0) {
            if (found >= 0)
                break; /* quiet for 200 ms after the footer: the frame is complete */
            continue;
        }
        char buf[65536];
        ssize_t n = read(master, buf, sizeof buf);
        if (n <= 0)
            break;
        last = bench_now_ms();
        if (found < 0) {
            /* keep the whole output so far, so a "quit" split across reads is still found */
            size_t take = (size_t)n < sizeof acc - 1 - have ? (size_t)n : sizeof acc - 1 - have;
            memcpy(acc + have, buf, take);
            have += take;
            acc[have] = '\0';
            if (memmem(acc, have, "quit", 4))
                found = last - t0;
        }
    }
    *quiet_ms = last - t0;
    stop(pid);
    close(master);
    return found;
}

static double exec_once(char **argv)
{
    double t0 = bench_now_ms();
    pid_t pid = fork();
    if (pid == 0) {
        int nul = open("/dev/null", O_RDWR);
        dup2(nul, 1);
        dup2(nul, 2);
        execvp(argv[0], argv);
        _exit(127);
    }
    int st;
    waitpid(pid, &st, 0);
    double t = bench_now_ms() - t0;
    return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? t : -1;
}

int main(int argc, char **argv)
{
    if (argc < 4 || (strcmp(argv[1], "ui") != 0 && strcmp(argv[1], "exec") != 0)) {
        fprintf(stderr, "usage: bench_startup ui|exec RUNS PROGRAM ARGS...\n");
        return 2;
    }
    int ui = strcmp(argv[1], "ui") == 0, runs = bench_number(argv[2], 5, 200);
    double t[200], q[200];
    for (int r = 0; r < runs; r++) {
        t[r] = ui ? ui_once(argv + 3, &q[r]) : exec_once(argv + 3);
        if (t[r] < 0) {
            fprintf(stderr, "bench_startup: run %d failed (%s)\n", r + 1,
                    ui ? "no \"quit\" within 10 s" : "non-zero exit");
            return 1;
        }
        fprintf(stderr, "run %d: %.2f ms\n", r + 1, t[r]);
    }
    printf("median_ms %.2f\n", bench_median(t, runs));
    if (ui)
        printf("quiet_median_ms %.2f\n", bench_median(q, runs));
    return 0;
}
