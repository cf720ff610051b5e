/* libFuzzer harness for the history file's reader (history_read, history_recent_candidates_for, history_find_success)
 * and writer (history_entry_json, history_append).
 *
 * Input: one byte, how many entries to ask for (1 to 256), then the file's bytes, written
 * as $XDG_STATE_HOME/kombo-attach/history.jsonl in a private temporary folder.
 * Checks: no crash, leak or undefined behaviour; at most that many entries, each with an
 * outcome; no more entries plus skipped lines than the file has lines; every entry written
 * back with history_append (to a second state folder) reads back as the same JSON line
 * (what the tool writes, it reads); the recent candidates are distinct and non-empty; the
 * scan prefiltered by SHA-256 hands on every entry of a hash the whole scan sees. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz_tmp.h"
#include "history.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

static char state_in[300], state_out[300], file_in[340];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    const char *dir = fuzz_workdir("fuzz-history");
    snprintf(state_in, sizeof state_in, "%s/in", dir);
    snprintf(state_out, sizeof state_out, "%s/out", dir);
    snprintf(file_in, sizeof file_in, "%s/kombo-attach/history.jsonl", state_in);
    char folder[320];
    snprintf(folder, sizeof folder, "%s/kombo-attach", state_in);
    if (mkdir(state_in, 0700) != 0 || mkdir(folder, 0700) != 0) {
        perror("fuzz_history: mkdir");
        exit(1);
    }
    return 0;
}

static void fail(const char *what, const char *detail)
{
    fprintf(stderr, "fuzz_history: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
    abort();
}

static void write_file(const char *path, const uint8_t *data, size_t size)
{
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0)
        fail("cannot write the history file", path);
}

static size_t count_lines(const uint8_t *data, size_t size)
{
    size_t n = 0;
    for (size_t i = 0; i < size; i++)
        n += data[i] == '\n';
    return n + (size && data[size - 1] != '\n');
}

/* Each entry, appended to an empty history in state_out and read back, is the same line. */
static void check_round_trip(const struct history_entry *e, size_t n)
{
    char path[340], err[512];
    snprintf(path, sizeof path, "%s/kombo-attach/history.jsonl", state_out);
    unlink(path);
    setenv("XDG_STATE_HOME", state_out, 1);
    for (size_t i = 0; i < n; i++)
        if (history_append(&e[i], err, sizeof err) != 0)
            fail("history_append failed", err);
    struct history_entry *back;
    size_t m, skipped;
    if (history_read(n ? n : 1, &back, &m, &skipped, err, sizeof err) != 0)
        fail("history_read of what history_append wrote failed", err);
    if (m != n || skipped != 0)
        fail("what history_append wrote does not read back whole", NULL);
    for (size_t i = 0; i < n; i++) {
        char *a = history_entry_json(&e[i]), *b = history_entry_json(&back[i]);
        if (strcmp(a, b) != 0) {
            fprintf(stderr, "written: %s\nread:    %s\n", a, b);
            fail("an entry changed on its way through the file", NULL);
        }
        free(a);
        free(b);
    }
    history_entries_free(back, m);
    setenv("XDG_STATE_HOME", state_in, 1);
}

/* The prefiltered scan (history_scan_sha) must hand on every entry of the wanted hash that
 * the whole scan sees: the prefilter may only skip what it is sure of. */
struct by_sha { const char *sha; size_t n; };

static bool want_sha(const char *sha256, void *ctx)
{
    return strcmp(sha256, ((struct by_sha *)ctx)->sha) == 0;
}

static void count_sha(const struct history_entry *e, void *ctx)
{
    struct by_sha *b = ctx;
    b->n += e->sha256 && !strcmp(e->sha256, b->sha);
}

static void check_prefilter(const struct history_entry *e, size_t n)
{
    char err[512];
    for (size_t i = 0; i < n && i < 4; i++) {
        if (!e[i].sha256)
            continue;
        struct by_sha all = { e[i].sha256, 0 }, some = { e[i].sha256, 0 };
        if (history_scan(count_sha, &all, err, sizeof err) != 0 ||
            history_scan_sha(want_sha, count_sha, &some, err, sizeof err) != 0)
            fail("a scan failed on a readable file", err);
        if (all.n != some.n)
            fail("the prefiltered scan missed entries of the wanted hash", e[i].sha256);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    size_t max = (size_t)data[0] + 1;
    data++;
    size--;
    setenv("XDG_STATE_HOME", state_in, 1);
    write_file(file_in, data, size);

    struct history_entry *e;
    size_t n, skipped;
    char err[512];
    if (history_read(max, &e, &n, &skipped, err, sizeof err) != 0)
        fail("history_read failed on a readable file", err);
    if (n > max)
        fail("more entries than asked for", NULL);
    if (n + skipped > count_lines(data, size))
        fail("more entries and skipped lines than the file has lines", NULL);
    for (size_t i = 0; i < n; i++)
        if (!e[i].outcome)
            fail("an entry without an outcome", NULL);
    check_prefilter(e, n);
    check_round_trip(e, n);
    history_entries_free(e, n);

    size_t nc;
    struct history_entry *rc = history_recent_candidates_for(NULL, 8, &nc);
    if (nc > 8)
        fail("more recent candidates than asked for", NULL);
    for (size_t i = 0; i < nc; i++) {
        if (!rc[i].candidate || !rc[i].candidate[0])
            fail("an empty recent candidate", NULL);
        for (size_t k = 0; k < i; k++)
            if (strcmp(rc[i].candidate, rc[k].candidate) == 0)
                fail("a recent candidate twice", rc[i].candidate);
    }
    history_entries_free(rc, nc);
    /* and a search for a duplicate reads the same file without trouble */
    struct history_entry found;
    char ferr[256];
    if (history_find_success("00", NULL, "x", "y", &found, ferr, sizeof ferr) == 1)
        history_entry_free(&found);
    return 0;
}
